// The shipped alias table resolves names as the alias dumps define them (see README.md next to the data).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  type AliasData,
  createAliasTable,
  createLazyAliasTable,
  decodeAliasPath,
  type PackedAliasData,
  shippedAliasNamespaces,
  shippedAliasTable,
  SUPPLEMENTARY_ALIASES,
} from './alias-table';

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

describe('the packed form of the generated files', () => {
  it('given front-coded keys and paths, when looked up, then each is the previous one up to n characters plus the rest', () => {
    const packed: PackedAliasData = {
      types: [
        {
          type: 'Contoso.Widgets/widgets',
          apiVersion: '2025-01-01',
          aliases: ['0 color', '', '1 onfig.size', '11', '7 weight', '0 properties.config.weight[*]', '0 Contoso.Widgets/tint', '18 tint'],
        },
      ],
    };
    const table = createAliasTable(packed);
    expect(['color', 'config.size', 'config.weight', 'tint'].map((key) => table.find(`Contoso.Widgets/widgets/${key}`))).toEqual([
      [{ name: 'Contoso.Widgets/widgets/color', type: 'Contoso.Widgets/widgets', path: 'properties.color' }],
      [{ name: 'Contoso.Widgets/widgets/config.size', type: 'Contoso.Widgets/widgets', path: 'properties.config.properties.size' }],
      [{ name: 'Contoso.Widgets/widgets/config.weight', type: 'Contoso.Widgets/widgets', path: 'properties.config.weight[*]' }],
      [],
    ]);
    expect(table.find('contoso.widgets/TINT')).toEqual([{ name: 'Contoso.Widgets/tint', type: 'Contoso.Widgets/widgets', path: 'properties.config.tint' }]);
    expect(table.apiVersion('contoso.widgets/widgets')).toBe('2025-01-01');
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

  it.each([
    ['a Network alias, from the CSV', 'Microsoft.Network/privateEndpoints/privateLinkServiceConnections[*].groupIds[*]', 'properties.privateLinkServiceConnections[*].properties.groupIds[*]'],
    ['an alias both dumps name with other paths: the newer PSRule path', 'Microsoft.Web/sites/vnetImagePullEnabled', 'properties.outboundVnetRouting.imagePullTraffic'],
    ['an alias only the older CSV still lists', 'Microsoft.SqlVirtualMachine/SqlVirtualMachines/autoPatchingSettings.dayOfWeek', 'properties.autoPatchingSettings.dayOfWeek'],
    ['a child type of a namespace the old table lacked', 'Microsoft.Compute/virtualMachines/extensions/publisher', 'properties.publisher'],
    ['a slot config alias with its resource name', 'Microsoft.Web/sites/slots/config/web.linuxFxVersion', 'properties.linuxFxVersion'],
    ['an alias of the supplement', 'Microsoft.MobileNetwork/simGroups/encryptionKey.keyUrl', 'properties.encryptionKey.keyUrl'],
  ])('given %s, when looking up %s, then the path is %s', (_rule, name, path) => {
    expect(pathOf(name)).toEqual([path]);
  });

  it('given a provider-level alias of several types, when looked up, then each type reads its own path', () => {
    expect(shippedAliasTable().find('microsoft.compute/IMAGEID').map((d) => [d.type, d.path])).toEqual([
      ['Microsoft.Compute/disks', 'properties.creationData.imageReference.id'],
      ['Microsoft.Compute/virtualMachines', 'properties.storageProfile.imageReference.id'],
      ['Microsoft.Compute/virtualMachineScaleSets', 'properties.virtualMachineProfile.storageProfile.imageReference.id'],
    ]);
  });

  it('given the generated index, when counted, then it holds every namespace of both dumps', () => {
    const namespaces = shippedAliasNamespaces();
    expect(namespaces.size).toBe(304);
    expect([...namespaces.values()].reduce((a, b) => a + b, 0)).toBe(75_731);
    expect(namespaces.get('microsoft.network')).toBe(18_786);
  });

  it('given names of no known namespace, when looked up, then nothing is found and no file is read', () => {
    const loaded: string[] = [];
    const table = createLazyAliasTable(shippedAliasNamespaces().keys(), (namespace) => {
      loaded.push(namespace);
      return { types: [] };
    });
    for (const name of ['allowBlobPublicAccess', 'Contoso.Widgets/widgets/color', '../../index/x', 'constructor/x', '__proto__/x', '/x'])
      expect(table.find(name)).toEqual([]);
    expect(loaded).toEqual([]);
  });

  it('given a storage policy, when its aliases and type are looked up, then only the storage namespace is read, once', () => {
    const loaded: string[] = [];
    const table = createLazyAliasTable(shippedAliasNamespaces().keys(), (namespace) => {
      loaded.push(namespace);
      return require(`./data/${namespace}.json`) as PackedAliasData;
    });
    expect(table.find('Microsoft.Storage/storageAccounts/networkAcls.defaultAction')).toHaveLength(1);
    expect(table.find('MICROSOFT.STORAGE/storageAccounts/minimumTlsVersion')).toHaveLength(1);
    expect(table.apiVersion('Microsoft.Storage/storageAccounts')).toBe('2025-08-01');
    expect(loaded).toEqual(['microsoft.storage']);
  });

  it('given a table built from data, when an alias is spelled with its full name, then it is used as is', () => {
    const table = createAliasTable({ types: [{ type: 'Contoso.Widgets/widgets', aliases: { 'Contoso.Widgets/color': 'properties.paint.color' } }] });
    expect(table.find('contoso.widgets/COLOR')).toEqual([{ name: 'Contoso.Widgets/color', type: 'Contoso.Widgets/widgets', path: 'properties.paint.color' }]);
  });
});

describe('the aliases of the previous table (31 types, shipped until commit e3a0821)', () => {
  // That table, gzipped unchanged: every alias it had must resolve as it did. The full data adds
  // types, so provider-level aliases may now have more definitions; those of the old types are equal.
  const previous = JSON.parse(gunzipSync(readFileSync(join(__dirname, 'testing/aliases.generated.e3a0821.json.gz'))).toString('utf8')) as AliasData;
  const before = createAliasTable({ types: [...previous.types, ...SUPPLEMENTARY_ALIASES.types] });
  const names = previous.types.flatMap((t) => Object.keys(t.aliases).map((key) => (key.includes('/') ? key : `${t.type}/${key}`)));

  it('given each of its aliases, when looked up, then the name, type and path of every definition it had are the same', () => {
    expect(names.length).toBe(8_358);
    const changed = names.filter((name) => {
      const types = new Set(before.find(name).map((d) => d.type.toLowerCase()));
      const now = shippedAliasTable().find(name).filter((d) => types.has(d.type.toLowerCase()));
      return JSON.stringify(now) !== JSON.stringify(before.find(name));
    });
    expect(changed).toEqual([]);
  });

  it('given its types, when asking for the API version, then it is the same', () => {
    expect(previous.types.filter((t) => shippedAliasTable().apiVersion(t.type) !== before.apiVersion(t.type)).map((t) => t.type)).toEqual([]);
  });
});
