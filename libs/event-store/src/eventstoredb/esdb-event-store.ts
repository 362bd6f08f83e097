// The event store on EventStoreDB, through @eventstore/db-client 6 (gRPC). Our streams are ESDB
// streams with the same ids; an event keeps its eventId as ESDB's event id, its type, its data as
// JSON and our EventMetadata as its JSON metadata. The pure translations live in esdb-mapping.ts.
//
// The client is loaded on first open (like pg and PGlite in sql-client.ts), so importing
// @rampart/event-store does not load gRPC for deployments on PostgreSQL.
//
// The connection's user must be able to read $all (ESDB's default $ops/$admins rights).
import {
  Wakeups,
  identityUpcast,
  InvalidEventError,
  START,
  validateAppend,
  validateMultiStreamAppend,
  WrongExpectedRevisionError,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type UpcastFn,
} from '@rampart/event-sourcing';
import type {
  AllStreamResolvedEvent,
  AllStreamSubscription,
  EventStoreDBClient,
  JSONType,
  ReadAllOptions as EsdbReadAllOptions,
  ReadRevision,
  ReadStreamOptions as EsdbReadStreamOptions,
} from '@eventstore/db-client';
import {
  alreadyAppended,
  fromEsdbRevision,
  isSystemStream,
  laterPosition,
  planLogFilter,
  recordedFromResolved,
  redactConnectionString,
  scanAllPage,
  scanHeadPage,
  toEsdbExpectedRevision,
  toEsdbReadPosition,
  toGlobalPosition,
  toWrongExpectedRevisionError,
} from './esdb-mapping';

type EsdbModule = typeof import('@eventstore/db-client');

export interface EventStoreDbEventStoreOptions {
  readonly upcast?: UpcastFn;
  /** How long `open` waits for the server's first answer (default 5 s). */
  readonly connectTimeoutMs?: number;
}

/** How many of a stream's last events an append compares ids with (see appendToStream). */
export const IDEMPOTENCY_WINDOW = 100;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const MAX_READ = 10_000;
const MIN_PAGE = 256;
const MAX_PAGE = 4_096;
const HEAD_PAGE = 32;
const RESUBSCRIBE_DELAY_MS = 1_000;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Rejects after `ms`. Needed because against a TCP peer that accepts but does not speak gRPC,
 * the client's first call hangs past its own deadline (a refused connection fails fast).
 */
