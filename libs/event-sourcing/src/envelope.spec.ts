import { comparePositions, formatPosition, InvalidIdError, parsePosition, START, streamIdFor, tenantOfStream, tenantStreamPrefix } from './envelope';

describe('positions', () => {
  it('order by commit, then prepare', () => {
    expect(comparePositions({ commit: 5n, prepare: 100n }, { commit: 6n, prepare: 1n })).toBe(-1);
    expect(comparePositions({ commit: 6n, prepare: 2n }, { commit: 6n, prepare: 1n })).toBe(1);
    expect(comparePositions(START, { commit: 0n, prepare: 0n })).toBe(0);
  });

  it('round-trip through text, and refuse what is not a position', () => {
    const p = { commit: 9_007_199_254_740_993n, prepare: 12n };
    expect(parsePosition(formatPosition(p))).toEqual(p);
    expect(() => parsePosition('12')).toThrow(/not a log position.*"<commit>\/<prepare>"/);
    expect(() => parsePosition('-1/2')).toThrow();
  });
});

describe('stream ids', () => {
  it('start with the tenant so a tenant is one prefix', () => {
    expect(streamIdFor('contoso', 'incident', '42')).toBe('t-contoso:incident-42');
    expect(tenantOfStream('t-contoso:incident-42')).toBe('contoso');
    expect(tenantOfStream('platform:settings')).toBeUndefined();
  });

  it('refuse tenant ids that could break out of their prefix', () => {
    for (const bad of ['', 'Contoso', 'a:b', 'a b', '-a', 'a-', 'x'.repeat(64)]) {
      expect(() => tenantStreamPrefix(bad)).toThrow(/not a valid tenant id/);
    }
    expect(() => streamIdFor('contoso', 'Incident', '1')).toThrow(/category/);
    for (const bad of ['', ' ', 'a b', '\u200b', '\ufeffa', 'a\u0000', 'x\ud800', 'y'.repeat(257)]) {
      expect(() => streamIdFor('contoso', 'incident', bad)).toThrow(InvalidIdError);
    }
    expect(streamIdFor('contoso', 'incident', 'inc-1f3a')).toBe('t-contoso:incident-inc-1f3a');
  });

  it('read log positions as 64-bit numbers only', () => {
    expect(parsePosition('12/34')).toEqual({ commit: 12n, prepare: 34n });
    expect(parsePosition('9223372036854775807/0')).toEqual({ commit: 2n ** 63n - 1n, prepare: 0n });
    for (const bad of ['9223372036854775808/0', '1/99999999999999999999', '1', '-1/2', 'x/y']) expect(() => parsePosition(bad)).toThrow(/not a log position/);
  });
});
