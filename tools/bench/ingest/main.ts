// Ingestion benchmark: how long recording a tenant's snapshot takes, from an NDJSON file of ARM
// resources to events appended and read models projected, on PGlite and PostgreSQL. Three cases
// per size: the first ingest (every resource discovered), an unchanged re-ingest (nothing to
// append) and a re-ingest with 1% of the resources changed; beside the floor, reading and
// JSON.parse-ing every line of the same file. Not a test: it prints tables (stdout) and progress
// (stderr). See docs/performance-ingest.md.
//
//   node tools/bin/run-ts.js tools/bench/ingest/main.ts                full run (10k and 100k)
//   node tools/bin/run-ts.js tools/bench/ingest/main.ts --quick        smoke run (2k and 10k)
//   node tools/bin/run-ts.js tools/bench/ingest/main.ts --no-postgres --json tmp/bench-ingest.json
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { createPgClient, createPgliteClient, ProjectionRunner, quoteIdent, SqlEventStore, type SqlClient } from '@rampart/event-store';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { ingest, type IngestResult, presentResourcesFromReadModel, readResourceFile } from '@rampart/ingestion';
import { platformProjections } from '@rampart/platform';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { mutate, writeTenantFile, type ArmResource } from '../../generate/synthetic-tenant';
import { alignedTable, cleanupFor, errorText, finishRun, machineHeader, maskUrl } from '../shared';

type BackendName = 'pglite' | 'postgres';
type CaseName = 'first' | 'unchanged' | 'changed-1%';

const SEED = 1;
const MISCONFIGURED = 0.2;
const CHANGED_SHARE = 0.01;
const CONCURRENCY_CHOICES = [8, 32] as const;
/** Size of the tenant the concurrency choices are tried on. */
const TRIAL_RESOURCES = 2_000;
const TENANT = 'bench-tenant';
const APPLICATION_NAME = 'rampart-bench-ingest';
/** PostgreSQL pool size: the default of createPgClient, which the platform uses. */
const POOL_MAX = 10;
const TARGETS: Partial<Record<CaseName, { resources: number; seconds: number }>> = {
  first: { resources: 100_000, seconds: 10 },
  unchanged: { resources: 100_000, seconds: 2 },
  'changed-1%': { resources: 100_000, seconds: 3 },
};
/** PGlite sizes whose estimated first ingest exceeds this are skipped. */
const PGLITE_BUDGET_SECONDS = 180;

// --- measurement helpers ---------------------------------------------------------------------------

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** Samples RSS every 50 ms while `fn` runs; returns its result, its duration and the peak. */
const measured = async <T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMiB: number; maxRssMiB: number }> => {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { value, seconds, peakRssMiB: peak / 2 ** 20, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  } finally {
    clearInterval(timer);
  }
};

const readLines = (file: string) => createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });

/** The floor: read the file line by line and JSON.parse every line, nothing else. */
const parseFloor = async (file: string): Promise<number> => {
  let n = 0;
  for await (const line of readLines(file)) {
    if (!line) continue;
    const value = JSON.parse(line) as { id?: unknown };
    if (value.id) n++;
  }
  return n;
};

