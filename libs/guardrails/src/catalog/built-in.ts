// The built-in guardrails: real Azure Policy definitions (built-in and Azure Landing Zone, run
// unchanged) with Rampart's metadata around them. Control mappings are Rampart's curation: MCSB v1
// control ids, CIS Microsoft Azure Foundations Benchmark v2.0.0 recommendation numbers, ISO/IEC
// 27001:2022 Annex A controls. Review them with your auditor before relying on them for a certification.
import webAppWithoutAuthentication from '../../corpus/azure-policy/built-in/App Service/Authentication_WebApp_Audit.json';
import functionAppWithoutAuthentication from '../../corpus/azure-policy/built-in/App Service/Authentication_functionapp_Audit.json';
import containerAppWithoutAuthentication from '../../corpus/azure-policy/built-in/Container Apps/EnableAuth_AINE.json';
import apiBackendWithoutAuthentication from '../../corpus/azure-policy/built-in/API Management/BackendAuth_AuditDeny.json';
import storagePublicNetworkAccess from '../../corpus/azure-policy/built-in/Storage/StoragePublicNetworkAccess_AuditDeny.json';
import webAppPublicNetworkAccess from '../../corpus/azure-policy/built-in/App Service/WebApp_PublicNetworkAccess_Audit.json';
import sqlPublicNetworkAccess from '../../corpus/azure-policy/built-in/SQL/SqlServer_PublicNetworkAccess_Audit.json';
import keyVaultPublicNetworkAccess from '../../corpus/azure-policy/built-in/Key Vault/PublicNetworkAccess_Audit.json';
import containerRegistryPublicNetworkAccess from '../../corpus/azure-policy/built-in/Container Registry/ACR_PublicNetworkAccess_AuditDeny.json';
import cosmosPublicNetworkAccess from '../../corpus/azure-policy/built-in/Cosmos DB/Cosmos_PrivateNetworkAccess_AuditDeny.json';
import managementPortsOpenToInternet from '../../corpus/azure-policy/alz/policyDefinitions/Deny-MgmtPorts-From-Internet.json';
import subnetWithoutNetworkSecurityGroup from '../../corpus/azure-policy/alz/policyDefinitions/Deny-Subnet-Without-Nsg.json';
import storageKeysNotRotated from '../../corpus/azure-policy/built-in/Storage/StorageAccountKeysExpired_Restrict.json';
import storageHttpAllowed from '../../corpus/azure-policy/built-in/Storage/Storage_AuditForHTTPSEnabled_Audit.json';
import storageWeakTls from '../../corpus/azure-policy/built-in/Storage/StorageAccountMinimumTLSVersion_Audit.json';
import webAppHttpAllowed from '../../corpus/azure-policy/built-in/App Service/Webapp_AuditHTTP_Audit.json';
import sqlWeakTls from '../../corpus/azure-policy/built-in/SQL/SqlServer_MiniumTLSVersion_Audit.json';
import sqlDatabaseNotEncrypted from '../../corpus/azure-policy/built-in/SQL/SqlDBEncryption_Audit.json';
import aksHostNotEncrypted from '../../corpus/azure-policy/built-in/Kubernetes/AKS_EncryptionAtHost_Deny.json';
import storagePublicBlobAccess from '../../corpus/azure-policy/built-in/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json';
import keyVaultNotRecoverable from '../../corpus/azure-policy/built-in/Key Vault/Recoverable_Audit.json';
import containerRegistryAnonymousPull from '../../corpus/azure-policy/built-in/Container Registry/ACR_AnonymousPullDisabled_AuditDeny.json';
import containerRegistryAdminAccount from '../../corpus/azure-policy/built-in/Container Registry/ACR_AdminAccountDisabled_AuditDeny.json';
import aksPublicApiServer from '../../corpus/azure-policy/built-in/Kubernetes/AKS_PrivateCluster_Deny.json';
import aksWithoutRbac from '../../corpus/azure-policy/built-in/Security Center/ASC_EnableRBAC_KubernetesService_Audit.json';
import containerAppExternalIngress from '../../corpus/azure-policy/built-in/Container Apps/ContainerAppInternal_Audit.json';
import apiManagementOutsideVirtualNetwork from '../../corpus/azure-policy/built-in/API Management/VNETEnabled_Audit.json';
import privilegedRoleAssignedDirectly from '../../definitions/Privileged-Role-Assigned-Directly.json';
import guestOwners from '../../definitions/Guest-Owners-Defender-Assessment.json';
import tooManyOwners from '../../definitions/Too-Many-Owners-Defender-Assessment.json';
import type { Guardrail } from './guardrail';

