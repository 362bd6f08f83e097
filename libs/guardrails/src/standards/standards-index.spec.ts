// Whole standards through the index by type (indexAssignments): for every resource of a small
// tenant, the verdicts of all of MCSB and all of CIS are exactly those of evaluating every member,
// explained and state-only, in either order of resources. The benchmark checks the same at 100k
// resources on state, effect and reason (tools/bench/guardrails/standards.ts); this is the exact check.
import { isDeepStrictEqual } from 'node:util';
import { builtInDefinition } from '../builtins/azure-builtins';
import { indexAssignments } from '../rule-engine/assignment-index';
import { compilePolicy, type CompiledPolicy, type EvaluationContext, type PolicyAssignment } from '../rule-engine/policy';
import type { PolicyResource } from '../rule-engine/resource';
import { azureStandards } from './standards-catalog';

const sub = '/subscriptions/00000000-0000-4000-8000-000000000001';
const rg = `${sub}/resourceGroups/rg-app`;
const at = (path: string) => `${rg}/providers/${path}`;

/** Types the standards select and types they do not, spelled and located in the ways a route is keyed on. */
const tenant: PolicyResource[] = [
  { id: sub, name: '00000000-0000-4000-8000-000000000001', type: 'Microsoft.Resources/subscriptions', properties: {} },
  { id: rg, name: 'rg-app', type: 'Microsoft.Resources/resourceGroups', location: 'westeurope', tags: { env: 'prod' } },
  { id: at('Microsoft.Storage/storageAccounts/sa1'), name: 'sa1', type: 'Microsoft.Storage/storageAccounts', location: 'westeurope', kind: 'StorageV2', sku: { name: 'Standard_LRS' }, properties: { allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0', supportsHttpsTrafficOnly: false, networkAcls: { defaultAction: 'Allow', ipRules: [] } } },
  { id: at('Microsoft.Storage/storageAccounts/sa2'), name: 'sa2', type: 'microsoft.storage/storageaccounts', location: 'westeurope', kind: 'StorageV2', properties: { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Deny' } } },
  { id: at('Microsoft.Storage/storageAccounts/sa3'), name: 'sa3', type: 'MICROSOFT.STORAGE/STORAGEACCOUNTS', Location: 'West Europe', properties: {} },
  { id: at('Microsoft.Storage/storageAccounts/sa4'), name: 'sa4', type: 'Microsoft.Storage/storageAccounts', location: ' ', properties: { allowBlobPublicAccess: true } },
  { id: at('Microsoft.Storage/storageAccounts/sa5'), name: 'sa5', type: 'Microsoft.Storage/storageAccounts', properties: { allowBlobPublicAccess: true } },
  { id: at('Microsoft.Storage/storageAccounts/sa1/providers/Microsoft.Insights/diagnosticSettings/logs'), name: 'logs', type: 'Microsoft.Insights/diagnosticSettings', properties: { logs: [{ category: 'StorageRead', enabled: true }] } },
  { id: at('Microsoft.KeyVault/vaults/kv1'), name: 'kv1', type: 'Microsoft.KeyVault/vaults', location: 'westeurope', properties: { enableSoftDelete: true, enablePurgeProtection: true, enableRbacAuthorization: true, publicNetworkAccess: 'Disabled' } },
  { id: at('Microsoft.KeyVault/vaults/kv2'), name: 'kv2', type: 'Microsoft.KeyVault/vaults', location: 'westeurope', properties: { enableSoftDelete: false } },
  { id: at('Microsoft.Web/sites/app'), name: 'app', type: 'Microsoft.Web/sites', location: 'westeurope', kind: 'app', properties: { httpsOnly: false, siteConfig: { minTlsVersion: '1.0', ftpsState: 'AllAllowed' } } },
  { id: at('Microsoft.Web/sites/fn'), name: 'fn', type: 'Microsoft.Web/sites', location: 'westeurope', kind: 'functionapp,linux', properties: { httpsOnly: true } },
  { id: at('Microsoft.Web/sites/app/config/web'), name: 'app/web', type: 'Microsoft.Web/sites/config', properties: { minTlsVersion: '1.2', ftpsState: 'Disabled', http20Enabled: true } },
  { id: at('Microsoft.Sql/servers/sql1'), name: 'sql1', type: 'Microsoft.Sql/servers', location: 'westeurope', properties: { publicNetworkAccess: 'Enabled', minimalTlsVersion: '1.0' } },
  { id: at('Microsoft.Sql/servers/sql1/databases/db1'), name: 'sql1/db1', type: 'Microsoft.Sql/servers/databases', location: 'westeurope', properties: {} },
  { id: at('Microsoft.Network/networkSecurityGroups/nsg1'), name: 'nsg1', type: 'Microsoft.Network/networkSecurityGroups', location: 'westeurope', properties: { securityRules: [{ name: 'rdp', properties: { access: 'Allow', direction: 'Inbound', destinationPortRange: '3389', sourceAddressPrefix: '*' } }] } },
  { id: at('Microsoft.Network/networkSecurityGroups/nsg1/securityRules/rdp'), name: 'rdp', type: 'Microsoft.Network/networkSecurityGroups/securityRules', properties: { access: 'Allow', direction: 'Inbound', destinationPortRange: '3389', sourceAddressPrefix: '*' } },
  { id: at('Microsoft.Network/virtualNetworks/vnet1/subnets/s1'), name: 's1', type: 'Microsoft.Network/virtualNetworks/subnets', properties: {} },
  { id: at('Microsoft.Network/virtualNetworks/vnet1/subnets/s2'), name: 's2', type: 'Microsoft.Network/virtualNetworks/subnets', LOCATION: 'westeurope', properties: { networkSecurityGroup: { id: at('Microsoft.Network/networkSecurityGroups/nsg1') } } },
  { id: at('Microsoft.Compute/virtualMachines/vm1'), name: 'vm1', type: 'Microsoft.Compute/virtualMachines', location: 'westeurope', properties: { storageProfile: { osDisk: { osType: 'Linux' }, imageReference: { publisher: 'Canonical', offer: 'UbuntuServer', sku: '18.04-LTS' } }, osProfile: { linuxConfiguration: { disablePasswordAuthentication: false } } } },
  { id: at('Microsoft.Compute/disks/d1'), name: 'd1', type: 'Microsoft.Compute/disks', location: 'westeurope', properties: { encryption: { type: 'EncryptionAtRestWithPlatformKey' } } },
  { id: at('Microsoft.ContainerService/managedClusters/aks'), name: 'aks', type: 'Microsoft.ContainerService/managedClusters', location: 'westeurope', properties: { enableRBAC: false } },
  { id: at('Microsoft.DocumentDB/databaseAccounts/cosmos'), name: 'cosmos', type: 'Microsoft.DocumentDB/databaseAccounts', location: 'westeurope', kind: 'GlobalDocumentDB', properties: { publicNetworkAccess: 'Enabled' } },
  { id: at('Microsoft.Foo/bars/odd'), name: 'odd', Type: 'Microsoft.Storage/storageAccounts', location: 'westeurope', properties: {} } as unknown as PolicyResource,
];

const context: EvaluationContext = {
  now: new Date('2026-12-06T00:00:00Z'),
  // Every resource is offered; the engine keeps those of the type and name asked for where Azure looks.
  related: () => tenant,
};

/** A standard's automated members, compiled once, bound afresh per call (nothing remembered). */
const standardMembers = (id: string) => {
  const standard = azureStandards([]).get(id);
  if (!standard) throw new Error(`no standard ${id}`);
  const compiled: { policy: CompiledPolicy; parameters: Readonly<Record<string, unknown>> }[] = [];
  for (const member of standard.members) {
    if (member.kind !== 'automated') continue;
    const result = compilePolicy(builtInDefinition(member.definitionName));
    if (!result.ok) throw new Error(`${member.definitionName}: ${result.refusal.message}`);
    compiled.push({ policy: result.policy, parameters: member.parameters });
  }
  return (): PolicyAssignment[] =>
    compiled.map(({ policy, parameters }) => {
      const bound = policy.bind(parameters);
      if (!bound.ok) throw new Error(bound.refusal.message);
      return bound.assignment;
    });
};

describe.each([
  ['all of MCSB', 'mcsb'],
  ['all of CIS', 'cis-azure-2.0.0'],
])('%s through the index by type', (_name, id) => {
  const bind = standardMembers(id);

  it.each([
    ['explained', true],
    ['state only', false],
  ])('given the tenant, %s, in either order, then every verdict is that of evaluating every member', (_what, explain) => {
    const ctx = { ...context, explain };
    let indexedPairs = 0;
    for (const order of [tenant, [...tenant].reverse()]) {
      const index = indexAssignments(bind());
      const every = bind();
      for (const resource of order) {
        const verdicts = index.evaluate(resource, ctx);
        indexedPairs += index.route(resource, explain).evaluate.length;
        every.forEach((a, i) => {
          const expected = a.evaluate(resource, ctx);
          if (!isDeepStrictEqual(verdicts[i], expected))
            throw new Error(`member ${i} on ${resource.name}: indexed ${JSON.stringify(verdicts[i])}, every member ${JSON.stringify(expected)}`);
        });
      }
    }
    // The index answered most pairs from the type, or the check above proved little about it.
    expect(indexedPairs).toBeLessThan(2 * tenant.length * bind().length * 0.5);
  });
});
