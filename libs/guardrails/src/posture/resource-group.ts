// What `resourceGroup()` returns, taken from the inventory: resource groups are resources there too
// (Microsoft.Resources/resourceGroups from ARM, microsoft.resources/subscriptions/resourcegroups from
// Resource Graph). Pure: the caller finds the group's resource by key, a Map hit. A group the
// inventory does not hold stays unknown; the engine then knows only its name (from the id).
import { resourceGroupScopeOf } from '@rampart/resource-model';
import type { ResourceGroupInfo } from '../rule-engine/expressions';
import { isObject, type PolicyResource } from '../rule-engine/resource';

const RESOURCE_GROUP_TYPES = new Set(['microsoft.resources/resourcegroups', 'microsoft.resources/subscriptions/resourcegroups']);

/** The (lowercase) key of the resource group a resource lives in, `/subscriptions/<id>/resourcegroups/<name>`; a group's own key for a group. */
export const resourceGroupKeyOf = (resourceKey: string): string | undefined => resourceGroupScopeOf(resourceKey)?.toLowerCase();

/** Whether the key is a resource group's own: `/subscriptions/<id>/resourcegroups/<name>`. */
export const isResourceGroupKey = (key: string): boolean => resourceGroupKeyOf(key) === key.toLowerCase();

/** The resource group as `resourceGroup()` shows it, from its inventory resource; undefined for anything that is not a resource group. */
export const resourceGroupInfoOf = (group: PolicyResource): ResourceGroupInfo | undefined => {
  if (!RESOURCE_GROUP_TYPES.has(group.type.toLowerCase()) || typeof group.name !== 'string' || !group.name) return undefined;
  const tags = isObject(group.tags) ? Object.fromEntries(Object.entries(group.tags).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
  return {
    name: group.name,
    ...(typeof group.id === 'string' ? { id: group.id } : {}),
    ...(typeof group.location === 'string' ? { location: group.location } : {}),
    tags,
    managedBy: typeof group['managedBy'] === 'string' && group['managedBy'] ? group['managedBy'] : null,
    ...(isObject(group['properties']) ? { properties: group['properties'] } : {}),
  };
};

/**
 * Whether a definition may call `resourceGroup()`: its text names the function (names are
 * case-insensitive). Over-approximates (a description may name it too), never misses a call; for
 * deciding whether a resource group's change can change its resources' verdicts.
 */
export const mayReadResourceGroup = (definition: unknown): boolean => /resourcegroup\s*\(/i.test(JSON.stringify(definition) ?? '');
