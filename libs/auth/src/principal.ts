// Who is calling, and what they may do where. A principal holds role grants; each grant is
// scoped: customer roles to one tenant, SOC roles to a SOC team (whose tenants come from
// assignments), auditor to named tenants, platform admin to everything.

export const ROLES = ['customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead', 'auditor', 'platform.admin'] as const;
export type Role = (typeof ROLES)[number];

export type RoleGrant =
  | { readonly role: 'customer.viewer' | 'customer.admin'; readonly tenantId: string }
  | { readonly role: 'soc.analyst' | 'soc.lead'; readonly socTeam: string }
  | { readonly role: 'auditor'; readonly tenantId: string }
  | { readonly role: 'platform.admin' };

export type PrincipalKind = 'user' | 'api-key';

export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id: the token's subject (Entra `oid` when present) or the API key id. */
  readonly id: string;
  readonly displayName?: string;
  /** The identity provider's tenant (Entra `tid`), for the audit trail. */
  readonly issuerTenant?: string;
  readonly grants: readonly RoleGrant[];
}

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Parses one grant from untrusted JSON (configuration, token claims); undefined when malformed. */
export const parseGrant = (value: unknown): RoleGrant | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { role, tenantId, socTeam } = value as Record<string, unknown>;
  if (!isRole(role)) return undefined;
  switch (role) {
    case 'customer.viewer':
    case 'customer.admin':
    case 'auditor':
      return typeof tenantId === 'string' && tenantId ? { role, tenantId } : undefined;
    case 'soc.analyst':
    case 'soc.lead':
      return typeof socTeam === 'string' && socTeam ? { role, socTeam } : undefined;
    case 'platform.admin':
      return { role };
  }
};
