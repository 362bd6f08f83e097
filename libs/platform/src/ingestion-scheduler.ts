// Scheduled ingestion: every interval, the cloud connections of each tenant that may be collected
// (tenancy's standing rule) are ingested, one run per connection at a time across all workers
// (database leases).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ingestAzureConnection, INGESTION_COMMAND_INTENTS } from '@rampart/ingestion';
import { credentialFromReference } from '@rampart/inventory-azure';
import { standingOf, type CloudConnection, type TenantDirectoryEntry } from '@rampart/tenancy';
import { Leases } from './leases';
import type { Logger } from './logger';
import { presentResourcesFromReadModel } from './present-resources';
import { READ_MODEL_SCHEMA } from './projections';
import type { Stores } from './stores';
import { tenantStanding } from './tenant-standing';

export type RunConnection = (tenantId: string, connection: CloudConnection) => Promise<void>;

export interface SchedulerOptions {
  readonly intervalMs: number;
  /** How long a lease lasts without renewal; renewed at a third of it while the run goes on. */
  readonly leaseMs?: number;
  /** The work itself; defaults to Resource Graph ingestion with the connection's credential reference. */
  readonly run?: RunConnection;
  readonly holder?: string;
}

export const azureIngestion = (stores: Stores, log: Logger, env: Record<string, string | undefined> = process.env): RunConnection =>
  async (tenantId, connection) => {
    const results = await ingestAzureConnection(
      stores.eventStore,
      tenantId,
      connection,
      { credential: credentialFromReference(connection.credentialReference, env) },
      { standing: tenantStanding(stores.eventStore), presentResources: presentResourcesFromReadModel(stores) },
    );
    for (const f of results.managementGroupFailures) {
      log.warn({ tenantId, connectionId: connection.connectionId, managementGroup: f.managementGroup, error: f.error }, 'management group not readable');
    }
    for (const r of results.subscriptions) {
      if (r.result) log.info({ tenantId, connectionId: connection.connectionId, subscriptionId: r.subscriptionId, counts: r.result.counts }, 'ingestion run completed');
      else log.warn({ tenantId, connectionId: connection.connectionId, subscriptionId: r.subscriptionId, failures: r.failures }, 'ingestion run failed');
    }
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
  const run = options.run ?? azureIngestion(stores, log);

  const runOnce = async () => {
    const ran: string[] = [];
    const skipped: string[] = [];
    const { rows } = await stores.readModels.query<{ doc: TenantDirectoryEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_directory WHERE jsonb_array_length(COALESCE(doc->'connections', '[]')) > 0 ORDER BY id`,
    );
    for (const { doc } of rows) {
      // Tenancy's rule says whose inventory is collected (the run asks again, from the tenant's stream).
      if (standingOf(doc.tenantId, doc.status, INGESTION_COMMAND_INTENTS.StartIngestionRun)) continue;
      for (const connection of doc.connections) {
        const key = `ingest:${doc.tenantId}:${connection.connectionId}`;
        if (!(await leases.acquire(key, holder, leaseMs))) {
          skipped.push(key);
          continue;
        }
        const renew = setInterval(() => void leases.acquire(key, holder, leaseMs).catch(() => undefined), leaseMs / 3);
        try {
          await run(doc.tenantId, connection);
          ran.push(key);
        } catch (error) {
          log.error({ err: error, tenantId: doc.tenantId, connectionId: connection.connectionId }, 'scheduled ingestion failed');
        } finally {
          clearInterval(renew);
          // Keep the connection claimed until shortly before its next turn, so another worker's pass
          // in the same interval does not ingest it again.
          const rest = Math.floor(options.intervalMs * 0.9);
          await (rest > 0 ? leases.acquire(key, holder, rest) : leases.release(key, holder)).catch(() => undefined);
        }
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
