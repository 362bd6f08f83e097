import { givenWhenThen } from '@rampart/event-sourcing';
import { tenantDecider } from '../decider';
import type { TenantOffboarded, TenantOnboarded, TenantSuspended, SocTeamAssigned } from '../events';
import { standingOf } from './standing';

const given = givenWhenThen(tenantDecider);
const onboarded: TenantOnboarded = {
  type: 'tenancy.TenantOnboarded.v1',
  data: { tenantId: 'contoso', displayName: 'Contoso', sector: 'finance', contactEmail: 'a@contoso.example' },
};
const suspended: TenantSuspended = { type: 'tenancy.TenantSuspended.v1', data: { tenantId: 'contoso', reason: 'unpaid invoices' } };
const offboarded: TenantOffboarded = { type: 'tenancy.TenantOffboarded.v1', data: { tenantId: 'contoso', reason: 'contract ended' } };
const assigned: SocTeamAssigned = { type: 'tenancy.SocTeamAssigned.v1', data: { tenantId: 'contoso', socTeam: 'blue' } };

describe("a tenant's standing in tenancy's own decider", () => {
  it('a suspended tenant gives nobody new access, and may still lose it', () => {
    given(onboarded, suspended).when({ kind: 'AssignSocTeam', tenantId: 'contoso', socTeam: 'red' }).thenRejects('tenant-suspended');
    given(onboarded, suspended)
      .when({ kind: 'AddCloudConnection', tenantId: 'contoso', connectionId: 'prod', entraTenantId: '00000000-0000-0000-0000-000000000001', subscriptions: ['00000000-0000-0000-0000-000000000002'], managementGroups: [], credentialReference: 'contoso' })
      .thenRejects('tenant-suspended');
    given(onboarded, assigned, suspended)
      .when({ kind: 'UnassignSocTeam', tenantId: 'contoso', socTeam: 'blue' })
      .then({ type: 'tenancy.SocTeamUnassigned.v1', data: { tenantId: 'contoso', socTeam: 'blue' } });
  });

  it('an offboarded tenant is closed even to onboarding again under its id', () => {
    given(onboarded, offboarded)
      .when({ kind: 'OnboardTenant', tenantId: 'contoso', displayName: 'Contoso', sector: 'finance', contactEmail: 'a@contoso.example' })
      .thenRejects('tenant-offboarded');
    given(onboarded, assigned, offboarded).when({ kind: 'UnassignSocTeam', tenantId: 'contoso', socTeam: 'blue' }).thenRejects('tenant-offboarded');
  });

  it('names the tenant and what does not happen', () => {
    expect(standingOf('contoso', 'suspended', 'collects')).toEqual({
      rejected: true,
      code: 'tenant-suspended',
      message: 'tenant "contoso" is suspended until it is reinstated; its inventory is not collected',
    });
    expect(standingOf('contoso', 'active', 'collects')).toBeUndefined();
  });
});
