// API benchmark: requests per second and latency of one GraphQL list query (the first page of
// 10,000 tenants) through the whole Rampart API (authentication, rate limiting, request context,
// authorization, query limits, the SQL read of the tenant directory) on PGlite and PostgreSQL,
// beside a bare @apollo/server answering the same query from memory. Not a test: it prints a
// table (stdout) and progress (stderr). See docs/performance-api.md.
//
//   node tools/bin/run-ts.js tools/bench/api/main.ts                full run (about 2 minutes)
//   node tools/bin/run-ts.js tools/bench/api/main.ts --quick        smoke run, 3 s per target
//   node tools/bin/run-ts.js tools/bench/api/main.ts --no-postgres --json tmp/bench-api.json
import { Command } from 'commander';
import { Client } from 'pg';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { startHarness, type Harness } from '@rampart/server/testing';
import { startBareServer } from './bare-server';
import { measure, stopLoad, TENANTS_QUERY, type LoadResult, type LoadSettings } from './load';
import { errorCount, formatTable, type TargetRow } from './report';
import { appendTenants, countDirectoryRows, bareTenants, seedTenants, TENANT_COUNT, waitForProjections } from './seed';
import { cpuBusyFraction, errorText, finishRun, machineHeader, maskUrl } from '../shared';

type Target = 'bare' | 'pglite' | 'postgres';

const TARGET_NAMES: Record<Target, string> = {
  bare: 'bare @apollo/server (in-memory, no auth)',
  pglite: 'Rampart API on PGlite',
  postgres: 'Rampart API on PostgreSQL',
};

const SETTINGS: Record<'full' | 'quick', LoadSettings> = {
  full: { connections: 10, warmupSeconds: 3, seconds: 10 },
  quick: { connections: 10, warmupSeconds: 1, seconds: 3 },
};

/** Above anything one run can send, so the per-principal limiter never answers 429 (the config allows at most 1,000,000). */
const RATE_LIMIT_PER_MINUTE = '1000000';
const BENCH_DATABASE = 'rampart_bench';
const APPLICATION_NAME = 'rampart-api-bench';
/**
 * Appends in flight while seeding. PGlite is one connection and runs them one after another, but
 * with a few queued the projection worker applies them in batches instead of one by one (~1.5x).
 */
const SEED_CONCURRENCY: Record<Exclude<Target, 'bare'>, number> = { pglite: 4, postgres: 8 };

class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

const run = { interrupted: false };
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

