// Fleet benchmark: what an MSSP asks of a whole fleet's collection cycle — how long it takes, whether
// every tenant is served fairly, and what it costs in CPU and disk. One throwaway PostgreSQL
// database; N tenants onboarded, each assessed against a regulatory standard (MCSB by default) with
// an incident policy that opens incidents for high and critical findings; W real `rampart worker`
// processes sharing the process managers by tenant partition. The bench is the collector: cycle 1
// ingests every tenant's synthetic estate (a few tenants at a time, as scheduled collection
// overlaps), cycle 2 ingests it again with 1% of the resources changed (what an hourly cycle
// costs). A cycle ends when every partition of the evaluator and the incident reactor is
// checkpointed past the last event it follows and every projection has applied the log up to its
// head. Not a test: it prints tables (stdout) and progress (stderr). See docs/performance.md, "Fleet".
//
//   npm run bench:fleet                          200 tenants x 5,000 resources, 2 workers (hours on 2 cores)
//   npm run bench:fleet -- --quick               20 tenants x 300
//   npm run bench:fleet -- --tenants 50 --resources 2000 --json tmp/bench-fleet.json
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { generateTenant, mutate, type ArmResource } from '@rampart/demo';
import { comparePositions, tenantPartitionOf, type GlobalPosition } from '@rampart/event-sourcing';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { changeTenantGuardrails, GUARDRAIL_EVALUATOR_EVENT_TYPES, GUARDRAIL_EVALUATOR_SUBSCRIPTION } from '@rampart/guardrails-application';
import { INCIDENT_REACTOR_EVENT_TYPES, INCIDENT_REACTOR_SUBSCRIPTION, setIncidentPolicy } from '@rampart/incidents-application';
import { ingest, itemsOf, presentResourcesFromReadModel } from '@rampart/ingestion';
import { loadConfig, openStores, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { alignedTable, cleanUpOnInterrupt, cpuSecondsOf, errorText, finishRun, machineHeader } from '../shared';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'tools', 'bin', 'rampart.js');
const POLL_MS = 500;
const PROGRESS_MS = 10_000;
/** A cycle is over once caught up; it must stay so this long (no new event for the reactions) to count. */
const QUIET_MS = 3_000;
/** Short enough that workers starting together share the partitions within seconds. */
const LEASE_SECONDS = 6;
const CHANGED_SHARE = 0.01;
const PROCESS_MANAGERS = [
  { id: GUARDRAIL_EVALUATOR_SUBSCRIPTION, types: GUARDRAIL_EVALUATOR_EVENT_TYPES },
  { id: INCIDENT_REACTOR_SUBSCRIPTION, types: INCIDENT_REACTOR_EVENT_TYPES },
] as const;
const EVENTS = `"rampart".events`;
const READ = `"${READ_MODEL_SCHEMA}"`;

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const MiB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

interface Options {
  readonly tenants: number;
  readonly resources: number;
  readonly workers: number;
  readonly concurrency: number;
  readonly partitions: number;
  readonly standard: string;
  readonly timeoutMinutes: number;
  readonly profile: boolean;
  readonly quick: boolean;
  readonly json?: string;
}

// --- what /proc says about a process ----------------------------------------------------------------


const rssBytesOf = (pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) * 1024;
  } catch {
    return Number.NaN;
  }
};

const machineCpu = () =>
  os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });

/**
 * CPU of this database's server processes, by who connected (`application_name`): the workers'
 * queries against the collector's. Sampled while the cycle runs, since a backend that exits takes
 * its counters along; a backend's last sample is what it is credited with.
 */
class BackendCpu {
  private readonly seen = new Map<number, { app: string; cpu: number }>();
  constructor(private readonly stores: Stores, private readonly database: string) {}

  async sample(): Promise<void> {
    const { rows } = await this.stores.readModels.query<{ pid: number; app: string }>(`SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = $1`, [this.database]);
    for (const r of rows) {
      const cpu = cpuSecondsOf(r.pid);
      if (!Number.isNaN(cpu)) this.seen.set(r.pid, { app: r.app, cpu });
    }
  }

  /** CPU seconds per application name so far (backends gone since their last sample included). */
  totals(): Map<string, number> {
    const out = new Map<string, number>();
    for (const { app, cpu } of this.seen.values()) out.set(app, (out.get(app) ?? 0) + cpu);
    return out;
  }
}

// --- workers ------------------------------------------------------------------------------------------

interface Worker {
  readonly child: ChildProcess;
  /** process.hrtime of the bench when it was spawned, in microseconds (the profile's clock). */
  readonly spawnedUs: number;
  output(): string;
}

const startWorker = (env: Record<string, string>, profileDir: string | undefined): Worker => {
  // Sampled every 4 ms: enough samples for shares over minutes, little overhead.
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=4000'] : [];
  const spawnedUs = Number(process.hrtime.bigint() / 1000n);
  const child = spawn(process.execPath, [...flags, BIN, 'worker'], { cwd: ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk) => (output = (output + String(chunk)).slice(-20_000)));
  child.stderr?.on('data', (chunk) => (output = (output + String(chunk)).slice(-20_000)));
  return { child, spawnedUs, output: () => output };
};

