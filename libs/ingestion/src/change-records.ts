// Pure mappings from Azure's change records to what ingestion does with them: the attribution a
// resource event carries, which resources a feed touched and what to do with each once their
// current bodies are known, and, for a backfill, the configurations a resource went through.
import type { AzureChangeRecord, AzurePropertyChange } from '@rampart/inventory-azure';
import type { ReportedChange, ResourceSnapshot } from '@rampart/inventory';

/** Only attribution crosses into Rampart's events, never the changed values (they can be secrets). */
export const reportedChangeOf = (record: AzureChangeRecord): ReportedChange => ({
  source: 'azure-resource-graph',
  changeId: record.changeId,
  changeType: record.changeType,
  changedAt: record.timestamp,
  ...(record.changedBy !== undefined ? { changedBy: record.changedBy } : {}),
  ...(record.changedByType !== undefined ? { changedByType: record.changedByType } : {}),
  ...(record.clientType !== undefined ? { clientType: record.clientType } : {}),
  ...(record.operation !== undefined ? { operation: record.operation } : {}),
  ...(record.correlationId !== undefined ? { correlationId: record.correlationId } : {}),
});

/** One resource a feed's records name, with its records oldest first. */
export interface ChangedResource {
  readonly resourceKey: string;
  readonly id: string;
  readonly subscriptionId: string;
  readonly records: readonly AzureChangeRecord[];
}

/** The records grouped by resource, per subscription (records oldest first, as read). */
export const changedResources = (records: readonly AzureChangeRecord[]): Map<string, ChangedResource[]> => {
  const byKey = new Map<string, { resourceKey: string; id: string; subscriptionId: string; records: AzureChangeRecord[] }>();
  for (const record of records) {
    const resourceKey = record.targetResourceId.toLowerCase();
    const entry = byKey.get(resourceKey) ?? { resourceKey, id: record.targetResourceId, subscriptionId: record.subscriptionId, records: [] };
    entry.records.push(record);
    byKey.set(resourceKey, entry);
  }
  const bySubscription = new Map<string, ChangedResource[]>();
  for (const entry of byKey.values()) bySubscription.set(entry.subscriptionId, [...(bySubscription.get(entry.subscriptionId) ?? []), entry]);
  return bySubscription;
};

export interface FeedPlan {
  /** Resources there now: observed with their current body, attributed to their records. */
  readonly observe: { readonly row: Record<string, unknown>; readonly reportedChanges: readonly ReportedChange[] }[];
  /** Resources not there now whose last record is a Delete. */
  readonly remove: { readonly resourceKey: string; readonly reportedChanges: readonly ReportedChange[] }[];
  /**
   * Resources not there now whose last record is not a Delete (Resource Graph's table not caught up,
   * or a delete without a record): nothing is concluded; the next snapshot settles them.
   */
  readonly unresolved: readonly string[];
}

/**
 * What to do with each changed resource once its current body is known. The current body, not the
 * records' values, is what is recorded: a record says who and when, and its values can be cut
 * short; several records between two reads become one change attributed to all of them.
 */
export const planFeed = (changed: readonly ChangedResource[], rows: readonly Record<string, unknown>[]): FeedPlan => {
  const current = new Map(rows.filter((r) => typeof r['id'] === 'string').map((r) => [String(r['id']).toLowerCase(), r]));
  const plan = { observe: [] as FeedPlan['observe'][number][], remove: [] as FeedPlan['remove'][number][], unresolved: [] as string[] };
  for (const resource of changed) {
    const reportedChanges = resource.records.map(reportedChangeOf);
    const row = current.get(resource.resourceKey);
    if (row) plan.observe.push({ row, reportedChanges });
    else if (resource.records[resource.records.length - 1]?.changeType === 'Delete') plan.remove.push({ resourceKey: resource.resourceKey, reportedChanges });
    else plan.unresolved.push(resource.resourceKey);
  }
  return plan;
};

/** A resource's history rebuilt backwards from its current body through its change records. */
export interface RebuiltHistory {
  /** The earliest configuration that could be rebuilt, and the Create record when it is one. */
  readonly start: { readonly snapshot: ResourceSnapshot; readonly record?: AzureChangeRecord };
  /** Each later Update, oldest first, with the snapshot after it. */
  readonly changes: readonly { readonly snapshot: ResourceSnapshot; readonly record: AzureChangeRecord }[];
  /** Records older than `start` that could not be undone (a value Azure cut short, a path not found, a recreated resource). */
  readonly dropped: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Segment = string | number;

/** `properties.ipRules[0].value` → ['properties', 'ipRules', 0, 'value']. */
export const parsePropertyPath = (path: string): Segment[] | undefined => {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) return undefined;
    if (match[1] !== '') segments.push(match[1]);
    for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments.length > 0 && typeof segments[0] === 'string' ? segments : undefined;
};

const NOT_FOUND = Symbol('not found');

