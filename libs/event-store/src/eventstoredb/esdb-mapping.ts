// The pure half of the EventStoreDB adapter: how the port's revisions, positions, filters and
// envelopes translate to and from @eventstore/db-client's types. Nothing here talks to a server,
// so all of it is unit tested (esdb-mapping.spec.ts); esdb-event-store.ts does the I/O.
import {
  comparePositions,
  EventIdConflictError,
  InvalidEventError,
  sameJson,
  START,
  tenantStreamPrefix,
  tenantPartitionOf,
  assertTenantPartition,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventMetadata,
  type ExpectedRevision,
  type GlobalPosition,
  type LogFilter,
  type NewEvent,
  type RecordedEvent,
  type TenantPartition,
} from '@rampart/event-sourcing';
import type { AppendExpectedRevision, CurrentRevision, Position, ReadPosition } from '@eventstore/db-client';

// ---------------------------------------------------------------------------------------------
// Revisions

/** Our expected revision as the client's: the names are the same, a number becomes a bigint. */
export const toEsdbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'no_stream':
      return 'no_stream';
    case 'stream_exists':
      return 'stream_exists';
    case 'any':
      return 'any';
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new InvalidEventError(`expected revision must be a revision (an integer >= 0), got ${String(expected)}`);
      }
      return BigInt(expected);
  }
};

/** An ESDB stream revision (bigint) as ours (number). */
export const fromEsdbRevision = (revision: bigint): number => {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`stream revision ${revision} does not fit a JavaScript number`);
  }
  return Number(revision);
};

/** The client's "current revision" of a stream; a negative one (-1) also means there is no stream. */
export const fromEsdbCurrentRevision = (current: CurrentRevision): number | 'no_stream' =>
  current === 'no_stream' || current < 0n ? 'no_stream' : fromEsdbRevision(current);

/** The client's WrongExpectedVersionError, as the port's error. */
export const toWrongExpectedRevisionError = (
  streamId: string,
  expected: ExpectedRevision,
  actual: CurrentRevision,
): WrongExpectedRevisionError => new WrongExpectedRevisionError(streamId, expected, fromEsdbCurrentRevision(actual));

// ---------------------------------------------------------------------------------------------
// Positions

/** ESDB's commit/prepare position is already our GlobalPosition; copy it so nothing is shared. */
export const toGlobalPosition = (position: Position): GlobalPosition => ({
  commit: position.commit,
  prepare: position.prepare,
});

/** Where a forwards read of $all starts: START is ESDB's start of the log, anything else a position. */
export const toEsdbReadPosition = (position: GlobalPosition): ReadPosition =>
  comparePositions(position, START) === 0 ? 'start' : { commit: position.commit, prepare: position.prepare };

export const laterPosition = (a: GlobalPosition, b: GlobalPosition): GlobalPosition =>
  comparePositions(a, b) >= 0 ? a : b;

// ---------------------------------------------------------------------------------------------
// Events read from the server

/** The fields of the client's RecordedEvent (JSON or binary) the adapter uses. */
export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  /** Always set on reads of $all; on stream reads only by servers after 22.6.0. */
  readonly position?: Position;
}

/** The fields of the client's ResolvedEvent / AllStreamResolvedEvent the adapter uses. */
export interface EsdbResolvedEvent {
  readonly event?: EsdbRecordedEvent;
  readonly commitPosition?: bigint;
}

export const isSystemStream = (streamId: string): boolean => streamId.startsWith('$');

/** EventStoreDB's own events: `$`-types (stats, links `$>`, `$metadata`...) or anything in a `$`-stream. */
export const isSystemEvent = (event: { readonly streamId: string; readonly type: string }): boolean =>
  event.type.startsWith('$') || isSystemStream(event.streamId);

const label = (event: EsdbRecordedEvent): string => `event ${event.id} ("${event.type}" in "${event.streamId}")`;

const decodeJson = (value: unknown, event: EsdbRecordedEvent, what: string): unknown => {
  if (!(value instanceof Uint8Array)) return value;
  try {
    return JSON.parse(Buffer.from(value).toString('utf8')) as unknown;
  } catch {
    throw new Error(`${label(event)} has ${what} that is not JSON: it was not written by Rampart`);
  }
};

/**
 * A server event as the port's RecordedEvent (before upcasting). Refuses system events and
 * events without Rampart metadata rather than inventing an envelope for them.
 */
