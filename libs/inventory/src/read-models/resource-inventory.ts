// Read model "resource-inventory": the current configuration of every resource of every tenant,
// one document per (tenant, resource), kept by applying each event (patches included). Removed
// resources leave the inventory; their history stays in their streams.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import { applyPatch, type Operation } from 'fast-json-patch';
import { RESOURCE_EVENT_TYPES, type ResourceEvent } from '../events';

export interface ResourceInventoryEntry {
  readonly tenantId: string;
  readonly resourceKey: string;
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly location: string | null;
  readonly subscriptionId: string | null;
  readonly resourceGroup: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly configuration: Record<string, unknown>;
  readonly contentHash: string;
  readonly discoveredAt: string;
  readonly changedAt: string;
  readonly changes: number;
}


const describe = (configuration: Record<string, unknown>) => ({
  name: String(configuration['name'] ?? ''),
  location: typeof configuration['location'] === 'string' ? configuration['location'] : null,
  subscriptionId: typeof configuration['subscriptionId'] === 'string' ? configuration['subscriptionId'] : null,
  resourceGroup: typeof configuration['resourceGroup'] === 'string' ? (configuration['resourceGroup'] as string).toLowerCase() : null,
  tags: (configuration['tags'] as Record<string, string> | undefined) ?? {},
});

export const resourceInventory = {
  name: 'resource-inventory',
  version: 1,
  table: 'resource_inventory',
  eventTypes: RESOURCE_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { resourceKey: string }).resourceKey}`,
  evolve: (entry: ResourceInventoryEntry | undefined, raw: ProjectedEvent): ResourceInventoryEntry | null => {
    const event = raw as unknown as ResourceEvent;
    switch (event.type) {
      case 'inventory.ResourceDiscovered.v1': {
        const configuration = event.data.configuration as Record<string, unknown>;
        return {
          tenantId: raw.metadata.tenantId,
          resourceKey: event.data.resourceKey,
          id: event.data.id,
          type: event.data.type,
          ...describe(configuration),
          configuration,
          contentHash: event.data.contentHash,
          discoveredAt: raw.recordedAt,
          changedAt: raw.recordedAt,
          changes: 0,
        };
      }
      case 'inventory.ResourceConfigurationChanged.v1': {
        if (!entry) return null;
        const configuration = applyPatch(structuredClone(entry.configuration), event.data.patch as Operation[], false, true)
          .newDocument as Record<string, unknown>;
        return { ...entry, ...describe(configuration), id: event.data.id, configuration, contentHash: event.data.afterHash, changedAt: raw.recordedAt, changes: entry.changes + 1 };
      }
      case 'inventory.ResourceRemoved.v1':
        return null;
      default:
        return entry ?? null;
    }
  },
};
