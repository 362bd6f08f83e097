// ARM's format(): .NET composite formatting (String.Format, template-functions-string.md#format) of
// JSON values as Azure's engine hands them to it: text as is, booleans as True/False, null as
// nothing, arrays and objects as compact JSON with ' for ", numbers with .NET's standard numeric
// format strings (D, E, F, G, N, R, X, with a precision). Format strings whose result depends on the
// server's culture (C, P) or that are custom patterns (#,##0.00) are refused by name: Azure does not
// document the culture, and a guess would be evaluated as something else.

/** .NET's limits on an index and a width in a format item (String.Format throws beyond them). */
const INDEX_LIMIT = 1_000_000;
const WIDTH_LIMIT = 1_000_000;
/** .NET allows more; no policy needs it, and each digit is text the evaluation builds. */
const MAX_PRECISION = 99;

export class FormatError extends Error {}

const bad = (message: string): never => {
  throw new FormatError(message);
};

export interface CompositeFormat {
  /** Literal text and format items, in order. */
  readonly parts: readonly (string | { readonly index: number; readonly width: number; readonly spec: string | undefined })[];
  /** The widths of all format items together: what padding may add, charged before the text is built. */
  readonly padding: number;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses `{index[,width][:spec]}` items and `{{`/`}}` escapes as .NET (Core) does. */
export const parseCompositeFormat = (format: string): CompositeFormat => {
  const parts: CompositeFormat['parts'][number][] = [];
  let text = '';
  let padding = 0;
  let at = 0;
  while (at < format.length) {
    const c = format[at];
    if (c === '}') {
      if (format[at + 1] !== '}') bad(`"}" at ${at} must be doubled ("}}") or close a format item`);
      text += '}';
      at += 2;
      continue;
    }
    if (c !== '{') {
      text += c;
      at++;
      continue;
    }
    if (format[at + 1] === '{') {
      text += '{';
      at += 2;
      continue;
    }
    at++;
    if (!isDigit(format[at])) bad(`the format item at ${at - 1} must start with an argument index`);
    let index = 0;
    while (isDigit(format[at])) {
      index = index * 10 + Number(format[at++]);
      if (index >= INDEX_LIMIT) bad(`argument index ${index}… is too large`);
    }
    while (format[at] === ' ') at++;
    let width = 0;
    if (format[at] === ',') {
      at++;
      while (format[at] === ' ') at++;
      const negative = format[at] === '-';
      if (negative) at++;
      if (!isDigit(format[at])) bad(`the alignment of the format item for argument ${index} must be a number`);
      while (isDigit(format[at])) {
        width = width * 10 + Number(format[at++]);
        if (width >= WIDTH_LIMIT) bad(`the alignment of the format item for argument ${index} is too large`);
      }
      if (negative) width = -width;
      while (format[at] === ' ') at++;
    }
    let spec: string | undefined;
    if (format[at] === ':') {
      const end = format.indexOf('}', at + 1);
      if (end < 0) bad(`the format item for argument ${index} is not closed with "}"`);
      spec = format.slice(at + 1, end);
      if (spec.includes('{')) bad(`the format string of argument ${index} contains "{"`);
      at = end;
    }
    if (format[at] !== '}') bad(`the format item for argument ${index} is not closed with "}"`);
    at++;
    if (text) parts.push(text);
    text = '';
    parts.push({ index, width, spec });
    padding += Math.abs(width);
  }
  if (text) parts.push(text);
  return { parts, padding };
};

// ---------------------------------------------------------------------------------------------
// Numbers as .NET prints them (invariant and en-US agree on everything below): "." for decimals,
// "," between thousands, "-" before negatives, exponents as E+XX (G) or E+XXX (E).

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** x ≥ 0 with `decimals` digits after the point; exact, like .NET Core's F (toFixed switches to exponents from 1e21). */
const fixed = (x: number, decimals: number): string => {
  if (x < 1e21) return x.toFixed(decimals);
  const whole = BigInt(x).toString();
  return decimals ? `${whole}.${'0'.repeat(decimals)}` : whole;
};

/** Digits and decimal exponent of x ≥ 0 rounded to `significant` digits (all that round-trip when undefined). */
const scientific = (x: number, significant: number | undefined): { digits: string; exponent: number } => {
  const [mantissa, exponent] = (significant === undefined ? x.toExponential() : x.toExponential(significant - 1)).split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exponent) };
};

const exponentText = (exponent: number, minDigits: number) => `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(minDigits, '0')}`;

