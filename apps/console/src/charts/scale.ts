// The arithmetic of the console's hand-drawn SVG charts: linear and time scales, readable ticks,
// and line paths that break where a value is missing (a score before anything was evaluated).

export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

export const linearScale = (domain: readonly [number, number], range: readonly [number, number]): Scale => {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  // A flat domain (one point, or all values equal) maps to the middle of the range, not NaN.
  const scale = ((value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as Scale;
  return Object.assign(scale, { domain, range });
};

/** 1, 2 or 5 times a power of ten, whichever is nearest (geometrically) to the rough step. */
const niceStep = (roughStep: number): number => {
  const power = 10 ** Math.floor(Math.log10(roughStep));
  const fraction = roughStep / power;
  return (fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.sqrt(2) ? 2 : 1) * power;
};

/** About `count` evenly spaced round values covering [min, max]. */
export const niceTicks = (min: number, max: number, count = 5): number[] => {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const [lo, hi] = min < max ? [min, max] : [max, min];
  const step = niceStep((hi - lo) / Math.max(1, count));
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toFixed(12)));
  return ticks;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 90 * DAY];

/**
 * Tick instants (ms) between from and to, at most `maxTicks`, on whole minutes, hours or days (UTC)
 * so the labels read like a clock or a calendar.
 */
export const timeTicks = (from: number, to: number, maxTicks = 6): number[] => {
  if (!(to > from)) return Number.isFinite(from) ? [from] : [];
  const step = TIME_STEPS.find((s) => (to - from) / s <= maxTicks) ?? Math.ceil((to - from) / maxTicks / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
};

/** A label for a time tick: the time of day for hourly steps, the date otherwise (UTC). */
export const formatTimeTick = (t: number, stepMs: number): string => {
  const iso = new Date(t).toISOString();
  return stepMs < DAY ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10);
};

export interface ChartPoint {
  readonly x: number;
  readonly y: number | null;
}

/** An SVG path through the points; a null value ends the line there and the next value starts a new one. */
export const linePath = (points: readonly ChartPoint[], x: (v: number) => number, y: (v: number) => number): string => {
  const parts: string[] = [];
  let drawing = false;
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      drawing = false;
      continue;
    }
    parts.push(`${drawing ? 'L' : 'M'}${round(x(p.x))} ${round(y(p.y))}`);
    drawing = true;
  }
  return parts.join(' ');
};

const round = (v: number) => Math.round(v * 100) / 100;

/** A compliance score (0..1, or null: nothing evaluated) as a percentage for people. */
export const formatScore = (score: number | null | undefined): string => (score === null || score === undefined ? 'n/a' : `${Math.round(score * 1000) / 10}%`);

/** The score axis: 100% on top always (the goal); the bottom zooms in on the data, on a round tenth. */
export const scoreDomain = (values: readonly (number | null)[]): [number, number] => {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return [0, 1];
  const low = Math.max(0, Math.floor((Math.min(...present) - 0.05) * 10) / 10);
  return [Math.min(low, 0.8), 1];
};

/** A count axis: from 0 up to a round value at or above the largest count; at least 4, so the ticks stay whole numbers. */
export const countDomain = (values: readonly (number | null)[]): [number, number] => {
  const max = Math.max(4, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const step = niceTicks(0, max, 4)[1] ?? 1;
  return [0, Math.ceil(max / step - 1e-9) * step];
};
