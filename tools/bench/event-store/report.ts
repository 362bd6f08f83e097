// Statistics and the printed table of the event store benchmark.
import { alignedTable } from '../shared';

export interface Row {
  readonly operation: string;
  /** Batch size (appends) or page size (reads). */
  readonly size: number;
  /** Events per timed run. */
  readonly events: number;
  /** Seconds of each timed run of the store (the warm-up run is not included). */
  readonly storeSeconds: readonly number[];
  /** Seconds of each timed run of the raw-SQL baseline on the same rows. */
  readonly baselineSeconds: readonly number[];
  /** Set when the store returned other events than expected (the timing is still reported). */
  readonly warning?: string;
}

export interface RowSummary {
  readonly operation: string;
  readonly size: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly baselineSeconds: number;
  readonly baselineEventsPerSecond: number;
  /** Store throughput divided by baseline throughput. */
  readonly ratio: number;
  readonly storeSamples: readonly number[];
  readonly baselineSamples: readonly number[];
  readonly warning?: string;
}

export const median = (values: readonly number[]): number => {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const summarize = (row: Row): RowSummary => {
  const seconds = median(row.storeSeconds);
  const baselineSeconds = median(row.baselineSeconds);
  const eventsPerSecond = row.events / seconds;
  const baselineEventsPerSecond = row.events / baselineSeconds;
  return {
    operation: row.operation,
    size: row.size,
    events: row.events,
    seconds,
    eventsPerSecond,
    baselineSeconds,
    baselineEventsPerSecond,
    ratio: eventsPerSecond / baselineEventsPerSecond,
    storeSamples: row.storeSeconds,
    baselineSamples: row.baselineSeconds,
    ...(row.warning ? { warning: row.warning } : {}),
  };
};

const integer = (n: number): string => Math.round(n).toLocaleString('en-US');

const HEADER = ['operation', 'batch/page', 'events', 'seconds', 'events/s', 'baseline events/s', 'ratio'] as const;
const RIGHT_ALIGNED = [false, true, true, true, true, true, true];

export const formatTable = (rows: readonly RowSummary[]): string => {
  const cells = rows.map((r) => [
    r.warning ? `${r.operation} (!)` : r.operation,
    String(r.size),
    integer(r.events),
    r.seconds.toFixed(3),
    integer(r.eventsPerSecond),
    integer(r.baselineEventsPerSecond),
    `${r.ratio.toFixed(2)}x`,
  ]);
  return alignedTable(HEADER, RIGHT_ALIGNED, cells);
};
