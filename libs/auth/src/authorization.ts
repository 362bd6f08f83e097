// What each role may do, and the one place that answers "may this principal do P in tenant T?".
// Every GraphQL operation, field, subscription and loader goes through a TenantScope built for
// the request; nothing decides access on its own.
import type { Principal, Role, RoleGrant } from './principal';

export const PERMISSIONS = {
  'tenants.read': ['customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead', 'auditor', 'platform.admin'],
  'tenants.manage': ['platform.admin'],
  'socTeams.manage': ['platform.admin'],
  'apiKeys.read': ['customer.admin', 'soc.lead', 'platform.admin'],
  'apiKeys.manage': ['customer.admin', 'soc.lead', 'platform.admin'],
  'events.read': ['customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead', 'auditor', 'platform.admin'],
  'platform.read': ['soc.analyst', 'soc.lead', 'platform.admin'],
  'inventory.push': ['customer.admin', 'soc.lead', 'platform.admin'],
  'connections.manage': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Assign baselines, set the reporting policy. */
  'guardrails.manage': ['customer.admin', 'soc.lead', 'platform.admin'],
  'exemptions.request': ['customer.admin', 'soc.analyst', 'soc.lead', 'platform.admin'],
  /** The approver must also be another person than the requester (enforced by the domain). */
  'exemptions.approve': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Attest a control no rule checks (with evidence files), or revoke an attestation: a person who answers for the statement. */
  'attestations.record': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Approve or reject an attestation awaiting a second person (who must be another person than the attester, enforced by the domain). */
  'attestations.approve': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Work incidents: triage, respond, comment, tasks, evidence, propose actions. */
  'incidents.respond': ['soc.analyst', 'soc.lead', 'platform.admin'],
  /** Comment on an incident: the SOC, and the customer's admin on their own tenant's incidents. */
  'incidents.comment': ['customer.admin', 'soc.analyst', 'soc.lead', 'platform.admin'],
  /** Approve or cancel response actions (a destructive one also needs another person than its proposer). */
  'actions.approve': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Send external alerts (Defender for Cloud, Sentinel) in: integrations use API keys with these roles. */
  'alerts.ingest': ['customer.admin', 'soc.lead', 'platform.admin'],
  /** Export the tenant's signed audit trail (and download it): auditors and admins only. */
  'audit.export': ['auditor', 'customer.admin', 'platform.admin'],
  /** The provider's policy library (custom definitions and initiatives): read it, import into it. The provider's, not a tenant's. */
  'library.manage': ['platform.admin'],
  /** The provider's tenant groups (by sector, tier, region) and what they assign their members. */
  'groups.manage': ['platform.admin'],
  /** Read groups and their compliance across members: SOC staff see the members within their reach only. */
  'groups.read': ['soc.analyst', 'soc.lead', 'platform.admin'],
  /** A tenant's SLA targets, pre-approved low-risk actions, correlation window. */
  'incidents.policy': ['customer.admin', 'soc.lead', 'platform.admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const isPermission = (value: unknown): value is Permission => typeof value === 'string' && value in PERMISSIONS;

/** An event's actor as the API records it (the envelope's Actor, from a request's principal). */
export interface RecordedActor {
  readonly kind: 'user' | 'api-key';
  readonly id: string;
  readonly onBehalfOfTenant?: string;
  readonly issuedBy?: { readonly kind: 'user'; readonly id: string };
}

export class AuthorizationError extends Error {
  readonly code = 'FORBIDDEN';
  constructor(message: string) {
    super(message);
    this.name = 'AuthorizationError';
  }
}

/** SOC team -> the tenants it is assigned to (from the tenancy read model). */
export type SocAssignments = ReadonlyMap<string, ReadonlySet<string>>;

export type TenantReach = { readonly all: true } | { readonly all: false; readonly tenants: ReadonlySet<string> };

const allows = (grant: RoleGrant, permission: Permission): boolean => (PERMISSIONS[permission] as readonly Role[]).includes(grant.role);

export class TenantScope {
  constructor(
    readonly principal: Principal,
    private readonly assignments: SocAssignments,
  ) {}

  private tenantsOf(grant: RoleGrant): TenantReach {
    switch (grant.role) {
      case 'platform.admin':
        return { all: true };
      case 'soc.analyst':
      case 'soc.lead': {
        const teamTenants = this.assignments.get(grant.socTeam) ?? new Set<string>();
        // A grant narrowed to one tenant reaches it only while the team is assigned to it.
        if (grant.tenantId !== undefined) return { all: false, tenants: teamTenants.has(grant.tenantId) ? new Set([grant.tenantId]) : new Set() };
        return { all: false, tenants: teamTenants };
      }
      default:
        return { all: false, tenants: new Set([grant.tenantId]) };
    }
  }

  /** The grant that lets the principal do `permission` in `tenantId`, if any. */
  private grantFor(permission: Permission, tenantId: string): RoleGrant | undefined {
    return this.principal.grants.find((g) => {
      if (!allows(g, permission)) return false;
      const reach = this.tenantsOf(g);
      return reach.all || reach.tenants.has(tenantId);
    });
  }

  can(permission: Permission, tenantId: string): boolean {
    return this.grantFor(permission, tenantId) !== undefined;
  }

  assert(permission: Permission, tenantId: string): void {
    if (!this.can(permission, tenantId)) {
      throw new AuthorizationError(`not allowed to ${permission} for tenant "${tenantId}"`);
    }
  }

  /** Permissions that are not about one tenant (platform status). */
  canGlobally(permission: Permission): boolean {
    return this.principal.grants.some((g) => allows(g, permission));
  }

  assertGlobally(permission: Permission): void {
    if (!this.canGlobally(permission)) throw new AuthorizationError(`not allowed to ${permission}`);
  }

  /** Every tenant where the principal may do `permission`: lists filter by this. */
  reach(permission: Permission): TenantReach {
    const tenants = new Set<string>();
    for (const grant of this.principal.grants.filter((g) => allows(g, permission))) {
      const reach = this.tenantsOf(grant);
      if (reach.all) return reach;
      reach.tenants.forEach((t) => tenants.add(t));
    }
    return { all: false, tenants };
  }

  /**
   * The actor to record on events: SOC and platform staff act on behalf of the tenant, and the
   * tenant sees it in its timeline; the tenant's own users and keys do not. An API key is recorded
   * with the person who issued it (the actor chain), so its work is never anonymous.
   */
  actorFor(permission: Permission, tenantId: string): RecordedActor {
    const grant = this.grantFor(permission, tenantId);
    const own = grant !== undefined && (grant.role === 'customer.admin' || grant.role === 'customer.viewer');
    const issuedBy = this.principal.kind === 'api-key' && this.principal.issuedBy ? { issuedBy: { kind: 'user' as const, id: this.principal.issuedBy.id } } : {};
    return own
      ? { kind: this.principal.kind, id: this.principal.id, ...issuedBy }
      : { kind: this.principal.kind, id: this.principal.id, onBehalfOfTenant: tenantId, ...issuedBy };
  }

  /** The tenant-scoped grants this principal holds in `tenantId` (SOC grants through its teams). */
  grantsIn(tenantId: string): RoleGrant[] {
    return this.principal.grants.filter((g) => {
      const reach = this.tenantsOf(g);
      return reach.all || reach.tenants.has(tenantId);
    });
  }
}
