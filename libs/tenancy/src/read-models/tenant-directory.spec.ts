import { tenantDirectory } from './tenant-directory';

let revision = 0;
const at = (type: string, data: unknown, recordedAt = '2026-11-29T10:00:00.000Z') => ({
  revision: revision++,
  type,
  data,
  recordedAt,
  metadata: { tenantId: 'contoso', actor: { kind: 'system' as const, id: 'test' } },
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
      connections: [],
      revision: 0,
    });
    const suspended = tenantDirectory.evolve(onboarded!, at('tenancy.TenantSuspended.v1', { tenantId: 'contoso', reason: 'unpaid' }));
    expect(suspended).toMatchObject({ status: 'suspended', suspendedReason: 'unpaid' });
    const reinstated = tenantDirectory.evolve(suspended!, at('tenancy.TenantReinstated.v1', { tenantId: 'contoso' }));
    expect(reinstated).toMatchObject({ status: 'active', suspendedReason: null, revision: 2 });
    const assigned = tenantDirectory.evolve(reinstated!, at('tenancy.SocTeamAssigned.v1', { tenantId: 'contoso', socTeam: 'blue' }));
    expect(assigned).toMatchObject({ socTeams: ['blue'], revision: 3 });
    const unassigned = tenantDirectory.evolve(assigned!, at('tenancy.SocTeamUnassigned.v1', { tenantId: 'contoso', socTeam: 'blue' }));
    expect(unassigned).toMatchObject({ socTeams: [], revision: 4 });
  });
});
