import {
  armIdNames,
  armIdScope,
  armIdType,
  armKey,
  isResourceGroupId,
  parentArmId,
  parseArmId,
  resourceGroupScopeOf,
  sameArmId,
  subscriptionScopeOf,
} from './arm-id';

// Ids as the shared corpus has them (Azure REST API examples, Defender and Sentinel payloads), with
// their odd casings kept, and the role assignment shapes Resource Graph returns.
const SUB = '/subscriptions/00000000-1111-2222-3333-444444444444';
const database = `${SUB}/resourceGroups/security-tde-resourcegroup/providers/Microsoft.Sql/servers/securitytde/databases/testdb`;
const server = `${SUB}/resourceGroups/security-tde-resourcegroup/providers/Microsoft.Sql/servers/securitytde`;
const group = `${SUB}/resourceGroups/security-tde-resourcegroup`;
const delegation = '/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet/subnets/subnet1/delegations/myDelegation';
const diagnosticSetting =
  '/subscriptions/1a66ce04-b633-4a0b-b2bc-a912ec8986a6/resourcegroups/viruela1/providers/microsoft.logic/workflows/viruela6/providers/microsoft.insights/diagnosticSettings/mysetting';
const assessment =
  '/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Compute/virtualMachineScaleSets/vmss2/providers/Microsoft.Security/assessments/21300918-b2e3-0346-785f-c77ff57d243b';
const storageRoleAssignment =
  '/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Storage/storageAccounts/stapp/providers/Microsoft.Authorization/roleAssignments/1f3a9b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
const subscriptionRoleAssignment = '/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/providers/Microsoft.Authorization/roleAssignments/1f3a9b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c';
const aksCluster = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/Microsoft.ContainerService/managedClusters/clustername1';
const policyAtManagementGroup = '/providers/Microsoft.Management/managementGroups/contoso/providers/Microsoft.Authorization/policyDefinitions/Deny-LogicApp-Public-Network';

describe('parseArmId', () => {
  it('reads a nested child resource: the namespace, every type segment, the names parents first', () => {
    expect(parseArmId(database)).toEqual({
      subscriptionId: '00000000-1111-2222-3333-444444444444',
      resourceGroup: 'security-tde-resourcegroup',
      namespace: 'Microsoft.Sql',
      type: 'Microsoft.Sql/servers/databases',
      names: ['securitytde', 'testdb'],
      name: 'testdb',
    });
    expect(parseArmId(delegation)).toMatchObject({ type: 'Microsoft.Network/virtualNetworks/subnets/delegations', names: ['test-vnet', 'subnet1', 'myDelegation'] });
  });

  it('reads an extension resource as the resource it is, under the last providers segment', () => {
    expect(parseArmId(storageRoleAssignment)).toMatchObject({
      subscriptionId: '20ff7fc3-e762-44dd-bd96-b71116dcdc23',
      resourceGroup: 'myRg',
      namespace: 'Microsoft.Authorization',
      type: 'Microsoft.Authorization/roleAssignments',
      name: '1f3a9b2c-0d4e-4f5a-8b6c-7d8e9f0a1b2c',
    });
    expect(parseArmId(diagnosticSetting)).toMatchObject({ resourceGroup: 'viruela1', type: 'microsoft.insights/diagnosticSettings', names: ['mysetting'] });
    expect(parseArmId(assessment)?.type).toBe('Microsoft.Security/assessments');
  });

  it('reads subscription-level and tenant-level resources, resource groups and subscriptions', () => {
    expect(parseArmId(subscriptionRoleAssignment)).toMatchObject({ subscriptionId: '20ff7fc3-e762-44dd-bd96-b71116dcdc23', type: 'Microsoft.Authorization/roleAssignments' });
    expect(parseArmId(subscriptionRoleAssignment)?.resourceGroup).toBeUndefined();
    expect(parseArmId(policyAtManagementGroup)).toMatchObject({ type: 'Microsoft.Authorization/policyDefinitions', name: 'Deny-LogicApp-Public-Network' });
    expect(parseArmId(policyAtManagementGroup)?.subscriptionId).toBeUndefined();
    expect(parseArmId(group)).toEqual({ subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'security-tde-resourcegroup', names: [], name: 'security-tde-resourcegroup' });
    expect(parseArmId(SUB)).toEqual({ subscriptionId: '00000000-1111-2222-3333-444444444444', names: [], name: '00000000-1111-2222-3333-444444444444' });
  });

  it('reads any casing of the fixed segments, and keeps the spelling of the rest', () => {
    expect(parseArmId('/SUBSCRIPTIONS/SubId/RESOURCEGROUPS/Rg1/PROVIDERS/Microsoft.Web/Sites/App1')).toMatchObject({
      subscriptionId: 'SubId',
      resourceGroup: 'Rg1',
      type: 'Microsoft.Web/Sites',
      name: 'App1',
    });
    expect(parseArmId(aksCluster)).toMatchObject({ resourceGroup: 'rg1', type: 'Microsoft.ContainerService/managedClusters' });
  });

  it('does not take apart what is not an ARM id', () => {
    expect(parseArmId('subscriptions/s/resourceGroups/rg')).toBeUndefined();
    expect(parseArmId('')).toBeUndefined();
  });
});

