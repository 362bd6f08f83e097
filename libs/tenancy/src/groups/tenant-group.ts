// A tenant group, one stream in the provider's scope: created with a name, tenants join and leave.
// Whether a tenant may join (it exists, its standing allows a change of what it is held to) is the
// use case's to check, as the decider sees only the group.
import { reject, type Decider, type Decision } from '@rampart/event-sourcing';
import { GROUP_ID, type TenantGroupEvent } from '../events';

export interface TenantGroup {
  readonly groupId: string | null;
  readonly name: string | null;
  readonly members: ReadonlySet<string>;
}

export type TenantGroupCommand =
  | { readonly kind: 'CreateTenantGroup'; readonly groupId: string; readonly name: string; readonly description?: string }
  | { readonly kind: 'AddTenantToGroup'; readonly tenantId: string }
  | { readonly kind: 'RemoveTenantFromGroup'; readonly tenantId: string; readonly reason: string };

const initial = (): TenantGroup => ({ groupId: null, name: null, members: new Set() });

const evolve = (state: TenantGroup, event: TenantGroupEvent): TenantGroup => {
  switch (event.type) {
    case 'tenancy.TenantGroupCreated.v1':
      return { ...state, groupId: event.data.groupId, name: event.data.name };
    case 'tenancy.TenantJoinedGroup.v1':
      return { ...state, members: new Set(state.members).add(event.data.tenantId) };
    case 'tenancy.TenantLeftGroup.v1': {
      const members = new Set(state.members);
      members.delete(event.data.tenantId);
      return { ...state, members };
    }
    default:
      return state;
  }
};

const decide = (command: TenantGroupCommand, state: TenantGroup): Decision<TenantGroupEvent> => {
  if (command.kind === 'CreateTenantGroup') {
    if (state.groupId) return reject('group-exists', `group ${state.groupId} exists`);
    if (!GROUP_ID.test(command.groupId)) return reject('invalid-group-id', 'lowercase letters, digits and dashes, up to 30');
    const name = command.name.trim();
    if (name.length < 1 || name.length > 100) return reject('invalid-name', 'a name of 1-100 characters');
    const description = (command.description ?? '').trim();
    if (description.length > 500) return reject('description-too-long', 'at most 500 characters');
    return [{ type: 'tenancy.TenantGroupCreated.v1', data: { groupId: command.groupId, name, description } }];
  }
  if (!state.groupId) return reject('unknown-group');
  const groupId = state.groupId;
  switch (command.kind) {
    case 'AddTenantToGroup':
      // already a member: nothing to record, so adding is safe to repeat
      if (state.members.has(command.tenantId)) return [];
      return [{ type: 'tenancy.TenantJoinedGroup.v1', data: { groupId, tenantId: command.tenantId } }];
    case 'RemoveTenantFromGroup': {
      if (!state.members.has(command.tenantId)) return reject('not-a-member', `${command.tenantId} is not in ${groupId}`);
      const reason = command.reason.trim();
      if (reason.length < 3 || reason.length > 500) return reject('reason-required', 'say why, in 3-500 characters');
      return [{ type: 'tenancy.TenantLeftGroup.v1', data: { groupId, tenantId: command.tenantId, reason } }];
    }
  }
};

export const tenantGroupDecider: Decider<TenantGroupCommand, TenantGroup, TenantGroupEvent> = { decide, evolve, initialState: initial };
