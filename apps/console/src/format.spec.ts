import { expiresIn, formatDateTime, isoToUtcInput, spanText, utcInputToIso } from './format';

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

describe('what is left of an approval lifetime', () => {
  const now = Date.parse('2026-12-01T10:00:00.000Z');

  it('says how long a proposal still waits, in the units a person plans with', () => {
    expect(expiresIn('2026-12-01T13:00:00.000Z', now)).toBe('expires in 3 h');
    expect(expiresIn('2026-12-01T13:05:00.000Z', now)).toBe('expires in 3 h 5 min');
    expect(expiresIn('2026-12-01T10:45:00.000Z', now)).toBe('expires in 45 min');
    expect(expiresIn('2026-12-04T10:00:00.000Z', now)).toBe('expires in 3 days');
  });

  it('says expired once nothing is left, and nothing for what is not a time', () => {
    expect(expiresIn('2026-12-01T10:00:00.000Z', now)).toBe('expired');
    expect(expiresIn('2026-11-30T10:00:00.000Z', now)).toBe('expired');
    expect(expiresIn('soon', now)).toBe('');
    expect(spanText(-5 * 60_000)).toBe('under a minute');
  });
});
