// The ARM template functions a policy rule may call that work on values alone (string, array, object,
// comparison, logical, numeric, date, ipRangeContains). Semantics follow the Resource Manager template
// function reference: `contains`, `replace` and the `equals`/`less` functions are case-sensitive, `indexOf`,
// `startsWith` and `endsWith` are not; object keys are case-insensitive. Functions that need the
// evaluation (parameters, field, current, requestContext, resourceGroup, subscription, if/and/or/coalesce)
// live in expressions.ts. A failing function is an evaluation error, never a silent value.
import { EvaluationError } from './errors';
import { getKey, isObject } from './resource';
import { addDays, formatDateTime, parseDateTime, preview, scalarText, typeName } from './values';

type Fn = (args: unknown[]) => unknown;

export interface TemplateFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly call: Fn;
}

const fail = (name: string, message: string): never => {
  throw new EvaluationError('function-failed', `${name}(): ${message}`);
};

const str = (name: string, v: unknown, what = 'argument'): string =>
  typeof v === 'string' ? v : fail(name, `${what} must be a string, got ${typeName(v)} ${preview(v)}`);
const int = (name: string, v: unknown, what = 'argument'): number =>
  typeof v === 'number' && Number.isInteger(v) ? v : fail(name, `${what} must be an integer, got ${typeName(v)} ${preview(v)}`);
const num = (name: string, v: unknown): number => (typeof v === 'number' ? v : fail(name, `expected a number, got ${typeName(v)} ${preview(v)}`));
const arr = (name: string, v: unknown): unknown[] => (Array.isArray(v) ? v : fail(name, `expected an array, got ${typeName(v)} ${preview(v)}`));

/** ARM `equals()`: structural and case-sensitive. */
export const strictEquals = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => strictEquals(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => strictEquals(a[k], getKey(b, k)));
  }
  return a === b;
};

/** ARM `less`/`greater` functions: two integers or two strings (ordinal). */
const order = (name: string, a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return fail(name, `cannot compare ${typeName(a)} ${preview(a)} with ${typeName(b)} ${preview(b)}`);
};

/** `string()`: scalars as text, arrays and objects as compact JSON. */
export const toText = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return scalarText(v);
  if (v === null || v === undefined) return '';
  return JSON.stringify(v);
};

const toBool = (v: unknown): boolean => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return fail('bool', `cannot convert ${typeName(v)} ${preview(v)} to a boolean`);
};

const toInt = (v: unknown): number => {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  return fail('int', `cannot convert ${typeName(v)} ${preview(v)} to an integer`);
};

const isEmpty = (v: unknown) =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);

const length = (v: unknown) => {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isObject(v)) return Object.keys(v).length;
  return fail('length', `expected a string, array or object, got ${typeName(v)} ${preview(v)}`);
};

const concat = (args: unknown[]) => {
  if (args.length && args.every(Array.isArray)) return (args as unknown[][]).flat();
  if (args.some(Array.isArray)) return fail('concat', 'cannot mix arrays and strings');
  return args.map((a) => (isObject(a) ? fail('concat', 'cannot concatenate objects') : toText(a))).join('');
};

const contains = ([container, item]: unknown[]) => {
  if (typeof container === 'string') return container.includes(toText(item));
  if (Array.isArray(container)) return container.some((x) => strictEquals(x, item));
  if (isObject(container)) return getKey(container, str('contains', item, 'key')) !== undefined;
  return fail('contains', `expected a string, array or object, got ${typeName(container)} ${preview(container)}`);
};

const firstOrLast = (name: string, pick: 'first' | 'last') => (args: unknown[]) => {
  const [v] = args;
  if (typeof v === 'string' || Array.isArray(v)) {
    if (v.length === 0) return typeof v === 'string' ? '' : null;
    return pick === 'first' ? v[0] : v[v.length - 1];
  }
  return fail(name, `expected a string or an array, got ${typeName(v)} ${preview(v)}`);
};

const substring = ([s, start, len]: unknown[]) => {
  const text = str('substring', s);
  const from = int('substring', start, 'startIndex');
  const count = len === undefined ? text.length - from : int('substring', len, 'length');
  if (from < 0 || count < 0 || from + count > text.length)
    fail('substring', `startIndex ${from} and length ${count} are outside "${text}" (length ${text.length})`);
  return text.slice(from, from + count);
};

const takeOrSkip = (name: string, take: boolean) => (args: unknown[]) => {
  const [v, n] = args;
  const count = Math.max(0, int(name, n, 'count'));
  if (typeof v === 'string' || Array.isArray(v)) return take ? v.slice(0, count) : v.slice(count);
  return fail(name, `expected a string or an array, got ${typeName(v)}`);
};

