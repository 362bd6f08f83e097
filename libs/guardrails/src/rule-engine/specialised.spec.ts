// State-only evaluation takes shortcuts the explained one never takes: the type gate (a type the
// rule cannot select is answered from its length), the rule specialised per type (closures over the
// resource that charge nothing, or that charge as they go), remembered answers of value conditions
// that read one field. Each must give exactly the verdict of the general evaluation: the explained
// verdict without its conditions, for every resource, whatever came before it.
import { isDeepStrictEqual } from 'node:util';
import { compiled, definition } from '../testing/rules';
import { LIMITS } from './limits';
import type { CompiledPolicy, EvaluationContext, Verdict } from './policy';
import type { PolicyResource } from './resource';

const sub = '/subscriptions/sub-1';
const rg = `${sub}/resourceGroups/rg-1`;
const at = (path: string) => `${rg}/providers/${path}`;
const STORAGE = 'Microsoft.Storage/storageAccounts';
const RULES = 'Microsoft.Network/networkSecurityGroups/securityRules';

const account = (name: string, top: Record<string, unknown> = {}, properties: Record<string, unknown> = {}): PolicyResource => ({
  id: at(`${STORAGE}/${name}`),
  name,
  type: STORAGE,
  location: 'westeurope',
  kind: 'StorageV2',
  tags: { env: 'prod', App: 'x' },
  properties,
  ...top,
});
const rule = (name: string, properties: Record<string, unknown>, top: Record<string, unknown> = {}): PolicyResource => ({
  id: at(`Microsoft.Network/networkSecurityGroups/nsg/securityRules/${name}`),
  name,
  type: RULES,
  properties: { access: 'Allow', direction: 'Inbound', ...properties },
  ...top,
});