const lookup = (root: Json, path: Segment[]): Json | typeof NOT_FOUND => {
  let node: Json = root;
  for (const segment of path) {
    if (typeof segment === 'number' ? !Array.isArray(node) || segment >= node.length : node === null || typeof node !== 'object' || Array.isArray(node) || !(segment in node)) {
      return NOT_FOUND;
    }
    node = (node as Record<string | number, Json>)[segment];
  }
  return node;
};

/** A value's text back to JSON. Azure shows strings bare and other values as JSON: the type the property has now decides. */
const valueFrom = (text: string, like: Json | typeof NOT_FOUND): Json | typeof NOT_FOUND => {
  if (typeof like === 'string') return text;
  try {
    const parsed = JSON.parse(text) as Json;
    if (like === NOT_FOUND || like === null || typeof parsed === typeof like) return parsed;
    return NOT_FOUND;
  } catch {
    return like === NOT_FOUND || like === null ? text : NOT_FOUND;
  }
};

const setAt = (root: Json, path: Segment[], value: Json, insert: boolean): boolean => {
  let node = root as Record<string | number, Json>;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i];
    if (node[segment] === undefined || node[segment] === null) node[segment] = typeof path[i + 1] === 'number' ? [] : {};
    if (typeof node[segment] !== 'object') return false;
    node = node[segment] as Record<string | number, Json>;
  }
  const last = path[path.length - 1];
  if (insert && Array.isArray(node) && typeof last === 'number') {
    if (last > node.length) return false;
    node.splice(last, 0, value);
  } else node[last] = value;
  return true;
};

const removeAt = (root: Json, path: Segment[]): boolean => {
  const parent = lookup(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (parent === NOT_FOUND || parent === null || typeof parent !== 'object') return false;
  if (Array.isArray(parent)) {
    if (typeof last !== 'number' || last >= parent.length) return false;
    parent.splice(last, 1);
  } else {
    if (!(last in parent)) return false;
    delete parent[last as string];
  }
  return true;
};

/** The resource as it was before one Update, or undefined when the record cannot be undone exactly. */
export const undoChange = (after: ResourceSnapshot, changes: Readonly<Record<string, AzurePropertyChange>>): ResourceSnapshot | undefined => {
  const before = JSON.parse(JSON.stringify(after)) as Json;
  const entries: { path: Segment[]; change: AzurePropertyChange }[] = [];
  for (const [text, change] of Object.entries(changes)) {
    const path = parsePropertyPath(text);
    if (path === undefined || change.isTruncated) return undefined;
    entries.push({ path, change });
  }
  const kind = (c: AzurePropertyChange) => c.propertyChangeType ?? (c.previousValue === 'null' ? 'Insert' : c.newValue === 'null' ? 'Remove' : 'Update');
  const byPath = (a: { path: Segment[] }, b: { path: Segment[] }) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path), 'en', { numeric: true });
  // Undo in an order that keeps array indexes true: what was inserted is taken out from the back,
  // what was removed is put back from the front.
  const inserted = entries.filter((e) => kind(e.change) === 'Insert').sort(byPath).reverse();
  const updated = entries.filter((e) => kind(e.change) === 'Update');
  const removed = entries.filter((e) => kind(e.change) === 'Remove').sort(byPath);
  for (const { path } of inserted) if (!removeAt(before, path)) return undefined;
  for (const { path, change } of updated) {
    const now = lookup(before, path);
    if (now === NOT_FOUND || change.previousValue === undefined) return undefined;
    const value = valueFrom(change.previousValue, now);
    if (value === NOT_FOUND || !setAt(before, path, value, false)) return undefined;
  }
  for (const { path, change } of removed) {
    if (change.previousValue === undefined) return undefined;
    const value = valueFrom(change.previousValue, NOT_FOUND);
    if (value === NOT_FOUND || !setAt(before, path, value, true)) return undefined;
  }
  return before as unknown as ResourceSnapshot;
};

/**
 * Walks a resource's records (oldest first) backwards from its current body: each Update undone
 * gives the body before it, a Create is where the resource began. Stops at the first record it
 * cannot undo exactly, so what is rebuilt is only ever what the records prove.
 */
export const rebuildHistory = (current: ResourceSnapshot, records: readonly AzureChangeRecord[]): RebuiltHistory => {
  const changes: { snapshot: ResourceSnapshot; record: AzureChangeRecord }[] = [];
  let snapshot = current;
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i];
    if (record.changeType === 'Create') return { start: { snapshot, record }, changes: changes.reverse(), dropped: i };
    const before = record.changeType === 'Update' ? undoChange(snapshot, record.changes) : undefined;
    if (!before) return { start: { snapshot }, changes: changes.reverse(), dropped: i + 1 };
    changes.push({ snapshot, record });
    snapshot = before;
  }
  return { start: { snapshot }, changes: changes.reverse(), dropped: 0 };
};
