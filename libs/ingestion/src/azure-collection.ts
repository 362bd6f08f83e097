// Scheduled collection of one Azure connection. Between full snapshots (the source of truth, at a
// longer interval) only Resource Graph's change records since the connection's recorded point are
// read, and only the resources they name are fetched and observed, in a partial run per
// subscription. A connection's first collection also records the history Azure still keeps (14
// days) for the resources Rampart has never seen, before its first snapshot. The point moves
// forward only after the resource events are appended: a crash in between re-reads the records,
// and an observation of a configuration already recorded records nothing.
import { randomUUID } from 'node:crypto';
import {
  fold,
  handleCommand,
  isRejection,
  toNewEvents,
  WrongExpectedRevisionError,
  type Actor,
  type CommandContext,
  type EventStore,
  type NewEvent,
  type TenantStanding,
} from '@rampart/event-sourcing';
import {
  changeFeedStart,
  collectionMode,
  connectionCollectionDecider,
  connectionCollectionStreamId,
  EMPTY_COUNTS,
  ingestionRunDecider,
  ingestionRunStreamId,
  normaliseArmResource,
  reportedChangesOf,
  resourceDecider,
  resourceStreamId,
  type CollectionMode,
  type CollectionSchedule,
  type ConnectionCollection,
  type ConnectionCollectionEvent,
  type ResourceEvent,
  type ResourceState,
} from '@rampart/inventory';
import {
  CHANGE_RECORD_RETENTION_MS,
  readChangeRecords,
  readResourcesById,
  resourceGraphQuery,
  subscriptionsOfManagementGroups,
  type AzureChangeRecord,
  type ManagementGroupExpansion,
  type ResourceGraphSourceOptions,
} from '@rampart/inventory-azure';
import { changedResources, planFeed, rebuildHistory, reportedChangeOf, type ChangedResource } from './change-records';
import { ingest, IngestionRefusedError, type IngestResult, type PresentResources } from './ingest';
import { INGESTION_COMMAND_INTENTS } from './intents';
import { ingestAzureConnection, type AzureConnection, type AzureConnectionIngestResult } from './resource-graph-ingest';

/**
 * Each read starts this far before the recorded point. Azure says a record should be queryable
 * within five minutes of its change, so one that arrives late is still read; records read twice
 * change nothing. Records later than this are missed and left to the next snapshot.
 */
export const CHANGE_RECORD_OVERLAP_MS = 15 * 60_000;

export interface AzureCollectionOptions {
  readonly standing: TenantStanding;
  readonly actor?: Actor;
  readonly presentResources?: PresentResources;
  readonly now?: () => Date;
  /** Runs after the resource events are appended and before the point is recorded (tests stop there, as a crash would). */
  readonly beforeRecordingPoint?: () => Promise<void>;
}

const SERVICE_ACTOR: Actor = { kind: 'service', id: 'ingestion' };

const ensureStanding = async (tenantId: string, standing: TenantStanding) => {
  // Asked before Azure is: a tenant that may not be collected costs no call to its cloud.
  const refused = await standing(tenantId, INGESTION_COMMAND_INTENTS.StartIngestionRun);
  if (refused) throw new IngestionRefusedError(refused.code, refused.message ?? refused.code);
};

/** The connection's subscriptions, its management groups expanded (a group that cannot be read is reported). */
export const connectionSubscriptions = async (connection: AzureConnection, source: ResourceGraphSourceOptions): Promise<ManagementGroupExpansion> => {
  const expansion: ManagementGroupExpansion = connection.managementGroups?.length
    ? await subscriptionsOfManagementGroups([...connection.managementGroups], source)
    : { subscriptions: [], failures: [] };
  return { subscriptions: [...new Set([...connection.subscriptions, ...expansion.subscriptions].map((s) => s.toLowerCase()))], failures: expansion.failures };
};

/** What has been collected of the connection (its collection stream, folded). */
export const connectionCollection = async (store: EventStore, tenantId: string, connectionId: string): Promise<ConnectionCollection> =>
  fold(connectionCollectionDecider, (await store.readStream(connectionCollectionStreamId(tenantId, connectionId))) as unknown as ConnectionCollectionEvent[]);

