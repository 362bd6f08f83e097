// The event envelope every store speaks: a fact with a stable type name, a JSON payload and
// the metadata that makes it attributable (tenant, actor, on-behalf-of) and traceable
// (correlation/causation), plus the positions a store assigns when it records it.

export type ActorKind = 'user' | 'service' | 'api-key' | 'system';

export interface Actor {
  readonly kind: ActorKind;
  readonly id: string;
  /** Set when SOC or platform staff act for a customer; the tenant sees the action in its timeline. */
  readonly onBehalfOfTenant?: string;
  /** For an API key: the person who issued it and answers for it (the actor chain). */
  readonly issuedBy?: { readonly kind: 'user'; readonly id: string };
}

export interface EventMetadata {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** When it happened in the world (ISO 8601); `recordedAt` is when the store wrote it. */
  readonly occurredAt: string;
  readonly schemaVersion: number;
  /**
   * The W3C trace context of the append that recorded it (`00-<trace id>-<span id>-<flags>`), written
   * only while tracing is on, so a worker's reaction joins the trace of the request that caused it.
   * Operational, not evidence: nothing decides on it.
   */
  readonly traceparent?: string;
}

/** A W3C `traceparent` of version 00 with non-zero ids: the only form metadata may carry. */
export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** A domain event as deciders produce it: no ids, no metadata yet. */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
}

/** An event ready to append. `eventId` makes appends idempotent. */
export interface NewEvent<T extends string = string, D = unknown> extends DomainEvent<T, D> {
  readonly eventId: string;
  readonly metadata: EventMetadata;
}

/**
 * A position in the global log. Both halves are needed to order events the way they became
 * visible: for PostgreSQL `commit` is the appending transaction's id and `prepare` the row's
 * sequence number; for EventStoreDB they are its commit and prepare positions.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface RecordedEvent<T extends string = string, D = unknown> extends NewEvent<T, D> {
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  readonly globalPosition: GlobalPosition;
  readonly recordedAt: string;
}

export const START: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export const comparePositions = (a: GlobalPosition, b: GlobalPosition): number =>
  a.commit === b.commit ? (a.prepare === b.prepare ? 0 : a.prepare < b.prepare ? -1 : 1) : a.commit < b.commit ? -1 : 1;

/** `"<commit>/<prepare>"`: how positions travel through JSON, GraphQL and CLI flags. */
export const formatPosition = (p: GlobalPosition): string => `${p.commit}/${p.prepare}`;

/** Positions are 64-bit in every store (PostgreSQL bigint, EventStoreDB's commit/prepare). */
const MAX_POSITION = 2n ** 63n - 1n;

export const parsePosition = (text: string): GlobalPosition => {
  const match = /^(\d{1,19})\/(\d{1,19})$/.exec(text.trim());
  const position = match ? { commit: BigInt(match[1]), prepare: BigInt(match[2]) } : undefined;
  if (!position || position.commit > MAX_POSITION || position.prepare > MAX_POSITION) {
    throw new Error(`"${text.slice(0, 80)}" is not a log position; expected "<commit>/<prepare>" of 64-bit numbers, e.g. "0/0"`);
  }
  return position;
};

const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * An id from outside (a command's tenant, incident or action id) that no stream can be named
 * after. Thrown where the stream id is built, so every edge answers the caller's mistake as such
 * (GraphQL: BAD_USER_INPUT) without each repeating the check; nothing has been read or written.
 */
export class InvalidIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidIdError';
  }
}

const shown = (id: string) => JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}…` : id);

export const isValidTenantId = (tenantId: string): boolean => TENANT_ID.test(tenantId);

/**
 * Every stream starts with its tenant so that a tenant's whole history is one prefix:
 * `t-<tenant>:<category>-<id>`.
 */
export const tenantStreamPrefix = (tenantId: string): string => {
  if (!isValidTenantId(tenantId)) {
    throw new InvalidIdError(`${shown(tenantId)} is not a valid tenant id: use 1-63 lowercase letters, digits and inner hyphens`);
  }
  return `t-${tenantId}:`;
};

export const streamIdFor = (tenantId: string, category: string, id: string): string => {
  if (!/^[a-z][a-z0-9-]*$/.test(category)) throw new Error(`"${category}" is not a valid stream category`);
  // Printable, no spaces or invisible characters, and short: an id names a stream and shows in trails.
  if (!/^[\x21-\x7e\u00a1-\uffef]{1,256}$/.test(id) || /[\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]/.test(id)) {
    throw new InvalidIdError(`${shown(id)} is not a valid id: 1-256 visible characters, no spaces`);
  }
  return `${tenantStreamPrefix(tenantId)}${category}-${id}`;
};

/** The tenant a stream belongs to, or undefined for platform streams. */
export const tenantOfStream = (streamId: string): string | undefined => /^t-([a-z0-9-]+):/.exec(streamId)?.[1];

/**
 * What a pure read-model reducer sees of a recorded event: enough to build a row, and small enough
 * for a test to write by hand. Every RecordedEvent is one.
 */
export type ProjectedEvent = Pick<RecordedEvent, 'type' | 'data' | 'revision' | 'recordedAt'> & {
  readonly metadata: Pick<EventMetadata, 'tenantId' | 'actor'>;
};
