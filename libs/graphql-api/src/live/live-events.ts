// Live subscriptions of an API process share one reader of the global log: it follows the log from
// the head and hands each event to the subscribers of its tenant. With a thousand screens open, an
// append wakes one reader instead of a thousand, each querying the store (tools/bench/live).
// Built only on the EventStore port, so every adapter gets it; docs/performance-api.md has numbers.
import { pause, subscribe, type EventStore, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import type { Logger } from '@rampart/runtime';
import { GraphQLError } from 'graphql';

export interface LiveEventsOptions<T> {
  /** What a subscriber receives for an event: made once per event, shared by every subscriber it goes to. */
  readonly view: (event: RecordedEvent) => T;
  /** Events a subscriber may leave unread before it is ended as too slow (memory stays bounded). */
  readonly queueLimit?: number;
  /** Events per read of the log (at most `queueLimit`: one batch must not overflow a subscriber that keeps up). */
  readonly batchSize?: number;
  /** Longest sleep of a caught-up reader when the store cannot signal appends. */
  readonly idleTimeoutMs?: number;
  /** Waits before reading again after the store failed; once they are spent, subscribers get the error. */
  readonly retryDelaysMs?: readonly number[];
  readonly log?: Pick<Logger, 'warn' | 'error'>;
}

export const DEFAULT_QUEUE_LIMIT = 1_000;

/** The error a subscription ends with when its subscriber reads slower than its tenant writes. */
export const laggedError = (queueLimit: number): GraphQLError =>
  new GraphQLError(
    `this subscription fell more than ${queueLimit} events behind (the client reads too slowly) and was ended: ` +
      're-read what you missed with auditTrail, after the position of the last event you received, then subscribe again',
    { extensions: { code: 'SUBSCRIPTION_LAGGED' } },
  );

const unavailableError = (cause: unknown): GraphQLError =>
  new GraphQLError('live events stopped: reading the event log failed; subscribe again, and re-read what you missed with auditTrail', {
    extensions: { code: 'LIVE_EVENTS_UNAVAILABLE' },
    originalError: cause instanceof Error ? cause : new Error(String(cause)),
  });

const closedError = () => new GraphQLError('the server is shutting down', { extensions: { code: 'LIVE_EVENTS_UNAVAILABLE' } });

/** One subscription: a bounded queue that the reader fills and graphql-ws drains through next(). */
class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting?: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void };
  private ended?: { error?: unknown };

  constructor(
    readonly tenantId: string,
    readonly eventTypes: ReadonlySet<string> | undefined,
    private readonly queueLimit: number,
    private readonly onEnd: (s: Subscriber<T>) => void,
  ) {}

  wants(type: string): boolean {
    return !this.eventTypes || this.eventTypes.has(type);
  }

  push(item: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: item, done: false });
    } else if (this.queue.length < this.queueLimit) {
      this.queue.push(item);
    } else {
      // What it has not read goes too: the client re-reads from the last event it received.
      this.end(laggedError(this.queueLimit));
    }
  }

  /** Ends the subscription: with an error the next read throws it, without one the iteration is done. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = { error };
    this.queue.length = 0;
    this.onEnd(this);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (!waiting) return;
    if (error === undefined) waiting.resolve({ value: undefined, done: true });
    else {
      this.ended = {};
      waiting.reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.ended) {
      const { error } = this.ended;
      this.ended = {}; // the error once, then done
      return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** graphql-ws calls it when the client completes the operation or the socket closes. */
  return(): Promise<IteratorResult<T>> {
    this.end();
    this.ended = {};
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    this.ended = {};
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

interface Reader {
  readonly controller: AbortController;
  /** Set once the head is read; from then on, the position up to which events were handed out. */
  position?: GlobalPosition;
  ready: Promise<void>;
  done: Promise<void>;
}

export interface LiveEventsStats {
  readonly subscribers: number;
  readonly tenants: number;
  /** Whether a reader is following the log (false with no subscribers). */
  readonly reading: boolean;
}

export class LiveEvents<T> {
  /** Keyed by tenant: an event reaches only the subscribers of its own tenant, whatever their filters. */
  private readonly byTenant = new Map<string, Set<Subscriber<T>>>();
  private subscribers = 0;
  /** Subscriptions waiting for a starting reader to know its position: they keep it running. */
  private starting = 0;
  private reader?: Reader;
  private readonly stopping = new Set<Promise<void>>();
  private closed = false;
  private readonly queueLimit: number;
  private readonly batchSize: number;
  /** One set per type list a caller passes (the resolvers pass constants), not one per subscription. */
  private readonly typeSets = new WeakMap<readonly string[], ReadonlySet<string>>();

  constructor(
    private readonly store: EventStore,
    private readonly options: LiveEventsOptions<T>,
  ) {
    this.queueLimit = options.queueLimit ?? DEFAULT_QUEUE_LIMIT;
    // A batch is handed out at once, before any subscriber reads: larger than the queue, it would
    // end even a subscriber that keeps up.
    this.batchSize = Math.min(options.batchSize ?? 500, this.queueLimit);
  }

  /**
   * The events of `tenantId` (of `eventTypes` only, when given) recorded after the returned promise
   * resolves, in log order, until the iterator's return() or an error: the subscriber is registered
   * at the position the reader has handed out up to, so nothing after that is missed (a few events
   * from just before may come too). The first subscriber starts the reader and waits for it to read
   * the head; the last one to leave stops it.
   */
  async subscribe(tenantId: string, eventTypes?: readonly string[]): Promise<AsyncIterableIterator<T>> {
    if (this.closed) throw closedError();
    const reader = (this.reader ??= this.start());
    if (reader.position === undefined) {
      this.starting++;
      try {
        await reader.ready;
      } catch (error) {
        throw unavailableError(error);
      } finally {
        this.starting--;
      }
      if (this.closed) throw closedError();
      // The reader failed right after starting: wait for a new one.
      if (reader !== this.reader) return this.subscribe(tenantId, eventTypes);
    }
    let types: ReadonlySet<string> | undefined;
    if (eventTypes && !(types = this.typeSets.get(eventTypes))) this.typeSets.set(eventTypes, (types = new Set(eventTypes)));
    const subscriber = new Subscriber<T>(tenantId, types, this.queueLimit, (s) => this.remove(s));
    let group = this.byTenant.get(tenantId);
    if (!group) this.byTenant.set(tenantId, (group = new Set()));
    group.add(subscriber);
    this.subscribers++;
    return subscriber;
  }

  stats(): LiveEventsStats {
    return { subscribers: this.subscribers, tenants: this.byTenant.size, reading: this.reader !== undefined };
  }

  /** Ends every subscription and waits for the reader to stop, so the store can be closed after it. */
  async close(): Promise<void> {
    this.closed = true;
    for (const group of [...this.byTenant.values()]) for (const s of [...group]) s.end();
    this.stop();
    await Promise.all([...this.stopping]);
  }

  private start(): Reader {
    const reader: Reader = { controller: new AbortController(), ready: Promise.resolve(), done: Promise.resolve() };
    reader.ready = this.store.headPosition().then((head) => {
      reader.position = head;
    });
    reader.done = reader.ready.then(() => this.follow(reader)).catch((error: unknown) => this.fail(reader, error));
    return reader;
  }

  private async follow(reader: Reader): Promise<void> {
    const { signal } = reader.controller;
    const delays = this.options.retryDelaysMs ?? [250, 1_000, 4_000];
    let failures = 0;
    while (!signal.aborted) {
      try {
        const batches = subscribe(this.store, { from: reader.position, batchSize: this.batchSize, idleTimeoutMs: this.options.idleTimeoutMs, signal });
        for await (const batch of batches) {
          // A reader stopped while it read hands out nothing: a newer one may already serve its subscribers.
          if (signal.aborted) return;
          failures = 0;
          reader.position = batch.position;
          this.dispatch(batch.events);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (failures >= delays.length) throw error;
        this.options.log?.warn({ err: error, attempt: failures + 1 }, 'live events: reading the event log failed; reading again');
        await pause(delays[failures++], signal);
      }
    }
  }

  private dispatch(events: readonly RecordedEvent[]): void {
    for (const event of events) {
      const group = this.byTenant.get(event.metadata.tenantId);
      if (!group) continue;
      let item: T | undefined;
      for (const subscriber of group) {
        if (subscriber.wants(event.type)) subscriber.push((item ??= this.options.view(event)));
      }
    }
  }

  /** The store kept failing: every subscriber hears of it (none waits forever); the next one starts afresh. */
  private fail(reader: Reader, error: unknown): void {
    if (reader !== this.reader) return;
    this.options.log?.error({ err: error }, 'live events: reading the event log failed; ending the live subscriptions');
    this.reader = undefined;
    const failure = unavailableError(error);
    for (const group of [...this.byTenant.values()]) for (const s of [...group]) s.end(failure);
  }

  private remove(subscriber: Subscriber<T>): void {
    const group = this.byTenant.get(subscriber.tenantId);
    if (!group?.delete(subscriber)) return;
    if (group.size === 0) this.byTenant.delete(subscriber.tenantId);
    this.subscribers--;
    this.stopIfIdle();
  }

  private stopIfIdle(): void {
    if (this.subscribers === 0 && this.starting === 0) this.stop();
  }

  private stop(): void {
    const reader = this.reader;
    if (!reader) return;
    this.reader = undefined;
    reader.controller.abort();
    const done = reader.done.catch(() => undefined);
    this.stopping.add(done);
    void done.finally(() => this.stopping.delete(done));
  }
}
