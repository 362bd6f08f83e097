// The condition operators of the policy language, with Azure's documented semantics
// (definition-structure-policy-rule.md, "Conditions"): string comparisons ignore case except
// match/notMatch; `like` takes `*` wildcards; `match` takes `#` (digit), `?` (letter), `.` (any
// character); less/greater on mismatched types is an error. A missing value (a property the resource
// does not have) satisfies only the negative operators (notEquals, notLike, notIn, ...) and `exists: false`.
import { EvaluationError } from './errors';
import { isObject } from './resource';
import { conditionCompare, conditionEquals, preview, scalarText, typeName } from './values';

export type OperatorName =
  | 'equals'
  | 'notEquals'
  | 'like'
  | 'notLike'
  | 'match'
  | 'matchInsensitively'
  | 'notMatch'
  | 'notMatchInsensitively'
  | 'contains'
  | 'notContains'
  | 'in'
  | 'notIn'
  | 'containsKey'
  | 'notContainsKey'
  | 'less'
  | 'lessOrEquals'
  | 'greater'
  | 'greaterOrEquals'
  | 'exists';

/** `actual` is undefined when the property is missing (JSON null counts as missing). */
export type OperatorTest = (actual: unknown, expected: unknown) => boolean;

const isMissing = (v: unknown) => v === undefined || v === null;

const asText = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? scalarText(v) : undefined);

const patternText = (operator: string, expected: unknown): string => {
  const text = asText(expected);
  if (text === undefined) throw new EvaluationError('type-mismatch', `${operator} needs a string pattern, got ${typeName(expected)} ${preview(expected)}`);
  return text;
};

const patterns = new Map<string, RegExp>();
const cached = (key: string, build: () => RegExp) => {
  let re = patterns.get(key);
  if (!re) {
    if (patterns.size > 2000) patterns.clear();
    re = build();
    patterns.set(key, re);
  }
  return re;
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const likeRegex = (pattern: string) => cached(`like:${pattern}`, () => new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'is'));

const matchRegex = (pattern: string, insensitive: boolean) =>
  cached(`match:${insensitive}:${pattern}`, () => {
    const body = [...pattern].map((ch) => (ch === '#' ? '\\d' : ch === '?' ? '\\p{L}' : ch === '.' ? '.' : escape(ch))).join('');
    return new RegExp(`^${body}$`, insensitive ? 'isu' : 'su');
  });

const like: OperatorTest = (actual, expected) => {
  const text = asText(actual);
  return text !== undefined && likeRegex(patternText('like', expected)).test(text);
};

const match =
  (insensitive: boolean): OperatorTest =>
  (actual, expected) => {
    const text = asText(actual);
    return text !== undefined && matchRegex(patternText('match', expected), insensitive).test(text);
  };

const contains: OperatorTest = (actual, expected) => {
  if (isMissing(actual)) return false;
  if (Array.isArray(actual)) return actual.some((v) => conditionEquals(v, expected));
  const text = asText(actual);
  const part = asText(expected);
  if (text === undefined || part === undefined)
    throw new EvaluationError('type-mismatch', `contains cannot look for ${typeName(expected)} ${preview(expected)} in ${typeName(actual)} ${preview(actual)}`);
  return text.toLowerCase().includes(part.toLowerCase());
};

const list = (operator: string, expected: unknown): readonly unknown[] => {
  if (!Array.isArray(expected)) throw new EvaluationError('type-mismatch', `${operator} needs an array, got ${typeName(expected)} ${preview(expected)}`);
  return expected;
};

const isIn: OperatorTest = (actual, expected) => {
  const values = list('in', expected);
  return !isMissing(actual) && values.some((v) => conditionEquals(actual, v));
};

const containsKey: OperatorTest = (actual, expected) => {
  const key = asText(expected);
  if (key === undefined) throw new EvaluationError('type-mismatch', `containsKey needs a key name, got ${typeName(expected)} ${preview(expected)}`);
  return isObject(actual) && Object.keys(actual).some((k) => k.toLowerCase() === key.toLowerCase());
};

const ordered =
  (operator: string, accept: (order: number) => boolean): OperatorTest =>
  (actual, expected) =>
    !isMissing(actual) && accept(conditionCompare(actual, expected, operator));

/** `exists` takes true/false, as a boolean or a string in any casing. */
export const existsFlag = (expected: unknown): boolean | undefined => {
  if (typeof expected === 'boolean') return expected;
  if (typeof expected === 'string' && /^(true|false)$/i.test(expected)) return expected.toLowerCase() === 'true';
  return undefined;
};

const exists: OperatorTest = (actual, expected) => {
  const flag = existsFlag(expected);
  if (flag === undefined) throw new EvaluationError('type-mismatch', `exists needs true or false, got ${preview(expected)}`);
  return !isMissing(actual) === flag;
};

const not =
  (test: OperatorTest): OperatorTest =>
  (actual, expected) =>
    !test(actual, expected);

const equals: OperatorTest = (actual, expected) => !isMissing(actual) && conditionEquals(actual, expected);

export const OPERATORS: ReadonlyMap<string, { readonly name: OperatorName; readonly test: OperatorTest }> = new Map(
  (
    [
      ['equals', equals],
      ['notEquals', not(equals)],
      ['like', like],
      ['notLike', not(like)],
      ['match', match(false)],
      ['matchInsensitively', match(true)],
      ['notMatch', not(match(false))],
      ['notMatchInsensitively', not(match(true))],
      ['contains', contains],
      ['notContains', not(contains)],
      ['in', isIn],
      // notIn with a non-array is an error too, not "true".
      ['notIn', (actual: unknown, expected: unknown) => !isIn(actual, list('notIn', expected))],
      ['containsKey', containsKey],
      ['notContainsKey', not(containsKey)],
      ['less', ordered('less', (o) => o < 0)],
      ['lessOrEquals', ordered('lessOrEquals', (o) => o <= 0)],
      ['greater', ordered('greater', (o) => o > 0)],
      ['greaterOrEquals', ordered('greaterOrEquals', (o) => o >= 0)],
      ['exists', exists],
    ] as const
  ).map(([name, test]) => [name.toLowerCase(), { name, test }]),
);
