// Property-based fuzzing of the whole GraphQL API from its committed schema: every Query and
// Mutation field gets valid-shaped and hostile variables (fuzz/values.ts) from a mix of roles, over
// HTTP to the booted platform, and every answer must hold (fuzz/oracle.ts): no internal error or
// 5xx, no other tenant's data, nothing appended by a refusal or by a query, an answer in time;
// /health stays 200 and the projections keep up.
//
// Fixed seed (RAMPART_FUZZ_SEED) and bounded runs: per operation, a sweep (each input slot gets each
// headline value once: empty, whitespace, NUL, lone surrogates, 100 KB, deep JSON, impossible dates,
// bogus cursors, out-of-range ints) then 60-180 random inputs by its number of slots; about 7,000
// inputs, 1-2 minutes on two cores. The first failing input of an operation fails its test with the
// operation, role and variables. RAMPART_FUZZ_REPORT=<file> runs every input instead, cuts each
// distinct failure down to a minimal reproduction and writes them all to <file> (JSON).
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { startHarness, type Harness } from '../../testing/harness';
import { HOME, OTHER, TEAM, recordFixtures } from './fixtures';
import { answerOf, CALLERS, problemsOf, sendFuzz, truncateValue, type Caller, type Check, type Exchange, type Problem } from './oracle';
import { FuzzReport, normalizeCause, pathText, scrubInputs, type Repro } from './report';
import { fuzzOperations, loadCommittedSchema, smallDocument, type FuzzOperation } from './schema-walk';
import { applyMutations, canonicalVariables, optionalPaths, sweepOf, variablesArbitrary, withoutPath, type FuzzContext, type FuzzVariables, type Mutation } from './values';

const SEED = Number(process.env['RAMPART_FUZZ_SEED'] ?? 20261206);
/** Runs per operation grow with its input slots; RAMPART_FUZZ_RUNS fixes them, RAMPART_FUZZ_SCALE multiplies them. */
const FIXED_RUNS = process.env['RAMPART_FUZZ_RUNS'] ? Number(process.env['RAMPART_FUZZ_RUNS']) : undefined;
const SCALE = Number(process.env['RAMPART_FUZZ_SCALE'] ?? 1.5);
const runsFor = (op: FuzzOperation) =>
  FIXED_RUNS ?? Math.max(1, Math.round(SCALE * (op.slots.length === 0 ? 12 : Math.min(120, Math.max(40, 30 + 8 * op.slots.length)))));
const REPORT_FILE = process.env['RAMPART_FUZZ_REPORT'];
const SHRINK = process.env['RAMPART_FUZZ_SHRINK'] === '1';
/** RAMPART_FUZZ_TRACE=<file>: one line per request (operation, role, hostile values, answer), to see what the inputs reach. */
const TRACE_FILE = process.env['RAMPART_FUZZ_TRACE'];
const HEALTH_EVERY = 25;
/** Callers that may act in the home tenant (the analyst, the viewer and the auditor may do less). */
const ACTING = ['platform.admin', 'soc.lead@blue', 'customer.admin@contoso-bank'];

/** Queries first; offboarding last, as it ends the tenancies every other operation works in. */
const ORDER = (op: FuzzOperation) => (op.name === 'Mutation.offboardTenant' ? 2 : op.operationType === 'mutation' ? 1 : 0);
const ALL_OPERATIONS = fuzzOperations(loadCommittedSchema()).sort((a, b) => ORDER(a) - ORDER(b));

interface FuzzInput {
  /** home: one hostile value aimed past authorization; mixed: every caller, other tenants' ids, 0-2 hostile values. */
  readonly profile: 'home' | 'mixed';
  readonly caller: Caller;
  readonly vars: FuzzVariables;
}

interface Evaluated {
  readonly ex: Exchange;
  readonly problems: Problem[];
  /** Per check, what caused it: the server's own error for internal errors. */
  readonly causes: Map<Check, string>;
  readonly serverError?: string;
}

interface OperationStats {
  /** Of the inputs, the sweep's (each slot's headline values once). */
  swept: number;
  inputs: number;
  refused: number;
  accepted: number;
  failing: number;
  ms: number;
}

/**
 * The fuzz suite for the fields of one root type. Queries and mutations run as two test files, each
 * on its own booted platform, so that Jest can run them side by side on a machine's two cores.
 */
