// Reactions benchmark: events per second through the process managers (guardrail evaluator,
// incident reactor, finding notifier) with 1, 2 and 3 real `rampart worker` processes sharing
// them by tenant partition on one PostgreSQL. Per run: a fresh database; a fleet of synthetic
// tenants onboarded, each with a baseline and a reporting policy that raises incidents and
// notifies a local receiver; the workers started and their partitions shared; then every
// tenant's estate ingested and the clock stopped when the three process managers have
// checkpointed every partition past the last event they follow and every notification arrived. Not a test:
// it prints a table (stdout) and progress (stderr). See docs/performance.md, "Reactions".
//
//   node tools/bin/run-ts.js tools/bench/reactions/main.ts                 24 tenants x 300 resources, 1-3 workers, 2 rounds
//   node tools/bin/run-ts.js tools/bench/reactions/main.ts --quick         8 tenants x 100 resources, 1 round
//   node tools/bin/run-ts.js tools/bench/reactions/main.ts --workers 1,2 --json tmp/bench-reactions.json
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { Client } from 'pg';
import { comparePositions, handleCommand, tenantPartitionOf, type GlobalPosition } from '@rampart/event-sourcing';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { GUARDRAIL_EVALUATOR_EVENT_TYPES } from '@rampart/guardrails-application';
import { INCIDENT_REACTOR_EVENT_TYPES } from '@rampart/incidents-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { generateTenant } from '@rampart/demo';
import { loadConfig, openStores, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { alignedTable, cpuBusyFraction, cpuSecondsOf, errorText, finishRun, machineHeader, maskUrl } from '../shared';

const ROOT = path.join(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, 'tools', 'bin', 'rampart.js');
const SECRET = 'bench-reactions-secret-0123456789abcdef';
const SUBSCRIPTIONS = ['guardrail-evaluator', 'incident-reactor', 'finding-notifier'] as const;
const NOTIFIER_EVENT_TYPES = ['guardrails.FindingOpened.v1'];
/** Lease short enough that workers starting together share the partitions within seconds. */
const LEASE_SECONDS = 6;
/** The run is over when the reactions stayed caught up (no new event for them) this long. */
const QUIET_MS = 4_000;

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

interface RunResult {
  readonly workers: number;
  readonly round: number;
  readonly seconds: number;
  readonly ingestSeconds: number;
  readonly resourceEvents: number;
  /** Events delivered to the three process managers: each one's event types in the log, summed. */
  readonly reactionEvents: number;
  readonly postureEvents: number;
  readonly findings: number;
  readonly incidents: number;
  readonly notifications: number;
  readonly notificationsExpected: number;
  /** Per worker: evaluator partitions it held through the run, the resource events of their tenants, and CPU seconds it used. */
  readonly perWorker: { evaluatorPartitions: number; resourceEvents: number; cpuSeconds: number }[];
  /** False when a partition changed hands during the run (the split above is then approximate). */
  readonly assignmentStable: boolean;
  readonly machineBusy: number;
}


const cpuTimes = () => os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }), { idle: 0, total: 0 });

interface Worker {
  readonly child: ChildProcess;
  output(): string;
}

