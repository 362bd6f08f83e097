// Rule engine benchmark: every Azure Policy definition of the corpus that compiles, evaluated by
// @rampart/guardrails against every resource of a synthetic tenant (normalised snapshots, as the
// product feeds them), and five of the same rules written by hand as TypeScript, run on the same
// resources in the same process: evaluations per second of each and the ratio (target: the engine
// within 1.5x of hand-written, state only). The hand-written verdicts must equal the engine's for
// every resource. Then the tenant against whole standards (all of MCSB, all of CIS), every member
// over every resource, with and without the index by type (standards.ts).
// Not a test: it prints tables (stdout) and progress (stderr). See docs/performance-guardrails.md.
//
//   node tools/bin/run-ts.js tools/bench/guardrails/main.ts                 full run (100k resources)
//   node tools/bin/run-ts.js tools/bench/guardrails/main.ts --quick         smoke run (10k)
//   node tools/bin/run-ts.js tools/bench/guardrails/main.ts --resources 20000 --json tmp/bench-guardrails.json
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import {
  compilePolicy,
  describeVerdict,
  shippedAliasTable,
  type CompiledPolicy,
  type ComplianceState,
  type EffectName,
  type EvaluationContext,
  type PolicyAssignment,
  type PolicyResource,
  type Refusal,
} from '@rampart/guardrails';
import { normaliseArmResource, type ResourceSnapshot } from '@rampart/inventory';
import { generateTenant, isMisconfigured } from '../../generate/synthetic-tenant';
import { median } from '../event-store/report';
import { alignedTable, finishRun, machineHeader } from '../shared';
import { HAND_WRITTEN_RULES, type HandWrittenRule } from './hand-written';
import { ASSIGNMENT_VALUES, CORPUS_DIR, listDefinitions, percent, watchOtherCpu } from './corpus';
import { buildRelatedIndex, type RelatedIndex } from './related-index';
import { loadStandard, MEASURED_STANDARDS, type StandardRun, type StandardSet, type StateCounts as StandardCounts, timeStandard, verifyIndexed } from './standards';

const SEED = 1;
const MISCONFIGURED = 0.2;
const TARGET_RATIO = 1.5;
/** Resources every definition runs over once, untimed, before the engine run (JIT, caches). */
const WARM_UP_RESOURCES = 2_000;
/** A timed head-to-head sample repeats the pass until it lasts at least this long. */
const MIN_SAMPLE_SECONDS = 0.25;
/** Resources (evenly spaced over the tenant) whose standard verdicts are checked both ways, and of them those compared deeply. */
const VERIFIED_RESOURCES = 10_000;
const DEEP_VERIFIED_RESOURCES = 500;
/** Audit-like effects to assign where a definition's default effect is Disabled, in order of preference. */
const PREFERRED_EFFECTS: readonly EffectName[] = ['Audit', 'AuditIfNotExists'];

/** Verdict states, and `disabled` apart: Azure calls a Disabled definition compliant, but nothing was checked. */
type Counted = ComplianceState | 'disabled';
const STATES: readonly Counted[] = ['compliant', 'nonCompliant', 'notApplicable', 'disabled', 'error'];
type StateCounts = Record<Counted, number>;
const noStates = (): StateCounts => ({ compliant: 0, nonCompliant: 0, notApplicable: 0, disabled: 0, error: 0 });

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const count = (n: number) => n.toLocaleString('en-US');
const rate = (n: number) => Math.round(n).toLocaleString('en-US');
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

/** Results of the timed loops go here, so the loops cannot be optimised away. */
let sink = 0;

// --- the tenant --------------------------------------------------------------------------------------

interface Tenant {
  readonly snapshots: readonly ResourceSnapshot[];
  /** The same objects, as the engine's input type (a snapshot has every field a PolicyResource reads). */
  readonly resources: readonly PolicyResource[];
  readonly misconfigured: number;
  readonly types: number;
  readonly seconds: number;
}