const padLeft = ([value, total, padding]: unknown[]) => {
  const text = typeof value === 'number' ? String(value) : str('padLeft', value, 'valueToPad');
  const pad = padding === undefined ? ' ' : str('padLeft', padding, 'paddingCharacter');
  if (pad.length !== 1) fail('padLeft', 'paddingCharacter must be one character');
  return text.padStart(int('padLeft', total, 'totalLength'), pad);
};

const split = ([s, delimiter]: unknown[]) => {
  const text = str('split', s);
  const delimiters = Array.isArray(delimiter) ? delimiter.map((d) => str('split', d, 'delimiter')) : [str('split', delimiter, 'delimiter')];
  let parts = [text];
  for (const d of delimiters) parts = parts.flatMap((p) => p.split(d));
  return parts;
};

const setOp = (name: string, union: boolean) => (args: unknown[]) => {
  if (args.every(Array.isArray)) {
    const arrays = args as unknown[][];
    if (union) return arrays.flat().filter((x, i, all) => all.findIndex((y) => strictEquals(x, y)) === i);
    return arrays[0].filter((x, i, all) => all.findIndex((y) => strictEquals(x, y)) === i && arrays.every((a) => a.some((y) => strictEquals(x, y))));
  }
  if (args.every(isObject)) {
    const objects = args as Record<string, unknown>[];
    if (union) return Object.assign({}, ...objects);
    return Object.fromEntries(Object.entries(objects[0]).filter(([k, v]) => objects.every((o) => strictEquals(getKey(o, k), v))));
  }
  return fail(name, 'expects arrays or objects of one kind');
};

const parseJson = ([s]: unknown[]) => {
  try {
    return JSON.parse(str('json', s));
  } catch {
    return fail('json', `not valid JSON: ${preview(s)}`);
  }
};

const addDaysTo = ([dateTime, days]: unknown[]) => {
  const parsed = parseDateTime(str('addDays', dateTime, 'dateTime'));
  if (!parsed) return fail('addDays', `"${String(dateTime)}" is not an ISO 8601 date-time`);
  return formatDateTime(addDays(parsed, toInt(days)));
};

// ---------------------------------------------------------------------------------------------
// ipRangeContains(range, targetRange): single addresses, CIDR ranges and start-end ranges of one family.

type IpRange = { readonly v6: boolean; readonly from: bigint; readonly to: bigint };

const parseIp = (text: string): { v6: boolean; value: bigint } | undefined => {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v6: false, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return undefined;
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return { v6: true, value: all.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n) };
};

const parseRange = (text: string): IpRange => {
  const trimmed = text.trim();
  const bad = (): never => fail('ipRangeContains', `"${text}" is not an IP address, CIDR range or start-end range`);
  if (trimmed.includes('/')) {
    const [address, bits] = trimmed.split('/');
    const ip = parseIp(address) ?? bad();
    const width = ip.v6 ? 128 : 32;
    const prefix = /^\d+$/.test(bits) ? Number(bits) : bad();
    if (prefix > width) bad();
    const hostBits = BigInt(width - prefix);
    const from = (ip.value >> hostBits) << hostBits;
    return { v6: ip.v6, from, to: from + (1n << hostBits) - 1n };
  }
  if (trimmed.includes('-')) {
    const [a, b] = trimmed.split('-');
    const start = parseIp(a.trim()) ?? bad();
    const end = parseIp(b.trim()) ?? bad();
    if (start.v6 !== end.v6 || start.value > end.value) bad();
    return { v6: start.v6, from: start.value, to: end.value };
  }
  const ip = parseIp(trimmed) ?? bad();
  return { v6: ip.v6, from: ip.value, to: ip.value };
};

const ipRangeContains = ([range, target]: unknown[]) => {
  const outer = parseRange(str('ipRangeContains', range, 'range'));
  const inner = parseRange(str('ipRangeContains', target, 'targetRange'));
  if (outer.v6 !== inner.v6) fail('ipRangeContains', `cannot mix IPv4 and IPv6 (${String(range)}, ${String(target)})`);
  return inner.from >= outer.from && inner.to <= outer.to;
};

// ---------------------------------------------------------------------------------------------

const fn = (minArgs: number, maxArgs: number, call: Fn): TemplateFunction => ({ minArgs, maxArgs, call });
const MANY = Number.POSITIVE_INFINITY;

