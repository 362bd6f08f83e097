// API benchmark: requests per second and latency of three requests the console sends (the first
// page of 10,000 tenants; a SOC analyst's queue of open incidents across 200 tenants with SLA state;
// a tenant's posture with per-control scores) through the whole Rampart API (authentication, rate
// limiting, request context, authorization, query limits, the read models) on PGlite and
// PostgreSQL (standalone, then as an API replica with the worker in a process of its own), beside
// a bare @apollo/server answering the same shapes from memory. Not a test: it prints a table
// (stdout) and progress (stderr). See docs/performance-api.md.
//
//   node tools/bin/run-ts.js tools/bench/api/main.ts                full run (about 8 minutes)
//   node tools/bin/run-ts.js tools/bench/api/main.ts --quick        smoke run, 3 s per target
//   node tools/bin/run-ts.js tools/bench/api/main.ts --no-postgres --json tmp/bench-api.json
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { answerCacheOf } from '@rampart/platform';
import { startHarness, type Harness } from '@rampart/server/testing';
import { startBareServer } from './bare-server';
import { measure, stopLoad, type LoadResult, type LoadSettings } from './load';
import { errorCount, formatTable, type TargetRow } from './report';
import { SHAPES, structureOf, type Shape, type ShapeName } from './shapes';
import { EXTRA_SOC_TENANTS, RESOURCES_PER_TENANT, seedWorkload, WORKLOAD_TENANTS, type WorkloadSummary } from './workload';
import { appendTenants, countDirectoryRows, bareTenants, seedTenants, TENANT_COUNT as DEFAULT_TENANT_COUNT, waitForProjections } from './seed';
import { alignedTable, cpuBusyFraction, errorText, finishRun, machineHeader, maskUrl } from '../shared';
import { Profiler, type LayerRow } from './profile';

type Target = 'bare' | 'bare-again' | 'pglite' | 'postgres' | 'postgres-replica';
type BareTarget = 'bare' | 'bare-again';
type RampartTarget = Exclude<Target, BareTarget>;
const isBare = (target: Target): target is BareTarget => target === 'bare' || target === 'bare-again';

const TARGET_NAMES: Record<Target, string> = {
  bare: 'bare @apollo/server (in-memory, no auth)',
  'bare-again': 'bare @apollo/server, again after PostgreSQL',
  pglite: 'Rampart API on PGlite',
  postgres: 'Rampart API on PostgreSQL',
  'postgres-replica': 'Rampart API replica on PostgreSQL',
};

/** Issue 20's goals: Rampart's req/s over the bare server's, per shape. */
const GOALS: Record<RampartTarget, number> = { postgres: 0.85, 'postgres-replica': 0.85, pglite: 0.6 };

const SETTINGS: Record<'full' | 'quick', LoadSettings> = {
  full: { connections: 10, warmupSeconds: 3, seconds: 10 },
  quick: { connections: 10, warmupSeconds: 1, seconds: 3 },
};

/** Above anything one run can send, so the per-principal limiter never answers 429 (the config allows at most 1,000,000). */
const RATE_LIMIT_PER_MINUTE = '1000000';
const BENCH_DATABASE = 'rampart_bench';
const ROOT = path.join(__dirname, '..', '..', '..');
const APPLICATION_NAME = 'rampart-api-bench';
/**
 * Appends in flight while seeding. PGlite is one connection and runs them one after another, but
 * with a few queued the projection worker applies them in batches instead of one by one (~1.5x).
 */
const SEED_CONCURRENCY: Record<'pglite' | 'postgres', number> = { pglite: 4, postgres: 8 };

class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

const run: { interrupted: boolean; profiler?: Profiler; profileDir?: string } = { interrupted: false };
/** The directory's size: 10,000 unless --tenants says otherwise (a smaller one seeds faster while profiling). */
let TENANT_COUNT = DEFAULT_TENANT_COUNT;
const checkpoint = (): void => {
  if (run.interrupted) throw new Interrupted();
};

/** Stops servers and drops the bench database, newest first; each runs once, also on Ctrl-C. */
const cleanups: { label: string; fn: () => Promise<void> }[] = [];
const onCleanup = (label: string, fn: () => Promise<void>): (() => Promise<void>) => {
  const entry = { label, fn };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i < 0) return;
    cleanups.splice(i, 1);
    await fn();
  };
};
const cleanUpAll = async (): Promise<void> => {
  for (let entry = cleanups.pop(); entry; entry = cleanups.pop()) {
    await entry.fn().catch((error: unknown) => process.stderr.write(`could not ${entry?.label}: ${errorText(error)}\n`));
  }
};