const generate = (resources: number): Tenant => {
  const start = process.hrtime.bigint();
  const snapshots: ResourceSnapshot[] = [];
  let misconfigured = 0;
  for (const raw of generateTenant({ seed: SEED, resources, misconfiguredShare: MISCONFIGURED })) {
    if (isMisconfigured(raw)) misconfigured++;
    const normalised = normaliseArmResource(raw);
    if (!normalised.ok) throw new Error(`generated resource ${raw.id} does not normalise: ${normalised.reason}`);
    snapshots.push(normalised.resource);
    if (snapshots.length % 20_000 === 0) log(`  ${count(snapshots.length)} resources`);
  }
  return {
    snapshots,
    resources: snapshots as unknown as readonly PolicyResource[],
    misconfigured,
    types: new Set(snapshots.map((s) => s.type)).size,
    seconds: secondsSince(start),
  };
};

// --- the corpus --------------------------------------------------------------------------------------

interface Definition {
  /** Relative to the corpus directory, with forward slashes. */
  readonly file: string;
  readonly json: Record<string, unknown>;
  readonly compileMs: number;
  readonly policy?: CompiledPolicy;
  readonly refusal?: Refusal;
}

interface Bound {
  readonly file: string;
  readonly policy: CompiledPolicy;
  readonly assignment: PolicyAssignment;
  /** Why the effect or parameters differ from the defaults, if they do. */
  readonly note?: string;
}

const loadCorpus = () => {
  const readStart = process.hrtime.bigint();
  const files = listDefinitions(CORPUS_DIR).map((file) => ({
    file: path.relative(CORPUS_DIR, file).split(path.sep).join('/'),
    json: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
  }));
  const readSeconds = secondsSince(readStart);
  // The shipped alias table is built on first use; timed apart so the first compile does not carry it.
  const aliasStart = process.hrtime.bigint();
  shippedAliasTable();
  const aliasSeconds = secondsSince(aliasStart);
  const definitions: Definition[] = files.map(({ file, json }) => {
    const start = process.hrtime.bigint();
    const result = compilePolicy(json);
    const compileMs = secondsSince(start) * 1000;
    return result.ok ? { file, json, compileMs, policy: result.policy } : { file, json, compileMs, refusal: result.refusal };
  });
  return { definitions, readSeconds, aliasSeconds };
};

