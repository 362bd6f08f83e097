// Inventory's published events: the contract guardrail evaluation reads.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';
import type { Operation } from 'fast-json-patch';

/** An RFC 6902 patch: how a configuration change is recorded. */
export type JsonPatch = Operation[];

/**
 * A change as the cloud itself recorded it (Azure Resource Graph's `resourcechanges` table): who made
 * it, with which client and operation, and when. It is what the cloud says, kept as data: the
 * event's own `recordedAt` stays the moment Rampart recorded it. Only these attribution fields are
 * copied, never the changed values (they can hold connection strings and keys).
 */
export interface ReportedChange {
  readonly source: 'azure-resource-graph';
  /** The cloud's id of its change record. */
  readonly changeId: string;
  readonly changeType: 'Create' | 'Update' | 'Delete';
  /** When the change happened, as the cloud timestamps it (ISO-8601). */
  readonly changedAt: string;
  /** A user's sign-in name, an application or object id, `System` or `Unknown`, as the cloud reports it. */
  readonly changedBy?: string;
  readonly changedByType?: string;
  /** e.g. `Azure Portal`, `ARM Template`, `Azure CLI`. */
  readonly clientType?: string;
  /** The ARM operation, e.g. `microsoft.storage/storageaccounts/write`. */
  readonly operation?: string;
  /** ARM's correlation id: finds the same change in the Activity Log. */
  readonly correlationId?: string;
}

/**
 * `reportedChanges` (added later, optional: events recorded before it have none, nor do snapshot
 * observations) lists the cloud's change records an observation accounts for, oldest first. Several
 * changes between two collections are one Rampart change (one patch), attributed to all of them.
 */
export interface ReportedChanges {
  reportedChanges?: ReportedChange[];
}

export type ResourceDiscovered = DomainEvent<
  'inventory.ResourceDiscovered.v1',
  { resourceKey: string; id: string; type: string; configuration: unknown; contentHash: string; runId: string } & ReportedChanges
>;
export type ResourceConfigurationChanged = DomainEvent<
  'inventory.ResourceConfigurationChanged.v1',
  { resourceKey: string; id: string; type: string; patch: JsonPatch; beforeHash: string; afterHash: string; runId: string } & ReportedChanges
>;
export type ResourceRemoved = DomainEvent<
  'inventory.ResourceRemoved.v1',
  { resourceKey: string; id: string; type: string; lastHash: string; runId: string } & ReportedChanges
>;
export type ResourceEvent = ResourceDiscovered | ResourceConfigurationChanged | ResourceRemoved;

export interface IngestionCounts {
  readonly seen: number;
  readonly discovered: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly rejected: number;
}

export type IngestionRunStarted = DomainEvent<
  'inventory.IngestionRunStarted.v1',
  { runId: string; connectionId: string | null; source: 'azure-resource-graph' | 'file' | 'push'; scope: string; complete: boolean }
>;
export type IngestionRunCompleted = DomainEvent<
  'inventory.IngestionRunCompleted.v1',
  { runId: string; counts: IngestionCounts; rejections: { id: string | null; reason: string }[] }
>;
export type IngestionRunFailed = DomainEvent<'inventory.IngestionRunFailed.v1', { runId: string; reason: string; counts: IngestionCounts }>;
/** A running run's sign of life, with its counts so far: a run that stops sending them was abandoned. */
export type IngestionRunProgressed = DomainEvent<'inventory.IngestionRunProgressed.v1', { runId: string; counts: IngestionCounts }>;
export type IngestionRunEvent = IngestionRunStarted | IngestionRunProgressed | IngestionRunCompleted | IngestionRunFailed;

export const RESOURCE_EVENT_TYPES: readonly ResourceEvent['type'][] = [
  'inventory.ResourceDiscovered.v1',
  'inventory.ResourceConfigurationChanged.v1',
  'inventory.ResourceRemoved.v1',
];

/** What the guardrails' evaluator follows: a resource discovered, changed or removed. */
export const isResourceEvent = eventGuard<ResourceEvent>(...RESOURCE_EVENT_TYPES);
export const isResourceDiscovered = eventGuard<ResourceDiscovered>('inventory.ResourceDiscovered.v1');
export const isResourceConfigurationChanged = eventGuard<ResourceConfigurationChanged>('inventory.ResourceConfigurationChanged.v1');
export const isResourceRemoved = eventGuard<ResourceRemoved>('inventory.ResourceRemoved.v1');

const CHANGE_TYPES: readonly string[] = ['Create', 'Update', 'Delete'];
const optionalText = (value: unknown) => value === undefined || typeof value === 'string';

/** Whether a value is a well-formed ReportedChange (what a reader of a stored event may rely on). */
export const isReportedChange = (value: unknown): value is ReportedChange => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const c = value as Record<string, unknown>;
  return (
    c['source'] === 'azure-resource-graph' &&
    typeof c['changeId'] === 'string' &&
    CHANGE_TYPES.includes(c['changeType'] as string) &&
    typeof c['changedAt'] === 'string' &&
    ['changedBy', 'changedByType', 'clientType', 'operation', 'correlationId'].every((field) => optionalText(c[field]))
  );
};

/**
 * The cloud's change records a resource event accounts for, oldest first: none for events recorded
 * before the field existed, for snapshot observations, or for a payload that does not hold them well.
 */
export const reportedChangesOf = (event: Pick<ResourceEvent, 'data'>): readonly ReportedChange[] => {
  const changes = (event.data as ReportedChanges).reportedChanges;
  return Array.isArray(changes) ? changes.filter(isReportedChange) : [];
};
