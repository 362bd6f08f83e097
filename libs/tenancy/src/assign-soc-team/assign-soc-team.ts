import { reject, type Decision } from '@rampart/event-sourcing';
import type { TenancyEvent } from '../events';
import type { Tenant } from '../tenant';

export interface AssignSocTeam {
  readonly kind: 'AssignSocTeam';
  readonly tenantId: string;
  readonly socTeam: string;
}

export interface UnassignSocTeam {
  readonly kind: 'UnassignSocTeam';
  readonly tenantId: string;
  readonly socTeam: string;
}

const TEAM = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export const decideAssignSocTeam = (cmd: AssignSocTeam, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (!TEAM.test(cmd.socTeam)) return reject('invalid-soc-team', 'use 1-40 lowercase letters, digits and inner hyphens');
  if (tenant.socTeams.includes(cmd.socTeam)) return reject('soc-team-already-assigned');
  return [{ type: 'tenancy.SocTeamAssigned.v1', data: { tenantId: tenant.tenantId, socTeam: cmd.socTeam } }];
};

export const decideUnassignSocTeam = (cmd: UnassignSocTeam, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (!tenant.socTeams.includes(cmd.socTeam)) return reject('soc-team-not-assigned');
  return [{ type: 'tenancy.SocTeamUnassigned.v1', data: { tenantId: tenant.tenantId, socTeam: cmd.socTeam } }];
};