/** The parameter `then.effect` names, if the effect is `[parameters('x')]` (or `[[parameters('x')]` in ARM template form). */
const effectParameter = (json: Record<string, unknown>): string | undefined => {
  const properties = (json['properties'] ?? json) as Record<string, unknown>;
  const rule = properties['policyRule'] as { then?: { effect?: unknown } } | undefined;
  const effect = rule?.then?.effect;
  return typeof effect === 'string' ? /^\[\[?parameters\('([^']+)'\)\]$/i.exec(effect)?.[1] : undefined;
};

/** Binds with default parameters (plus values for those without a default); a default Disabled becomes Audit or AuditIfNotExists. */
const bindDefinition = (definition: Definition): Bound | { file: string; refusal: Refusal } => {
  const policy = definition.policy as CompiledPolicy;
  const given = ASSIGNMENT_VALUES[definition.file] ?? {};
  const first = policy.bind(given);
  if (!first.ok) return { file: definition.file, refusal: first.refusal };
  const notes = Object.keys(given).length ? [`assigned ${JSON.stringify(given)}`] : [];
  if (first.assignment.effect !== 'Disabled') return { file: definition.file, policy, assignment: first.assignment, note: notes.join('; ') || undefined };

  const parameter = effectParameter(definition.json);
  const allowed = policy.parameters.find((p) => p.name.toLowerCase() === parameter?.toLowerCase())?.allowedValues ?? [];
  for (const effect of PREFERRED_EFFECTS) {
    const spelled = allowed.find((v) => v === effect) ?? allowed.find((v) => String(v).toLowerCase() === effect.toLowerCase());
    if (spelled === undefined || !parameter) continue;
    const rebound = policy.bind({ ...given, [parameter]: spelled });
    if (rebound.ok) return { file: definition.file, policy, assignment: rebound.assignment, note: [...notes, `default effect Disabled, assigned ${String(spelled)}`].join('; ') };
  }
  return { file: definition.file, policy, assignment: first.assignment, note: [...notes, 'default effect Disabled and no Audit/AuditIfNotExists allowed: stays Disabled'].join('; ') };
};

// --- the engine run ----------------------------------------------------------------------------------

interface DefinitionRun {
  readonly file: string;
  readonly effect: EffectName;
  readonly seconds: number;
  readonly states: StateCounts;
  /** Error reasons with their count and the first message. */
  readonly errors: Record<string, { count: number; example: string }>;
}

const evaluateAll = (bound: Bound, resources: readonly PolicyResource[], context: EvaluationContext): DefinitionRun => {
  const states = noStates();
  const errors: DefinitionRun['errors'] = {};
  const { assignment } = bound;
  const start = process.hrtime.bigint();
  for (const resource of resources) {
    const verdict = assignment.evaluate(resource, context);
    states[verdict.disabled ? 'disabled' : verdict.state]++;
    if (verdict.state === 'error') {
      const reason = verdict.error?.reason ?? 'unknown';
      const entry = (errors[reason] ??= { count: 0, example: verdict.error?.message ?? '' });
      entry.count++;
    }
  }
  return { file: bound.file, effect: assignment.effect, seconds: secondsSince(start), states, errors };
};

// --- head-to-head ------------------------------------------------------------------------------------

interface HeadToHead {
  readonly rule: string;
  readonly definition: string;
  readonly resources: number;
  readonly targeted: number;
  readonly nonCompliant: number;
  readonly agreed: number;
  readonly engineSamples: readonly number[];
  readonly handSamples: readonly number[];
  /** Evaluations per second, median of the samples. */
  readonly engineRate: number;
  readonly handRate: number;
  /** engine seconds / hand-written seconds for the same evaluations. */
  readonly ratio: number;
  /** The engine asked for the state only (`explain: false`): what a bulk scorer pays; the like-for-like comparison. */
  readonly stateOnlyRate: number;
  readonly stateOnlyRatio: number;
}

const enginePass = (assignment: PolicyAssignment, resources: readonly PolicyResource[], context: EvaluationContext): number => {
  let nonCompliant = 0;
  for (const resource of resources) if (assignment.evaluate(resource, context).state === 'nonCompliant') nonCompliant++;
  return nonCompliant;
};

const handPass = (rule: HandWrittenRule, snapshots: readonly ResourceSnapshot[]): number => {
  let nonCompliant = 0;
  for (const snapshot of snapshots) if (rule.evaluate(snapshot) === 'nonCompliant') nonCompliant++;
  return nonCompliant;
};

/** Evaluations per second of `pass` (one pass = `n` evaluations), repeated `times` per sample. */
const sample = (pass: () => number, n: number, times: number): number => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) sink += pass();
  return (n * times) / secondsSince(start);
};

/** How many passes make a sample of at least MIN_SAMPLE_SECONDS, from one pass (which doubles as the warm-up). */
const passesPerSample = (pass: () => number): number => {
  const start = process.hrtime.bigint();
  sink += pass();
  return Math.max(1, Math.ceil(MIN_SAMPLE_SECONDS / Math.max(secondsSince(start), 1e-6)));
};