/** .NET's G: fixed-point when the exponent is above -5 and below the precision, else E; trailing zeros dropped. */
const general = (x: number, precision: number | undefined, threshold: number, e: 'E' | 'e'): string => {
  const { digits, exponent } = scientific(x, precision);
  const significant = digits.replace(/0+$/, '') || '0';
  if (x === 0) return '0';
  if (exponent >= threshold || exponent <= -5) {
    const mantissa = significant.length > 1 ? `${significant[0]}.${significant.slice(1)}` : significant;
    return `${mantissa}${e}${exponentText(exponent, 2)}`;
  }
  if (exponent < 0) return `0.${'0'.repeat(-exponent - 1)}${significant}`;
  const whole = significant.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = significant.slice(exponent + 1);
  return fraction ? `${whole}.${fraction}` : whole;
};

/** In .NET's long range, an integral JSON number is a long; beyond it (and with a fraction) a double. */
const isLong = (x: number) => Number.isInteger(x) && Math.abs(x) < 2 ** 63;

const integerText = (x: number) => (Number.isSafeInteger(x) ? String(Math.abs(x)) : BigInt(Math.abs(x)).toString());

/** `x` with the standard numeric format `spec`, as long.ToString(spec) or double.ToString(spec) print it. */
export const formatNumber = (x: number, spec: string | undefined): string => {
  // "{0:}" is the default format, as "{0}".
  const standard = /^([A-Za-z])(\d*)$/.exec(spec || 'G');
  if (!standard) return bad(`the custom numeric format "${spec}" is not supported (standard formats D, E, F, G, N, R and X are)`);
  const [, letter, digits] = standard;
  if (digits.length > 2) return bad(`the precision of "${spec}" is above ${MAX_PRECISION}`);
  const precision = digits === '' ? undefined : Number(digits);
  const long = isLong(x);
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  switch (letter) {
    case 'D':
    case 'd':
      if (!long) return bad(`"${spec}" formats integers only, got ${x}`);
      return `${x < 0 ? '-' : ''}${integerText(x).padStart(precision ?? 0, '0')}`;
    case 'X':
    case 'x': {
      if (!long) return bad(`"${spec}" formats integers only, got ${x}`);
      // A negative long in two's complement, as .NET prints it.
      const hex = BigInt.asUintN(64, BigInt(x)).toString(16);
      return (letter === 'X' ? hex.toUpperCase() : hex).padStart(precision ?? 0, '0');
    }
    case 'F':
    case 'f':
      return `${sign}${fixed(abs, precision ?? 2)}`;
    case 'N':
    case 'n': {
      const [whole, fraction] = fixed(abs, precision ?? 2).split('.');
      return `${sign}${groupThousands(whole)}${fraction ? `.${fraction}` : ''}`;
    }
    case 'E':
    case 'e': {
      const { digits: d, exponent } = scientific(abs, (precision ?? 6) + 1);
      const mantissa = d.length > 1 ? `${d[0]}.${d.slice(1)}` : d;
      return `${sign}${mantissa}${letter}${exponentText(exponent, 3)}`;
    }
    case 'G':
    case 'g':
    case 'R':
    case 'r': {
      const e = letter === 'g' || letter === 'r' ? 'e' : 'E';
      const significant = letter === 'R' || letter === 'r' ? undefined : precision || undefined;
      if (long && significant === undefined) return `${x < 0 ? '-' : ''}${integerText(x)}`;
      // A long has as many significant digits as it needs; a double prints up to 15 before switching to E.
      const threshold = significant ?? (long ? Number.POSITIVE_INFINITY : 15);
      return `${x < 0 ? '-' : ''}${general(abs, significant, threshold, e)}`;
    }
    case 'C':
    case 'c':
    case 'P':
    case 'p':
      return bad(`the format "${spec}" depends on the culture of Azure's servers, which Azure does not document`);
    default:
      return bad(`the format "${spec}" is not a .NET standard numeric format`);
  }
};

/** A JSON value in a format item, as .NET's JValue prints itself (IFormattable for numbers only). */
export const formatValue = (value: unknown, spec: string | undefined): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return formatNumber(value, spec);
  // Azure writes arrays and objects as compact JSON with ' for " (the policy engine's format()).
  return JSON.stringify(value).replace(/"/g, "'");
};

export const formatComposite = (format: CompositeFormat, args: readonly unknown[]): string => {
  let result = '';
  for (const part of format.parts) {
    if (typeof part === 'string') {
      result += part;
      continue;
    }
    if (part.index >= args.length) bad(`argument index ${part.index} is not below the number of arguments (${args.length})`);
    const text = formatValue(args[part.index], part.spec);
    result += part.width >= 0 ? text.padStart(part.width) : text.padEnd(-part.width);
  }
  return result;
};
