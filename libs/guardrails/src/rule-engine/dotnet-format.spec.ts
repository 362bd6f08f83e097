// format(): .NET composite formatting as ARM documents it (template-functions-string.md#format), with
// the examples of .NET's "Standard numeric format strings" page as test vectors for the numbers.
import { outcome } from '../testing/rules';
import { formatComposite, formatNumber, parseCompositeFormat } from './dotnet-format';

const format = (template: string, ...args: unknown[]) => formatComposite(parseCompositeFormat(template), args);

describe('format()', () => {
  it("given ARM's documented example, when evaluated in a rule, then it is the documented output", () => {
    expect(outcome({ value: "[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]", equals: 'Hello, User. Formatted number: 8,175,133' })).toBe(
      'match',
    );
  });

  it('given the shapes the built-ins use, when evaluated, then the arguments land in place', () => {
    expect(format('{0}/{1}/web', 'sub', 'site')).toBe('sub/site/web');
    expect(format('{0}/{1}/storagecontainer;Storage;{2};{3}', 'v', 'Azure', 'rg', 'sa')).toBe('v/Azure/storagecontainer;Storage;rg;sa');
    expect(format('/subscriptions/{0}/resourceGroups/{1}/providers/Microsoft.Insights/actionGroups/{2}', 's', 'rg', 'ag')).toBe(
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Insights/actionGroups/ag',
    );
  });

  it('given escaped braces, repeated and reordered items and alignments, when formatted, then .NET composite rules apply', () => {
    expect(format('{{{0}}}', 'x')).toBe('{x}');
    expect(format('{1}-{0}-{1}', 'a', 'b')).toBe('b-a-b');
    expect(format('[{0,5}][{0,-5}][{0 , 3}]', 'ab')).toBe('[   ab][ab   ][ ab]');
    expect(format('{0:}', 42)).toBe('42');
  });

  it('given values of each JSON type, when formatted, then they print as Azure prints them', () => {
    expect(format('{0}|{1}|{2}|{3}|{4}', true, false, null, [1, 'x'], { a: 'b' })).toBe("True|False||[1,'x']|{'a':'b'}");
    // A format string does not apply to text.
    expect(format('{0:N2}', 'text')).toBe('text');
  });

  it.each([
    ['{0', /not closed/],
    ['{0}}x', /not closed|must be doubled/],
    ['}', /must be doubled/],
    ['{a}', /argument index/],
    ['{1}', /argument index 1 is not below the number of arguments \(1\)/],
    ['{0,x}', /alignment/],
    ['{0:#,##0.00}', /custom numeric format/],
    ['{0:P}', /culture/],
    ['{0:C2}', /culture/],
  ])('given the invalid or unsupported format %s, when formatted, then it fails with a reason', (template, message) => {
    expect(() => format(template, 1)).toThrow(message);
  });

  it('given a format .NET would reject, when evaluated in a rule, then the verdict is an error, never a value', () => {
    expect(outcome({ value: "[format('{1}', 'a')]", equals: 'a' })).toBe('error: function-failed');
    expect(outcome({ value: "[format('{0:P}', 1)]", equals: '100.00%' })).toBe('error: function-failed');
  });
});

describe('standard numeric format strings (.NET documentation examples)', () => {
  it.each([
    [1234, 'D', '1234'],
    [-1234, 'D6', '-001234'],
    [1052.0329112756, 'E', '1.052033E+003'],
    [1052.0329112756, 'e2', '1.05e+003'],
    [1234.567, 'F', '1234.57'],
    [1234, 'F1', '1234.0'],
    [-1234.56, 'F4', '-1234.5600'],
    [-123.456, 'G', '-123.456'],
    [123.4546, 'G4', '123.5'],
    [-1.23456789e-25, 'G', '-1.23456789E-25'],
    [1234.567, 'N', '1,234.57'],
    [1234, 'N1', '1,234.0'],
    [-1234.56, 'N3', '-1,234.560'],
    [255, 'X', 'FF'],
    [255, 'x4', '00ff'],
    [123456789.12345678, 'R', '123456789.12345678'],
  ])('given %d with %s, when formatted, then it is %s', (value, spec, expected) => {
    expect(formatNumber(value, spec)).toBe(expected);
  });

  it('given the cases where .NET and JavaScript print numbers differently, when formatted, then it is as .NET does', () => {
    // JSON integers are 64-bit longs: a negative one in hexadecimal is two's complement.
    expect(formatNumber(-1, 'x')).toBe('ffffffffffffffff');
    // Doubles switch to E notation below 1E-05 and from 15 digits, with a two-digit exponent.
    expect(formatNumber(0.0001, undefined)).toBe('0.0001');
    expect(formatNumber(0.00001, undefined)).toBe('1E-05');
    expect(formatNumber(12345, 'G3')).toBe('1.23E+04');
    expect(formatNumber(1e21, 'F2')).toBe('1000000000000000000000.00');
    // Midpoints round away from zero.
    expect(formatNumber(2.5, 'F0')).toBe('3');
    expect(formatNumber(-2.5, 'F0')).toBe('-3');
  });

  it('given D or X on a fraction, when formatted, then it fails as .NET does', () => {
    expect(() => formatNumber(1.5, 'D')).toThrow(/integers only/);
    expect(() => formatNumber(1.5, 'X')).toThrow(/integers only/);
    expect(() => formatNumber(1, 'N100')).toThrow(/precision/);
  });
});