const progress = (target: Target) => (message: string) =>
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] [${target}] ${message}\n`);

/** One request before the load: the answer must be a full one; it is kept to compare targets and to feed the bare server. */
const firstAnswer = async (url: string, headers: Record<string, string>, shape: Shape): Promise<{ answer: unknown; bytes: number }> => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(shape.request),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors?.length || !body.data?.[shape.field]) {
    throw new Error(`${shape.name}: ${url}/graphql answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  const problem = shape.problem(body.data[shape.field]);
  if (problem) throw new Error(`${shape.name}: ${problem}`);
  return { answer: body.data[shape.field], bytes: Buffer.byteLength(text) };
};

interface ShapeReport {
  readonly shape: ShapeName;
  readonly cpuBusyBefore: number;
  readonly responseBytes: number;
  /** Same data as the bare server's (tenants; the others are served from this target's own answers), or the same structure (another store). */
  readonly sameAnswerAsBare?: boolean;
  readonly result: LoadResult;
  /** With --profile: the main thread's CPU per request, by layer, from a separate run. */
  readonly profile?: LayerRow[];
}

interface TargetReport {
  readonly target: Target;
  readonly name: string;
  readonly skipped?: string;
  readonly store?: string;
  readonly seedSeconds?: number;
  readonly projectionWaitSeconds?: number;
  readonly workload?: WorkloadSummary;
  readonly shapes: ShapeReport[];
}

const loadShape = async (
  target: Target,
  url: string,
  headers: Record<string, string>,
  shape: Shape,
  settings: LoadSettings,
): Promise<{ result: LoadResult; cpuBusyBefore: number; profile?: LayerRow[] }> => {
  const log = progress(target);
  const cpuBusyBefore = await cpuBusyFraction(1_000);
  log(`${shape.name}: CPU busy before: ${Math.round(cpuBusyBefore * 100)}%; load: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s`);
  checkpoint();
  const result = await measure(url, headers, shape.request, settings);
  // Requests cut off when the run ended are still in the server; let them finish before the next.
  await new Promise((resolve) => setTimeout(resolve, 500));
  checkpoint();
  log(`${shape.name}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ${errorCount(result)} errors`);
  let profile: LayerRow[] | undefined;
  if (run.profiler) {
    // A run of its own: sampling slows the server, so the measured figures above are without it.
    await run.profiler.start();
    const profiled = await measure(url, headers, shape.request, { ...settings, warmupSeconds: 0 });
    profile = await run.profiler.stop(profiled.requests, run.profileDir ? path.join(run.profileDir, `${target}-${shape.name}.cpuprofile`) : undefined);
    await new Promise((resolve) => setTimeout(resolve, 500));
    log(`${shape.name}: profiled ${profiled.requests} requests: ${profile.slice(0, 4).map((p) => `${p.layer.split(' (')[0]} ${p.msPerRequest.toFixed(2)} ms`).join(', ')}`);
  }
  return { result, cpuBusyBefore, profile };
};

/**
 * The bare server, measured once after PGlite and again after PostgreSQL: each Rampart row is
 * compared with the bare window nearest it in time, as the machine drifts over a run of minutes.
 */
const runBare = async (
  settings: LoadSettings,
  answers: ReadonlyMap<ShapeName, unknown>,
  target: BareTarget = 'bare',
): Promise<{ report: TargetReport; answers: Map<ShapeName, unknown> }> => {
  const log = progress(target);
  const bare = await startBareServer(bareTenants(seedTenants(TENANT_COUNT), new Date().toISOString()), {
    incidents: answers.get('socQueue'),
    complianceScore: answers.get('posture'),
  });
  const stop = onCleanup('stop the bare server', () => bare.stop());
  try {
    log(`listening on ${bare.url}/graphql with ${TENANT_COUNT.toLocaleString('en-US')} tenants and the heavier shapes' answers in memory`);
    const shapes: ShapeReport[] = [];
    const own = new Map<ShapeName, unknown>();
    for (const shape of SHAPES) {
      const { answer, bytes } = await firstAnswer(bare.url, {}, shape);
      own.set(shape.name, answer);
      const { result, cpuBusyBefore, profile } = await loadShape(target, bare.url, {}, shape, settings);
      shapes.push({ shape: shape.name, cpuBusyBefore, responseBytes: bytes, result, profile });
    }
    return { report: { target, name: TARGET_NAMES[target], shapes }, answers: own };
  } finally {
    await stop();
  }
};

