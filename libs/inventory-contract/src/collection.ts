// When each resource was last collected: what proof of coverage rests on. A resource's own events
// say when it was seen changed; unchanged resources record nothing, so the other proof is a
// snapshot declared complete for its scope that completed: every resource present in that scope
// after it was seen by it (a missing one would have been removed). A partial run (a push, a page,
// a failed run) proves nothing about the resources it did not change.
import type { IngestionRunCompleted, IngestionRunStarted } from './events';

/** A snapshot that completed and was declared complete for its scope. */
export interface CompleteCollection {
  /** `*`, `/subscriptions/<id>` or `/subscriptions/<id>/resourceGroups/<rg>`. */
  readonly scope: string;
  readonly finishedAt: string;
}

/** Whether a collection of `scope` sees the resource (keys are lowercase ARM ids). */
export const collectionCovers = (scope: string, resourceKey: string): boolean => {
  if (scope === '*') return true;
  const prefix = scope.toLowerCase().replace(/\/+$/, '');
  return resourceKey === prefix || resourceKey.startsWith(`${prefix}/`);
};

/** The latest of its last change and the last complete collection of a scope holding it. */
export const lastCollectedAt = (resource: { readonly resourceKey: string; readonly changedAt: string }, collections: readonly CompleteCollection[]): string => {
  let latest = resource.changedAt;
  for (const c of collections) if (c.finishedAt > latest && collectionCovers(c.scope, resource.resourceKey)) latest = c.finishedAt;
  return latest;
};

/**
 * Of many collections, the latest completion per scope: all lastCollectedAt needs (a scope covered
 * again later says everything the earlier completion did).
 */
export const latestPerScope = (collections: Iterable<CompleteCollection>): CompleteCollection[] => {
  const byScope = new Map<string, CompleteCollection>();
  for (const c of collections) {
    const key = c.scope === '*' ? '*' : c.scope.toLowerCase();
    const seen = byScope.get(key);
    if (!seen || c.finishedAt > seen.finishedAt) byScope.set(key, c);
  }
  return [...byScope.values()];
};

/** Folds run events into the complete collections they prove (for a fold of the log: the as-of views, the audit export). */
export class CompleteCollections {
  private readonly started = new Map<string, { scope: string; complete: boolean }>();
  private readonly done = new Map<string, CompleteCollection>();

  /** A run started or completed (other events are not its business). */
  add(event: { readonly type: string; readonly data: unknown; readonly recordedAt: string }): void {
    if (event.type === 'inventory.IngestionRunStarted.v1') {
      const d = event.data as IngestionRunStarted['data'];
      this.started.set(d.runId, { scope: d.scope, complete: d.complete });
    } else if (event.type === 'inventory.IngestionRunCompleted.v1') {
      const d = event.data as IngestionRunCompleted['data'];
      const run = this.started.get(d.runId);
      this.started.delete(d.runId);
      if (!run?.complete) return;
      const key = run.scope === '*' ? '*' : run.scope.toLowerCase();
      this.done.set(key, { scope: run.scope, finishedAt: event.recordedAt });
    }
  }

  list(): CompleteCollection[] {
    return [...this.done.values()];
  }
}