/** Resources with what a shortcut could get wrong: spellings, locations, holes, odd values. */
/** An array with holes where `values` has undefined (JSON has none; a caller's object may). */
const sparse = (...values: unknown[]): unknown[] => {
  const array: unknown[] = [];
  array.length = values.length;
  values.forEach((v, i) => {
    if (v !== undefined) array[i] = v;
  });
  return array;
};
const resources: PolicyResource[] = [
  account('plain', {}, { allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0', networkAcls: { ipRules: [{ value: '1.2.3.4' }, { value: '5.6.7.8' }] } }),
  account('locked', {}, { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled', networkAcls: { ipRules: [] } }),
  account('asText', {}, { allowBlobPublicAccess: 'False', AllowBlobPublicAccess: true }),
  account('capital', {}, { AllowBlobPublicAccess: true, MinimumTlsVersion: 'TLS1_1' }),
  account('objectValue', {}, { allowBlobPublicAccess: { nested: true }, minimumTlsVersion: ['TLS1_2'] }),
  account('lowerType', { type: 'microsoft.storage/storageaccounts' }, { allowBlobPublicAccess: true }),
  account('upperType', { type: 'MICROSOFT.STORAGE/STORAGEACCOUNTS', location: undefined, Location: 'West Europe' }, { allowBlobPublicAccess: true }),
  account('blankLocation', { location: ' ' }, { allowBlobPublicAccess: true }),
  account('nullLocation', { location: null }, {}),
  account('numberLocation', { location: 5 }, {}),
  account('nbspLocation', { location: '\u00a0westeurope' }, {}),
  account('noLocation', { location: undefined }, {}),
  account('otherCaseLocation', { location: undefined, LOCATION: '' }, {}),
  account('noProperties', { properties: undefined }),
  account('minusZero', {}, { keyPolicy: { keyExpirationPeriodInDays: -0 }, allowBlobPublicAccess: 0 }),
  account('zero', {}, { keyPolicy: { keyExpirationPeriodInDays: 0 } }),
  account('nan', {}, { keyPolicy: { keyExpirationPeriodInDays: Number.NaN } }),
  account('textDays', {}, { keyPolicy: { keyExpirationPeriodInDays: '0' } }),
  rule('rdp', { destinationPortRange: '3389', sourceAddressPrefix: '*' }),
  rule('range', { destinationPortRange: '3000-4000', sourceAddressPrefix: 'Internet' }),
  rule('badRange', { destinationPortRange: 'a-b', sourceAddressPrefix: '*' }),
  rule('ranges', { destinationPortRanges: ['22', '3380-3390'], sourceAddressPrefixes: ['10.0.0.0/8', '*'] }),
  rule('holes', { destinationPortRanges: sparse('22', undefined, '3389'), sourceAddressPrefixes: sparse(undefined, '*') }),
  rule('https', { destinationPortRange: '443', sourceAddressPrefix: '*' }),
  rule('numberPort', { destinationPortRange: 3389, sourceAddressPrefix: '*' }),
  rule('outbound', { direction: 'Outbound', destinationPortRange: '3389' }),
  rule('notArray', { destinationPortRanges: '3389', sourceAddressPrefixes: { a: '*' } }),
  rule('capitalRanges', { DestinationPortRanges: ['3389', '22'], Access: 'Deny' }),
  rule('capitalProperties', {}, { properties: undefined, Properties: { access: 'Allow', destinationPortRanges: ['22'] } }),
  { id: at('Microsoft.Network/virtualNetworks/vnet/subnets/a'), name: 'a', type: 'Microsoft.Network/virtualNetworks/subnets', properties: {} },
  { id: at('Microsoft.Network/virtualNetworks/vnet/subnets/b'), name: 'b', type: 'Microsoft.Network/virtualNetworks/subnets', Location: 'westeurope', properties: {} },
  { id: at('Microsoft.Web/sites/app'), name: 'app', type: 'Microsoft.Web/sites', location: 'westeurope', kind: 'app', properties: { httpsOnly: false } },
  { id: at('Microsoft.Web/sites/fn'), name: 'fn', type: 'Microsoft.Web/sites', location: 'westeurope', Kind: 'functionapp', properties: {} },
  { id: sub, name: 'sub-1', type: 'Microsoft.Resources/subscriptions' },
  { id: rg, name: 'rg-1', type: 'Microsoft.Resources/resourceGroups', location: 'westeurope' },
  { id: at('Microsoft.Resources/deployments/d'), name: 'd', type: 'microsoft.RESOURCES/deployments', location: 'westeurope' },
  { id: at('Microsoft.Foo/bars/x'), name: 'x', Type: STORAGE, location: 'westeurope', properties: {} } as unknown as PolicyResource,
  { id: at('Microsoft.Foo/bars/y'), name: 'y', type: 42, location: 'westeurope', properties: {} } as unknown as PolicyResource,
];

const context: EvaluationContext = { now: new Date('2026-12-06T00:00:00Z'), related: () => [] };
const withoutConditions = (v: Verdict): Verdict => ({ ...v, explanation: { ...v.explanation, conditions: [] } });

/**
 * Each resource in `order` on one warm assignment: the state-only verdict equals the explained one
 * (which never takes a shortcut) without its conditions. State-only first, so the shortcuts are
 * worked out on it.
 */
const expectShortcutsExact = (policy: CompiledPolicy, order: readonly PolicyResource[], parameters: Record<string, unknown> = {}, extra: Omit<EvaluationContext, 'parameters'> = {}) => {
  const quiet = { ...context, ...extra, parameters, explain: false };
  const explained = { ...context, ...extra, parameters: { ...parameters } };
  const verdicts = order.map((r) => policy.evaluate(r, quiet));
  order.forEach((r, i) => {
    const expected = withoutConditions(policy.evaluate(r, explained));
    if (!isDeepStrictEqual(verdicts[i], expected)) throw new Error(`${r.name}: state-only ${JSON.stringify(verdicts[i])}, explained ${JSON.stringify(expected)}`);
    if (!isDeepStrictEqual(policy.evaluate(r, quiet), expected)) throw new Error(`${r.name}: again state-only differs`);
  });
  return verdicts;
};

const both = (policy: CompiledPolicy, parameters?: Record<string, unknown>, extra?: Omit<EvaluationContext, 'parameters'>) => {
  expectShortcutsExact(policy, resources, parameters, extra);
  return expectShortcutsExact(compiledAgain(policy), [...resources].reverse(), parameters, extra);
};
const sources = new WeakMap<CompiledPolicy, unknown>();
const policyOf = (rule: unknown, options: Parameters<typeof definition>[1] = {}) => {
  const input = definition(rule, options);
  const policy = compiled(input);
  sources.set(policy, input);
  return policy;
};
const compiledAgain = (policy: CompiledPolicy) => compiled(sources.get(policy));

const typeIs = (type: string) => ({ field: 'type', equals: type });

describe('the type gate: a type the rule cannot select, answered without looking it up', () => {
  it.each([
    ['equals', { allOf: [typeIs(STORAGE), { field: `${STORAGE}/allowBlobPublicAccess`, equals: true }] }],
    ['in', { allOf: [{ field: 'type', in: [STORAGE, RULES] }, { field: 'name', notEquals: 'x' }] }],
    ['not notEquals', { allOf: [{ not: { field: 'type', notEquals: STORAGE } }, { field: 'name', like: 'p*' }] }],
    ['anyOf of types', { anyOf: [typeIs(STORAGE), typeIs(RULES)] }],
    ['a number', { allOf: [{ field: 'type', equals: 42 }, { field: 'name', exists: true }] }],
    ['in with a hole and a number', { field: 'type', in: [STORAGE, 7, null] }],
    ['notIn', { field: 'type', notIn: [STORAGE] }],
    ['a name condition first', { allOf: [{ field: 'name', like: 'p*' }, typeIs(STORAGE)] }],
    ['a pattern', { field: 'type', like: 'Microsoft.Storage/*' }],
    ['a type that fails', { allOf: [{ field: 'type', less: 5 }, typeIs(STORAGE)] }],
    ['in a non-array', { allOf: [{ field: 'type', in: STORAGE }] }],
  ])('given a rule whose type condition is %s, in both modes, then every verdict is the general one', (_what, rule) => {
    for (const mode of ['All', 'Indexed']) both(policyOf(rule, { mode }));
  });

  it('given the type from a parameter, then the gate follows the assigned value', () => {
    const policy = policyOf({ allOf: [{ field: 'type', in: '[parameters(\'types\')]' }, { field: 'name', exists: true }] }, { mode: 'Indexed', parameters: { types: { type: 'Array' } } });
    both(policy, { types: [STORAGE] });
    both(policy, { types: [RULES, 'Microsoft.Web/sites'] });
    both(policy, { types: 'not an array' as never });
  });

  it('given a location rule, then subscriptions are excluded as the plan excludes them', () => {
    both(policyOf({ allOf: [typeIs(STORAGE), { field: 'location', notIn: ['westeurope'] }] }));
  });
});

describe('the rule specialised for a type', () => {
  it.each([
    ['literal comparisons', { allOf: [typeIs(STORAGE), { field: `${STORAGE}/allowBlobPublicAccess`, notEquals: false }, { field: `${STORAGE}/minimumTlsVersion`, in: ['TLS1_0', 'TLS1_1'] }] }],
    ['one that fails per resource', { allOf: [typeIs(STORAGE), { field: `${STORAGE}/allowBlobPublicAccess`, contains: 'x' }] }],
    ['ordering that fails', { anyOf: [{ field: `${STORAGE}/minimumTlsVersion`, greater: 1 }, { field: 'name', less: 'm' }] }],
    ['location, tags and keywords', { anyOf: [{ field: 'location', equals: 'West Europe' }, { field: 'tags.app', exists: false }, { field: "tags['env']", equals: 'PROD' }, { field: 'kind', like: 'storage*' }, { field: 'fullName', match: '??????' }] }],
    ['identity and id', { allOf: [{ field: 'id', contains: '/resourceGroups/RG-1/' }, { field: 'identity.type', exists: false }] }],
    ['a parameter operand', { allOf: [typeIs(STORAGE), { field: `${STORAGE}/minimumTlsVersion`, notIn: "[parameters('allowed')]" }] }],
    ['a computed field', { allOf: [typeIs(STORAGE), { field: "[concat('tags[', parameters('tag'), ']')]", exists: false }] }],
    ['a computed alias of another type', { field: "[concat(parameters('prefix'), '/destinationPortRange')]", equals: '3389' }],
    ['an alias of another type', { allOf: [{ field: `${RULES}/access`, equals: 'Allow' }, { field: 'name', exists: true }] }],
    ['constants', { anyOf: [{ value: 'a', equals: 'b' }, { allOf: [{ value: "[parameters('tag')]", equals: 'App' }, { field: 'name', notLike: 'l*' }] }] }],
    ['requestContext', { allOf: [typeIs(STORAGE), { value: '[requestContext().apiVersion]', greaterOrEquals: '2019-01-01' }, { field: 'name', exists: true }] }],
    ['requestContext where none is known', { value: '[requestContext().apiVersion]', less: '2019-01-01' }],
  ])('given %s, then every state-only verdict is the general one', (_what, rule) => {
    const parameters = { allowed: { type: 'Array', defaultValue: ['TLS1_2'] }, tag: { type: 'String', defaultValue: 'App' }, prefix: { type: 'String', defaultValue: RULES } };
    for (const mode of ['All', 'Indexed']) {
      both(policyOf(rule, { mode, parameters }));
      both(policyOf(rule, { mode, parameters }), {}, { apiVersion: '2018-01-01' });
    }
  });

  it.each([
    ['[*] fields', { allOf: [typeIs(RULES), { field: `${RULES}/destinationPortRanges[*]`, notEquals: '3389' }, { not: { field: `${RULES}/sourceAddressPrefixes[*]`, notEquals: '*' } }] }],
    ['a [*] field every element of which must match', { anyOf: [{ field: `${RULES}/sourceAddressPrefixes[*]`, equals: '*' }, { field: `${RULES}/destinationPortRanges[*]`, like: '*' }] }],
    ['[*] under an object', { field: `${STORAGE}/networkAcls.ipRules[*].value`, notEquals: '1.2.3.4' }],
    ['a count', { allOf: [typeIs(RULES), { count: { field: `${RULES}/destinationPortRanges[*]`, where: { value: "[current()]", equals: '3389' } }, greater: 0 }] }],
    ['a count without where', { count: { field: `${STORAGE}/networkAcls.ipRules[*]` }, less: "[length(parameters('allowed'))]" }],
    ['a count of values', { count: { value: "[parameters('allowed')]", name: 'v', where: { field: `${STORAGE}/minimumTlsVersion`, equals: "[current('v')]" } }, equals: 0 }],
    ['expressions of one field', { anyOf: [{ value: `[if(contains(string(field('${RULES}/destinationPortRange')), '-'), int(first(split(field('${RULES}/destinationPortRange'), '-'))), 0)]`, less: 3389 }, { value: `[div(1, field('${STORAGE}/keyPolicy.keyExpirationPeriodInDays'))]`, less: 0 }] }],
    ['an expression that fails for some values', { value: `[int(field('${RULES}/destinationPortRange'))]`, greater: 1000 }],
    ['an expression of two fields', { value: `[concat(field('name'), field('${RULES}/access'))]`, like: '*Allow' }],
    [
      '[*] fields, a count and plain fields reading one object',
      {
        allOf: [
          typeIs(RULES),
          { field: `${RULES}/access`, equals: 'Allow' },
          { field: `${RULES}/destinationPortRanges[*]`, notEquals: '443' },
          { not: { field: `${RULES}/destinationPortRanges[*]`, equals: '3389' } },
          { count: { field: `${RULES}/destinationPortRanges[*]` }, less: 3 },
          { field: `${RULES}/destinationPortRange`, exists: false },
        ],
      },
    ],
  ])('given %s (charged as it goes), then every state-only verdict is the general one', (_what, rule) => {
    const parameters = { allowed: { type: 'Array', defaultValue: ['TLS1_2', 'TLS1_1'] } };
    for (const effect of ['Audit', 'AuditIfNotExists']) {
      const details = { type: 'Microsoft.Insights/diagnosticSettings', existenceCondition: { field: 'name', equals: 'x' } };
      both(policyOf(rule, { mode: 'All', parameters, effect, details }));
    }
  });

  it('given a rule at its step budget, when the remembered answer of a value condition is charged again, then the evaluation that runs out is the same one', () => {
    // A count of as many values as the `n` tag says spends about 3n steps; the value condition after
    // it reads only the name, whose answer was remembered from a cheap resource of the same name.
    // Around the n where the general evaluation first runs out (within that value condition: it
    // costs more than one more count member), each verdict is the same.
    const policy = compiled(
      definition({
        allOf: [
          typeIs(STORAGE),
          { count: { value: "[range(0, int(field('tags.n')))]", where: { value: '[current()]', greaterOrEquals: 0 } }, greaterOrEquals: 0 },
          { value: "[concat(field('name'), string(length(split(concat(field('name'), field('name'), field('name')), 'a'))))]", notEquals: 'x' },
        ],
      }),
    );
    const quiet = { ...context, parameters: {}, explain: false };
    const explained = { ...context, parameters: {} };
    const withCount = (n: number) => account('plain', { tags: { n: String(n) } });
    const stateOnly = (n: number) => {
      expect(policy.evaluate(withCount(1), quiet).state).not.toBe('error'); // remembered for the name `plain`
      return policy.evaluate(withCount(n), quiet);
    };
    let low = 1;
    let high: number = LIMITS.evaluationSteps;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (policy.evaluate(withCount(middle), explained).state === 'error') high = middle;
      else low = middle;
    }
    for (const n of [low - 1, low, high, high + 1]) expect(stateOnly(n)).toEqual(withoutConditions(policy.evaluate(withCount(n), explained)));
    expect(stateOnly(high)).toMatchObject({ state: 'error', error: { reason: 'evaluation-budget-exceeded', path: 'if.allOf[2]' } });
  });
});

describe('the state kept for metered evaluations', () => {
  it('given an evaluation that starts inside another one (from the related-resource lookup), then each keeps its own resource and budget', () => {
    const policy = policyOf(
      { allOf: [typeIs(RULES), { field: `${RULES}/destinationPortRanges[*]`, notEquals: '22' }] },
      { effect: 'AuditIfNotExists', details: { type: 'Microsoft.Insights/diagnosticSettings', existenceCondition: { field: 'name', equals: 'keep' } } },
    );
    const outer = rule('outer', { destinationPortRanges: ['3389'] });
    const inner = rule('inner', { destinationPortRanges: ['22'] });
    const setting = { id: `${outer.id}/providers/Microsoft.Insights/diagnosticSettings/keep`, name: 'keep', type: 'Microsoft.Insights/diagnosticSettings' };
    const innerVerdicts: Verdict[] = [];
    const reentrant: EvaluationContext = {
      ...context,
      explain: false,
      related: () => {
        innerVerdicts.push(policy.evaluate(inner, { ...context, explain: false }));
        return [setting];
      },
    };
    // A resource of the type first: the type's plan is worked out, so both take the metered path.
    policy.evaluate(rule('first', { destinationPortRanges: ['80'] }), { ...context, explain: false });
    expect(policy.evaluate(outer, reentrant)).toMatchObject({ state: 'compliant', explanation: { reason: 'related-resource-satisfies' } });
    expect(innerVerdicts).toEqual([expect.objectContaining({ state: 'notApplicable' })]);
    // And the state is reusable afterwards: the same verdicts as the general evaluation.
    expectShortcutsExact(policy, [outer, inner, ...resources]);
  });
});
