// Azure Resource Manager ids, read the one way every context needs them: where a resource lives (its
// subscription and resource group), what it is (provider namespace and type, nested child types
// included) and what it belongs to (the resource a child or extension resource sits under, else its
// resource group or subscription). An id is `<scope>/providers/<namespace>/<type>/<name>[/<child
// type>/<child name>]...` (ARM's resourceId()); the scope is a subscription, a resource group, a
// management group or, for an extension resource such as a role assignment or diagnostic setting,
// another resource. ARM ids are case-insensitive: the spelling is kept for display, `armKey` is what
// to compare and index by.

/** An ARM id taken apart. Absent parts are undefined: a subscription's id has no type, a tenant-level one no subscription. */
export interface ArmId {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** The provider namespace of the resource itself (after the last `providers`), e.g. `Microsoft.Sql`. */
  readonly namespace?: string;
  /** The namespace and every type segment after it: `Microsoft.Sql/servers/databases`. */
  readonly type?: string;
  /** The names after the namespace, parents first: `[server, database]`. */
  readonly names: readonly string[];
  /** The resource's own name: the last of `names`, or the resource group's or subscription's for those. */
  readonly name?: string;
}

const SCOPE = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?/i;
const RESOURCE_GROUP_SCOPE = /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+/i;
const SUBSCRIPTION_SCOPE = /^\/subscriptions\/[^/]+/i;

/** Index of the last `providers` segment (any casing), or -1. */
const lastProviders = (parts: readonly string[]): number => {
  for (let i = parts.length - 1; i >= 0; i--) if (parts[i].toLowerCase() === 'providers') return i;
  return -1;
};

/** The segments after the last `providers`, when there is a namespace and at least one type after it. */
const providerPart = (id: string): readonly string[] | undefined => {
  const parts = id.split('/').filter(Boolean);
  const at = lastProviders(parts);
  return at < 0 || at + 3 > parts.length ? undefined : parts.slice(at + 1);
};

/**
 * The subscription and resource group an id starts with (`/subscriptions/<id>[/resourceGroups/<name>]`,
 * any casing), as the id spells them.
 */
export const armIdScope = (id: string): { readonly subscriptionId?: string; readonly resourceGroup?: string } => {
  const match = SCOPE.exec(id);
  return { subscriptionId: match?.[1], resourceGroup: match?.[2] };
};

/**
 * The resource type an id names: the provider namespace followed by every type segment after it
 * (a child GET of a subnet, security rule or agent pool carries no `type` field), or undefined for
 * an id with no provider part (a subscription, a resource group).
 */
export const armIdType = (id: string): string | undefined => {
  const after = providerPart(id);
  return after && [after[0], ...after.slice(1).filter((_, i) => i % 2 === 0)].join('/');
};

/** The resource names an id holds after its namespace, parents first: `.../providers/NS/t1/n1/t2/n2` -> [n1, n2]. */
export const armIdNames = (id: string): string[] | undefined => providerPart(id)?.slice(1).filter((_, i) => i % 2 === 1);

/** An id taken apart; undefined for what is not an ARM id (it must start with `/`). */
export const parseArmId = (id: string): ArmId | undefined => {
  if (!id.startsWith('/')) return undefined;
  const { subscriptionId, resourceGroup } = armIdScope(id);
  const after = providerPart(id);
  if (!after) {
    const name = isResourceGroupId(id) ? resourceGroup : subscriptionScopeOf(id)?.length === id.length ? subscriptionId : undefined;
    return { subscriptionId, resourceGroup, names: [], ...(name === undefined ? {} : { name }) };
  }
  const names = after.slice(1).filter((_, i) => i % 2 === 1);
  return {
    subscriptionId,
    resourceGroup,
    namespace: after[0],
    type: [after[0], ...after.slice(1).filter((_, i) => i % 2 === 0)].join('/'),
    names,
    ...(names.length ? { name: names[names.length - 1] } : {}),
  };
};

/** The resource group an id lives in, as `/subscriptions/<id>/resourceGroups/<name>` spelled as in the id; a group's own id for a group. */
export const resourceGroupScopeOf = (id: string): string | undefined => RESOURCE_GROUP_SCOPE.exec(id)?.[0];

/** The subscription an id lives in, as `/subscriptions/<id>` spelled as in the id. */
export const subscriptionScopeOf = (id: string): string | undefined => SUBSCRIPTION_SCOPE.exec(id)?.[0];

/** Whether the id is a resource group's own (`/subscriptions/<id>/resourceGroups/<name>`, nothing after). */
export const isResourceGroupId = (id: string): boolean => resourceGroupScopeOf(id)?.length === id.length;

/**
 * What the resource belongs to, spelled as in the id: a child's parent resource
 * (`.../servers/s/databases/d` -> `.../servers/s`), the resource an extension resource sits on
 * (`<resource id>/providers/Microsoft.Authorization/roleAssignments/<guid>` -> `<resource id>`), a
 * top-level resource's resource group or subscription, a resource group's subscription. Undefined for
 * a subscription, and for what sits at the tenant's root.
 */
export const parentArmId = (id: string): string | undefined => {
  const parts = id.split('/');
  const at = lastProviders(parts);
  if (at < 0) {
    if (isResourceGroupId(id)) return subscriptionScopeOf(id);
    return undefined;
  }
  const after = parts.length - at - 1;
  if (after < 3) return undefined;
  const parent = parts.slice(0, after > 3 ? parts.length - 2 : at).join('/');
  return parent || undefined;
};

/** The form to compare, index and name streams by: ARM ids are case-insensitive. */
export const armKey = (id: string): string => id.toLowerCase();

/** Whether two ids name the same resource, whatever their casing. */
export const sameArmId = (a: string, b: string): boolean => armKey(a) === armKey(b);
