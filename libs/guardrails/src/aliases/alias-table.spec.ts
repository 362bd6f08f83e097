// The shipped alias table resolves names as the alias dumps define them (see README.md next to the data).
import { createAliasTable, decodeAliasPath, shippedAliasTable } from './alias-table';

const pathOf = (name: string, type?: string) => {
  const found = shippedAliasTable().find(name);
  return (type ? found.filter((d) => d.type.toLowerCase() === type.toLowerCase()) : found).map((d) => d.path);
};

describe('the compact path forms of the generated table', () => {
  it.each([
    ['allowBlobPublicAccess', '', 'properties.allowBlobPublicAccess'],
    ['securityRules[*].access', '11', 'properties.securityRules[*].properties.access'],
    ['sku.name', '00', 'sku.name'],
    ['logs.enabled', 'properties.logs[*].enabled', 'properties.logs[*].enabled'],
    ['a.b', '101', '101'],
  ])('given the key %s and the value %j, when decoded, then the path is %s', (key, encoded, path) => {
    expect(decodeAliasPath(key, encoded)).toBe(path);
  });
});

describe('the shipped alias table', () => {
  it.each([
    ['the default case', 'Microsoft.Storage/storageAccounts/allowBlobPublicAccess', 'properties.allowBlobPublicAccess'],
    ['a top-level ARM field', 'Microsoft.ApiManagement/service/sku.name', 'sku.name'],
    ['sub-resource array elements keep their envelope', 'Microsoft.Network/networkSecurityGroups/securityRules[*].access', 'properties.securityRules[*].properties.access'],
    ['plain object arrays do not', 'Microsoft.ContainerService/managedClusters/agentPoolProfiles[*].enableEncryptionAtHost', 'properties.agentPoolProfiles[*].enableEncryptionAtHost'],
    ['a child type is relative to the child document', 'Microsoft.Network/networkSecurityGroups/securityRules/destinationPortRange', 'properties.destinationPortRange'],
    ['the alias casing differs from the path', 'Microsoft.DocumentDB/databaseAccounts/Locations[*]', 'properties.locations[*]'],
    ['the alias name is looked up ignoring case', 'microsoft.network/networkinterfaces/ENABLEIPFORWARDING', 'properties.enableIPForwarding'],
    ['a legacy alias without [*] over an array', 'Microsoft.Insights/diagnosticSettings/logs.enabled', 'properties.logs[*].enabled'],
    ['a child resource name inside the alias', 'Microsoft.Web/sites/config/web.cors.allowedOrigins[*]', 'properties.cors.allowedOrigins[*]'],
  ])('given %s, when looking up %s, then the path is %s', (_rule, name, path) => {
    expect(pathOf(name)).toEqual([path]);
  });

  it('given a provider-level alias, when looked up, then each type that defines it has its own definition', () => {
    expect(shippedAliasTable().find('Microsoft.Sql/auditingSettings.state').map((d) => d.type)).toEqual([
      'Microsoft.Sql/servers/auditingSettings',
      'Microsoft.Sql/servers/databases/auditingSettings',
    ]);
  });

  it('given data-plane aliases, when looked up, then none are known', () => {
    expect(pathOf('Microsoft.KeyVault.Data/vaults/secrets/attributes.expiresOn')).toEqual([]);
  });

  it('given resource types, when asking for the API version, then it is the latest stable one, and none for the CSV-only namespace', () => {
    expect(shippedAliasTable().apiVersion('microsoft.storage/storageaccounts')).toBe('2025-08-01');
    expect(shippedAliasTable().apiVersion('Microsoft.KeyVault/vaults')).toBe('2026-02-01');
    expect(shippedAliasTable().apiVersion('Microsoft.Network/networkSecurityGroups')).toBeUndefined();
  });

  it('given a table built from data, when an alias is spelled with its full name, then it is used as is', () => {
    const table = createAliasTable({ types: [{ type: 'Contoso.Widgets/widgets', aliases: { 'Contoso.Widgets/color': 'properties.paint.color' } }] });
    expect(table.find('contoso.widgets/COLOR')).toEqual([{ name: 'Contoso.Widgets/color', type: 'Contoso.Widgets/widgets', path: 'properties.paint.color' }]);
  });
});
