// Per-request context: the authenticated principal, its tenant scope (the one place access is
// decided), a correlation id, and request-scoped loaders.
import { TenantScope, type Principal, type SocAssignments } from '@rampart/auth';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import type { SqlClient } from '@rampart/event-store';
import { createLoaders, type Loaders } from './graphql/loaders';

export interface RequestContext {
  readonly principal: Principal;
  readonly scope: TenantScope;
  readonly correlationId: string;
  readonly loaders: Loaders;
}

/** SOC principals reach the tenants assigned to their teams: one indexed query per request, only for them. */
export const loadSocAssignments = async (principal: Principal, sql: SqlClient): Promise<SocAssignments> => {
  const teams = [...new Set(principal.grants.flatMap((g) => ('socTeam' in g ? [g.socTeam] : [])))];
  if (teams.length === 0) return new Map();
  // `?|` is served by the GIN index on doc->'socTeams' (see platformProjections).
  const { rows } = await sql.query<{ tenant_id: string; teams: string[] }>(
    `SELECT id AS tenant_id, doc->'socTeams' AS teams FROM "${READ_MODEL_SCHEMA}".tenant_directory
     WHERE doc->'socTeams' ?| $1::text[]`,
    [teams],
  );
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const team of row.teams.filter((t) => teams.includes(t))) map.set(team, (map.get(team) ?? new Set()).add(row.tenant_id));
  }
  return map;
};

export const createRequestContext = async (principal: Principal, correlationId: string, sql: SqlClient): Promise<RequestContext> => {
  const scope = new TenantScope(principal, await loadSocAssignments(principal, sql));
  return { principal, scope, correlationId, loaders: createLoaders(sql, scope) };
};
