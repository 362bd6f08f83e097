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
  approveActions: ['customer.admin', 'soc.lead', 'platform.admin'],
  requestExemption: ['customer.admin', 'soc.analyst', 'soc.lead', 'platform.admin'],
  approveExemption: ['customer.admin', 'soc.lead', 'platform.admin'],
  auditExport: ['auditor', 'customer.admin', 'platform.admin'],
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

/** Where a person lands after signing in. */
export const homePath = (me: Me): string => {
  if (isSoc(me)) return '/soc/queue';
  const grant = me.grants.find((g) => g.tenantId);
  const tenantId = grant?.tenantId ?? me.tenantIds[0];
  if (!tenantId) return '/soc/queue';
  return grant?.role === 'auditor' ? `/tenants/${encodeURIComponent(tenantId)}/audit` : `/tenants/${encodeURIComponent(tenantId)}/posture`;
};

export const describeGrant = (g: Grant): string => `${g.role}${g.socTeam ? ` (team ${g.socTeam})` : ''}${g.tenantId ? ` of ${g.tenantId}` : ''}`;
