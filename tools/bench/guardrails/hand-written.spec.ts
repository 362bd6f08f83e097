// The benchmark checks that the hand-written rules agree with the engine on the synthetic tenant;
// these are the cases that tenant lacks (odd casing, strings for booleans, port ranges, exempt
// names, missing or blank locations), so a change of the engine's semantics shows up here first.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compilePolicy, type PolicyResource } from '@rampart/guardrails';
import { normaliseArmResource, type ResourceSnapshot } from '@rampart/inventory';
import { HAND_WRITTEN_RULES } from './hand-written';

const corpus = path.join(__dirname, '..', '..', '..', 'libs', 'guardrails', 'corpus', 'azure-policy');

/** An ARM body of `type` normalised as ingestion does; `top` overrides or adds top-level fields. */
const snapshot = (type: string, properties: Record<string, unknown>, { group = 'rg-app', name = 'res1', ...top }: Record<string, unknown> = {}): ResourceSnapshot => {
  const [namespace, ...types] = type.split('/');
  const segments = types.map((t, i) => `${t}/${i === types.length - 1 ? String(name) : `parent${i}`}`).join('/');
  const id = `/subscriptions/sub-1/resourceGroups/${String(group)}/providers/${namespace}/${segments}`;
  const normalised = normaliseArmResource({ id, name, type, location: 'westeurope', properties, ...top });
  if (!normalised.ok) throw new Error(normalised.reason);
  return normalised.resource;
};

const rule = (definition: string) => {
  const handWritten = HAND_WRITTEN_RULES.find((r) => r.definition === definition);
  if (!handWritten) throw new Error(`no hand-written rule for ${definition}`);
  const compiled = compilePolicy(JSON.parse(readFileSync(path.join(corpus, definition), 'utf8')));
  if (!compiled.ok) throw new Error(compiled.refusal.message);
  const bound = compiled.policy.bind();
  if (!bound.ok) throw new Error(bound.refusal.message);
  const now = new Date('2026-01-01T00:00:00Z');
  return (s: ResourceSnapshot) => ({ engine: bound.assignment.evaluate(s as unknown as PolicyResource, { now }).state, handWritten: handWritten.evaluate(s) });
};

const STORAGE = 'Microsoft.Storage/storageAccounts';
const NSG_RULE = 'Microsoft.Network/networkSecurityGroups/securityRules';

const cases: Record<string, { readonly resource: ResourceSnapshot; readonly expected: string }[]> = {
  'built-in/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json': [
    { resource: snapshot(STORAGE, { allowBlobPublicAccess: true }), expected: 'nonCompliant' },
    { resource: snapshot(STORAGE, { allowBlobPublicAccess: 'False' }), expected: 'compliant' },
    { resource: snapshot(STORAGE, {}), expected: 'nonCompliant' },
    { resource: snapshot(STORAGE, { allowBlobPublicAccess: true }, { name: 'ClusterStore1', group: 'aro-infra' }), expected: 'compliant' },
    { resource: snapshot(STORAGE, { allowBlobPublicAccess: true }, { location: undefined }), expected: 'nonCompliant' },
    { resource: snapshot(STORAGE, { allowBlobPublicAccess: true }, { location: '  ' }), expected: 'notApplicable' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { allowBlobPublicAccess: true }), expected: 'notApplicable' },
  ],
  'built-in/App Service/Webapp_AuditHTTP_Audit.json': [
    { resource: snapshot('Microsoft.Web/sites', { httpsOnly: 'false' }, { kind: 'app' }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.Web/sites', {}, { kind: 'app,linux' }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.Web/sites', { httpsOnly: true }), expected: 'compliant' },
    { resource: snapshot('Microsoft.Web/sites', { httpsOnly: false }, { kind: 'FunctionApp,linux' }), expected: 'notApplicable' },
  ],
  'built-in/Key Vault/Recoverable_Audit.json': [
    { resource: snapshot('Microsoft.KeyVault/vaults', { enableSoftDelete: true, enablePurgeProtection: true }), expected: 'compliant' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { enablePurgeProtection: true }), expected: 'compliant' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { enableSoftDelete: 'FALSE', enablePurgeProtection: true }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { enableSoftDelete: true }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { enableSoftDelete: true, enablePurgeProtection: 'false' }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.KeyVault/vaults', { createMode: 'Recover', enableSoftDelete: false }), expected: 'compliant' },
  ],
  'built-in/SQL/SqlServer_PublicNetworkAccess_Audit.json': [
    { resource: snapshot('Microsoft.Sql/servers', { publicNetworkAccess: 'disabled' }), expected: 'compliant' },
    { resource: snapshot('Microsoft.Sql/servers', { publicNetworkAccess: 'Enabled' }), expected: 'nonCompliant' },
    { resource: snapshot('Microsoft.Sql/servers', {}), expected: 'nonCompliant' },
  ],
  'built-in/Network/NetworkSecurityGroup_RDPAccess_Audit.json': [
    ...(
      [
        [{ destinationPortRange: '3389', sourceAddressPrefix: 'Internet' }, 'nonCompliant'],
        [{ destinationPortRange: '3000-4000', sourceAddressPrefix: '*' }, 'nonCompliant'],
        [{ destinationPortRange: '3390-4000', sourceAddressPrefix: '*' }, 'compliant'],
        [{ destinationPortRange: '22', sourceAddressPrefix: 'internet' }, 'compliant'],
        [{ destinationPortRanges: ['80', '3380-3390'], sourceAddressPrefixes: ['10.0.0.0/8', 'Internet'] }, 'nonCompliant'],
        [{ destinationPortRanges: ['*'], sourceAddressPrefix: '*' }, 'nonCompliant'],
        [{ destinationPortRange: '3389', sourceAddressPrefix: 'VirtualNetwork' }, 'compliant'],
        [{ destinationPortRanges: ['3000-4000', 'low-high'], sourceAddressPrefix: '*' }, 'error'],
        [{ destinationPortRange: 'low-high', sourceAddressPrefix: '*', access: 'Deny' }, 'compliant'],
        [{ destinationPortRange: '3389', sourceAddressPrefix: '*', direction: 'Outbound' }, 'compliant'],
      ] as const
    ).map(([properties, expected]) => ({
      resource: snapshot(NSG_RULE, { access: 'Allow', direction: 'Inbound', ...properties }, { location: undefined }),
      expected,
    })),
    { resource: snapshot('Microsoft.Network/networkSecurityGroups', { securityRules: [] }), expected: 'notApplicable' },
  ],
};

describe('hand-written rules', () => {
  it('cover every rule of the benchmark', () => {
    expect(Object.keys(cases).sort()).toEqual(HAND_WRITTEN_RULES.map((r) => r.definition).sort());
  });

  for (const [definition, list] of Object.entries(cases)) {
    it(`give the engine's verdict for ${definition}`, () => {
      const evaluate = rule(definition);
      const outcomes = list.map((c) => evaluate(c.resource));
      expect(outcomes).toEqual(list.map((c) => ({ engine: c.expected, handWritten: c.expected })));
    });
  }
});
