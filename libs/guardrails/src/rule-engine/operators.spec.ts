// Condition operators with Azure's documented semantics (definition-structure-policy-rule.md, "Conditions").
import { outcome, storageAccount } from '../testing/rules';
import { EvaluationError } from './errors';
import { compareWith, type OperatorName, OPERATORS } from './operators';
import { preview } from './values';

const prop = (name: string) => `Microsoft.Storage/storageAccounts/${name}`;
const account = storageAccount({
  minimumTlsVersion: 'TLS1_2',
  supportsHttpsTrafficOnly: true,
  allowBlobPublicAccess: false,
  largeFileSharesState: null,
  accessTier: '',
  keyPolicy: { keyExpirationPeriodInDays: 90 },
  customDomain: { name: 'www.contoso.com' },
  isSftpEnabled: 'True',
  networkAcls: { ipRules: [{ value: '10.0.0.1' }, { value: '10.0.0.2' }] },
});

describe('equals and notEquals', () => {
  it.each([
    ['a string in another case', prop('minimumTlsVersion'), 'tls1_2', 'match'],
    ['a boolean property against the string "true"', prop('supportsHttpsTrafficOnly'), 'true', 'match'],
    ['a boolean property against the boolean true', prop('supportsHttpsTrafficOnly'), true, 'match'],
    ['a false boolean against "False"', prop('allowBlobPublicAccess'), 'False', 'match'],
    ['a string "True" against the boolean true', prop('isSftpEnabled'), true, 'match'],
    ['a number against its text', prop('keyPolicy.keyExpirationPeriodInDays'), '90', 'match'],
    ['a number against another number', prop('keyPolicy.keyExpirationPeriodInDays'), 30, 'no match'],
    ['a missing property against ""', prop('routingPreference.routingChoice'), '', 'no match'],
    ['a JSON null against ""', prop('largeFileSharesState'), '', 'no match'],
    ['an empty string against ""', prop('accessTier'), '', 'match'],
  ])('given %s, when compared with equals, then it is a %s', (_what, field, expected, result) => {
    expect(outcome({ field, equals: expected }, account)).toBe(result);
  });

  it('given a missing property, when compared with notEquals, then the condition holds', () => {
    expect(outcome({ field: prop('publicNetworkAccess'), notEquals: 'Disabled' }, account)).toBe('match');
  });

  it('given an equal value in another case, when compared with notEquals, then the condition does not hold', () => {
    expect(outcome({ field: prop('minimumTlsVersion'), notEquals: 'TLS1_2' }, account)).toBe('no match');
  });
});

describe('like and notLike', () => {
  it.each([
    ['a prefix pattern', 'www.*', 'match'],
    ['a suffix pattern in another case', '*.CONTOSO.com', 'match'],
    ['a pattern with the wildcard inside', 'www*.com', 'match'],
    ['only a wildcard', '*', 'match'],
    ['no wildcard, the whole value', 'www.contoso.com', 'match'],
    ['no wildcard, part of the value', 'contoso', 'no match'],
    ['regex characters taken literally', 'www?contoso.com', 'no match'],
  ])('given %s, when matched with like, then it is a %s', (_what, pattern, result) => {
    expect(outcome({ field: prop('customDomain.name'), like: pattern }, account)).toBe(result);
  });

  it('given a missing property, when matched with like "*", then it does not match, and notLike "*" holds', () => {
    expect(outcome({ field: prop('customDomain.useSubDomainName'), like: '*' }, account)).toBe('no match');
    expect(outcome({ field: prop('customDomain.useSubDomainName'), notLike: '*' }, account)).toBe('match');
  });
});

describe('match, matchInsensitively, notMatch and notMatchInsensitively', () => {
  const named = (name: string) => storageAccount({}, { name });
  it.each([
    ['# for digits and ? for letters', 'abc123', '???###', 'match'],
    ['a digit where a letter is expected', 'ab1123', '???###', 'no match'],
    ['. for any character', 'a-c123', '?.?###', 'match'],
    ['literal characters case-sensitively', 'Abc123', 'abc###', 'no match'],
    ['a shorter value than the pattern', 'abc12', '???###', 'no match'],
  ])('given %s, when matched with match, then it is a %s', (_what, name, pattern, result) => {
    expect(outcome({ field: 'name', match: pattern }, named(name))).toBe(result);
  });

  it('given different letter case, when matched insensitively, then it matches and notMatchInsensitively does not', () => {
    expect(outcome({ field: 'name', matchInsensitively: 'abc###' }, named('Abc123'))).toBe('match');
    expect(outcome({ field: 'name', notMatchInsensitively: 'abc###' }, named('Abc123'))).toBe('no match');
    expect(outcome({ field: 'name', notMatch: 'abc###' }, named('Abc123'))).toBe('match');
  });
});

