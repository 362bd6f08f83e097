// The `related` lookup over a tenant's inventory: candidates of a type, kept where the query looks
// (related-scope.ts, which the engine applies too). The engine filters by type and name itself.
import type { PolicyResource } from '../rule-engine/resource';
import { idsUnder, inRelatedScope as inScope, type RelatedResourceQuery, relatedScopePrefix } from '../rule-engine/related-scope';

export interface KeyedResource extends PolicyResource {
  readonly key: string;
}

/** Whether the resource with this (lowercase) key is where the query looks. */
export const inRelatedScope = (query: RelatedResourceQuery, key: string): boolean => inScope(query, key);

/** A `related` callback over candidates by (lowercase) type. */
export const relatedFinder =
  (candidatesOfType: (type: string) => readonly KeyedResource[]) =>
  (query: RelatedResourceQuery): readonly PolicyResource[] => {
    const prefix = relatedScopePrefix(query);
    if (prefix === undefined) return [];
    const under = idsUnder(prefix);
    return candidatesOfType(query.type.toLowerCase()).filter((r) => under(r.key));
  };