const withTimeout = <T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  promise.catch(() => undefined); // it may still fail after the timeout won, once the client is disposed
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  /** EventStoreDB transactions span one stream only. */
  readonly atomicMultiStreamAppend = false;
  private readonly upcast: UpcastFn;
  private readonly wakeups = new Wakeups();
  private subscription?: AllStreamSubscription;
  private resubscribeTimer?: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly esdb: EsdbModule,
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions,
  ) {
    this.upcast = options.upcast ?? identityUpcast;
  }

  /**
   * Connects (e.g. `esdb://localhost:2113?tls=false`) and checks the server answers within
   * `connectTimeoutMs`, so a wrong address fails at startup with a clear message instead of
   * hanging the first request.
   */
  static async open(connectionString: string, options: EventStoreDbEventStoreOptions = {}): Promise<EventStoreDbEventStore> {
    const esdb = await import('@eventstore/db-client');
    const where = redactConnectionString(connectionString);
    let client: EventStoreDBClient;
    try {
      client = esdb.EventStoreDBClient.connectionString(connectionString);
    } catch (error) {
      throw new Error(`invalid EventStoreDB connection string "${where}"`, { cause: error });
    }
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    try {
      // The cheapest call that needs a working connection (and the right to read $all).
      const probe = EventStoreDbEventStore.collect(
        client.readAll({ direction: esdb.BACKWARDS, fromPosition: esdb.END, maxCount: 1, deadline: timeoutMs }),
      );
      await withTimeout(
        probe,
        timeoutMs,
        () => new Error(`no gRPC answer within ${timeoutMs} ms (is this an EventStoreDB endpoint, with the right tls= setting?)`),
      );
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new Error(`cannot connect to EventStoreDB at ${where}: ${messageOf(error)}`, { cause: error });
    }
    const store = new EventStoreDbEventStore(esdb, client, options);
    store.subscribeToAppends();
    return store;
  }

  /**
   * Idempotency. ESDB only deduplicates retries silently (and not always), while the port wants
   * a re-append of the same events to report `alreadyAppended` and a reused id with other content
   * to fail. So the stream's tail is read first and compared by id. Limits, both accepted:
   * - only the last max(events.length, IDEMPOTENCY_WINDOW) events are compared: an id older than
   *   that window is not detected (ESDB may then drop or write the events: no error either way);
   * - ESDB has no index by event id, so an id already used in another stream cannot be found
   *   without scanning $all: such an append is written (the SQL store refuses it).
   * Between the check and the append a concurrent identical append can slip in; with an exact
   * expected revision it then fails with WrongExpectedRevisionError, with 'any' ESDB's own
   * deduplication usually absorbs it.
   */
  /**
   * Stream by stream, in order: EventStoreDB has no multi-stream transaction. Validated whole
   * first, so bad input still writes nothing; a failure part-way leaves the earlier streams
   * appended, and a retry of the same batch skips them by their event ids.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateMultiStreamAppend(appends);
    const results: AppendResult[] = [];
    for (const append of appends) {
      results.push(await this.appendToStream(append.streamId, append.events, { expectedRevision: append.expectedRevision }));
    }
    return results;
  }

  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    validateAppend(streamId, events);
    if (isSystemStream(streamId)) {
      throw new InvalidEventError(`stream ids starting with "$" are reserved by EventStoreDB, got "${streamId}"`);
    }
    const expected = options.expectedRevision ?? 'any';
    const expectedRevision = toEsdbExpectedRevision(expected);

    const tail = await this.readStored(streamId, {
      direction: this.esdb.BACKWARDS,
      fromRevision: this.esdb.END,
      maxCount: Math.max(events.length, IDEMPOTENCY_WINDOW),
    });
    const existing = alreadyAppended(events, tail);
    if (existing) return existing;

    let result;
    try {
      result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          this.esdb.jsonEvent({
            id: e.eventId,
            type: e.type,
            data: e.data as JSONType,
            metadata: e.metadata as unknown as JSONType,
          }),
        ),
        { expectedRevision },
      );
    } catch (error) {
      if (error instanceof this.esdb.WrongExpectedVersionError) {
        throw toWrongExpectedRevisionError(streamId, expected, error.actualVersion);
      }
      throw error;
    }
    if (!result.success) {
      // Only with throwOnAppendFailure=false in the connection string; the revision the client
      // reports then is not reliable (batch appends), so look at the stream.
      const [last] = await this.readStored(streamId, { direction: this.esdb.BACKWARDS, fromRevision: this.esdb.END, maxCount: 1 });
      throw new WrongExpectedRevisionError(streamId, expected, last ? last.revision : 'no_stream');
    }
    const position = result.position
      ? toGlobalPosition(result.position)
      : ((await this.readStored(streamId, { direction: this.esdb.BACKWARDS, fromRevision: this.esdb.END, maxCount: 1 }))[0]
          ?.globalPosition ?? START);
    this.wakeAll();
    return { nextExpectedRevision: fromEsdbRevision(result.nextExpectedRevision), position, alreadyAppended: false };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const maxCount = Math.floor(options.maxCount ?? Number.MAX_SAFE_INTEGER);
    if (maxCount <= 0) return [];
    let fromRevision: ReadRevision;
    if (options.fromRevision === undefined) {
      fromRevision = backwards ? this.esdb.END : this.esdb.START;
    } else if (options.fromRevision < 0) {
      if (backwards) return [];
      fromRevision = this.esdb.START;
    } else {
      fromRevision = BigInt(backwards ? Math.floor(options.fromRevision) : Math.ceil(options.fromRevision));
    }
    const stored = await this.readStored(streamId, {
      direction: backwards ? this.esdb.BACKWARDS : this.esdb.FORWARDS,
      fromRevision,
      maxCount,
    });
    return stored.map(this.upcast);
  }

  /**
   * @eventstore/db-client 6.2.1 cannot filter a read of $all on the server (its readAll has no
   * `filter` option; only subscriptions have one, and filtered reads came with
   * @kurrent/kurrentdb-client 1.0). So $all is read in pages and `planLogFilter`'s exact checks
   * run here: correct, but a filtered read transfers the events it skips. `plan.server` says
   * what to pass as `filter` once the client can (streamNameFilter / eventTypeFilter /
   * excludeSystemEvents with those prefixes).
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const from = options.from ?? START;
    const maxCount = Math.max(1, Math.min(Math.floor(options.maxCount ?? 1_000), MAX_READ));
    const plan = planLogFilter(options.filter);
    if (plan.matchesNothing) {
      return { events: [], position: laterPosition(await this.headPosition(), from), isEnd: true };
    }
    // One more than wanted: a page starting at `from` begins with the event at `from`.
    const pageSize = Math.min(Math.max(maxCount + 1, MIN_PAGE), MAX_PAGE);
    const events: RecordedEvent[] = [];
    let position = from;
    for (;;) {
      const page = await this.readAllPage({
        direction: this.esdb.FORWARDS,
        fromPosition: toEsdbReadPosition(position),
        maxCount: pageSize,
      });
      const scan = scanAllPage(page, position, plan, maxCount - events.length);
      for (const resolved of scan.matched) events.push(this.upcast(recordedFromResolved(resolved)));
      position = scan.position;
      if (scan.filled) return { events, position, isEnd: false };
      if (page.length < pageSize) return { events, position, isEnd: true };
    }
  }

  /** The newest non-system event of $all (ESDB writes its own events there too). */
  async headPosition(): Promise<GlobalPosition> {
    let before: GlobalPosition | undefined;
    for (;;) {
      const page = await this.readAllPage({
        direction: this.esdb.BACKWARDS,
        fromPosition: before ? { commit: before.commit, prepare: before.prepare } : this.esdb.END,
        maxCount: HEAD_PAGE,
      });
      const scan = scanHeadPage(page, before);
      if (scan.head) return scan.head;
      if (page.length < HEAD_PAGE || !scan.oldest) return START;
      before = scan.oldest;
    }
  }

  waitForAppend(timeoutMs: number, signal?: AbortSignal, since?: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.wakeups.wait(timeoutMs, signal, since);
  }

  appendNotifications(): number {
    return this.wakeups.count;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resubscribeTimer);
    this.wakeAll();
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }

  /**
   * One live subscription to $all from its end wakes the waiters of waitForAppend whenever any
   * writer appends (appends through this store wake them directly too). If it drops, waiters
   * fall back to their timeout until it is re-established.
   */
  private subscribeToAppends(): void {
    if (this.closed) return;
    const subscription = this.client.subscribeToAll({
      fromPosition: this.esdb.END,
      filter: this.esdb.excludeSystemEvents(),
    });
    this.subscription = subscription;
    const dropped = () => {
      if (this.closed || this.subscription !== subscription) return;
      this.subscription = undefined;
      this.wakeAll();
      this.resubscribeTimer = setTimeout(() => this.subscribeToAppends(), RESUBSCRIBE_DELAY_MS);
      this.resubscribeTimer.unref();
    };
    subscription.on('data', () => this.wakeAll());
    subscription.on('error', dropped);
    subscription.on('end', dropped);
  }

  private wakeAll(): void {
    this.wakeups.wakeAll();
  }

  /** A stream's events as stored (not upcast); empty when the stream does not exist. */
  private async readStored(streamId: string, options: EsdbReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, options)) {
        if (resolved.event) events.push(recordedFromResolved(resolved));
      }
    } catch (error) {
      if (error instanceof this.esdb.StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  private readAllPage(options: EsdbReadAllOptions): Promise<AllStreamResolvedEvent[]> {
    return EventStoreDbEventStore.collect(this.client.readAll(options));
  }

  private static async collect<E>(read: AsyncIterable<E>): Promise<E[]> {
    const items: E[] = [];
    for await (const item of read) items.push(item);
    return items;
  }
}
