// What one definition may cost (limits.ts): refused when too large or too deeply nested, before
// anything recurses over it; each resource evaluation stops at its step budget as the state `error`,
// never a verdict. Timings are generous bounds for a busy machine; the measured figures are in
// docs/performance-guardrails.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compiled, definition, outcome, storageAccount } from '../testing/rules';
import { LIMITS } from './limits';
import { compilePolicy } from './policy';

const timed = <T>(run: () => T): { result: T; ms: number } => {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
};

const nested = (depth: number, wrap: (inner: unknown) => unknown, leaf: unknown) => {
  let node = leaf;
  for (let i = 0; i < depth; i++) node = wrap(node);
  return node;
};

const TYPE_IS_STORAGE = { field: 'type', equals: 'Microsoft.Storage/storageAccounts' };
const refusalOf = (input: unknown) => {
  const result = compilePolicy(input);
  return result.ok ? 'compiled' : `${result.refusal.reason} at ${result.refusal.path ?? '(the definition)'}`;
};

describe('definitions over the limits are refused before anything recurses over them', () => {
  it.each([
    ['not', (inner: unknown) => ({ not: inner })],
    ['allOf', (inner: unknown) => ({ allOf: [inner] })],
    ['anyOf', (inner: unknown) => ({ anyOf: [TYPE_IS_STORAGE, inner] })],
  ])('given %s nested 100,000 deep, when compiled, then it is refused as nesting-too-deep at once, not a stack overflow', (_what, wrap) => {
    const { result, ms } = timed(() => compilePolicy(definition(nested(100_000, wrap, TYPE_IS_STORAGE))));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'nesting-too-deep', message: expect.stringMatching(/more than 256 deep/) } });
    expect(ms).toBeLessThan(1_000); // bounded, not exponential: generous for a busy machine
  });

  it('given conditions nested 64 deep, when compiled, then it compiles; 65 deep is refused where the 65th is', () => {
    expect(refusalOf(definition(nested(64, (inner) => ({ not: inner }), TYPE_IS_STORAGE)))).toBe('compiled');
    expect(refusalOf(definition(nested(65, (inner) => ({ not: inner }), TYPE_IS_STORAGE)))).toBe(`nesting-too-deep at if${'.not'.repeat(65)}`);
  });

  it('given count.where nested past the limit, when compiled, then it is refused as nesting-too-deep', () => {
    const rules = 'Microsoft.Network/networkSecurityGroups/securityRules[*]';
    const deep = nested(65, (inner) => ({ count: { field: rules, where: inner }, greater: 0 }), { field: `${rules}.access`, equals: 'Allow' });
    expect(refusalOf(definition(deep))).toMatch(/^nesting-too-deep at if(\.count\.where)+$/);
  });

  it('given a definition over 256 KiB of JSON, when compiled, then it is refused as definition-too-large', () => {
    expect(refusalOf(definition({ field: 'name', equals: 'x'.repeat(LIMITS.definitionSize) }))).toBe('definition-too-large at (the definition)');
    expect(refusalOf(definition({ field: 'name', in: Array.from({ length: 60_000 }, (_, i) => `name-${i}`) }))).toBe('definition-too-large at (the definition)');
  });

  it('given more conditions than the limit, when compiled, then it is refused as too-many-conditions at the first one over', () => {
    const leaves = (n: number) => definition({ anyOf: Array.from({ length: n }, () => TYPE_IS_STORAGE) });
    expect(refusalOf(leaves(LIMITS.conditions - 1))).toBe('compiled'); // and the anyOf: the limit exactly
    expect(refusalOf(leaves(LIMITS.conditions))).toBe(`too-many-conditions at if.anyOf[${LIMITS.conditions - 1}]`);
  });

  it('given expressions with more nodes in all than the limit, when compiled, then it is refused as definition-too-large where the limit is passed', () => {
    const concat = (n: number) => `[concat(${Array.from({ length: n }, () => '1').join(',')})]`;
    expect(refusalOf(definition({ allOf: [{ value: concat(LIMITS.expressionNodes - 1), equals: 'x' }] }))).toBe('compiled');
    expect(refusalOf(definition({ allOf: [{ value: concat(LIMITS.expressionNodes / 2), equals: 'x' }, { value: concat(LIMITS.expressionNodes / 2), equals: 'x' }] }))).toBe(
      'definition-too-large at if.allOf[1]',
    );
  });

  it.each([
    ['calls', `[${'not('.repeat(50_000)}true()${')'.repeat(50_000)}]`],
    ['properties', `[resourceGroup()${'.tags'.repeat(40_000)}]`],
    ['indexes', `[createArray(1)${'[0]'.repeat(60_000)}]`],
  ])('given an expression nesting %s tens of thousands deep, when compiled, then it is refused as nesting-too-deep', (_what, expression) => {
    const { result, ms } = timed(() => compilePolicy(definition({ value: expression, equals: true })));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'nesting-too-deep', path: 'if', message: expect.stringMatching(/more than 64 deep/) } });
    expect(ms).toBeLessThan(1_000); // bounded, not exponential: generous for a busy machine
  });

  it('given parameter values larger or deeper than the limits, when bound, then they are refused, and evaluating with them is an error', () => {
    const policy = compiled(definition({ value: "[parameters('p')]", equals: 'x' }, { parameters: { p: { type: 'Object' } } }));
    const deep = nested(100_000, (inner) => ({ a: inner }), 1);
    expect(policy.bind({ p: deep })).toMatchObject({ ok: false, refusal: { reason: 'nesting-too-deep' } });
    expect(policy.bind({ p: { text: 'x'.repeat(LIMITS.parametersSize) } })).toMatchObject({ ok: false, refusal: { reason: 'parameters-too-large' } });
    expect(policy.evaluate(storageAccount(), { parameters: { p: deep } })).toMatchObject({ state: 'error', error: { reason: 'nesting-too-deep' } });
  });

  it('given a long array parameter checked against long allowedValues, when bound, then it takes linear time', () => {
    const allowedValues = Array.from({ length: 20_000 }, (_, i) => `v${i}`);
    const policy = compiled(definition({ field: 'name', in: "[parameters('names')]" }, { parameters: { names: { type: 'Array', allowedValues } } }));
    const { result, ms } = timed(() => policy.bind({ names: [...allowedValues].reverse() }));
    expect(result.ok).toBe(true);
    expect(policy.bind({ names: ['v1', 'nope'] })).toMatchObject({ ok: false, refusal: { reason: 'invalid-parameter' } });
    expect(ms).toBeLessThan(2_000); // linear, not quadratic: generous for a busy machine
  });

  it('given every definition of the corpus, when compiled, then none is refused because of a limit', () => {
    const corpus = join(__dirname, '..', '..', 'corpus', 'azure-policy');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.json') ? [join(dir, f)] : []));
    const refused = files(corpus)
      .map((file) => compilePolicy(JSON.parse(readFileSync(file, 'utf8'))))
      .filter((r) => !r.ok && ['definition-too-large', 'parameters-too-large', 'nesting-too-deep', 'too-many-conditions'].includes(r.refusal.reason));
    expect(refused).toEqual([]);
  });
});