const recordPoint = async (store: EventStore, tenantId: string, connectionId: string, records: readonly AzureChangeRecord[], backfill: boolean, ctx: CommandContext) => {
  if (records.length === 0) return undefined;
  const through = records.reduce((latest, r) => (Date.parse(r.timestamp) > Date.parse(latest) ? r.timestamp : latest), records[0].timestamp);
  const outcome = await handleCommand(store, connectionCollectionDecider, connectionCollectionStreamId(tenantId, connectionId), {
    kind: 'RecordChangeRecordsRead',
    connectionId,
    through,
    records: records.length,
    backfill,
  }, ctx);
  if (!outcome.ok) throw new Error(`change-record point of ${connectionId} not recorded: ${outcome.rejection.code}`);
  return through;
};

export interface ChangeFeedResult {
  readonly since: string;
  readonly records: number;
  /** Partial runs, one per subscription whose records named resources. */
  readonly runs: { readonly subscriptionId: string; readonly result: IngestResult }[];
  /** Resources named by records but not there now and not deleted by one: left to the next snapshot. */
  readonly unresolved: number;
  /** Subscriptions whose records or resources could not be read: the point did not move. */
  readonly failures: { readonly subscriptionId: string; readonly error: string }[];
  /** The point recorded, when it moved. */
  readonly through?: string;
}

/**
 * The change records of every subscription the connection reaches (its management groups
 * expanded) since `since`; what could not be read, by subscription or management group.
 */
const readConnectionRecords = async (connection: AzureConnection, since: Date, source: ResourceGraphSourceOptions, query: ReturnType<typeof resourceGraphQuery>) => {
  const { subscriptions, failures: groupFailures } = await connectionSubscriptions(connection, source);
  const read = await readChangeRecords(subscriptions, since, source, query);
  const failures = [...read.failures, ...groupFailures.map((f) => ({ subscriptionId: `managementGroup:${f.managementGroup}`, error: f.error }))];
  return { read, failures };
};

/** Reads the connection's change records since its point and observes just the resources they name. */
export const collectAzureChanges = async (
  store: EventStore,
  tenantId: string,
  connection: AzureConnection,
  source: ResourceGraphSourceOptions,
  options: AzureCollectionOptions,
): Promise<ChangeFeedResult> => {
  await ensureStanding(tenantId, options.standing);
  const now = options.now?.() ?? new Date();
  const state = await connectionCollection(store, tenantId, connection.connectionId);
  const start = changeFeedStart(state);
  if (start === null) throw new Error(`connection ${connection.connectionId} has no change-record point yet: it needs its first collection`);
  // Never further back than Azure keeps records: what is older is gone either way.
  const since = new Date(Math.max(Date.parse(start) - CHANGE_RECORD_OVERLAP_MS, now.getTime() - CHANGE_RECORD_RETENTION_MS));
  const query = resourceGraphQuery(source);
  const { read, failures } = await readConnectionRecords(connection, since, source, query);
  const runs: { subscriptionId: string; result: IngestResult }[] = [];
  let unresolved = 0;
  for (const [subscriptionId, named] of changedResources(read.records)) {
    // Records read again in the overlap that a resource's stream already accounts for are left
    // alone: observing its body now could attribute a later change, whose record has not arrived
    // yet, to them. When that record arrives, the change is recorded with it.
    const changed: ChangedResource[] = [];
    for (const resource of named) {
      const accounted = new Set((await store.readStream(resourceStreamId(tenantId, resource.resourceKey))).flatMap((e) => reportedChangesOf(e as unknown as ResourceEvent).map((c) => c.changeId)));
      const fresh = resource.records.filter((r) => !accounted.has(r.changeId));
      if (fresh.length > 0) changed.push({ ...resource, records: fresh });
    }
    if (changed.length === 0) continue;
    let rows: Record<string, unknown>[];
    try {
      rows = await readResourcesById(subscriptionId, changed.map((c) => c.id), source, query);
    } catch (error) {
      failures.push({ subscriptionId, error: (error as Error).message });
      continue;
    }
    const plan = planFeed(changed, rows);
    unresolved += plan.unresolved.length;
    const attribution = new Map(plan.observe.map((o) => [String(o.row['id']).toLowerCase(), o.reportedChanges]));
    const result = await ingest(store, (async function* () {
      for (const { row } of plan.observe) yield { ok: true as const, value: row };
    })(), {
      tenantId,
      standing: options.standing,
      actor: options.actor ?? SERVICE_ACTOR,
      source: 'azure-resource-graph',
      connectionId: connection.connectionId,
      scope: `/subscriptions/${subscriptionId}`,
      complete: false,
      presentResources: options.presentResources,
      reportedChanges: (key) => attribution.get(key),
      removals: plan.remove,
    });
    runs.push({ subscriptionId, result });
  }
  await options.beforeRecordingPoint?.();
  // A subscription that could not be read may hold records before any later point: stay put, and
  // read them all again next time (they change nothing where already applied).
  const through = failures.length === 0
    ? await recordPoint(store, tenantId, connection.connectionId, read.records, false, ctxOf(tenantId, options, now))
    : undefined;
  return { since: since.toISOString(), records: read.records.length, runs, unresolved, failures, ...(through ? { through } : {}) };
};

