// Read model "tenant-groups": one document per group, its members and when each joined. Pure; the
// platform wires it into a SQL document projection.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import { TENANT_GROUP_EVENT_TYPES, type TenantGroupEvent } from '../events';

export interface TenantGroupEntry {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly members: readonly { readonly tenantId: string; readonly joinedAt: string }[];
  readonly revision: number;
}

export const tenantGroupDirectory = {
  name: 'tenant-groups',
  version: 1,
  table: 'tenant_groups',
  eventTypes: TENANT_GROUP_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => (event.data as { groupId: string }).groupId,
  evolve: (entry: TenantGroupEntry | undefined, raw: ProjectedEvent): TenantGroupEntry | null => {
    const event = raw as unknown as TenantGroupEvent;
    switch (event.type) {
      case 'tenancy.TenantGroupCreated.v1':
        return { groupId: event.data.groupId, name: event.data.name, description: event.data.description, createdAt: raw.recordedAt, members: [], revision: raw.revision };
      case 'tenancy.TenantJoinedGroup.v1':
        return entry ? { ...entry, members: [...entry.members.filter((m) => m.tenantId !== event.data.tenantId), { tenantId: event.data.tenantId, joinedAt: raw.recordedAt }], revision: raw.revision } : null;
      case 'tenancy.TenantLeftGroup.v1':
        return entry ? { ...entry, members: entry.members.filter((m) => m.tenantId !== event.data.tenantId), revision: raw.revision } : null;
      default:
        return entry ?? null;
    }
  },
};