interface Page {
  readonly edges: { node: Record<string, unknown> }[];
  readonly pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** One request before the load: the answer must be a full first page, and is kept to compare targets. */
const firstPage = async (url: string, headers: Record<string, string>): Promise<{ page: Page; bytes: number }> => {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: TENANTS_QUERY }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as { data?: { tenants?: Page }; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors?.length || !body.data?.tenants) {
    throw new Error(`${url}/graphql answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  }
  const page = body.data.tenants;
  if (page.edges.length !== 50 || !page.pageInfo.hasNextPage) {
    throw new Error(`expected a full page of 50 tenants with a next page, got ${page.edges.length} (hasNextPage ${page.pageInfo.hasNextPage})`);
  }
  return { page, bytes: Buffer.byteLength(text) };
};

interface TargetReport {
  readonly target: Target;
  readonly name: string;
  readonly skipped?: string;
  readonly store?: string;
  readonly cpuBusyBefore?: number;
  readonly seedSeconds?: number;
  readonly projectionWaitSeconds?: number;
  readonly responseBytes?: number;
  readonly sameAnswerAsBare?: boolean;
  readonly result?: LoadResult;
}

const loadTarget = async (
  target: Target,
  url: string,
  headers: Record<string, string>,
  settings: LoadSettings,
): Promise<{ result: LoadResult; cpuBusyBefore: number }> => {
  const log = progress(target);
  const cpuBusyBefore = await cpuBusyFraction(1_000);
  log(`CPU busy before: ${Math.round(cpuBusyBefore * 100)}%; load: ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s`);
  checkpoint();
  const result = await measure(url, headers, settings);
  // Requests cut off when the run ended are still in the server; let them finish before it stops.
  await new Promise((resolve) => setTimeout(resolve, 500));
  checkpoint();
  log(`${Math.round(result.requestsPerSecond)} req/s, p50 ${result.latencyP50Ms} ms, p99 ${result.latencyP99Ms} ms, ${errorCount(result)} errors`);
  return { result, cpuBusyBefore };
};

const runBare = async (settings: LoadSettings): Promise<{ report: TargetReport; page: Page }> => {
  const log = progress('bare');
  const bare = await startBareServer(bareTenants(seedTenants(), new Date().toISOString()));
  const stop = onCleanup('stop the bare server', () => bare.stop());
  try {
    log(`listening on ${bare.url}/graphql with ${TENANT_COUNT.toLocaleString('en-US')} tenants in memory`);
    const { page, bytes } = await firstPage(bare.url, {});
    const { result, cpuBusyBefore } = await loadTarget('bare', bare.url, {}, settings);
    return { report: { target: 'bare', name: TARGET_NAMES.bare, cpuBusyBefore, responseBytes: bytes, result }, page };
  } finally {
    await stop();
  }
};

const runRampart = async (target: 'pglite' | 'postgres', env: Record<string, string>, settings: LoadSettings, barePage: Page | undefined): Promise<TargetReport> => {
  const log = progress(target);
  log('booting the standalone platform (API + projection worker)');
  const harness: Harness = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: RATE_LIMIT_PER_MINUTE, RAMPART_LOG_LEVEL: 'silent', ...env });
  const stop = onCleanup(`stop the ${target} platform`, () => harness.stop());
  try {
    checkpoint();
    const store = harness.server.stores.description.replace(/\(.*\)/, '').trim();
    const worker = harness.server.worker;
    if (!worker) throw new Error('the standalone platform has no projection worker');
    log(`seeding ${TENANT_COUNT.toLocaleString('en-US')} tenants (${SEED_CONCURRENCY[target]} appends in flight)`);
    const seedSeconds = await appendTenants(harness.server.stores.eventStore, seedTenants(), { concurrency: SEED_CONCURRENCY[target], progress: log, run });
    checkpoint();
    log(`seeded in ${seedSeconds.toFixed(1)} s; waiting for the tenant directory projection`);
    const projectionWaitSeconds = await waitForProjections(worker, { timeoutSeconds: 180, progress: log, run });
    await harness.settled();
    checkpoint();
    const rows = await countDirectoryRows(harness.server.stores.readModels);
    if (rows !== TENANT_COUNT) throw new Error(`the tenant directory holds ${rows} bench tenants, expected ${TENANT_COUNT}`);
    log(`tenant directory has all ${rows.toLocaleString('en-US')} bench tenants (projection caught up ${projectionWaitSeconds.toFixed(1)} s after the last append)`);
    const token = await harness.token({ role: 'platform.admin' });
    const headers = { authorization: `Bearer ${token}` };
    const { page, bytes } = await firstPage(harness.url, headers);
    const sameAnswerAsBare = barePage ? JSON.stringify(page) === JSON.stringify(barePage) : undefined;
    if (sameAnswerAsBare === false) log('NOTE: the first page differs from the bare server\'s');
    const { result, cpuBusyBefore } = await loadTarget(target, harness.url, headers, settings);
    return { target, name: TARGET_NAMES[target], store, cpuBusyBefore, seedSeconds, projectionWaitSeconds, responseBytes: bytes, sameAnswerAsBare, result };
  } finally {
    log('stopping the platform');
    await stop();
  }
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
    .description('Requests per second of the tenants list query through the Rampart API against a bare @apollo/server')
    .option('--quick', 'short load runs, for a smoke run', false)
    .option('--no-postgres', 'only PGlite')
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; postgres: boolean; json?: string }>();
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
  console.log(`query: ${TENANTS_QUERY}`);

  const reports: TargetReport[] = [];
  const bare = await runBare(settings);
  reports.push(bare.report);

  reports.push(await runRampart('pglite', {}, settings, bare.page));

  if (!opts.postgres) {
    reports.push({ target: 'postgres', name: TARGET_NAMES.postgres, skipped: '--no-postgres was given' });
  } else {
    const adminUrl = testDatabaseUrl();
    progress('postgres')(`connecting to ${maskUrl(adminUrl)}`);
    const database = await createBenchDatabase(adminUrl);
    if ('skipped' in database) {
      progress('postgres')(`skipped: ${database.skipped}`);
      reports.push({ target: 'postgres', name: TARGET_NAMES.postgres, skipped: database.skipped });
    } else {
      reports.push(await runRampart('postgres', { RAMPART_STORE: 'postgres', DATABASE_URL: database.url }, settings, bare.page));
    }
  }
  await cleanUpAll();

  const bareRps = bare.report.result?.requestsPerSecond ?? 0;
  const rows: TargetRow[] = reports.map((r) => ({
    target: r.name,
    result: r.result,
    skipped: r.skipped,
    ratio: r.result && bareRps > 0 ? r.result.requestsPerSecond / bareRps : undefined,
  }));
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  for (const r of reports) {
    if (r.skipped) console.log(`SKIPPED: ${r.name} was not benchmarked because ${r.skipped}.`);
    if (r.result && r.result.non2xx > 0) {
      console.log(`(!) WARNING: ${r.name} answered ${r.result.non2xx} non-2xx responses (status codes: ${JSON.stringify(r.result.statusCodes)})`);
    }
    if (r.result && r.result.otherErrors > 0) {
      console.log(`(!) WARNING: ${r.name} had ${r.result.otherErrors} socket errors, timeouts or answers without a page of tenants`);
    }
    if (r.sameAnswerAsBare === false) console.log(`(!) WARNING: ${r.name} answered a different first page than the bare server`);
  }
  for (const r of reports.filter((x) => x.target !== 'bare' && x.result)) {
    const ratio = (r.result?.requestsPerSecond ?? 0) / bareRps;
    console.log(
      `${r.name}: ${ratio >= 0.6 ? 'meets' : 'BELOW'} the goal of 0.60x the bare server's req/s; seeded ${TENANT_COUNT.toLocaleString('en-US')} tenants in ${r.seedSeconds?.toFixed(1)} s; ${r.responseBytes} bytes per answer (bare: ${bare.report.responseBytes}); same first page as bare: ${r.sameAnswerAsBare ? 'yes' : 'no'}`,
    );
  }
  console.log(
    `req/s: mean of autocannon's per-second samples; latency percentiles over every request of the measured ${settings.seconds} s; errors: non-2xx + socket errors + timeouts + 2xx answers without a page (GraphQL errors).`,
  );
  console.log(
    'Rampart runs standalone (API + projection worker, one process) with a platform.admin bearer token (ES256, development issuer) and the per-principal rate limit raised out of the way; the bare server has no authentication, plugins or limits.',
  );
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), mode, settings, tenants: TENANT_COUNT, query: TENANTS_QUERY, machine, busyAtStart, loadAtStart, loadAtEnd, targets: reports.map((r, i) => ({ ...r, ratio: rows[i].ratio })) }));
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
