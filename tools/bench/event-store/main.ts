// Event store benchmark: append and read throughput of SqlEventStore on PGlite (in-memory) and
// PostgreSQL, each beside raw SQL on a plain table holding the same rows. Not a test: it prints
// tables (stdout) and progress (stderr). See docs/performance.md.
//
//   npm run bench                 full run (a few minutes)
//   npm run bench -- --quick      smoke run with small sizes
//   npm run bench -- --no-postgres --json tmp/bench.json
//   npm run bench -- --append-only    appends alone (no reads), for repeated before/after runs
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { createPgClient, createPgliteClient, type SqlClient } from '@rampart/event-store';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { formatTable, summarize, type RowSummary } from './report';
import { HOT_STREAM_EVENTS, Interrupted, interruption, measureAppend, measureReads, TENANT_COUNT, type Progress } from './workloads';
import { cleanupFor, errorText, finishRun, machineHeader, maskUrl } from '../shared';

type BackendName = 'pglite' | 'postgres';

interface Sizes {
  /** Events per timed append run, by batch size. */
  readonly append: Readonly<Record<number, number>>;
  readonly logEvents: number;
  readonly streamReads: number;
}

const BATCH_SIZES = [1, 100, 1000] as const;
const PAGE_SIZES = [100, 1000] as const;
const REPETITIONS = 3;

// Chosen so one timed store run takes roughly 1-3 s on the 2-core machine of docs/performance.md.
// Batch size 1 is bounded by one commit (an fsync on PostgreSQL) per append: about a thousand a
// second since an append is one round trip (the baseline does twice that), so 2,000 events; at 600
// a baseline run took 0.3 s and single runs swung the ratio by ±0.3.
const SIZES: Record<'full' | 'quick', Record<BackendName, Sizes>> = {
  full: {
    postgres: { append: { 1: 2_000, 100: 20_000, 1000: 40_000 }, logEvents: 50_000, streamReads: 80 },
    pglite: { append: { 1: 2_000, 100: 15_000, 1000: 20_000 }, logEvents: 30_000, streamReads: 50 },
  },
  quick: {
    postgres: { append: { 1: 100, 100: 2_000, 1000: 5_000 }, logEvents: 5_000, streamReads: 5 },
    pglite: { append: { 1: 100, 100: 2_000, 1000: 5_000 }, logEvents: 5_000, streamReads: 5 },
  },
};

interface BackendReport {
  readonly backend: BackendName;
  readonly skipped?: string;
  readonly version?: string;
  readonly settings?: Record<string, string>;
  readonly eventBytes?: number;
  readonly rows: RowSummary[];
}

let lastProgress = Date.now();

const progress =
  (backend: BackendName): Progress =>
  (message) => {
    lastProgress = Date.now();
    process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] [${backend}] ${message}\n`);
  };

const APPLICATION_NAME = 'rampart-bench';

/**
 * The PostgreSQL server is shared (integration tests use it too): when no progress line came
 * for a while, say which of our sessions is waiting and on whom, instead of hanging silently.
 */
const stallWatchdog = (sql: SqlClient): (() => void) => {
  const timer = setInterval(() => {
    const quietFor = Date.now() - lastProgress;
    if (quietFor < 30_000) return;
    void sql
      .query<{ pid: number; wait: string; blockers: string; query: string }>(
        `SELECT a.pid, coalesce(a.wait_event_type || '/' || a.wait_event, 'running') AS wait,
                coalesce((SELECT string_agg(b.pid || ' ' || coalesce(b.application_name, '') || ' ' || left(b.query, 60), '; ')
                          FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids(a.pid))), '') AS blockers,
                left(a.query, 80) AS query
         FROM pg_stat_activity a
         WHERE a.application_name = $1 AND a.state = 'active' AND a.pid <> pg_backend_pid()`,
        [APPLICATION_NAME],
      )
      .then(({ rows }) => {
        const detail = rows.map((r) => `pid ${r.pid} ${r.wait}${r.blockers ? ` blocked by [${r.blockers}]` : ''}: ${r.query}`).join(' | ');
        process.stderr.write(`  ... no progress for ${Math.round(quietFor / 1000)} s; ${detail || 'no active benchmark query'}\n`);
      })
      .catch(() => undefined);
  }, 15_000);
  timer.unref();
  return () => clearInterval(timer);
};

const pgliteVersion = (): string => {
  try {
    let dir = path.dirname(require.resolve('@electric-sql/pglite'));
    while (dir !== path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === '@electric-sql/pglite') return pkg.version ?? 'unknown';
      }
      dir = path.dirname(dir);
    }
  } catch {
    // fall through
  }
  return 'unknown';
};

const serverInfo = async (sql: SqlClient): Promise<{ version: string; settings: Record<string, string> }> => {
  const { rows } = await sql.query<Record<string, string>>(
    `SELECT version() AS version, current_setting('server_version') AS server_version,
            current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
            current_setting('shared_buffers') AS shared_buffers`,
  );
  const { version, ...settings } = rows[0];
  return { version, settings };
};

const runBackend = async (backend: BackendName, sql: SqlClient, sizes: Sizes, appendOnly: boolean): Promise<BackendReport> => {
  const log = progress(backend);
  const prefix = `bench_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  const cleanup = cleanupFor(sql, schemas);
  let stopWatchdog: (() => void) | undefined;
  try {
    stopWatchdog = backend === 'postgres' ? stallWatchdog(sql) : undefined;
    const info = await serverInfo(sql);
    const version = backend === 'pglite' ? `PGlite ${pgliteVersion()} (${info.settings['server_version']})` : info.version;
    log(`${version}; schemas ${prefix}_*`);
    const rows: RowSummary[] = [];
    let eventBytes = 0;
    for (const batchSize of BATCH_SIZES) {
      const schema = `${prefix}_append_b${batchSize}`;
      schemas.push(schema);
      const row = await measureAppend(sql, { schema, batchSize, events: sizes.append[batchSize], repetitions: REPETITIONS }, log);
      eventBytes = row.eventBytes;
      rows.push(summarize(row));
    }
    if (appendOnly) return { backend, version, settings: info.settings, eventBytes, rows };
    const readSchema = `${prefix}_read`;
    schemas.push(readSchema);
    const reads = await measureReads(
      sql,
      { schema: readSchema, logEvents: sizes.logEvents, streamReads: sizes.streamReads, pageSizes: PAGE_SIZES, repetitions: REPETITIONS },
      log,
    );
    rows.push(...reads.map(summarize));
    return { backend, version, settings: info.settings, eventBytes, rows };
  } finally {
    stopWatchdog?.();
    log('dropping schemas');
    await cleanup();
  }
};

