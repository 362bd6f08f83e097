// events.ndjson: one envelope per line, exactly as the store recorded it, with the global position
// as its "<commit>/<prepare>" text (bigints have no JSON form). Key order is fixed so the same events
// always give the same bytes, whatever order a store (PostgreSQL jsonb reorders keys) hands back.
// A namespace import: the standalone verifier's bundle then holds only the parts of zod used here.
import * as z from 'zod';
import { formatPosition, type EventMetadata, type RecordedEvent } from '@rampart/event-sourcing';

/** An envelope as events.ndjson carries it. */
export type NdjsonEnvelope = Omit<RecordedEvent, 'globalPosition'> & { readonly globalPosition: string };

const orderedMetadata = (m: EventMetadata): EventMetadata => {
  const { tenantId, actor, correlationId, causationId, occurredAt, schemaVersion, ...rest } = m;
  const { kind, id, onBehalfOfTenant, ...actorRest } = actor;
  return {
    tenantId,
    actor: { kind, id, ...(onBehalfOfTenant === undefined ? {} : { onBehalfOfTenant }), ...actorRest },
    correlationId,
    causationId,
    occurredAt,
    schemaVersion,
    ...rest,
  };
};

export const ndjsonLine = (e: RecordedEvent): string =>
  JSON.stringify({
    eventId: e.eventId,
    streamId: e.streamId,
    revision: e.revision,
    globalPosition: formatPosition(e.globalPosition),
    recordedAt: e.recordedAt,
    type: e.type,
    data: e.data,
    metadata: orderedMetadata(e.metadata),
  });

const envelopeSchema = z.object({
  eventId: z.string().min(1),
  streamId: z.string().min(1),
  revision: z.number().int().nonnegative(),
  globalPosition: z.string().regex(/^\d+\/\d+$/, 'expected "<commit>/<prepare>"'),
  recordedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time'),
  type: z.string().min(1),
  data: z.unknown().refine((d) => d !== undefined, 'missing'),
  metadata: z.looseObject({
    tenantId: z.string().min(1),
    actor: z.looseObject({
      kind: z.enum(['user', 'service', 'api-key', 'system']),
      id: z.string().min(1),
      onBehalfOfTenant: z.string().optional(),
    }),
    correlationId: z.string().min(1),
    causationId: z.string().nullable(),
    occurredAt: z.string(),
    schemaVersion: z.number().int().positive(),
  }),
});

/**
 * Reads one line of events.ndjson back into its envelope (position kept as text). Throws with the
 * line number (when given) and every field that is wrong, so a damaged file is easy to locate.
 */
export const parseNdjsonLine = (line: string, lineNumber?: number): NdjsonEnvelope => {
  const where = lineNumber === undefined ? 'events.ndjson line' : `events.ndjson line ${lineNumber}`;
  let value: unknown;
  try {
    value = JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line);
  } catch (error) {
    throw new Error(`${where} is not JSON: ${(error as Error).message}`);
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`);
    throw new Error(`${where} is not an event envelope: ${problems.join('; ')}`);
  }
  return parsed.data as NdjsonEnvelope;
};
