// What an assignment works out once per resource type (and kind) must never change a verdict: a
// resource evaluated after others of its type gets exactly the verdict a fresh assignment gives it,
// explained or not. Checked over the whole corpus and resources with the awkward variants, then case
// by case for what a per-type shortcut could get wrong.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compiled, definition } from '../testing/rules';
import { type CompiledPolicy, type EvaluationContext, type Verdict } from './policy';
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
const account = (name: string, extra: Partial<PolicyResource> = {}, properties: Record<string, unknown> = {}): PolicyResource => ({
  id: at(`Microsoft.Storage/storageAccounts/${name}`),
  name,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  kind: 'StorageV2',
  properties,
  ...extra,
});
const site = (name: string, top: Record<string, unknown>, properties: Record<string, unknown> = {}): PolicyResource => ({
  id: at(`Microsoft.Web/sites/${name}`),
  name,
  type: 'Microsoft.Web/sites',
  location: 'westeurope',
  properties,
  ...top,
});
const vault = (name: string, properties: Record<string, unknown>): PolicyResource => ({
  id: at(`Microsoft.KeyVault/vaults/${name}`),
  name,
  type: 'Microsoft.KeyVault/vaults',
  location: 'westeurope',
  properties,
});
const securityRule = (name: string, properties: Record<string, unknown>): PolicyResource => ({
  id: at(`Microsoft.Network/networkSecurityGroups/nsg/securityRules/${name}`),
  name,
  type: 'Microsoft.Network/networkSecurityGroups/securityRules',
  properties: { access: 'Allow', direction: 'Inbound', ...properties },
});

