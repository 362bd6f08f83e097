// Request-scoped DataLoaders: fields that fetch related rows batch them into one query per
// request tick (no N+1). Loaders see only what the request's scope allows.
import type { TenantScope } from '@rampart/auth';
import type { SqlClient } from '@rampart/event-store';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import type { TenantDirectoryEntry } from '@rampart/tenancy';
import DataLoader from 'dataloader';

export interface Loaders {
  readonly tenant: DataLoader<string, TenantDirectoryEntry | null>;
}

export const createLoaders = (sql: SqlClient, scope: TenantScope): Loaders => ({
  tenant: new DataLoader(async (ids) => {
    const visible = ids.filter((id) => scope.can('tenants.read', id));
    const { rows } = visible.length
      ? await sql.query<{ id: string; doc: TenantDirectoryEntry }>(
          `SELECT id, doc FROM "${READ_MODEL_SCHEMA}".tenant_directory WHERE id = ANY($1::text[])`,
          [visible],
        )
      : { rows: [] };
    const byId = new Map(rows.map((r) => [r.id, r.doc]));
    return ids.map((id) => byId.get(id) ?? null);
  }),
});
