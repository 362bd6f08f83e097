// One decider for the tenant stream: routes each command to its use case.
import type { Decider } from '@rampart/event-sourcing';
import type { TenancyEvent } from './events';
import {
  decideAssignSocTeam,
  decideUnassignSocTeam,
  type AssignSocTeam,
  type UnassignSocTeam,
} from './assign-soc-team/assign-soc-team';
import { decideOnboardTenant, type OnboardTenant } from './onboard-tenant/onboard-tenant';
import { decideReinstateTenant, decideSuspendTenant, type ReinstateTenant, type SuspendTenant } from './suspend-tenant/suspend-tenant';
import { evolveTenant, initialTenant, type Tenant } from './tenant';

export type TenancyCommand = OnboardTenant | SuspendTenant | ReinstateTenant | AssignSocTeam | UnassignSocTeam;

export const tenantDecider: Decider<TenancyCommand, Tenant, TenancyEvent> = {
  decide: (command, state) => {
    switch (command.kind) {
      case 'OnboardTenant':
        return decideOnboardTenant(command, state);
      case 'SuspendTenant':
        return decideSuspendTenant(command, state);
      case 'ReinstateTenant':
        return decideReinstateTenant(command, state);
      case 'AssignSocTeam':
        return decideAssignSocTeam(command, state);
      case 'UnassignSocTeam':
        return decideUnassignSocTeam(command, state);
    }
  },
  evolve: evolveTenant,
  initialState: initialTenant,
};
