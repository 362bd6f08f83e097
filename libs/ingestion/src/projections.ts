// Inventory's read models as SQL document projections.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import { ingestionRuns, resourceInventory, type IngestionRunEntry, type ResourceInventoryEntry } from '@rampart/inventory';

export const inventoryProjections = (): SqlProjection[] => [
  documentProjection<ResourceInventoryEntry>({
    ...resourceInventory,
    indexes: [
      { name: 'resource_inventory_type', expression: "tenant_id, (doc->>'type'), id" },
      { name: 'resource_inventory_group', expression: "tenant_id, (doc->>'resourceGroup'), id" },
      { name: 'resource_inventory_tags', using: 'gin', expression: "(doc->'tags')" },
    ],
  }),
  documentProjection<IngestionRunEntry>({
    ...ingestionRuns,
    indexes: [{ name: 'ingestion_runs_started', expression: "tenant_id, (doc->>'startedAt') DESC" }],
  }),
];
