import { givenWhenThen } from '@rampart/event-sourcing';
import { tenantDecider } from '../decider';
import type { SocTeamAssigned, TenantOnboarded } from '../events';

const given = givenWhenThen(tenantDecider);
const onboarded: TenantOnboarded = {
  type: 'tenancy.TenantOnboarded.v1',
  data: { tenantId: 'contoso', displayName: 'Contoso', sector: 'finance', contactEmail: 'a@contoso.example' },
};
const assigned: SocTeamAssigned = { type: 'tenancy.SocTeamAssigned.v1', data: { tenantId: 'contoso', socTeam: 'blue' } };
const assign = (socTeam = 'blue') => ({ kind: 'AssignSocTeam' as const, tenantId: 'contoso', socTeam });

describe('assign a SOC team to a tenant', () => {
  it('assigns a team', () => given(onboarded).when(assign()).then(assigned));
  it('refuses an unknown tenant', () => given().when(assign()).thenRejects('tenant-not-found'));
  it('refuses a team assigned already', () => given(onboarded, assigned).when(assign()).thenRejects('soc-team-already-assigned'));
  it('refuses a malformed team name', () => given(onboarded).when(assign('Blue Team')).thenRejects('invalid-soc-team'));
  it('unassigns only an assigned team', () => {
    given(onboarded, assigned)
      .when({ kind: 'UnassignSocTeam', tenantId: 'contoso', socTeam: 'blue' })
      .then({ type: 'tenancy.SocTeamUnassigned.v1', data: { tenantId: 'contoso', socTeam: 'blue' } });
    given(onboarded).when({ kind: 'UnassignSocTeam', tenantId: 'contoso', socTeam: 'blue' }).thenRejects('soc-team-not-assigned');
  });
});
