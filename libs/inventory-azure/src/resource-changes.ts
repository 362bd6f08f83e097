// Azure Resource Graph's change records (the `resourcechanges` table: Create, Update and Delete of
// the resources in `resources`, kept 14 days) and the current bodies of the resources they name.
// Row shape: https://learn.microsoft.com/azure/governance/resource-graph/changes/get-resource-changes
// Azure says records should be queryable within minutes but does not promise every change gets one,
// so a reader reads with an overlap and a full snapshot stays the source of truth.
import {
  chunk,
  DEFAULT_SUBSCRIPTION_BATCH_SIZE,
  describeError,
  resourceGraphQuery,
  type ResourceGraphQuery,
  type ResourceGraphSourceOptions,
} from './resource-graph-source';

/** How long Azure keeps change records. */
export const CHANGE_RECORD_RETENTION_MS = 14 * 24 * 3_600_000;

/** One property of a change record: values as Azure renders them, as text (`"null"` for none). */
export interface AzurePropertyChange {
  readonly propertyChangeType?: 'Insert' | 'Update' | 'Remove';
  readonly previousValue?: string;
  readonly newValue?: string;
  readonly changeCategory?: string;
  /** Azure cut a long value short: it cannot be used to rebuild the property. */
  readonly isTruncated: boolean;
}

/** A change record, as Rampart reads it from a `resourcechanges` row. */
export interface AzureChangeRecord {
  /** The record's own id (the `changes` resource's name). */
  readonly changeId: string;
  readonly targetResourceId: string;
  readonly targetResourceType?: string;
  readonly subscriptionId: string;
  readonly changeType: 'Create' | 'Update' | 'Delete';
  /** When the change happened (ISO-8601, milliseconds). */
  readonly timestamp: string;
  readonly changedBy?: string;
  readonly changedByType?: string;
  readonly clientType?: string;
  readonly operation?: string;
  readonly correlationId?: string;
  readonly previousResourceSnapshotId?: string;
  /** Absent for a Delete: there is no resource after it. */
  readonly newResourceSnapshotId?: string;
  /** Changed properties by dotted path (`properties.minimumTlsVersion`, `tags.env`, `properties.ipRules[0].value`). */
  readonly changes: Readonly<Record<string, AzurePropertyChange>>;
}

const CHANGE_TYPES = new Set(['Create', 'Update', 'Delete']);
const PROPERTY_CHANGE_TYPES = new Set(['Insert', 'Update', 'Remove']);
/** Attribution is short text; anything longer is not what Azure documents and is cut. */
const MAX_ATTRIBUTE_LENGTH = 512;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.slice(0, MAX_ATTRIBUTE_LENGTH) : undefined);
const valueText = (v: unknown): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** A `resourcechanges` row to a record, or why it cannot be one. */
export const parseChangeRecord = (row: Record<string, unknown>): { ok: true; record: AzureChangeRecord } | { ok: false; reason: string } => {
  const properties = row['properties'];
  if (!isObject(properties)) return { ok: false, reason: 'a change record without properties' };
  const attributes = isObject(properties['changeAttributes']) ? properties['changeAttributes'] : {};
  const targetResourceId = properties['targetResourceId'];
  if (typeof targetResourceId !== 'string' || !targetResourceId.startsWith('/subscriptions/')) {
    return { ok: false, reason: 'a change record without a targetResourceId' };
  }
  const changeType = properties['changeType'];
  if (typeof changeType !== 'string' || !CHANGE_TYPES.has(changeType)) return { ok: false, reason: `unknown changeType ${String(changeType)} of ${targetResourceId}` };
  const time = typeof attributes['timestamp'] === 'string' ? Date.parse(attributes['timestamp']) : NaN;
  if (Number.isNaN(time)) return { ok: false, reason: `a change record of ${targetResourceId} without a timestamp` };
  const id = typeof row['id'] === 'string' ? row['id'] : '';
  const changeId = text(row['name']) ?? id.split('/').pop() ?? '';
  if (!changeId) return { ok: false, reason: `a change record of ${targetResourceId} without an id` };
  const changes: Record<string, AzurePropertyChange> = {};
  if (isObject(properties['changes'])) {
    for (const [path, raw] of Object.entries(properties['changes'])) {
      if (!isObject(raw)) continue;
      const kind = raw['propertyChangeType'];
      changes[path] = {
        ...(typeof kind === 'string' && PROPERTY_CHANGE_TYPES.has(kind) ? { propertyChangeType: kind as AzurePropertyChange['propertyChangeType'] } : {}),
        ...(raw['previousValue'] !== undefined ? { previousValue: valueText(raw['previousValue']) } : {}),
        ...(raw['newValue'] !== undefined ? { newValue: valueText(raw['newValue']) } : {}),
        ...(typeof raw['changeCategory'] === 'string' ? { changeCategory: raw['changeCategory'] } : {}),
        isTruncated: raw['isTruncated'] === true || String(raw['isTruncated']).toLowerCase() === 'true',
      };
    }
  }
  const subscriptionId = text(row['subscriptionId']) ?? targetResourceId.split('/')[2];
  const optional = (name: string, value: string | undefined) => (value === undefined ? {} : { [name]: value });
  return {
    ok: true,
    record: {
      changeId,
      targetResourceId,
      ...optional('targetResourceType', text(properties['targetResourceType'])),
      subscriptionId: subscriptionId.toLowerCase(),
      changeType: changeType as AzureChangeRecord['changeType'],
      timestamp: new Date(time).toISOString(),
      ...optional('changedBy', text(attributes['changedBy'])),
      ...optional('changedByType', text(attributes['changedByType'])),
      ...optional('clientType', text(attributes['clientType'])),
      ...optional('operation', text(attributes['operation'])),
      ...optional('correlationId', text(attributes['correlationId'])),
      ...optional('previousResourceSnapshotId', text(attributes['previousResourceSnapshotId'])),
      ...optional('newResourceSnapshotId', text(attributes['newResourceSnapshotId'])),
      changes,
    },
  };
};

