// A tenant group, given/when/then: created once with a name, tenants join (again: nothing new) and
// leave with a reason.
import { givenWhenThen } from '@rampart/event-sourcing';
import type { TenantGroupEvent } from '../events';
import { groupMembersOf, tenantGroupStreamId } from '../events';
import { tenantGroupDecider } from './tenant-group';

const created: TenantGroupEvent = { type: 'tenancy.TenantGroupCreated.v1', data: { groupId: 'eu-banks', name: 'EU banks', description: 'DORA applies' } };
const joined = (tenantId: string): TenantGroupEvent => ({ type: 'tenancy.TenantJoinedGroup.v1', data: { groupId: 'eu-banks', tenantId } });

describe('a tenant group', () => {
  const given = givenWhenThen(tenantGroupDecider);

  it('is created once, with an id and a name', () => {
    given().when({ kind: 'CreateTenantGroup', groupId: 'eu-banks', name: ' EU banks ', description: 'DORA applies' }).then(created);
    given(created).when({ kind: 'CreateTenantGroup', groupId: 'eu-banks', name: 'again' }).thenRejects('group-exists');
    given().when({ kind: 'CreateTenantGroup', groupId: 'EU Banks', name: 'x' }).thenRejects('invalid-group-id');
    given().when({ kind: 'CreateTenantGroup', groupId: 'eu', name: '  ' }).thenRejects('invalid-name');
    given().when({ kind: 'AddTenantToGroup', tenantId: 'contoso-bank' }).thenRejects('unknown-group');
    expect(tenantGroupStreamId('eu-banks')).toBe('t-provider:tenant-group-eu-banks');
  });

  it('takes members, once each, and lets them leave with a reason', () => {
    given(created).when({ kind: 'AddTenantToGroup', tenantId: 'contoso-bank' }).then(joined('contoso-bank'));
    given(created, joined('contoso-bank')).when({ kind: 'AddTenantToGroup', tenantId: 'contoso-bank' }).then();
    given(created).when({ kind: 'RemoveTenantFromGroup', tenantId: 'contoso-bank', reason: 'left the EU' }).thenRejects('not-a-member');
    given(created, joined('contoso-bank')).when({ kind: 'RemoveTenantFromGroup', tenantId: 'contoso-bank', reason: '' }).thenRejects('reason-required');
    const left: TenantGroupEvent = { type: 'tenancy.TenantLeftGroup.v1', data: { groupId: 'eu-banks', tenantId: 'contoso-bank', reason: 'moved to the UK' } };
    given(created, joined('contoso-bank')).when({ kind: 'RemoveTenantFromGroup', tenantId: 'contoso-bank', reason: 'moved to the UK' }).then(left);
    expect([...groupMembersOf([created, joined('contoso-bank'), joined('fabrikam-retail'), left])]).toEqual(['fabrikam-retail']);
  });
});
