// A resource's configuration history as people read it: each recorded change (an RFC 6902 patch,
// or the whole configuration when discovered) replayed onto the previous version, so every changed
// path shows its value before and after.
import { applyPatch, compare, getValueByPointer, type Operation } from 'fast-json-patch';

export interface HistoryEntry {
  readonly kind: string;
  readonly recordedAt: string;
  /** RFC 6902 patch (JSON) for changes; the whole configuration (JSON) for discoveries; null for removals. */
  readonly detail: string;
  readonly actorKind: string;
  readonly actorId: string;
  readonly runId: string;
  readonly revision: number;
  readonly onBehalfOfTenant?: string | null;
  /** From the cloud's own change records (Azure Resource Graph); null when a snapshot saw the change. */
  readonly changedBy?: string | null;
  readonly clientType?: string | null;
  readonly operation?: string | null;
  readonly changedAt?: string | null;
}

/**
 * Who made the change in the cloud, as the cloud recorded it ("alice@contoso.com via Azure Portal,
 * microsoft.web/sites/write"); undefined when the change was seen by a snapshot, which cannot tell.
 */
export const cloudChangeSummary = (entry: HistoryEntry): string | undefined => {
  if (!entry.changedBy && !entry.clientType && !entry.operation) return undefined;
  const who = entry.changedBy ?? 'someone the cloud did not name';
  const how = [entry.clientType ? `via ${entry.clientType}` : '', entry.operation ?? ''].filter(Boolean).join(', ');
  return how ? `${who} ${how.startsWith('via') ? how : `(${how})`}` : who;
};

export interface ChangedPath {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** For move/copy: where the value came from. */
  readonly from?: string;
}

export interface ConfigurationVersion {
  readonly entry: HistoryEntry;
  /** The configuration after this entry; undefined once removed, or when the history could not be replayed. */
  readonly configuration: unknown;
  readonly changes: readonly ChangedPath[];
  /** The patch did not apply to the version before it (an incomplete history): changes are shown as recorded. */
  readonly unreplayable?: boolean;
}

const has = (doc: unknown, pointer: string): boolean => {
  try {
    return getValueByPointer(doc, pointer) !== undefined;
  } catch {
    return false;
  }
};
const valueAt = (doc: unknown, pointer: string): unknown => (has(doc, pointer) ? getValueByPointer(doc, pointer) : undefined);

const describe = (previous: unknown, ops: readonly Operation[]): ChangedPath[] =>
  ops.map((op) => {
    switch (op.op) {
      case 'add':
      case 'replace':
        return { op: op.op, path: op.path, before: valueAt(previous, op.path), after: op.value };
      case 'remove':
        return { op: op.op, path: op.path, before: valueAt(previous, op.path) };
      case 'move':
      case 'copy':
        return { op: op.op, path: op.path, from: op.from, before: valueAt(previous, op.path), after: valueAt(previous, op.from) };
      default:
        return { op: 'test', path: op.path };
    }
  });

/** What differs between two JSON documents, path by path, with the values before and after. */
export const jsonChanges = (before: object, after: object): ChangedPath[] => describe(before, compare(before, after));

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const configurationVersions = (history: readonly HistoryEntry[]): ConfigurationVersion[] => {
  const versions: ConfigurationVersion[] = [];
  let current: unknown = undefined;
  for (const entry of history) {
    const detail = parse(entry.detail);
    if (entry.kind === 'discovered') {
      // A resource seen again after a removal: what differs from the last configuration known.
      const changes = current !== undefined && detail !== null && typeof detail === 'object' ? describe(current, compare(current as object, detail as object)) : [];
      current = detail;
      versions.push({ entry, configuration: current, changes });
    } else if (entry.kind === 'changed' && Array.isArray(detail)) {
      const ops = detail as Operation[];
      try {
        const next = applyPatch(current, ops, true, false).newDocument;
        versions.push({ entry, configuration: next, changes: describe(current, ops) });
        current = next;
      } catch {
        versions.push({ entry, configuration: undefined, changes: describe(undefined, ops), unreplayable: true });
        current = undefined;
      }
    } else {
      versions.push({ entry, configuration: undefined, changes: [] });
      if (entry.kind === 'removed') current = undefined;
    }
  }
  return versions;
};

/** A JSON value on one line for a diff cell; long values are cut (the full configuration is on the page). */
export const formatValue = (value: unknown, max = 120): string => {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};
