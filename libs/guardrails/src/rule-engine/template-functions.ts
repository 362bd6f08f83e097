// The ARM template functions a policy rule may call that work on values alone (string, array, object,
// comparison, logical, numeric, date, encoding, ipRangeContains). Semantics follow the Resource Manager
// template function reference: `contains`, `replace` and `equals` are case-sensitive, `less`/`greater`
// order text as .NET's invariant culture does (case-sensitive, lowercase first), `indexOf`, `startsWith`
// and `endsWith` ignore case; object keys are case-insensitive. Functions that need the
// evaluation (parameters, field, current, requestContext, resourceGroup, subscription, if/and/or/coalesce)
// live in expressions.ts. A failing function is an evaluation error, never a silent value.
// Each call is charged to the evaluation's step budget (limits.ts) by its arguments' size; functions
// whose work or result can be much larger than that (range, padLeft, replace, split, join, string,
// equals, union, ...) charge it before doing it, so no expression can build a huge value or spin.
import { FormatError, formatComposite, parseCompositeFormat } from './dotnet-format';
import { EvaluationError } from './errors';
import { deepWeightOf, jsonExcess, LIMITS, spend, type StepMeter, stepsLeft, textWeight, weightOf } from './limits';
import { getKey, isObject } from './resource';
import { uniqueString } from './unique-string';
import { addDays, formatDateTime, parseDateTime, preview, scalarText, typeName } from './values';

/** The arguments, and the evaluation's meter for work beyond their size. */
type Fn = (args: unknown[], meter: StepMeter) => unknown;

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

/**
 * getKey(object, key) for many keys of one object: the same member (the key as spelled, else the
 * first key of the same length equal ignoring case), found through a map built on the first miss
 * instead of comparing every key on every miss.
 */
const keyLookup = (object: Record<string, unknown>) => {
  let folded: Map<string, unknown> | undefined;
  return (key: string): unknown => {
    if (Object.hasOwn(object, key)) return object[key];
    if (!folded) {
      folded = new Map();
      for (const k in object) {
        const at = `${k.length}:${k.toLowerCase()}`;
        if (Object.hasOwn(object, k) && !folded.has(at)) folded.set(at, object[k]);
      }
    }
    return folded.get(`${key.length}:${key.toLowerCase()}`);
  };
};

/** ARM `equals()`: structural and case-sensitive. */
export const strictEquals = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => strictEquals(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    const inB = keyLookup(b);
    return keys.every((k) => strictEquals(a[k], inB(k)));
  }
  return a === b;
};

/** Work that walks values all the way down (deep equality, JSON), charged before it is done. */
const chargeDeep = (meter: StepMeter, ...values: unknown[]) => {
  for (const v of values) if (typeof v === 'object' && v !== null) spend(meter, deepWeightOf(v, stepsLeft(meter)));
};

/**
 * Text as the `less`/`greater` functions order it: String.Compare(a, b, StringComparison.InvariantCulture)
 * in Azure's engine, culture-aware and case-sensitive with lowercase before uppercase. The documented
 * examples: greater('A', 'a') and greaterOrEquals('A', 'a') are true, less('A', 'a') false
 * (template-functions-comparison.md), 'demo' < 'Demo' and 'bend' > 'band' (Bicep's operators-comparison.md).
 * ICU's root collation, which .NET's invariant culture is built on, orders them so; code units would not.
 * (The less/greater conditions ignore case instead: values.ts.)
 */
const invariantCulture = new Intl.Collator('und', { sensitivity: 'variant' });

