// The rule engine against an earlier copy of itself, in one process over one tenant. First the
// verdicts: for every corpus definition and resource, explained verdicts must be deep-equal, and each
// `explain: false` verdict must be the explained one without its conditions (state-only first, on a
// fresh assignment, as a bulk scorer runs). Then the five head-to-head rules, timed with the
// hand-written rule and both engines, state-only and explained, taking turns; optionally the corpus
// pass. On a shared machine two processes differ by more than what is measured; turns in one do not.
// See docs/performance-guardrails.md.
//
//   mkdir -p tmp/guardrails-baseline && git archive HEAD libs/guardrails | tar -x -C tmp/guardrails-baseline
//   node tools/bin/run-ts.js tools/bench/guardrails/compare-engines.ts --baseline tmp/guardrails-baseline
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Command } from 'commander';
import { compilePolicy, type EvaluationContext, type PolicyAssignment, type PolicyResource, type Verdict } from '@rampart/guardrails';
import { normaliseArmResource, type ResourceSnapshot } from '@rampart/inventory';
import { generateTenant } from '../../generate/synthetic-tenant';
import { median } from '../event-store/report';
import { alignedTable } from '../shared';
import { ASSIGNMENT_VALUES, CORPUS_DIR, listDefinitions, percent, watchOtherCpu } from './corpus';
import { HAND_WRITTEN_RULES } from './hand-written';
import { buildRelatedIndex } from './related-index';

type Engine = { readonly compilePolicy: typeof compilePolicy };

/** A timed sample repeats the pass until it lasts at least this long. */
const MIN_SAMPLE_SECONDS = 0.25;

let sink = 0;
const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const log = (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

const bindAll = (engine: Engine, files: readonly string[]) =>
  files.flatMap((file) => {
    const compiled = engine.compilePolicy(JSON.parse(readFileSync(path.join(CORPUS_DIR, file), 'utf8')));
    if (!compiled.ok) return [];
    const bound = compiled.policy.bind(ASSIGNMENT_VALUES[file] ?? {});
    return bound.ok ? [{ file, assignment: bound.assignment }] : [];
  });

const withoutConditions = (v: Verdict): Verdict => ({ ...v, explanation: { ...v.explanation, conditions: [] } });

const verify = (baseline: Engine, files: readonly string[], resources: readonly PolicyResource[], context: EvaluationContext) => {
  const quiet = { ...context, explain: false };
  const current = bindAll({ compilePolicy }, files);
  const earlier = new Map(bindAll(baseline, files).map((b) => [b.file, b.assignment]));
  if (current.length !== earlier.size) throw new Error(`${current.length} definitions bind now, ${earlier.size} in the baseline`);
  for (const { file, assignment } of current) {
    const before = earlier.get(file);
    if (!before) throw new Error(`${file} binds now, not in the baseline`);
    const stateOnly = resources.map((r) => assignment.evaluate(r, quiet));
    resources.forEach((resource, i) => {
      const expected = before.evaluate(resource, context);
      const explained = assignment.evaluate(resource, context);
      const problem = !isDeepStrictEqual(explained, expected)
        ? 'explained'
        : !isDeepStrictEqual(stateOnly[i], withoutConditions(expected)) || !isDeepStrictEqual(assignment.evaluate(resource, quiet), withoutConditions(expected))
          ? 'state-only'
          : undefined;
      if (problem)
        throw new Error(`${file}, ${resource.id}: the ${problem} verdict differs from the baseline's\nnow: ${JSON.stringify(explained)}\nbaseline: ${JSON.stringify(expected)}`);
    });
  }
  return current.length * resources.length;
};

/** Evaluations per second of `pass` over `n` resources: median of `rounds` samples, the variants taking turns going first. */
const timeInTurns = (variants: Record<string, () => number>, n: number, rounds: number): Record<string, number> => {
  const names = Object.keys(variants);
  const times = Object.fromEntries(
    names.map((name) => {
      const start = process.hrtime.bigint();
      sink += variants[name]();
      return [name, Math.max(1, Math.ceil(MIN_SAMPLE_SECONDS / Math.max(secondsSince(start), 1e-6)))];
    }),
  );
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const start = process.hrtime.bigint();
      for (let i = 0; i < times[name]; i++) sink += variants[name]();
      samples[name].push((n * times[name]) / secondsSince(start));
    }
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
};

const pass = (assignment: PolicyAssignment, resources: readonly PolicyResource[], context: EvaluationContext) => () => {
  let nonCompliant = 0;
  for (const resource of resources) if (assignment.evaluate(resource, context).state === 'nonCompliant') nonCompliant++;
  return nonCompliant;
};