export const recordedFromResolved = (resolved: EsdbResolvedEvent): RecordedEvent => {
  const event = resolved.event;
  if (!event) throw new Error('resolved event carries no event (a link to a deleted event?)');
  if (isSystemEvent(event)) throw new Error(`${label(event)} is an EventStoreDB system event, not a Rampart event`);
  const data = event.isJson ? event.data : decodeJson(event.data, event, 'data');
  const metadata = decodeJson(event.metadata, event, 'metadata');
  if (
    typeof metadata !== 'object' ||
    metadata === null ||
    Array.isArray(metadata) ||
    typeof (metadata as { tenantId?: unknown }).tenantId !== 'string'
  ) {
    throw new Error(`${label(event)} has no Rampart metadata: it was not written by Rampart`);
  }
  return {
    eventId: event.id,
    streamId: event.streamId,
    revision: fromEsdbRevision(event.revision),
    type: event.type,
    data,
    metadata: metadata as EventMetadata,
    // Servers up to 22.6 send no position on stream reads; the port's globalPosition is then
    // START for events read with readStream (readAll always has real positions).
    globalPosition: event.position ? toGlobalPosition(event.position) : START,
    recordedAt: event.created.toISOString(),
  };
};

/** The log position of an event read from $all; such events always carry one. */
export const positionOfAllEvent = (resolved: EsdbResolvedEvent): GlobalPosition => {
  if (!resolved.event?.position) {
    throw new Error('an event read from $all has no log position; EventStoreDB 20.6 or later is required');
  }
  return toGlobalPosition(resolved.event.position);
};

// ---------------------------------------------------------------------------------------------
// Idempotent appends

/**
 * Compares the events about to be appended with the stream's tail (the last stored events, any
 * order, as stored: not upcast). Returns the result of an idempotent re-append when every event
 * is already there with the same type and data, undefined when none is, and throws
 * EventIdConflictError when an id was used for something else or only part of the batch is stored.
 */
export const alreadyAppended = (
  events: readonly NewEvent[],
  tail: readonly RecordedEvent[],
): AppendResult | undefined => {
  const byId = new Map(tail.map((e) => [e.eventId.toLowerCase(), e]));
  const found = events.filter((e) => byId.has(e.eventId.toLowerCase()));
  if (found.length === 0) return undefined;
  let position = START;
  for (const event of events) {
    const stored = byId.get(event.eventId.toLowerCase());
    if (!stored) {
      throw new EventIdConflictError(found[0].eventId, 'part of this batch was appended before; the rest was not');
    }
    if (stored.type !== event.type || !sameJson(stored.data, event.data)) {
      throw new EventIdConflictError(event.eventId, 'the stored type or data differ');
    }
    position = laterPosition(position, stored.globalPosition);
  }
  const head = tail.reduce((max, e) => Math.max(max, e.revision), -1);
  return { nextExpectedRevision: head, position, alreadyAppended: true };
};

// ---------------------------------------------------------------------------------------------
// Reading the global log

/**
 * What a server that can filter reads of $all would be asked for. ESDB filters on stream name
 * or on event type, never both in one read, and always by prefix (or regex).
 */
export type ServerFilter =
  | { readonly on: 'streamName'; readonly prefixes: readonly string[] }
  | { readonly on: 'eventType'; readonly prefixes: readonly string[] }
  | { readonly on: 'excludeSystemEvents' };

export type LogFilterPlan =
  /** The tenant and the stream prefixes do not intersect: no event can match. */
  | { readonly matchesNothing: true }
  | {
      readonly matchesNothing: false;
      /** An event matches when its stream starts with one of these; undefined: any stream. */
      readonly streamPrefixes?: readonly string[];
      /** Exact event types; undefined: any type. */
      readonly eventTypes?: readonly string[];
      /** Only events whose actor acted on behalf of a tenant (checked on the client). */
      readonly actedOnBehalf?: boolean;
      /** Only events of the tenants in this partition, by the metadata's tenant (checked on the client). */
      readonly tenantPartition?: TenantPartition;
      readonly server: ServerFilter;
    };

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * How a LogFilter maps onto EventStoreDB, where the tenant is not a column but the stream-name
 * prefix `t-<tenant>:`. Consequence: a tenant filter does not see events of that tenant stored
 * in platform streams (streams without the prefix), which the SQL store finds by metadata.
 *
 * The server part is used only for stream names or, without a stream filter, event-type
 * prefixes; the exact checks (and the exclusion of system events) are always made by
 * `matchesPlan` on the client, since a prefix filter is wider than the port's filter.
 */
