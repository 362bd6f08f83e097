// Inventory's published events: the contract guardrail evaluation reads.
import type { DomainEvent } from '@rampart/event-sourcing';
import type { JsonPatch } from './resource/content';

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
