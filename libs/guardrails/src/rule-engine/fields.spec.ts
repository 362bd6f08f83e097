// Field references: the policy keywords, tags in their spellings, aliases through the alias table, and
// `[*]` array aliases outside count (every selected value must satisfy the condition).
import { compilePolicy } from './policy';
import { definition, outcome, storageAccount } from '../testing/rules';
import type { PolicyResource } from './resource';
import { shippedAliasTable } from '../aliases/alias-table';
import { resolveField, type Scope } from './fields';

const database: PolicyResource = {
  id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/srv1/databases/db1',
  name: 'srv1/db1',
  type: 'Microsoft.Sql/servers/databases',
  location: 'East US 2',
  identity: { type: 'SystemAssigned' },
};

describe('policy keyword fields', () => {
  it('given a child resource named parent/child, when reading name and fullName, then name is its own name and fullName includes the parent', () => {
    expect(outcome({ field: 'name', equals: 'db1' }, database)).toBe('match');
    expect(outcome({ field: 'fullName', equals: 'srv1/db1' }, database)).toBe('match');
  });

  it('given a type lowercased as Resource Graph returns it, when compared with the documented spelling, then it matches', () => {
    const row = storageAccount({}, { type: 'microsoft.storage/storageaccounts' });
    expect(outcome({ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, row)).toBe('match');
  });

  it('given a resource, when reading id, kind and identity.type, then they come from the resource', () => {
    expect(outcome({ field: 'id', contains: '/resourceGroups/RG-1/' }, database)).toBe('match');
    expect(outcome({ field: 'kind', equals: 'storagev2' })).toBe('match');
    expect(outcome({ field: 'identity.type', equals: 'SystemAssigned' }, database)).toBe('match');
    expect(outcome({ field: 'identity.type', exists: false })).toBe('match');
  });

  it('given identity.userAssignedIdentities, when read as the Managed Identity built-ins read it, then it is the identities by resource id', () => {
    const uai = '/subscriptions/sub-1/resourceGroups/Built-In-Identity-RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/Built-In-Identity-westeurope';
    const vmss: PolicyResource = {
      id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Compute/virtualMachineScaleSets/ss1',
      name: 'ss1',
      type: 'Microsoft.Compute/virtualMachineScaleSets',
      location: 'westeurope',
      identity: { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { [uai]: { principalId: 'p', clientId: 'c' } } },
    };
    // VMSS_UAI_DINE's existence condition: the identity is assigned (resource ids compare ignoring case) ...
    expect(outcome({ field: 'identity.userAssignedIdentities', containsKey: uai.toLowerCase() }, vmss)).toBe('match');
    expect(outcome({ field: 'identity.userAssignedIdentities', containsKey: `${uai}-other` }, vmss)).toBe('no match');
    // ... or it is the only one.
    expect(outcome({ value: "[string(length(field('identity.userAssignedIdentities')))]", equals: '1' }, vmss)).toBe('match');
    expect(outcome({ field: 'Identity.UserAssignedIdentities', exists: true }, vmss)).toBe('match');
    expect(outcome({ field: 'identity.userAssignedIdentities', exists: false }, database)).toBe('match');
    expect(outcome({ value: "[length(field('identity.userAssignedIdentities'))]", equals: 0 }, database)).toBe('match');
  });

  it.each([
    ['East US 2', 'eastus2', 'equals'],
    ['eastus2', 'East US 2', 'equals'],
    ['West Europe', ['westeurope', 'northeurope'], 'in'],
  ])('given the location %s, when compared with %j, then spaces and case do not matter', (location, expected, operator) => {
    expect(outcome({ field: 'location', [operator]: expected }, storageAccount({}, { location }))).toBe('match');
  });

  it('given a location outside the list, when tested with notIn, then the condition holds', () => {
    expect(outcome({ field: 'location', notIn: ['westeurope'] }, database)).toBe('match');
  });

  it('given a Resource Graph row with an empty kind, when tested with exists, then the empty kind exists while an absent one does not', () => {
    expect(outcome({ field: 'kind', exists: true }, storageAccount({}, { kind: '' }))).toBe('match');
    expect(outcome({ field: 'kind', exists: true }, storageAccount({}, { kind: undefined }))).toBe('no match');
  });
});

describe('tag fields', () => {
  const tagged = storageAccount({}, { tags: { env: 'prod', 'Acct.CostCenter': '42', "'quoted'": 'yes' } });
  it.each([
    ['tags.env', 'prod'],
    ["tags['env']", 'prod'],
    ['tags[env]', 'prod'],
    ["tags['ENV']", 'prod'],
    ["tags['Acct.CostCenter']", '42'],
    ['tags[Acct.CostCenter]', '42'],
    ["tags['''quoted''']", 'yes'],
  ])('given the field %s, when read, then it is the tag value', (field, value) => {
    expect(outcome({ field, equals: value }, tagged)).toBe('match');
  });

  it('given a tag the resource does not have, when tested with exists false, then the condition holds', () => {
    expect(outcome({ field: "tags['owner']", exists: 'false' }, tagged)).toBe('match');
  });

  it('given a tag name from a parameter, when the field is built with concat, then the tag is read', () => {
    const parameters = { tagName: { type: 'String' } };
    const condition = { field: "[concat('tags[', parameters('tagName'), ']')]", equals: 'prod' };
    expect(outcome(condition, tagged, { parameters, context: { parameters: { tagName: 'env' } } })).toBe('match');
  });
});

describe('aliases', () => {
  it('given an alias spelled in another case, when compiled, then it resolves and reads the property', () => {
    const account = storageAccount({ minimumTlsVersion: 'TLS1_0' });
    expect(outcome({ field: 'microsoft.storage/storageaccounts/MINIMUMTLSVERSION', equals: 'TLS1_0' }, account)).toBe('match');
  });

  it('given JSON keys in another case than the alias path, when read, then they are found', () => {
    const account = storageAccount({ MinimumTLSVersion: 'TLS1_0' });
    expect(outcome({ field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', equals: 'TLS1_0' }, account)).toBe('match');
  });

  it('given an alias whose path is a top-level field, when read, then it reads outside properties', () => {
    const apim: PolicyResource = { name: 'apim', type: 'Microsoft.ApiManagement/service', sku: { name: 'Premium' }, properties: {} };
    expect(outcome({ field: 'Microsoft.ApiManagement/service/sku.name', equals: 'premium' }, apim)).toBe('match');
  });

  it('given a sub-resource array, when its [*] alias is read, then each element is read inside its properties envelope', () => {
    const nsg: PolicyResource = {
      name: 'nsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      properties: { securityRules: [{ name: 'r1', properties: { access: 'Deny' } }] },
    };
    expect(outcome({ field: 'Microsoft.Network/networkSecurityGroups/securityRules[*].access', equals: 'Deny' }, nsg)).toBe('match');
  });

  it('given a legacy alias without [*] whose path selects array elements, when read, then every element must satisfy it', () => {
    const setting = (enabled: boolean[]): PolicyResource => ({
      name: 'ds',
      type: 'Microsoft.Insights/diagnosticSettings',
      properties: { logs: enabled.map((e) => ({ enabled: e })) },
    });
    const condition = { field: 'Microsoft.Insights/diagnosticSettings/logs.enabled', equals: 'true' };
    expect(outcome(condition, setting([true, true]))).toBe('match');
    expect(outcome(condition, setting([true, false]))).toBe('no match');
  });

  it('given a child-type alias, when read on the child document, then its path is relative to the child', () => {
    const rule: PolicyResource = { name: 'r1', type: 'Microsoft.Network/networkSecurityGroups/securityRules', properties: { access: 'Allow' } };
    expect(outcome({ field: 'Microsoft.Network/networkSecurityGroups/securityRules/access', equals: 'Allow' }, rule)).toBe('match');
  });

  it('given a child-type alias, when read on the parent, then it reads nothing (an alias only reads resources of its type)', () => {
    const nsg: PolicyResource = { name: 'nsg', type: 'Microsoft.Network/networkSecurityGroups', properties: { access: 'Allow' } };
    expect(outcome({ field: 'Microsoft.Network/networkSecurityGroups/securityRules/access', exists: false }, nsg)).toBe('match');
  });

  it('given a provider-level alias, when read on each type that defines it, then it resolves per type', () => {
    const server: PolicyResource = { name: 'default', type: 'Microsoft.Sql/servers/auditingSettings', properties: { state: 'Enabled' } };
    const db: PolicyResource = { name: 'default', type: 'Microsoft.Sql/servers/databases/auditingSettings', properties: { state: 'Enabled' } };
    const condition = { field: 'Microsoft.Sql/auditingSettings.state', equals: 'enabled' };
    expect(outcome(condition, server)).toBe('match');
    expect(outcome(condition, db)).toBe('match');
  });

  it('given an App Service config alias with the web. prefix, when read on config/web, then it reads the property directly under properties', () => {
    const web: PolicyResource = { name: 'web', type: 'Microsoft.Web/sites/config', properties: { minTlsVersion: '1.2' } };
    expect(outcome({ field: 'Microsoft.Web/sites/config/web.minTlsVersion', equals: '1.2' }, web)).toBe('match');
  });

  it('given an alias that does not exist, when compiled, then the definition is refused as unknown-alias with its path', () => {
    const result = compilePolicy(definition({ allOf: [{ field: 'type', equals: 'x' }, { field: 'Microsoft.Storage/storageAccounts/noSuchThing', equals: 1 }] }));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'unknown-alias', path: 'if.allOf[1].field' } });
  });

  it('given a field built by an expression that names no alias, when evaluated, then that resource is an error, not compliant', () => {
    const parameters = { name: { type: 'String', defaultValue: 'Microsoft.Storage/storageAccounts/noSuchThing' } };
    expect(outcome({ field: "[parameters('name')]", exists: true }, storageAccount(), { parameters })).toBe('error: unknown-alias');
  });
});

describe('[*] array aliases outside count', () => {
  const ipRules = (rules: unknown) => storageAccount({ networkAcls: { ipRules: rules } });
  const action = 'Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].action';

  it('given all elements equal, when compared with equals, then it matches', () => {
    expect(outcome({ field: action, equals: 'allow' }, ipRules([{ action: 'Allow' }, { action: 'Allow' }]))).toBe('match');
  });

  it('given one element different, when compared with equals, then it does not match (logical and between elements)', () => {
    expect(outcome({ field: action, equals: 'Allow' }, ipRules([{ action: 'Allow' }, { action: 'Deny' }]))).toBe('no match');
  });

  it('given one element equal, when "not notEquals" is used, then it matches: the documented "any of" pattern', () => {
    expect(outcome({ not: { field: action, notEquals: 'Deny' } }, ipRules([{ action: 'Allow' }, { action: 'Deny' }]))).toBe('match');
  });

  it.each([
    ['an empty array', []],
    ['a missing array', undefined],
  ])('given %s, when any condition is applied to its [*] values, then it holds vacuously', (_what, rules) => {
    expect(outcome({ field: action, equals: 'Allow' }, ipRules(rules))).toBe('match');
    expect(outcome({ field: action, notEquals: 'Allow' }, ipRules(rules))).toBe('match');
  });

  it('given an element without the property, when tested with exists true, then that element fails the condition', () => {
    expect(outcome({ field: action, exists: true }, ipRules([{ action: 'Allow' }, { value: '1.2.3.4' }]))).toBe('no match');
  });

  it('given nested arrays, when a [*][*] alias is read, then the values of all inner arrays are selected', () => {
    const nsg: PolicyResource = {
      name: 'nsg',
      type: 'Microsoft.Network/networkSecurityGroups',
      properties: {
        securityRules: [{ properties: { destinationPortRanges: ['22', '80'] } }, { properties: { destinationPortRanges: ['443'] } }],
      },
    };
    const ports = 'Microsoft.Network/networkSecurityGroups/securityRules[*].destinationPortRanges[*]';
    expect(outcome({ value: `[length(field('${ports}'))]`, equals: 3 }, nsg)).toBe('match');
    expect(outcome({ not: { field: ports, notEquals: '22' } }, nsg)).toBe('match');
  });
});

describe('reading one value without a selection', () => {
  const aliases = shippedAliasTable();
  const rule = storageAccount({ networkAcls: { ipRules: [{ value: '10.0.0.1' }], defaultAction: 'Deny' }, allowBlobPublicAccess: false, Nested: { Key: 1 } });
  const bare: PolicyResource = { name: 'b', type: 'Microsoft.Storage/storageAccounts' };
  const fields = [
    'name', 'fullName', 'type', 'kind', 'id', 'location', 'identity.type', 'tags', "tags['Acct.CostCenter']", 'tags.env',
    'Microsoft.Storage/storageAccounts/allowBlobPublicAccess', 'Microsoft.Storage/storageAccounts/networkAcls.defaultAction',
    'Microsoft.Storage/storageAccounts/minimumTlsVersion', 'Microsoft.KeyVault/vaults/enableSoftDelete',
  ];

  it.each(fields)('given the field %s, when read as one value, then it is what the selection holds, inside a count or not', (field) => {
    const reader = resolveField(field, aliases);
    const counted = resolveField('Microsoft.Storage/storageAccounts/networkAcls.ipRules[*]', aliases);
    const path = counted.pathFor('microsoft.storage/storageaccounts')?.lower ?? [];
    const scope: Scope = { kind: 'field', parent: undefined, doc: rule, docType: 'microsoft.storage/storageaccounts', path, element: { value: '10.0.0.1' } };
    expect(reader.readOne).toBeDefined();
    for (const [doc, s] of [[rule, undefined], [rule, scope], [bare, undefined]] as const) {
      const selection = reader.read(doc, 'microsoft.storage/storageaccounts', s);
      expect(selection.collection).toBe(false);
      expect(reader.readOne?.(doc, 'microsoft.storage/storageaccounts', s)).toEqual(selection.collection ? undefined : selection.value);
    }
  });

  it('given an array alias, when resolved, then it has no single-value read', () => {
    expect(resolveField('Microsoft.Storage/storageAccounts/networkAcls.ipRules[*].value', aliases).readOne).toBeUndefined();
  });
});
