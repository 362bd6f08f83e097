// uniqueString() against outputs Azure produced. Microsoft documents the shape (13 characters) but
// not the values; these were published from real deployments and Bicep: the first four by an ARM
// template linter's authors (KingslandConsulting/Kingsland.ArmLinter, ArmFunctions_UniqueString.cs),
// the rest as the verified vectors of a bash port of the function (uniquestring.sh).
import { outcome } from '../testing/rules';
import { uniqueString } from './unique-string';

describe('uniqueString', () => {
  it.each([
    [['aaa'], 'zavj67f3en4hc'],
    [['bbb'], 'w5eragfxe33cy'],
    [['zzz'], 'cryksdzzzawae'],
    [['xxx', 'yyy', 'zzz'], 'lghi7k5js7itq'],
    [['test'], 'rbgf3xv4ufgzg'],
    [['hello', 'world'], 'a7wkljktk6wne'],
    [['abc'], 'cgtzqvhu4i23s'],
    [['foo', 'bar', 'baz'], 'xzi4ioaxtmth4'],
    // 71 bytes: eight full blocks and a tail of seven, which feeds both hash lanes.
    [['/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg'], 'bmg7c6xu4tw46'],
  ])('given %j, when hashed, then it is %s as Azure computes it', (values, expected) => {
    expect(uniqueString(values)).toBe(expected);
  });

  it('given several values, when hashed, then they are joined with "-" first (so the split does not matter)', () => {
    expect(uniqueString(['a-b', 'c'])).toBe(uniqueString(['a', 'b-c']));
    expect(uniqueString(['ABC'])).not.toBe(uniqueString(['abc']));
  });

  it('given any text, when hashed, then the result is 13 characters of the lowercase base32 alphabet', () => {
    for (const text of ['', 'é', '日本語', 'x'.repeat(1000)]) expect(uniqueString([text])).toMatch(/^[a-z2-7]{13}$/);
  });

  it('given uniqueString() in a rule, when evaluated, then it is the hash, and a non-string argument is an error', () => {
    expect(outcome({ value: "[uniqueString('xxx', 'yyy', 'zzz')]", equals: 'lghi7k5js7itq' })).toBe('match');
    expect(outcome({ value: "[concat('storage', uniqueString(field('name')))]", equals: `storage${uniqueString(['sa1'])}` })).toBe('match');
    expect(outcome({ value: "[uniqueString('a', 1)]", equals: 'x' })).toBe('error: function-failed');
  });
});