describe('contains and notContains', () => {
  it('given a substring in another case, when tested with contains, then it matches', () => {
    expect(outcome({ field: 'kind', contains: 'storage' }, storageAccount({}, { kind: 'StorageV2' }))).toBe('match');
  });

  it('given a kind without the text, when tested with notContains, then the condition holds', () => {
    expect(outcome({ field: 'kind', notContains: 'functionapp' }, storageAccount({}, { kind: 'app,linux' }))).toBe('match');
  });

  it('given a missing kind, when tested with contains and notContains, then only notContains holds', () => {
    const noKind = storageAccount({}, { kind: undefined });
    expect(outcome({ field: 'kind', contains: 'app' }, noKind)).toBe('no match');
    expect(outcome({ field: 'kind', notContains: 'app' }, noKind)).toBe('match');
  });

  it('given an array value, when tested with contains, then it looks for an equal element', () => {
    expect(outcome({ value: ['Audit', 'Deny'], contains: 'deny' })).toBe('match');
    expect(outcome({ value: ['Audit', 'Deny'], contains: 'Den' })).toBe('no match');
  });
});

describe('in and notIn', () => {
  it('given a value in the list in another case, when tested with in, then it matches and notIn does not', () => {
    expect(outcome({ field: prop('minimumTlsVersion'), in: ['tls1_1', 'tls1_2'] }, account)).toBe('match');
    expect(outcome({ field: prop('minimumTlsVersion'), notIn: ['tls1_1', 'tls1_2'] }, account)).toBe('no match');
  });

  it('given a missing property, when tested with in and notIn, then only notIn holds', () => {
    expect(outcome({ field: prop('publicNetworkAccess'), in: ['Enabled'] }, account)).toBe('no match');
    expect(outcome({ field: prop('publicNetworkAccess'), notIn: ['Disabled'] }, account)).toBe('match');
  });

  it('given a list that is not an array, when tested with in or notIn, then evaluation fails instead of deciding', () => {
    expect(outcome({ field: prop('minimumTlsVersion'), in: 'TLS1_2' }, account)).toBe('error: type-mismatch');
    expect(outcome({ field: prop('minimumTlsVersion'), notIn: 'TLS1_0' }, account)).toBe('error: type-mismatch');
  });

  it('given an array parameter, when used as the list, then its values are compared', () => {
    const parameters = { allowed: { type: 'Array', defaultValue: ['TLS1_2'] } };
    expect(outcome({ field: prop('minimumTlsVersion'), in: "[parameters('allowed')]" }, account, { parameters })).toBe('match');
  });
});

describe('containsKey and notContainsKey', () => {
  it('given tags, when tested with containsKey in another case, then the key is found', () => {
    expect(outcome({ field: 'tags', containsKey: 'ENV' })).toBe('match');
    expect(outcome({ field: 'tags', notContainsKey: 'owner' })).toBe('match');
  });

  it('given a resource without tags, when tested with containsKey, then it does not match', () => {
    expect(outcome({ field: 'tags', containsKey: 'env' }, storageAccount({}, { tags: undefined }))).toBe('no match');
  });
});

describe('less, lessOrEquals, greater and greaterOrEquals', () => {
  it.each([
    ['numbers', 90, { greater: 30 }, 'match'],
    ['numbers, equal', 90, { greaterOrEquals: 90 }, 'match'],
    ['numbers, equal, strictly', 90, { less: 90 }, 'no match'],
    ['version strings', '1.2', { lessOrEquals: '1.2' }, 'match'],
    ['version strings, older', '1.0', { less: '1.2' }, 'match'],
    ['strings ignoring case', 'tls1_2', { greaterOrEquals: 'TLS1_2' }, 'match'],
    ['date-times to the 100 ns', '2024-01-01T00:00:00.0000001Z', { greater: '2024-01-01T00:00:00Z' }, 'match'],
    ['date-times with an offset', '2024-01-01T01:00:00+02:00', { less: '2024-01-01T00:00:00Z' }, 'match'],
  ])('given %s, when compared, then it is a %s', (_what, value, comparison, result) => {
    expect(outcome({ value, ...comparison })).toBe(result);
  });

  // definition-structure-policy-rule.md, "Conditions": "String comparisons are made using
  // InvariantCultureIgnoreCase" (unlike the less/greater template functions, which keep case).
  it.each([
    ["'A' greater 'a'", { value: 'A', greater: 'a' }, 'no match'],
    ["'A' greaterOrEquals 'a'", { value: 'A', greaterOrEquals: 'a' }, 'match'],
    ["'A' less 'a'", { value: 'A', less: 'a' }, 'no match'],
    ["'A' lessOrEquals 'a'", { value: 'A', lessOrEquals: 'a' }, 'match'],
    // Code units would say 'a' (97) > 'B' (66); ignoring case, a comes before b.
    ["'a' less 'B'", { value: 'a', less: 'B' }, 'match'],
    ["'bend' greater 'BAND'", { value: 'bend', greater: 'BAND' }, 'match'],
    ["'Demo' lessOrEquals 'demo'", { value: 'Demo', lessOrEquals: 'demo' }, 'match'],
  ])('given %s as a condition, when evaluated ignoring case, then it is a %s', (_what, condition, result) => {
    expect(outcome(condition)).toBe(result);
    expect(compareWith(Object.keys(condition)[1] as OperatorName, Object.values(condition)[1])(condition.value)).toBe(result === 'match');
  });

  it('given a number and a string, when compared, then evaluation fails with a type mismatch', () => {
    expect(outcome({ field: prop('keyPolicy.keyExpirationPeriodInDays'), less: '100' }, account)).toBe('error: type-mismatch');
  });

  it('given a missing property, when compared, then the comparison does not hold', () => {
    expect(outcome({ field: prop('routingPreference.routingChoice'), less: '1.2' }, account)).toBe('no match');
  });
});