const ctxOf = (tenantId: string, options: AzureCollectionOptions, now: Date, correlationId: string = randomUUID()): CommandContext => ({
  tenantId,
  actor: options.actor ?? SERVICE_ACTOR,
  correlationId,
  causationId: null,
  now,
});

export interface BackfillResult {
  readonly records: number;
  /** Resources whose history was recorded. */
  readonly resources: number;
  /** Resources skipped: already recorded, not there now (nothing to rebuild from), or not readable. */
  readonly skipped: number;
  /** Records older than what could be rebuilt exactly (a value Azure cut short, a path not found). */
  readonly dropped: number;
  readonly failures: { readonly subscriptionId: string; readonly error: string }[];
  readonly through?: string;
}

/**
 * The history Azure still keeps, recorded for the resources Rampart has never recorded: each one's
 * configurations rebuilt backwards from its current body through its records, recorded oldest
 * first with each record's attribution (its Azure time is data; the events are recorded now). A
 * resource deleted since has no body to rebuild from and is left out; one Rampart already holds
 * keeps its own history (records are not replayed over it).
 */
export const backfillAzureConnection = async (
  store: EventStore,
  tenantId: string,
  connection: AzureConnection,
  source: ResourceGraphSourceOptions,
  options: AzureCollectionOptions,
): Promise<BackfillResult> => {
  await ensureStanding(tenantId, options.standing);
  const now = options.now?.() ?? new Date();
  const query = resourceGraphQuery(source);
  const { read, failures } = await readConnectionRecords(connection, new Date(now.getTime() - CHANGE_RECORD_RETENTION_MS), source, query);
  let resources = 0;
  let skipped = 0;
  let dropped = 0;
  for (const [subscriptionId, changed] of changedResources(read.records)) {
    const unrecorded: ChangedResource[] = [];
    for (const resource of changed) {
      if ((await store.readStream(resourceStreamId(tenantId, resource.resourceKey), { maxCount: 1 })).length > 0) skipped++;
      else unrecorded.push(resource);
    }
    if (unrecorded.length === 0) continue;
    let rows: Record<string, unknown>[];
    try {
      rows = await readResourcesById(subscriptionId, unrecorded.map((c) => c.id), source, query);
    } catch (error) {
      failures.push({ subscriptionId, error: (error as Error).message });
      continue;
    }
    const runId = randomUUID();
    const ctx = ctxOf(tenantId, options, now, runId);
    const runStream = ingestionRunStreamId(tenantId, runId);
    const started = await handleCommand(store, ingestionRunDecider, runStream, {
      kind: 'StartIngestionRun', runId, connectionId: connection.connectionId, source: 'azure-resource-graph', scope: `/subscriptions/${subscriptionId}`, complete: false,
    }, ctx);
    if (!started.ok) throw new IngestionRefusedError(started.rejection.code, started.rejection.message ?? started.rejection.code);
    const counts = { ...EMPTY_COUNTS };
    const current = new Map(rows.map((r) => [String(r['id']).toLowerCase(), r]));
    const appends: { streamId: string; events: NewEvent[]; expectedRevision: 'no_stream' }[] = [];
    for (const resource of unrecorded) {
      counts.seen++;
      const row = current.get(resource.resourceKey);
      const normalised = row ? normaliseArmResource(row) : undefined;
      if (!normalised?.ok) {
        skipped++;
        counts.rejected++;
        continue;
      }
      const history = rebuildHistory(normalised.resource, resource.records);
      dropped += history.dropped;
      // Decided in memory from the empty stream, step by step, as ingestion would have decided them
      // had it been watching; a step that changes only volatile fields records nothing.
      let state: ResourceState = resourceDecider.initialState();
      const events: ResourceEvent[] = [];
      const steps = [{ snapshot: history.start.snapshot, record: history.start.record }, ...history.changes];
      for (const step of steps) {
        const decision = resourceDecider.decide({ kind: 'ObserveResource', snapshot: step.snapshot, runId, reportedChanges: step.record ? [reportedChangeOf(step.record)] : [] }, state);
        if (isRejection(decision)) throw new Error(`resource ${resource.id}: ${decision.code}`);
        for (const event of decision) {
          events.push(event);
          state = resourceDecider.evolve(state, event);
        }
      }
      counts.discovered++;
      counts.changed += events.length - 1;
      resources++;
      appends.push({ streamId: resourceStreamId(tenantId, resource.resourceKey), events: toNewEvents(events, ctx), expectedRevision: 'no_stream' });
    }
    // Each resource's history is one append expecting no stream: all of it or none, and a resource
    // recorded meanwhile (by another run) keeps its own.
    try {
      if (appends.length) await store.appendToStreams(appends);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      for (const append of appends) {
        await store.appendToStream(append.streamId, append.events, { expectedRevision: 'no_stream' }).catch((single: unknown) => {
          if (!(single instanceof WrongExpectedRevisionError)) throw single;
          skipped++;
          resources--;
        });
      }
    }
    await handleCommand(store, ingestionRunDecider, runStream, { kind: 'CompleteIngestionRun', counts, rejections: [] }, ctx);
  }
  await options.beforeRecordingPoint?.();
  const through = failures.length === 0 ? await recordPoint(store, tenantId, connection.connectionId, read.records, true, ctxOf(tenantId, options, now)) : undefined;
  return { records: read.records.length, resources, skipped, dropped, failures, ...(through ? { through } : {}) };
};