const alive = (w: Worker) => w.child.exitCode === null && w.child.signalCode === null;

const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, workers: readonly Worker[]) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${workers.map((w, i) => `\n--- worker ${i + 1}\n${w.output().slice(-1_500)}`).join('')}`);
    const dead = workers.find((w) => !alive(w));
    if (dead) throw new Error(`${what}: a worker exited (${dead.child.exitCode ?? dead.child.signalCode})\n${dead.output().slice(-2_000)}`);
    await sleep(200);
  }
};

// --- where a worker's CPU goes, from its V8 CPU profile ----------------------------------------------------

interface CpuProfile {
  readonly nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  readonly startTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const SPECIFIC: readonly [string, RegExp][] = [
  // A context's projections (its projections.ts and the domain folds they call) before the context's reactions.
  ['projections', /\/libs\/event-store\/src\/projections\/|\/libs\/[a-z-]+\/src\/projections\.ts|\/read-models?\//],
  ['evaluator', /\/libs\/guardrails-application\/src\/guardrail-evaluator|\/libs\/guardrails\/|\/libs\/inventory-contract\/|\/libs\/ingestion\/src\/inventory-reader/],
  ['incident reactor', /\/libs\/incidents-application\/src\/(incident-reactor|raise-signal)|\/libs\/incidents\//],
];
const SHARED: readonly [string, RegExp][] = [
  ['shared: pg driver', /\/node_modules\/pg[a-z-]*\//],
  ['shared: event store (SQL adapter)', /\/libs\/event-store\//],
  ['shared: event-sourcing (append batches, deciders)', /\/libs\/event-sourcing\//],
  ['shared: host, leases, other', /\/libs\/|\/node_modules\//],
];

/**
 * Non-idle samples per category within [fromUs, toUs). A sample belongs to the outermost frame of
 * a process manager or projection on its stack; code reached only through an `await` has lost its
 * caller, so the store's row decoding and the pg driver are counted apart, as shared.
 */
const profileShares = (profile: CpuProfile, windows: readonly [number, number][]): Map<string, number>[] => {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const category = new Map<number, string | undefined>();
  const classify = (id: number): string | undefined => {
    if (category.has(id)) return category.get(id);
    const chain: { functionName: string; url: string }[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) chain.push(byId.get(at)?.callFrame ?? { functionName: '', url: '' });
    chain.reverse();
    const leaf = chain[chain.length - 1]?.functionName ?? '';
    let found: string | undefined;
    if (leaf === '(idle)' || leaf === '(program)') found = undefined;
    else if (leaf === '(garbage collector)') found = 'garbage collection';
    else found = chain.map((f) => SPECIFIC.find(([, re]) => re.test(f.url))?.[0]).find(Boolean) ?? chain.map((f) => SHARED.find(([, re]) => re.test(f.url))?.[0]).find(Boolean) ?? 'node internals';
    category.set(id, found);
    return found;
  };
  const out = windows.map(() => new Map<string, number>());
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    const what = classify(id);
    if (!what) return;
    const w = windows.findIndex(([from, to]) => t >= from && t < to);
    if (w >= 0) out[w].set(what, (out[w].get(what) ?? 0) + 1);
  });
  return out;
};

// --- the fleet ------------------------------------------------------------------------------------------

/** `count` tenant ids spread as evenly over the partitions as the count allows, so workers get equal shares. */
const balancedTenants = (count: number, partitions: number): string[] => {
  const per = Math.ceil(count / partitions);
  const by = new Map<number, number>();
  const chosen: string[] = [];
  for (let i = 0; chosen.length < count; i++) {
    const t = `fleet-${String(i).padStart(4, '0')}`;
    const p = tenantPartitionOf(t, partitions);
    if ((by.get(p) ?? 0) >= per) continue;
    by.set(p, (by.get(p) ?? 0) + 1);
    chosen.push(t);
  }
  return chosen;
};

const seedOf = (i: number) => 10_000 + i;

interface TenantTiming {
  readonly tenantId: string;
  ingestedMs?: number;
  /** The tenant's last event the evaluator follows, once its ingestion completed. */
  lastResourceEvent?: GlobalPosition;
  /** First poll at which its partition's evaluator checkpoint was past that event. */
  evaluatedMs?: number;
  /** recorded_at of its last posture or finding event of the cycle. */
  lastPostureMs?: number;
}

interface CycleResult {
  readonly name: string;
  readonly seconds: number;
  readonly ingestSeconds: number;
  readonly resources: number;
  readonly changedResources: number;
  readonly eventsByType: Record<string, number>;
  readonly fairness: { tenantId: string; ingestedAfterS: number; evaluatedAfterS: number; lastPostureAfterS: number | null }[];
  readonly workerCpuSeconds: number[];
  readonly workerPeakRssBytes: number[];
  readonly collectorCpuSeconds: number;
  readonly collectorPeakRssBytes: number;
  readonly dbCpuSeconds: { workers: number; collector: number; other: number };
  readonly machineBusy: number;
  readonly loadAverage: number[];
  readonly databaseBytes: number;
  readonly largestTables: { table: string; bytes: number }[];
  readonly findingsOpen: number;
  readonly incidentsOpen: number;
  readonly tenantsWithoutFindings: number;
  readonly postureStreamsTouched: number;
  readonly checks: string[];
  /** The cycle on the monotonic clock in microseconds, the clock of the workers' CPU profiles. */
  readonly windowUs: [number, number];
  cpuShares?: Record<string, number>;
}

const run = async (options: Options): Promise<void> => {
  const started = new Date();
  const mode = options.quick ? 'quick' : 'full';
  const header = await machineHeader('Fleet: a whole collection cycle', mode, started);
  console.log(
    `${options.tenants} tenants x ${n(options.resources)} resources (seeded synthetic estates, 20% misconfigured), standard ${options.standard}, incidents for high/critical findings; ` +
      `${options.workers} worker(s), ${options.partitions} partitions; ${options.concurrency} tenants ingested at a time`,
  );
  const db = await throwawayPostgresDatabase('bench_fleet');
  const database = new URL(db.url).pathname.slice(1);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-fleet-'));
  const profileDir = options.profile ? path.join(dataDir, 'profiles') : undefined;
  const withApp = (app: string) => `${db.url}${db.url.includes('?') ? '&' : '?'}application_name=${app}`;
  const env = (app: string): Record<string, string> => ({
    ...(process.env as Record<string, string>),
    RAMPART_STORE: 'postgres',
    DATABASE_URL: withApp(app),
    RAMPART_DATA_DIR: dataDir,
    RAMPART_LOG_LEVEL: 'info',
    RAMPART_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
    RAMPART_WORKER_PARTITIONS: String(options.partitions),
    // The bench is the collector.
    RAMPART_INGEST_INTERVAL_MINUTES: '0',
  });
  const workers: Worker[] = [];
  let stores: Stores | undefined;
  let cleaned: Promise<void> | undefined;
  // Also on failure and Ctrl+C: no process, database or folder of the run is left behind.
  const cleanup = () =>
    (cleaned ??= (async () => {
      for (const w of workers) if (alive(w)) w.child.kill('SIGKILL');
      await Promise.all(workers.map((w) => (alive(w) ? new Promise((done) => w.child.once('exit', done)) : undefined)));
      await stores?.close().catch(() => undefined);
      await db.dispose().catch((error: unknown) => log(`could not drop the bench database: ${errorText(error)}`));
      rmSync(dataDir, { recursive: true, force: true });
    })());
  cleanUpOnInterrupt(cleanup, log);

  try {
    const s = await openStores(loadConfig(env('rampart-bench-collector')).store);
    stores = s;
    const store = s.eventStore;
    const q = async <T>(sql: string, params: unknown[] = []) => (await s.readModels.query<T>(sql, params)).rows;
    const standing = tenantStanding(store);
    const tenants = balancedTenants(options.tenants, options.partitions);
    const partitionOf = new Map(tenants.map((t) => [t, tenantPartitionOf(t, options.partitions)]));

    log(`onboarding ${tenants.length} tenants: ${options.standard} assigned, incidents for high and critical findings`);
    await onboardTenants(store, ...tenants);
    for (const tenantId of tenants) {
      const cause = { actor: { kind: 'user' as const, id: 'bench@mssp.example' }, correlationId: 'bench-fleet', now: new Date() };
      const assigned = await changeTenantGuardrails({ eventStore: store, standing }, { tenantId, ...cause, causationId: null }, {
        kind: 'AssignBaseline',
        assignmentId: options.standard.replace(/\./g, '-'),
        baselineId: options.standard,
        scope: '*',
      });
      if (!assigned.ok) throw new Error(`${options.standard} not assigned to ${tenantId}: ${assigned.rejection.code}`);
      const policy = await setIncidentPolicy({ stores: s, standing }, tenantId, { kind: 'SetIncidentPolicy', findingSeverities: ['critical', 'high'] }, { ...cause, causationId: null });
      if (!policy.ok) throw new Error(`incident policy not set for ${tenantId}: ${policy.rejection.code}`);
    }

    workers.push(...Array.from({ length: options.workers }, () => startWorker(env('rampart-bench-worker'), profileDir)));
    await until('workers started', () => workers.every((w) => /worker started/.test(w.output())), 180_000, workers);
    const quota = Array.from({ length: options.workers }, (_, r) => Math.floor(options.partitions / options.workers) + (r < options.partitions % options.workers ? 1 : 0)).sort().join();
    await until(
      'partitions shared',
      async () => {
        const rows = await q<{ lease_key: string; holder: string }>(`SELECT lease_key, holder FROM ${READ}.leases WHERE starts_with(lease_key, 'subscription:') AND expires_at > clock_timestamp()`);
        return PROCESS_MANAGERS.every(({ id }) => {
          const per = new Map<string, number>();
          for (const r of rows) if (r.lease_key.startsWith(`subscription:${id}[`)) per.set(r.holder, (per.get(r.holder) ?? 0) + 1);
          return [...per.values()].sort().join() === quota;
        });
      },
      180_000,
      workers,
    );
    log(`${options.workers} worker(s) up, partitions shared (${quota.replace(/,/g, '+')} of ${options.partitions} per process manager)`);

    const backends = new BackendCpu(s, database);
    const position = (r: { c: string; p: string } | undefined): GlobalPosition => (r ? { commit: BigInt(r.c), prepare: BigInt(r.p) } : { commit: 0n, prepare: 0n });
    const pmCheckpoints = async () => {
      const rows = await q<{ id: string; c: string; p: string }>(`SELECT subscription_id AS id, commit_position::text AS c, prepare_position::text AS p FROM ${READ}.subscription_checkpoints`);
      const at = new Map(rows.map((r) => [r.id, position(r)]));
      return new Map(PROCESS_MANAGERS.map(({ id }) => [id, Array.from({ length: options.partitions }, (_, k) => at.get(`${id}[${k}/${options.partitions}]`) ?? { commit: -1n, prepare: -1n })]));
    };
    const projectionCheckpoints = async () =>
      (await q<{ name: string; c: string; p: string }>(`SELECT name, commit_position::text AS c, prepare_position::text AS p FROM ${READ}.projection_checkpoints`)).map((r) => ({ name: r.name, at: position(r) }));
    /** The last event of these types in log order: walked backwards on the log-order index, so cheap while it is recent. */
    const lastOf = async (types: readonly string[], tenantId?: string) =>
      position(
        (
          await q<{ c: string; p: string }>(
            `SELECT transaction_id::text AS c, global_position::text AS p FROM ${EVENTS} WHERE type = ANY($1::text[]) ${tenantId === undefined ? '' : 'AND tenant_id = $2'} ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
            tenantId === undefined ? [types] : [types, tenantId],
          )
        )[0],
      );
    const head = () => store.headPosition();
    const maxGlobalPosition = async () => Number((await q<{ p: string | null }>(`SELECT max(global_position)::text AS p FROM ${EVENTS}`))[0].p ?? 0);
    /** Followed events past each partition's checkpoint, per process manager (the hash per row: only every 10 s). */
    const behind = async (checkpoints: Map<string, GlobalPosition[]>) => {
      const out: string[] = [];
      for (const { id, types } of PROCESS_MANAGERS) {
        const cps = checkpoints.get(id) ?? [];
        const low = cps.reduce((a, b) => (comparePositions(a, b) <= 0 ? a : b));
        // The partition of each row as the store computes it (tenantPartitionSql in event-store).
        const part = `(('x' || encode(substring(sha256(convert_to(e.tenant_id, 'UTF8')) from 1 for 4), 'hex'))::bit(32)::bigint % $6::bigint) + 1`;
        const rows = await q<{ n: string }>(
          `SELECT count(*)::text AS n FROM ${EVENTS} e
           WHERE e.type = ANY($1::text[]) AND (e.transaction_id, e.global_position) > ($2::text::xid8, $3::bigint)
             AND (e.transaction_id, e.global_position) > (($4::text[])[${part}]::xid8, ($5::bigint[])[${part}])`,
          [types, String(low.commit < 0n ? 0n : low.commit), String(low.prepare), cps.map((c) => String(c.commit < 0n ? 0n : c.commit)), cps.map((c) => String(c.prepare)), options.partitions],
        );
        out.push(`${id} ${n(Number(rows[0].n))}`);
      }
      return out.join(', ');
    };

    const runCycle = async (name: string, estateOf: (i: number) => Iterable<ArmResource>, changedResources: number): Promise<CycleResult> => {
      log(`${name}: ingesting ${tenants.length} x ${n(options.resources)} resources, ${options.concurrency} tenants at a time`);
      const fromGp = await maxGlobalPosition();
      const timings: TenantTiming[] = tenants.map((tenantId) => ({ tenantId }));
      const cpuBefore = workers.map((w) => cpuSecondsOf(w.child.pid ?? 0));
      await backends.sample();
      const dbBefore = backends.totals();
      const collectorBefore = process.cpuUsage();
      const machineBefore = machineCpu();
      const peakRss = workers.map(() => 0);
      let collectorPeak = 0;
      const t0 = performance.now();
      const t0Us = Number(process.hrtime.bigint() / 1000n);
      const t0Wall = Date.now();
      let ingestSeconds = Number.NaN;
      let ingestDone = false;
      let ingestError: unknown;

      const queue = [...tenants.keys()];
      let ingested = 0;
      const collecting = Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
            const tenantId = tenants[i];
            const result = await ingest(store, itemsOf(estateOf(i)), {
              tenantId,
              standing,
              actor: { kind: 'system', id: 'bench-fleet' },
              source: 'push',
              scope: '*',
              complete: true,
              presentResources: presentResourcesFromReadModel(s),
            });
            timings[i].ingestedMs = performance.now() - t0;
            timings[i].lastResourceEvent = await lastOf(GUARDRAIL_EVALUATOR_EVENT_TYPES, tenantId);
            ingested++;
            const c = result.counts;
            log(`  ${name}: ${tenantId} ingested (${ingested}/${tenants.length}, partition ${partitionOf.get(tenantId)}): ${c.seen} seen, ${c.discovered} discovered, ${c.changed} changed, ${c.removed} removed, ${c.unchanged} unchanged`);
          }
        }),
      ).then(
        () => {
          ingestSeconds = (performance.now() - t0) / 1000;
          ingestDone = true;
        },
        (error: unknown) => (ingestError = error),
      );

      let doneAt: number | undefined;
      let lastTargets = '';
      let lastProgress = performance.now();
      const deadline = performance.now() + options.timeoutMinutes * 60_000;
      for (;;) {
        if (ingestError) throw ingestError;
        if (performance.now() > deadline) throw new Error(`${name}: not caught up within ${options.timeoutMinutes} minutes (--timeout-minutes)`);
        const dead = workers.find((w) => !alive(w));
        if (dead) throw new Error(`${name}: a worker exited (${dead.child.exitCode ?? dead.child.signalCode})\n${dead.output().slice(-2_000)}`);
        workers.forEach((w, i) => (peakRss[i] = Math.max(peakRss[i], rssBytesOf(w.child.pid ?? 0) || 0)));
        collectorPeak = Math.max(collectorPeak, process.memoryUsage.rss());
        await backends.sample();
        const now = performance.now() - t0;
        const checkpoints = await pmCheckpoints();
        const evaluator = checkpoints.get(GUARDRAIL_EVALUATOR_SUBSCRIPTION) ?? [];
        for (const t of timings) {
          if (t.evaluatedMs === undefined && t.lastResourceEvent && comparePositions(evaluator[partitionOf.get(t.tenantId) ?? 0], t.lastResourceEvent) >= 0) t.evaluatedMs = now;
        }
        let caughtUp = false;
        let targets = '';
        if (ingestDone && timings.every((t) => t.evaluatedMs !== undefined)) {
          // The evaluator is done with every tenant; what it recorded is final, so the reactor's last
          // event can be found, and then the projections must have applied the log up to its head.
          const reactorTarget = await lastOf(INCIDENT_REACTOR_EVENT_TYPES);
          const reactorDone = (checkpoints.get(INCIDENT_REACTOR_SUBSCRIPTION) ?? []).every((c) => comparePositions(c, reactorTarget) >= 0);
          const h = await head();
          const projections = await projectionCheckpoints();
          caughtUp = reactorDone && projections.length > 0 && projections.every((p) => comparePositions(p.at, h) >= 0);
          targets = `${reactorTarget.commit}/${reactorTarget.prepare}`;
        }
        if (!caughtUp || targets !== lastTargets) doneAt = undefined;
        else doneAt ??= now;
        lastTargets = targets;
        if (doneAt !== undefined && now - doneAt >= QUIET_MS) break;
        if (performance.now() - lastProgress >= PROGRESS_MS) {
          lastProgress = performance.now();
          const evaluated = timings.filter((t) => t.evaluatedMs !== undefined).length;
          const projections = await projectionCheckpoints();
          const h = await head();
          const lagging = projections.filter((p) => comparePositions(p.at, h) < 0).length;
          log(`  ${name} ${(now / 1000).toFixed(0)} s: ${ingested}/${tenants.length} ingested, ${evaluated} evaluated; events behind: ${await behind(checkpoints)}; projections behind the head: ${lagging}/${projections.length}`);
        }
        await sleep(POLL_MS);
      }
      await collecting;
      const seconds = (doneAt ?? performance.now() - t0) / 1000;
      const t1Us = t0Us + Math.round(seconds * 1e6);
      const machineAfter = machineCpu();
      const cpuAfter = workers.map((w) => cpuSecondsOf(w.child.pid ?? 0));
      const collectorCpu = process.cpuUsage(collectorBefore);
      await backends.sample();
      const dbAfter = backends.totals();
      const dbDelta = (app: string) => (dbAfter.get(app) ?? 0) - (dbBefore.get(app) ?? 0);
      const dbOther = [...dbAfter.keys()].filter((a) => a !== 'rampart-bench-worker' && a !== 'rampart-bench-collector').reduce((sum, a) => sum + dbDelta(a), 0);
      log(`${name}: caught up after ${seconds.toFixed(1)} s (ingested in ${ingestSeconds.toFixed(1)} s); measuring`);

      const toGp = await maxGlobalPosition();
      const types = await q<{ type: string; n: string }>(`SELECT type, count(*)::text AS n FROM ${EVENTS} WHERE global_position > $1 AND global_position <= $2 GROUP BY type ORDER BY type`, [fromGp, toGp]);
      const eventsByType = Object.fromEntries(types.map((r) => [r.type, Number(r.n)]));
      const lastPosture = await q<{ tenant_id: string; at: Date }>(
        `SELECT tenant_id, max(recorded_at) AS at FROM ${EVENTS} WHERE global_position > $1 AND global_position <= $2 AND starts_with(type, 'guardrails.') GROUP BY tenant_id`,
        [fromGp, toGp],
      );
      for (const r of lastPosture) {
        const t = timings.find((x) => x.tenantId === r.tenant_id);
        if (t) t.lastPostureMs = new Date(r.at).getTime() - t0Wall;
      }
      const postureStreamsTouched = Number(
        (await q<{ n: string }>(`SELECT count(DISTINCT stream_id)::text AS n FROM ${EVENTS} WHERE global_position > $1 AND global_position <= $2 AND starts_with(type, 'guardrails.')`, [fromGp, toGp]))[0].n,
      );
      const databaseBytes = Number((await q<{ b: string }>(`SELECT pg_database_size(current_database())::text AS b`))[0].b);
      const largestTables = (
        await q<{ t: string; b: string }>(
          `SELECT n.nspname || '.' || c.relname AS t, pg_total_relation_size(c.oid)::text AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname IN ('rampart', $1) ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6`,
          [READ_MODEL_SCHEMA],
        )
      ).map((r) => ({ table: r.t, bytes: Number(r.b) }));
      const findingsPerTenant = await q<{ tenant_id: string; n: string }>(
        `SELECT tenant_id, count(*)::text AS n FROM ${EVENTS} WHERE type = 'guardrails.FindingOpened.v1' GROUP BY tenant_id`,
      );
      const resolved = Number((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${EVENTS} WHERE type = 'guardrails.FindingResolved.v1'`))[0].n);
      const findingsOpen = findingsPerTenant.reduce((a, r) => a + Number(r.n), 0) - resolved;
      const incidentsOpen = Number((await q<{ n: string }>(`SELECT count(*)::text AS n FROM ${EVENTS} WHERE type = 'incidents.IncidentOpened.v1'`))[0].n);
      const tenantsWithoutFindings = tenants.filter((t) => !findingsPerTenant.some((r) => r.tenant_id === t && Number(r.n) > 0)).length;

      // Is it plausible? A failed check is printed, not thrown: the numbers are still worth reading.
      const checks: string[] = [];
      const count = (type: string) => eventsByType[`inventory.${type}.v1`] ?? 0;
      const expectedResources = tenants.length * options.resources;
      if (changedResources === 0) {
        if (count('ResourceDiscovered') !== expectedResources) checks.push(`discovered ${count('ResourceDiscovered')}, expected ${expectedResources}`);
        if (tenantsWithoutFindings > 0) checks.push(`${tenantsWithoutFindings} tenant(s) without any finding`);
        if (incidentsOpen === 0) checks.push('no incident opened');
      } else {
        if (count('ResourceConfigurationChanged') !== changedResources) checks.push(`changed ${count('ResourceConfigurationChanged')}, expected ${changedResources}`);
        if (count('ResourceDiscovered') + count('ResourceRemoved') > 0) checks.push(`discovered ${count('ResourceDiscovered')} and removed ${count('ResourceRemoved')}, expected none`);
        // A change re-evaluates the resource and its parent, no more.
        if (postureStreamsTouched > 2 * changedResources) checks.push(`${postureStreamsTouched} posture streams touched for ${changedResources} changed resources`);
      }
      const loadAverage = os.loadavg();
      return {
        name,
        seconds,
        ingestSeconds,
        resources: expectedResources,
        changedResources,
        eventsByType,
        fairness: timings.map((t) => ({
          tenantId: t.tenantId,
          ingestedAfterS: (t.ingestedMs ?? Number.NaN) / 1000,
          evaluatedAfterS: ((t.evaluatedMs ?? Number.NaN) - (t.ingestedMs ?? Number.NaN)) / 1000,
          lastPostureAfterS: t.lastPostureMs === undefined ? null : (t.lastPostureMs - (t.ingestedMs ?? Number.NaN)) / 1000,
        })),
        workerCpuSeconds: cpuAfter.map((c, i) => c - cpuBefore[i]),
        workerPeakRssBytes: peakRss,
        collectorCpuSeconds: (collectorCpu.user + collectorCpu.system) / 1e6,
        collectorPeakRssBytes: collectorPeak,
        dbCpuSeconds: { workers: dbDelta('rampart-bench-worker'), collector: dbDelta('rampart-bench-collector'), other: dbOther },
        machineBusy: 1 - (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total),
        loadAverage,
        databaseBytes,
        largestTables,
        findingsOpen,
        incidentsOpen,
        tenantsWithoutFindings,
        postureStreamsTouched,
        checks,
        windowUs: [t0Us, t1Us],
      };
    };

    const cycles: CycleResult[] = [];
    // Cycle 1 streams each estate from its generator: the bench holds no estate in memory.
    cycles.push(await runCycle('cycle 1 (first collection)', (i) => generateTenant({ seed: seedOf(i), resources: options.resources, misconfiguredShare: 0.2 }), 0));
    await sleep(3_000);
    // Cycle 2 holds one estate per concurrent ingestion: the same estate, regenerated, 1% changed.
    const changedPerTenant = Math.min(options.resources, Math.round(CHANGED_SHARE * options.resources));
    cycles.push(
      await runCycle(
        'cycle 2 (1% changed)',
        (i) => mutate([...generateTenant({ seed: seedOf(i), resources: options.resources, misconfiguredShare: 0.2 })], CHANGED_SHARE, seedOf(i) + 7).resources,
        changedPerTenant * tenants.length,
      ),
    );

    const peakRssOverall = workers.map((w) => rssBytesOf(w.child.pid ?? 0, 'VmHWM'));
    if (profileDir) {
      // A clean stop writes the profiles.
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.race([Promise.all(workers.map((w) => (alive(w) ? new Promise((done) => w.child.once('exit', done)) : undefined))), sleep(60_000)]);
      const files = (() => {
        try {
          return readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
        } catch {
          return [];
        }
      })();
      if (files.length < workers.length) log(`only ${files.length} of ${workers.length} CPU profiles written; the CPU split is left out for the missing ones`);
      const windows = cycles.map((c) => c.windowUs);
      const sum = cycles.map(() => new Map<string, number>());
      for (const f of files) {
        const shares = profileShares(JSON.parse(readFileSync(path.join(profileDir, f), 'utf8')) as CpuProfile, windows);
        shares.forEach((m, i) => m.forEach((v, k) => sum[i].set(k, (sum[i].get(k) ?? 0) + v)));
      }
      cycles.forEach((c, i) => {
        const total = [...sum[i].values()].reduce((a, b) => a + b, 0);
        if (total > 0) c.cpuShares = Object.fromEntries([...sum[i].entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / total]));
      });
    }

    report(cycles, options, peakRssOverall);
    finishRun(started, options.json, (loadAtEnd) => ({ ...header, options, cycles: cycles.map(({ windowUs: _w, ...c }) => c), peakRssOverall, loadAtEnd }));
  } finally {
    await cleanup();
  }
};

const percentile = (values: readonly number[], p: number): number => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

const report = (cycles: readonly CycleResult[], options: Options, peakRssOverall: number[]): void => {
  const sumOf = (c: CycleResult, test: (type: string) => boolean) => Object.entries(c.eventsByType).reduce((a, [t, v]) => a + (test(t) ? v : 0), 0);
  const s = (v: number, digits = 1) => (Number.isNaN(v) ? '-' : v.toFixed(digits));
  const spread = (v: readonly number[]) => `${s(percentile(v, 50))} / ${s(percentile(v, 95))} / ${s(percentile(v, 100))}`;
  const rows: [string, (c: CycleResult) => string][] = [
    ['wall time s (ingest s)', (c) => `${s(c.seconds)} (${s(c.ingestSeconds)})`],
    ['resources/s (whole cycle)', (c) => n(c.resources / c.seconds)],
    ['resources changed', (c) => n(c.changedResources)],
    ['events: inventory resources', (c) => n(sumOf(c, (t) => t.startsWith('inventory.Resource')))],
    ['events: inventory runs', (c) => n(sumOf(c, (t) => t.startsWith('inventory.IngestionRun')))],
    ['events: guardrails posture', (c) => n(sumOf(c, (t) => t === 'guardrails.ComplianceStateChanged.v1'))],
    ['events: guardrails findings (opened/resolved)', (c) => `${n(sumOf(c, (t) => t.startsWith('guardrails.Finding')))} (${n(c.eventsByType['guardrails.FindingOpened.v1'] ?? 0)}/${n(c.eventsByType['guardrails.FindingResolved.v1'] ?? 0)})`],
    ['events: incidents (opened)', (c) => `${n(sumOf(c, (t) => t.startsWith('incidents.')))} (${n(c.eventsByType['incidents.IncidentOpened.v1'] ?? 0)})`],
    ['events: other', (c) => n(sumOf(c, (t) => !/^(inventory|guardrails|incidents)\./.test(t)))],
    ['posture streams touched', (c) => n(c.postureStreamsTouched)],
    ['evaluated after own ingest p50/p95/max s', (c) => spread(c.fairness.map((f) => f.evaluatedAfterS))],
    ['worst tenant (ingested at s)', (c) => [...c.fairness].sort((a, b) => b.evaluatedAfterS - a.evaluatedAfterS).slice(0, 1).map((f) => `${f.tenantId} (${s(f.ingestedAfterS)})`).join('')],
    [
      'last posture event after own ingest p50/p95/max s',
      (c) => spread(c.fairness.map((f) => f.lastPostureAfterS ?? Number.NaN)),
    ],
    ['worker CPU s', (c) => c.workerCpuSeconds.map((v) => s(v, 0)).join(' + ')],
    ['worker peak RSS MiB', (c) => c.workerPeakRssBytes.map((v) => (v / 2 ** 20).toFixed(0)).join(' + ')],
    ['collector (bench) CPU s / peak RSS', (c) => `${s(c.collectorCpuSeconds, 0)} / ${MiB(c.collectorPeakRssBytes)}`],
    ['PostgreSQL CPU s: workers / collector / other', (c) => `${s(c.dbCpuSeconds.workers, 0)} / ${s(c.dbCpuSeconds.collector, 0)} / ${s(c.dbCpuSeconds.other, 0)}`],
    ['machine busy (load avg at end)', (c) => `${Math.round(c.machineBusy * 100)}% (${c.loadAverage.map((l) => l.toFixed(1)).join(', ')})`],
    ['database size after', (c) => MiB(c.databaseBytes)],
    ['findings open / incidents (all so far)', (c) => `${n(c.findingsOpen)} / ${n(c.incidentsOpen)}`],
    ['checks', (c) => (c.checks.length ? `FAILED: ${c.checks.join('; ')}` : 'ok')],
  ];
  console.log('');
  console.log(alignedTable(['', ...cycles.map((c) => c.name)], [false, ...cycles.map(() => true)], rows.map(([label, f]) => [label, ...cycles.map(f)])));

  console.log('');
  console.log('per resource (the costs to extrapolate from):');
  const perResource: [string, (c: CycleResult) => string][] = [
    ['worker CPU ms', (c) => s((1000 * c.workerCpuSeconds.reduce((a, b) => a + b, 0)) / c.resources, 2)],
    ['PostgreSQL CPU ms (workers + collector)', (c) => s((1000 * (c.dbCpuSeconds.workers + c.dbCpuSeconds.collector)) / c.resources, 2)],
    ['collector CPU ms', (c) => s((1000 * c.collectorCpuSeconds) / c.resources, 2)],
    ['events appended', (c) => s(Object.values(c.eventsByType).reduce((a, b) => a + b, 0) / c.resources, 2)],
    ['database bytes (growth in the cycle)', (c, i = cycles.indexOf(c)) => n((c.databaseBytes - (i > 0 ? cycles[i - 1].databaseBytes : 0)) / c.resources)],
  ];
  console.log(alignedTable(['', ...cycles.map((c) => c.name)], [false, ...cycles.map(() => true)], perResource.map(([label, f]) => [label, ...cycles.map((c) => f(c))])));

  if (cycles.some((c) => c.cpuShares)) {
    const kinds = [...new Set(cycles.flatMap((c) => Object.keys(c.cpuShares ?? {})))];
    console.log('');
    console.log("where the workers' CPU went (V8 profile samples of the workers' main threads; share, and ms per resource of the worker CPU above):");
    console.log(
      alignedTable(
        ['', ...cycles.map((c) => c.name)],
        [false, ...cycles.map(() => true)],
        kinds.map((k) => [
          k,
          ...cycles.map((c) => {
            const share = c.cpuShares?.[k] ?? 0;
            return `${(share * 100).toFixed(0)}% ${s((1000 * share * c.workerCpuSeconds.reduce((a, b) => a + b, 0)) / c.resources, 2)}`;
          }),
        ]),
      ),
    );
  }

  console.log('');
  console.log('largest tables after each cycle:');
  for (const c of cycles) console.log(`  ${c.name}: ${c.largestTables.map((t) => `${t.table} ${MiB(t.bytes)}`).join(', ')}`);
  console.log(`worker peak RSS over the run (VmHWM): ${peakRssOverall.map((b) => MiB(b)).join(' + ')}`);
  console.log('');
  console.log(
    `${options.tenants} tenants x ${n(options.resources)} resources, standard ${options.standard}, incident policy: high and critical findings; ${options.workers} rampart worker process(es), ${options.partitions} partitions, ${options.concurrency} tenants ingested at a time by the bench (in-process ingest, complete snapshots). ` +
      'wall time: from the first ingestion until every partition of the evaluator and the incident reactor is checkpointed past the last event it follows and every projection has applied the log up to its head (held for 3 s). ' +
      "evaluated after own ingest: from the end of a tenant's ingestion until its partition's evaluator checkpoint passed its last resource event (polled every 0.5 s); last posture event: its last guardrails event of the cycle (recorded_at) minus the same start, negative when the evaluator kept pace with the ingestion. " +
      'PostgreSQL CPU: the server processes of this database by application_name, sampled from /proc every 0.5 s (the checkpointer, WAL writer and autovacuum are not in it).',
  );
};

const program = new Command('bench-fleet')
  .description("A whole fleet's collection cycle: wall time, fairness per tenant, CPU, memory and disk, with real worker processes on PostgreSQL")
  .option('--quick', 'smoke run: 20 tenants x 300 resources', false)
  .option('--tenants <n>', 'tenants in the fleet (default 200)', (v) => Number.parseInt(v, 10))
  .option('--resources <n>', 'resources per tenant (default 5,000)', (v) => Number.parseInt(v, 10))
  .option('--workers <n>', 'rampart worker processes', (v) => Number.parseInt(v, 10), 2)
  .option('--concurrency <n>', 'tenants ingested at a time', (v) => Number.parseInt(v, 10), 4)
  .option('--partitions <n>', 'RAMPART_WORKER_PARTITIONS', (v) => Number.parseInt(v, 10), 8)
  .option('--standard <id>', 'the standard assigned to every tenant', 'mcsb')
  .option('--timeout-minutes <n>', 'give up on a cycle after this long', (v) => Number.parseInt(v, 10), 600)
  .option('--no-profile', "do not profile the workers (no split of their CPU by process manager)")
  .option('--json <file>', 'also write the results as JSON')
  .action(async (o: { quick: boolean; tenants?: number; resources?: number; workers: number; concurrency: number; partitions: number; standard: string; timeoutMinutes: number; profile: boolean; json?: string }) => {
    await run({
      quick: o.quick,
      tenants: o.tenants ?? (o.quick ? 20 : 200),
      resources: o.resources ?? (o.quick ? 300 : 5_000),
      workers: o.workers,
      concurrency: o.concurrency,
      partitions: o.partitions,
      standard: o.standard,
      timeoutMinutes: o.timeoutMinutes,
      profile: o.profile,
      json: o.json,
    });
  });

program.parseAsync().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench-fleet: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
