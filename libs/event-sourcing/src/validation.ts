// Checks every adapter applies before writing, so a bad event is refused the same way
// everywhere and nothing is written.
import { isValidTenantId, tenantOfStream, TRACEPARENT, type NewEvent } from './envelope';
import { InvalidEventError, type StreamAppend } from './event-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_NAME = /^[a-z][a-zA-Z0-9]*\.[A-Z][A-Za-z0-9]*\.v[1-9][0-9]*$/;

export const validateAppend = (streamId: string, events: readonly NewEvent[]): void => {
  if (!streamId || streamId.length > 512 || /\s/.test(streamId)) {
    throw new InvalidEventError(`stream id must be 1-512 characters without whitespace, got "${streamId}"`);
  }
  if (events.length === 0) throw new InvalidEventError(`append to "${streamId}" has no events`);
  const streamTenant = tenantOfStream(streamId);
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.eventId)) throw new InvalidEventError(`eventId "${event.eventId}" is not a UUID`);
    if (seen.has(event.eventId.toLowerCase())) {
      throw new InvalidEventError(`eventId ${event.eventId} appears twice in one append`);
    }
    seen.add(event.eventId.toLowerCase());
    if (!TYPE_NAME.test(event.type)) {
      throw new InvalidEventError(`event type "${event.type}" must look like "context.PastTenseName.v1"`);
    }
    const meta = event.metadata;
    if (!meta || !isValidTenantId(meta.tenantId ?? '')) {
      throw new InvalidEventError(`event ${event.eventId} has no valid metadata.tenantId`);
    }
    if (streamTenant !== undefined && streamTenant !== meta.tenantId) {
      throw new InvalidEventError(
        `event ${event.eventId} belongs to tenant "${meta.tenantId}" but stream "${streamId}" belongs to "${streamTenant}"`,
      );
    }
    if (!meta.actor?.id || !meta.actor.kind) throw new InvalidEventError(`event ${event.eventId} has no actor`);
    if (!meta.correlationId) throw new InvalidEventError(`event ${event.eventId} has no correlationId`);
    if (Number.isNaN(Date.parse(meta.occurredAt))) {
      throw new InvalidEventError(`event ${event.eventId} has an invalid occurredAt "${meta.occurredAt}"`);
    }
    if (!Number.isInteger(meta.schemaVersion) || meta.schemaVersion < 1) {
      throw new InvalidEventError(`event ${event.eventId} has an invalid schemaVersion`);
    }
    if (meta.traceparent !== undefined && (typeof meta.traceparent !== 'string' || !TRACEPARENT.test(meta.traceparent))) {
      throw new InvalidEventError(`event ${event.eventId} has a traceparent that is not a W3C trace context (00-<32 hex>-<16 hex>-<2 hex>)`);
    }
    if (event.data === undefined) throw new InvalidEventError(`event ${event.eventId} has no data`);
  }
};

/** Larger batches hold locks and memory for too long; a bulk writer sends several. */
export const MAX_STREAMS_PER_APPEND = 5_000;

/** `validateAppend` for each stream, plus: each stream at most once, event ids unique across the batch. */
export const validateMultiStreamAppend = (appends: readonly StreamAppend[]): void => {
  if (appends.length > MAX_STREAMS_PER_APPEND) {
    throw new InvalidEventError(`a multi-stream append takes at most ${MAX_STREAMS_PER_APPEND} streams, got ${appends.length}`);
  }
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const append of appends) {
    validateAppend(append.streamId, append.events);
    if (streams.has(append.streamId)) throw new InvalidEventError(`stream "${append.streamId}" appears twice in one multi-stream append`);
    streams.add(append.streamId);
    for (const event of append.events) {
      const id = event.eventId.toLowerCase();
      if (ids.has(id)) throw new InvalidEventError(`eventId ${event.eventId} appears twice in one append`);
      ids.add(id);
    }
  }
};

/** Deep equality on JSON values, insensitive to key order (jsonb does not keep it). */
export const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameJson(x, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  return (
    ak.length === bk.length &&
    ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson((a as never)[k], (b as never)[k]))
  );
};
