// events.csv: a flat view of the envelopes for spreadsheets, one row per event. RFC 4180 quoting;
// rows and the header are returned without their line break, and the writer ends each with CRLF
// (RFC 4180 §2). data_json is the whole payload (lossless; events.ndjson is the faithful copy).
import { formatPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { summarize } from './summary';

export const CSV_COLUMNS = [
  'global_position',
  'recorded_at',
  'tenant_id',
  'stream_id',
  'revision',
  'event_type',
  'event_id',
  'actor_kind',
  'actor_id',
  'actor_issued_by',
  'on_behalf_of',
  'correlation_id',
  'causation_id',
  'summary',
  'data_json',
] as const;

export const CSV_LINE_END = '\r\n';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV Injection"):
 * such a cell gets a leading apostrophe, which spreadsheets show as text. LF is included too, as
 * some spreadsheets strip leading line breaks before looking for a formula.
 */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/** One field: neutralised against formulas, quoted when it holds a comma, a quote or a line break. */
export const csvField = (value: string): string => {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const CSV_HEADER: string = CSV_COLUMNS.join(',');

export const csvRow = (e: RecordedEvent): string => {
  const m = e.metadata;
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    global_position: formatPosition(e.globalPosition),
    recorded_at: e.recordedAt,
    tenant_id: m.tenantId,
    stream_id: e.streamId,
    revision: String(e.revision),
    event_type: e.type,
    event_id: e.eventId,
    actor_kind: m.actor.kind,
    actor_id: m.actor.id,
    actor_issued_by: m.actor.issuedBy?.id ?? '',
    on_behalf_of: m.actor.onBehalfOfTenant ?? '',
    correlation_id: m.correlationId,
    causation_id: m.causationId ?? '',
    summary: summarize(e),
    data_json: JSON.stringify(e.data) ?? '',
  };
  return CSV_COLUMNS.map((column) => csvField(cells[column])).join(',');
};