/** Writes `out`: the resources of `file` with `share` of them changed (exactly, per chunk of 10,000). */
const writeMutatedFile = async (file: string, out: string, share: number, seed: number): Promise<number> => {
  const stream = createWriteStream(out, 'utf8');
  let chunk: ArmResource[] = [];
  let changed = 0;
  let chunkIndex = 0;
  const flush = async () => {
    const result = mutate(chunk, share, seed + chunkIndex++);
    changed += result.changed;
    if (!stream.write(result.resources.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(stream, 'drain');
    chunk = [];
  };
  for await (const line of readLines(file)) {
    if (!line) continue;
    chunk.push(JSON.parse(line) as ArmResource);
    if (chunk.length === 10_000) await flush();
  }
  if (chunk.length) await flush();
  stream.end();
  await once(stream, 'finish');
  return changed;
};

// --- one backend, one size ---------------------------------------------------------------------------

interface CaseResult {
  readonly backend: BackendName;
  readonly resources: number;
  readonly case: CaseName;
  readonly concurrency: number;
  readonly ingestSeconds: number;
  readonly projectSeconds: number;
  readonly totalSeconds: number;
  readonly eventsAppended: number;
  readonly eventsProjected: number;
  /** Statements sent while ingesting (BEGIN/COMMIT included) and transactions. */
  readonly ingestStatements: number;
  readonly ingestTransactions: number;
  readonly projectStatements: number;
  readonly counts: IngestResult['counts'];
  readonly peakRssMiB: number;
  readonly maxRssMiB: number;
  readonly floorSeconds: number;
  readonly check: string;
}

interface Files {
  readonly resources: number;
  readonly base: string;
  readonly changed: string;
  readonly changedCount: number;
  readonly bytes: number;
  floorSeconds: number;
}

/** Statements sent to the database: queries plus BEGIN and COMMIT of each transaction. */
interface StatementCounter {
  statements: number;
  transactions: number;
}

/** The same client, counting what goes to the database (to tell round trips per resource). */
const countingClient = (sql: SqlClient, counter: StatementCounter): SqlClient => ({
  kind: sql.kind,
  query: (text, params) => {
    counter.statements++;
    return sql.query(text, params);
  },
  transaction: (fn, options) => {
    counter.transactions++;
    counter.statements += 2;
    return sql.transaction(
      (tx) =>
        fn({
          query: (text, params) => {
            counter.statements++;
            return tx.query(text, params);
          },
        }),
      options,
    );
  },
  exec: (text) => sql.exec(text),
  listen: (channel, onNotify, options) => sql.listen(channel, onNotify, options),
  close: () => sql.close(),
});

/** Resource events only: a run's own events (started, progress every minute, completed) are not the measure. */
const countEvents = async (sql: SqlClient, schema: string): Promise<number> => {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.events WHERE type LIKE 'inventory.Resource%'`);
  return Number(rows[0].n);
};

/**
 * A fresh event store and read-model schema for one size; `run` ingests a file and catches the
 * projections up, timing both. The schemas are dropped by `drop`.
 */
const openSession = async (sql: SqlClient, prefix: string, schemas: string[]) => {
  const schema = `${prefix}_events`;
  const readSchema = `${prefix}_read`;
  schemas.push(schema, readSchema);
  const counter: StatementCounter = { statements: 0, transactions: 0 };
  const counted = countingClient(sql, counter);
  const store = await SqlEventStore.open(counted, { schema });
  // The projections read and write through a store and client of their own, counted apart.
  const projectCounter: StatementCounter = { statements: 0, transactions: 0 };
  const projectClient = countingClient(sql, projectCounter);
  const projectStore = await SqlEventStore.open(projectClient, { schema });
  let projectedEvents = 0;
  const runners = platformProjections().map(
    (p) => new ProjectionRunner(projectStore, projectClient, p, { schema: readSchema, onBatch: ({ events }) => (projectedEvents += events) }),
  );
  for (const runner of runners) await runner.prepare();
  await onboardTenants(store, TENANT);

  const catchUp = async (): Promise<void> => {
    for (const runner of runners) {
      for (;;) {
        const batch = await runner.runBatch();
        if (batch.caughtUp) break;
      }
    }
  };

  /** The worker's way: every projection follows the log while the ingest appends to it. */
  const projectAlongside = () => {
    const stop = new AbortController();
    const loops = runners.map((runner) => runner.run(stop.signal, 1_000));
    return async () => {
      stop.abort();
      await Promise.all(loops);
    };
  };

  const run = async (file: string, concurrency: number, alongside: boolean) => {
    const before = await countEvents(sql, schema);
    let ingestSeconds = 0;
    let ingestStatements = 0;
    let ingestTransactions = 0;
    const statementsBefore = counter.statements;
    const transactionsBefore = counter.transactions;
    const projectStatementsBefore = projectCounter.statements;
    const projectedBefore = projectedEvents;
    const { value, seconds, peakRssMiB, maxRssMiB } = await measured(async () => {
      const stopProjecting = alongside ? projectAlongside() : async () => undefined;
      const ingested = await measured(() =>
        ingest(store, readResourceFile(file), {
          tenantId: TENANT,
          standing: tenantStanding(store),
          actor: { kind: 'system', id: 'bench-ingest' },
          source: 'file',
          scope: '*',
          complete: true,
          concurrency,
          presentResources: presentResourcesFromReadModel({ eventStore: store, readModels: counted }, readSchema),
        }),
      );
      ingestSeconds = ingested.seconds;
      ingestStatements = counter.statements - statementsBefore;
      ingestTransactions = counter.transactions - transactionsBefore;
      await stopProjecting();
      await catchUp();
      return { result: ingested.value, projected: projectedEvents - projectedBefore };
    });
    const appended = (await countEvents(sql, schema)) - before;
    return {
      result: value.result,
      projected: value.projected,
      ingestSeconds,
      projectSeconds: seconds - ingestSeconds,
      totalSeconds: seconds,
      appended,
      peakRssMiB,
      maxRssMiB,
      ingestStatements,
      ingestTransactions,
      projectStatements: projectCounter.statements - projectStatementsBefore,
    };
  };

  const inventoryRows = async (): Promise<number> => {
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(readSchema)}.resource_inventory`);
    return Number(rows[0].n);
  };

  return {
    run,
    inventoryRows,
    close: async () => {
      await projectStore.close();
      await store.close();
    },
  };
};

