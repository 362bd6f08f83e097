// Inventory's published events: the contract guardrail evaluation reads.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';
import type { Operation } from 'fast-json-patch';

/** An RFC 6902 patch: how a configuration change is recorded. */
export type JsonPatch = Operation[];

export type ResourceDiscovered = DomainEvent<
  'inventory.ResourceDiscovered.v1',
  { resourceKey: string; id: string; type: string; configuration: unknown; contentHash: string; runId: string }
>;
export type ResourceConfigurationChanged = DomainEvent<
  'inventory.ResourceConfigurationChanged.v1',
  { resourceKey: string; id: string; type: string; patch: JsonPatch; beforeHash: string; afterHash: string; runId: string }
>;
export type ResourceRemoved = DomainEvent<
  'inventory.ResourceRemoved.v1',
  { resourceKey: string; id: string; type: string; lastHash: string; runId: string }
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
