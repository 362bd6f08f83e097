// The `related` lookup auditIfNotExists/deployIfNotExists rules need, over an in-memory inventory:
// built once, then each query is one map lookup by (where, lowercase type). "Where" is the parent
// resource for children and extension resources, else the resource group or the subscription the
// engine asks about. The engine filters the answer by type and name itself; scoping is ours.
import type { PolicyResource, RelatedResourceQuery } from '@rampart/guardrails';

export interface RelatedIndex {
  readonly lookup: (query: RelatedResourceQuery) => readonly PolicyResource[];
  /** Queries answered, and how many of them found at least one resource. */
  readonly stats: () => { readonly lookups: number; readonly found: number };
  /** Distinct (where, type) keys held. */
  readonly keys: number;
}

const NONE: readonly PolicyResource[] = [];

/**
 * The resource a child or extension resource belongs to, lowercase:
 * `.../providers/NS/t1/n1/t2/n2` -> `.../providers/NS/t1/n1`, and `<resource id>/providers/NS/t/n`
 * (an extension) -> `<resource id>`. For a top-level resource that is its resource group.
 */
export const parentIdOf = (id: string): string | undefined => {
  const parts = id.split('/');
  let at = -1;
  for (let i = parts.length - 1; i >= 0; i--) {
    if (parts[i].toLowerCase() === 'providers') {
      at = i;
      break;
    }
  }
  const after = parts.length - at - 1;
  if (at < 0 || after < 3) return undefined;
  const end = after > 3 ? parts.length - 2 : at;
  return parts.slice(0, end).join('/').toLowerCase();
};

const scopeOf = (resource: PolicyResource): { subscriptionId?: string; resourceGroup?: string } => {
  const match = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?/i.exec(resource.id ?? '');
  const column = (name: string) => (typeof resource[name] === 'string' && resource[name] ? (resource[name] as string) : undefined);
  return { subscriptionId: column('subscriptionId') ?? match?.[1], resourceGroup: column('resourceGroup') ?? match?.[2] };
};

const inParent = (parent: string, type: string) => `p|${parent}|${type}`;
const inGroup = (subscriptionId: string, resourceGroup: string, type: string) => `g|${subscriptionId.toLowerCase()}/${resourceGroup.toLowerCase()}|${type}`;
const inSubscription = (subscriptionId: string, type: string) => `s|${subscriptionId.toLowerCase()}|${type}`;

export const buildRelatedIndex = (resources: Iterable<PolicyResource>): RelatedIndex => {
  const index = new Map<string, PolicyResource[]>();
  const add = (key: string, resource: PolicyResource) => {
    const list = index.get(key);
    if (list) list.push(resource);
    else index.set(key, [resource]);
  };
  for (const resource of resources) {
    const type = String(resource.type).toLowerCase();
    const parent = resource.id ? parentIdOf(resource.id) : undefined;
    if (parent) add(inParent(parent, type), resource);
    const { subscriptionId, resourceGroup } = scopeOf(resource);
    if (subscriptionId) add(inSubscription(subscriptionId, type), resource);
    if (subscriptionId && resourceGroup) add(inGroup(subscriptionId, resourceGroup, type), resource);
  }

  let lookups = 0;
  let found = 0;
  const keyOf = (q: RelatedResourceQuery): string | undefined => {
    const type = q.type.toLowerCase();
    switch (q.scope) {
      case 'children':
      case 'extension':
        return q.resourceId ? inParent(q.resourceId.toLowerCase(), type) : undefined;
      case 'resourceGroup':
        return q.subscriptionId && q.resourceGroup ? inGroup(q.subscriptionId, q.resourceGroup, type) : undefined;
      case 'subscription':
        return q.subscriptionId ? inSubscription(q.subscriptionId, type) : undefined;
    }
  };
  return {
    lookup: (query) => {
      lookups++;
      const key = keyOf(query);
      const answer = (key && index.get(key)) || NONE;
      if (answer.length) found++;
      return answer;
    },
    stats: () => ({ lookups, found }),
    keys: index.size,
  };
};