/** A full snapshot of the connection, recorded in its collection stream when it has run. */
export const snapshotAzureConnection = async (
  store: EventStore,
  tenantId: string,
  connection: AzureConnection,
  source: ResourceGraphSourceOptions,
  options: AzureCollectionOptions & { readonly tables?: string[] },
): Promise<AzureConnectionIngestResult> => {
  const startedAt = (options.now?.() ?? new Date()).toISOString();
  const result = await ingestAzureConnection(store, tenantId, connection, source, options);
  const failed = result.subscriptions.filter((s) => !s.result || s.failures.length > 0).length + result.managementGroupFailures.length;
  await handleCommand(store, connectionCollectionDecider, connectionCollectionStreamId(tenantId, connection.connectionId), {
    kind: 'RecordConnectionSnapshot',
    connectionId: connection.connectionId,
    startedAt,
    subscriptions: result.subscriptions.length,
    failed,
  }, ctxOf(tenantId, options, new Date(startedAt)));
  return result;
};

export type AzureCollectionResult =
  | { readonly mode: 'first'; readonly backfill: BackfillResult; readonly snapshot: AzureConnectionIngestResult }
  | { readonly mode: 'snapshot'; readonly snapshot: AzureConnectionIngestResult }
  | { readonly mode: 'changes'; readonly changes: ChangeFeedResult }
  | { readonly mode: 'nothing' };

/** One scheduled collection of the connection: backfill and snapshot, a snapshot, or the change records, as its record says is due. */
export const collectAzureConnection = async (
  store: EventStore,
  tenantId: string,
  connection: AzureConnection,
  source: ResourceGraphSourceOptions,
  options: AzureCollectionOptions & { readonly schedule: CollectionSchedule },
): Promise<AzureCollectionResult> => {
  const now = options.now?.() ?? new Date();
  const mode: CollectionMode = collectionMode(await connectionCollection(store, tenantId, connection.connectionId), now, options.schedule);
  switch (mode) {
    case 'first': {
      const backfill = await backfillAzureConnection(store, tenantId, connection, source, options);
      return { mode, backfill, snapshot: await snapshotAzureConnection(store, tenantId, connection, source, options) };
    }
    case 'snapshot':
      return { mode, snapshot: await snapshotAzureConnection(store, tenantId, connection, source, options) };
    case 'changes':
      return { mode, changes: await collectAzureChanges(store, tenantId, connection, source, options) };
    case 'nothing':
      return { mode };
  }
};
