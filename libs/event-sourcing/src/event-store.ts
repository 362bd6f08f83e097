// The event store port. Three adapters implement it (PGlite, PostgreSQL, EventStoreDB) and one
// contract test suite holds them to the same behaviour.
import type { GlobalPosition, NewEvent, RecordedEvent } from './envelope';
import type { TenantPartition } from './tenant-partition';
import type { CommandObserver } from './command-handling';

/**
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must have at least one event.
 * - `any`: no check.
 * - a number: the revision of the stream's last event (0-based), as last read by the writer.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface AppendOptions {
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append; pass it as the next expected revision. */
  readonly nextExpectedRevision: number;
  /** Global position of the last event written (or found, for an idempotent re-append). */
  readonly position: GlobalPosition;
  /** True when every event was already stored with the same content: nothing was written. */
  readonly alreadyAppended: boolean;
}

export interface ReadStreamOptions {
  readonly direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the first event (forwards) or the last (backwards). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface LogFilter {
  readonly tenantId?: string;
  /** Stream id prefixes; an event matches when its stream starts with any of them. */
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
  /** Only what staff did for a customer: events whose actor acted on behalf of a tenant. */
  readonly actedOnBehalf?: boolean;
  /** Only events of the tenants in this partition (`tenantPartitionOf(metadata.tenantId, count) === index`). */
  readonly tenantPartition?: TenantPartition;
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the start of the log. */
  readonly from?: GlobalPosition;
  readonly filter?: LogFilter;
  readonly maxCount?: number;
}

export interface ReadAllResult {
  readonly events: RecordedEvent[];
  /**
   * Where to continue from. It can be past the last returned event when the filter skipped
   * events, so a checkpoint never re-scans what no longer matters.
   */
  readonly position: GlobalPosition;
  /** True when the read reached the end of what is visible now. */
  readonly isEnd: boolean;
  /**
   * At the end: events exist that are committed but not visible yet, because an older
   * transaction is still running (SQL stores). They become visible when it ends, which sends no
   * notification, so a caught-up reader should read again shortly instead of waiting for the next
   * append. Absent means false.
   */
  readonly heldBack?: boolean;
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision?: ExpectedRevision;
}

export type EventStoreKind = 'pglite' | 'postgres' | 'eventstoredb';

export interface EventStore {
  readonly kind: EventStoreKind;
  appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to many streams in one round trip, for bulk writers (ingestion of thousands of
   * resources). Each stream keeps `appendToStream`'s guarantees (expected revision, idempotent
   * event ids) and results come back in the order given. `atomicMultiStreamAppend` says whether
   * a failure leaves nothing written (SQL adapters) or may leave the streams before the failing
   * one appended (EventStoreDB has no multi-stream transaction); either way, appending the same
   * batch again is safe, because re-appended events are recognised by their ids.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  readonly atomicMultiStreamAppend: boolean;
  /** Events of one stream; an empty array when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /** The position of the last visible event in the log (START when empty). */
  headPosition(): Promise<GlobalPosition>;
  /**
   * Resolves when new events may have been appended, or after `timeoutMs`: lets subscriptions
   * sleep instead of spinning. Spurious wake-ups are allowed; missed ones cost at most the timeout.
   */
  waitForAppend(timeoutMs: number, signal?: AbortSignal, since?: number): Promise<void>;
  /**
   * A count of the append notifications seen so far. A reader takes it before reading and passes
   * it to `waitForAppend`, which then returns at once if an append was notified in between (one
   * that came while the read was under way would otherwise be slept through until the timeout).
   */
  appendNotifications?(): number;
  /**
   * Sees every command `handleCommand` and `handleCommands` take through this store (a span, a
   * count). Adapters have none; the runtime's instrumented store adds it.
   */
  readonly commandObserver?: CommandObserver;
  close(): Promise<void>;
}

/** Base for the store's expected failures, so callers can tell them from broken infrastructure. */
export class EventStoreError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      `append to "${streamId}" expected revision ${String(expected)} but the stream is at ${String(actual)}`,
      'wrong-expected-revision',
    );
  }
}

export class EventIdConflictError extends EventStoreError {
  constructor(
    readonly eventId: string,
    detail: string,
  ) {
    super(`event id ${eventId} was already used for a different event: ${detail}`, 'event-id-conflict');
  }
}

export class InvalidEventError extends EventStoreError {
  constructor(message: string) {
    super(message, 'invalid-event');
  }
}
