// Inventory's answer to what other contexts ask of the current inventory: a tenant's resources in
// key order, a resource group's members, resources by key or by type. The composition root hands it
// to guardrail evaluation, which never reads inventory's tables itself.
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import type { SqlClient } from '@rampart/event-store';

/** A resource as the inventory holds it now: its key (the lower-cased ARM id) and configuration. */
export interface InventoryResource {
  readonly key: string;
  readonly configuration: Record<string, unknown>;
}

export interface InventoryReader {
  /** Up to `limit` of the tenant's resources with keys after `afterKey` ('' for the first page), in key order. */
  page(tenantId: string, afterKey: string, limit: number): Promise<InventoryResource[]>;
  /** Up to `limit` of a resource group's resources (its own key excluded) with keys after `afterKey`, in key order. */
  groupPage(tenantId: string, groupKey: string, afterKey: string, limit: number): Promise<InventoryResource[]>;
  /** The resources among these keys that the inventory holds. */
  byKeys(tenantId: string, keys: readonly string[]): Promise<InventoryResource[]>;
  /** Every resource of a type (lower-cased, as keys are). */
  ofType(tenantId: string, type: string): Promise<InventoryResource[]>;
}

type Row = { key: string; configuration: Record<string, unknown> };
const toResource = (r: Row): InventoryResource => ({ key: r.key, configuration: r.configuration });

/** The reader over the resource_inventory read model (its id is `<tenant>|<key>`, so id order is key order). */
export const inventoryReader = (readModels: SqlClient, schema: string = READ_MODEL_SCHEMA): InventoryReader => {
  const table = `"${schema}".resource_inventory`;
  const columns = `doc->>'resourceKey' AS key, doc->'configuration' AS configuration`;
  return {
    async page(tenantId, afterKey, limit) {
      const { rows } = await readModels.query<Row>(
        `SELECT ${columns} FROM ${table} WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [tenantId, `${tenantId}|${afterKey}`, limit],
      );
      return rows.map(toResource);
    },
    async groupPage(tenantId, groupKey, afterKey, limit) {
      const name = groupKey.slice(groupKey.lastIndexOf('/') + 1);
      const { rows } = await readModels.query<Row>(
        `SELECT ${columns} FROM ${table}
          WHERE tenant_id = $1 AND doc->>'resourceGroup' = $2 AND starts_with(id, $3) AND id > $4 ORDER BY id LIMIT $5`,
        [tenantId, name, `${tenantId}|${groupKey}/`, `${tenantId}|${afterKey}`, limit],
      );
      return rows.map(toResource);
    },
    async byKeys(tenantId, keys) {
      if (keys.length === 0) return [];
      const { rows } = await readModels.query<Row>(`SELECT ${columns} FROM ${table} WHERE id = ANY($1::text[])`, [keys.map((k) => `${tenantId}|${k}`)]);
      return rows.map(toResource);
    },
    async ofType(tenantId, type) {
      const { rows } = await readModels.query<Row>(`SELECT ${columns} FROM ${table} WHERE tenant_id = $1 AND doc->>'type' = $2`, [tenantId, type]);
      return rows.map(toResource);
    },
  };
};
