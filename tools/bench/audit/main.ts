// Audit export benchmark: does exporting a tenant's trail keep memory flat as the trail grows? Writes
// a baseline tenant (100k events) and a large one (1M) with the same estate (5,000 resources, 500
// incidents) — a realistic mix of posture, finding, incident, response-action, API key and
// exemption events, with another tenant's events interleaved as noise — exports each while
// sampling RSS and heap, then verifies each export the way an auditor would. Not a test: it prints
// a table (stdout) and progress (stderr). See docs/performance.md, "Audit export".
//
//   npm run bench:audit                                                   1M and 100k on PostgreSQL
//   node --expose-gc tools/bin/run-ts.js tools/bench/audit/main.ts --events 200000 --baseline 20000 --pglite
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { createPgClient, createPgliteClient, quoteIdent, SqlEventStore, type SqlClient } from '@rampart/event-store';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { publicKeyPem } from '@rampart/audit';
import { auditExportPorts } from '@rampart/platform';
import { alignedTable, cleanupFor, errorText, finishRun, machineHeader, maskUrl } from '../shared';
import { ev, NOISE_SHARE, writeTrail } from './trail';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/rampart_bench_audit';
const SAMPLE_MS = 50;

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

// --- measurement ------------------------------------------------------------------------------------

interface Run {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly startRssMiB: number;
  readonly peakRssMiB: number;
  readonly startHeapMiB: number;
  readonly peakHeapMiB: number;
  /** Largest heap still in use right after a forced GC, probed every LIVE_PROBE_EVENTS events (needs --expose-gc). */
  readonly liveHeapMiB: number | null;
  readonly check: string;
}

const MiB = 2 ** 20;

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

const LIVE_PROBE_EVENTS = 50_000;

/**
 * The heap in use after a full GC: what the export really holds (the peak heap also counts garbage
 * not yet collected, which depends on when V8 chose to collect).
 */