describe('the parts on their own', () => {
  it('type and names need a namespace and a type after the last providers segment', () => {
    expect(armIdType(server)).toBe('Microsoft.Sql/servers');
    expect(armIdNames(database)).toEqual(['securitytde', 'testdb']);
    expect(armIdType(group)).toBeUndefined();
    expect(armIdType(`${group}/providers/Microsoft.Sql`)).toBeUndefined();
    expect(armIdNames(`${group}/providers/Microsoft.Sql`)).toBeUndefined();
    // a type without its name yet (a list URL) still names the type
    expect(armIdType(`${server}/databases`)).toBe('Microsoft.Sql/servers/databases');
  });

  it('scope: the subscription and resource group the id starts with', () => {
    expect(armIdScope(database)).toEqual({ subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'security-tde-resourcegroup' });
    expect(armIdScope(subscriptionRoleAssignment)).toEqual({ subscriptionId: '20ff7fc3-e762-44dd-bd96-b71116dcdc23', resourceGroup: undefined });
    expect(armIdScope(policyAtManagementGroup)).toEqual({ subscriptionId: undefined, resourceGroup: undefined });
  });
});

describe('scopes of an id', () => {
  it('the resource group and the subscription, spelled as in the id', () => {
    expect(resourceGroupScopeOf(database)).toBe(group);
    expect(resourceGroupScopeOf(diagnosticSetting)).toBe('/subscriptions/1a66ce04-b633-4a0b-b2bc-a912ec8986a6/resourcegroups/viruela1');
    expect(resourceGroupScopeOf(group)).toBe(group);
    expect(resourceGroupScopeOf(subscriptionRoleAssignment)).toBeUndefined();
    expect(subscriptionScopeOf(database)).toBe(SUB);
    expect(subscriptionScopeOf(policyAtManagementGroup)).toBeUndefined();
  });

  it("tells a resource group's own id from what lives in it", () => {
    expect(isResourceGroupId(group)).toBe(true);
    expect(isResourceGroupId(group.toUpperCase())).toBe(true);
    expect(isResourceGroupId(server)).toBe(false);
    expect(isResourceGroupId(`${group}/`)).toBe(false);
    expect(isResourceGroupId(SUB)).toBe(false);
  });
});

describe('parentArmId', () => {
  it('is the parent resource of a child, the resource group of a top-level resource, the subscription of a group', () => {
    expect(parentArmId(database)).toBe(server);
    expect(parentArmId(server)).toBe(group);
    expect(parentArmId(group)).toBe(SUB);
    expect(parentArmId(SUB)).toBeUndefined();
    expect(parentArmId(delegation)).toBe('/subscriptions/subId/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/test-vnet/subnets/subnet1');
  });

  it('is the resource an extension resource sits on', () => {
    expect(parentArmId(storageRoleAssignment)).toBe('/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23/resourceGroups/myRg/providers/Microsoft.Storage/storageAccounts/stapp');
    expect(parentArmId(diagnosticSetting)).toBe('/subscriptions/1a66ce04-b633-4a0b-b2bc-a912ec8986a6/resourcegroups/viruela1/providers/microsoft.logic/workflows/viruela6');
    expect(parentArmId(subscriptionRoleAssignment)).toBe('/subscriptions/20ff7fc3-e762-44dd-bd96-b71116dcdc23');
    expect(parentArmId(policyAtManagementGroup)).toBe('/providers/Microsoft.Management/managementGroups/contoso');
  });

  it('is nothing at the tenant root', () => {
    expect(parentArmId('/providers/Microsoft.Management/managementGroups/contoso')).toBeUndefined();
  });
});

describe('comparing ids', () => {
  it('ignores case: the key is the lowercase id', () => {
    expect(armKey(aksCluster)).toBe('/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg1/providers/microsoft.containerservice/managedclusters/clustername1');
    expect(sameArmId(aksCluster, aksCluster.replace('resourcegroups', 'resourceGroups').replace('managedClusters', 'ManagedClusters'))).toBe(true);
    expect(sameArmId(server, database)).toBe(false);
  });
});
