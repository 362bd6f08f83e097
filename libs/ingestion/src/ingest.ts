// Applies one snapshot of a tenant's resources to the event store: each resource's stream records
// a discovery, a change or nothing; a snapshot declared complete for its scope removes what it no
// longer contains; the run itself is recorded with its counts. Re-running converges: unchanged
// content appends nothing, so a run killed half-way and run again ends where a clean run ends.
import { randomUUID } from 'node:crypto';
import {
  handleCommand,
  isRejection,
  storableText,
  toNewEvents,
  WrongExpectedRevisionError,
  type Actor,
  type CommandContext,
  type EventStore,
  type GlobalPosition,
  type NewEvent,
  type TenantStanding,
} from '@rampart/event-sourcing';
import {
  configurationHash,
  EMPTY_COUNTS,
  inScope,
  ingestionRunDecider,
  ingestionRunStreamId,
  normaliseArmResource,
  planRemovals,
  resourceDecider,
  resourceStreamId,
  RESOURCE_EVENT_TYPES,
  type IngestionCounts,
  type ReportedChange,
  type ResourceSnapshot,
} from '@rampart/inventory';
import { instruments } from '@rampart/runtime';
import type { FileItem } from './file-source';
import { INGESTION_COMMAND_INTENTS } from './intents';

export interface IngestOptions {
  readonly tenantId: string;
  /**
   * Whether the tenant may be collected now (tenancy's rule, answered by the platform): a run for a
   * tenant that is unknown, suspended or offboarded is refused before anything is recorded.
   */
  readonly standing: TenantStanding;
  readonly actor: Actor;
  readonly source: 'azure-resource-graph' | 'file' | 'push';
  /** `/subscriptions/<id>[/resourceGroups/<rg>]`, or `*` for everything of the tenant. */
  readonly scope: string;
  /**
   * The snapshot holds every resource of the scope: resources it lacks are removed. A function is
   * asked once the snapshot has been read (a source learns of partial failures only as it goes).
   */
  readonly complete: boolean | (() => boolean);
  /** Asked once the snapshot has been read: a reason makes the run fail (after recording what it saw, removing nothing). */
  readonly failureReason?: () => string | undefined;
  readonly connectionId?: string;
  readonly runId?: string;
  readonly volatilePaths?: readonly string[];
  readonly concurrency?: number;
  /** Discoveries appended per multi-stream append (default 500). */
  readonly batchSize?: number;
  /**
   * What the log holds now: resource key -> content hash of every present resource of the tenant
   * within the scope. Defaults to reading the tenant's resource events; the platform passes a
   * faster source (the resource-inventory read model plus the log after its checkpoint).
   */
  readonly presentResources?: PresentResources;
  readonly onProgress?: (counts: IngestionCounts) => void;
  /** The cloud's change records an observation accounts for (a change feed), by resource key: carried on the event it records. */
  readonly reportedChanges?: (resourceKey: string) => readonly ReportedChange[] | undefined;
  /**
   * Resources the source saw deleted (a change feed's Delete records): removed although the run is
   * partial, because the source says so of each one rather than by leaving it out.
   */
  readonly removals?: readonly { readonly resourceKey: string; readonly reportedChanges?: readonly ReportedChange[] }[];
  /** How often a running run records its progress (its sign of life; default every minute). */
  readonly heartbeatMs?: number;
}

/** The source could not deliver the whole snapshot; what it delivered was recorded. */
export class SourceFailedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SourceFailedError';
  }
}

export interface IngestResult {
  readonly runId: string;
  readonly counts: IngestionCounts;
  readonly rejections: { id: string | null; reason: string }[];
}

const idOf = (value: unknown): string | null =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;

export type PresentResources = (tenantId: string, scope: string) => Promise<Map<string, string>>;

/** Where a reader of present resources can start instead of the beginning of the log. */
export interface PresentResourcesSeed {
  readonly position: GlobalPosition;
  readonly hashes: Map<string, string>;
}

/**
 * Content hash of every resource present now in the tenant's log (within `scope`), from the resource
 * events themselves: from the start of the log, or from a seed that was true at its position
 * (a read model and its checkpoint, read together).
 */
export const presentResourceHashes = async (
  store: EventStore,
  tenantId: string,
  scope: string,
  seed?: PresentResourcesSeed,
): Promise<Map<string, string>> => {
  const present = seed?.hashes ?? new Map<string, string>();
  let from = seed?.position;
  for (;;) {
    const page = await store.readAll({ from, filter: { tenantId, eventTypes: RESOURCE_EVENT_TYPES }, maxCount: 5_000 });
    for (const e of page.events) {
      const d = e.data as { resourceKey: string; contentHash?: string; afterHash?: string };
      if (e.type === 'inventory.ResourceRemoved.v1') present.delete(d.resourceKey);
      else present.set(d.resourceKey, d.contentHash ?? d.afterHash ?? '');
    }
    from = page.position;
    if (page.isEnd) break;
  }
  if (scope !== '*') for (const key of [...present.keys()]) if (!inScope(key, scope)) present.delete(key);
  return present;
};

