// Where an ingestion run learns what the log holds now: the resource-inventory read model as of
// its checkpoint (one indexed query), plus the resource events after that checkpoint. Exactly
// what replaying the tenant's whole log would say, at a fraction of the reading.
import { readProjectionAt } from '@rampart/event-store';
import { presentResourceHashes, type PresentResources } from './ingest';
import { resourceInventory } from '@rampart/inventory';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

export const presentResourcesFromReadModel =
  (stores: Pick<Stores, 'eventStore' | 'readModels'>, schema = READ_MODEL_SCHEMA): PresentResources =>
  async (tenantId, scope) => {
    const seed = await readProjectionAt(
      stores.readModels,
      { name: resourceInventory.name, version: resourceInventory.version, tables: [resourceInventory.table] },
      async (tx, table) => {
        const { rows } = await tx.query<{ key: string; hash: string }>(
          `SELECT doc->>'resourceKey' AS key, doc->>'contentHash' AS hash FROM ${table(resourceInventory.table)} WHERE tenant_id = $1`,
          [tenantId],
        );
        return new Map(rows.map((r) => [r.key, r.hash]));
      },
      schema,
    );
    return presentResourceHashes(stores.eventStore, tenantId, scope, seed && { position: seed.position, hashes: seed.value });
  };
