// Which resources a snapshot of a scope no longer contains. Only a snapshot declared complete for
// its scope may remove anything: a partial one (a page, a push, a failed subscription) never does.
export interface ScopeSnapshotPlan {
  /** Keys known before the snapshot that it did not contain: to be removed, if the snapshot is complete. */
  readonly missing: readonly string[];
}

export const planRemovals = (known: Iterable<string>, seen: ReadonlySet<string>, complete: boolean): ScopeSnapshotPlan => {
  if (!complete) return { missing: [] };
  const missing: string[] = [];
  for (const key of known) if (!seen.has(key)) missing.push(key);
  return { missing };
};

/** Whether a resource key falls in a scope: `/subscriptions/<id>` or `/subscriptions/<id>/resourceGroups/<rg>` (case-insensitive). */
export const inScope = (resourceKey: string, scope: string): boolean => {
  const prefix = scope.toLowerCase().replace(/\/+$/, '');
  return resourceKey === prefix || resourceKey.startsWith(`${prefix}/`);
};

/** What a snapshot may cover: everything (`*`), a subscription, or a resource group of one. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SCOPE = /^\/subscriptions\/[A-Za-z0-9-]{1,64}(\/resourceGroups\/[^/\s\u0000-\u001f]{1,90})?$/i;

export const isScope = (scope: string): boolean => scope === '*' || SCOPE.test(scope);

export const SCOPE_FORMAT = '* , /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>';