export const BUILT_IN_GUARDRAILS: readonly Guardrail[] = [
  {
    id: 'web-app-without-authentication',
    title: 'Web app reachable without authentication',
    severity: 'high',
    definition: webAppWithoutAuthentication,
    source: 'built-in/App Service/Authentication_WebApp_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'MCSB', control: 'IM-3' },
      { framework: 'CIS-Azure', control: '9.1' },
      { framework: 'ISO27001', control: 'A.8.5' },
      { framework: 'ISO27001', control: 'A.8.26' },
    ],
    remediation: 'Turn on App Service Authentication (Easy Auth) with Microsoft Entra ID, or put the app behind a gateway that authenticates; until then restrict public network access.',
    playbookId: 'restrict-public-api',
  },
  {
    id: 'function-app-without-authentication',
    title: 'Function app reachable without authentication',
    severity: 'high',
    definition: functionAppWithoutAuthentication,
    source: 'built-in/App Service/Authentication_functionapp_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'MCSB', control: 'IM-3' },
      { framework: 'CIS-Azure', control: '9.1' },
      { framework: 'ISO27001', control: 'A.8.5' },
      { framework: 'ISO27001', control: 'A.8.26' },
    ],
    remediation: 'Turn on App Service Authentication for the function app, or require function keys behind API Management; restrict public network access meanwhile.',
    playbookId: 'restrict-public-api',
  },
  {
    id: 'container-app-without-authentication',
    title: 'Container app reachable without authentication',
    severity: 'high',
    definition: containerAppWithoutAuthentication,
    source: 'built-in/Container Apps/EnableAuth_AINE.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'ISO27001', control: 'A.8.5' },
      { framework: 'ISO27001', control: 'A.8.26' },
    ],
    remediation: 'Enable built-in authentication (authConfigs) on the container app, or make its ingress internal.',
    playbookId: 'restrict-public-api',
  },
  {
    id: 'api-backend-without-authentication',
    title: 'API Management calls backends without authentication',
    severity: 'high',
    definition: apiBackendWithoutAuthentication,
    source: 'built-in/API Management/BackendAuth_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'MCSB', control: 'IM-4' },
      { framework: 'ISO27001', control: 'A.8.5' },
    ],
    remediation: 'Configure backend credentials (client certificate or authorization header) on every API Management backend.',
    playbookId: 'restrict-public-api',
  },
  {
    id: 'storage-public-network-access',
    title: 'Storage account open to public networks',
    severity: 'medium',
    definition: storagePublicNetworkAccess,
    source: 'built-in/Storage/StoragePublicNetworkAccess_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Set publicNetworkAccess to Disabled and reach the account through private endpoints.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'web-app-public-network-access',
    title: 'Web app open to public networks',
    severity: 'medium',
    definition: webAppPublicNetworkAccess,
    source: 'built-in/App Service/WebApp_PublicNetworkAccess_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Disable public network access and use private endpoints or access restrictions.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'sql-public-network-access',
    title: 'SQL server open to public networks',
    severity: 'high',
    definition: sqlPublicNetworkAccess,
    source: 'built-in/SQL/SqlServer_PublicNetworkAccess_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Set publicNetworkAccess to Disabled and connect through private endpoints.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'key-vault-public-network-access',
    title: 'Key vault open to public networks',
    severity: 'medium',
    definition: keyVaultPublicNetworkAccess,
    source: 'built-in/Key Vault/PublicNetworkAccess_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Disable public network access on the vault and use private endpoints.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'container-registry-public-network-access',
    title: 'Container registry open to public networks',
    severity: 'medium',
    definition: containerRegistryPublicNetworkAccess,
    source: 'built-in/Container Registry/ACR_PublicNetworkAccess_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Disable public network access on the registry (Premium SKU) and use private endpoints.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'cosmos-public-network-access',
    title: 'Cosmos DB account open to public networks',
    severity: 'medium',
    definition: cosmosPublicNetworkAccess,
    source: 'built-in/Cosmos DB/Cosmos_PrivateNetworkAccess_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Disable public network access on the account and use private endpoints.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'management-ports-open-to-internet',
    title: 'Management ports (RDP, SSH) open to the Internet',
    severity: 'critical',
    definition: managementPortsOpenToInternet,
    source: 'alz/policyDefinitions/Deny-MgmtPorts-From-Internet.json',
    parameters: { effect: 'Audit' },
    controls: [
      { framework: 'MCSB', control: 'NS-1' },
      { framework: 'MCSB', control: 'PA-7' },
      { framework: 'CIS-Azure', control: '6.1' },
      { framework: 'CIS-Azure', control: '6.2' },
      { framework: 'ISO27001', control: 'A.8.20' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Remove inbound allow rules for 22/3389 from Internet or any source; use Azure Bastion or just-in-time access.',
    playbookId: 'isolate-workload',
  },
  {
    id: 'subnet-without-network-security-group',
    title: 'Subnet without a network security group',
    severity: 'medium',
    definition: subnetWithoutNetworkSecurityGroup,
    source: 'alz/policyDefinitions/Deny-Subnet-Without-Nsg.json',
    parameters: { effect: 'Audit' },
    controls: [
      { framework: 'MCSB', control: 'NS-1' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Associate a network security group with every subnet (except the platform subnets that forbid it).',
    playbookId: 'isolate-workload',
  },
  {
    id: 'storage-keys-not-rotated',
    title: 'Storage account keys past their expiry (not rotated)',
    severity: 'medium',
    definition: storageKeysNotRotated,
    source: 'built-in/Storage/StorageAccountKeysExpired_Restrict.json',
    controls: [
      { framework: 'MCSB', control: 'IM-8' },
      { framework: 'MCSB', control: 'DP-6' },
      { framework: 'CIS-Azure', control: '3.4' },
      { framework: 'ISO27001', control: 'A.5.17' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Set a key expiration policy and rotate the account keys, or disable shared key access in favour of Entra ID.',
    playbookId: 'rotate-secret',
  },
  {
    id: 'storage-http-allowed',
    title: 'Storage account accepts plain HTTP',
    severity: 'medium',
    definition: storageHttpAllowed,
    source: 'built-in/Storage/Storage_AuditForHTTPSEnabled_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-3' },
      { framework: 'CIS-Azure', control: '3.1' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Set supportsHttpsTrafficOnly to true.',
    playbookId: 'harden-transport',
  },
  {
    id: 'storage-weak-tls',
    title: 'Storage account accepts TLS below 1.2',
    severity: 'medium',
    definition: storageWeakTls,
    source: 'built-in/Storage/StorageAccountMinimumTLSVersion_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-3' },
      { framework: 'CIS-Azure', control: '3.15' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Set minimumTlsVersion to TLS1_2.',
    playbookId: 'harden-transport',
  },
  {
    id: 'web-app-http-allowed',
    title: 'Web app accepts plain HTTP',
    severity: 'medium',
    definition: webAppHttpAllowed,
    source: 'built-in/App Service/Webapp_AuditHTTP_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-3' },
      { framework: 'CIS-Azure', control: '9.2' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Set httpsOnly to true.',
    playbookId: 'harden-transport',
  },
  {
    id: 'sql-weak-tls',
    title: 'SQL server accepts TLS below 1.2',
    severity: 'medium',
    definition: sqlWeakTls,
    source: 'built-in/SQL/SqlServer_MiniumTLSVersion_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-3' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Set minimalTlsVersion to 1.2.',
    playbookId: 'harden-transport',
  },
  {
    id: 'sql-database-not-encrypted',
    title: 'SQL database without transparent data encryption',
    severity: 'high',
    definition: sqlDatabaseNotEncrypted,
    source: 'built-in/SQL/SqlDBEncryption_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-4' },
      { framework: 'CIS-Azure', control: '4.1.5' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Turn on transparent data encryption for the database.',
    playbookId: 'enable-encryption',
  },
  {
    id: 'aks-host-not-encrypted',
    title: 'AKS node pools without encryption at host',
    severity: 'medium',
    definition: aksHostNotEncrypted,
    source: 'built-in/Kubernetes/AKS_EncryptionAtHost_Deny.json',
    controls: [
      { framework: 'MCSB', control: 'DP-4' },
      { framework: 'ISO27001', control: 'A.8.24' },
    ],
    remediation: 'Create node pools with enableEncryptionAtHost and move workloads to them.',
    playbookId: 'enable-encryption',
  },
  {
    id: 'storage-public-blob-access',
    title: 'Storage account allows anonymous blob access',
    severity: 'high',
    definition: storagePublicBlobAccess,
    source: 'built-in/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'MCSB', control: 'IM-7' },
      { framework: 'CIS-Azure', control: '3.7' },
      { framework: 'ISO27001', control: 'A.5.15' },
      { framework: 'ISO27001', control: 'A.8.3' },
    ],
    remediation: 'Set allowBlobPublicAccess to false.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'key-vault-not-recoverable',
    title: 'Key vault without soft delete and purge protection',
    severity: 'medium',
    definition: keyVaultNotRecoverable,
    source: 'built-in/Key Vault/Recoverable_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'DP-8' },
      { framework: 'MCSB', control: 'BR-1' },
      { framework: 'CIS-Azure', control: '8.5' },
      { framework: 'ISO27001', control: 'A.8.13' },
    ],
    remediation: 'Enable soft delete and purge protection on the vault.',
    playbookId: 'harden-configuration',
  },
  {
    id: 'container-registry-anonymous-pull',
    title: 'Container registry allows anonymous pull',
    severity: 'high',
    definition: containerRegistryAnonymousPull,
    source: 'built-in/Container Registry/ACR_AnonymousPullDisabled_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.5.15' },
    ],
    remediation: 'Disable anonymous pull on the registry.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'container-registry-admin-account',
    title: 'Container registry admin account enabled',
    severity: 'medium',
    definition: containerRegistryAdminAccount,
    source: 'built-in/Container Registry/ACR_AdminAccountDisabled_AuditDeny.json',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'MCSB', control: 'PA-1' },
      { framework: 'ISO27001', control: 'A.8.2' },
      { framework: 'ISO27001', control: 'A.5.17' },
    ],
    remediation: 'Disable the admin user and use Entra ID identities with AcrPull/AcrPush roles.',
    playbookId: 'revoke-credentials',
  },
  {
    id: 'aks-public-api-server',
    title: 'AKS API server reachable from the Internet',
    severity: 'high',
    definition: aksPublicApiServer,
    source: 'built-in/Kubernetes/AKS_PrivateCluster_Deny.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Use a private cluster, or restrict authorized IP ranges on the API server.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'aks-without-rbac',
    title: 'AKS cluster without Kubernetes RBAC',
    severity: 'high',
    definition: aksWithoutRbac,
    source: 'built-in/Security Center/ASC_EnableRBAC_KubernetesService_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'PA-7' },
      { framework: 'ISO27001', control: 'A.8.2' },
      { framework: 'ISO27001', control: 'A.5.15' },
    ],
    remediation: 'Recreate the cluster with Kubernetes RBAC enabled (it cannot be turned on in place).',
    playbookId: 'harden-configuration',
  },
  {
    id: 'container-app-external-ingress',
    title: 'Container app with external ingress',
    severity: 'medium',
    definition: containerAppExternalIngress,
    source: 'built-in/Container Apps/ContainerAppInternal_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Make the ingress of the container app internal and front it with a gateway.',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'api-management-outside-virtual-network',
    title: 'API Management outside a virtual network',
    severity: 'medium',
    definition: apiManagementOutsideVirtualNetwork,
    source: 'built-in/API Management/VNETEnabled_Audit.json',
    controls: [
      { framework: 'MCSB', control: 'NS-1' },
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
      { framework: 'ISO27001', control: 'A.8.22' },
    ],
    remediation: 'Deploy API Management in a virtual network (internal or external mode).',
    playbookId: 'restrict-public-network',
  },
  {
    id: 'privileged-role-assigned-directly',
    title: 'Privileged role assigned directly to a user or a foreign (guest) group',
    severity: 'high',
    definition: privilegedRoleAssignedDirectly,
    source: 'rampart/Privileged-Role-Assigned-Directly.json',
    controls: [
      { framework: 'MCSB', control: 'PA-1' },
      { framework: 'MCSB', control: 'PA-2' },
      { framework: 'ISO27001', control: 'A.8.2' },
      { framework: 'ISO27001', control: 'A.5.18' },
    ],
    remediation: 'Remove the direct assignment; make the role eligible through Privileged Identity Management for a managed group, with access reviews.',
    playbookId: 'remove-privileged-assignment',
  },
  {
    id: 'guest-owner-accounts',
    title: 'Guest accounts hold Owner on a subscription',
    severity: 'high',
    definition: guestOwners,
    source: 'rampart/Guest-Owners-Defender-Assessment.json',
    controls: [
      { framework: 'MCSB', control: 'PA-1' },
      { framework: 'MCSB', control: 'PA-4' },
      { framework: 'CIS-Azure', control: '1.3' },
      { framework: 'ISO27001', control: 'A.5.18' },
      { framework: 'ISO27001', control: 'A.8.2' },
    ],
    remediation: 'Remove the guest accounts\' Owner assignments; give external partners the least role they need, eligible through PIM, and review guest access regularly.',
    playbookId: 'remove-privileged-assignment',
  },
  {
    id: 'too-many-subscription-owners',
    title: 'More than 3 owners designated for a subscription',
    severity: 'medium',
    definition: tooManyOwners,
    source: 'rampart/Too-Many-Owners-Defender-Assessment.json',
    controls: [
      { framework: 'MCSB', control: 'PA-1' },
      { framework: 'CIS-Azure', control: '1.23' },
      { framework: 'ISO27001', control: 'A.8.2' },
    ],
    remediation: 'Reduce the permanent Owners to at most three; make the others eligible through PIM or give them narrower roles.',
    playbookId: 'remove-privileged-assignment',
  },
];
