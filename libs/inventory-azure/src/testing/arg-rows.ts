import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { armIdScope } from '@rampart/resource-model';

/**
 * ARM GET bodies from the REST API examples of Azure/azure-rest-api-specs (MIT), copied unchanged from the
 * shared corpus (see arm-examples/README.md), turned into Azure Resource Graph row shape.
 */
export interface ArmExample {
  file: string;
  /** Resource type from the file name (`Microsoft.Network.networkSecurityGroups-securityRules` → `Microsoft.Network/networkSecurityGroups/securityRules`). */
  declaredType: string;
  body: Record<string, unknown>;
}

const EXAMPLES_DIR = join(__dirname, 'arm-examples');

export function loadArmExamples(): ArmExample[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const [namespaceA, namespaceB, types] = file.split('.');
      return {
        file,
        declaredType: `${namespaceA}.${namespaceB}/${types.split('-').join('/')}`,
        body: JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>,
      };
    });
}

/**
 * One ARG `resources` row from an ARM GET body, placed in `subscriptionId`:
 * - the `/subscriptions/<x>/` segment of `id` is replaced by `subscriptionId` (the examples use placeholders);
 * - `type` is lowercased (taken from the file name when the body has none);
 * - `subscriptionId`, `resourceGroup` (lowercased, as in the `resources` table) and `tenantId` columns are added;
 * - absent columns are present and empty as ARG has them: `kind: ""`, `managedBy: ""`, `location: ""`,
 *   `sku: {}`, `plan: {}`, `tags: {}`, `properties: {}`; `identity`, `zones`, `extendedLocation` are null.
 */
export function toArgRow(example: ArmExample, subscriptionId: string, tenantId: string): Record<string, unknown> {
  const body = example.body;
  const id = String(body['id']).replace(/^\/subscriptions\/[^/]+/i, `/subscriptions/${subscriptionId}`);
  const resourceGroup = armIdScope(id).resourceGroup ?? '';
  return {
    id,
    name: body['name'] ?? id.split('/').pop(),
    type: String(body['type'] ?? example.declaredType).toLowerCase(),
    tenantId,
    kind: body['kind'] ?? '',
    location: body['location'] ?? '',
    resourceGroup: resourceGroup.toLowerCase(),
    subscriptionId,
    managedBy: body['managedBy'] ?? '',
    sku: body['sku'] ?? {},
    plan: body['plan'] ?? {},
    properties: body['properties'] ?? {},
    tags: body['tags'] ?? {},
    identity: body['identity'] ?? null,
    zones: body['zones'] ?? null,
    extendedLocation: body['extendedLocation'] ?? null,
  };
}

/** A row with every ARG column: what a row does not say is ARG's empty value for that column. */
const argRow = (row: { id: string; name: unknown; type: string; tenantId: string; subscriptionId: string } & Record<string, unknown>): Record<string, unknown> => ({
  kind: '',
  location: '',
  resourceGroup: '',
  managedBy: '',
  sku: {},
  plan: {},
  properties: {},
  tags: {},
  identity: null,
  zones: null,
  extendedLocation: null,
  ...row,
});

/**
 * Rows of three ARG tables for the given subscriptions:
 * - `resources`: every corpus body (one row per distinct id; two storage examples share an id);
 * - `resourcecontainers`: the subscription and its resource groups (resource group names keep their casing here);
 * - `authorizationresources`: one synthetic role assignment per subscription;
 * - `securityresources`: the subscription's Defender assessments of guest owners (healthy) and of the
 *   owner count (unhealthy), as the scan's filter keeps them.
 * Which child types ARG really indexes in `resources` is not modelled: every body becomes a row.
 */
export function buildArgTables(subscriptions: string[], tenantId: string): Record<string, Record<string, unknown>[]> {
  const examples = loadArmExamples();
  const resources: Record<string, unknown>[] = [];
  const resourcecontainers: Record<string, unknown>[] = [];
  const authorizationresources: Record<string, unknown>[] = [];
  const securityresources: Record<string, unknown>[] = [];
  for (const subscriptionId of subscriptions) {
    const seen = new Set<string>();
    const groups = new Map<string, string>();
    for (const example of examples) {
      const row = toArgRow(example, subscriptionId, tenantId);
      const key = String(row['id']).toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      resources.push(row);
      const group = armIdScope(String(row['id'])).resourceGroup;
      if (group && !groups.has(group.toLowerCase())) groups.set(group.toLowerCase(), group);
    }
    resourcecontainers.push(
      argRow({ id: `/subscriptions/${subscriptionId}`, name: `subscription ${subscriptionId.slice(0, 8)}`, type: 'microsoft.resources/subscriptions', tenantId, subscriptionId, properties: { state: 'Enabled' } }),
    );
    for (const group of groups.values()) {
      resourcecontainers.push(
        argRow({
          id: `/subscriptions/${subscriptionId}/resourceGroups/${group}`,
          name: group,
          type: 'microsoft.resources/subscriptions/resourcegroups',
          tenantId,
          location: 'eastus',
          resourceGroup: group,
          subscriptionId,
          properties: { provisioningState: 'Succeeded' },
        }),
      );
    }
    for (const [key, displayName, code] of [
      ['20606e75-05c4-48c0-9d97-add6daa2109a', 'Guest accounts with owner permissions on Azure resources should be removed', 'Healthy'],
      ['6f90a6d6-d4d6-0794-0ec1-98fa77878c2e', 'A maximum of 3 owners should be designated for your subscription', 'Unhealthy'],
    ]) {
      securityresources.push(
        argRow({
          id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/assessments/${key}`,
          name: key,
          type: 'microsoft.security/assessments',
          tenantId,
          subscriptionId,
          properties: { displayName, status: { code }, resourceDetails: { Source: 'Azure', Id: `/subscriptions/${subscriptionId}` } },
        }),
      );
    }
    const assignment = `00000000-0000-0000-0000-${subscriptionId.replace(/[^0-9a-f]/gi, '').slice(0, 12).padStart(12, '0')}`;
    authorizationresources.push(
      argRow({
        id: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments/${assignment}`,
        name: assignment,
        type: 'microsoft.authorization/roleassignments',
        tenantId,
        subscriptionId,
        properties: {
          roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
          principalId: '11111111-1111-1111-1111-111111111111',
          principalType: 'ServicePrincipal',
          scope: `/subscriptions/${subscriptionId}`,
        },
      }),
    );
  }
  return { resources, resourcecontainers, authorizationresources, securityresources };
}