export const planLogFilter = (filter: LogFilter = {}): LogFilterPlan => {
  if (filter.tenantPartition) assertTenantPartition(filter.tenantPartition);
  const tenantPrefix = filter.tenantId !== undefined ? tenantStreamPrefix(filter.tenantId) : undefined;
  const requested = filter.streamPrefixes?.length ? unique(filter.streamPrefixes) : undefined;
  let streamPrefixes: string[] | undefined;
  if (tenantPrefix !== undefined && requested) {
    // The intersection of "in the tenant" and "starts with p": p itself when p is inside the
    // tenant, the whole tenant when p is wider than it (e.g. "t-"), nothing otherwise.
    streamPrefixes = unique(
      requested.flatMap((p) => (p.startsWith(tenantPrefix) ? [p] : tenantPrefix.startsWith(p) ? [tenantPrefix] : [])),
    );
    if (streamPrefixes.length === 0) return { matchesNothing: true };
  } else {
    streamPrefixes = tenantPrefix !== undefined ? [tenantPrefix] : requested;
  }
  const eventTypes = filter.eventTypes?.length ? unique(filter.eventTypes) : undefined;
  const server: ServerFilter = streamPrefixes
    ? { on: 'streamName', prefixes: streamPrefixes }
    : eventTypes
      ? { on: 'eventType', prefixes: eventTypes }
      : { on: 'excludeSystemEvents' };
  return {
    matchesNothing: false,
    streamPrefixes,
    eventTypes,
    ...(filter.actedOnBehalf ? { actedOnBehalf: true } : {}),
    ...(filter.tenantPartition ? { tenantPartition: { index: filter.tenantPartition.index, count: filter.tenantPartition.count } } : {}),
    server,
  };
};

/** The event's metadata as an object; the client hands JSON metadata over as bytes. Undefined when it is not JSON. */
const metadataOf = (raw: unknown): Record<string, unknown> | undefined => {
  let metadata = raw;
  if (metadata instanceof Uint8Array) {
    try {
      metadata = JSON.parse(new TextDecoder().decode(metadata));
    } catch {
      return undefined;
    }
  }
  return metadata !== null && typeof metadata === 'object' ? (metadata as Record<string, unknown>) : undefined;
};

const actedOnBehalf = (metadata: Record<string, unknown> | undefined): boolean => {
  const actor = metadata?.actor as { onBehalfOfTenant?: unknown } | undefined;
  return typeof actor?.onBehalfOfTenant === 'string';
};

/** As the SQL stores decide it: by the tenant in the metadata (not the stream name). */
const inPartition = (metadata: Record<string, unknown> | undefined, partition: TenantPartition): boolean =>
  typeof metadata?.tenantId === 'string' && tenantPartitionOf(metadata.tenantId, partition.count) === partition.index;

/** The exact, client-side check of a plan; system events never match. */
export const matchesPlan = (plan: LogFilterPlan, event: { readonly streamId: string; readonly type: string; readonly metadata?: unknown }): boolean => {
  if (plan.matchesNothing || isSystemEvent(event)) return false;
  if (plan.streamPrefixes && !plan.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  if (plan.eventTypes && !plan.eventTypes.includes(event.type)) return false;
  if (!plan.actedOnBehalf && !plan.tenantPartition) return true;
  const metadata = metadataOf(event.metadata);
  if (plan.actedOnBehalf && !actedOnBehalf(metadata)) return false;
  if (plan.tenantPartition && !inPartition(metadata, plan.tenantPartition)) return false;
  return true;
};

export interface PageScan {
  /** Matching events after `after`, in log order, at most `wanted`. */
  readonly matched: EsdbResolvedEvent[];
  /** The last event examined (matching or not), or `after` when none was. */
  readonly position: GlobalPosition;
  /** True when `wanted` events matched, so the rest of the page was not examined. */
  readonly filled: boolean;
}

/**
 * One page of a forwards read of $all. The port's `from` is exclusive while ESDB starts a read
 * at the given position, and consecutive pages start at the previous page's last event, so
 * everything at or before `after` is skipped.
 */
export const scanAllPage = (
  page: readonly EsdbResolvedEvent[],
  after: GlobalPosition,
  plan: LogFilterPlan,
  wanted: number,
): PageScan => {
  const matched: EsdbResolvedEvent[] = [];
  let position = after;
  for (const resolved of page) {
    const p = positionOfAllEvent(resolved);
    if (comparePositions(p, position) <= 0) continue;
    position = p;
    if (resolved.event && matchesPlan(plan, resolved.event)) {
      matched.push(resolved);
      if (matched.length >= wanted) return { matched, position, filled: true };
    }
  }
  return { matched, position, filled: false };
};

/**
 * One page of a backwards read of $all from the end: the position of the newest non-system
 * event strictly before `before` (undefined: from the very end), and the oldest position seen,
 * to continue from when the page held only system events.
 */
export const scanHeadPage = (
  page: readonly EsdbResolvedEvent[],
  before?: GlobalPosition,
): { readonly head?: GlobalPosition; readonly oldest?: GlobalPosition } => {
  let oldest: GlobalPosition | undefined;
  for (const resolved of page) {
    const p = positionOfAllEvent(resolved);
    if (before && comparePositions(p, before) >= 0) continue;
    if (resolved.event && !isSystemEvent(resolved.event)) return { head: p };
    oldest = p;
  }
  return { oldest };
};

// ---------------------------------------------------------------------------------------------
// Connection strings

/** The connection string without user name and password, for error messages and logs. */
export const redactConnectionString = (connectionString: string): string =>
  connectionString.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
