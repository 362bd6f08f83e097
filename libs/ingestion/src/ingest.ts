// Applies one snapshot of a tenant's resources to the event store: each resource's stream records
// a discovery, a change or nothing; a snapshot declared complete for its scope removes what it no
// longer contains; the run itself is recorded with its counts. Re-running converges: unchanged
// content appends nothing, so a run killed half-way and run again ends where a clean run ends.
import { randomUUID } from 'node:crypto';
import { handleCommand, type Actor, type CommandContext, type EventStore } from '@rampart/event-sourcing';
import {
  configurationOf,
  contentHash,
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
} from '@rampart/inventory';
import type { FileItem } from './file-source';

export interface IngestOptions {
  readonly tenantId: string;
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
  readonly onProgress?: (counts: IngestionCounts) => void;
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

/**
 * Content hash of every resource present now in the tenant's log (within `scope`), from the resource
 * events themselves (always consistent, unlike a read model).
 */
export const presentResourceHashes = async (store: EventStore, tenantId: string, scope: string): Promise<Map<string, string>> => {
  const present = new Map<string, string>();
  let from;
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

export const ingest = async (store: EventStore, items: AsyncIterable<FileItem>, options: IngestOptions): Promise<IngestResult> => {
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
  if (!started.ok) throw new Error(`ingestion run ${runId} not started: ${started.rejection.code}`);

  const counts = { ...EMPTY_COUNTS };
  const rejections: { id: string | null; reason: string }[] = [];
  const rejectItem = (id: string | null, reason: string) => {
    counts.rejected++;
    if (rejections.length < 1_000) rejections.push({ id, reason });
  };
  const seen = new Set<string>();
  const concurrency = options.concurrency ?? 8;
  // What the log held when the run started. A resource whose content hash equals it is unchanged
  // and costs no I/O; an observation skipped this way is simply ordered before any write that
  // happens during the run. The same map decides removals at the end.
  const known = await presentResourceHashes(store, options.tenantId, options.scope);
  const inFlight = new Set<Promise<void>>();

  try {
    for await (const item of items) {
      counts.seen++;
      if (!item.ok) {
        rejectItem(null, item.reason);
        continue;
      }
      const normalised = normaliseArmResource(item.value);
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
      if (known.get(resource.key) === contentHash(configurationOf(resource, options.volatilePaths))) {
        counts.unchanged++;
        options.onProgress?.(counts);
        continue;
      }
      const work = handleCommand(store, resourceDecider, resourceStreamId(options.tenantId, resource.key), {
        kind: 'ObserveResource',
        snapshot: resource,
        runId,
        volatilePaths: options.volatilePaths,
      }, ctx()).then((outcome) => {
        const type = outcome.ok ? outcome.events[0]?.type : undefined;
        if (type === 'inventory.ResourceDiscovered.v1') counts.discovered++;
        else if (type === 'inventory.ResourceConfigurationChanged.v1') counts.changed++;
        else counts.unchanged++;
        options.onProgress?.(counts);
      });
      inFlight.add(work);
      void work.finally(() => inFlight.delete(work)).catch(() => undefined);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);

    const failure = options.failureReason?.();
    if (failure) throw new SourceFailedError(failure);
    const complete = typeof options.complete === 'function' ? options.complete() : options.complete;
    const { missing } = planRemovals(known.keys(), seen, complete);
    for (const resourceKey of missing) {
      const outcome = await handleCommand(store, resourceDecider, resourceStreamId(options.tenantId, resourceKey), { kind: 'ObserveResourceGone', resourceKey, runId }, ctx());
      if (outcome.ok) counts.removed++;
      options.onProgress?.(counts);
    }
  } catch (error) {
    await Promise.allSettled(inFlight);
    await handleCommand(store, ingestionRunDecider, runStream, { kind: 'FailIngestionRun', reason: (error as Error).message, counts: { ...counts } }, ctx());
    throw error;
  }
  const completed = await handleCommand(store, ingestionRunDecider, runStream, { kind: 'CompleteIngestionRun', counts: { ...counts }, rejections }, ctx());
  if (!completed.ok) throw new Error(`ingestion run ${runId} not completed: ${completed.rejection.code}`);
  return { runId, counts: { ...counts }, rejections };
};