const headToHead = (rule: HandWrittenRule, bound: Bound, tenant: Tenant, context: EvaluationContext, repetitions: number): HeadToHead => {
  const { assignment } = bound;
  const { resources, snapshots } = tenant;
  // Correctness first: the same verdict for every resource, or the comparison means nothing.
  let agreed = 0;
  let targeted = 0;
  let nonCompliant = 0;
  const mismatches: string[] = [];
  for (let i = 0; i < resources.length; i++) {
    const verdict = assignment.evaluate(resources[i], context);
    const hand = rule.evaluate(snapshots[i]);
    if (verdict.state === hand) agreed++;
    else if (mismatches.length < 3) mismatches.push(`${snapshots[i].id}: engine ${verdict.state}, hand-written ${hand}\n${describeVerdict(verdict)}`);
    if (verdict.state !== 'notApplicable') targeted++;
    if (verdict.state === 'nonCompliant') nonCompliant++;
  }
  if (agreed !== resources.length) {
    throw new Error(
      `the hand-written "${rule.name}" and the engine's ${rule.definition} disagree on ${count(resources.length - agreed)} of ${count(resources.length)} resources; first ones:\n${mismatches.join('\n')}`,
    );
  }
  log(`  ${rule.name}: ${count(agreed)} verdicts agree (${count(targeted)} targeted, ${count(nonCompliant)} non-compliant)`);

  const engine = () => enginePass(assignment, resources, context);
  const stateOnlyContext = { ...context, explain: false };
  const stateOnly = () => enginePass(assignment, resources, stateOnlyContext);
  const hand = () => handPass(rule, snapshots);
  const engineTimes = passesPerSample(engine);
  const stateOnlyTimes = passesPerSample(stateOnly);
  const handTimes = passesPerSample(hand);
  const engineSamples: number[] = [];
  const stateOnlySamples: number[] = [];
  const handSamples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    // rotate which goes first, so none always runs right after another's garbage
    const runs = [
      () => engineSamples.push(sample(engine, resources.length, engineTimes)),
      () => stateOnlySamples.push(sample(stateOnly, resources.length, stateOnlyTimes)),
      () => handSamples.push(sample(hand, resources.length, handTimes)),
    ];
    for (let k = 0; k < runs.length; k++) runs[(i + k) % runs.length]();
  }
  const engineRate = median(engineSamples);
  const handRate = median(handSamples);
  return {
    rule: rule.name,
    definition: rule.definition,
    resources: resources.length,
    targeted,
    nonCompliant,
    agreed,
    engineSamples,
    handSamples,
    engineRate,
    handRate,
    ratio: handRate / engineRate,
    stateOnlyRate: median(stateOnlySamples),
    stateOnlyRatio: handRate / median(stateOnlySamples),
  };
};

// --- report ------------------------------------------------------------------------------------------

const stateCells = (s: StateCounts) => STATES.map((state) => count(s[state]));

const printEngine = (runs: readonly DefinitionRun[], resources: number, seconds: number, related: { lookups: number; found: number }) => {
  const totals = noStates();
  for (const run of runs) for (const state of STATES) totals[state] += run.states[state];
  const evaluations = runs.length * resources;
  console.log('\n## Engine: every compiled definition over every resource');
  console.log('');
  console.log(
    alignedTable(
      ['definitions', 'resources', 'evaluations', 'seconds', 'evaluations/s', 'µs/evaluation', ...STATES],
      [true, true, true, true, true, true, true, true, true, true, true],
      [[String(runs.length), count(resources), count(evaluations), seconds.toFixed(2), rate(evaluations / seconds), ((seconds / evaluations) * 1e6).toFixed(2), ...stateCells(totals)]],
    ),
  );
  console.log(
    `related lookups (auditIfNotExists/deployIfNotExists whose if matched): ${count(related.lookups)}, ${count(related.found)} of them found a resource of the asked type in the asked scope`,
  );
  const applied = runs.filter((r) => r.states.notApplicable + r.states.disabled < resources);
  console.log(`definitions that apply to at least one resource: ${applied.length} of ${runs.length}`);

  const slowest = [...runs].sort((a, b) => b.seconds - a.seconds).slice(0, 10);
  console.log('\nslowest definitions (the whole pass over the tenant):\n');
  console.log(
    alignedTable(
      ['definition', 'effect', 'seconds', 'ns/evaluation', 'targeted', 'nonCompliant', 'error'],
      [false, false, true, true, true, true, true],
      slowest.map((r) => [
        r.file,
        r.effect,
        r.seconds.toFixed(3),
        rate((r.seconds / resources) * 1e9),
        count(resources - r.states.notApplicable - r.states.disabled),
        count(r.states.nonCompliant),
        count(r.states.error),
      ]),
    ),
  );
  const failing = runs.filter((r) => r.states.error > 0);
  if (failing.length) {
    console.log('\nevaluation errors (state error, never reported as compliant):');
    for (const r of failing)
      for (const [reason, e] of Object.entries(r.errors)) console.log(`  ${r.file}: ${count(e.count)} x ${reason}: ${e.example}`);
  }
  return { totals, evaluations };
};

