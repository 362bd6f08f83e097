import { buildArgTables, loadArmExamples, toArgRow } from './arg-rows';

describe('corpus ARM examples as Resource Graph rows', () => {
  const examples = loadArmExamples();

  it('loads the 35 corpus bodies', () => {
    expect(examples).toHaveLength(35);
  });

  it('lowercases type, adds subscription / resource group / tenant columns and fills empty columns', () => {
    const vm = examples.find((e) => e.file.startsWith('Microsoft.Compute.virtualMachines'))!;
    const row = toArgRow(vm, 'sub-1', 'tenant-1');
    expect(row).toMatchObject({
      id: '/subscriptions/sub-1/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM',
      type: 'microsoft.compute/virtualmachines',
      subscriptionId: 'sub-1',
      resourceGroup: 'myresourcegroup',
      tenantId: 'tenant-1',
      kind: '',
      plan: expect.any(Object),
    });
    const rule = examples.find((e) => e.file.startsWith('Microsoft.Network.networkSecurityGroups-securityRules'))!;
    expect(toArgRow(rule, 'sub-1', 't')).toMatchObject({
      type: 'microsoft.network/networksecuritygroups/securityrules',
      location: '',
      kind: '',
      managedBy: '',
      sku: {},
      plan: {},
      tags: {},
    });
  });

  it('builds tables per subscription with unique ids', () => {
    const tables = buildArgTables(['a', 'b'], 't');
    const ids = tables['resources'].map((r) => String(r['id']).toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
    expect(tables['resources']).toHaveLength(68);
    expect(tables['resourcecontainers'].filter((r) => r['type'] === 'microsoft.resources/subscriptions')).toHaveLength(2);
    expect(tables['authorizationresources']).toHaveLength(2);
  });
});
