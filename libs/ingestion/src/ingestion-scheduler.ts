// Scheduled ingestion: every interval, the cloud connections of each tenant that may be collected
// (tenancy's standing rule, asked through the `standing` port) are ingested, one run per connection
// at a time across all workers (database leases). Which connections exist is tenancy's record: the
// composition root hands it in as `connections`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { TenantStanding } from '@rampart/event-sourcing';
import type { CollectionSchedule } from '@rampart/inventory';
import { credentialFromReference } from '@rampart/inventory-azure';
import { Leases, READ_MODEL_SCHEMA, type Logger, type Stores } from '@rampart/runtime';
import { INGESTION_COMMAND_INTENTS } from './intents';
import { presentResourcesFromReadModel } from './present-resources';
import { collectAzureConnection } from './azure-collection';
import type { AzureConnection } from './resource-graph-ingest';

export type RunConnection = (tenantId: string, connection: ScheduledConnection['connection']) => Promise<void>;

/** A cloud connection of a tenant, as the scheduler collects it (tenancy publishes it in CloudConnectionAdded). */
export interface ScheduledConnection {
  readonly tenantId: string;
  readonly connection: AzureConnection & {
    /** Where the connection's credential is found (an environment variable's name, a managed identity): never the secret. */
    readonly credentialReference: string;
  };
}

export interface SchedulerOptions {
  /** How often every connection is asked whether its collection is due (the shorter of the snapshot and change-feed intervals). */
  readonly intervalMs: number;
  /** For the default run: full snapshots and change records (default: a snapshot every `intervalMs`, no change feed). */
  readonly intervals?: CollectionIntervals;
  /** Every tenant's cloud connections, in a stable order (tenancy's record). */
  readonly connections: () => Promise<readonly ScheduledConnection[]>;
  /** Tenancy's standing rule: whose inventory may be collected now. */
  readonly standing: TenantStanding;
  /** How long a lease lasts without renewal; renewed at a third of it while the run goes on. */
  readonly leaseMs?: number;
  /** The work itself; defaults to Resource Graph ingestion with the connection's credential reference. */
  readonly run?: RunConnection;
  readonly holder?: string;
}

/** Full snapshots at one interval, change records at another; the pass runs at the shorter. */
export interface CollectionIntervals {
  readonly snapshotIntervalMs: number;
  /** 0: snapshots only. */
  readonly changesIntervalMs: number;
}

/** How often the scheduler passes over the connections for these intervals. */
export const passIntervalOf = (intervals: CollectionIntervals): number =>
  intervals.changesIntervalMs > 0 ? Math.min(intervals.changesIntervalMs, intervals.snapshotIntervalMs) : intervals.snapshotIntervalMs;

export const azureIngestion = (
  stores: Stores,
  log: Logger,
  standing: TenantStanding,
  intervals: CollectionIntervals,
  env: Record<string, string | undefined> = process.env,
): RunConnection => {
  const schedule: CollectionSchedule = { ...intervals, passIntervalMs: passIntervalOf(intervals) };
  return async (tenantId, connection) => {
    const outcome = await collectAzureConnection(
      stores.eventStore,
      tenantId,
      connection,
      { credential: credentialFromReference(connection.credentialReference, env) },
      { standing, schedule, presentResources: presentResourcesFromReadModel(stores) },
    );
    const at = { tenantId, connectionId: connection.connectionId };
    if (outcome.mode === 'first') log.info({ ...at, backfill: outcome.backfill }, 'history backfilled from change records');
    if (outcome.mode === 'changes') {
      const { since, records, unresolved, failures, through } = outcome.changes;
      const counts = outcome.changes.runs.map((r) => ({ subscriptionId: r.subscriptionId, counts: r.result.counts }));
      if (failures.length) log.warn({ ...at, since, records, failures }, 'change records not all readable; the point stays');
      else log.info({ ...at, since, records, unresolved, through, runs: counts }, 'change records collected');
    }
    if (outcome.mode !== 'first' && outcome.mode !== 'snapshot') return;
    for (const f of outcome.snapshot.managementGroupFailures) {
      log.warn({ ...at, managementGroup: f.managementGroup, error: f.error }, 'management group not readable');
    }
    for (const r of outcome.snapshot.subscriptions) {
      if (r.result) log.info({ ...at, subscriptionId: r.subscriptionId, counts: r.result.counts }, 'ingestion run completed');
      else log.warn({ ...at, subscriptionId: r.subscriptionId, failures: r.failures }, 'ingestion run failed');
    }
  };
};

export interface IngestionScheduler {
  /** One pass over every connection (what each interval runs); resolves when the pass is done. */
  runOnce(): Promise<{ ran: string[]; skipped: string[] }>;
  stop(): Promise<void>;
}

export const startIngestionScheduler = async (stores: Stores, log: Logger, options: SchedulerOptions): Promise<IngestionScheduler> => {
  const leases = await Leases.open(stores.readModels, READ_MODEL_SCHEMA);
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const run = options.run ?? azureIngestion(stores, log, options.standing, options.intervals ?? { snapshotIntervalMs: options.intervalMs, changesIntervalMs: 0 });

  const runOnce = async () => {
    const ran: string[] = [];
    const skipped: string[] = [];
    const admitted = new Map<string, boolean>();
    for (const { tenantId, connection } of await options.connections()) {
      // Tenancy's rule says whose inventory is collected (the run asks again before it records anything).
      if (!admitted.has(tenantId)) admitted.set(tenantId, !(await options.standing(tenantId, INGESTION_COMMAND_INTENTS.StartIngestionRun)));
      if (!admitted.get(tenantId)) continue;
      const key = `ingest:${tenantId}:${connection.connectionId}`;
      if (!(await leases.acquire(key, holder, leaseMs))) {
        skipped.push(key);
        continue;
      }
      const renew = setInterval(() => void leases.acquire(key, holder, leaseMs).catch(() => undefined), leaseMs / 3);
      try {
        await run(tenantId, connection);
        ran.push(key);
      } catch (error) {
        log.error({ err: error, tenantId, connectionId: connection.connectionId }, 'scheduled ingestion failed');
      } finally {
        clearInterval(renew);
        // Keep the connection claimed until shortly before its next turn, so another worker's pass
        // in the same interval does not ingest it again.
        const rest = Math.floor(options.intervalMs * 0.9);
        await (rest > 0 ? leases.acquire(key, holder, rest) : leases.release(key, holder)).catch(() => undefined);
      }
    }
    return { ran, skipped };
  };

  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  const timer = options.intervalMs > 0
    ? setInterval(() => {
        if (stopped) return;
        current = current.then(runOnce).catch((error) => log.error({ err: error }, 'ingestion pass failed'));
      }, options.intervalMs)
    : undefined;
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await current;
    },
  };
};
