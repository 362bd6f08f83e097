// The index of assignments by resource type must never change a verdict: for every resource, the
// verdicts it gives are those of evaluating every assignment, explained or not, whatever resources
// came before. Checked over the corpus with resources that vary what a route is keyed on (type
// spelling, location) and what it must not assume (kind, name, odd types), then case by case for
// rules the type alone cannot settle.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compiled, definition } from '../testing/rules';
import { indexAssignments } from './assignment-index';
import type { EvaluationContext, PolicyAssignment } from './policy';
import type { PolicyResource } from './resource';

const corpusDir = join(__dirname, '..', '..', 'corpus', 'azure-policy');
const listJson = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      if (statSync(path).isDirectory()) return f === 'policySetDefinitions' ? [] : listJson(path);
      return f.endsWith('.json') ? [path] : [];
    });

const sub = '/subscriptions/sub-1';
const rg = `${sub}/resourceGroups/rg-1`;
const at = (path: string) => `${rg}/providers/${path}`;
const STORAGE = 'Microsoft.Storage/storageAccounts';

const resources: PolicyResource[] = [
  { id: at(`${STORAGE}/a`), name: 'a', type: STORAGE, location: 'westeurope', kind: 'StorageV2', properties: { allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0' } },
  { id: at(`${STORAGE}/b`), name: 'b', type: STORAGE, location: 'westeurope', properties: { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' } },
  { id: at(`${STORAGE}/clusterx`), name: 'clusterx', type: STORAGE.toLowerCase(), location: 'westeurope', properties: { allowBlobPublicAccess: true } },
  { id: at(`${STORAGE}/c`), name: 'c', type: STORAGE.toUpperCase(), Location: 'West Europe', properties: {} },
  { id: at(`${STORAGE}/d`), name: 'd', type: STORAGE, location: '  ', properties: { allowBlobPublicAccess: true } },
  { id: at(`${STORAGE}/e`), name: 'e', type: STORAGE, properties: { allowBlobPublicAccess: true } },
  { id: at('Microsoft.Web/sites/app'), name: 'app', type: 'Microsoft.Web/sites', location: 'westeurope', kind: 'app', properties: { httpsOnly: false } },
  { id: at('Microsoft.Web/sites/fn'), name: 'fn', type: 'Microsoft.Web/sites', location: 'westeurope', Kind: 'functionapp,linux', properties: {} },
  { id: at('Microsoft.KeyVault/vaults/kv'), name: 'kv', type: 'Microsoft.KeyVault/vaults', location: 'westeurope', properties: { enableSoftDelete: true } },
  { id: at('Microsoft.Network/networkSecurityGroups/n/securityRules/r'), name: 'r', type: 'Microsoft.Network/networkSecurityGroups/securityRules', properties: { access: 'Allow', direction: 'Inbound', destinationPortRange: '3389', sourceAddressPrefix: '*' } },
  { id: at('Microsoft.Network/virtualNetworks/v/subnets/s'), name: 's', type: 'Microsoft.Network/virtualNetworks/subnets', properties: {} },
  { id: at('Microsoft.Network/virtualNetworks/v/subnets/t'), name: 't', type: 'Microsoft.Network/virtualNetworks/subnets', LOCATION: 'westeurope', properties: {} },
  { id: at('Microsoft.Sql/servers/sql'), name: 'sql', type: 'Microsoft.Sql/servers', location: 'westeurope', properties: { publicNetworkAccess: 'Enabled' } },
  { id: sub, name: 'sub-1', type: 'Microsoft.Resources/subscriptions' },
  { id: rg, name: 'rg-1', type: 'Microsoft.Resources/resourceGroups', location: 'westeurope', tags: { app: 'x' } },
  { id: at('Microsoft.Resources/deployments/dep'), name: 'dep', type: 'Microsoft.Resources/deployments', location: 'westeurope' },
  { id: at('Microsoft.Foo/bars/x'), name: 'x', Type: STORAGE, location: 'westeurope', properties: {} } as unknown as PolicyResource,
];

const context: EvaluationContext = { now: new Date('2026-12-06T00:00:00Z'), related: () => [] };

/** The index over `indexed` against evaluating every one of `every` (bound alike, nothing remembered yet), resource by resource. */
const expectIndexedEqualsEvery = (indexed: readonly PolicyAssignment[], every: readonly PolicyAssignment[], order: readonly PolicyResource[], explain: boolean) => {
  const index = indexAssignments(indexed);
  const ctx = { ...context, explain };
  for (const resource of order) {
    const verdicts = index.evaluate(resource, ctx);
    const expected = every.map((a) => a.evaluate(resource, ctx));
    expected.forEach((v, i) => {
      if (!isDeepStrictEqual(verdicts[i], v)) throw new Error(`assignment ${i}, ${resource.name}: indexed ${JSON.stringify(verdicts[i])}, evaluated ${JSON.stringify(v)}`);
    });
  }
};

const bindAll = (policies: readonly ReturnType<typeof compiled>[]) =>
  policies.map((p) => {
    const bound = p.bind({});
    if (!bound.ok) throw new Error(bound.refusal.message);
    return bound.assignment;
  });

describe('the index of assignments by resource type', () => {
  const corpus = listJson(corpusDir).flatMap((path) => {
    try {
      const policy = compiled(JSON.parse(readFileSync(path, 'utf8')));
      return policy.bind({}).ok ? [policy] : [];
    } catch {
      return [];
    }
  });

  it.each([true, false])('given the corpus assigned (explain: %s), when resources come in either order, then each verdict is the one evaluating every assignment gives', (explain) => {
    expect(corpus.length).toBeGreaterThan(70);
    expectIndexedEqualsEvery(bindAll(corpus), bindAll(corpus), resources, explain);
    expectIndexedEqualsEvery(bindAll(corpus), bindAll(corpus), [...resources].reverse(), explain);
    // The index after the assignments have seen other resources; then the other way round.
    const warm = bindAll(corpus);
    for (const r of resources) warm.forEach((a) => a.evaluate(r, context));
    expectIndexedEqualsEvery(warm, bindAll(corpus), resources, explain);
  });

  it('given a resource of a type no rule of the corpus selects, then the index evaluates none of them', () => {
    const index = indexAssignments(bindAll(corpus));
    const route = index.route({ id: at('Microsoft.Nothing/here/x'), name: 'x', type: 'Microsoft.Nothing/here', location: 'westeurope' });
    const typeFree = route.evaluate.map((i) => index.assignments[i]);
    // What is left reads more than the type: rules without a type condition (tags, locations) or with a pattern.
    expect(route.evaluate.length).toBeLessThan(corpus.length / 4);
    expect(route.fixed.filter((v) => v !== undefined).every((v) => v?.state === 'notApplicable')).toBe(true);
    expect(typeFree.length).toBe(route.evaluate.length);
  });

  it.each([
    ['no type condition', { field: 'tags.app', exists: false }],
    ['a type read from the resource', { field: 'type', equals: "[concat('Microsoft.Storage/', field('kind'))]" }],
    ['a name beside the type', { anyOf: [{ field: 'type', equals: STORAGE }, { field: 'name', equals: 'kv' }] }],
  ])('given a rule with %s, then it is evaluated for every resource, and gives what it gives unindexed', (_what, rule) => {
    const policy = compiled(definition(rule, { mode: 'All' }));
    const index = indexAssignments(bindAll([policy]));
    for (const r of resources) if (!String(r.type).toLowerCase().startsWith('microsoft.resources/')) expect(index.route(r).evaluate).toEqual([0]);
    for (const explain of [true, false]) expectIndexedEqualsEvery(bindAll([policy]), bindAll([policy]), resources, explain);
  });

  it('given a type pattern, then the types it cannot match are decided by the type, as equals is', () => {
    const policy = compiled(definition({ allOf: [{ field: 'type', like: 'Microsoft.Storage/*' }, { field: 'name', notEquals: 'b' }] }, { mode: 'All' }));
    const index = indexAssignments(bindAll([policy]));
    const evaluated = resources.filter((r) => index.route(r).evaluate.length > 0).map((r) => r.name);
    expect(evaluated).toEqual(['a', 'b', 'clusterx', 'c', 'd', 'e', 'x']); // storage accounts in any spelling, and the one without a string type
    for (const explain of [true, false]) expectIndexedEqualsEvery(bindAll([policy]), bindAll([policy]), resources, explain);
  });

  it('given a rule of one type, then other types take the verdict the type decided, once per type spelling and location', () => {
    const policy = compiled(definition({ allOf: [{ field: 'type', equals: STORAGE }, { field: `${STORAGE}/allowBlobPublicAccess`, equals: true }] }, { mode: 'Indexed' }));
    const index = indexAssignments(bindAll([policy]));
    const [account, , , upper, blank, none, , , vault, , subnet] = resources;
    expect(index.route(account).evaluate).toEqual([0]);
    expect(index.route(upper).evaluate).toEqual([0]);
    // Without a location, a storage account is judged by its type (it supports one); with a blank one, mode Indexed excludes it.
    expect(index.route(none).evaluate).toEqual([0]);
    expect(index.route(blank)).toMatchObject({ evaluate: [], fixed: [{ state: 'notApplicable', explanation: { reason: 'mode-excludes-resource' } }] });
    expect(index.route(vault)).toMatchObject({ evaluate: [], fixed: [{ state: 'notApplicable', explanation: { reason: 'not-targeted' } }] });
    expect(index.route(subnet)).toMatchObject({ evaluate: [], fixed: [{ state: 'notApplicable', explanation: { reason: 'mode-excludes-resource' } }] });
    expect(index.route(vault)).toBe(index.route({ ...vault, name: 'other' }));
  });

  it('given a Disabled effect, then every resource takes its verdict without an evaluation', () => {
    const policy = compiled(definition({ field: 'name', equals: 'a' }, { effect: 'Disabled' }));
    const index = indexAssignments(bindAll([policy]));
    const typed = resources.filter((r) => typeof r.type === 'string');
    for (const r of typed) expect(index.route(r)).toMatchObject({ evaluate: [], fixed: [{ state: 'compliant', disabled: true }] });
    // A resource without a string type has no route: every assignment is evaluated, with the same verdict.
    const untyped = resources.find((r) => typeof r.type !== 'string') as PolicyResource;
    expect(index.route(untyped).evaluate).toEqual([0]);
    expect(index.evaluate(untyped, context)).toEqual([expect.objectContaining({ state: 'compliant', disabled: true })]);
  });

  it('given more type spellings than it keeps routes for, then it evaluates every assignment for the others, with the same verdicts', () => {
    const policy = compiled(definition({ field: 'type', equals: STORAGE }));
    const index = indexAssignments(bindAll([policy]));
    const every = bindAll([policy]);
    const many = Array.from({ length: 4_200 }, (_, i) => ({ id: at(`Microsoft.Many/t${i}/x`), name: 'x', type: `Microsoft.Many/t${i}`, location: 'westeurope' }));
    for (const r of many) expect(index.evaluate(r, context)).toEqual(every.map((a) => a.evaluate(r, context)));
    expect(many.slice(4_096).every((r) => index.route(r).evaluate.length === 1)).toBe(true);
  });
});