describe('exists', () => {
  it.each([
    ['a present property', prop('minimumTlsVersion'), 'true', 'match'],
    ['a present property, flag in other case', prop('minimumTlsVersion'), 'True', 'match'],
    ['a present false boolean', prop('allowBlobPublicAccess'), true, 'match'],
    ['a present empty string', prop('accessTier'), true, 'match'],
    ['a JSON null', prop('largeFileSharesState'), false, 'match'],
    ['a missing property', prop('publicNetworkAccess'), 'false', 'match'],
    ['a missing property, asked to exist', prop('publicNetworkAccess'), true, 'no match'],
  ])('given %s, when tested with exists %s, then it is a %s', (_what, field, flag, result) => {
    expect(outcome({ field, exists: flag }, account)).toBe(result);
  });
});

describe('operator and keyword spelling', () => {
  it('given operators and logical keywords in other casing (as built-ins write "notin"), when compiled, then they are recognised', () => {
    const condition = { AllOf: [{ FIELD: prop('minimumTlsVersion'), notin: ['TLS1_0'] }, { Not: { field: prop('minimumTlsVersion'), EQUALS: 'TLS1_1' } }] };
    expect(outcome(condition, account)).toBe('match');
  });
});

/** `['abc', <hole>, 'x']`: definitions built in code (not JSON) can hold holes. */
const sparse = () => {
  const array = ['abc', 'y', 'x'];
  delete array[1];
  return array;
};

describe('operators compiled with a literal operand', () => {
  // The values Azure's comparison rules make tricky: case, text vs booleans and numbers, Unicode
  // whose lowercase changes length, arrays, objects, missing values, date-times and patterns.
  const values: unknown[] = [
    undefined, null, '', 'abc', 'ABC', 'aBc', 'ab', 'İ', 'i̇', 'ß', 'SS', 'true', 'True', 'FALSE', true, false,
    0, 1, -1, 1.5, '1', '1.0', '01', Number.NaN, Number.POSITIVE_INFINITY, 'Infinity', [], ['abc'], ['ABC', 'x'], [1, 'a'], [['abc']],
    {}, { a: 1 }, { A: 1 }, '2019-09-01', '2019-09-01T00:00:00Z', '2020-01-01', '2018-06-01-preview', '*', '3389', '10-20',
    'cluster1', 'Cluster-x', 'imageregistryX', 'ab*', 'a*c', '#?.', 'a1c', sparse(),
  ];
  const outcomeOf = (run: () => boolean): boolean | string => {
    try {
      return run();
    } catch (error) {
      if (error instanceof EvaluationError) return `${error.reason}: ${error.message}`;
      throw error;
    }
  };

  it.each([...OPERATORS.values()].map((o) => [o.name, o.test] as const))(
    'given every pair of tricky values, when %s is compiled with its operand, then it answers (or fails) as the general test does',
    (name, test) => {
      for (const expected of values) {
        const compiled = compareWith(name, expected);
        for (const actual of values) {
          const general = outcomeOf(() => test(actual, expected));
          if (outcomeOf(() => compiled(actual)) !== general)
            throw new Error(`${name}(${preview(actual)}, ${preview(expected)}): compiled ${String(outcomeOf(() => compiled(actual)))}, general ${String(general)}`);
        }
      }
    },
  );

  it('given the same left-hand text twice, when an ordering is compiled, then the remembered date-time is that text\'s', () => {
    const less = compareWith('less', '2019-09-01');
    expect([less('2018-01-01'), less('2018-01-01'), less('2020-01-01'), less('abc'), less('2018-01-01')]).toEqual([true, true, false, false, true]);
  });
});
