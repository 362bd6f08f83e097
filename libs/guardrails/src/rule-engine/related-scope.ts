// Where auditIfNotExists/deployIfNotExists look for related resources (effect-audit-if-not-exists.md):
// "If type is a resource type underneath the if condition resource, the policy queries for resources
// of this type within the scope of the evaluated resource. Otherwise, policy queries within the same
// resource group or subscription as the evaluated resource depending on the existenceScope";
// resourceGroupName names another group. A related resource is placed by its id: one elsewhere (the
// audit settings of another SQL server) is never evidence about the evaluated resource.

/** How to find the resources an auditIfNotExists/deployIfNotExists rule looks at. */
export interface RelatedResourceQuery {
  /** `details.type`, e.g. Microsoft.Web/sites/config. */
  readonly type: string;
  /** `details.name` when the definition names one resource (`web`, `current`, `parent/?`). */
  readonly name?: string;
  /**
   * children: resources under the evaluated resource (`details.type` is a child type of it);
   * extension: extension resources on it (diagnostic settings, security assessments);
   * resourceGroup / subscription: where `existenceScope` (and `resourceGroupName`) say.
   */
  readonly scope: 'children' | 'extension' | 'resourceGroup' | 'subscription';
  /** The evaluated resource: the parent of children and extension resources. */
  readonly resourceId?: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
}

/**
 * What the id of every resource the query may find starts with, spelled as the query spells it;
 * undefined when the query cannot say (the evaluated resource has no id, or no resource group for the
 * resourceGroup scope). Ids compare ignoring case.
 */
export const relatedScopePrefix = (query: RelatedResourceQuery): string | undefined => {
  switch (query.scope) {
    case 'children':
      return query.resourceId ? `${query.resourceId}/` : undefined;
    case 'extension':
      return query.resourceId ? `${query.resourceId}/providers/` : undefined;
    case 'resourceGroup':
      return query.subscriptionId && query.resourceGroup ? `/subscriptions/${query.subscriptionId}/resourceGroups/${query.resourceGroup}/` : undefined;
    case 'subscription':
      return query.subscriptionId ? `/subscriptions/${query.subscriptionId}/` : undefined;
  }
};

/**
 * Whether ids start with `prefix`, ignoring case. Related ids mostly share the evaluated resource's
 * casing (or are all lowercase, as Resource Graph has them): those are decided without a copy.
 */
export const idsUnder = (prefix: string): ((id: string) => boolean) => {
  let lower: string | undefined;
  return (id) => {
    if (id.length <= prefix.length) return false;
    if (id.startsWith(prefix)) return true;
    lower ??= prefix.toLowerCase();
    return id.startsWith(lower) || id.slice(0, prefix.length).toLowerCase() === lower;
  };
};

/** Whether the resource with this id is where the query looks. */
export const inRelatedScope = (query: RelatedResourceQuery, id: string): boolean => {
  const prefix = relatedScopePrefix(query);
  return prefix !== undefined && idsUnder(prefix)(id);
};

/** Where the query looks, in words. */
export const describeRelatedScope = (query: RelatedResourceQuery): string => {
  switch (query.scope) {
    case 'children':
      return `under ${query.resourceId ?? 'the evaluated resource'}`;
    case 'extension':
      return `on ${query.resourceId ?? 'the evaluated resource'}`;
    case 'resourceGroup':
      return `in resource group ${query.resourceGroup ?? '(unknown)'} of subscription ${query.subscriptionId ?? '(unknown)'}`;
    case 'subscription':
      return `in subscription ${query.subscriptionId ?? '(unknown)'}`;
  }
};
