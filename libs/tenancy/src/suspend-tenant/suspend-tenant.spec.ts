import { givenWhenThen } from '@rampart/event-sourcing';
import { tenantDecider } from '../decider';
import type { TenantOnboarded, TenantSuspended } from '../events';

const given = givenWhenThen(tenantDecider);
const onboarded: TenantOnboarded = {
  type: 'tenancy.TenantOnboarded.v1',
  data: { tenantId: 'fabrikam', displayName: 'Fabrikam', sector: 'retail', contactEmail: 'it@fabrikam.example' },
};
const suspended: TenantSuspended = { type: 'tenancy.TenantSuspended.v1', data: { tenantId: 'fabrikam', reason: 'contract ended' } };
const suspend = (reason = 'contract ended') => ({ kind: 'SuspendTenant' as const, tenantId: 'fabrikam', reason });
const reinstate = { kind: 'ReinstateTenant' as const, tenantId: 'fabrikam' };

describe('suspend and reinstate a tenant', () => {
  it('suspends an active tenant with a reason', () => {
    given(onboarded).when(suspend()).then(suspended);
  });
  it('refuses an unknown tenant', () => {
    given().when(suspend()).thenRejects('tenant-not-found');
  });
  it('refuses a suspension without a reason', () => {
    given(onboarded).when(suspend('  ')).thenRejects('reason-required');
  });
  it('refuses to suspend twice', () => {
    given(onboarded, suspended).when(suspend()).thenRejects('tenant-already-suspended');
  });
  it('reinstates a suspended tenant, and only a suspended one', () => {
    given(onboarded, suspended).when(reinstate).then({ type: 'tenancy.TenantReinstated.v1', data: { tenantId: 'fabrikam' } });
    given(onboarded).when(reinstate).thenRejects('tenant-not-suspended');
  });
  it('folds to the current status', () => {
    expect(given(onboarded, suspended).state()).toMatchObject({ exists: true, status: 'suspended' });
  });
});
