// The tenant aggregate as data and functions: its state, how events change it, and the stream
// that holds it.
import { streamIdFor } from '@rampart/event-sourcing';
import type { Sector, TenancyEvent } from './events';

export type TenantStatus = 'active' | 'suspended';

export type Tenant =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly tenantId: string;
      readonly displayName: string;
      readonly sector: Sector;
      readonly status: TenantStatus;
      readonly socTeams: readonly string[];
    };

export const initialTenant = (): Tenant => ({ exists: false });

export const evolveTenant = (state: Tenant, event: TenancyEvent): Tenant => {
  switch (event.type) {
    case 'tenancy.TenantOnboarded.v1':
      return { exists: true, ...event.data, status: 'active', socTeams: [] };
    case 'tenancy.TenantSuspended.v1':
      return state.exists ? { ...state, status: 'suspended' } : state;
    case 'tenancy.TenantReinstated.v1':
      return state.exists ? { ...state, status: 'active' } : state;
    case 'tenancy.SocTeamAssigned.v1':
      return state.exists ? { ...state, socTeams: [...state.socTeams, event.data.socTeam] } : state;
    case 'tenancy.SocTeamUnassigned.v1':
      return state.exists ? { ...state, socTeams: state.socTeams.filter((t) => t !== event.data.socTeam) } : state;
    default:
      return state;
  }
};

export const tenantStreamId = (tenantId: string): string => streamIdFor(tenantId, 'tenant', tenantId);
