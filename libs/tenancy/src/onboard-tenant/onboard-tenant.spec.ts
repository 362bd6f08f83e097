import { givenWhenThen } from '@rampart/event-sourcing';
import { tenantDecider } from '../decider';
import type { TenantOnboarded } from '../events';

const given = givenWhenThen(tenantDecider);
const onboard = (overrides: Partial<{ tenantId: string; displayName: string; sector: string; contactEmail: string }> = {}) => ({
  kind: 'OnboardTenant' as const,
  tenantId: 'contoso',
  displayName: 'Contoso Bank',
  sector: 'finance',
  contactEmail: 'secops@contoso.example',
  ...overrides,
});
const onboarded: TenantOnboarded = {
  type: 'tenancy.TenantOnboarded.v1',
  data: { tenantId: 'contoso', displayName: 'Contoso Bank', sector: 'finance', contactEmail: 'secops@contoso.example' },
};

describe('onboard tenant', () => {
  it('onboards a new tenant', () => {
    given().when(onboard({ displayName: '  Contoso Bank ' })).then(onboarded);
  });

  it('refuses a tenant that already exists', () => {
    given(onboarded).when(onboard()).thenRejects('tenant-already-onboarded');
  });

  it.each([
    ['invalid-tenant-id', { tenantId: 'Contoso Bank' }],
    ['invalid-tenant-id', { tenantId: '-contoso' }],
    ['invalid-display-name', { displayName: '   ' }],
    ['invalid-sector', { sector: 'casino' }],
    ['invalid-contact-email', { contactEmail: 'nobody' }],
    ['reserved-tenant-id', { tenantId: 'provider' }],
  ])('refuses with %s', (code, overrides) => {
    given().when(onboard(overrides)).thenRejects(code);
  });
});