/** The change records timestamped after `since`, oldest first (id breaks ties, so pages are stable). */
export const changeRecordsQuery = (since: Date): string => {
  if (Number.isNaN(since.getTime())) throw new RangeError('since must be a valid time');
  return (
    'resourcechanges | extend changeTime = todatetime(properties.changeAttributes.timestamp)' +
    ` | where changeTime > datetime(${since.toISOString()}) | order by changeTime asc, id asc`
  );
};

/** A KQL string literal: ARM ids are printable, but quotes and backslashes must not end the literal. */
const kqlString = (value: string): string => {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) throw new RangeError('a resource id with control characters cannot be queried');
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
};

/** Ids per `resources` query: keeps a request body a few tens of kilobytes. */
export const IDS_PER_QUERY = 100;

/** The current rows of these resources (ids compare case-insensitively, as ARM's do). */
export const resourcesByIdQuery = (ids: readonly string[]): string => {
  if (ids.length === 0 || ids.length > IDS_PER_QUERY) throw new RangeError(`1 to ${IDS_PER_QUERY} ids per query`);
  return `resources | where id in~ (${ids.map(kqlString).join(', ')}) | order by id asc`;
};

export interface ChangeRecordsResult {
  /** Oldest first; each record once. */
  readonly records: AzureChangeRecord[];
  /** Rows that were not change records Rampart can read. */
  readonly rejected: { id: string | null; reason: string }[];
  /** Subscriptions whose records could not be read: nothing may be concluded about them. */
  readonly failures: { subscriptionId: string; error: string }[];
}

/**
 * The change records of `subscriptions` after `since`. A batch of subscriptions that fails is
 * retried one by one, so one unreadable subscription is reported alone.
 */
export async function readChangeRecords(
  subscriptions: readonly string[],
  since: Date,
  options: ResourceGraphSourceOptions,
  query: ResourceGraphQuery = resourceGraphQuery(options),
): Promise<ChangeRecordsResult> {
  const text = changeRecordsQuery(since);
  const byId = new Map<string, AzureChangeRecord>();
  const rejected: ChangeRecordsResult['rejected'] = [];
  const failures: ChangeRecordsResult['failures'] = [];
  const readBatch = async (batch: string[]) => {
    const found: Record<string, unknown>[] = [];
    for await (const rows of query(text, batch)) found.push(...rows);
    return found;
  };
  const take = (rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      const parsed = parseChangeRecord(row);
      if (!parsed.ok) rejected.push({ id: typeof row['id'] === 'string' ? row['id'] : null, reason: parsed.reason });
      else byId.set(`${parsed.record.targetResourceId.toLowerCase()}|${parsed.record.changeId}`, parsed.record);
    }
  };
  const unique = [...new Set(subscriptions.map((s) => s.toLowerCase()))];
  for (const batch of chunk(unique, options.subscriptionBatchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE)) {
    try {
      take(await readBatch(batch));
    } catch (error) {
      if (batch.length === 1) {
        failures.push({ subscriptionId: batch[0], error: describeError(error) });
        continue;
      }
      for (const subscriptionId of batch) {
        try {
          take(await readBatch([subscriptionId]));
        } catch (single) {
          failures.push({ subscriptionId, error: describeError(single) });
        }
      }
    }
  }
  const records = [...byId.values()].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.changeId < b.changeId ? -1 : a.changeId > b.changeId ? 1 : 0));
  return { records, rejected, failures };
}

/**
 * The current `resources` rows of these ids in one subscription, in batches. An id with no row is
 * not there now (deleted, or not yet in Resource Graph). A failure throws: the caller cannot tell
 * absent from unread.
 */
export async function readResourcesById(
  subscriptionId: string,
  ids: readonly string[],
  options: ResourceGraphSourceOptions,
  query: ResourceGraphQuery = resourceGraphQuery(options),
): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(ids.map((id) => [id.toLowerCase(), id])).values()];
  const rows: Record<string, unknown>[] = [];
  for (const batch of chunk(unique, IDS_PER_QUERY)) {
    for await (const page of query(resourcesByIdQuery(batch), [subscriptionId])) rows.push(...page);
  }
  return rows;
}
