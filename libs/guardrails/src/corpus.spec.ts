// The real corpus: 90 Azure Policy definitions (79 built-in, 11 Azure Landing Zones) compiled and
// evaluated against the Azure REST API examples. The verdict table was written by reading each rule and
// each example body by hand; a comment says why wherever the verdict is not obvious.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compilePolicy, type CompiledPolicy, type PolicyResource, type RelatedResourceQuery, type Verdict } from './index';

const corpusDir = join(__dirname, '..', 'corpus', 'azure-policy');
const examplesDir = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');

const listJson = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const path = join(dir, f);
      if (statSync(path).isDirectory()) return f === 'policySetDefinitions' ? [] : listJson(path);
      return f.endsWith('.json') ? [path] : [];
    });

const definitions = listJson(corpusDir).map((path) => ({
  file: relative(corpusDir, path).split('\\').join('/'),
  result: compilePolicy(JSON.parse(readFileSync(path, 'utf8'))),
}));

/**
 * Example files are `<Namespace>.<type-with-dashes>.<example>.json`; child GETs that carry no `type`
 * (security rule, subnet, agent pool, web app private endpoint connection) get it from the file name,
 * and the one without a name from its id.
 */
const examples = new Map<string, PolicyResource>(
  readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const [company, namespace, type, example] = file.split('.');
      const body = JSON.parse(readFileSync(join(examplesDir, file), 'utf8')) as Record<string, unknown>;
      const resource = {
        ...body,
        type: (body['type'] as string | undefined) ?? `${company}.${namespace}/${type.replace(/-/g, '/')}`,
        name: (body['name'] as string | undefined) ?? String(body['id']).split('/').at(-1),
      } as PolicyResource;
      return [example, resource] as const;
    }),
);
const example = (name: string) => {
  const resource = examples.get(name);
  if (!resource) throw new Error(`no ARM example ${name}`);
  return resource;
};

/**
 * The web app example embeds a partial `siteConfig`; the App Service policies read the
 * Microsoft.Web/sites/config resource named `web` instead, which ARM serves from the same settings.
 */
const webConfig: PolicyResource = {
  id: `${example('GetWebApp').id}/config/web`,
  name: 'web',
  type: 'Microsoft.Web/sites/config',
  properties: (example('GetWebApp').properties as Record<string, unknown>)['siteConfig'] as Record<string, unknown>,
};

/**
 * Where a related example would be if it belonged to the evaluated resource: the REST examples of child
 * and extension resources hang off other example resources (another server's auditing settings), and
 * the engine counts only those where Azure looks: under or on the evaluated resource, in its group.
 */
const placed = (query: RelatedResourceQuery, r: PolicyResource): string => {
  const name = String(r.name).split('/').at(-1);
  switch (query.scope) {
    case 'children':
      return `${query.resourceId}/${query.type.split('/').at(-1)}/${name}`;
    case 'extension':
      return `${query.resourceId}/providers/${query.type}/${name}`;
    case 'resourceGroup':
      return `/subscriptions/${query.subscriptionId}/resourceGroups/${query.resourceGroup}/providers/${query.type}/${name}`;
    case 'subscription':
      return `/subscriptions/${query.subscriptionId}/providers/${query.type}/${name}`;
  }
};

/** Related resources offered to auditIfNotExists/deployIfNotExists: every example of the asked type, placed where the query looks (the engine filters names). */
const related = (query: RelatedResourceQuery) =>
  [...examples.values(), webConfig].filter((r) => r.type.toLowerCase() === query.type.toLowerCase()).map((r) => ({ ...r, id: placed(query, r) }));

