// Where auditIfNotExists/deployIfNotExists look for related resources, given candidates of a type
// from the tenant's inventory: the engine filters by type and name, the scope is decided here.
import type { PolicyResource } from '../rule-engine/resource';
import type { RelatedResourceQuery } from '../rule-engine/policy';

export interface KeyedResource extends PolicyResource {
  readonly key: string;
}

export const inRelatedScope = (query: RelatedResourceQuery, key: string): boolean => {
  const parent = query.resourceId?.toLowerCase();
  switch (query.scope) {
    case 'children':
      return parent !== undefined && key.startsWith(`${parent}/`);
    case 'extension':
      return parent !== undefined && key.startsWith(`${parent}/providers/`);
    case 'resourceGroup':
      return query.subscriptionId !== undefined && query.resourceGroup !== undefined && key.startsWith(`/subscriptions/${query.subscriptionId}/resourcegroups/${query.resourceGroup}/`.toLowerCase());
    case 'subscription':
      return query.subscriptionId !== undefined && key.startsWith(`/subscriptions/${query.subscriptionId}/`.toLowerCase());
  }
};

/** A `related` callback over candidates by (lowercase) type. */
export const relatedFinder =
  (candidatesOfType: (type: string) => readonly KeyedResource[]) =>
  (query: RelatedResourceQuery): readonly PolicyResource[] =>
    candidatesOfType(query.type.toLowerCase()).filter((r) => inRelatedScope(query, r.key));
