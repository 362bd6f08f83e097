// From an identity provider's claims to Rampart role grants. Entra puts app roles in `roles` and
// group object ids in `groups`; which of them mean which grant is configuration (the role map),
// so a customer's directory never decides Rampart permissions by naming convention.
import { parseGrant, type RoleGrant } from '@rampart/auth';

/** Claim value (app role name or group object id) → the grants it confers. */
export type RoleMap = Readonly<Record<string, readonly RoleGrant[]>>;

const MAPPED_CLAIMS = ['roles', 'groups'] as const;

const grantKey = (grant: RoleGrant): string =>
  JSON.stringify([grant.role, 'tenantId' in grant ? grant.tenantId : null, 'socTeam' in grant ? grant.socTeam : null]);

/** The same grants in first-seen order, each once. */
export const uniqueGrants = (grants: Iterable<RoleGrant>): RoleGrant[] => {
  const seen = new Map<string, RoleGrant>();
  for (const grant of grants) if (!seen.has(grantKey(grant))) seen.set(grantKey(grant), grant);
  return [...seen.values()];
};

/**
 * Grants for the values of the `roles` and `groups` claims. Values the map does not name are
 * ignored. (Entra leaves `groups` out when a user is in too many groups, the "overage" case:
 * map app roles rather than groups, or assign groups to the app, to stay clear of it.)
 */
export const claimsToGrants = (claims: Readonly<Record<string, unknown>>, roleMap: RoleMap): RoleGrant[] =>
  uniqueGrants(
    MAPPED_CLAIMS.flatMap((claim) => {
      const values = claims[claim];
      return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : [];
    }).flatMap((value) => (Object.hasOwn(roleMap, value) ? roleMap[value] : [])),
  );

/** Fields each role takes besides `role`; anything else in a map entry is refused, not ignored. */
const fieldsOf = (grant: RoleGrant): string[] => Object.keys(grant).filter((field) => field !== 'role');

/**
 * Parses the role map from configuration JSON, e.g.
 * `{"Rampart.SOC.Analyst": [{"role": "soc.analyst", "socTeam": "blue"}]}`.
 * Throws naming the first bad entry: an unknown role or a missing or unexpected scope field would
 * otherwise grant more or less than intended (a platform.admin "for one tenant" is global).
 */
export const parseRoleMap = (json: string): Record<string, RoleGrant[]> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`role map is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('role map must be a JSON object from claim value (app role or group object id) to a list of grants');
  }
  const expected = `{"role": "customer.viewer" | "customer.admin" | "auditor", "tenantId": "..."}, {"role": "soc.analyst" | "soc.lead", "socTeam": "..."} or {"role": "platform.admin"}`;
  const entries = Object.entries(parsed).map(([claimValue, grants]): [string, RoleGrant[]] => {
    if (!claimValue.trim()) throw new Error('role map has an entry with an empty claim value');
    if (!Array.isArray(grants)) throw new Error(`role map entry "${claimValue}" must be a list of grants (given ${JSON.stringify(grants)})`);
    return [
      claimValue,
      grants.map((raw: unknown, index) => {
        const grant = parseGrant(raw);
        const where = `role map entry "${claimValue}" grant ${index + 1}`;
        if (!grant) throw new Error(`${where} is not a valid grant: ${JSON.stringify(raw)}; expected ${expected}`);
        const extra = Object.keys(raw as object).filter((field) => field !== 'role' && !fieldsOf(grant).includes(field));
        if (extra.length) throw new Error(`${where} (${grant.role}) has fields that role does not take: ${extra.join(', ')}`);
        return grant;
      }),
    ];
  });
  // fromEntries defines own properties, so a "__proto__" key stays data and cannot touch prototypes.
  return Object.fromEntries(entries);
};
