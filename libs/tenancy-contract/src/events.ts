// Tenancy's published events: the contract other contexts may import.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';

export const SECTORS = ['finance', 'retail', 'manufacturing', 'healthcare', 'public', 'energy', 'technology', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export type TenantOnboarded = DomainEvent<
  'tenancy.TenantOnboarded.v1',
  { tenantId: string; displayName: string; sector: Sector; contactEmail: string }
>;
export type TenantSuspended = DomainEvent<'tenancy.TenantSuspended.v1', { tenantId: string; reason: string }>;
export type TenantReinstated = DomainEvent<'tenancy.TenantReinstated.v1', { tenantId: string }>;

export type SocTeamAssigned = DomainEvent<'tenancy.SocTeamAssigned.v1', { tenantId: string; socTeam: string }>;
export type SocTeamUnassigned = DomainEvent<'tenancy.SocTeamUnassigned.v1', { tenantId: string; socTeam: string }>;

/**
 * How Rampart reaches a customer's cloud. The credential is a *reference*: a name looked up in the
 * deployment's configuration (RAMPART_AZURE_CREDENTIAL_<REF>_*), never a secret in an event.
 */
export interface CloudConnection {
  readonly connectionId: string;
  readonly provider: 'azure';
  readonly entraTenantId: string;
  readonly subscriptions: readonly string[];
  readonly managementGroups: readonly string[];
  readonly credentialReference: string;
}
export type CloudConnectionAdded = DomainEvent<'tenancy.CloudConnectionAdded.v1', { tenantId: string } & CloudConnection>;
export type CloudConnectionRemoved = DomainEvent<'tenancy.CloudConnectionRemoved.v1', { tenantId: string; connectionId: string }>;
export type TenantOffboarded = DomainEvent<'tenancy.TenantOffboarded.v1', { tenantId: string; reason: string }>;

export type TenancyEvent =
  | TenantOnboarded
  | TenantSuspended
  | TenantReinstated
  | SocTeamAssigned
  | SocTeamUnassigned
  | CloudConnectionAdded
  | CloudConnectionRemoved
  | TenantOffboarded;

export const TENANCY_EVENT_TYPES: readonly TenancyEvent['type'][] = [
  'tenancy.TenantOnboarded.v1',
  'tenancy.TenantSuspended.v1',
  'tenancy.TenantReinstated.v1',
  'tenancy.SocTeamAssigned.v1',
  'tenancy.SocTeamUnassigned.v1',
  'tenancy.CloudConnectionAdded.v1',
  'tenancy.CloudConnectionRemoved.v1',
  'tenancy.TenantOffboarded.v1',
];

/**
 * An API key for an integration: scoped to one tenant and a set of roles. Only a SHA-256 hash of
 * the secret is ever recorded; the secret is shown once, to whoever issued the key.
 * `issuedBy` (the person who answers for the key) and `socTeam` (for SOC roles) were added later:
 * keys issued before carry neither, and their issuer is read from the event's actor.
 */
export type ApiKeyIssued = DomainEvent<
  'tenancy.ApiKeyIssued.v1',
  {
    tenantId: string;
    keyId: string;
    name: string;
    roles: ApiKeyRole[];
    secretSha256: string;
    expiresAt: string;
    /** The SOC team a key with SOC roles works for (the issuer's team, assigned to the tenant). */
    socTeam?: string;
    /** The person who issued the key; `staff` when that was SOC or platform staff. */
    issuedBy?: { id: string; staff: boolean };
  }
>;
export type ApiKeyRevoked = DomainEvent<'tenancy.ApiKeyRevoked.v1', { tenantId: string; keyId: string; reason: string }>;
export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

/**
 * Roles an API key may carry, always for its one tenant: the customer's own (issued by the
 * customer's admin) or the SOC's (issued by a lead of a SOC team assigned to the tenant).
 */
export const API_KEY_ROLES = ['customer.viewer', 'customer.admin', 'soc.analyst', 'soc.lead'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const API_KEY_EVENT_TYPES: readonly ApiKeyEvent['type'][] = ['tenancy.ApiKeyIssued.v1', 'tenancy.ApiKeyRevoked.v1'];

/** A tenant's own lifecycle, SOC teams and cloud connections (what the runtime folds for a tenant's standing). */
export const isTenancyEvent = eventGuard<TenancyEvent>(...TENANCY_EVENT_TYPES);
/** The SOC teams serving a tenant over time: audit names them in its records. */
export const isSocTeamAssigned = eventGuard<SocTeamAssigned>('tenancy.SocTeamAssigned.v1');
export const isSocTeamUnassigned = eventGuard<SocTeamUnassigned>('tenancy.SocTeamUnassigned.v1');
