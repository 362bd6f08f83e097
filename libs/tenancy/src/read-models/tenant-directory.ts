// Read model "tenant-directory": one document per tenant, answering "which customers exist and
// in what state". Pure; the platform wires it into a SQL document projection.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import type { TenancyEvent } from '../events';
import { TENANCY_EVENT_TYPES } from '../events';
import type { CloudConnection, Sector } from '../events';

export interface TenantDirectoryEntry {
  readonly tenantId: string;
  readonly displayName: string;
  readonly sector: Sector;
  readonly status: 'active' | 'suspended' | 'offboarded';
  readonly onboardedAt: string;
  readonly suspendedReason: string | null;
  readonly socTeams: readonly string[];
  readonly connections: readonly CloudConnection[];
  /** Revision of the tenant stream: clients send it back as expectedRevision when they edit. */
  readonly revision: number;
}


export const tenantDirectory = {
  name: 'tenant-directory',
  version: 4,
  table: 'tenant_directory',
  eventTypes: TENANCY_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => event.metadata.tenantId,
  evolve: (entry: TenantDirectoryEntry | undefined, raw: ProjectedEvent): TenantDirectoryEntry | null => {
    const next = evolveEntry(entry, raw);
    return next && { ...next, revision: raw.revision };
  },
};

const evolveEntry = (entry: TenantDirectoryEntry | undefined, raw: ProjectedEvent): Omit<TenantDirectoryEntry, 'revision'> | null => {
  const event = raw as unknown as TenancyEvent;
  switch (event.type) {
    case 'tenancy.TenantOnboarded.v1':
      return {
        tenantId: event.data.tenantId,
        displayName: event.data.displayName,
        sector: event.data.sector,
        status: 'active',
        onboardedAt: raw.recordedAt,
        suspendedReason: null,
        socTeams: [],
        connections: [],
      };
    case 'tenancy.TenantSuspended.v1':
      return entry ? { ...entry, status: 'suspended', suspendedReason: event.data.reason } : null;
    case 'tenancy.TenantReinstated.v1':
      return entry ? { ...entry, status: 'active', suspendedReason: null } : null;
    case 'tenancy.SocTeamAssigned.v1':
      return entry ? { ...entry, socTeams: [...entry.socTeams, event.data.socTeam] } : null;
    case 'tenancy.SocTeamUnassigned.v1':
      return entry ? { ...entry, socTeams: entry.socTeams.filter((t) => t !== event.data.socTeam) } : null;
    case 'tenancy.CloudConnectionAdded.v1': {
      const { tenantId: _tenantId, ...connection } = event.data;
      return entry ? { ...entry, connections: [...entry.connections, connection] } : null;
    }
    case 'tenancy.CloudConnectionRemoved.v1':
      return entry ? { ...entry, connections: entry.connections.filter((c) => c.connectionId !== event.data.connectionId) } : null;
    case 'tenancy.TenantOffboarded.v1':
      return entry ? { ...entry, status: 'offboarded' } : null;
    default:
      return entry ?? null;
  }
};