/** Functions by lowercase name. */
export const TEMPLATE_FUNCTIONS: ReadonlyMap<string, TemplateFunction> = new Map([
  // string and array
  ['concat', fn(1, MANY, concat)],
  ['contains', fn(2, 2, contains)],
  ['empty', fn(1, 1, ([v]) => isEmpty(v))],
  ['first', fn(1, 1, firstOrLast('first', 'first'))],
  ['last', fn(1, 1, firstOrLast('last', 'last'))],
  ['length', fn(1, 1, ([v]) => length(v))],
  ['skip', fn(2, 2, takeOrSkip('skip', false))],
  ['take', fn(2, 2, takeOrSkip('take', true))],
  ['tolower', fn(1, 1, ([s]) => str('toLower', s).toLowerCase())],
  ['toupper', fn(1, 1, ([s]) => str('toUpper', s).toUpperCase())],
  ['trim', fn(1, 1, ([s]) => str('trim', s).trim())],
  ['replace', fn(3, 3, ([s, a, b]) => str('replace', s).split(str('replace', a, 'oldString')).join(str('replace', b, 'newString')))],
  ['substring', fn(2, 3, substring)],
  ['split', fn(2, 2, split)],
  ['indexof', fn(2, 2, ([s, f]) => str('indexOf', s).toLowerCase().indexOf(str('indexOf', f).toLowerCase()))],
  ['lastindexof', fn(2, 2, ([s, f]) => str('lastIndexOf', s).toLowerCase().lastIndexOf(str('lastIndexOf', f).toLowerCase()))],
  ['startswith', fn(2, 2, ([s, f]) => str('startsWith', s).toLowerCase().startsWith(str('startsWith', f).toLowerCase()))],
  ['endswith', fn(2, 2, ([s, f]) => str('endsWith', s).toLowerCase().endsWith(str('endsWith', f).toLowerCase()))],
  ['padleft', fn(2, 3, padLeft)],
  ['string', fn(1, 1, ([v]) => toText(v))],
  ['join', fn(2, 2, ([a, d]) => arr('join', a).map(toText).join(str('join', d, 'delimiter')))],
  ['array', fn(1, 1, ([v]) => (Array.isArray(v) ? v : [v]))],
  ['createarray', fn(0, MANY, (args) => args)],
  ['union', fn(1, MANY, setOp('union', true))],
  ['intersection', fn(1, MANY, setOp('intersection', false))],
  ['range', fn(2, 2, ([s, c]) => Array.from({ length: Math.max(0, int('range', c)) }, (_, i) => int('range', s) + i))],
  // objects
  ['json', fn(1, 1, parseJson)],
  ['createobject', fn(0, MANY, (args) => Object.fromEntries(Array.from({ length: args.length / 2 }, (_, i) => [str('createObject', args[2 * i]), args[2 * i + 1]])))],
  ['null', fn(0, 0, () => null)],
  ['tryget', fn(2, 2, ([o, k]) => (isObject(o) ? (getKey(o, str('tryGet', k)) ?? null) : null))],
  // comparison and logic
  ['equals', fn(2, 2, ([a, b]) => strictEquals(a, b))],
  ['less', fn(2, 2, ([a, b]) => order('less', a, b) < 0)],
  ['lessorequals', fn(2, 2, ([a, b]) => order('lessOrEquals', a, b) <= 0)],
  ['greater', fn(2, 2, ([a, b]) => order('greater', a, b) > 0)],
  ['greaterorequals', fn(2, 2, ([a, b]) => order('greaterOrEquals', a, b) >= 0)],
  ['not', fn(1, 1, ([v]) => !toBool(v))],
  ['bool', fn(1, 1, ([v]) => toBool(v))],
  ['true', fn(0, 0, () => true)],
  ['false', fn(0, 0, () => false)],
  // numbers
  ['int', fn(1, 1, ([v]) => toInt(v))],
  ['add', fn(2, 2, ([a, b]) => num('add', a) + num('add', b))],
  ['sub', fn(2, 2, ([a, b]) => num('sub', a) - num('sub', b))],
  ['mul', fn(2, 2, ([a, b]) => num('mul', a) * num('mul', b))],
  ['div', fn(2, 2, ([a, b]) => (num('div', b) === 0 ? fail('div', 'division by zero') : Math.trunc(num('div', a) / num('div', b))))],
  ['mod', fn(2, 2, ([a, b]) => (num('mod', b) === 0 ? fail('mod', 'division by zero') : num('mod', a) % num('mod', b)))],
  ['min', fn(1, MANY, (args) => Math.min(...(args.length === 1 ? arr('min', args[0]) : args).map((v) => num('min', v))))],
  ['max', fn(1, MANY, (args) => Math.max(...(args.length === 1 ? arr('max', args[0]) : args).map((v) => num('max', v))))],
  // policy-only
  ['adddays', fn(2, 2, addDaysTo)],
  ['iprangecontains', fn(2, 2, ipRangeContains)],
]);