const printHeadToHead = (rows: readonly HeadToHead[], repetitions: number) => {
  const geomean = Math.exp(rows.reduce((sum, r) => sum + Math.log(r.ratio), 0) / rows.length);
  const stateOnlyGeomean = Math.exp(rows.reduce((sum, r) => sum + Math.log(r.stateOnlyRatio), 0) / rows.length);
  const verdict = (ratio: number) => (ratio <= TARGET_RATIO ? 'MET' : 'MISSED');
  console.log('\n## Head-to-head: compiled definition vs hand-written TypeScript, same resources, same run');
  console.log('');
  console.log(
    alignedTable(
      ['rule', 'resources', 'targeted', 'nonCompliant', 'same verdict', 'engine evals/s', 'state-only evals/s', 'hand-written evals/s', 'engine / hand', 'state-only / hand', `target <= ${TARGET_RATIO}x`],
      [false, true, true, true, true, true, true, true, true, true, false],
      [
        ...rows.map((r) => [
          r.rule,
          count(r.resources),
          count(r.targeted),
          count(r.nonCompliant),
          count(r.agreed),
          rate(r.engineRate),
          rate(r.stateOnlyRate),
          rate(r.handRate),
          `${r.ratio.toFixed(1)}x`,
          `${r.stateOnlyRatio.toFixed(1)}x`,
          verdict(r.stateOnlyRatio),
        ]),
        ['geometric mean', '', '', '', '', '', '', '', `${geomean.toFixed(1)}x`, `${stateOnlyGeomean.toFixed(1)}x`, verdict(stateOnlyGeomean)],
      ],
    ),
  );
  for (const r of rows) console.log(`  ${r.rule}: ${r.definition}`);
  console.log(
    `evaluations/s: median of ${repetitions} samples after a warm-up pass; each sample repeats the pass over all resources until it lasts >= ${MIN_SAMPLE_SECONDS} s; the three take turns going first.`,
  );
  console.log(
    'engine: the verdict with its explanation (the deciding conditions), as findings carry it. state-only: `explain: false`, the same state and effect without the explanation, as the hand-written rules give it; the target is judged on this like-for-like figure.',
  );
  return stateOnlyGeomean;
};

// --- standards ---------------------------------------------------------------------------------------

interface StandardReport {
  readonly id: string;
  readonly title: string;
  readonly members: number;
  readonly automated: number;
  readonly assigned: number;
  readonly effects: Readonly<Record<string, number>>;
  readonly compileMs: number;
  readonly runs: readonly StandardRun[];
  readonly verified: { readonly resources: number; readonly deep: number; readonly seconds: number; readonly verdicts: StandardCounts };
}

/** Every `step`-th resource, so that a sample spans the whole tenant (types come in runs). */
const evenlySpaced = <T>(items: readonly T[], wanted: number): T[] => {
  if (items.length <= wanted) return [...items];
  const step = items.length / wanted;
  return Array.from({ length: wanted }, (_, i) => items[Math.floor(i * step)]);
};

