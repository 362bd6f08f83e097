import { countDomain, formatScore, formatTimeTick, linearScale, linePath, niceTicks, scoreDomain, timeTicks } from './scale';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('chart scales', () => {
  it('maps a domain onto a range, inverted ranges included (SVG y grows downwards)', () => {
    const y = linearScale([0, 1], [200, 0]);
    expect([y(0), y(0.5), y(1)]).toEqual([200, 100, 0]);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it('picks round ticks', () => {
    expect(niceTicks(0, 1, 4)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.7, 1, 4)).toEqual([0.7, 0.8, 0.9, 1]);
    expect(niceTicks(3, 97, 5)).toEqual([20, 40, 60, 80]);
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('puts time ticks on whole hours or days (UTC), at most as many as asked', () => {
    const from = Date.UTC(2026, 10, 1, 10, 30);
    const ticks = timeTicks(from, from + DAY, 6);
    expect(ticks.length).toBeLessThanOrEqual(6);
    expect(ticks.every((t) => t % (6 * HOUR) === 0)).toBe(true);
    const month = timeTicks(from, from + 30 * DAY, 6);
    expect(month.every((t) => t % DAY === 0)).toBe(true);
    expect(month.length).toBeLessThanOrEqual(6);
    expect(timeTicks(from, from)).toEqual([from]);
    expect(timeTicks(from, from + 3 * 60_000, 6)).toEqual([from, from + 60_000, from + 120_000, from + 180_000]);
  });

  it('labels hourly ticks with the time and daily ones with the date', () => {
    expect(formatTimeTick(Date.UTC(2026, 10, 1, 6), HOUR)).toBe('11-01 06:00');
    expect(formatTimeTick(Date.UTC(2026, 10, 1), DAY)).toBe('2026-11-01');
  });

  it('breaks the line where a value is missing', () => {
    const identity = (v: number) => v;
    expect(linePath([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: null }, { x: 3, y: 4 }, { x: 4, y: 5 }], identity, identity)).toBe('M0 1 L1 2 M3 4 L4 5');
    expect(linePath([{ x: 0, y: null }], identity, identity)).toBe('');
  });

  it('zooms the score axis on the data, keeping 100% on top', () => {
    expect(scoreDomain([0.77, 0.79, null])).toEqual([0.7, 1]);
    expect(scoreDomain([0.1, 0.5])).toEqual([0, 1]);
    expect(scoreDomain([0.99, 1])).toEqual([0.8, 1]);
    expect(scoreDomain([null])).toEqual([0, 1]);
  });

  it('puts counts on an axis from 0 to a round value, with whole-number ticks', () => {
    expect(countDomain([3, 7, null])).toEqual([0, 8]);
    expect(countDomain([0, 1])).toEqual([0, 4]);
    expect(countDomain([null])).toEqual([0, 4]);
    expect(countDomain([5])).toEqual([0, 5]);
    expect(countDomain([123])).toEqual([0, 140]);
  });

  it('writes scores as percentages, and says when there is none', () => {
    expect(formatScore(0.7794)).toBe('77.9%');
    expect(formatScore(1)).toBe('100%');
    expect(formatScore(null)).toBe('n/a');
  });
});