const startWorker = (env: Record<string, string>): Worker => {
  const child = spawn(process.execPath, [BIN, 'worker'], { cwd: ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  return { child, output: () => output };
};

const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, workers: readonly Worker[] = []) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${workers.map((w, i) => `\n--- worker ${i + 1}\n${w.output().slice(-1_500)}`).join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

const countOf = async (stores: Stores, sql: string, params: unknown[] = []): Promise<number> => Number((await stores.readModels.query<{ n: string }>(sql, params)).rows[0].n);

const partitionCheckpoints = async (stores: Stores, partitions: number): Promise<GlobalPosition[]> => {
  const { rows } = await stores.readModels.query<{ id: string; c: string; p: string }>(
    `SELECT subscription_id AS id, commit_position::text AS c, prepare_position::text AS p FROM "${READ_MODEL_SCHEMA}".subscription_checkpoints`,
  );
  const at = new Map(rows.map((r) => [r.id, { commit: BigInt(r.c), prepare: BigInt(r.p) }]));
  return SUBSCRIPTIONS.flatMap((s) => Array.from({ length: partitions }, (_, k) => at.get(`${s}[${k}/${partitions}]`) ?? { commit: -1n, prepare: -1n }));
};

const runOnce = async (
  workerCount: number,
  round: number,
  options: { tenants: number; resources: number; partitions: number; timeoutMs: number },
): Promise<RunResult> => {
  const database = `rampart_bench_reactions_${process.pid}_${workerCount}_${round}`;
  const admin = new Client({ connectionString: testDatabaseUrl(), application_name: 'rampart-bench-reactions' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-reactions-'));
  let receiver: WebhookReceiver | undefined;
  let stores: Stores | undefined;
  const workers: Worker[] = [];
  try {
    receiver = await startWebhookReceiver(SECRET);
    const env = {
      ...(process.env as Record<string, string>),
      RAMPART_STORE: 'postgres',
      DATABASE_URL: testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${database}$1`),
      RAMPART_DATA_DIR: dir,
      RAMPART_LOG_LEVEL: 'info',
      RAMPART_NOTIFY_WEBHOOK_URL: receiver.url,
      RAMPART_NOTIFY_WEBHOOK_SECRET: SECRET,
      RAMPART_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
      RAMPART_WORKER_PARTITIONS: String(options.partitions),
      RAMPART_INGEST_INTERVAL_MINUTES: '0',
    };
    const db = await openStores(loadConfig(env).store);
    stores = db;
    const hook = receiver;
    const store = db.eventStore;
    // As many tenants in each partition (hashing 24 arbitrary ids gives partitions of 1 to 6 tenants,
    // which would measure the hash's luck rather than the workers).
    const tenants = balancedTenants(options.tenants, options.partitions);
    await onboardTenants(store, ...tenants);
    const policy = (tenantId: string, cmd: TenantGuardrailsCommand) =>
      handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenantId), cmd, {
        tenantId,
        actor: { kind: 'user', id: 'bench@soc.example' },
        correlationId: 'bench',
        causationId: null,
        now: new Date(),
      });
    for (const t of tenants) {
      await policy(t, { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' });
      await policy(t, { kind: 'SetReportingPolicy', incidentSeverities: ['critical', 'high'], notifySeverities: ['critical', 'high', 'medium'] });
    }
    const estates = tenants.map((_, i) => [...generateTenant({ seed: 1_000 + i, resources: options.resources, misconfiguredShare: 0.2 })]);

    workers.push(...Array.from({ length: workerCount }, () => startWorker(env)));
    await until('workers started', () => workers.every((w) => /worker started/.test(w.output())), 120_000, workers);
    // Each worker holds its share of every process manager before the estates arrive.
    const fair = [...Array.from({ length: workerCount }, (_, r) => Math.floor(options.partitions / workerCount) + (r < options.partitions % workerCount ? 1 : 0))].sort().join();
    await until(
      'partitions shared',
      async () => {
        const { rows } = await db.readModels.query<{ lease_key: string; holder: string }>(
          `SELECT lease_key, holder FROM "${READ_MODEL_SCHEMA}".leases WHERE starts_with(lease_key, 'subscription:') AND expires_at > clock_timestamp()`,
        );
        return SUBSCRIPTIONS.every((s) => {
          const per = new Map<string, number>();
          for (const r of rows) if (r.lease_key.startsWith(`subscription:${s}[`)) per.set(r.holder, (per.get(r.holder) ?? 0) + 1);
          return [...per.values()].sort().join() === fair;
        });
      },
      120_000,
      workers,
    );
    const assignment = async () => {
      const { rows } = await db.readModels.query<{ lease_key: string; holder: string }>(
        `SELECT lease_key, holder FROM "${READ_MODEL_SCHEMA}".leases WHERE starts_with(lease_key, 'subscription:guardrail-evaluator[') AND expires_at > clock_timestamp() ORDER BY 1`,
      );
      return rows.map((r) => `${r.lease_key}=${r.holder}`);
    };
    const before = await assignment();
    log(`  ${workerCount} worker(s) up, partitions shared; ingesting ${tenants.length} x ${options.resources} resources`);

    const cpuBefore = workers.map((w) => cpuSecondsOf(w.child.pid ?? 0));
    const machineBefore = cpuTimes();
    const started = performance.now();
    const standing = tenantStanding(store);
    // Four tenants at a time, as a collection cycle's scans would overlap.
    const queue = [...tenants.keys()];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          await ingest(store, itemsOf(estates[i]), { tenantId: tenants[i], standing, actor: { kind: 'system', id: 'bench' }, source: 'push', scope: '*', complete: false });
        }
      }),
    );
    const ingestSeconds = (performance.now() - started) / 1000;
    log(`  ingested in ${ingestSeconds.toFixed(1)} s; waiting for the reactions`);

    // Done when each process manager has checkpointed every partition past the last event of the
    // types it follows and every notification was delivered, and that held for QUIET_MS (no new
    // such event); the time is when it first held. The log's head itself keeps moving for a while
    // (the action runner executes pre-approved actions every 2 s), which is not the reactions' work.
    const followed: Record<(typeof SUBSCRIPTIONS)[number], readonly string[]> = {
      'guardrail-evaluator': GUARDRAIL_EVALUATOR_EVENT_TYPES,
      'incident-reactor': INCIDENT_REACTOR_EVENT_TYPES,
      'finding-notifier': NOTIFIER_EVENT_TYPES,
    };
    const lastOf = async (types: readonly string[]): Promise<GlobalPosition> => {
      const { rows } = await db.readModels.query<{ c: string; p: string }>(
        `SELECT transaction_id::text AS c, global_position::text AS p FROM "rampart".events WHERE type = ANY($1::text[]) ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
        [types],
      );
      return rows[0] ? { commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) } : { commit: 0n, prepare: 0n };
    };
    let doneAt: number | undefined;
    let lastState = '';
    await until(
      'reactions caught up',
      async () => {
        const checkpoints = await partitionCheckpoints(db, options.partitions);
        const lasts = await Promise.all(SUBSCRIPTIONS.map((s) => lastOf(followed[s])));
        const notify = await countOf(db, `SELECT count(*) AS n FROM "rampart".events WHERE type = 'guardrails.FindingOpened.v1' AND (data->>'notify')::boolean`);
        const state = lasts.map((p) => `${p.commit}/${p.prepare}`).join(',');
        const caughtUp =
          SUBSCRIPTIONS.every((_, i) => checkpoints.slice(i * options.partitions, (i + 1) * options.partitions).every((c) => comparePositions(c, lasts[i]) >= 0)) &&
          new Set(hook.deliveries.map((d) => d.idempotencyKey)).size >= notify;
        if (!caughtUp || state !== lastState) doneAt = undefined;
        else doneAt ??= performance.now();
        lastState = state;
        return doneAt !== undefined && performance.now() - doneAt >= QUIET_MS;
      },
      options.timeoutMs,
      workers,
    );
    const seconds = ((doneAt ?? performance.now()) - started) / 1000;
    const machineAfter = cpuTimes();
    const cpuAfter = workers.map((w) => cpuSecondsOf(w.child.pid ?? 0));
    const machineBusy = 1 - (machineAfter.idle - machineBefore.idle) / (machineAfter.total - machineBefore.total);

    const events = `"rampart".events`;
    const ofTypes = (types: readonly string[]) => countOf(db, `SELECT count(*) AS n FROM ${events} WHERE type = ANY($1::text[])`, [types]);
    const resourceEvents = await countOf(db, `SELECT count(*) AS n FROM ${events} WHERE type LIKE 'inventory.Resource%'`);
    const reactionEvents = (await ofTypes(GUARDRAIL_EVALUATOR_EVENT_TYPES)) + (await ofTypes(INCIDENT_REACTOR_EVENT_TYPES)) + (await ofTypes(NOTIFIER_EVENT_TYPES));
    const postureEvents = await ofTypes(['guardrails.ComplianceStateChanged.v1']);
    const findings = await ofTypes(['guardrails.FindingOpened.v1']);
    const incidents = await ofTypes(['incidents.IncidentOpened.v1']);
    const notificationsExpected = await countOf(db, `SELECT count(*) AS n FROM ${events} WHERE type = 'guardrails.FindingOpened.v1' AND (data->>'notify')::boolean`);
    const after = await assignment();
    const perWorker = workers.map((w, i) => {
      const held = after.filter((a) => a.split('=')[1].split(':')[1] === String(w.child.pid)).map((a) => Number(/\[(\d+)\//.exec(a)?.[1]));
      return {
        evaluatorPartitions: held.length,
        resourceEvents: tenants.filter((t) => held.includes(tenantPartitionOf(t, options.partitions))).length * options.resources,
        cpuSeconds: cpuAfter[i] - cpuBefore[i],
      };
    });
    return {
      workers: workerCount,
      round,
      seconds,
      ingestSeconds,
      resourceEvents,
      reactionEvents,
      postureEvents,
      findings,
      incidents,
      notifications: new Set(receiver.deliveries.map((d) => d.idempotencyKey)).size,
      notificationsExpected,
      perWorker,
      assignmentStable: before.join() === after.join(),
      machineBusy,
    };
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => (w.child.exitCode === null && w.child.signalCode === null ? new Promise((r) => w.child.once('exit', r)) : undefined)));
    await stores?.close().catch(() => undefined);
    await receiver?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch((error: unknown) => log(`could not drop ${database}: ${errorText(error)}`));
    await admin.end();
  }
};

const HEADER = ['workers', 'round', 'seconds', 'ingest s', 'resource events', 'reaction events', 'events/s', 'x 1 worker', 'findings', 'incidents', 'notified', 'partitions per worker', 'resource events per worker', 'worker CPU s', 'machine busy'];

/** `count` tenant ids, as evenly spread over the partitions as the count allows. */
const balancedTenants = (count: number, partitions: number): string[] => {
  const per = Math.ceil(count / partitions);
  const by = new Map<number, string[]>();
  const chosen: string[] = [];
  for (let i = 0; chosen.length < count; i++) {
    const t = `bench-${String(i).padStart(3, '0')}`;
    const p = tenantPartitionOf(t, partitions);
    if ((by.get(p)?.length ?? 0) >= per) continue;
    by.set(p, [...(by.get(p) ?? []), t]);
    chosen.push(t);
  }
  return chosen;
};

const formatTable = (rows: readonly RunResult[]): string => {
  const base = rows.filter((r) => r.workers === 1);
  const baseRate = base.length ? base.reduce((a, r) => a + r.reactionEvents / r.seconds, 0) / base.length : Number.NaN;
  const cells = rows.map((r) => {
    const rate = r.reactionEvents / r.seconds;
    return [
      String(r.workers),
      String(r.round),
      r.seconds.toFixed(1),
      r.ingestSeconds.toFixed(1),
      r.resourceEvents.toLocaleString('en-US'),
      r.reactionEvents.toLocaleString('en-US'),
      Math.round(rate).toLocaleString('en-US'),
      `${(rate / baseRate).toFixed(2)}x`,
      r.findings.toLocaleString('en-US'),
      r.incidents.toLocaleString('en-US'),
      `${r.notifications}/${r.notificationsExpected}`,
      r.perWorker.map((w) => w.evaluatorPartitions).join('+') + (r.assignmentStable ? '' : ' (moved)'),
      r.perWorker.map((w) => w.resourceEvents.toLocaleString('en-US')).join('+'),
      r.perWorker.map((w) => w.cpuSeconds.toFixed(0)).join('+'),
      `${Math.round(r.machineBusy * 100)}%`,
    ];
  });
  return alignedTable(HEADER, HEADER.map((h) => !h.endsWith('per worker') && h !== 'worker CPU s'), cells);
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-reactions')
    .description('Events per second through the evaluator, the incident reactor and the notifier with 1, 2 and 3 worker processes on one PostgreSQL')
    .option('--quick', 'a smoke run: 8 tenants x 100 resources, one round', false)
    .option('--tenants <n>', 'tenants in the fleet', (v) => Number(v))
    .option('--resources <n>', 'resources per tenant', (v) => Number(v))
    .option('--workers <list>', 'worker counts to run, comma-separated', '1,2,3')
    .option('--rounds <n>', 'runs of each worker count, taking turns', (v) => Number(v))
    .option('--partitions <n>', 'RAMPART_WORKER_PARTITIONS', (v) => Number(v), 8)
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; tenants?: number; resources?: number; workers: string; rounds?: number; partitions: number; json?: string }>();
  const mode = opts.quick ? 'quick' : 'full';
  const tenants = opts.tenants ?? (opts.quick ? 8 : 24);
  const resources = opts.resources ?? (opts.quick ? 100 : 300);
  const rounds = opts.rounds ?? (opts.quick ? 1 : 2);
  const counts = opts.workers.split(',').map(Number);
  const started = new Date();
  const { machine, busyAtStart, loadAtStart } = await machineHeader('Reactions benchmark', mode, started);
  console.log(`PostgreSQL at ${maskUrl(testDatabaseUrl())}; ${tenants} tenants x ${resources} resources (seeded synthetic estates, 20% misconfigured), landing-zone-core on each; ${opts.partitions} partitions; lease ${LEASE_SECONDS} s`);

  const results: RunResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const n of counts) {
      log(`round ${round}: ${n} worker(s)`);
      const r = await runOnce(n, round, { tenants, resources, partitions: opts.partitions, timeoutMs: 20 * 60_000 });
      results.push(r);
      log(`  ${r.seconds.toFixed(1)} s, ${Math.round(r.reactionEvents / r.seconds)} events/s; machine ${Math.round(r.machineBusy * 100)}% busy; notified ${r.notifications}/${r.notificationsExpected}`);
      // Let the machine settle between runs (PostgreSQL's checkpointer, the dropped database).
      await cpuBusyFraction(3_000);
    }
  }
  console.log('');
  console.log(formatTable(results));
  console.log('');
  console.log(
    'seconds: from the start of the ingestion (the workers already running, their partitions shared) until every partition of the three process managers is checkpointed past the last event it follows and every notification has arrived. ' +
      'reaction events: the events of the log that the three process managers follow (resource and guardrail-policy events for the evaluator, findings and incident openings for the reactor, findings for the notifier), so events/s = reaction events / seconds; x 1 worker: against the mean of the 1-worker runs. ' +
      "partitions per worker: the evaluator's partitions each worker held through the run ('moved' if one changed hands), resource events per worker: those of the tenants in them (tenants chosen so that each partition holds as many); worker CPU s: CPU time each worker process used during the run; machine busy: all CPUs, PostgreSQL, this process and anything else on the machine included.",
  );
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), mode, machine, busyAtStart, loadAtStart, loadAtEnd, tenants, resources, partitions: opts.partitions, results }));
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