/** Assignment values for parameters without a default (and a tag name the examples carry). */
const PARAMETERS: Record<string, Record<string, unknown>> = {
  'built-in/Cosmos DB/Cosmos_Locations_Deny.json': { listOfAllowedLocations: ['eastus'] },
  'built-in/General/AllowedLocations_Deny.json': { listOfAllowedLocations: ['westeurope', 'eastus'] },
  'built-in/General/AllowedResourceTypes_Deny.json': { listOfResourceTypesAllowed: ['Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults'] },
  'built-in/SQL/SqlServerAuditing_DINE.json': { storageAccountsResourceGroup: 'rg-audit' },
  'built-in/Storage/AccountStorageLogsToWorkspace_DINE.json': {
    logAnalytics: '/subscriptions/sub-1/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/law',
  },
  'built-in/Tags/InheritTag_Add_Modify.json': { tagName: 'key1' },
  'built-in/Tags/RequireTag_Deny.json': { tagName: 'key1' },
  'alz/policyDefinitions/DenyAction-DeleteResources.json': { resourceType: 'Microsoft.Storage/storageAccounts', resourceName: 'sto*' },
};

const REFUSED = {
  'built-in/Key Vault/Keys_ExpirationSet.json': 'unsupported-mode',
  'built-in/Key Vault/Keys_KeyRotationPolicy_MaximumDaysToRotate.json': 'unsupported-mode',
  'built-in/Key Vault/Secrets_ExpirationSet.json': 'unsupported-mode',
};

/**
 * definition -> ARM example -> expected `state` or `state:reason`. Each definition is evaluated on the
 * examples of the types it targets; definitions whose target type has no example are evaluated on a
 * bystander to show they do not apply.
 */