interface BackendReport {
  readonly backend: BackendName;
  readonly skipped?: string;
  readonly version?: string;
  readonly settings?: Record<string, string>;
  readonly concurrency?: { chosen: number; trial: { concurrency: number; seconds: number }[]; resources: number };
  readonly notes: string[];
  readonly results: CaseResult[];
}

const serverInfo = async (sql: SqlClient): Promise<{ version: string; settings: Record<string, string> }> => {
  const { rows } = await sql.query<Record<string, string>>(
    `SELECT version() AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,
            current_setting('shared_buffers') AS shared_buffers`,
  );
  const { version, ...settings } = rows[0];
  return { version, settings };
};

const runBackend = async (
  backend: BackendName,
  sql: SqlClient,
  trialFile: Files,
  files: readonly Files[],
  pgliteMax: number,
  alongside: boolean,
): Promise<BackendReport> => {
  const prefix = `bench_ingest_${randomBytes(4).toString('hex')}`;
  const schemas: string[] = [];
  const cleanup = cleanupFor(sql, schemas);
  const notes: string[] = [];
  const results: CaseResult[] = [];
  const say = (message: string) => log(`[${backend}] ${message}`);
  try {
    const info = await serverInfo(sql);
    say(`${info.version.split(',')[0]}; schemas ${prefix}_*`);

    // Concurrency trial: after a warm-up ingest (JIT, connections, caches), a first ingest of the
    // small trial file with each choice, each in its own schemas.
    const trial: { concurrency: number; seconds: number }[] = [];
    for (const [i, concurrency] of [CONCURRENCY_CHOICES[0], ...CONCURRENCY_CHOICES].entries()) {
      const session = await openSession(sql, `${prefix}_trial${i}`, schemas);
      const warmUp = i === 0;
      say(`${warmUp ? 'warm-up' : 'concurrency trial'}: first ingest of ${trialFile.resources.toLocaleString('en-US')} resources with concurrency ${concurrency}`);
      const r = await session.run(trialFile.base, concurrency, alongside);
      await session.close();
      if (!warmUp) trial.push({ concurrency, seconds: r.totalSeconds });
      say(`  ${r.totalSeconds.toFixed(2)} s`);
    }
    const chosen = [...trial].sort((a, b) => a.seconds - b.seconds)[0].concurrency;
    say(`using concurrency ${chosen}`);

    let secondsPerResource = 0;
    for (const f of files) {
      if (backend === 'pglite' && f.resources > pgliteMax) {
        notes.push(`${f.resources.toLocaleString('en-US')} resources not run on PGlite: capped at ${pgliteMax.toLocaleString('en-US')} by --pglite-max.`);
        continue;
      }
      const estimate = secondsPerResource * f.resources;
      if (backend === 'pglite' && estimate > PGLITE_BUDGET_SECONDS) {
        notes.push(
          `${f.resources.toLocaleString('en-US')} resources not run on PGlite: the first ingest alone would take ~${Math.round(estimate)} s at the rate measured for the smaller size (budget ${PGLITE_BUDGET_SECONDS} s).`,
        );
        say(notes[notes.length - 1]);
        continue;
      }
      const session = await openSession(sql, `${prefix}_${f.resources}`, schemas);
      const record = (name: CaseName, r: Awaited<ReturnType<typeof session.run>>, check: string) => {
        results.push({
          backend,
          resources: f.resources,
          case: name,
          concurrency: chosen,
          ingestSeconds: r.ingestSeconds,
          projectSeconds: r.projectSeconds,
          totalSeconds: r.totalSeconds,
          eventsAppended: r.appended,
          eventsProjected: r.projected,
          ingestStatements: r.ingestStatements,
          ingestTransactions: r.ingestTransactions,
          projectStatements: r.projectStatements,
          counts: r.result.counts,
          peakRssMiB: r.peakRssMiB,
          maxRssMiB: r.maxRssMiB,
          floorSeconds: f.floorSeconds,
          check,
        });
        say(`  ${name}: ${r.totalSeconds.toFixed(2)} s (ingest ${r.ingestSeconds.toFixed(2)} s, project ${r.projectSeconds.toFixed(2)} s), ${r.appended} events appended; ${check}`);
      };

      say(`${f.resources.toLocaleString('en-US')} resources: first ingest`);
      const first = await session.run(f.base, chosen, alongside);
      const rows = await session.inventoryRows();
      record(
        'first',
        first,
        first.result.counts.discovered === f.resources && rows === f.resources && first.appended === f.resources
          ? `ok: ${f.resources} discovered, ${rows} inventory rows`
          : `UNEXPECTED: ${first.result.counts.discovered} discovered, ${rows} inventory rows, ${first.appended} events`,
      );
      secondsPerResource = first.totalSeconds / f.resources;

      say(`${f.resources.toLocaleString('en-US')} resources: unchanged re-ingest`);
      const unchanged = await session.run(f.base, chosen, alongside);
      const resourceEvents = unchanged.appended;
      record(
        'unchanged',
        unchanged,
        resourceEvents === 0 && unchanged.result.counts.unchanged === f.resources
          ? 'ok: 0 resource events appended'
          : `UNEXPECTED: ${resourceEvents} resource events appended, ${unchanged.result.counts.unchanged} unchanged`,
      );

      say(`${f.resources.toLocaleString('en-US')} resources: re-ingest with ${f.changedCount} changed`);
      const changed = await session.run(f.changed, chosen, alongside);
      record(
        'changed-1%',
        changed,
        changed.result.counts.changed === f.changedCount && changed.appended === f.changedCount
          ? `ok: ${f.changedCount} changed, ${changed.appended} resource events appended`
          : `UNEXPECTED: ${changed.result.counts.changed} changed (expected ${f.changedCount}), ${changed.appended} events`,
      );
      await session.close();
    }
    return { backend, version: info.version, settings: info.settings, concurrency: { chosen, trial, resources: trialFile.resources }, notes, results };
  } finally {
    say('dropping schemas');
    await cleanup();
  }
};