describe('an evaluation past its budget of steps is an error, never a verdict', () => {
  const countOver = (n: number, where: unknown) => ({ count: { value: `[range(0, ${n})]`, where }, greater: 0 });
  const never = { value: '[current()]', less: 0 };

  it.each([
    ['counts nested three deep', countOver(1_000, countOver(1_000, countOver(1_000, never)))],
    ['a count over two million members', countOver(2_000_000, never)],
    ['a count whose where calls a function over a long parameter', countOver(10_000, { value: "[toLower(parameters('long'))]", equals: 'x' })],
    ['a string doubled forty times', { value: `[${'replace('.repeat(40)}'ab'${", 'a', 'aa')".repeat(40)}]`, equals: 'x' }],
    ['padLeft to 400 million characters', { value: "[padLeft('a', 400000000, 'b')]", equals: 'x' }],
    ['a range of a billion numbers', { value: '[length(range(0, 1000000000))]', equals: 1 }],
    ['the union of two 5,000-element arrays', { value: '[length(union(range(0, 5000), range(0, 5000)))]', equals: 1 }],
    ['a count whose where matches a long pattern', countOver(10_000, { value: "[parameters('long')]", match: "[concat(parameters('long'), '#')]" })],
    ['a count whose where likes a long pattern', countOver(10_000, { value: "[parameters('long')]", like: "[concat('*', parameters('long'), '*y')]" })],
  ])('given %s, when evaluated, then the state is error (evaluation-budget-exceeded), quickly, also under not', (_what, condition) => {
    const parameters = { long: { type: 'String', defaultValue: 'x'.repeat(100_000) } };
    const rule = compiled(definition({ allOf: [TYPE_IS_STORAGE, condition] }, { parameters }));
    const negated = compiled(definition({ allOf: [TYPE_IS_STORAGE, { not: condition }] }, { parameters }));
    for (const policy of [rule, negated])
      for (const explain of [false, true]) {
        const { result, ms } = timed(() => policy.evaluate(storageAccount(), { explain }));
        expect(result).toMatchObject({ state: 'error', explanation: { reason: 'evaluation-failed' }, error: { reason: 'evaluation-budget-exceeded' } });
        expect(ms).toBeLessThan(2_500); // the budget stops it: generous for a busy machine
      }
  });

  it('given an evaluation that needs half the budget, when evaluated twice, then both answer: the budget is per evaluation', () => {
    // range: a step per number; the loop: two per member, and the where condition two more.
    const policy = compiled(definition({ allOf: [TYPE_IS_STORAGE, countOver(Math.floor(LIMITS.evaluationSteps / 10), never)] }));
    expect([policy.evaluate(storageAccount()).state, policy.evaluate(storageAccount()).state]).toEqual(['compliant', 'compliant']);
  });

  it('given the heaviest network rule of the corpus and an NSG with 1,000 rules (Azure\'s maximum), when evaluated, then it answers within the budget', () => {
    const file = join(__dirname, '..', '..', 'corpus', 'azure-policy', 'alz', 'policyDefinitions', 'Deny-MgmtPorts-From-Internet.json');
    const policy = compiled(JSON.parse(readFileSync(file, 'utf8')));
    const rule = (i: number, source: string) => ({
      name: `rule-${i}`,
      properties: { access: 'Allow', direction: 'Inbound', protocol: 'Tcp', priority: 100 + i, destinationPortRange: `${1_000 + i}`, destinationPortRanges: ['22', '80-90', '3380-3390'], sourceAddressPrefix: source, sourceAddressPrefixes: [] },
    });
    const nsg = (source: string) => ({
      id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/networkSecurityGroups/nsg-1',
      name: 'nsg-1',
      type: 'Microsoft.Network/networkSecurityGroups',
      location: 'westeurope',
      properties: { securityRules: Array.from({ length: 1_000 }, (_, i) => rule(i, source)) },
    });
    // Every rule looked at (none open to the Internet), and every rule open.
    expect(policy.evaluate(nsg('10.0.0.0/8')).state).toBe('compliant');
    expect(policy.evaluate(nsg('Internet')).state).toBe('nonCompliant');
  });

  it('given max over 100,000 numbers, when evaluated, then it answers (spreading them into Math.max threw a RangeError)', () => {
    expect(outcome({ value: '[max(range(0, 100000))]', equals: 99_999 })).toBe('match');
    expect(outcome({ value: '[min(range(5, 100000))]', equals: 5 })).toBe('match');
  });

  it('given json() of a text nested 100,000 deep, when evaluated, then the function fails (no stack overflow later)', () => {
    const parameters = { text: { type: 'String', defaultValue: `${'['.repeat(100_000)}${']'.repeat(100_000)}` } };
    expect(outcome({ value: "[string(json(parameters('text')))]", equals: 'x' }, storageAccount(), { parameters })).toBe('error: function-failed');
  });

  it('given two objects whose 6,000 keys differ in case, when compared with equals(), then they are equal, in linear time', () => {
    const keys = Array.from({ length: 6_000 }, (_, i) => `key${i}`);
    const parameters = {
      a: { type: 'Object', defaultValue: Object.fromEntries(keys.map((k, i) => [k, i])) },
      b: { type: 'Object', defaultValue: Object.fromEntries(keys.map((k, i) => [k.toUpperCase(), i])) },
    };
    const { result, ms } = timed(() => outcome({ value: "[equals(parameters('a'), parameters('b'))]", equals: true }, storageAccount(), { parameters }));
    expect(result).toBe('match');
    expect(ms).toBeLessThan(2_500); // the budget stops it: generous for a busy machine
  });
});
