// Template functions in policy rules: ARM semantics for the general ones (Azure's documented examples
// as vectors where there are some), the policy-only ones (field, current, requestContext, policy,
// addDays, ipRangeContains, utcNow), and failures as errors.
import { compilePolicy } from './policy';
import { compiled, definition, outcome, storageAccount } from '../testing/rules';
import { uniqueString } from './unique-string';

const account = storageAccount({
  keyCreationTime: { key1: '2024-01-31T10:00:00.1234567Z' },
  networkAcls: { ipRules: [{ value: '10.0.0.1' }] },
});
const value = (expression: string, expected: unknown, options: Parameters<typeof outcome>[2] = {}) =>
  outcome({ value: expression, equals: expected }, account, options);

describe('string and array functions', () => {
  it.each([
    ["[concat('a', 'b', 1)]", 'ab1'],
    ["[length(concat(createArray(1, 2), createArray(3)))]", 3],
    ["[toLower('ABC')]", 'abc'],
    ["[toUpper('abc')]", 'ABC'],
    ["[replace('a-b-c', '-', '')]", 'abc'],
    ["[substring('abcdef', 2, 3)]", 'cde'],
    ["[first(split('8000-9000', '-'))]", '8000'],
    ["[int(last(split('8000-9000', '-')))]", 9000],
    ["[length('abc')]", 3],
    ["[length(createObject('a', 1, 'b', 2))]", 2],
    ["[empty('')]", true],
    ["[empty(createArray())]", true],
    ["[padLeft('7', 3, '0')]", '007'],
    ["[padLeft(7, 3, '0')]", '007'],
    ["[indexOf('Hello World', 'WORLD')]", 6],
    ["[indexOf('abc', 'z')]", -1],
    ["[startsWith('Microsoft.Web', 'microsoft')]", true],
    ["[trim('  x ')]", 'x'],
    ["[join(createArray('a', 'b'), ',')]", 'a,b'],
    ["[take('abcdef', 2)]", 'ab'],
    ["[skip(createArray(1, 2, 3), 2)]", [3]],
    ["[union(createArray(1, 2), createArray(2, 3))]", [1, 2, 3]],
    ["[intersection(createArray(1, 2), createArray(2, 3))]", [2]],
    ["[max(createArray(1, 5, 3))]", 5],
    ["[string(json('{\"a\":true,\"b\":[1,2]}'))]", '{"a":true,"b":[1,2]}'],
    ['[string(true())]', 'True'],
    ["[coalesce(null(), '', 'x')]", ''],
  ])('given %s, when evaluated, then it is %j', (expression, expected) => {
    expect(value(expression, expected)).toBe('match');
  });

  it('given contains on a string, when the case differs, then it is false (ARM contains is case-sensitive for text)', () => {
    expect(value("[contains('Hello', 'hello')]", false)).toBe('match');
    expect(value("[contains(json('{\"Key\":1}'), 'key')]", true)).toBe('match');
    expect(value("[contains(createArray('a', 'b'), 'b')]", true)).toBe('match');
  });

  it('given equals() on text in another case, when evaluated, then it is false (unlike the equals condition)', () => {
    expect(value("[equals('Management', 'management')]", false)).toBe('match');
  });

  it('given tryGet() of a missing key, when evaluated, then it is null, which counts as not existing', () => {
    expect(outcome({ value: "[tryGet(json('{\"a\":1}'), 'b')]", exists: false })).toBe('match');
  });

  it('given an object with dotted keys, when turned into text with string(), then toLower/indexof can search it as JSON', () => {
    const apim = {
      name: 'apim',
      type: 'Microsoft.ApiManagement/service',
      properties: { customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10': 'True' } },
    };
    const expression =
      "[indexof(toLower(string(field('Microsoft.ApiManagement/service/customProperties'))), '\"microsoft.windowsazure.apimanagement.gateway.security.protocols.tls10\":\"true\"')]";
    expect(outcome({ value: expression, greater: 0 }, apim)).toBe('match');
  });
});

describe('logical functions', () => {
  it('given if() whose other branch would fail, when evaluated, then only the chosen branch runs', () => {
    expect(value("[if(greaterOrEquals(length('ab'), 3), substring('ab', 0, 3), 'short')]", 'short')).toBe('match');
  });

  it('given and() whose later argument would fail, when an earlier one is false, then it is false without failing', () => {
    expect(value("[and(false(), greater(int('x'), 1))]", false)).toBe('match');
    expect(value("[or(true(), greater(int('x'), 1))]", true)).toBe('match');
    expect(value("[not(bool('false'))]", true)).toBe('match');
  });

  it('given a number or text compared with the less/greater functions, when evaluated, then numbers and text compare', () => {
    expect(value('[less(2, 10)]', true)).toBe('match');
    expect(value("[greaterOrEquals('2021-06-01', '2019-08-01')]", true)).toBe('match');
  });
});

describe('comparison functions on text (invariant culture, case-sensitive, lowercase first)', () => {
  // template-functions-comparison.md: firstString 'A', secondString 'a', and firstInt 1, secondInt 2.
  it.each([
    ["[greater('A', 'a')]", true],
    ["[greaterOrEquals('A', 'a')]", true],
    ["[less('A', 'a')]", false],
    ["[lessOrEquals('A', 'a')]", false],
    ['[greater(1, 2)]', false],
    ['[greaterOrEquals(1, 2)]', false],
    ['[less(1, 2)]', true],
    ['[lessOrEquals(1, 2)]', true],
    // Bicep's operators-comparison.md (the same functions): "lowercase letters are less than uppercase letters".
    ["[less('demo', 'Demo')]", true],
    ["[greater('bend', 'band')]", true],
    ["[greaterOrEquals('A', 'A')]", true],
    ["[lessOrEquals('demo', 'demo')]", true],
    // Code units would put every uppercase letter first: 'B' (66) < 'a' (97).
    ["[less('a', 'B')]", true],
  ])("given Azure's documented %s, when evaluated, then it is %s", (expression, expected) => {
    expect(value(expression, expected)).toBe('match');
    expect(value(expression, !expected)).toBe('no match');
  });

  it('given text compared with a number, when evaluated, then it is an error', () => {
    expect(value("[less('1', 2)]", true)).toBe('error: function-failed');
  });
});

describe('encoding functions', () => {
  // template-functions-string.md#base64: the documented output for 'one, two, three'.
  it("given the documented base64 example, when encoded and decoded, then it is Azure's output", () => {
    expect(value("[base64('one, two, three')]", 'b25lLCB0d28sIHRocmVl')).toBe('match');
    expect(value("[base64ToString('b25lLCB0d28sIHRocmVl')]", 'one, two, three')).toBe('match');
    // Case matters in base64: the equals condition must not be what makes it match.
    expect(outcome({ value: "[base64('one, two, three')]", match: 'b25lLCB0d28sIHRocmVl' })).toBe('match');
  });

  it('given text beyond ASCII, when round-tripped, then it is UTF-8 both ways', () => {
    expect(value("[base64('Zürich – 東京')]", 'WsO8cmljaCDigJMg5p2x5Lqs')).toBe('match');
    expect(value("[base64ToString(base64('Zürich – 東京'))]", 'Zürich – 東京')).toBe('match');
  });

  it("given the Guest Configuration built-ins' parameter hash, when compared, then it is base64 of the settings text", () => {
    const parameters = { TimeZone: { type: 'String', defaultValue: 'Pacific Standard Time' } };
    const hash = "[base64(concat('[WindowsTimeZone]WindowsTimeZone1;TimeZone', '=', parameters('TimeZone')))]";
    expect(value(hash, Buffer.from('[WindowsTimeZone]WindowsTimeZone1;TimeZone=Pacific Standard Time').toString('base64'), { parameters })).toBe('match');
  });

  it('given text that is not base64, when decoded, then it is an error (not whatever a lenient decoder makes of it)', () => {
    expect(value("[base64ToString('not base64!')]", '')).toBe('error: function-failed');
    expect(value("[base64ToString('abc')]", '')).toBe('error: function-failed');
    expect(value("[base64ToString(' b25l ')]", 'one')).toBe('match');
    expect(value('[base64(1)]', '')).toBe('error: function-failed');
  });
});

describe('failing functions', () => {
  it.each([
    ["[substring('ab', 0, 3)]", 'a substring past the end'],
    ["[int('eighty')]", 'an integer from text that is not a number'],
    ["[length(1)]", 'the length of a number'],
    ["[ipRangeContains('10.0.0.0/8', '2001:db8::1')]", 'IP ranges of two families'],
    ["[json('{')]", 'invalid JSON'],
    ["[createArray(1)[3]]", 'an index past the end'],
  ])('given %s (%s), when evaluated, then the resource gets the state error, not compliant', (expression) => {
    expect(value(expression, 'anything')).toBe('error: function-failed');
  });

  it('given a failing function, when the verdict is read, then it names the condition and the function', () => {
    const verdict = compiled(definition({ allOf: [{ field: 'name', equals: 'sa1' }, { value: "[substring('ab', 0, 3)]", equals: 'abc' }] })).evaluate(account);
    expect(verdict.state).toBe('error');
    expect(verdict.error).toMatchObject({ reason: 'function-failed', path: 'if.allOf[1]', message: expect.stringMatching(/substring\(\).*substring\('ab', 0, 3\)/) });
  });
});

describe('policy functions', () => {
  it('given field() of a missing property, when evaluated, then it returns an empty string', () => {
    expect(value("[field('Microsoft.Storage/storageAccounts/minimumTlsVersion')]", '')).toBe('match');
    expect(value("[length(field('Microsoft.Storage/storageAccounts/networkAcls.virtualNetworkRules[*]'))]", 0)).toBe('match');
  });

  it('given field() of an array alias, when evaluated, then it returns the selected values', () => {
    expect(value("[field('Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value')]", ['10.0.0.1'])).toBe('match');
  });

  it('given utcNow() and addDays(), when evaluated, then they use the evaluation time and the 7-digit ISO format', () => {
    const context = { now: new Date('2026-05-01T12:00:00Z') };
    expect(value('[utcNow()]', '2026-05-01T12:00:00.0000000Z', { context })).toBe('match');
    expect(value("[addDays(field('Microsoft.Storage/storageAccounts/keyCreationTime.key1'), 90)]", '2024-04-30T10:00:00.1234567Z')).toBe('match');
    expect(outcome({ value: '[utcNow()]', greater: "[addDays(field('Microsoft.Storage/storageAccounts/keyCreationTime.key1'), 90)]" }, account, { context })).toBe(
      'match',
    );
  });

  it.each([
    ['10.0.0.0/24', '10.0.0.17', true],
    ['10.0.0.0/24', '10.0.1.17', false],
    ['10.0.0.0/16', '10.0.4.0/24', true],
    ['192.168.0.1-192.168.0.9', '192.168.0.5', true],
    ['2001:db8::/32', '2001:db8:1::1', true],
    ['10.0.0.1', '10.0.0.1', true],
  ])('given ipRangeContains(%s, %s), when evaluated, then it is %s', (range, target, expected) => {
    expect(value(`[ipRangeContains('${range}', '${target}')]`, expected)).toBe('match');
  });

  it('given requestContext().apiVersion, when evaluating an existing resource, then it is the latest API version of its type', () => {
    expect(value('[requestContext().apiVersion]', '2025-08-01')).toBe('match');
    expect(value('[requestContext().apiVersion]', '2019-04-01', { context: { apiVersion: '2019-04-01' } })).toBe('match');
  });

  it('given requestContext().apiVersion for a type without a known API version, when evaluated, then the state is error', () => {
    const unknownType = storageAccount({}, { type: 'Microsoft.Example/widgets' });
    expect(outcome({ value: '[requestContext().apiVersion]', equals: 'x' }, unknownType)).toBe('error: unknown-api-version');
  });

  it('given the resource group in the context, when resourceGroup() is read, then name, tags and managedBy come from it', () => {
    const context = { resourceGroup: { name: 'rg-1', location: 'westeurope', tags: { costCenter: '42' }, managedBy: null } };
    expect(value('[resourceGroup().name]', 'rg-1', { context })).toBe('match');
    expect(value("[resourceGroup().tags['costcenter']]", '42', { context })).toBe('match');
    expect(outcome({ value: '[resourceGroup().managedBy]', exists: false }, account, { context })).toBe('match');
    // A tag the group does not have reads as "" (the built-in tag inheritance policies compare it with "").
    expect(value("[resourceGroup().tags['owner']]", '', { context })).toBe('match');
  });

  it('given no resource group in the context, when only its name is read, then it comes from the resource id, and anything else is an error', () => {
    expect(value('[resourceGroup().name]', 'rg-1')).toBe('match');
    expect(value("[resourceGroup().tags['owner']]", '')).toBe('error: missing-context');
  });

  it('given subscription(), when read, then the subscription id comes from the resource or the context', () => {
    expect(value('[subscription().subscriptionId]', 'sub-1')).toBe('match');
    expect(value('[subscription().displayName]', 'Prod', { context: { subscription: { subscriptionId: 'sub-1', displayName: 'Prod' } } })).toBe('match');
  });

  it('given policy(), when read, then the definition id is its own and the assignment comes from the context', () => {
    const builtIn = { ...definition({ value: '[policy().definitionId]', equals: '/providers/Microsoft.Authorization/policyDefinitions/abc' }), id: '/providers/Microsoft.Authorization/policyDefinitions/abc' };
    expect(compiled(builtIn).evaluate(account).state).toBe('nonCompliant');
    const assignment = { assignmentId: '/subscriptions/sub-1/providers/Microsoft.Authorization/policyAssignments/a1', definitionReferenceId: 'ref1' };
    expect(value('[policy().assignmentId]', assignment.assignmentId, { context: { policy: assignment } })).toBe('match');
    // The Guest Configuration built-ins name their assignment resource so.
    const name = "[concat('AzureWindowsBaseline$pid', uniqueString(policy().assignmentId, policy().definitionReferenceId))]";
    expect(value(name, `AzureWindowsBaseline$pid${uniqueString([assignment.assignmentId, 'ref1'])}`, { context: { policy: assignment } })).toBe('match');
  });

  it('given policy() without the assignment in the context, when its assignment is read, then the state is error, never a made-up id', () => {
    expect(value('[policy().assignmentId]', '')).toBe('error: missing-context');
    expect(outcome({ value: "[tryGet(policy(), 'assignmentId')]", exists: false })).toBe('match');
  });

  it('given parameters(), when the assignment gives no value, then the default is used', () => {
    const parameters = { level: { type: 'String', defaultValue: 'Audit' } };
    expect(value("[parameters('level')]", 'audit', { parameters })).toBe('match');
    expect(value("[parameters('LEVEL')]", 'deny', { parameters, context: { parameters: { level: 'Deny' } } })).toBe('match');
  });
});

describe('refused expressions', () => {
  it.each([
    ["[madeUp('a')]", 'unsupported-function', /madeUp\(\) is not supported by the rule engine/],
    ["[guid('a')]", 'unsupported-function', /guid\(\) is not supported by the rule engine/],
    ["[newGuid()]", 'unsupported-function', /newGuid\(\) is not available in policy rules/],
    ["[reference('x').id]", 'unsupported-function', /reference\(\) is not available in policy rules/],
    ["[parameters('missing')]", 'unknown-parameter', /missing/],
    ["[concat('a',]", 'invalid-expression', /expected a name/],
    ["[substring('a')]", 'invalid-expression', /substring\(\) takes 2 to 3 argument/],
  ])('given %s, when compiled, then the definition is refused as %s', (expression, reason, message) => {
    expect(compilePolicy(definition({ value: expression, equals: 1 }))).toMatchObject({ ok: false, refusal: { reason, message: expect.stringMatching(message) } });
  });
});

describe('[[ escaping', () => {
  it('given a policy value starting with [[, when evaluated, then it is the literal text with one bracket dropped', () => {
    expect(outcome({ value: '[[not an expression]', equals: '[[NOT an expression]' })).toBe('match');
    expect(outcome({ value: '[[not an expression]', equals: 'not an expression]' })).toBe('no match');
  });

  it('given a definition written as an ARM template resource, when compiled, then its [[...] expressions are evaluated as ARM deploys them', () => {
    const templateResource = {
      type: 'Microsoft.Authorization/policyDefinitions',
      apiVersion: '2021-06-01',
      name: 'Deny-Something',
      properties: {
        mode: 'All',
        parameters: { effect: { type: 'String', defaultValue: 'Deny', allowedValues: ['Deny', 'Disabled'] } },
        policyRule: { if: { value: "[[toLower('A')]", equals: 'a' }, then: { effect: "[[parameters('effect')]" } },
      },
    };
    const verdict = compiled(templateResource).evaluate(account);
    expect(verdict).toMatchObject({ state: 'nonCompliant', effect: 'Deny' });
    // Read as a policy (not a template), the same text is a literal string.
    expect(compilePolicy(templateResource, { templateEscaping: 'policy' })).toMatchObject({ ok: false, refusal: { reason: 'invalid-rule' } });
  });
});