// --- report ----------------------------------------------------------------------------------------

const HEADER = ['resources', 'case', 'seconds', 'ingest s', 'project s', 'resources/s', 'floor s', 'x floor', 'resource events', 'SQL/res ingest', 'SQL/res project', 'peak RSS MiB', 'maxRSS MiB', 'target'];

const formatTable = (rows: readonly CaseResult[]): string => {
  const cells = rows.map((r) => {
    const target = TARGETS[r.case];
    const targetCell =
      r.backend === 'postgres' && target && target.resources === r.resources
        ? `<= ${target.seconds} s: ${r.totalSeconds <= target.seconds ? 'met' : 'MISSED'}`
        : '';
    return [
      r.resources.toLocaleString('en-US'),
      r.case,
      r.totalSeconds.toFixed(2),
      r.ingestSeconds.toFixed(2),
      r.projectSeconds.toFixed(2),
      Math.round(r.resources / r.totalSeconds).toLocaleString('en-US'),
      r.floorSeconds.toFixed(2),
      `${(r.totalSeconds / r.floorSeconds).toFixed(0)}x`,
      r.eventsAppended.toLocaleString('en-US'),
      (r.ingestStatements / r.resources).toFixed(1),
      (r.projectStatements / r.resources).toFixed(1),
      r.peakRssMiB.toFixed(0),
      r.maxRssMiB.toFixed(0),
      targetCell,
    ];
  });
  // case and target are text; every other column is a number
  return alignedTable(HEADER, HEADER.map((_, i) => i !== 1 && i !== HEADER.length - 1), cells);
};