/** ARM `less`/`greater` functions: two numbers or two strings. */
const order = (name: string, a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return invariantCulture.compare(a, b);
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

const contains = ([container, item]: unknown[], meter: StepMeter) => {
  if (typeof container === 'string') return container.includes(toText(item));
  if (Array.isArray(container)) {
    chargeDeep(meter, container);
    return container.some((x) => strictEquals(x, item));
  }
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

/** Characters of a result to be built, charged before building it. */
const chargeText = (meter: StepMeter, characters: number) => spend(meter, textWeight(characters));

const padLeft = ([value, total, padding]: unknown[], meter: StepMeter) => {
  const text = typeof value === 'number' ? String(value) : str('padLeft', value, 'valueToPad');
  const pad = padding === undefined ? ' ' : str('padLeft', padding, 'paddingCharacter');
  if (pad.length !== 1) fail('padLeft', 'paddingCharacter must be one character');
  const length = int('padLeft', total, 'totalLength');
  chargeText(meter, length);
  return text.padStart(length, pad);
};

/** ARM's replace: every occurrence. The result's length is known from the pieces before it is built. */
const replace = ([s, a, b]: unknown[], meter: StepMeter) => {
  const pieces = str('replace', s).split(str('replace', a, 'oldString'));
  const by = str('replace', b, 'newString');
  spend(meter, pieces.length);
  chargeText(meter, (pieces.length - 1) * by.length);
  return pieces.join(by);
};

const split = ([s, delimiter]: unknown[], meter: StepMeter) => {
  const text = str('split', s);
  const delimiters = Array.isArray(delimiter) ? delimiter.map((d) => str('split', d, 'delimiter')) : [str('split', delimiter, 'delimiter')];
  let parts = [text];
  for (const d of delimiters) {
    // Each delimiter goes over every part so far: charged per pass.
    spend(meter, parts.length + textWeight(text.length));
    parts = parts.flatMap((p) => p.split(d));
  }
  return parts;
};

const join = ([a, d]: unknown[], meter: StepMeter) => {
  const items = arr('join', a);
  const delimiter = str('join', d, 'delimiter');
  chargeDeep(meter, items);
  chargeText(meter, Math.max(0, items.length - 1) * delimiter.length);
  return items.map(toText).join(delimiter);
};

const range = ([s, c]: unknown[], meter: StepMeter) => {
  const count = Math.max(0, int('range', c));
  spend(meter, count);
  // As before: startIndex is checked only when there is a number to make.
  const start = count > 0 ? int('range', s) : 0;
  const numbers = new Array<number>(count);
  for (let i = 0; i < count; i++) numbers[i] = start + i;
  return numbers;
};

const stringOf = ([v]: unknown[], meter: StepMeter) => {
  chargeDeep(meter, v);
  return toText(v);
};

const equals = ([a, b]: unknown[], meter: StepMeter) => {
  chargeDeep(meter, a, b);
  return strictEquals(a, b);
};

/** min/max of numbers: a loop, since spreading a long array into Math.min throws a RangeError. */
const extreme = (name: 'min' | 'max') => (args: unknown[]) => {
  const numbers = args.length === 1 ? arr(name, args[0]) : args;
  let result = name === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  for (const v of numbers) result = name === 'min' ? Math.min(result, num(name, v)) : Math.max(result, num(name, v));
  return result;
};

const setOp = (name: string, union: boolean) => (args: unknown[], meter: StepMeter) => {
  // Every element (member) is compared with the others: quadratic, charged before.
  let count = 0;
  for (const a of args) count += weightOf(a);
  spend(meter, Math.ceil((count * count) / 8));
  chargeDeep(meter, args);
  if (args.every(Array.isArray)) {
    const arrays = args as unknown[][];
    if (union) return arrays.flat().filter((x, i, all) => all.findIndex((y) => strictEquals(x, y)) === i);
    return arrays[0].filter((x, i, all) => all.findIndex((y) => strictEquals(x, y)) === i && arrays.every((a) => a.some((y) => strictEquals(x, y))));
  }
  if (args.every(isObject)) {
    const objects = args as Record<string, unknown>[];
    if (union) return Object.assign({}, ...objects);
    const lookups = objects.map(keyLookup);
    return Object.fromEntries(Object.entries(objects[0]).filter(([k, v]) => lookups.every((inO) => strictEquals(inO(k), v))));
  }
  return fail(name, 'expects arrays or objects of one kind');
};

const parseJson = ([s]: unknown[], meter: StepMeter) => {
  const text = str('json', s);
  // Parsing builds a value per few characters: a step per character, not per 16.
  spend(meter, text.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail('json', `not valid JSON: ${preview(s)}`);
  }
  // A short text can nest deeper than what walks values recursively (equals, string) can follow.
  if (jsonExcess(parsed, Number.POSITIVE_INFINITY, LIMITS.jsonDepth) === 'depth') fail('json', `the value nests objects and arrays more than ${LIMITS.jsonDepth} deep`);
  return parsed;
};

const addDaysTo = ([dateTime, days]: unknown[]) => {
  const parsed = parseDateTime(str('addDays', dateTime, 'dateTime'));
  if (!parsed) return fail('addDays', `"${String(dateTime)}" is not an ISO 8601 date-time`);
  return formatDateTime(addDays(parsed, toInt(days)));
};

// ---------------------------------------------------------------------------------------------
// base64, base64ToString, uniqueString, format

/** base64(): the UTF-8 bytes of the text (null as empty text, as Azure's engine reads it). */
const base64 = ([v]: unknown[], meter: StepMeter) => {
  const encoded = Buffer.from(v === null ? '' : str('base64', v, 'inputString'), 'utf8').toString('base64');
  // At most four characters per one of the argument's: charged as built.
  chargeText(meter, encoded.length);
  return encoded;
};

/** Convert.FromBase64String: whitespace is skipped, anything else not base64 is an error (Node would skip it silently). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** base64ToString(): the bytes decoded as UTF-8 (invalid sequences become U+FFFD, as .NET's decoder does). */
const base64ToString = ([v]: unknown[]) => {
  const encoded = str('base64ToString', v, 'base64Value').replace(/[ \t\r\n]/g, '');
  if (!BASE64.test(encoded)) return fail('base64ToString', `${preview(v)} is not a base64 representation`);
  return Buffer.from(encoded, 'base64').toString('utf8');
};

const uniqueStringOf = (args: unknown[]) => uniqueString(args.map((a, i) => str('uniqueString', a, `argument ${i + 1}`)));

/** format(): String.Format of the values (dotnet-format.ts); a format .NET would reject is an error. */
const format = ([template, ...args]: unknown[], meter: StepMeter) => {
  const text = str('format', template, 'formatString');
  try {
    const parsed = parseCompositeFormat(text);
    // The padding is known before the text is built; the rest is charged with the result.
    chargeText(meter, parsed.padding);
    const result = formatComposite(parsed, args);
    chargeText(meter, result.length);
    return result;
  } catch (error) {
    if (error instanceof FormatError) return fail('format', error.message);
    throw error;
  }
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
  ['replace', fn(3, 3, replace)],
  ['substring', fn(2, 3, substring)],
  ['split', fn(2, 2, split)],
  ['indexof', fn(2, 2, ([s, f]) => str('indexOf', s).toLowerCase().indexOf(str('indexOf', f).toLowerCase()))],
  ['lastindexof', fn(2, 2, ([s, f]) => str('lastIndexOf', s).toLowerCase().lastIndexOf(str('lastIndexOf', f).toLowerCase()))],
  ['startswith', fn(2, 2, ([s, f]) => str('startsWith', s).toLowerCase().startsWith(str('startsWith', f).toLowerCase()))],
  ['endswith', fn(2, 2, ([s, f]) => str('endsWith', s).toLowerCase().endsWith(str('endsWith', f).toLowerCase()))],
  ['padleft', fn(2, 3, padLeft)],
  ['format', fn(1, MANY, format)],
  ['uniquestring', fn(1, MANY, uniqueStringOf)],
  ['base64', fn(1, 1, base64)],
  ['base64tostring', fn(1, 1, base64ToString)],
  ['string', fn(1, 1, stringOf)],
  ['join', fn(2, 2, join)],
  ['array', fn(1, 1, ([v]) => (Array.isArray(v) ? v : [v]))],
  ['createarray', fn(0, MANY, (args) => args)],
  ['union', fn(1, MANY, setOp('union', true))],
  ['intersection', fn(1, MANY, setOp('intersection', false))],
  ['range', fn(2, 2, range)],
  // objects
  ['json', fn(1, 1, parseJson)],
  ['createobject', fn(0, MANY, (args) => Object.fromEntries(Array.from({ length: args.length / 2 }, (_, i) => [str('createObject', args[2 * i]), args[2 * i + 1]])))],
  ['null', fn(0, 0, () => null)],
  ['tryget', fn(2, 2, ([o, k]) => (isObject(o) ? (getKey(o, str('tryGet', k)) ?? null) : null))],
  // comparison and logic
  ['equals', fn(2, 2, equals)],
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
  ['min', fn(1, MANY, extreme('min'))],
  ['max', fn(1, MANY, extreme('max'))],
  // policy-only
  ['adddays', fn(2, 2, addDaysTo)],
  ['iprangecontains', fn(2, 2, ipRangeContains)],
]);
