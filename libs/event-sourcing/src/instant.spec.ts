import { parseInstant } from './instant';

describe('parseInstant', () => {
  it.each([
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30:00Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30:00.123456Z', '2026-11-01T09:30:00.123Z'],
    ['2026-11-01T10:30:00+01:00', '2026-11-01T09:30:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => expect(parseInstant(text)?.toISOString()).toBe(iso));

  it.each([
    ['2027-02-30', 'a day February does not have (Date rolls it over to March)'],
    ['2027-02-29T00:00:00Z', 'not a leap year'],
    ['2026-13-01', 'month 13'],
    ['2026-11-01T24:00:00Z', 'hour 24'],
    ['2026-11-01T09:30:00', 'a time without its offset, read in the server time zone by Date'],
    ['November 1, 2026', 'not ISO-8601'],
    ['1', 'a bare number'],
    ['', 'empty'],
    ['2026-11-01T09:30:00Z\u0000', 'trailing NUL'],
  ])('refuses %s (%s)', (text) => expect(parseInstant(text)).toBeUndefined());
});
