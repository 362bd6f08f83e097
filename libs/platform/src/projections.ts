// The read models this deployment keeps. Each context's pure read model (key + evolve) becomes
// a SQL document projection here, at the composition root.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import { apiKeyDirectory, tenantDirectory, type ApiKeyEntry, type TenantDirectoryEntry } from '@rampart/tenancy';

export const READ_MODEL_SCHEMA = 'rampart_read';

export const platformProjections = (): SqlProjection[] => [
  documentProjection<TenantDirectoryEntry>(tenantDirectory),
  documentProjection<ApiKeyEntry>(apiKeyDirectory),
];