/** The run was refused before it started (a bad scope, a tenant that may not be collected): nothing was recorded. */
export class IngestionRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IngestionRefusedError';
  }
}

/** Every run, whatever its source, is counted here: by outcome, and the resources it recorded. */
export const ingest = async (store: EventStore, items: AsyncIterable<FileItem>, options: IngestOptions): Promise<IngestResult> => {
  try {
    const result = await ingestRun(store, items, options);
    const { discovered, changed, removed, unchanged, rejected } = result.counts;
    instruments.ingestionRun(options.source, 'completed', { discovered, changed, removed, unchanged, rejected });
    return result;
  } catch (error) {
    instruments.ingestionRun(options.source, error instanceof IngestionRefusedError ? 'refused' : 'failed');
    throw error;
  }
};

const ingestRun = async (store: EventStore, items: AsyncIterable<FileItem>, options: IngestOptions): Promise<IngestResult> => {
  const refused = await options.standing(options.tenantId, INGESTION_COMMAND_INTENTS.StartIngestionRun);
  if (refused) throw new IngestionRefusedError(refused.code, refused.message ?? refused.code);
  const runId = options.runId ?? randomUUID();
  const ctx = (): CommandContext => ({ tenantId: options.tenantId, actor: options.actor, correlationId: runId, causationId: null, now: new Date() });
  const runStream = ingestionRunStreamId(options.tenantId, runId);
  const started = await handleCommand(store, ingestionRunDecider, runStream, {
    kind: 'StartIngestionRun',
    runId,
    connectionId: options.connectionId ?? null,
    source: options.source,
    scope: options.scope,
    complete: typeof options.complete === 'function' ? true : options.complete,
  }, ctx());
  if (!started.ok) throw new IngestionRefusedError(started.rejection.code, started.rejection.message ?? started.rejection.code);

  const counts = { ...EMPTY_COUNTS };
  const rejections: { id: string | null; reason: string }[] = [];
  const rejectItem = (id: string | null, reason: string) => {
    counts.rejected++;
    // Recorded in the run's completion: whatever a refused item held, the record must be storable.
    if (rejections.length < 1_000) rejections.push({ id: id === null ? null : storableText(id.slice(0, 1_024)), reason: storableText(reason) });
  };
  const seen = new Set<string>();
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 500;
  // What the log held when the run started. A resource whose content hash equals it is unchanged
  // and costs no I/O; an observation skipped this way is simply ordered before any write that
  // happens during the run. The same map decides removals at the end.
  let known = new Map<string, string>();
  const inFlight = new Set<Promise<void>>();
  const track = async (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  /** The general path: read the stream, decide, append (changes, and anything the fast path could not settle). */
  const observe = async (resource: ResourceSnapshot): Promise<void> => {
    const outcome = await handleCommand(store, resourceDecider, resourceStreamId(options.tenantId, resource.key), {
      kind: 'ObserveResource',
      snapshot: resource,
      runId,
      volatilePaths: options.volatilePaths,
      reportedChanges: options.reportedChanges?.(resource.key),
    }, ctx());
    const type = outcome.ok ? outcome.events[0]?.type : undefined;
    if (type === 'inventory.ResourceDiscovered.v1') counts.discovered++;
    else if (type === 'inventory.ResourceConfigurationChanged.v1') counts.changed++;
    else counts.unchanged++;
    options.onProgress?.(counts);
  };

  // The fast path for resources the log has never seen (a first ingest is all of them): decided
  // from the empty state, appended many streams at a time, each expecting its stream not to exist.
  // A stream that does exist (a resource removed earlier, or a concurrent writer) fails the batch
  // and its resources take the general path one by one; ids make a retry of what landed harmless.
  type Discovery = { readonly resource: ResourceSnapshot; readonly streamId: string; readonly events: NewEvent[] };
  let discoveries: Discovery[] = [];
  const appendOneDiscovery = async (d: Discovery): Promise<void> => {
    try {
      await store.appendToStream(d.streamId, d.events, { expectedRevision: 'no_stream' });
      counts.discovered++;
      options.onProgress?.(counts);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      await observe(d.resource);
    }
  };
  const appendDiscoveries = async (batch: Discovery[]): Promise<void> => {
    try {
      await store.appendToStreams(batch.map((d) => ({ streamId: d.streamId, events: d.events, expectedRevision: 'no_stream' as const })));
      counts.discovered += batch.length;
      options.onProgress?.(counts);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      for (const d of batch) await appendOneDiscovery(d);
    }
  };
  // Two batches in flight keep the database busy while the next one is parsed; more would only
  // hold thousands of resources in memory waiting for a connection.
  const batchesInFlight = new Set<Promise<void>>();
  const flushDiscoveries = async () => {
    if (discoveries.length === 0) return;
    const batch = discoveries;
    discoveries = [];
    const work = appendDiscoveries(batch);
    batchesInFlight.add(work);
    void work.finally(() => batchesInFlight.delete(work)).catch(() => undefined);
    await track(work);
    while (batchesInFlight.size >= 2) await Promise.race(batchesInFlight);
  };

  // A sign of life while the run goes on: a run whose heartbeats stop (a killed process) is
  // recognised as abandoned and closed by the worker (see sweepAbandonedIngestionRuns).
  let beating: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beating = beating
      .then(() => handleCommand(store, ingestionRunDecider, runStream, { kind: 'RecordIngestionProgress', counts: { ...counts } }, ctx()))
      .catch(() => undefined); // a missed heartbeat is retried by the next one
  }, options.heartbeatMs ?? 60_000);
  heartbeat.unref();

  try {
    known = await (options.presentResources ?? ((tenantId, scope) => presentResourceHashes(store, tenantId, scope)))(options.tenantId, options.scope);
    for await (const item of items) {
      counts.seen++;
      if (!item.ok) {
        rejectItem(null, item.reason);
        continue;
      }
      const normalised = normaliseArmResource(item.value, item.json);
      if (!normalised.ok) {
        rejectItem(idOf(item.value), normalised.reason);
        continue;
      }
      const resource = normalised.resource;
      if (options.scope !== '*' && !inScope(resource.key, options.scope)) {
        rejectItem(resource.id, `outside the run's scope ${options.scope}`);
        continue;
      }
      if (seen.has(resource.key)) {
        rejectItem(resource.id, 'appears twice in this snapshot; the first one was used');
        continue;
      }
      seen.add(resource.key);
      const knownHash = known.get(resource.key);
      if (knownHash === undefined) {
        const decision = resourceDecider.decide(
          { kind: 'ObserveResource', snapshot: resource, runId, volatilePaths: options.volatilePaths, reportedChanges: options.reportedChanges?.(resource.key) },
          resourceDecider.initialState(),
        );
        if (isRejection(decision)) throw new Error(`resource ${resource.id}: ${decision.code}`);
        discoveries.push({ resource, streamId: resourceStreamId(options.tenantId, resource.key), events: toNewEvents(decision, ctx()) });
        if (discoveries.length >= batchSize) await flushDiscoveries();
        continue;
      }
      if (knownHash === configurationHash(resource, options.volatilePaths)) {
        counts.unchanged++;
        options.onProgress?.(counts);
        continue;
      }
      await track(observe(resource));
    }
    await flushDiscoveries();
    await Promise.all(inFlight);

    const failure = options.failureReason?.();
    if (failure) throw new SourceFailedError(failure);
    const complete = typeof options.complete === 'function' ? options.complete() : options.complete;
    const { missing } = planRemovals(known.keys(), seen, complete);
    const removals = [
      ...missing.map((resourceKey) => ({ resourceKey, reportedChanges: undefined })),
      ...(options.removals ?? []).filter((r) => !seen.has(r.resourceKey) && (options.scope === '*' || inScope(r.resourceKey, options.scope))),
    ];
    for (const { resourceKey, reportedChanges } of removals) {
      // A resource already removed is refused as not present: a rerun removes nothing twice.
      const outcome = await handleCommand(store, resourceDecider, resourceStreamId(options.tenantId, resourceKey), { kind: 'ObserveResourceGone', resourceKey, runId, reportedChanges }, ctx());
      if (outcome.ok) counts.removed++;
      options.onProgress?.(counts);
    }
  } catch (error) {
    clearInterval(heartbeat);
    await beating;
    await Promise.allSettled(inFlight);
    await handleCommand(store, ingestionRunDecider, runStream, { kind: 'FailIngestionRun', reason: (error as Error).message, counts: { ...counts } }, ctx());
    throw error;
  }
  clearInterval(heartbeat);
  await beating;
  const completed = await handleCommand(store, ingestionRunDecider, runStream, { kind: 'CompleteIngestionRun', counts: { ...counts }, rejections }, ctx());
  if (!completed.ok) throw new Error(`ingestion run ${runId} not completed: ${completed.rejection.code}`);
  return { runId, counts: { ...counts }, rejections };
};
