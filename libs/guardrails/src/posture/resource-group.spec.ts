// resourceGroup() from the inventory: Azure's "Inherit a tag from the resource group if missing"
// judges a resource by its group's tags once posture is given the group, and stays an error (never
// compliant) when the inventory does not hold it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog, type Guardrail } from '../catalog/guardrail';
import { compilePolicy, type CompiledPolicy } from '../rule-engine/policy';
import { DEFAULT_REPORTING_POLICY, type TenantGuardrails } from '../tenant-guardrails/tenant-guardrails';
import { evaluateResource, policyMayReadResourceGroup, type EvaluatedResource } from './evaluate';
import { isResourceGroupKey, mayReadResourceGroup, resourceGroupInfoOf, resourceGroupKeyOf } from './resource-group';

const INHERIT_TAG = JSON.parse(readFileSync(join(__dirname, '..', '..', 'corpus', 'azure-policy', 'built-in', 'Tags', 'InheritTag_Add_Modify.json'), 'utf8'));
const now = new Date('2026-12-06T10:00:00Z');
const SUB = '/subscriptions/00000000-1111-2222-3333-444444444444';

/** A resource group as Resource Graph's resourcecontainers table has it (as the inventory stores it). */
const group = (name: string, tags: Record<string, string>, more: Record<string, unknown> = {}) => ({
  id: `${SUB}/resourceGroups/${name}`,
  name,
  type: 'microsoft.resources/subscriptions/resourcegroups',
  location: 'westeurope',
  tags,
  subscriptionId: SUB.split('/')[2],
  resourceGroup: name,
  properties: { provisioningState: 'Succeeded' },
  ...more,
});
const storage = (groupName: string, name: string, tags: Record<string, string> = {}): EvaluatedResource => {
  const id = `${SUB}/resourceGroups/${groupName}/providers/Microsoft.Storage/storageAccounts/${name}`;
  return { id, key: id.toLowerCase(), name, type: 'Microsoft.Storage/storageAccounts', location: 'westeurope', tags, properties: {} };
};

describe('a resource group from the inventory', () => {
  it('is found by the key of any resource in it, case-insensitively, and read as resourceGroup() shows it, whichever way its type is spelt', () => {
    const key = resourceGroupKeyOf(`${SUB}/resourceGroups/RG-Payments/providers/Microsoft.Web/sites/app/config/web`);
    expect(key).toBe(`${SUB}/resourcegroups/rg-payments`);
    expect(resourceGroupKeyOf(`${SUB}/providers/Microsoft.Security/pricings/VirtualMachines`)).toBeUndefined();
    expect(isResourceGroupKey(`${SUB}/resourcegroups/rg-payments`)).toBe(true);
    expect(isResourceGroupKey(`${SUB}/resourcegroups/rg-payments/providers/microsoft.web/sites/app`)).toBe(false);

    const managed = group('databricks-rg', { env: 'prod' }, { managedBy: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Databricks/workspaces/w' });
    expect(resourceGroupInfoOf(managed)).toEqual({
      name: 'databricks-rg',
      id: `${SUB}/resourceGroups/databricks-rg`,
      location: 'westeurope',
      tags: { env: 'prod' },
      managedBy: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Databricks/workspaces/w',
      properties: { provisioningState: 'Succeeded' },
    });
    expect(resourceGroupInfoOf({ ...group('rg', {}), type: 'Microsoft.Resources/resourceGroups' })?.managedBy).toBeNull();
    expect(resourceGroupInfoOf(storage('rg', 'st'))).toBeUndefined();
  });

  it('tells which definitions may read it', () => {
    expect(mayReadResourceGroup(INHERIT_TAG)).toBe(true);
    expect(mayReadResourceGroup({ policyRule: { if: { value: "[ResourceGroup ().managedBy]", equals: '' }, then: { effect: 'audit' } } })).toBe(true);
    expect(mayReadResourceGroup({ policyRule: { if: { field: 'type', equals: 'Microsoft.Resources/resourceGroups' }, then: { effect: 'audit' } } })).toBe(false);
  });
});

describe('Azure built-in "Inherit a tag from the resource group if missing"', () => {
  const compiled = compilePolicy(INHERIT_TAG);
  const policy = (compiled.ok ? compiled.policy : undefined) as CompiledPolicy;
  const parameters = { tagName: 'costCenter' };
  const finance = resourceGroupInfoOf(group('rg-finance', { costCenter: 'CC-42' }));

  it('given the resource group with the tag, a resource without it is non-compliant and one with it compliant', () => {
    expect(compiled.ok).toBe(true);
    expect(policy.evaluate(storage('rg-finance', 'untagged'), { parameters, now, resourceGroup: finance }).state).toBe('nonCompliant');
    expect(policy.evaluate(storage('rg-finance', 'tagged', { costCenter: 'CC-42' }), { parameters, now, resourceGroup: finance }).state).toBe('compliant');
  });

  it('without the resource group it is an error that names what is missing, never compliant', () => {
    const verdict = policy.evaluate(storage('rg-finance', 'untagged'), { parameters, now });
    expect(verdict.state).toBe('error');
    expect(verdict.error).toMatchObject({ reason: 'missing-context' });
    expect(verdict.error?.message).toMatch(/resourceGroup\(\)\.tags/);
  });
});

describe('posture with resource groups', () => {
  const guardrail: Guardrail = {
    id: 'inherit-cost-center',
    title: 'Resources carry their resource group’s cost center',
    severity: 'low',
    definition: INHERIT_TAG,
    source: 'Tags/InheritTag_Add_Modify.json',
    parameters: { tagName: 'costCenter' },
    controls: [],
    remediation: 'Copy the cost center tag from the resource group.',
    playbookId: 'tag-resources',
  };
  const catalog = buildCatalog([guardrail], [{ id: 'tagging', title: 'Tagging', description: 'Tags', guardrailIds: [guardrail.id] }]);
  const policy: TenantGuardrails = {
    assignments: new Map([['tags', { assignmentId: 'tags', baselineId: 'tagging', scope: '*', parameters: {} }]]),
    exemptions: new Map(),
    reporting: DEFAULT_REPORTING_POLICY,
    attestationApprovalRequired: false,
    maxEvidenceAgeHours: 168,
  };
  const stateOf = (resource: EvaluatedResource, groupResource?: ReturnType<typeof group>) =>
    evaluateResource(catalog, policy, resource, { now, resourceGroup: groupResource && resourceGroupInfoOf(groupResource) }).map((r) => r.state);

  it('gives two resources of one type in groups with different tags their own verdicts, whichever is evaluated first', () => {
    const tagged = group('rg-finance', { costCenter: 'CC-42' });
    const untagged = group('rg-sandbox', {});
    for (let round = 0; round < 2; round++) {
      expect(stateOf(storage('rg-finance', 'st1'), tagged)).toEqual(['nonCompliant']);
      expect(stateOf(storage('rg-sandbox', 'st2'), untagged)).toEqual(['compliant']);
    }
    expect(stateOf(storage('rg-sandbox', 'st3'))).toEqual(['error']);
    expect(stateOf(storage('rg-finance', 'st4'), tagged)).toEqual(['nonCompliant']);
  });

  it('knows that the assigned policy may read resource groups', () => {
    expect(policyMayReadResourceGroup(catalog, policy)).toBe(true);
    expect(policyMayReadResourceGroup(catalog, { ...policy, assignments: new Map() })).toBe(false);
  });
});
