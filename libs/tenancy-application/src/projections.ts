// Tenancy's read models as SQL document projections.
import { documentProjection, type SqlClient, type SqlProjection } from '@rampart/event-store';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import { apiKeyDirectory, tenantDirectory, tenantGroupDirectory, type ApiKeyEntry, type CloudConnection, type TenantDirectoryEntry, type TenantGroupEntry } from '@rampart/tenancy';

export const tenancyProjections = (): SqlProjection[] => [
  documentProjection<TenantDirectoryEntry>({
    ...tenantDirectory,
    // every SOC request looks up the tenants of its teams
    indexes: [{ name: 'tenant_directory_soc_teams', using: 'gin', expression: "(doc->'socTeams')" }],
  }),
  documentProjection<ApiKeyEntry>(apiKeyDirectory),
  documentProjection<TenantGroupEntry>(tenantGroupDirectory),
];

/** Every tenant's cloud connections from the tenant directory, tenants in id order (the scheduler's list). */
export const cloudConnections =
  (readModels: SqlClient, schema: string = READ_MODEL_SCHEMA) =>
  async (): Promise<{ tenantId: string; connection: CloudConnection }[]> => {
    const { rows } = await readModels.query<{ doc: TenantDirectoryEntry }>(
      `SELECT doc FROM "${schema}".tenant_directory WHERE jsonb_array_length(COALESCE(doc->'connections', '[]')) > 0 ORDER BY id`,
    );
    return rows.flatMap(({ doc }) => doc.connections.map((connection) => ({ tenantId: doc.tenantId, connection })));
  };
