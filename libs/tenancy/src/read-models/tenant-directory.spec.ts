import { tenantDirectory } from './tenant-directory';

const at = (type: string, data: unknown, recordedAt = '2026-11-29T10:00:00.000Z') => ({
  type,
  data,
  recordedAt,
  metadata: { tenantId: 'contoso' },
});

describe('tenant directory read model', () => {
  it('follows a tenant through onboarding, suspension and reinstatement', () => {
    const onboarded = tenantDirectory.evolve(
      undefined,
      at('tenancy.TenantOnboarded.v1', { tenantId: 'contoso', displayName: 'Contoso', sector: 'finance', contactEmail: 'a@b.c' }),
    );
    expect(onboarded).toEqual({
      tenantId: 'contoso',
      displayName: 'Contoso',
      sector: 'finance',
      status: 'active',
      onboardedAt: '2026-11-29T10:00:00.000Z',
      suspendedReason: null,
      socTeams: [],
    });
    const suspended = tenantDirectory.evolve(onboarded!, at('tenancy.TenantSuspended.v1', { tenantId: 'contoso', reason: 'unpaid' }));
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid' });
    expect(tenantDirectory.evolve(suspended!, at('tenancy.TenantReinstated.v1', { tenantId: 'contoso' }))).toMatchObject({
      status: 'active',
      suspendedReason: null,
      socTeams: [],
    });
  });
});
