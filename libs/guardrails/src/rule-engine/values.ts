// How Azure Policy compares JSON values in conditions: strings ignore case (InvariantCultureIgnoreCase),
// a string and a boolean or number compare by their text (`"true"` equals `true`, `"0"` equals `0`),
// and ordering comparisons accept two numbers, two strings or two date-times, anything else is an error.
import { EvaluationError } from './errors';
import { isObject } from './resource';

export const typeName = (v: unknown): string => {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isObject(v)) return 'object';
  return typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'float') : typeof v;
};

const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** The text of a scalar the way .NET prints it (booleans as True/False). */
export const scalarText = (v: string | number | boolean) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** Condition equality: case-insensitive for text, structural for arrays and objects. */
export const conditionEquals = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'string' && typeof b === 'string') return a.length === b.length && a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b;
  if (isScalar(a) && isScalar(b)) return scalarText(a).toLowerCase() === scalarText(b).toLowerCase();
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => conditionEquals(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    const lowerB = new Map(Object.entries(b).map(([k, v]) => [k.toLowerCase(), v]));
    return keys.every((k) => lowerB.has(k.toLowerCase()) && conditionEquals(a[k], lowerB.get(k.toLowerCase())));
  }
  return false;
};

/**
 * `conditionEquals(actual, expected)` with `expected` fixed, for operands known at compile time:
 * the expected side is lowercased once instead of on every comparison. Same answers as
 * conditionEquals for every `actual` (operators.spec.ts checks them against each other).
 */
export const equalsTo = (expected: unknown): ((actual: unknown) => boolean) => {
  if (typeof expected === 'string') {
    const lower = expected.toLowerCase();
    const length = expected.length;
    return (a) => {
      if (typeof a === 'string') return a === expected || (a.length === length && a.toLowerCase() === lower);
      if (typeof a === 'number' || typeof a === 'boolean') return scalarText(a).toLowerCase() === lower;
      return false;
    };
  }
  if (typeof expected === 'number' || typeof expected === 'boolean') {
    const lower = scalarText(expected).toLowerCase();
    const kind = typeof expected;
    return (a) => (typeof a === kind ? a === expected : isScalar(a) && scalarText(a).toLowerCase() === lower);
  }
  return (a) => conditionEquals(a, expected);
};

// InvariantCultureIgnoreCase ordering; ICU's root collation with accent sensitivity is the closest match.
const collator = new Intl.Collator('und', { sensitivity: 'accent' });

interface DateTime {
  readonly ms: number;
  /** 100-nanosecond ticks below the millisecond (the 4th to 7th fraction digits). */
  readonly sub: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export const parseDateTime = (text: string): DateTime | undefined => {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const fraction = (m[7] ?? '').padEnd(7, '0').slice(0, 7);
  const zone = !m[8] || m[8].toUpperCase() === 'Z' ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8];
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${fraction.slice(0, 3)}${zone}`);
  return Number.isNaN(ms) ? undefined : { ms, sub: Number(fraction.slice(3)) };
};

/** Universal ISO 8601 `yyyy-MM-ddTHH:mm:ss.fffffffZ`, the format of utcNow() and addDays(). */
export const formatDateTime = (d: DateTime) => `${new Date(d.ms).toISOString().slice(0, 23)}${String(d.sub).padStart(4, '0')}Z`;

export const addDays = (d: DateTime, days: number): DateTime => ({ ms: d.ms + days * 86_400_000, sub: d.sub });

/**
 * Ordering for less/lessOrEquals/greater/greaterOrEquals conditions. The docs: "if the property type
 * doesn't match the condition type, an error is thrown".
 */
export const conditionCompare = (a: unknown, b: unknown, operator: string): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') {
    const da = parseDateTime(a);
    const db = da && parseDateTime(b);
    if (da && db) return da.ms - db.ms || da.sub - db.sub;
    return collator.compare(a, b);
  }
  throw new EvaluationError('type-mismatch', `${operator} cannot compare ${typeName(a)} ${preview(a)} with ${typeName(b)} ${preview(b)}`);
};

/**
 * `conditionCompare(actual, expected, operator)` with `expected` fixed: a literal date-time or
 * number is parsed once, and the last text parsed on the left is remembered (an API version or a
 * date read from resources of one type repeats). Same answers and errors as conditionCompare.
 */
export const compareTo = (expected: unknown, operator: string): ((actual: unknown) => number) => {
  if (typeof expected !== 'string') return (a) => conditionCompare(a, expected, operator);
  const db = parseDateTime(expected);
  let lastText: string | undefined;
  let lastDate: DateTime | undefined;
  return (a) => {
    if (typeof a !== 'string') return conditionCompare(a, expected, operator);
    if (a !== lastText) {
      lastDate = parseDateTime(a);
      lastText = a;
    }
    const da = lastDate;
    if (da && db) return da.ms - db.ms || da.sub - db.sub;
    return collator.compare(a, expected);
  };
};

/** A short JSON rendering for messages. */
export const preview = (v: unknown, max = 80): string => {
  if (v === undefined) return '(missing)';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};