const printBackend = (report: BackendReport): void => {
  const title = report.backend === 'pglite' ? 'PGlite (in-memory, in-process WASM)' : `PostgreSQL (local server, node-postgres pool of ${POOL_MAX})`;
  console.log(`\n## ${title}`);
  if (report.skipped) {
    console.log(`SKIPPED: ${report.skipped}.`);
    return;
  }
  console.log(`server: ${report.version}`);
  console.log(`settings: ${Object.entries(report.settings ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (report.concurrency) {
    const trial = report.concurrency.trial.map((t) => `${t.concurrency}: ${t.seconds.toFixed(2)} s`).join(', ');
    console.log(
      `ingest concurrency: ${report.concurrency.chosen} (trial after a warm-up: first ingest of ${report.concurrency.resources.toLocaleString('en-US')} other resources incl. projection — ${trial})`,
    );
  }
  console.log('');
  console.log(formatTable(report.results));
  for (const r of report.results) console.log(`  ${r.resources.toLocaleString('en-US')} ${r.case}: ${r.check}`);
  for (const note of report.notes) console.log(`NOTE: ${note}`);
};

// --- main ------------------------------------------------------------------------------------------

const connectPostgres = async (url: string): Promise<SqlClient | string> => {
  let sql: SqlClient | undefined;
  try {
    sql = await createPgClient({ connectionString: url, max: POOL_MAX, connectionTimeoutMillis: 3_000, application_name: APPLICATION_NAME });
    await sql.query('SELECT 1');
    return sql;
  } catch (error) {
    await sql?.close().catch(() => undefined);
    return `the server at ${maskUrl(url)} is unreachable (${errorText(error)}); start it or set DATABASE_URL`;
  }
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-ingest')
    .description('Ingestion throughput: NDJSON file to events appended and read models projected, on PGlite and PostgreSQL')
    .option('--quick', 'small sizes (2k and 10k), for a smoke run', false)
    .option('--no-postgres', 'only PGlite')
    .option('--no-pglite', 'only PostgreSQL')
    .option('--pglite-max <n>', 'largest size to run on PGlite', (v) => Number(v), Infinity)
    .option('--sequential', 'project after the ingest instead of alongside it (as the worker does)', false)
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; postgres: boolean; pglite: boolean; pgliteMax: number; sequential: boolean; json?: string }>();
  const alongside = !opts.sequential;
  const mode = opts.quick ? 'quick' : 'full';
  const sizes = opts.quick ? [2_000, 10_000] : [10_000, 100_000];
  const started = new Date();

  const { machine, busyAtStart, loadAtStart } = await machineHeader('Ingestion benchmark', mode, started);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-ingest-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    removeDir();
    process.stderr.write('\ninterrupted\n');
    process.exit(130);
  });
  const reports: BackendReport[] = [];
  const files: Files[] = [];
  try {
    const trialBase = path.join(dir, 'trial.ndjson');
    await writeTenantFile(trialBase, { seed: SEED + 100, resources: TRIAL_RESOURCES, misconfiguredShare: MISCONFIGURED });
    const trialFile: Files = { resources: TRIAL_RESOURCES, base: trialBase, changed: trialBase, changedCount: 0, bytes: statSync(trialBase).size, floorSeconds: 0 };
    for (const resources of sizes) {
      const base = path.join(dir, `tenant-${resources}.ndjson`);
      const changed = path.join(dir, `tenant-${resources}-changed.ndjson`);
      log(`generating ${resources.toLocaleString('en-US')} resources (seed ${SEED}, ${MISCONFIGURED * 100}% misconfigured)`);
      await writeTenantFile(base, { seed: SEED, resources, misconfiguredShare: MISCONFIGURED });
      const changedCount = await writeMutatedFile(base, changed, CHANGED_SHARE, SEED + 1);
      // the floor: warm the page cache once, then take the best of three
      await parseFloor(base);
      let floorSeconds = Infinity;
      for (let i = 0; i < 3; i++) floorSeconds = Math.min(floorSeconds, (await measured(() => parseFloor(base))).seconds);
      files.push({ resources, base, changed, changedCount, bytes: statSync(base).size, floorSeconds });
      log(`  ${(statSync(base).size / 2 ** 20).toFixed(1)} MiB; floor (read + JSON.parse every line) ${floorSeconds.toFixed(3)} s`);
    }
    console.log(
      `files: ${files.map((f) => `${f.resources.toLocaleString('en-US')} resources = ${(f.bytes / 2 ** 20).toFixed(1)} MiB NDJSON (~${Math.round(f.bytes / f.resources)} B/resource), floor ${f.floorSeconds.toFixed(3)} s`).join('; ')}`,
    );

    reports.push(
      opts.pglite
        ? await runBackend('pglite', await createPgliteClient(), trialFile, files, opts.pgliteMax, alongside)
        : { backend: 'pglite', skipped: '--no-pglite was given', notes: [], results: [] },
    );
    printBackend(reports[reports.length - 1]);

    if (!opts.postgres) {
      reports.push({ backend: 'postgres', skipped: '--no-postgres was given', notes: [], results: [] });
    } else {
      const url = testDatabaseUrl();
      log(`[postgres] connecting to ${maskUrl(url)}`);
      const sql = await connectPostgres(url);
      reports.push(typeof sql === 'string' ? { backend: 'postgres', skipped: sql, notes: [], results: [] } : await runBackend('postgres', sql, trialFile, files, Infinity, alongside));
    }
    printBackend(reports[reports.length - 1]);
  } finally {
    removeDir();
  }

  console.log('');
  console.log(
    `Each size in fresh schemas: the first ingest records every resource, the unchanged re-ingest of the same file must append no resource event, the 1% re-ingest changes ${CHANGED_SHARE * 100}% of the resources (a security setting flipped, or a tag). ` +
            "Snapshot declared complete for scope '*' (removals planned). seconds = from the start of the ingest until every read model (resource-inventory among them) has caught up; " +
      (alongside
        ? 'the projections follow the log while the ingest appends (as the worker does), so ingest s is the ingest with projections running and project s the tail after it. '
        : 'projected after the ingest (--sequential): ingest s, then project s. ') +
      'floor = best of 3 reads of the same file with JSON.parse of every line. x floor = seconds / floor. SQL/res: statements sent per resource (BEGIN/COMMIT included) while ingesting and while projecting. peak RSS: sampled every 50 ms during the case; maxRSS: process maximum so far.',
  );
  console.log(`targets (PostgreSQL): ${Object.entries(TARGETS).map(([name, t]) => `${name} ${t.resources.toLocaleString('en-US')} <= ${t.seconds} s`).join(', ')}`);
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), mode, machine, busyAtStart, loadAtStart, loadAtEnd, files: files.map((f) => ({ resources: f.resources, bytes: f.bytes, changed: f.changedCount, floorSeconds: f.floorSeconds })), backends: reports }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