const measureStandard = (id: string, tenant: Tenant, context: EvaluationContext): StandardReport => {
  log(`standard ${id}: compiling its automated members`);
  const set: StandardSet = loadStandard(id);
  const assigned = set.bind().length;
  const runs: StandardRun[] = [];
  for (const explain of [true, false]) {
    log(`  ${assigned} members x ${count(tenant.resources.length)} resources, ${explain ? 'explained' : 'state only'}: every member, then through the index`);
    runs.push(timeStandard(set, tenant.resources, context, explain, WARM_UP_RESOURCES));
  }
  const sample = evenlySpaced(tenant.resources, VERIFIED_RESOURCES);
  log(`  verifying the index on ${count(sample.length)} resources`);
  const started = process.hrtime.bigint();
  const verdicts = verifyIndexed(set, sample, context, DEEP_VERIFIED_RESOURCES);
  const verified = { resources: sample.length, deep: Math.min(DEEP_VERIFIED_RESOURCES, sample.length), seconds: secondsSince(started), verdicts };
  return { id, title: set.title, members: set.members, automated: set.members - set.notAutomated, assigned, effects: set.effects, compileMs: set.compileMs, runs, verified };
};

const printStandards = (reports: readonly StandardReport[], resources: number) => {
  console.log(`\n## Standards: the tenant against every automated member of a standard (${count(resources)} resources)`);
  console.log('');
  for (const r of reports)
    console.log(
      `${r.id}: ${r.title}: ${r.members} members, ${r.automated} automated (the rest manual or data-plane), ${r.assigned} compiled and bound in ${r.compileMs.toFixed(0)} ms; effects ${Object.entries(r.effects)
        .map(([e, n]) => `${e} ${n}`)
        .join(', ')}`,
    );
  console.log('');
  const seconds = (t: { seconds: number }) => t.seconds.toFixed(2);
  console.log(
    alignedTable(
      ['standard', 'verdicts', 'pairs', 's every member', 'evals/s every member', 's indexed', 'evals/s indexed', 'speed-up', 'answered from type', 'non-compliant'],
      [false, false, true, true, true, true, true, true, true, true],
      reports.flatMap((r) =>
        r.runs.map((run) => [
          r.id,
          run.explain ? 'explained' : 'state only',
          count(run.pairs),
          seconds(run.unindexed),
          rate(run.unindexed.perSecond),
          seconds(run.indexed),
          rate(run.indexed.perSecond),
          `${(run.unindexed.seconds / run.indexed.seconds).toFixed(1)}x`,
          percent(1 - run.coverage.evaluated / run.coverage.pairs),
          count(run.indexed.nonCompliant),
        ]),
      ),
    ),
  );
  for (const r of reports) {
    const v = r.verified.verdicts;
    console.log(
      `${r.id}: indexed and every-member verdicts agree on all ${count(r.verified.resources)} resources checked (${count(r.verified.resources * r.assigned)} pairs; state, effect, reason, disabled; deep-equal for the first ${count(r.verified.deep)}) in ${r.verified.seconds.toFixed(1)} s: ` +
        `${count(v.compliant)} compliant, ${count(v.nonCompliant)} non-compliant, ${count(v.notApplicable)} not applicable, ${count(v.disabled)} disabled, ${count(v.error)} error`,
    );
  }
  console.log(
    'A full evaluation: every automated member over every resource, one timed pass after a warm-up on the first ' +
      `${count(WARM_UP_RESOURCES)} resources. Every member: each resource evaluated by every member in turn. Indexed: indexAssignments, which evaluates only the members whose verdict the resource's type spelling and location class do not settle (answered from type: the share of pairs it does not evaluate). ` +
      'Members bound with the parameters the standard assigns by default; explained verdicts are what posture records.',
  );
};