export const schemaFuzz = (root: 'Query' | 'Mutation'): void =>
describe(`schema fuzz: every ${root} field, hostile variables, every role`, () => {
  const OPERATIONS = ALL_OPERATIONS.filter((op) => op.name.startsWith(`${root}.`));
  let h: Harness;
  let ctx: FuzzContext;
  let sequence = 0;
  const known = new Set<string>([HOME, TEAM, OTHER]);
  const stats = new Map<string, OperationStats>();
  /** Resolver failures the API masked, by the correlation id it answered with. */
  const serverErrors = new Map<string, string>();
  const report = REPORT_FILE ? new FuzzReport(REPORT_FILE) : undefined;
  let projectionsStuck: string | undefined;
  const startedAt = Date.now();

  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '1000000' });
    // The API masks internal errors behind a correlation id and logs the cause: keep it for the report.
    const log = h.server.log as unknown as { error: (obj: unknown, ...rest: unknown[]) => void };
    const original = log.error.bind(log);
    log.error = (obj: unknown, ...rest: unknown[]) => {
      const entry = obj as { err?: Error; correlationId?: string } | undefined;
      if (entry?.correlationId && entry.err) {
        const frame = (entry.err.stack ?? '').split('\n').find((l) => /libs\/|apps\//.test(l) && !/node_modules/.test(l));
        serverErrors.set(entry.correlationId, `${entry.err.name}: ${entry.err.message}${frame ? ` @ ${frame.trim().replace(/^at /, '').replace(/.*\/(libs|apps)\//, '$1/')}` : ''}`);
      }
      original(obj, ...rest);
    };
    const admin = await h.token({ role: 'platform.admin' }, 'fuzz-setup@platform');
    const fixtures = await recordFixtures(h, admin);
    ctx = fixtures.ctx;
    if (fixtures.problems.length) process.stdout.write(`schema fuzz: fixture set-up problems:\n  ${fixtures.problems.join('\n  ')}\n`);
  }, 120_000);

  afterAll(async () => {
    if (!h) return;
    const lines = [...stats.entries()].map(([op, s]) => `  ${op.padEnd(34)} ${String(s.inputs).padStart(4)} inputs (${String(Math.min(s.swept, s.inputs)).padStart(3)} swept)  ${String(s.accepted).padStart(3)} accepted  ${String(s.refused).padStart(3)} refused  ${String(s.failing).padStart(3)} failing  ${(s.ms / 1000).toFixed(1).padStart(5)} s`);
    const total = [...stats.values()].reduce((n, s) => n + s.inputs, 0);
    const failing = [...stats.values()].reduce((n, s) => n + s.failing, 0);
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    process.stdout.write(`schema fuzz (seed ${SEED}, runs per operation ${FIXED_RUNS ?? `by its slots, scale ${SCALE}`}):\n${lines.join('\n')}\n  total: ${total} inputs over ${stats.size} operations (${sequence} requests, retries that cut failures down included), ${failing} failing, ${seconds} s\n`);
    if (report) {
      report.write({ seed: SEED, runsPerOperation: FIXED_RUNS ?? `by slots, scale ${SCALE}`, operations: stats.size, inputs: total, seconds: Number(seconds), perOperation: Object.fromEntries(stats), projectionsStuck });
      process.stdout.write(`schema fuzz: report written to ${REPORT_FILE}\n`);
    }
    await h.stop();
  });

  const health = async (): Promise<Problem | undefined> => {
    try {
      const res = await fetch(`${h.url}/health`, { signal: AbortSignal.timeout(10_000) });
      return res.status === 200 ? undefined : { check: 'health', detail: `/health answered ${res.status}: ${(await res.text()).slice(0, 200)}` };
    } catch (error) {
      return { check: 'health', detail: `/health did not answer: ${String(error)}` };
    }
  };

  /** Waits for the projections; stuck when they make no progress for 10 s (not merely slow). */
  const settle = async (): Promise<string | undefined> => {
    const { worker } = h.server;
    if (!worker) throw new Error('the harness runs standalone: a worker is expected');
    let last = '';
    let lastChange = Date.now();
    for (;;) {
      const statuses = await worker.statuses();
      if (statuses.every((s) => s.eventsBehind === 0)) return undefined;
      const now = statuses.map((s) => s.position).join(',');
      if (now !== last) {
        last = now;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > 10_000) {
        return statuses.filter((s) => s.eventsBehind > 0).map((s) => `${s.name} ${s.eventsBehind} behind at ${s.position}`).join('; ');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const evaluate = async (op: FuzzOperation, caller: Caller, variables: Record<string, unknown>, document = op.document): Promise<Evaluated> => {
    const subject = `fuzz-${++sequence}`;
    const token = await h.token(caller.grant, subject);
    const ex = await sendFuzz(h, { ...op, document }, variables, token, subject);
    const problems = problemsOf(op, caller, caller.reach, variables, ex, known);
    if (sequence % HEALTH_EVERY === 0) {
      const down = await health();
      if (down) problems.push(down);
    }
    const serverError = (ex.body?.errors ?? []).map((e) => serverErrors.get(String(e.extensions?.['correlationId']))).find(Boolean);
    const causes = new Map<Check, string>();
    for (const p of problems) {
      if (!causes.has(p.check)) causes.set(p.check, normalizeCause(scrubInputs(p.check === 'internal-error' && serverError ? serverError.split(' @ ')[0] : p.detail, variables)));
    }
    return { ex, problems, causes, serverError };
  };

  const describeFailure = (op: FuzzOperation, input: FuzzInput, variables: Record<string, unknown>, e: Evaluated) =>
    [
      `${op.name} as ${input.caller.label}`,
      `  hostile: ${input.vars.mutations.map((m) => `${pathText(m.path)} = ${m.label}`).join(', ') || 'none (valid-shaped variables)'}`,
      `  variables: ${JSON.stringify(truncateValue(variables))}`,
      `  answer: ${answerOf(e.ex)}`,
      ...(e.serverError ? [`  server error: ${e.serverError}`] : []),
      ...e.problems.map((p) => `  FAILED ${p.check}: ${p.detail}`),
      `  document: ${op.document.length > 400 ? `${op.document.slice(0, 400)}…` : op.document}`,
    ].join('\n');

  /** Cuts a failure down: which hostile value fails alone, on the simplest variables, with the smallest document. */
  const minimize = async (op: FuzzOperation, caller: Caller, vars: FuzzVariables, check: Check, cause: string): Promise<{ culprit: string; repro?: Repro }> => {
    const same = (e: Evaluated) => e.causes.has(check) && (check !== 'internal-error' || e.causes.get(check) === cause);
    const attempt = async (variables: Record<string, unknown>, document?: string) => (report !== undefined && report.spend(1) ? same(await evaluate(op, caller, variables, document)) : false);
    const repro = (variables: Record<string, unknown>, how: string, reproduced: boolean, document = op.document): Repro => ({
      query: document,
      variables: truncateValue(variables, 200),
      role: caller.label,
      how,
      reproduced,
    });
    const cut = async (variables: Record<string, unknown>, keep: string[], how: string): Promise<Repro> => {
      let current = variables;
      for (const path of optionalPaths(op, current, keep)) {
        const without = withoutPath(current, path);
        if (await attempt(without)) current = without;
      }
      const small = smallDocument(op, current);
      if (small && (await attempt(current, small))) return repro(current, `${how}, smallest document`, true, small);
      return repro(current, how, true);
    };
    const single = async (baseline: Record<string, unknown>, m: Mutation) => applyMutations({ baseline, mutations: [m] });
    const canonical = canonicalVariables(op, ctx);
    for (const m of vars.mutations) {
      const v = await single(canonical, m);
      if (await attempt(v)) return { culprit: pathText(m.path), repro: await cut(v, [pathText(m.path)], `${m.label} alone on the simplest valid variables`) };
    }
    for (const m of vars.mutations) {
      const v = await single(vars.baseline, m);
      if (await attempt(v)) return { culprit: pathText(m.path), repro: await cut(v, [pathText(m.path)], `${m.label} alone on the generated valid variables`) };
    }
    if (await attempt(vars.baseline)) return { culprit: 'baseline', repro: await cut(vars.baseline, [], 'valid-shaped variables alone') };
    const paths = vars.mutations.map((m) => pathText(m.path)).join('+') || 'baseline';
    return { culprit: paths, repro: repro(applyMutations(vars), 'the generated input (not reproduced when cut down)', false) };
  };

  it(`walks every ${root} field of the running API`, () => {
    const api = h.server.api;
    if (!api) throw new Error('the harness runs standalone: an API is expected');
    const running = api.schema;
    const names = Object.keys((running.getType(root) as { getFields(): object } | undefined)?.getFields() ?? {}).map((f) => `${root}.${f}`);
    expect(names.length).toBeGreaterThan(0);
    expect(OPERATIONS.map((o) => o.name).sort()).toEqual(names.sort());
  });

  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s holds for hostile variables from every role', async (_name, op) => {
    const s: OperationStats = { swept: 0, inputs: 0, refused: 0, accepted: 0, failing: 0, ms: 0 };
    stats.set(op.name, s);
    const started = Date.now();
    const accepted: string[] = [];
    // Most inputs aim one hostile value at the deep code: home tenant ids, callers allowed to act
    // there. The rest mix every caller with other tenants' and made-up ids, and zero to two hostile values.
    const homeCtx: FuzzContext = { ...ctx, profile: 'home' };
    const withToString = (input: Omit<FuzzInput, 'toString'>): FuzzInput =>
      Object.assign({ profile: input.profile, caller: input.caller, vars: input.vars }, { [fc.toStringMethod]: () => `${input.caller.label} ${JSON.stringify(truncateValue(applyMutations(input.vars)))}` });
    // First the sweep (fast-check's examples): every slot gets each headline value once, from the
    // callers that may act; then the random inputs.
    const acting = CALLERS.filter((c) => ACTING.includes(c.label));
    const sweep = sweepOf(op, ctx, SEED).map((vars, i): [FuzzInput] => [withToString({ profile: 'home', caller: acting[i % acting.length], vars })]);
    const arbitrary = fc
      .oneof(
        { weight: 7, arbitrary: fc.record({ profile: fc.constant('home' as const), caller: fc.constantFrom(...acting), vars: variablesArbitrary(op, homeCtx, 'one') }) },
        { weight: 4, arbitrary: fc.record({ profile: fc.constant('mixed' as const), caller: fc.constantFrom(...CALLERS), vars: variablesArbitrary(op, ctx, 'any') }) },
      )
      // fast-check prints a counterexample with this: the role and the variables, shortened.
      .map(withToString);
    s.swept = sweep.length;
    try {
      await fc.assert(
        fc.asyncProperty(arbitrary, async (input) => {
          const variables = applyMutations(input.vars);
          const e = await evaluate(op, input.caller, variables);
          s.inputs++;
          if (TRACE_FILE) {
            const hostile = input.vars.mutations.map((m) => `${pathText(m.path)}=${m.label}`).join(',') || '-';
            appendFileSync(TRACE_FILE, `${op.name}\t${input.profile}\t${input.caller.label}\t${hostile}\t${e.ex.ms}ms\t${answerOf(e.ex)}\n`);
          }
          if (e.ex.rejected) s.refused++;
          else {
            s.accepted++;
            if (input.vars.mutations.length) accepted.push(`${input.caller.label}: ${input.vars.mutations.map((m) => `${pathText(m.path)}=${m.label}`).join(', ')}`);
            if (op.name === 'Mutation.onboardTenant' && typeof variables['input'] === 'object') known.add(String((variables['input'] as { tenantId?: unknown }).tenantId));
          }
          if (e.problems.length === 0) return;
          s.failing++;
          if (!report) throw new Error(describeFailure(op, input, variables, e));
          const mutations = input.vars.mutations.map((m) => ({ path: pathText(m.path), label: m.label }));
          for (const p of e.problems) {
            await report.record(
              { operation: op.name, role: input.caller.label, check: p.check, detail: p.detail, mutations, variables: truncateValue(variables, 400), answer: answerOf(e.ex), serverError: p.check === 'internal-error' ? e.serverError : undefined },
              e.causes.get(p.check) ?? normalizeCause(p.detail),
              input.vars.mutations,
              (check, cause) => minimize(op, input.caller, input.vars, check, cause),
            );
          }
        }),
        { seed: SEED, numRuns: sweep.length + runsFor(op), examples: sweep, endOnFailure: !SHRINK },
      );
    } finally {
      s.ms = Date.now() - started;
    }
    // After the operation: the API is up and the projections keep up with what it accepted.
    const down = await health();
    const stuck = projectionsStuck ? undefined : await settle();
    if (stuck) projectionsStuck = `after ${op.name}: ${stuck}`;
    const after: Problem[] = [...(down ? [down] : []), ...(stuck ? [{ check: 'projections-stuck' as const, detail: `${stuck}; accepted hostile inputs: ${accepted.slice(0, 10).join(' | ') || 'none'}` }] : [])];
    if (after.length && report) {
      for (const p of after) {
        await report.record({ operation: op.name, role: '-', check: p.check, detail: p.detail, mutations: [], variables: {}, answer: '-' }, normalizeCause(p.detail), [], async () => ({ culprit: 'after the operation' }));
      }
    } else if (after.length) {
      throw new Error(`${op.name}: ${after.map((p) => `${p.check}: ${p.detail}`).join('\n')}`);
    }
  }, 180_000);

  it('leaves /health answering 200', async () => {
    expect(await health()).toBeUndefined();
  });
});
