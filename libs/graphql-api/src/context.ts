// Per-request context: the authenticated principal, its tenant scope (the one place access is
// decided), a correlation id, request-scoped loaders, and the read side's version as the request
// found it (read once, when first needed, for every kept answer the request is served).
import { TenantScope, type Principal, type SocAssignments } from '@rampart/auth';
import { answerCacheOf, answerKey } from '@rampart/platform';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import type { SqlClient } from '@rampart/event-store';
import { createLoaders, type Loaders } from './graphql/loaders';

export interface RequestContext {
  readonly principal: Principal;
  readonly scope: TenantScope;
  readonly correlationId: string;
  readonly loaders: Loaders;
  /** The read side's version for this request: read on first use, then the same for the whole request. */
  readonly readSideVersion: () => Promise<string>;
}

/** The SOC teams a principal's grants name, sorted. */
const socTeamsOf = (principal: Principal): string[] => [...new Set(principal.grants.flatMap((g) => ('socTeam' in g ? [g.socTeam] : [])))].sort();

/** SOC principals reach the tenants assigned to their teams: one indexed query, only for them. */
export const loadSocAssignments = async (principal: Principal, sql: SqlClient): Promise<SocAssignments> => {
  const teams = socTeamsOf(principal);
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

export const createRequestContext = async (principal: Principal, correlationId: string, stores: Pick<Stores, 'eventStore' | 'readModels'>): Promise<RequestContext> => {
  const answers = answerCacheOf(stores);
  let version: Promise<string> | undefined;
  const readSideVersion = () => (version ??= answers.readVersion());
  // A team's tenants change only with the tenant directory: kept across requests until it moves.
  const teams = socTeamsOf(principal);
  const assignments = teams.length
    ? await answers.get(answerKey('soc', teams), async () => ({ value: await loadSocAssignments(principal, stores.readModels) }), readSideVersion())
    : new Map<string, Set<string>>();
  const scope = new TenantScope(principal, assignments);
  return { principal, scope, correlationId, loaders: createLoaders(stores.readModels, scope), readSideVersion };
};