/**
 * Boots the platform, seeds it, and loads each shape. `compareWith`: the answers of a run before
 * (equal data for the tenants page, equal structure for the rest, whose times and ids differ).
 */
const runRampart = async (
  target: 'pglite' | 'postgres',
  env: Record<string, string>,
  settings: LoadSettings,
  compareWith: ReadonlyMap<ShapeName, unknown> | undefined,
): Promise<{ reports: TargetReport[]; answers: Map<ShapeName, unknown> }> => {
  const log = progress(target);
  log('booting the standalone platform (API + worker)');
  const harness: Harness = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: RATE_LIMIT_PER_MINUTE, RAMPART_LOG_LEVEL: 'silent', ...env });
  const stop = onCleanup(`stop the ${target} platform`, () => harness.stop());
  try {
    checkpoint();
    const store = harness.server.stores.description.replace(/\(.*\)/, '').trim();
    const worker = harness.server.worker;
    if (!worker) throw new Error('the standalone platform has no worker');
    log(`seeding ${TENANT_COUNT.toLocaleString('en-US')} tenants (${SEED_CONCURRENCY[target]} appends in flight)`);
    const directory = seedTenants(TENANT_COUNT);
    const seedSeconds = await appendTenants(harness.server.stores.eventStore, directory, { concurrency: SEED_CONCURRENCY[target], progress: log, run });
    checkpoint();
    log(`seeded in ${seedSeconds.toFixed(1)} s; waiting for the tenant directory projection`);
    const projectionWaitSeconds = await waitForProjections(worker, { timeoutSeconds: 180, progress: log, run });
    await harness.settled();
    checkpoint();
    const rows = await countDirectoryRows(harness.server.stores.readModels);
    if (rows !== TENANT_COUNT) throw new Error(`the tenant directory holds ${rows} bench tenants, expected ${TENANT_COUNT}`);
    log(`tenant directory has all ${rows.toLocaleString('en-US')} bench tenants (projection caught up ${projectionWaitSeconds.toFixed(1)} s after the last append)`);
    log(`seeding the workload: ${WORKLOAD_TENANTS} tenants x ${RESOURCES_PER_TENANT} resources, evaluated and with incidents`);
    const workload = await seedWorkload(harness.server.stores, worker, directory, { progress: log, run });
    checkpoint();
    log(`workload settled in ${workload.seconds.toFixed(1)} s: ${workload.resources.toLocaleString('en-US')} resources, ${workload.complianceRows.toLocaleString('en-US')} verdicts, ${workload.incidents} incidents`);

    const answers = new Map<ShapeName, unknown>();
    const shapes = await loadShapes(target, harness, settings, compareWith, answers);
    const report: TargetReport = { target, name: TARGET_NAMES[target], store, seedSeconds, projectionWaitSeconds, workload, shapes };
    if (target === 'pglite') return { reports: [report], answers };
    // As PostgreSQL is deployed (docker-compose.yml): the API a process of its own, the worker
    // beside it in another, on the data just measured.
    log('stopping the worker in this process; starting one in a process of its own');
    await worker.stop();
    const child = await startWorkerProcess(env, log);
    const stopChild = onCleanup('stop the worker process', () => child.stop());
    try {
      const replica = await loadShapes('postgres-replica', harness, settings, compareWith, new Map());
      return { reports: [report, { target: 'postgres-replica', name: TARGET_NAMES['postgres-replica'], store, workload, shapes: replica }], answers };
    } finally {
      await stopChild();
    }
  } finally {
    log('stopping the platform');
    await stop();
  }
};

