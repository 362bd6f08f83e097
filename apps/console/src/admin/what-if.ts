// What an import of a policy library would find before it is recorded, as the library pages show it
// (`rampart policy import --what-if` prints the same): the extra tenants a person names, checked as
// the API checks them, and the answer per definition (an initiative's member named after it) and
// tenant in words. A tenant's own library is replayed over that tenant's history only.
import { formatDateTime } from '../format';
import { PROVIDER_LIBRARY, type LibraryScope } from './library-scope';
import type { PolicyWhatIf } from '../api/operations';

/** Mirrors libs/event-sourcing's tenant id. */
const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Mirrors the API's bound on whatIfTenants. */
export const MAX_WHAT_IF_TENANTS = 100;

/** The tenant ids typed in (comma separated; line breaks do as well), each once, or what is wrong with them. */
export const parseTenantList = (text: string): { ok: true; tenants: string[] } | { ok: false; message: string } => {
  const tenants = [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  const invalid = tenants.find((t) => !TENANT_ID.test(t));
  if (invalid !== undefined) return { ok: false, message: `"${invalid}" is no tenant id: lowercase letters, digits and dashes, separated by commas.` };
  if (tenants.length > MAX_WHAT_IF_TENANTS) return { ok: false, message: `At most ${MAX_WHAT_IF_TENANTS} tenants at once; ${tenants.length} were named.` };
  return { ok: true, tenants };
};

/** One row of the what-if, as the API answers it. */
export type WhatIfRow = PolicyWhatIf;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a row replays: the definition, or the initiative and its member (`Storage-Guardrails / MinTLS`). */
export const whatIfSubject = (row: Pick<WhatIfRow, 'definition' | 'member'>): string => (row.member ? `${row.definition} / ${row.member}` : row.definition);

/**
 * Why a tenant was replayed: its assignment follows the definition, or the person named it. A
 * tenant's own import is replayed over that tenant whether or not anything of it is assigned yet.
 */
export const whyReplayed = (reason: string, scope: LibraryScope = PROVIDER_LIBRARY): string =>
  reason === 'follows' ? 'follows it' : reason === 'named' ? (scope.owner === 'tenant' ? 'not assigned yet' : 'named by you') : reason;

/** When the earliest breach began, or why there is none to date. */
export const sinceText = (row: WhatIfRow): string => (row.refusal ? '—' : row.since ? formatDateTime(row.since) : row.nonCompliantEver ? '—' : 'never broken');

/** Definitions (and each initiative's members) in name order, and within each the tenants that follow it before those named. */
export const whatIfRows = (rows: readonly WhatIfRow[]): WhatIfRow[] =>
  [...rows].sort(
    (a, b) =>
      a.definition.localeCompare(b.definition) ||
      (a.member ?? '').localeCompare(b.member ?? '') ||
      Number(a.reason !== 'follows') - Number(b.reason !== 'follows') ||
      a.tenantId.localeCompare(b.tenantId),
  );

/** The answer in one sentence: how much was replayed, what breaks now, what could not be replayed. */
export const whatIfSummary = (rows: readonly WhatIfRow[], scope: LibraryScope = PROVIDER_LIBRARY): string => {
  if (rows.length === 0) {
    return scope.owner === 'provider' ? 'No tenant follows what this import adds or changes: name tenants to replay it for them' : 'Nothing this import adds or changes could be replayed';
  }
  const definitions = new Set(rows.map(whatIfSubject)).size;
  const tenants = new Set(rows.map((r) => r.tenantId)).size;
  const replayed = rows.filter((r) => !r.refusal);
  const now = replayed.reduce((sum, r) => sum + r.nonCompliantNow, 0);
  const refused = rows.length - replayed.length;
  return [
    `${plural(definitions, 'definition')} replayed over ${scope.owner === 'provider' ? `the history of ${plural(tenants, 'tenant')}` : "the tenant's history"}`,
    `${now === 0 ? 'nothing' : plural(now, 'resource')} would break ${definitions === 1 ? 'it' : 'them'} now`,
    ...(refused ? [`${plural(refused, 'replay')} not possible (see why)`] : []),
  ].join('; ');
};