const connectPostgres = async (url: string): Promise<SqlClient | string> => {
  let sql: SqlClient | undefined;
  try {
    sql = await createPgClient({ connectionString: url, max: 4, connectionTimeoutMillis: 3_000, application_name: APPLICATION_NAME });
    await sql.query('SELECT 1');
    return sql;
  } catch (error) {
    await sql?.close().catch(() => undefined);
    return `the server at ${maskUrl(url)} is unreachable (${errorText(error)}); start it or set DATABASE_URL`;
  }
};

const printBackend = (report: BackendReport, sizes: Sizes): void => {
  const title = report.backend === 'pglite' ? 'PGlite (in-memory, in-process WASM)' : 'PostgreSQL (local server, node-postgres pool)';
  console.log(`\n## ${title}`);
  if (report.skipped) {
    console.log(`SKIPPED: PostgreSQL was not benchmarked because ${report.skipped}.`);
    return;
  }
  console.log(`server: ${report.version}`);
  console.log(`settings: ${Object.entries(report.settings ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  console.log('');
  console.log(formatTable(report.rows));
  console.log('');
  for (const row of report.rows.filter((r) => r.warning)) console.log(`(!) WARNING: ${row.warning}`);
  console.log(`median of ${REPETITIONS} timed runs after one warm-up run; ratio = store events/s / baseline events/s.`);
  console.log(
    'append baseline: the same rows as one multi-row INSERT ... SELECT FROM unnest(...) per batch, each in its own transaction, into a plain table with only a bigint identity primary key.',
  );
  if (report.backend === 'postgres') {
    console.log('COPY baseline: not measured (pg-copy-streams is not installed; the multi-row INSERT above is the baseline).');
  }
  console.log(
    `read baseline: keyset-paged SELECT of the same rows ordered by the plain table's primary key (tenant filter: WHERE tenant_id = $1 over an index on (tenant_id, seq)); readStream baseline: the stream's ${HOT_STREAM_EVENTS} rows by primary-key range. Log: ${sizes.logEvents.toLocaleString('en-US')} events in ${TENANT_COUNT} tenants.`,
  );
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench')
    .description('Event store throughput on PGlite and PostgreSQL against a raw-SQL baseline')
    .option('--quick', 'small sizes, for a smoke run', false)
    .option('--no-postgres', 'only PGlite')
    .option('--append-only', 'only the append workloads (no reads)', false)
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; postgres: boolean; appendOnly: boolean; json?: string }>();
  const mode = opts.quick ? 'quick' : 'full';
  const started = new Date();

  // The first Ctrl-C stops the run at the next batch or page and drops the schemas; a second
  // one (the default handler again) ends the process at once.
  process.once('SIGINT', () => {
    interruption.requested = true;
    process.stderr.write('\ninterrupted: stopping after the current batch, then dropping the benchmark schemas\n');
  });

  const { machine, busyAtStart, loadAtStart } = await machineHeader('Event store benchmark', mode, started);

  const reports: BackendReport[] = [];

  reports.push(await runBackend('pglite', await createPgliteClient(), SIZES[mode].pglite, opts.appendOnly));
  printBackend(reports[reports.length - 1], SIZES[mode].pglite);

  const url = testDatabaseUrl();
  if (!opts.postgres) {
    reports.push({ backend: 'postgres', skipped: '--no-postgres was given', rows: [] });
  } else {
    progress('postgres')(`connecting to ${maskUrl(url)}`);
    const sql = await connectPostgres(url);
    if (typeof sql === 'string') progress('postgres')(`skipped: ${sql}`);
    reports.push(typeof sql === 'string' ? { backend: 'postgres', skipped: sql, rows: [] } : await runBackend('postgres', sql, SIZES[mode].postgres, opts.appendOnly));
  }
  printBackend(reports[reports.length - 1], SIZES[mode].postgres);
  const eventBytes = reports.find((r) => r.eventBytes)?.eventBytes ?? 0;
  console.log(`\nevent size: ~${Math.round(eventBytes)} bytes of JSON (data + metadata); one client, one request at a time.`);
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), mode, repetitions: REPETITIONS, machine, busyAtStart, loadAtStart, loadAtEnd, eventBytes, sizes: SIZES[mode], backends: reports }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof Interrupted) process.exit(130);
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