// --- main --------------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-guardrails')
    .description('Rule engine throughput: every corpus definition over a synthetic tenant, five rules against hand-written TypeScript, and the tenant against all of MCSB and CIS')
    .option('--quick', 'a 10k-resource tenant, for a smoke run', false)
    .option('--resources <n>', 'resources in the tenant (default 100,000; 10,000 with --quick)', (v) => Number(v))
    .option('--repetitions <n>', 'timed samples per head-to-head side', (v) => Number(v), 5)
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; resources?: number; repetitions: number; json?: string }>();
  const resourceCount = opts.resources ?? (opts.quick ? 10_000 : 100_000);
  if (!Number.isInteger(resourceCount) || resourceCount < 1) throw new Error(`--resources must be a positive integer, not ${opts.resources}`);
  if (!Number.isInteger(opts.repetitions) || opts.repetitions < 1) throw new Error(`--repetitions must be a positive integer, not ${opts.repetitions}`);
  const mode = opts.quick ? 'quick' : 'full';
  const started = new Date();

  const { machine, busyAtStart, loadAtStart } = await machineHeader('Guardrails rule engine benchmark', mode, started);

  log(`generating ${count(resourceCount)} resources (seed ${SEED}, ${MISCONFIGURED * 100}% misconfigured) and normalising them`);
  const tenant = generate(resourceCount);
  const afterTenant = process.memoryUsage();
  console.log(
    `tenant: ${count(resourceCount)} synthetic resources of ${tenant.types} types (seed ${SEED}; ${count(tenant.misconfigured)} carry a misconfiguration), generated and normalised in ${tenant.seconds.toFixed(1)} s; RSS ${mib(afterTenant.rss)} MiB, heap ${mib(afterTenant.heapUsed)} MiB`,
  );

  log('compiling the corpus');
  const corpus = loadCorpus();
  const compiled = corpus.definitions.filter((d) => d.policy);
  const refused = corpus.definitions.filter((d) => d.refusal);
  const compileMs = compiled.reduce((sum, d) => sum + d.compileMs, 0);
  const slowestCompile = [...compiled].sort((a, b) => b.compileMs - a.compileMs)[0];
  console.log(
    `corpus: ${corpus.definitions.length} definitions, ${compiled.length} compiled in ${compileMs.toFixed(1)} ms (median ${median(compiled.map((d) => d.compileMs)).toFixed(2)} ms, slowest ${slowestCompile?.compileMs.toFixed(1)} ms: ${slowestCompile?.file}); ` +
      `alias table built once in ${(corpus.aliasSeconds * 1000).toFixed(0)} ms; reading and parsing the JSON ${(corpus.readSeconds * 1000).toFixed(0)} ms (not in the compile time)`,
  );
  for (const d of refused) console.log(`  refused: ${d.file}: ${d.refusal?.reason}`);

  const bindings = compiled.map(bindDefinition);
  const bound = bindings.filter((b): b is Bound => 'assignment' in b);
  for (const b of bindings) if (!('assignment' in b)) console.log(`  not bound: ${b.file}: ${b.refusal.reason}: ${b.refusal.message}`);
  const effects = new Map<string, number>();
  for (const b of bound) effects.set(b.assignment.effect, (effects.get(b.assignment.effect) ?? 0) + 1);
  const disabledDefaults = bound.filter((b) => b.note?.includes('default effect Disabled'));
  console.log(
    `bound ${bound.length} with default parameters; effects: ${[...effects].map(([e, n]) => `${e} ${n}`).join(', ')}; ` +
      (disabledDefaults.length ? `${disabledDefaults.length} defaulted to Disabled and were assigned an audit effect instead` : 'none defaults to Disabled, so no effect was changed'),
  );
  for (const b of bound) if (b.note) console.log(`  ${b.file}: ${b.note}`);

  const indexStart = process.hrtime.bigint();
  const related: RelatedIndex = buildRelatedIndex(tenant.resources);
  const indexSeconds = secondsSince(indexStart);
  console.log(
    `related-resource index: ${count(related.keys)} (scope, type) keys over ${count(resourceCount)} resources, built in ${(indexSeconds * 1000).toFixed(0)} ms ` +
      '(children and extensions by parent id, and by resource group and subscription, each with the lowercase type)',
  );
  const context: EvaluationContext = { related: related.lookup, now: started };

  log(`warm-up: ${bound.length} definitions over the first ${count(Math.min(WARM_UP_RESOURCES, resourceCount))} resources`);
  const warmUp = tenant.resources.slice(0, WARM_UP_RESOURCES);
  for (const b of bound) evaluateAll(b, warmUp, context);

  log(`engine run: ${bound.length} definitions x ${count(resourceCount)} resources = ${count(bound.length * resourceCount)} evaluations`);
  const relatedBefore = related.stats();
  const runs: DefinitionRun[] = [];
  const engineOthers = watchOtherCpu();
  const engineStart = process.hrtime.bigint();
  for (const b of bound) runs.push(evaluateAll(b, tenant.resources, context));
  const engineSeconds = secondsSince(engineStart);
  const othersDuringEngine = engineOthers();
  const relatedAfter = related.stats();
  const relatedRun = { lookups: relatedAfter.lookups - relatedBefore.lookups, found: relatedAfter.found - relatedBefore.found };
  log(`  ${engineSeconds.toFixed(1)} s`);
  const { totals, evaluations } = printEngine(runs, resourceCount, engineSeconds, relatedRun);

  log(`head-to-head: ${HAND_WRITTEN_RULES.length} rules, engine vs hand-written`);
  const rows: HeadToHead[] = [];
  const headToHeadOthers = watchOtherCpu();
  for (const rule of HAND_WRITTEN_RULES) {
    const b = bound.find((x) => x.file === rule.definition);
    if (!b) throw new Error(`the hand-written "${rule.name}" mirrors ${rule.definition}, which did not compile or bind`);
    rows.push(headToHead(rule, b, tenant, context, opts.repetitions));
  }
  const othersDuringHeadToHead = headToHeadOthers();
  const geomean = printHeadToHead(rows, opts.repetitions);

  const standardsOthers = watchOtherCpu();
  const standards = MEASURED_STANDARDS.map((id) => measureStandard(id, tenant, context));
  const othersDuringStandards = standardsOthers();
  printStandards(standards, resourceCount);

  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log('');
  console.log(`peak RSS (process maximum): ${maxRssMiB.toFixed(0)} MiB`);
  console.log(
    `CPU used by other processes, share of all ${os.cpus().length} CPUs: ${percent(othersDuringEngine)} during the engine run, ${percent(othersDuringHeadToHead)} during the head-to-head, ${percent(othersDuringStandards)} during the standards` +
      (Math.max(othersDuringEngine, othersDuringHeadToHead, othersDuringStandards) > 0.25 ? ' — NOTE: the machine was shared; expect noisy numbers.' : ''),
  );
  console.log(
    'The engine run evaluates definition by definition, each over every resource, with one context for all: the related-resource lookup and a fixed `now`; no resource group or subscription details (resourceGroup() knows only the name). ' +
      'Every evaluation builds the verdict with its explanation (deciding conditions), as the product needs it. Hand-written rules read the same snapshot objects.',
  );
  finishRun(started, opts.json, (loadAtEnd) => ({
    date: started.toISOString(),
    mode,
    machine,
    busyAtStart,
    loadAtStart,
    loadAtEnd,
    tenant: { resources: resourceCount, seed: SEED, misconfiguredShare: MISCONFIGURED, misconfigured: tenant.misconfigured, types: tenant.types, seconds: tenant.seconds },
    corpus: {
      definitions: corpus.definitions.length,
      compiled: compiled.length,
      refused: refused.map((d) => ({ file: d.file, reason: d.refusal?.reason })),
      compileMs,
      aliasTableMs: corpus.aliasSeconds * 1000,
      perDefinitionCompileMs: Object.fromEntries(compiled.map((d) => [d.file, d.compileMs])),
    },
    bindings: bound.map((b) => ({ file: b.file, effect: b.assignment.effect, note: b.note })),
    relatedIndex: { keys: related.keys, buildSeconds: indexSeconds, ...relatedRun },
    engine: { definitions: runs.length, evaluations, seconds: engineSeconds, evaluationsPerSecond: evaluations / engineSeconds, states: totals, perDefinition: runs },
    headToHead: { rows, geometricMeanRatio: geomean, target: TARGET_RATIO, met: geomean <= TARGET_RATIO },
    standards,
    maxRssMiB,
    otherCpuShare: { engine: othersDuringEngine, headToHead: othersDuringHeadToHead, standards: othersDuringStandards },
    sink,
  }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
