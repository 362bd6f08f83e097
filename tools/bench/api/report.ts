// The printed table of the API benchmark, in the style of the event store benchmark's.
import type { LoadResult } from './load';
import { alignedTable } from '../shared';

export interface TargetRow {
  readonly target: string;
  readonly result?: LoadResult;
  /** Why the target was not measured. */
  readonly skipped?: string;
  /** Rampart req/s divided by the bare server's; 1 for the baseline itself. */
  readonly ratio?: number;
}

const integer = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

const HEADER = ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'ratio (req/s vs bare)'] as const;
const RIGHT_ALIGNED = [false, true, true, true, true, true];

export const errorCount = (r: LoadResult): number => r.non2xx + r.otherErrors;

export const formatTable = (rows: readonly TargetRow[]): string => {
  const cells = rows.map((row) =>
    row.result
      ? [
          row.target,
          integer(row.result.requestsPerSecond),
          ms(row.result.latencyP50Ms),
          ms(row.result.latencyP99Ms),
          integer(errorCount(row.result)),
          row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
        ]
      : [row.target, 'skipped', '', '', '', ''],
  );
  return alignedTable(HEADER, RIGHT_ALIGNED, cells);
};