/** Resources of a few types, varied in what a per-type shortcut must not assume away. */
const resources: PolicyResource[] = [
  account('plain', {}, { allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0' }),
  account('locked', {}, { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled' }),
  account('asText', {}, { allowBlobPublicAccess: 'False' }),
  // Azure Red Hat OpenShift's own accounts are exempt by id and name
  account('clusterabc', { id: `${sub}/resourceGroups/aro-xyz/providers/Microsoft.Storage/storageAccounts/clusterabc` }, { allowBlobPublicAccess: true }),
  account('blobs', { kind: undefined, Kind: 'BlobStorage' }, { allowBlobPublicAccess: true }),
  account('capitalLocation', { location: undefined, Location: 'West Europe' }, { allowBlobPublicAccess: true }),
  account('blankLocation', { location: '  ' }, { allowBlobPublicAccess: true }),
  account('noLocation', { location: undefined }, { allowBlobPublicAccess: true }),
  account('lowerType', { type: 'microsoft.storage/storageaccounts' }, { allowBlobPublicAccess: true }),
  site('app', { kind: 'app' }, { httpsOnly: false }),
  site('secure', { kind: 'app' }, { httpsOnly: true }),
  site('func', { kind: 'functionapp' }, { httpsOnly: false }),
  site('funcLinux', { kind: 'FunctionApp,linux' }, {}),
  site('capitalKind', { Kind: 'functionapp' }, { httpsOnly: false }),
  site('noKind', {}, {}),
  vault('recovering', { createMode: 'recover' }),
  vault('soft', { enableSoftDelete: true, enablePurgeProtection: true }),
  vault('purgeOff', { enableSoftDelete: true, enablePurgeProtection: false }),
  vault('bare', {}),
  securityRule('rdp', { destinationPortRange: '3389', sourceAddressPrefix: '*' }),
  securityRule('range', { destinationPortRange: '3000-4000', sourceAddressPrefix: 'Internet' }),
  securityRule('ranges', { destinationPortRanges: ['22', '3380-3390'], sourceAddressPrefixes: ['10.0.0.0/8', '*'] }),
  securityRule('badRange', { destinationPortRange: 'a-b', sourceAddressPrefix: '*' }),
  securityRule('https', { destinationPortRange: '443', sourceAddressPrefix: '*' }),
  securityRule('outbound', { direction: 'Outbound', destinationPortRange: '3389', sourceAddressPrefix: '*' }),
  { id: at('Microsoft.Network/virtualNetworks/vnet/subnets/a'), name: 'a', type: 'Microsoft.Network/virtualNetworks/subnets', properties: {} },
  { id: at('Microsoft.Network/virtualNetworks/vnet/subnets/b'), name: 'b', type: 'Microsoft.Network/virtualNetworks/subnets', LOCATION: 'westeurope', properties: {} },
  { id: sub, name: 'sub-1', type: 'Microsoft.Resources/subscriptions' },
  { id: rg, name: 'rg-1', type: 'Microsoft.Resources/resourceGroups', location: 'westeurope', tags: { app: 'x' } },
  { id: `${rg}/providers/Microsoft.Resources/deployments/d1`, name: 'd1', type: 'Microsoft.Resources/deployments', properties: {} },
  { id: at('Microsoft.Sql/servers/sql1'), name: 'sql1', type: 'Microsoft.Sql/servers', location: 'westeurope', properties: { publicNetworkAccess: 'Enabled' } },
  { id: at('Microsoft.Sql/servers/sql2'), name: 'sql2', type: 'Microsoft.Sql/servers', location: 'westeurope', properties: { publicNetworkAccess: 'Disabled' } },
  // not a string type: never remembered
  { id: at('Microsoft.Foo/bars/x'), name: 'x', Type: 'Microsoft.Web/sites', location: 'westeurope', properties: {} } as unknown as PolicyResource,
];

const context: EvaluationContext = { now: new Date('2026-11-29T00:00:00Z'), related: () => [] };
const quietContext: EvaluationContext = { ...context, explain: false };
const withoutConditions = (v: Verdict): Verdict => ({ ...v, explanation: { ...v.explanation, conditions: [] } });

/** The verdict of an assignment that has seen nothing before. */
const fresh = (policy: CompiledPolicy, resource: PolicyResource) => policy.evaluate(resource, { ...context, parameters: {} });

const expectWarmEqualsFresh = (policy: CompiledPolicy, order: readonly PolicyResource[], name: string) => {
  const warm = { ...context, parameters: {} };
  const quiet = { ...quietContext, parameters: {} };
  for (const resource of order) {
    const expected = fresh(policy, resource);
    const explained = policy.evaluate(resource, warm);
    const stateOnly = policy.evaluate(resource, quiet);
    if (!isDeepStrictEqual(explained, expected) || !isDeepStrictEqual(stateOnly, withoutConditions(expected)))
      throw new Error(`${name}, ${resource.name}: remembered ${JSON.stringify(explained)} / ${JSON.stringify(stateOnly)}, fresh ${JSON.stringify(expected)}`);
  }
};

describe('verdicts worked out per type', () => {
  const corpus = listJson(corpusDir).flatMap((path) => {
    const json = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    try {
      const policy = compiled(json);
      return policy.bind({}).ok ? [[path.slice(corpusDir.length + 1), policy] as const] : [];
    } catch {
      return [];
    }
  });

  it('covers most of the corpus', () => {
    expect(corpus.length).toBeGreaterThan(70);
  });

  it.each(corpus)('given %s, when resources of one type follow each other in any order, then each verdict is the one a fresh assignment gives', (name, policy) => {
    // Each order on its own assignment: `policy.evaluate` binds once per parameters object.
    expectWarmEqualsFresh(policy, resources, name);
    expectWarmEqualsFresh(policy, [...resources].reverse(), `${name} (reversed)`);
  });
});

describe('what the type cannot decide', () => {
  const STORAGE = 'Microsoft.Storage/storageAccounts';

  it('given a type condition whose value reads the resource, when two resources of one type differ there, then each is decided on its own', () => {
    const rule = { allOf: [{ field: 'type', equals: "[concat('Microsoft.Storage/', field('kind'))]" }, { field: 'name', exists: true }] };
    const policy = compiled(definition(rule));
    expect(policy.evaluate(account('a', { kind: 'other' })).state).toBe('notApplicable');
    expect(policy.evaluate(account('b', { kind: 'storageAccounts' })).state).toBe('nonCompliant');
  });

  it('given a type condition that fails, when resources of that type repeat, then each evaluation is an error, never compliant', () => {
    const policy = compiled(definition({ allOf: [{ field: 'type', less: 5 }, { field: `${STORAGE}/allowBlobPublicAccess`, equals: true }] }));
    const verdicts = [account('a'), account('b'), account('c', {}, { allowBlobPublicAccess: true })].map((r) => policy.evaluate(r, quietContext));
    expect(verdicts.map((v) => [v.state, v.error?.reason])).toEqual([
      ['error', 'type-mismatch'],
      ['error', 'type-mismatch'],
      ['error', 'type-mismatch'],
    ]);
  });

  it('given a kind under another spelling (Kind), when the rule reads kind, then it is the kind that decides, as the condition reads it', () => {
    const rule = { allOf: [{ field: 'type', equals: 'Microsoft.Web/sites' }, { field: 'kind', notContains: 'functionapp' }, { field: 'Microsoft.Web/sites/httpsOnly', equals: false }] };
    const policy = compiled(definition(rule, { mode: 'Indexed' }));
    expect(policy.evaluate(site('noKind', {}, { httpsOnly: false }), quietContext).state).toBe('nonCompliant');
    expect(policy.evaluate(site('capitalKind', { Kind: 'FunctionApp' }, { httpsOnly: false }), quietContext).state).toBe('notApplicable');
    expect(policy.evaluate(site('again', {}, { httpsOnly: false }), quietContext).state).toBe('nonCompliant');
  });

  it('given name conditions beside the type, when an ordinary account was evaluated first, then an exempt name is still decided by its name', () => {
    const rule = {
      allOf: [
        { field: 'type', equals: STORAGE },
        { not: { allOf: [{ field: 'id', contains: '/resourceGroups/aro-' }, { field: 'name', like: 'cluster*' }] } },
        { not: { field: `${STORAGE}/allowBlobPublicAccess`, equals: 'false' } },
      ],
    };
    const policy = compiled(definition(rule, { mode: 'Indexed' }));
    expect(policy.evaluate(account('plain', {}, { allowBlobPublicAccess: true }), quietContext).state).toBe('nonCompliant');
    const aro = account('clusterabc', { id: `${sub}/resourceGroups/aro-xyz/providers/${STORAGE}/clusterabc` }, { allowBlobPublicAccess: true });
    expect(policy.evaluate(aro, quietContext).state).toBe('compliant');
  });

  it('given mode Indexed, when resources of one type differ in their location field, then each is judged by its own', () => {
    const policy = compiled(definition({ field: 'type', equals: 'Microsoft.Network/virtualNetworks/subnets' }, { mode: 'Indexed' }));
    const subnet = (name: string, top: Record<string, unknown>): PolicyResource => ({ id: at(`Microsoft.Network/virtualNetworks/v/subnets/${name}`), name, type: 'Microsoft.Network/virtualNetworks/subnets', ...top });
    const states = [subnet('none', {}), subnet('capital', { Location: 'westeurope' }), subnet('blank', { location: '' }), subnet('none2', {})].map((r) => policy.evaluate(r).explanation.reason);
    expect(states).toEqual(['mode-excludes-resource', 'if-true', 'mode-excludes-resource', 'mode-excludes-resource']);
  });
});
