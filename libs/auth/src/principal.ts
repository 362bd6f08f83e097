// Who is calling, and what they may do where. A principal holds role grants; each grant is
// scoped: customer roles to one tenant, SOC roles to a SOC team (whose tenants come from
// assignments), auditor to named tenants, platform admin to everything.
import { isProviderScope } from '@rampart/event-sourcing';

export const ROLES = ['customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead', 'auditor', 'platform.admin'] as const;
export type Role = (typeof ROLES)[number];

export type RoleGrant =
  | { readonly role: 'customer.viewer' | 'customer.admin'; readonly tenantId: string }
  /** `tenantId` narrows a SOC grant to one of the team's tenants: what a SOC lead's API key carries. */
  | { readonly role: 'soc.analyst' | 'soc.lead'; readonly socTeam: string; readonly tenantId?: string }
  | { readonly role: 'auditor'; readonly tenantId: string }
  | { readonly role: 'platform.admin' };

export const STAFF_ROLES: readonly Role[] = ['soc.analyst', 'soc.lead', 'platform.admin'];
export const isStaffRole = (role: Role): boolean => STAFF_ROLES.includes(role);

export type PrincipalKind = 'user' | 'api-key';

export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id: the token's subject (Entra `oid` when present) or the API key id. */
  readonly id: string;
  readonly displayName?: string;
  /** The identity provider's tenant (Entra `tid`), for the audit trail. */
  readonly issuerTenant?: string;
  readonly grants: readonly RoleGrant[];
  /**
   * For an API key: the person who issued it. They answer for what the key does: four-eyes rules
   * compare this person, and every event the key writes names both (the actor chain).
   */
  readonly issuedBy?: { readonly id: string };
}

/** The person behind a principal: the user, or whoever issued the API key. */
export const humanOf = (principal: Principal): string => (principal.kind === 'api-key' && principal.issuedBy ? principal.issuedBy.id : principal.id);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * Parses one grant from untrusted JSON (configuration, token claims); undefined when malformed. A
 * grant scoped to the provider's own records (the reserved tenant id) is malformed: only platform
 * staff reach them, through their own grants.
 */
export const parseGrant = (value: unknown): RoleGrant | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const { role, tenantId, socTeam } = value as Record<string, unknown>;
  if (!isRole(role)) return undefined;
  if (typeof tenantId === 'string' && isProviderScope(tenantId)) return undefined;
  switch (role) {
    case 'customer.viewer':
    case 'customer.admin':
    case 'auditor':
      return typeof tenantId === 'string' && tenantId ? { role, tenantId } : undefined;
    case 'soc.analyst':
    case 'soc.lead':
      if (typeof socTeam !== 'string' || !socTeam) return undefined;
      if (tenantId === undefined) return { role, socTeam };
      return typeof tenantId === 'string' && tenantId ? { role, socTeam, tenantId } : undefined;
    case 'platform.admin':
      return { role };
  }
};
