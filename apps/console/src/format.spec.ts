import { formatDateTime, isoToUtcInput, utcInputToIso } from './format';

describe('times in the console', () => {
  it('reads a typed date and time as UTC, the zone every time on screen is in', () => {
    expect(utcInputToIso('2026-12-01T09:00')).toBe('2026-12-01T09:00:00.000Z');
    expect(utcInputToIso('2026-12-01T09:00:30')).toBe('2026-12-01T09:00:30.000Z');
    expect(formatDateTime(utcInputToIso('2026-12-01T09:00'))).toBe('2026-12-01 09:00 UTC');
    expect(isoToUtcInput('2026-12-01T09:00:00.000Z')).toBe('2026-12-01T09:00');
  });

  it('refuses what is not a date and time', () => {
    expect(utcInputToIso('')).toBeUndefined();
    expect(utcInputToIso('yesterday')).toBeUndefined();
    expect(utcInputToIso('2026-13-45T99:00')).toBeUndefined();
  });
});