/** Every shape against the harness's API: its first answer checked (and kept in `answers`), then the load. */
const loadShapes = async (
  target: RampartTarget,
  harness: Harness,
  settings: LoadSettings,
  compareWith: ReadonlyMap<ShapeName, unknown> | undefined,
  answers: Map<ShapeName, unknown>,
): Promise<ShapeReport[]> => {
  const log = progress(target);
  const shapes: ShapeReport[] = [];
  for (const shape of SHAPES) {
    const headers = { authorization: `Bearer ${await harness.token(shape.grant, `bench-${shape.name}`)}` };
    const { answer, bytes } = await firstAnswer(harness.url, headers, shape);
    answers.set(shape.name, answer);
    const before = compareWith?.get(shape.name);
    const sameAnswerAsBare =
      before === undefined ? undefined : shape.name === 'tenants' ? JSON.stringify(answer) === JSON.stringify(before) : JSON.stringify(structureOf(answer)) === JSON.stringify(structureOf(before));
    if (sameAnswerAsBare === false) log(`NOTE: the ${shape.name} answer differs from the bare server's`);
    const cache = answerCacheOf(harness.server.stores).stats;
    const kept = { ...cache };
    const { result, cpuBusyBefore, profile } = await loadShape(target, harness.url, headers, shape, settings);
    log(`${shape.name}: kept answers served ${cache.hits - kept.hits}, computed ${cache.misses - kept.misses}`);
    shapes.push({ shape: shape.name, cpuBusyBefore, responseBytes: bytes, sameAnswerAsBare, result, profile });
  }
  return shapes;
};

/**
 * `rampart worker` in a child process on the bench database, its log kept for an error message.
 * Ready once it says it started; stopped with SIGTERM (SIGKILL after 10 s).
 */
