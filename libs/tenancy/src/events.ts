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

export type TenancyEvent = TenantOnboarded | TenantSuspended | TenantReinstated;

export const TENANCY_EVENT_TYPES: readonly TenancyEvent['type'][] = [
  'tenancy.TenantOnboarded.v1',
  'tenancy.TenantSuspended.v1',
  'tenancy.TenantReinstated.v1',
];
