// Tenant groups: the provider's named sets of its customers (by sector, contract tier, region; a
// tenant may be in several), in the provider's scope (`t-provider:tenant-group-<id>`). Other contexts
// follow them: guardrails gives a group's assignments to its members as they join and leave.
import { eventGuard, PROVIDER_SCOPE, streamIdFor, type DomainEvent } from '@rampart/event-sourcing';

export type TenantGroupCreated = DomainEvent<'tenancy.TenantGroupCreated.v1', { groupId: string; name: string; description: string }>;
export type TenantJoinedGroup = DomainEvent<'tenancy.TenantJoinedGroup.v1', { groupId: string; tenantId: string }>;
export type TenantLeftGroup = DomainEvent<'tenancy.TenantLeftGroup.v1', { groupId: string; tenantId: string; reason: string }>;

export type TenantGroupEvent = TenantGroupCreated | TenantJoinedGroup | TenantLeftGroup;

export const TENANT_GROUP_EVENT_TYPES: readonly TenantGroupEvent['type'][] = ['tenancy.TenantGroupCreated.v1', 'tenancy.TenantJoinedGroup.v1', 'tenancy.TenantLeftGroup.v1'];
export const isTenantGroupEvent = eventGuard<TenantGroupEvent>(...TENANT_GROUP_EVENT_TYPES);

/** Lowercase letters, digits and dashes, up to 30: it names the group's stream and its members' assignments. */
export const GROUP_ID = /^[a-z0-9][a-z0-9-]{0,29}$/;

/** A group's stream: part of the contract, so followers read a group's members from its own events. */
export const tenantGroupStreamId = (groupId: string): string => streamIdFor(PROVIDER_SCOPE, 'tenant-group', groupId);

/** The members of a group, from its events (in order). */
export const groupMembersOf = (events: readonly TenantGroupEvent[]): Set<string> => {
  const members = new Set<string>();
  for (const e of events) {
    if (e.type === 'tenancy.TenantJoinedGroup.v1') members.add(e.data.tenantId);
    else if (e.type === 'tenancy.TenantLeftGroup.v1') members.delete(e.data.tenantId);
  }
  return members;
};
