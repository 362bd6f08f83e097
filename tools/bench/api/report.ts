// The printed table of the API benchmark, in the style of the event store benchmark's: one row per
// shape and target, with the ratio to the bare server on the same shape and the goal it is held to.
import type { LoadResult } from './load';
import { alignedTable } from '../shared';

export interface TargetRow {
  readonly shape: string;
  readonly target: string;
  readonly result?: LoadResult;
  /** Why the target was not measured. */
  readonly skipped?: string;
  /** Rampart req/s divided by the bare server's on the same shape; 1 for the baseline itself. */
  readonly ratio?: number;
  /** The ratio this target must reach; none for the baseline. */
  readonly goal?: number;
}

const integer = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

const HEADER = ['shape', 'target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'vs bare', 'goal'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true, true, true, false];

export const errorCount = (r: LoadResult): number => r.non2xx + r.otherErrors;

const verdict = (row: TargetRow): string => {
  if (row.goal === undefined || row.ratio === undefined) return '';
  return `${row.ratio >= row.goal ? 'meets' : 'BELOW'} ${row.goal.toFixed(2)}x`;
};

export const formatTable = (rows: readonly TargetRow[]): string => {
  const cells = rows.map((row) =>
    row.result
      ? [
          row.shape,
          row.target,
          integer(row.result.requestsPerSecond),
          ms(row.result.latencyP50Ms),
          ms(row.result.latencyP99Ms),
          integer(errorCount(row.result)),
          row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
          verdict(row),
        ]
      : [row.shape, row.target, 'skipped', '', '', '', '', ''],
  );
  return alignedTable(HEADER, RIGHT_ALIGNED, cells);
};