class LiveHeap {
  max: number | null = null;
  #next = LIVE_PROBE_EVENTS;
  probe(events: number, force = false): void {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (!collect || (!force && events < this.#next)) return;
    this.#next = events + LIVE_PROBE_EVENTS;
    collect();
    this.max = Math.max(this.max ?? 0, process.memoryUsage().heapUsed);
  }
}

/** Runs `fn`, sampling RSS and heap every 50 ms. */
const sampled = async <T>(fn: (live: LiveHeap) => Promise<T>) => {
  gc();
  const live = new LiveHeap();
  const start = process.memoryUsage();
  let peakRss = start.rss;
  let peakHeap = start.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  const started = process.hrtime.bigint();
  try {
    const value = await fn(live);
    sample();
    return {
      value,
      seconds: Number(process.hrtime.bigint() - started) / 1e9,
      startRssMiB: start.rss / MiB,
      peakRssMiB: peakRss / MiB,
      startHeapMiB: start.heapUsed / MiB,
      peakHeapMiB: peakHeap / MiB,
      liveHeapMiB: live.max === null ? null : live.max / MiB,
    };
  } finally {
    clearInterval(timer);
  }
};

const runBackend = async (name: string, sql: SqlClient, sizes: { baseline: number; events: number }, pageSize: number, dir: string): Promise<Run[]> => {
  const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
  const cleanup = cleanupFor(sql, [schema]);
  const say = (m: string) => log(`[${name}] ${m}`);
  const runs: Run[] = [];
  try {
    const store = await SqlEventStore.open(sql, { schema });
    const keys = generateKeyPairSync('ed25519');
    const from = new Date(Date.now() - 1_000);
    const tenants = [
      { tenantId: 'bench-baseline', events: sizes.baseline, label: 'baseline' },
      { tenantId: 'bench-large', events: sizes.events, label: 'large' },
    ];
    for (const t of tenants) {
      // the tenant must exist for the exporter to accept it
      await store.appendToStream(`t-${t.tenantId}:tenant-${t.tenantId}`, [ev(t.tenantId, 'tenancy.TenantOnboarded.v1', { tenantId: t.tenantId, displayName: t.tenantId, sector: 'finance', contactEmail: 'soc@bench.example' }, 'bench')]);
      say(`writing ${t.events.toLocaleString('en-US')} events for ${t.tenantId} (+${NOISE_SHARE * 100}% noise from another tenant)`);
      const started = Date.now();
      await writeTrail(store, t.tenantId, `${t.tenantId}-noise`, t.events - 1, say);
      say(`  written in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    await new Promise((r) => setTimeout(r, 10));
    const to = new Date();
    for (const t of tenants) {
      const outDir = path.join(dir, `${name}-${t.tenantId}`);
      say(`exporting ${t.tenantId}`);
      let lastLog = Date.now();
      const r = await sampled((live) =>
        exportAuditTrail(
          { eventStore: store },
          {
            tenantId: t.tenantId,
            from,
            to,
            outDir,
            signingKey: keys.privateKey,
            actor: { kind: 'system', id: 'bench-audit' },
            pageSize,
            settleMs: 0, // every append above has committed
            ...auditExportPorts({ eventStore: store }),
            onProgress: (p) => {
              live.probe(p.eventsWritten, p.phase === 'signing');
              if (Date.now() - lastLog < 5_000) return;
              lastLog = Date.now();
              say(`  ${p.eventsWritten.toLocaleString('en-US')} exported`);
            },
          },
        ),
      );
      const m = r.value.manifest;
      const bytes = m.files.reduce((sum, f) => sum + f.bytes, 0);
      runs.push({ label: `export ${t.label}`, events: m.eventCount, seconds: r.seconds, bytes, startRssMiB: r.startRssMiB, peakRssMiB: r.peakRssMiB, startHeapMiB: r.startHeapMiB, peakHeapMiB: r.peakHeapMiB, liveHeapMiB: r.liveHeapMiB, check: m.eventCount === t.events ? 'ok' : `UNEXPECTED: ${m.eventCount} events exported, ${t.events} written` });
      say(`  ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, peak heap ${r.peakHeapMiB.toFixed(0)} MiB`);

      say(`verifying ${t.tenantId}'s export`);
      const v = await sampled(() => verifyAuditExportDir(outDir, publicKeyPem(keys.publicKey)));
      runs.push({ label: `verify ${t.label}`, events: v.value.summary?.eventsRead ?? 0, seconds: v.seconds, bytes, startRssMiB: v.startRssMiB, peakRssMiB: v.peakRssMiB, startHeapMiB: v.startHeapMiB, peakHeapMiB: v.peakHeapMiB, liveHeapMiB: v.liveHeapMiB, check: v.value.ok ? 'ok' : `FAILED: ${v.value.problems.slice(0, 3).join('; ')}` });
      say(`  ${v.seconds.toFixed(1)} s, ${v.value.ok ? 'ok' : 'FAILED'}`);
      rmSync(outDir, { recursive: true, force: true });
    }
    await store.close();
    return runs;
  } finally {
    await cleanup();
  }
};

const HEADER = ['operation', 'events', 'seconds', 'events/s', 'MiB written', 'RSS start MiB', 'RSS peak MiB', 'heap start MiB', 'heap peak MiB', 'live heap MiB', 'check'];

const printRuns = (runs: readonly Run[]): void => {
  console.log(
    alignedTable(
      HEADER,
      HEADER.map((_, i) => i > 0 && i < HEADER.length - 1),
      runs.map((r) => [
        r.label,
        r.events.toLocaleString('en-US'),
        r.seconds.toFixed(1),
        Math.round(r.events / r.seconds).toLocaleString('en-US'),
        (r.bytes / MiB).toFixed(0),
        r.startRssMiB.toFixed(0),
        r.peakRssMiB.toFixed(0),
        r.startHeapMiB.toFixed(0),
        r.peakHeapMiB.toFixed(0),
        r.liveHeapMiB === null ? '-' : r.liveHeapMiB.toFixed(0),
        r.check,
      ]),
    ),
  );
  for (const op of ['export', 'verify']) {
    const base = runs.find((r) => r.label === `${op} baseline`);
    const large = runs.find((r) => r.label === `${op} large`);
    if (!base || !large) continue;
    const live = base.liveHeapMiB !== null && large.liveHeapMiB !== null ? `, live heap x${(large.liveHeapMiB / base.liveHeapMiB).toFixed(2)}` : '';
    console.log(
      `${op}: ${(large.events / base.events).toFixed(0)}x the events -> peak RSS x${(large.peakRssMiB / base.peakRssMiB).toFixed(2)}, peak heap x${(large.peakHeapMiB / base.peakHeapMiB).toFixed(2)}${live}; ` +
        `time x${(large.seconds / base.seconds).toFixed(1)}`,
    );
  }
};

/** The benchmark's own database, created on first use so it never touches rampart or rampart_test. */
const connectPostgres = async (url: string): Promise<SqlClient | string> => {
  const open = async (u: string) => {
    const sql = await createPgClient({ connectionString: u, max: 4, connectionTimeoutMillis: 3_000, application_name: 'rampart-bench-audit' });
    await sql.query('SELECT 1');
    return sql;
  };
  try {
    return await open(url);
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') return `the server at ${maskUrl(url)} is unreachable (${errorText(error)}); start it or set DATABASE_URL`;
  }
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  try {
    const sql = await open(admin.toString());
    log(`[postgres] creating database ${database}`);
    await sql.exec(`CREATE DATABASE ${quoteIdent(database)}`);
    await sql.close();
    return await open(url);
  } catch (error) {
    return `could not create ${database} at ${maskUrl(url)} (${errorText(error)})`;
  }
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-audit')
    .description('Audit export: time and memory of exporting (and verifying) a large tenant trail against a smaller baseline')
    .option('--events <n>', 'events of the large tenant', (v) => Number(v), 1_000_000)
    .option('--baseline <n>', 'events of the baseline tenant', (v) => Number(v), 100_000)
    .option('--page-size <n>', 'events per read of the log', (v) => Number(v), 1_000)
    .option('--no-postgres', 'skip PostgreSQL')
    .option('--pglite', 'also run on in-memory PGlite (slow to fill)')
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ events: number; baseline: number; pageSize: number; postgres: boolean; pglite?: boolean; json?: string }>();
  const started = new Date();
  const { machine, busyAtStart, loadAtStart } = await machineHeader('Audit export benchmark', `${opts.events.toLocaleString('en-US')} vs ${opts.baseline.toLocaleString('en-US')} events`, started);
  console.log(`node flags: ${process.execArgv.join(' ') || '(none)'}; gc before each run: ${typeof (globalThis as { gc?: unknown }).gc === 'function' ? 'yes' : 'no (run with --expose-gc for steadier start values)'}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-audit-'));
  const results: Record<string, Run[] | string> = {};
  try {
    const sizes = { baseline: opts.baseline, events: opts.events };
    if (opts.postgres) {
      const url = process.env['DATABASE_URL'] ?? DEFAULT_URL;
      log(`[postgres] connecting to ${maskUrl(url)}`);
      const sql = await connectPostgres(url);
      console.log(`\n## PostgreSQL (${typeof sql === 'string' ? 'skipped' : maskUrl(url)})`);
      if (typeof sql === 'string') {
        console.log(`SKIPPED: ${sql}.`);
        results['postgres'] = sql;
      } else {
        const runs = await runBackend('postgres', sql, sizes, opts.pageSize, dir);
        printRuns(runs);
        results['postgres'] = runs;
      }
    }
    if (opts.pglite) {
      console.log('\n## PGlite (in-memory, in-process WASM)');
      const runs = await runBackend('pglite', await createPgliteClient(), sizes, opts.pageSize, dir);
      printRuns(runs);
      results['pglite'] = runs;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `\nEach export reads the tenant's log ${opts.pageSize} events at a time and writes all four files plus the signed manifest, then records the export; ` +
      'verify re-reads the files from disk, hashes them and checks every line of events.ndjson. RSS and heap sampled every 50 ms; start = just before the run (after a GC when available); ' +
      `live heap = the most heap in use right after a forced GC, probed every ${LIVE_PROBE_EVENTS.toLocaleString('en-US')} events exported and before signing (export only; needs --expose-gc).`,
  );
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), machine, busyAtStart, loadAtStart, loadAtEnd, options: opts, results }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
