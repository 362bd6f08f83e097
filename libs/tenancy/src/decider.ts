// One decider for the tenant stream: routes each command to its use case.
import type { Decider } from '@rampart/event-sourcing';
import type { TenancyEvent } from './events';
import {
  decideAssignSocTeam,
  decideUnassignSocTeam,
  type AssignSocTeam,
  type UnassignSocTeam,
} from './assign-soc-team/assign-soc-team';
import {
  decideAddCloudConnection,
  decideOffboardTenant,
  decideRemoveCloudConnection,
  type AddCloudConnection,
  type OffboardTenant,
  type RemoveCloudConnection,
} from './cloud-connections/cloud-connections';
import { decideOnboardTenant, type OnboardTenant } from './onboard-tenant/onboard-tenant';
import { decideReinstateTenant, decideSuspendTenant, type ReinstateTenant, type SuspendTenant } from './suspend-tenant/suspend-tenant';
import { standingOf, standingStatusOf, TENANCY_COMMAND_INTENTS } from './standing/standing';
import { evolveTenant, initialTenant, type Tenant } from './tenant';

export type TenancyCommand =
  | OnboardTenant
  | SuspendTenant
  | ReinstateTenant
  | AssignSocTeam
  | UnassignSocTeam
  | AddCloudConnection
  | RemoveCloudConnection
  | OffboardTenant;

export const tenantDecider: Decider<TenancyCommand, Tenant, TenancyEvent> = {
  decide: (command, state) => {
    // The tenant's standing first: an offboarded tenant accepts no further change, a suspended one
    // gives nobody new access (the rule and its table: standing/standing.ts).
    const refused = standingOf(command.tenantId, standingStatusOf(state), TENANCY_COMMAND_INTENTS[command.kind]);
    if (refused) return refused;
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
      case 'AddCloudConnection':
        return decideAddCloudConnection(command, state);
      case 'RemoveCloudConnection':
        return decideRemoveCloudConnection(command, state);
      case 'OffboardTenant':
        return decideOffboardTenant(command, state);
    }
  },
  evolve: evolveTenant,
  initialState: initialTenant,
};