const EXPECTED: Record<string, Record<string, string>> = {
  // --- API Management
  'built-in/API Management/BackendAuth_AuditDeny.json': { ApiManagementServiceGetService: 'notApplicable:not-targeted' }, // targets service/backends
  'built-in/API Management/DirectManagementAPIEnabled_AuditDeny.json': { ApiManagementGetTenantAccess: 'nonCompliant' }, // tenant/access enabled: true
  'built-in/API Management/HTTPEnabled_AuditDeny.json': { ApiManagementServiceGetService: 'notApplicable:not-targeted' }, // targets service/apis
  // sku Premium (not Consumption), so the tenant `access` (endpointType Management) must have enabled: false; the example has true.
  'built-in/API Management/PublicEndpoint_AINE.json': { ApiManagementServiceGetService: 'nonCompliant:no-related-resource-satisfies' },
  // sku Premium is in evaluatedSkuNames and virtualNetworkType is "None".
  'built-in/API Management/VNETEnabled_Audit.json': { ApiManagementServiceGetService: 'nonCompliant' },

  // --- App Service (the web app: kind "app", httpsOnly false, no publicNetworkAccess, no hostingEnvironmentProfile)
  'built-in/App Service/Authentication_WebApp_Audit.json': { GetWebApp: 'nonCompliant:no-related-resource-satisfies' }, // config/web has no siteAuthEnabled
  'built-in/App Service/Authentication_functionapp_Audit.json': { GetWebApp: 'notApplicable:if-false' }, // kind "app" does not contain functionapp
  'built-in/App Service/FunctionApp_AuditHTTP_Audit.json': { GetWebApp: 'notApplicable:not-targeted' }, // the kind condition decides applicability
  'built-in/App Service/FunctionApp_PublicNetworkAccess_Audit.json': { GetWebApp: 'notApplicable:not-targeted' },
  'built-in/App Service/PrivateEndpoint_AINE.json': { GetWebApp: 'compliant:related-resource-satisfies' }, // the site's private endpoint connection is Approved
  'built-in/App Service/RequireLatestTls_FunctionApp_DINE.json': { GetWebApp: 'notApplicable:if-false' },
  'built-in/App Service/RequireLatestTls_WebApp_Audit.json': { GetWebApp: 'compliant:related-resource-satisfies' }, // minTlsVersion "1.2" >= "1.2"
  // `web.cors.allowedOrigins[*]` selects nothing (no cors): a [*] condition over no values holds, so config/web satisfies it.
  'built-in/App Service/RestrictCORSAccess_WebApp_Audit.json': { GetWebApp: 'compliant:related-resource-satisfies' },
  'built-in/App Service/UseManagedIdentity_WebApp_Audit.json': { GetWebApp: 'nonCompliant:no-related-resource-satisfies' }, // neither identity id is set
  'built-in/App Service/WebApp_PublicNetworkAccess_Audit.json': { GetWebApp: 'nonCompliant' }, // publicNetworkAccess missing
  'built-in/App Service/Webapp_AuditHTTP_Audit.json': { GetWebApp: 'nonCompliant' }, // httpsOnly false equals "false"
  'built-in/App Service/Webapp_AuditHTTP_Modify.json': { GetWebApp: 'nonCompliant' },

  // --- Container Apps
  'built-in/Container Apps/ContainerAppInternal_Audit.json': { ContainerApps_Get: 'nonCompliant' }, // ingress.external: true
  'built-in/Container Apps/EnableAuth_AINE.json': { ContainerApps_Get: 'compliant:related-resource-satisfies' }, // authconfigs/current platform.enabled true = "true"
  'built-in/Container Apps/EnableHTTPS_Audit.json': { ContainerApps_Get: 'compliant' }, // allowInsecure missing
  'built-in/Container Apps/EnvironmentInternal_Audit.json': { ManagedEnvironments_Get: 'nonCompliant' }, // vnetConfiguration.internal missing
  'built-in/Container Apps/ManagedIdentity_Audit.json': { ContainerApps_Get: 'nonCompliant' }, // no identity

  // --- Container Registry (adminUserEnabled false, no anonymousPullEnabled, privateEndpointConnections [], publicNetworkAccess Enabled)
  'built-in/Container Registry/ACR_AdminAccountDisabled_AuditDeny.json': { RegistryGet: 'compliant' },
  'built-in/Container Registry/ACR_AdminAccountDisabled_Modify.json': { RegistryGet: 'compliant' },
  'built-in/Container Registry/ACR_AnonymousPullDisabled_AuditDeny.json': { RegistryGet: 'compliant' },
  'built-in/Container Registry/ACR_PrivateEndpointEnabled_Audit.json': { RegistryGet: 'nonCompliant' }, // 0 approved connections < 1
  'built-in/Container Registry/ACR_PublicNetworkAccess_AuditDeny.json': { RegistryGet: 'nonCompliant' },

  // --- Cosmos DB
  // disableLocalAuth missing; capabilities[*] selects nothing, so "notIn" holds for all (none) of them.
  'built-in/Cosmos DB/Cosmos_DisableLocalAuth_AuditDeny.json': { CosmosDBDatabaseAccountGet: 'nonCompliant' },
  'built-in/Cosmos DB/Cosmos_Locations_Deny.json': { CosmosDBDatabaseAccountGet: 'compliant' }, // "East US" -> "eastus" is allowed: 1 of 1
  // Public access and no filters, but one Approved private endpoint connection: the last allOf member is false.
  'built-in/Cosmos DB/Cosmos_NetworkRulesExist_Audit.json': { CosmosDBDatabaseAccountGet: 'compliant' },
  'built-in/Cosmos DB/Cosmos_PrivateNetworkAccess_AuditDeny.json': { CosmosDBDatabaseAccountGet: 'nonCompliant' }, // publicNetworkAccess missing

  // --- General
  'built-in/General/AllowedLocations_Deny.json': {
    StorageAccountGetProperties: 'nonCompliant', // eastus2(stage) is not allowed
    getVault: 'nonCompliant', // westus
    NetworkInterfaceGet: 'compliant', // eastus
    SubnetGet: 'notApplicable:mode-excludes-resource', // Indexed: a subnet has no location
  },
  // Only a (negated) type condition: an allowed type makes `if` false during applicability, so it is not applicable.
  'built-in/General/AllowedResourceTypes_Deny.json': { StorageAccountGetProperties: 'notApplicable:not-targeted', NetworkInterfaceGet: 'nonCompliant' },

  // --- Key Vault (the vault: no soft delete/purge protection/RBAC flags, no networkAcls, publicNetworkAccess Enabled)
  // Diagnostic setting: allLogs enabled, retention disabled: the second allOf of the where holds for the one log entry.
  'built-in/Key Vault/AuditDiagnosticLog_Audit.json': { getVault: 'compliant:related-resource-satisfies' },
  // networkAcls.defaultAction missing (notEquals Deny) and requestContext().apiVersion (latest, 2026) >= 2021-06-01-preview with public access Enabled.
  'built-in/Key Vault/FirewallEnabled_Audit.json': { getVault: 'nonCompliant' },
  'built-in/Key Vault/PublicNetworkAccess_Audit.json': { getVault: 'nonCompliant' },
  'built-in/Key Vault/Recoverable_Audit.json': { getVault: 'nonCompliant' }, // enablePurgeProtection missing
  'built-in/Key Vault/Should_Use_PrivateEndpoint_Audit.json': { getVault: 'nonCompliant' }, // no private endpoint connections: count 0 < 1
  'built-in/Key Vault/Should_Use_RBAC.json': { getVault: 'nonCompliant' },
  'built-in/Key Vault/SoftDeleteMustBeEnabled_Audit.json': { getVault: 'nonCompliant' },

  // --- Kubernetes (type spelled Microsoft.ContainerService/ManagedClusters: types compare ignoring case)
  'built-in/Kubernetes/AKS_AzurePolicyAddOn_Audit.json': { ManagedClustersGet: 'nonCompliant' }, // no addonProfiles
  'built-in/Kubernetes/AKS_DisableLocalAccounts_Deny.json': { ManagedClustersGet: 'nonCompliant' },
  'built-in/Kubernetes/AKS_EncryptionAtHost_Deny.json': {
    ManagedClustersGet: 'nonCompliant', // the one agent pool profile has no enableEncryptionAtHost
    AgentPoolsGet: 'notApplicable:mode-excludes-resource', // Indexed: an agent pool has no location
  },
  'built-in/Kubernetes/AKS_MSI_Audit.json': { ManagedClustersGet: 'nonCompliant' }, // servicePrincipalProfile.clientId "clientid", not msi
  'built-in/Kubernetes/AKS_PrivateCluster_Deny.json': { ManagedClustersGet: 'nonCompliant' },

  // --- Monitoring
  'built-in/Monitoring/DiagnosticSettingsExistsAudit_Audit.json': {
    getVault: 'compliant:related-resource-satisfies', // vaults are in the default type list; the setting enables categoryGroup allLogs
    StorageAccountGetProperties: 'notApplicable:if-false', // storage accounts are not in the list
  },

  // --- Network
  'built-in/Network/NetworkIPForwardingNic_Deny.json': { NetworkInterfaceGet: 'compliant' }, // enableIpForwarding alias reads properties.enableIPForwarding = false
  // ipconfig1 has a public IP: not every ipconfigurations[*].publicIpAddress.id is notLike "*", so the not() is true.
  'built-in/Network/NetworkPublicIPNic_Deny.json': { NetworkInterfaceGet: 'nonCompliant' },
  // Inbound Allow from "*" but to port 80: no port branch matches (empty destinationPortRanges make the not(...) branches false).
  'built-in/Network/NetworkSecurityGroup_RDPAccess_Audit.json': { NetworkSecurityGroupRuleGet: 'compliant', NetworkSecurityGroupGet: 'notApplicable:not-targeted' },
  'built-in/Network/NetworkSecurityGroup_SSHAccess_Audit.json': { NetworkSecurityGroupRuleGet: 'compliant' },
  'built-in/Network/WAF_AppGatewayEnabled_Audit.json': { NetworkInterfaceGet: 'notApplicable:not-targeted' }, // targets applicationGateways

  // --- SQL (the server: v12.0, publicNetworkAccess Enabled, no minimalTlsVersion, one Approved private endpoint connection)
  'built-in/SQL/SQL_DB_AuditServerADAdmins_Audit.json': { ServerGet: 'nonCompliant:no-related-resource' }, // no servers/administrators resource
  'built-in/SQL/SqlDBEncryption_Audit.json': { ServerGet: 'notApplicable:if-false' }, // targets servers/databases
  'built-in/SQL/SqlServerAuditing_Audit.json': { ServerGet: 'nonCompliant:no-related-resource-satisfies' }, // auditingSettings/default state Disabled
  'built-in/SQL/SqlServerAuditing_DINE.json': { ServerGet: 'nonCompliant:no-related-resource-satisfies' }, // name "Default" matches "default"
  // resourceGroup().managedBy is null (not a Synapse group) and administrators.azureADOnlyAuthentication is missing.
  'built-in/SQL/SqlServer_ADOnlyEnabled_Audit.json': { ServerGet: 'nonCompliant' },
  'built-in/SQL/SqlServer_MiniumTLSVersion_Audit.json': { ServerGet: 'nonCompliant' },
  'built-in/SQL/SqlServer_PrivateEndpoint_Audit.json': { ServerGet: 'compliant' }, // 1 approved connection
  'built-in/SQL/SqlServer_PublicNetworkAccess_Audit.json': { ServerGet: 'nonCompliant' },

  // --- Security Center
  'built-in/Security Center/ASC_EnableIpRanges_KubernetesService_Audit.json': { ManagedClustersGet: 'nonCompliant' }, // no apiServerAccessProfile
  'built-in/Security Center/ASC_EnableRBAC_KubernetesService_Audit.json': { ManagedClustersGet: 'nonCompliant' }, // enableRBAC false
  // The only assessment example has another name than bc303248-...: no related resource.
  'built-in/Security Center/ASC_OpenManagementPortsOnVirtualMachines_Audit.json': { VirtualMachine_Get: 'nonCompliant:no-related-resource' },

  // --- Storage (both account examples: networkAcls Allow with bypass AzureServices, supportsHttpsTrafficOnly false,
  //     no minimumTlsVersion, allowBlobPublicAccess, allowSharedKeyAccess or publicNetworkAccess)
  'built-in/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  // The only diagnostic setting example is named mysetting, not storageAccountsDiagnosticsLogsToWorkspace.
  'built-in/Storage/AccountStorageLogsToWorkspace_DINE.json': { StorageAccountGetProperties: 'nonCompliant:no-related-resource' },
  'built-in/Storage/StorageAccountAllowSharedKeyAccess_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/StorageAccountDisablePublicBlobAccess_Modify.json': { StorageAccountGetProperties: 'compliant', StorageAccountGetPropertiesCMKEnabled: 'compliant' },
  // No keyPolicy.keyExpirationPeriodInDays: both branches compare utcNow() with utcNow().
  'built-in/Storage/StorageAccountKeysExpired_Restrict.json': { StorageAccountGetProperties: 'compliant', StorageAccountGetPropertiesCMKEnabled: 'compliant' },
  'built-in/Storage/StorageAccountMinimumTLSVersion_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/StorageAccountOnlyVnetRulesEnabled_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/StorageAccountPrivateEndpointEnabled_Audit.json': { StorageAccountGetProperties: 'compliant:related-resource-satisfies' },
  'built-in/Storage/StoragePublicNetworkAccess_AuditDeny.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/StoragePublicNetworkAccess_Modify.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/Storage_AuditForHTTPSEnabled_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },
  'built-in/Storage/Storage_NetworkAcls_Audit.json': { StorageAccountGetProperties: 'nonCompliant', StorageAccountGetPropertiesCMKEnabled: 'nonCompliant' },

  // --- Tags (tagName key1; the resource group carries key1 too)
  'built-in/Tags/InheritTag_Add_Modify.json': {
    StorageAccountGetProperties: 'compliant', // has key1
    getVault: 'nonCompliant', // no key1, and the resource group has one to inherit
    SubnetGet: 'notApplicable:mode-excludes-resource',
  },
  'built-in/Tags/RequireTag_Deny.json': { StorageAccountGetProperties: 'compliant', getVault: 'nonCompliant' },

  // --- Azure Landing Zones (expressions escaped as `[[...]` in the files)
  'alz/policyDefinitions/Append-KV-SoftDelete.json': { getVault: 'nonCompliant' }, // enableSoftDelete missing
  'alz/policyDefinitions/Audit-PrivateLinkDnsZones.json': { VirtualNetworkGetWithSubnetDelegation: 'notApplicable:not-targeted' }, // targets privateDnsZones
  // Mandatory tags owner and costcenter: the APIM service has owner only, the vault no tags.
  'alz/policyDefinitions/Audit-Tags-Mandatory.json': { ApiManagementServiceGetService: 'nonCompliant', getVault: 'nonCompliant' },
  // customProperties disable TLS 1.0/1.1 ("false"), so no indexof() finds an enabling entry.
  'alz/policyDefinitions/Deny-APIM-TLS.json': { ApiManagementServiceGetService: 'compliant' },
  'alz/policyDefinitions/Deny-AppServiceWebApp-http.json': { GetWebApp: 'nonCompliant' }, // kind app like app*, httpsOnly false
  // The rule allows port 80 only, from "*": neither the child rule nor the NSG's securityRules[*] open 22 or 3389.
  'alz/policyDefinitions/Deny-MgmtPorts-From-Internet.json': { NetworkSecurityGroupRuleGet: 'compliant', NetworkSecurityGroupGet: 'compliant' },
  'alz/policyDefinitions/Deny-Sql-minTLS.json': { ServerGet: 'nonCompliant' }, // minimalTlsVersion missing
  'alz/policyDefinitions/Deny-Storage-NetworkAclsBypass.json': { StorageAccountGetProperties: 'compliant', StorageAccountGetPropertiesCMKEnabled: 'compliant' }, // AzureServices is allowed
  // subnet1 has no networkSecurityGroup and is not an excluded name: the VNet (via subnets[*]) and the subnet itself match.
  'alz/policyDefinitions/Deny-Subnet-Without-Nsg.json': { VirtualNetworkGetWithSubnetDelegation: 'nonCompliant', SubnetGet: 'nonCompliant' },
  // Protects storage accounts named sto*: the account matches the rule (non-compliant per the audit/deny mapping), the vault is another type.
  'alz/policyDefinitions/DenyAction-DeleteResources.json': { StorageAccountGetProperties: 'nonCompliant', getVault: 'notApplicable:not-targeted' },
  'alz/policyDefinitions/Modify-NSG.json': { NetworkSecurityGroupGet: 'compliant' }, // it has one security rule
};

