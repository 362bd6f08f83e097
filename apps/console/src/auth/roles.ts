// What the signed-in person's grants suggest the console should offer (navigation, buttons). A
// hint only: the API decides every call, and a refusal is shown as such.

export interface Grant {
  readonly role: string;
  readonly tenantId?: string | null;
  readonly socTeam?: string | null;
}

export interface Me {
  readonly id: string;
  readonly displayName?: string | null;
  readonly kind: string;
  readonly grants: readonly Grant[];
  readonly tenantIds: readonly string[];
}

/** Mirrors libs/auth PERMISSIONS for the actions the console offers. */
const OFFERED = {
  respond: ['soc.analyst', 'soc.lead', 'platform.admin'],
  comment: ['customer.admin', 'soc.analyst', 'soc.lead', 'platform.admin'],
  approveActions: ['customer.admin', 'soc.lead', 'platform.admin'],
  requestExemption: ['customer.admin', 'soc.analyst', 'soc.lead', 'platform.admin'],
  approveExemption: ['customer.admin', 'soc.lead', 'platform.admin'],
  auditExport: ['auditor', 'customer.admin', 'platform.admin'],
  // a tenant's settings (libs/auth: tenants.manage, socTeams.manage, connections.manage, apiKeys.manage)
  administerTenants: ['platform.admin'],
  manageConnections: ['customer.admin', 'soc.lead', 'platform.admin'],
  manageApiKeys: ['customer.admin', 'soc.lead', 'platform.admin'],
  // baselines, reporting and incident policy (libs/auth: guardrails.manage, incidents.policy)
  managePolicies: ['customer.admin', 'soc.lead', 'platform.admin'],
  // attest a control and revoke an attestation; approve or reject one (attestations.record, .approve)
  recordAttestations: ['customer.admin', 'soc.lead', 'platform.admin'],
  approveAttestations: ['customer.admin', 'soc.lead', 'platform.admin'],
  // who may issue which key (libs/tenancy's api-key rule): customer roles by the customer's admin,
  // SOC roles by a lead of a team that looks after the tenant; a platform admin issues neither
  issueCustomerKeys: ['customer.admin'],
  issueSocKeys: ['soc.lead'],
} as const;

export type Offered = keyof typeof OFFERED;

const SOC_ROLES = ['soc.analyst', 'soc.lead', 'platform.admin'];

export const isSoc = (me: Me): boolean => me.grants.some((g) => SOC_ROLES.includes(g.role));

/** Whether some grant with the role reaches the tenant (SOC grants reach the team's tenants, listed in me.tenantIds). */
export const offers = (me: Me, what: Offered, tenantId: string): boolean =>
  me.grants.some((g) => {
    if (!(OFFERED[what] as readonly string[]).includes(g.role)) return false;
    if (g.role === 'platform.admin') return true;
    if (g.role === 'soc.analyst' || g.role === 'soc.lead') return me.tenantIds.includes(tenantId);
    return g.tenantId === tenantId;
  });

/**
 * The tenants a person works on, by id. The API answers `*` for a platform admin (every tenant),
 * which is no tenant to show: it becomes the tenants that exist and are not offboarded.
 */
export const reachableTenants = <M extends Me>(me: M, tenants: ReadonlyMap<string, { readonly tenantId: string; readonly status: string }>): M => {
  if (!me.tenantIds.includes('*')) return me;
  const all = [...tenants.values()].filter((t) => t.status !== 'offboarded').map((t) => t.tenantId);
  return { ...me, tenantIds: [...new Set([...all, ...me.tenantIds.filter((t) => t !== '*')])].sort() };
};

/** Whether an id names the signed-in person, compared as the domain's four-eyes rules compare them (trimmed, any case). */
export const isMe = (me: Pick<Me, 'id'>, id: string): boolean => id.trim().toLowerCase() === me.id.trim().toLowerCase();

export const isPlatformAdmin = (me: Me): boolean => me.grants.some((g) => g.role === 'platform.admin');

/** Where a person lands after signing in. */
export const homePath = (me: Me): string => {
  if (isSoc(me)) return '/soc/queue';
  const grant = me.grants.find((g) => g.tenantId);
  const tenantId = grant?.tenantId ?? me.tenantIds[0];
  if (!tenantId) return '/soc/queue';
  return grant?.role === 'auditor' ? `/tenants/${encodeURIComponent(tenantId)}/audit` : `/tenants/${encodeURIComponent(tenantId)}/posture`;
};

export const describeGrant = (g: Grant): string => `${g.role}${g.socTeam ? ` (team ${g.socTeam})` : ''}${g.tenantId ? ` of ${g.tenantId}` : ''}`;
