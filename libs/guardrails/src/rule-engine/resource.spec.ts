// getKey compares a missing key's other spellings in place instead of lowercasing them: it must find
// exactly what lowercasing both sides found, whatever the characters.
import { getKey } from './resource';

/** What getKey answered when it lowercased every candidate key of the same length. */
const byLowercasing = (value: Record<string, unknown>, key: string): unknown => {
  if (Object.hasOwn(value, key)) return value[key];
  for (const k in value) if (k.length === key.length && Object.hasOwn(value, k) && k.toLowerCase() === key.toLowerCase()) return value[k];
  return undefined;
};

describe('getKey', () => {
  const keys = ['createMode', 'CREATEMODE', 'createmodf', 'create@ode', 'create`ode', 'create[ode', 'create{ode', 'Kind', '\u212Aind', 'kınd', 'kİnd', 'straße', 'STRASSE', 'Σς', 'σσ', 'ǅ', 'ǆ', 'é', 'É', '', 'a\u0130'];
  const objects = keys.map((k, i) => ({ [k]: i, other: 'x' }));

  it('given keys that differ in case, in letters and in characters around the letters, then every lookup finds what lowercasing both sides finds', () => {
    for (const object of objects)
      for (const key of keys) expect({ object, key, found: getKey(object, key) }).toEqual({ object, key, found: byLowercasing(object, key) });
  });

  it('given the exact spelling, then it wins over another spelling', () => {
    expect(getKey({ CreateMode: 1, createMode: 2 }, 'createMode')).toBe(2);
  });

  it('given inherited names and non-objects, then nothing is found', () => {
    expect(getKey({}, 'toString')).toBeUndefined();
    expect(getKey({}, 'TOSTRING')).toBeUndefined();
    expect(getKey(['a'], '0')).toBeUndefined();
    expect(getKey('text', 'length')).toBeUndefined();
  });
});
