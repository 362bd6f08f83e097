// The tenant aggregate as data and functions: its state, how events change it, and the stream
// that holds it.
import { streamIdFor } from '@rampart/event-sourcing';
import type { CloudConnection, Sector, TenancyEvent } from './events';

export type TenantStatus = 'active' | 'suspended' | 'offboarded';

export type Tenant =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly tenantId: string;
      readonly displayName: string;
      readonly sector: Sector;
      readonly status: TenantStatus;
      readonly socTeams: readonly string[];
      readonly connections: ReadonlyMap<string, CloudConnection>;
    };

export const initialTenant = (): Tenant => ({ exists: false });

export const evolveTenant = (state: Tenant, event: TenancyEvent): Tenant => {
  switch (event.type) {
    case 'tenancy.TenantOnboarded.v1':
      return { exists: true, ...event.data, status: 'active', socTeams: [], connections: new Map() };
    case 'tenancy.TenantSuspended.v1':
      return state.exists ? { ...state, status: 'suspended' } : state;
    case 'tenancy.TenantReinstated.v1':
      return state.exists ? { ...state, status: 'active' } : state;
    case 'tenancy.SocTeamAssigned.v1':
      return state.exists ? { ...state, socTeams: [...state.socTeams, event.data.socTeam] } : state;
    case 'tenancy.SocTeamUnassigned.v1':
      return state.exists ? { ...state, socTeams: state.socTeams.filter((t) => t !== event.data.socTeam) } : state;
    case 'tenancy.CloudConnectionAdded.v1': {
      if (!state.exists) return state;
      const { tenantId: _tenantId, ...connection } = event.data;
      return { ...state, connections: new Map(state.connections).set(connection.connectionId, connection) };
    }
    case 'tenancy.CloudConnectionRemoved.v1': {
      if (!state.exists) return state;
      const connections = new Map(state.connections);
      connections.delete(event.data.connectionId);
      return { ...state, connections };
    }
    case 'tenancy.TenantOffboarded.v1':
      return state.exists ? { ...state, status: 'offboarded' } : state;
    default:
      return state;
  }
};

export const tenantStreamId = (tenantId: string): string => streamIdFor(tenantId, 'tenant', tenantId);

/**
 * The SOC teams that served the tenant at an instant, from its recorded events: metrics for a
 * past period attribute an incident to the teams on duty when it opened, not to today's.
 */
export const socTeamsAt = (events: readonly (TenancyEvent & { readonly recordedAt: string })[], at: Date): string[] => {
  let teams: string[] = [];
  for (const event of events) {
    if (Date.parse(event.recordedAt) > at.getTime()) break;
    if (event.type === 'tenancy.SocTeamAssigned.v1' && !teams.includes(event.data.socTeam)) teams = [...teams, event.data.socTeam];
    else if (event.type === 'tenancy.SocTeamUnassigned.v1') teams = teams.filter((t) => t !== event.data.socTeam);
  }
  return teams;
};
