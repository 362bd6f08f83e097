// Tenancy's published events: the contract other contexts may import.
import type { DomainEvent } from '@rampart/event-sourcing';

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
  }
>;
export type ApiKeyRevoked = DomainEvent<'tenancy.ApiKeyRevoked.v1', { tenantId: string; keyId: string; reason: string }>;
export type ApiKeyEvent = ApiKeyIssued | ApiKeyRevoked;

/** Roles an API key may carry: tenant-scoped ones only. */
export const API_KEY_ROLES = ['customer.viewer', 'customer.admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export const API_KEY_EVENT_TYPES: readonly ApiKeyEvent['type'][] = ['tenancy.ApiKeyIssued.v1', 'tenancy.ApiKeyRevoked.v1'];