const contextFor = (file: string, resource: PolicyResource) => ({
  parameters: PARAMETERS[file],
  related,
  now: new Date('2026-05-01T00:00:00Z'),
  resourceGroup: {
    name: /\/resourceGroups\/([^/]+)/i.exec(resource.id ?? '')?.[1] ?? 'rg',
    tags: { key1: 'from-resource-group' },
    managedBy: null,
  },
});

const outcome = (file: string, policy: CompiledPolicy, name: string, expected: string) => {
  const resource = example(name);
  const verdict: Verdict = policy.evaluate(resource, contextFor(file, resource));
  return expected.includes(':') ? `${verdict.state}:${verdict.explanation.reason}` : verdict.state;
};

describe('the Azure Policy corpus', () => {
  it('compiles at least 86 of the 90 definitions and refuses exactly the data-plane ones, with a reason', () => {
    const refused = definitions.flatMap(({ file, result }) => (result.ok ? [] : [[file, result.refusal.reason, result.refusal.message] as const]));
    const compiled = definitions.length - refused.length;
    console.log(
      [
        `corpus: ${compiled} of ${definitions.length} definitions compile (${((100 * compiled) / definitions.length).toFixed(1)}%)`,
        ...refused.map(([file, reason, message]) => `  refused ${file}: ${reason} (${message})`),
      ].join('\n'),
    );
    expect(definitions).toHaveLength(90);
    expect(compiled).toBeGreaterThanOrEqual(86);
    expect(Object.fromEntries(refused.map(([file, reason]) => [file, reason]))).toEqual(REFUSED);
  });

  it('has an expected verdict for every definition that compiles', () => {
    const compiled = definitions.filter((d) => d.result.ok).map((d) => d.file);
    expect(Object.keys(EXPECTED).sort()).toEqual(compiled.sort());
  });

  describe.each(Object.entries(EXPECTED))('%s', (file, expectations) => {
    const found = definitions.find((d) => d.file === file);
    it.each(Object.entries(expectations))('on %s is %s', (name, expected) => {
      if (!found?.result.ok) throw new Error(`${file} did not compile`);
      expect(outcome(file, found.result.policy, name, expected)).toBe(expected);
    });
  });
});