const main = async () => {
  const program = new Command()
    .name('compare-engines')
    .requiredOption('--baseline <dir>', 'a directory holding the earlier libs/guardrails (e.g. extracted with git archive)')
    .option('--resources <n>', 'resources in the tenant', (v) => Number(v), 100_000)
    .option('--rounds <n>', 'timed samples per variant', (v) => Number(v), 9)
    .option('--verify-resources <n>', 'resources whose verdicts are compared for every definition (0: none)', (v) => Number(v), 30_000)
    .option('--corpus', 'also time the pass of every definition over the tenant', false)
    .parse(process.argv);
  const opts = program.opts<{ baseline: string; resources: number; rounds: number; verifyResources: number; corpus: boolean }>();
  const baseline = (await import(path.resolve(opts.baseline, 'libs', 'guardrails', 'src', 'rule-engine', 'policy.ts'))) as Engine;

  log(`generating ${opts.resources} resources`);
  const snapshots: ResourceSnapshot[] = [];
  for (const raw of generateTenant({ seed: 1, resources: opts.resources, misconfiguredShare: 0.2 })) {
    const normalised = normaliseArmResource(raw);
    if (normalised.ok) snapshots.push(normalised.resource);
  }
  const resources = snapshots as unknown as readonly PolicyResource[];
  const context: EvaluationContext = { related: buildRelatedIndex(resources).lookup, now: new Date('2026-11-29T00:00:00Z') };
  const quiet: EvaluationContext = { ...context, explain: false };
  const files = listDefinitions(CORPUS_DIR).map((file) => path.relative(CORPUS_DIR, file).split(path.sep).join('/'));

  if (opts.verifyResources > 0) {
    const start = process.hrtime.bigint();
    log(`comparing verdicts over ${Math.min(opts.verifyResources, resources.length)} resources`);
    const pairs = verify(baseline, files, resources.slice(0, opts.verifyResources), context);
    console.log(`verdicts: ${pairs.toLocaleString('en-US')} (definition, resource) pairs the same as the baseline's, explained and state-only (${secondsSince(start).toFixed(1)} s)`);
  }

  // Every definition over the tenant first, with both engines, as the benchmark's engine pass does:
  // code shared by all rules then runs in the state the product keeps it in.
  const current = bindAll({ compilePolicy }, files);
  const earlier = bindAll(baseline, files);
  log('every definition over the tenant with both engines (warm-up)');
  for (const { assignment } of [...current, ...earlier]) sink += pass(assignment, resources, context)();

  if (opts.corpus) {
    const others = watchOtherCpu();
    const run = (bound: typeof current, ctx: EvaluationContext) => () => {
      for (const { assignment } of bound) sink += pass(assignment, resources, ctx)();
      return 0;
    };
    const rates = timeInTurns(
      { 'baseline explained': run(earlier, context), 'now explained': run(current, context), 'baseline state-only': run(earlier, quiet), 'now state-only': run(current, quiet) },
      current.length * resources.length,
      opts.rounds,
    );
    console.log(`\ncorpus pass, ${current.length} definitions x ${resources.length.toLocaleString('en-US')} resources (median of ${opts.rounds}; other processes used ${percent(others())} of the CPUs):\n`);
    console.log(alignedTable(['', 'seconds', 'evaluations/s'], [false, true, true], Object.entries(rates).map(([name, rate]) => [name, ((current.length * resources.length) / rate).toFixed(2), Math.round(rate).toLocaleString('en-US')])));
  }

  const others = watchOtherCpu();
  const rows: string[][] = [];
  const ratios: number[][] = [[], [], [], []];
  for (const rule of HAND_WRITTEN_RULES) {
    log(`head-to-head: ${rule.name}`);
    const now = current.find((b) => b.file === rule.definition)?.assignment;
    const before = earlier.find((b) => b.file === rule.definition)?.assignment;
    if (!now || !before) throw new Error(`${rule.definition} does not bind`);
    const hand = () => {
      let nonCompliant = 0;
      for (const snapshot of snapshots) if (rule.evaluate(snapshot) === 'nonCompliant') nonCompliant++;
      return nonCompliant;
    };
    const rates = timeInTurns(
      { hand, 'baseline state-only': pass(before, resources, quiet), 'now state-only': pass(now, resources, quiet), 'baseline explained': pass(before, resources, context), 'now explained': pass(now, resources, context) },
      resources.length,
      opts.rounds,
    );
    const ratio = ['baseline state-only', 'now state-only', 'baseline explained', 'now explained'].map((name) => rates.hand / rates[name]);
    ratio.forEach((r, i) => ratios[i].push(r));
    rows.push([rule.name, Math.round(rates.hand).toLocaleString('en-US'), ...ratio.map((r) => `${r.toFixed(2)}x`)]);
  }
  const geomean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
  rows.push(['geometric mean', '', ...ratios.map((r) => `${geomean(r).toFixed(2)}x`)]);
  console.log(`\nhead-to-head, engine time / hand-written time (median of ${opts.rounds} samples each; other processes used ${percent(others())} of the CPUs):\n`);
  console.log(alignedTable(['rule', 'hand-written evals/s', 'baseline state-only', 'now state-only', 'baseline explained', 'now explained'], [false, true, true, true, true, true], rows));
  console.log(`(sink ${sink % 10})`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`compare-engines failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