const startWorkerProcess = async (env: Record<string, string>, log: (message: string) => void): Promise<{ stop(): Promise<void> }> => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-api-bench-worker-'));
  const child = spawn(process.execPath, [path.join(ROOT, 'tools', 'bin', 'rampart.js'), 'worker'], {
    cwd: ROOT,
    env: { ...(process.env as Record<string, string>), ...env, RAMPART_DATA_DIR: dataDir, RAMPART_LOG_LEVEL: 'info', RAMPART_INGEST_INTERVAL_MINUTES: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let partitionsTaken = 0;
  child.stdout.on('data', (chunk) => {
    // pino writes a line at a time: a message is never split across chunks
    partitionsTaken += String(chunk).split('"partition taken"').length - 1;
    output = (output + String(chunk)).slice(-20_000);
  });
  child.stderr.on('data', (chunk) => (output = (output + String(chunk)).slice(-20_000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (!output.includes('worker started')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the worker process did not start:\n${output.slice(-2_000)}`);
    }
    checkpoint();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // It takes the tenant partitions of its process managers one after another (each then reads
  // from its checkpoint): measured once it has taken some and taken none for 5 s, the steady
  // state it keeps while idle.
  const taken = () => partitionsTaken;
  let last = taken();
  let quietSince = Date.now();
  while (last === 0 || Date.now() - quietSince < 5_000) {
    if (child.exitCode !== null || Date.now() > deadline + 60_000) {
      await stop();
      throw new Error(`the worker process did not settle:\n${output.slice(-2_000)}`);
    }
    checkpoint();
    await new Promise((resolve) => setTimeout(resolve, 200));
    if (taken() !== last) {
      last = taken();
      quietSince = Date.now();
    }
  }
  log(`worker process ${child.pid} running, ${last} partitions taken`);
  return { stop };
};

/**
 * A database of its own for the run (the test database stays untouched), dropped at the end.
 * Returns its URL, or why PostgreSQL is skipped.
 */
const createBenchDatabase = async (adminUrl: string): Promise<{ url: string } | { skipped: string }> => {
  const log = progress('postgres');
  const admin = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000, application_name: APPLICATION_NAME });
  try {
    await admin.connect();
    await admin.query('SELECT 1');
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { skipped: `the server at ${maskUrl(adminUrl)} is unreachable (${errorText(error)}); start it or set DATABASE_URL` };
  }
  const { rows } = await admin.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists', [BENCH_DATABASE]);
  if (rows[0]?.exists) {
    log(`dropping ${BENCH_DATABASE} left by an earlier run`);
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
  }
  await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
  onCleanup(`drop the ${BENCH_DATABASE} database`, async () => {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
      progress('postgres')(`dropped ${BENCH_DATABASE}`);
    } finally {
      await admin.end().catch(() => undefined);
    }
  });
  const url = new URL(adminUrl);
  url.pathname = `/${BENCH_DATABASE}`;
  log(`created database ${BENCH_DATABASE} on ${maskUrl(url.toString())}`);
  return { url: url.toString() };
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-api')
    .description('Requests per second of three console requests through the Rampart API against a bare @apollo/server')
    .option('--quick', 'short load runs, for a smoke run', false)
    .option('--no-postgres', 'only PGlite')
    .option('--json <file>', 'also write the results as JSON to this file')
    .option('--tenants <n>', `tenants in the directory (at least ${EXTRA_SOC_TENANTS + 50})`, (v) => Number.parseInt(v, 10), DEFAULT_TENANT_COUNT)
    .option('--profile', "after each measured run, a profiled run: the server thread's CPU per request by layer", false)
    .option('--profile-dir <dir>', 'with --profile, also write each profile there as <target>-<shape>.cpuprofile')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; postgres: boolean; json?: string; profile: boolean; profileDir?: string; tenants: number }>();
  run.profileDir = opts.profileDir;
  if (!Number.isInteger(opts.tenants) || opts.tenants < EXTRA_SOC_TENANTS + 50) throw new Error(`--tenants must be a whole number of at least ${EXTRA_SOC_TENANTS + 50}`);
  TENANT_COUNT = opts.tenants;
  if (opts.profile) run.profiler = new Profiler();
  const mode = opts.quick ? 'quick' : 'full';
  const settings = SETTINGS[mode];
  const started = new Date();

  // The first Ctrl-C stops the load, the servers and drops the bench database, then exits; a
  // second one (the default handler again) ends the process at once.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      run.interrupted = true;
      process.stderr.write(`\n${signal}: stopping the load and the servers, dropping the bench database\n`);
      stopLoad();
      void cleanUpAll().finally(() => process.exit(130));
    });
  }

  const { machine, busyAtStart, loadAtStart } = await machineHeader('API benchmark', mode, started);
  console.log(
    `load: autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up then ${settings.seconds} s measured per target, in a worker thread of this process (the server under test runs in its main thread)`,
  );
  for (const shape of SHAPES) console.log(`${shape.name}: ${shape.request.query}`);

  // PGlite first: the bare server serves the heavier shapes from the answers Rampart computed.
  const pglite = await runRampart('pglite', {}, settings, undefined);
  const bare = await runBare(settings, pglite.answers);
  // The same data as the bare server's: its own on the tenants page, the answers it was given on the rest.
  const [pgliteRun] = pglite.reports;
  const pgliteReport: TargetReport = {
    ...pgliteRun,
    shapes: pgliteRun.shapes.map((s) => ({ ...s, sameAnswerAsBare: JSON.stringify(pglite.answers.get(s.shape)) === JSON.stringify(bare.answers.get(s.shape)) })),
  };
  const reports: TargetReport[] = [bare.report, pgliteReport];

  if (!opts.postgres) {
    for (const target of ['postgres', 'postgres-replica'] as const) reports.push({ target, name: TARGET_NAMES[target], skipped: '--no-postgres was given', shapes: [] });
  } else {
    const adminUrl = testDatabaseUrl();
    progress('postgres')(`connecting to ${maskUrl(adminUrl)}`);
    const database = await createBenchDatabase(adminUrl);
    if ('skipped' in database) {
      progress('postgres')(`skipped: ${database.skipped}`);
      for (const target of ['postgres', 'postgres-replica'] as const) reports.push({ target, name: TARGET_NAMES[target], skipped: database.skipped, shapes: [] });
    } else {
      const postgres = await runRampart('postgres', { RAMPART_STORE: 'postgres', DATABASE_URL: database.url }, settings, bare.answers);
      reports.push((await runBare(settings, pglite.answers, 'bare-again')).report, ...postgres.reports);
    }
  }
  await cleanUpAll();

  const bareOf = new Map(bare.report.shapes.map((s) => [s.shape, s]));
  // PGlite against the bare window after it, PostgreSQL against the one after PostgreSQL; the
  // second bare window against the first, which shows how far the machine drifted in between.
  const baselineOf = (target: Target): TargetReport =>
    (target === 'postgres' || target === 'postgres-replica' ? reports.find((r) => r.target === 'bare-again') : undefined) ?? bare.report;
  const rows: TargetRow[] = [];
  for (const shape of SHAPES) {
    for (const r of reports) {
      const s = r.shapes.find((x) => x.shape === shape.name);
      const bareRps = baselineOf(r.target).shapes.find((x) => x.shape === shape.name)?.result.requestsPerSecond ?? 0;
      rows.push({
        shape: shape.label,
        target: r.name,
        result: s?.result,
        skipped: r.skipped,
        ratio: s && bareRps > 0 ? s.result.requestsPerSecond / bareRps : undefined,
        goal: isBare(r.target) ? undefined : GOALS[r.target],
      });
    }
  }
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  for (const r of reports) {
    if (r.skipped) console.log(`SKIPPED: ${r.name} was not benchmarked because ${r.skipped}.`);
    for (const s of r.shapes) {
      if (s.result.non2xx > 0) console.log(`(!) WARNING: ${r.name}, ${s.shape}: ${s.result.non2xx} non-2xx responses (status codes: ${JSON.stringify(s.result.statusCodes)})`);
      if (s.result.otherErrors > 0) console.log(`(!) WARNING: ${r.name}, ${s.shape}: ${s.result.otherErrors} socket errors, timeouts or answers without data or with GraphQL errors`);
      if (s.sameAnswerAsBare === false) console.log(`(!) WARNING: ${r.name}, ${s.shape}: a different answer than the bare server's`);
    }
  }
  for (const r of reports.filter((x) => !isBare(x.target) && !x.skipped)) {
    if (r.target === 'postgres-replica') {
      console.log(`${r.name}: the PostgreSQL rows' data; bytes per answer ${r.shapes.map((s) => `${s.shape} ${s.responseBytes}`).join(', ')}`);
      continue;
    }
    console.log(
      `${r.name}: seeded ${TENANT_COUNT.toLocaleString('en-US')} tenants in ${r.seedSeconds?.toFixed(1)} s; workload ${r.workload?.resources.toLocaleString('en-US')} resources, ${r.workload?.complianceRows.toLocaleString('en-US')} verdicts, ${r.workload?.incidents} incidents, settled in ${r.workload?.seconds.toFixed(1)} s; bytes per answer ${r.shapes.map((s) => `${s.shape} ${s.responseBytes} (bare ${bareOf.get(s.shape)?.responseBytes})`).join(', ')}`,
    );
  }
  if (opts.profile) {
    for (const shape of SHAPES) {
      const columns = reports.filter((r) => r.shapes.some((s) => s.shape === shape.name && s.profile));
      if (columns.length === 0) continue;
      const layers = [...new Set(columns.flatMap((r) => r.shapes.find((s) => s.shape === shape.name)?.profile?.map((p) => p.layer) ?? []))];
      const per = (r: TargetReport, layer: string) => r.shapes.find((s) => s.shape === shape.name)?.profile?.find((p) => p.layer === layer)?.msPerRequest ?? 0;
      const cells = layers.map((layer) => [layer, ...columns.map((r) => per(r, layer).toFixed(3))]);
      cells.push(['total', ...columns.map((r) => layers.reduce((sum, layer) => sum + per(r, layer), 0).toFixed(3))]);
      console.log(`main-thread CPU per request (ms), ${shape.label}:`);
      console.log(alignedTable(['layer', ...columns.map((r) => r.target)], [false, ...columns.map(() => true)], cells));
      console.log('');
    }
  }
  console.log(
    `req/s: mean of autocannon's per-second samples; latency percentiles over every request of the measured ${settings.seconds} s; errors: non-2xx + socket errors + timeouts + 2xx answers without data or with GraphQL errors. Goal: ${GOALS.postgres.toFixed(2)}x of the bare server on PostgreSQL, ${GOALS.pglite.toFixed(2)}x on PGlite. PGlite is compared with the bare window measured right after it, PostgreSQL with the one right after PostgreSQL; the second bare row's ratio is against the first (how far the machine drifted in between).`,
  );
  console.log(
    'Rampart runs standalone (API + worker, one process); the replica rows are the same API once its worker has moved to a process of its own (`rampart worker`), as docker-compose.yml deploys them on PostgreSQL. Both use ES256 bearer tokens of the development issuer (platform admin, SOC analyst of a team serving 200 tenants, customer viewer) and the per-principal rate limit raised out of the way; authentication, authorization and query limits stay on. The bare server has none of them.',
  );
  finishRun(started, opts.json, (loadAtEnd) => ({
    date: started.toISOString(),
    mode,
    settings,
    tenants: TENANT_COUNT,
    shapes: SHAPES.map((s) => ({ name: s.name, label: s.label, request: s.request, role: s.grant.role })),
    machine,
    busyAtStart,
    loadAtStart,
    loadAtEnd,
    targets: reports,
    rows,
  }));
};

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    // After Ctrl-C the signal handler cleans up and exits; whatever failed meanwhile is its doing.
    if (run.interrupted) return;
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUpAll();
    process.exit(1);
  },
);
