// The worker: runs every projection and process manager until stopped. Several workers may run at
// once: projections re-check their checkpoint under a row lock each batch, and each process
// manager's subscription is split into tenant partitions that the workers share through leases in
// the database (a killed worker's are taken over within the lease time), so scaling out needs no
// coordination service.
import { ProjectionRunner, type ProjectionStatus, type SqlProjection } from '@rampart/event-store';
import { recordedIncidentSeverities, startFindingNotifier, startGroupAssignments, startGuardrailEvaluator } from '@rampart/guardrails-application';
import { startActionRunner, startIncidentReactor } from '@rampart/incidents-application';
import { inventoryReader, passIntervalOf, startIngestionScheduler, sweepAbandonedIngestionRuns } from '@rampart/ingestion';
import { every, fenceAppends, inBatchSpan, READ_MODEL_SCHEMA, type ActionExecutorConfig, type Logger, type RampartConfig, type Stores } from '@rampart/runtime';
import { cloudConnections, tenantStanding } from '@rampart/tenancy-application';
import { platformProjections } from './projections';

export interface Worker {
  readonly runners: readonly ProjectionRunner[];
  statuses(): Promise<ProjectionStatus[]>;
  stop(): Promise<void>;
}

export const projectionRunners = (
  stores: Stores,
  log: Logger,
  options: { batchSize?: number; projections?: SqlProjection[] } = {},
): ProjectionRunner[] =>
  (options.projections ?? platformProjections()).map(
    (projection) =>
      new ProjectionRunner(stores.eventStore, stores.readModels, projection, {
        schema: READ_MODEL_SCHEMA,
        batchSize: options.batchSize,
        aroundBatch: ({ projection: name, events }, run) => inBatchSpan(`project ${name}`, events, { 'rampart.projection': name }, run),
        onBatch: ({ projection: name, events, durationMs }) =>
          log.debug({ projection: name, events, durationMs }, 'projection batch committed'),
        onError: ({ projection: name, error, attempt }) =>
          log.error({ projection: name, attempt, err: error }, 'projection batch failed; retrying'),
      }),
  );

export const startWorker = async (
  stores: Stores,
  log: Logger,
  options: {
    batchSize?: number;
    /** Scheduled collection: 0 or absent = none. */
    ingestIntervalMs?: number;
    /** Full snapshots this often (default `ingestIntervalMs`). */
    ingestSnapshotIntervalMs?: number;
    /** Change records this often between snapshots (default 0: snapshots only). */
    ingestChangesIntervalMs?: number;
    sweepIntervalMs?: number;
    actions?: ActionExecutorConfig;
    notifications?: RampartConfig['notifications'];
    /** How long a worker holds a process manager's partition without renewing it. */
    leaseMs?: number;
    /** Partitions of each process manager's subscription (default 8). */
    partitions?: number;
  } = {},
): Promise<Worker> => {
  const runners = projectionRunners(stores, log, options);
  for (const runner of runners) await runner.prepare();
  const controller = new AbortController();
  const running = runners.map((runner) => runner.run(controller.signal));
  // Tenancy's standing rule, handed to every context's reactions that act for a tenant.
  const standing = tenantStanding(stores.eventStore);
  const intervals = { snapshotIntervalMs: options.ingestSnapshotIntervalMs || options.ingestIntervalMs || 0, changesIntervalMs: options.ingestChangesIntervalMs ?? 0 };
  const scheduler = options.ingestIntervalMs
    ? await startIngestionScheduler(stores, log, { intervalMs: passIntervalOf(intervals), intervals, standing, connections: cloudConnections(stores.readModels) })
    : undefined;
  // The process managers write through a store that refuses their appends once a partition's
  // lease is in doubt (a paused worker waking up after another took its tenants over).
  const fenced: Stores = { ...stores, eventStore: fenceAppends(stores.eventStore), close: () => stores.close() };
  const following = { leaseMs: options.leaseMs, partitions: options.partitions };
  const evaluation = await startGuardrailEvaluator(fenced, log, { ...following, inventory: inventoryReader(stores.readModels) });
  // Which findings open an incident is the incident policy's choice; a tenant whose policy never
  // named one keeps what it recorded in guardrails' reporting policy, handed in as a port.
  const incidents = await startIncidentReactor(fenced, log, { ...following, standing, reportingChoice: recordedIncidentSeverities(stores.eventStore) });
  const actions = await startActionRunner(stores, log, options.actions ?? { executor: 'dry-run' }, { standing });
  const notifier = await startFindingNotifier(fenced, log, options.notifications, following);
  // a tenant group's assignments, held by its members as they join and leave
  const groups = await startGroupAssignments(fenced, log, standing, following);
  const sweeper = every(options.sweepIntervalMs ?? 5 * 60_000, log, 'sweeping abandoned ingestion runs', async () => {
    for (const run of await sweepAbandonedIngestionRuns(stores)) log.warn(run, 'ingestion run abandoned by its process; recorded as failed');
  });
  log.info({ projections: runners.map((r) => r.name), ingestIntervalMs: options.ingestIntervalMs ?? 0, ...(options.ingestIntervalMs ? intervals : {}) }, 'worker started');
  return {
    runners,
    statuses: () => Promise.all(runners.map((r) => r.status())),
    async stop() {
      await sweeper.stop();
      await scheduler?.stop();
      await evaluation.stop();
      await incidents.stop();
      await actions.stop();
      await notifier.stop();
      await groups.stop();
      controller.abort();
      await Promise.all(running);
      log.info('worker stopped');
    },
  };
};
