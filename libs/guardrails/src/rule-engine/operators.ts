// The condition operators of the policy language, with Azure's documented semantics
// (definition-structure-policy-rule.md, "Conditions"): string comparisons ignore case except
// match/notMatch; `like` takes `*` wildcards; `match` takes `#` (digit), `?` (letter), `.` (any
// character), both decided in linear time whatever the pattern (patterns.ts); less/greater
// on mismatched types is an error. A missing value (a property the resource does not have)
// satisfies only the negative operators (notEquals, notLike, notIn, ...) and `exists: false`.
import { EvaluationError } from './errors';
import { weightOf } from './limits';
import { likeMatcher, matchMatcher } from './patterns';
import { isObject } from './resource';
import { compareTo, conditionCompare, conditionEquals, equalsTo, preview, scalarText, typeName } from './values';

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

/**
 * Patterns that come from expressions are compiled per evaluation: the short ones (all that real
 * rules use) are remembered, so a caller's long patterns cannot fill memory.
 */
const MAX_CACHED_PATTERN = 1_024;
const MAX_CACHED_PATTERNS = 2_000;

const cache = <T>() => {
  const entries = new Map<string, T>();
  return (pattern: string, build: (pattern: string) => T): T => {
    if (pattern.length > MAX_CACHED_PATTERN) return build(pattern);
    let entry = entries.get(pattern);
    if (entry === undefined) {
      if (entries.size >= MAX_CACHED_PATTERNS) entries.clear();
      entry = build(pattern);
      entries.set(pattern, entry);
    }
    return entry;
  };
};

const likeMatchers = cache<(text: string) => boolean>();
const likeTest = (pattern: string) => likeMatchers(pattern, likeMatcher);

const matchMatchers = [cache<(text: string) => boolean>(), cache<(text: string) => boolean>()];
const matchTest = (pattern: string, ignoringCase: boolean) => matchMatchers[ignoringCase ? 1 : 0](pattern, (p) => matchMatcher(p, ignoringCase));

const like: OperatorTest = (actual, expected) => {
  const text = asText(actual);
  return text !== undefined && likeTest(patternText('like', expected))(text);
};

const match =
  (insensitive: boolean): OperatorTest =>
  (actual, expected) => {
    const text = asText(actual);
    return text !== undefined && matchTest(patternText('match', expected), insensitive)(text);
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

const ORDER_ACCEPTS = {
  less: (o: number) => o < 0,
  lessOrEquals: (o: number) => o <= 0,
  greater: (o: number) => o > 0,
  greaterOrEquals: (o: number) => o >= 0,
} as const;

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
      ['less', ordered('less', ORDER_ACCEPTS.less)],
      ['lessOrEquals', ordered('lessOrEquals', ORDER_ACCEPTS.lessOrEquals)],
      ['greater', ordered('greater', ORDER_ACCEPTS.greater)],
      ['greaterOrEquals', ordered('greaterOrEquals', ORDER_ACCEPTS.greaterOrEquals)],
      ['exists', exists],
    ] as const
  ).map(([name, test]) => [name.toLowerCase(), { name, test }]),
);

/**
 * The operator's test with its operand fixed, for operands without expressions (most of a corpus):
 * lowercasing, pattern parsing and the regex cache lookup happen once, at compile time. Same answers
 * and same errors as `OPERATORS.get(name).test(actual, expected)` for every `actual`; an operand the
 * operator would reject keeps the general test, so the error still comes per evaluation.
 */
export const compareWith = (name: OperatorName, expected: unknown): ((actual: unknown) => boolean) => {
  const general = OPERATORS.get(name.toLowerCase())?.test;
  if (!general) throw new Error(`unknown operator ${name}`);
  const fallback = (actual: unknown) => general(actual, expected);
  switch (name) {
    case 'equals':
    case 'notEquals': {
      const same = equalsTo(expected);
      return name === 'equals' ? (a) => !isMissing(a) && same(a) : (a) => isMissing(a) || !same(a);
    }
    case 'in':
    case 'notIn': {
      if (!Array.isArray(expected)) return fallback;
      // Array.from: a hole reads as undefined, which equals nothing (as `some` skipping it).
      const members = Array.from(expected, (v: unknown) => equalsTo(v));
      const isIn = (a: unknown) => {
        if (isMissing(a)) return false;
        for (const same of members) if (same(a)) return true;
        return false;
      };
      return name === 'in' ? isIn : (a) => !isIn(a);
    }
    case 'like':
    case 'notLike':
    case 'match':
    case 'notMatch':
    case 'matchInsensitively':
    case 'notMatchInsensitively': {
      const pattern = asText(expected);
      if (pattern === undefined) return fallback;
      const matches = name === 'like' || name === 'notLike' ? likeMatcher(pattern) : matchMatcher(pattern, name.endsWith('Insensitively'));
      const test = (a: unknown) => {
        const text = asText(a);
        return text !== undefined && matches(text);
      };
      return name.startsWith('not') ? (a) => !test(a) : test;
    }
    case 'contains':
    case 'notContains': {
      const part = asText(expected);
      if (part === undefined) return fallback;
      const lowerPart = part.toLowerCase();
      const same = equalsTo(expected);
      const test = (a: unknown) => {
        if (isMissing(a)) return false;
        if (Array.isArray(a)) {
          for (const v of a) if (same(v)) return true;
          return false;
        }
        // Numbers and booleans compare by their text, anything else is a type mismatch: as contains() does.
        return typeof a === 'string' ? a.toLowerCase().includes(lowerPart) : contains(a, expected);
      };
      return name === 'contains' ? test : (a) => !test(a);
    }
    case 'exists': {
      const flag = existsFlag(expected);
      if (flag === undefined) return fallback;
      return (a) => !isMissing(a) === flag;
    }
    case 'less':
    case 'lessOrEquals':
    case 'greater':
    case 'greaterOrEquals': {
      const order = compareTo(expected, name);
      const accept = ORDER_ACCEPTS[name];
      return (a) => !isMissing(a) && accept(order(a));
    }
    default:
      return fallback;
  }
};

const MATCHES = new Set<OperatorName>(['match', 'matchInsensitively', 'notMatch', 'notMatchInsensitively']);

/**
 * What comparing with `operand` costs, in steps (limits.ts). Most operators go over it once, as
 * weightOf counts; match tests the text one code point at a time against the pattern's (a text
 * longer than twice the pattern is refused at once), a step per two.
 */
export const operandWeight = (name: OperatorName, operand: unknown): number =>
  typeof operand === 'string' && MATCHES.has(name) ? Math.ceil(operand.length / 2) : weightOf(operand);
