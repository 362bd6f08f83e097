// Tenant groups over GraphQL, as a platform admin runs the fleet: a group of two banks, a baseline
// assigned to it and held by both (their own policies say which group), a bank that leaves loses
// it, a member's admin cannot drop it, and nobody but platform admins reaches groups.
import { startHarness, type Harness } from './testing/harness';

describe('tenant groups over GraphQL', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.token({ role: 'platform.admin' }, 'admin@soc.example');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const mutate = (field: string, input: string, token = admin) =>
    h.gql<Record<string, { __typename: string; code?: string; recorded?: number }>>(`mutation { ${field}(input: { ${input} }) { __typename ... on Rejection { code } ... on TenantGroupChanged { recorded } } }`, { token });
  const assignments = async (tenantId: string) =>
    (await h.gql<{ tenantGuardrails: { assignments: { assignmentId: string; baselineId: string; group: string | null }[] } }>(`{ tenantGuardrails(tenantId: "${tenantId}") { assignments { assignmentId baselineId group } } }`, { token: admin })).body.data!.tenantGuardrails.assignments.filter((a) => a.group);

  it('gives a group’s baseline to each member, in its own policy, and takes it from one that leaves', async () => {
    expect((await mutate('createTenantGroup', 'groupId: "banks", name: "Banks", description: "regulated: DORA"')).body.data?.createTenantGroup).toEqual({ __typename: 'TenantGroupChanged', recorded: 1 });
    for (const tenantId of ['contoso-bank', 'fabrikam-retail']) expect((await mutate('addTenantToGroup', `groupId: "banks", tenantId: "${tenantId}"`)).body.data?.addTenantToGroup.__typename).toBe('TenantGroupChanged');
    expect((await mutate('assignBaselineToGroup', 'groupId: "banks", assignmentId: "core", baselineId: "landing-zone-core"')).body.data?.assignBaselineToGroup).toEqual({ __typename: 'TenantGroupChanged', recorded: 1 });
    expect((await mutate('assignBaselineToGroup', 'groupId: "banks", assignmentId: "nope", baselineId: "no-such-baseline"')).body.data?.assignBaselineToGroup).toEqual({ __typename: 'Rejection', code: 'unknown-baseline' });
    await h.settled();
    expect(await assignments('contoso-bank')).toEqual([{ assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', group: 'banks' }]);
    expect(await assignments('fabrikam-retail')).toEqual([{ assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', group: 'banks' }]);

    const group = await h.gql<{ tenantGroup: { name: string; members: { tenantId: string }[]; assignments: { assignmentId: string; baselineId: string }[] } }>(
      '{ tenantGroup(groupId: "banks") { name members { tenantId } assignments { assignmentId baselineId } } }',
      { token: admin },
    );
    expect(group.body.data?.tenantGroup).toEqual({ name: 'Banks', members: [{ tenantId: 'contoso-bank' }, { tenantId: 'fabrikam-retail' }], assignments: [{ assignmentId: 'core', baselineId: 'landing-zone-core' }] });

    // the SOC's view across the group: who fails most, which controls fail in the most members
    const compliance = await h.gql<{ tenantGroup: { compliance: { members: { tenantId: string; nonCompliant: number }[]; controls: { framework: string; failingTenants: number; tenants: number }[] } } }>(
      '{ tenantGroup(groupId: "banks") { compliance { members { tenantId nonCompliant } controls { framework control failingTenants tenants } } } }',
      { token: admin },
    );
    expect(compliance.body.errors).toBeUndefined();
    const members = compliance.body.data!.tenantGroup.compliance.members;
    expect(members.map((m) => m.tenantId).sort()).toEqual(['contoso-bank', 'fabrikam-retail']);
    expect(members[0].nonCompliant).toBeGreaterThanOrEqual(members[1].nonCompliant);
    for (const c of compliance.body.data!.tenantGroup.compliance.controls) expect(c.failingTenants).toBeLessThanOrEqual(c.tenants);
    const series = await h.gql<{ tenantGroupComplianceSeries: { at: string; compliance: { members: { tenantId: string }[] } }[] }>(
      `{ tenantGroupComplianceSeries(groupId: "banks", from: "${new Date(Date.now() - 2 * 3_600_000).toISOString()}", to: "${new Date().toISOString()}", bucket: HOUR) { at compliance { members { tenantId } } } }`,
      { token: admin },
    );
    expect(series.body.errors).toBeUndefined();
    expect(series.body.data!.tenantGroupComplianceSeries.length).toBeGreaterThanOrEqual(1);
    // a member counts from when it joined: not at the end of the hour before
    expect(series.body.data!.tenantGroupComplianceSeries[0].compliance.members).toEqual([]);

    const customer = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    const own = await h.gql<{ unassignBaseline: { __typename: string; code?: string } }>('mutation { unassignBaseline(input: { tenantId: "contoso-bank", assignmentId: "grp-banks-core" }) { __typename ... on Rejection { code } } }', { token: customer });
    expect(own.body.data?.unassignBaseline).toEqual({ __typename: 'Rejection', code: 'assigned-by-group' });

    expect((await mutate('removeTenantFromGroup', 'groupId: "banks", tenantId: "fabrikam-retail", reason: "a retailer after all"')).body.data?.removeTenantFromGroup.__typename).toBe('TenantGroupChanged');
    await h.settled();
    expect(await assignments('fabrikam-retail')).toEqual([]);
    expect(await assignments('contoso-bank')).toHaveLength(1);
  });

  it('is the platform admins’ alone', async () => {
    for (const grant of [{ role: 'soc.lead', socTeam: 'blue' }, { role: 'customer.admin', tenantId: 'contoso-bank' }] as const) {
      const token = await h.token(grant);
      expect((await h.gql('{ tenantGroups { groupId } }', { token })).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect((await mutate('addTenantToGroup', 'groupId: "banks", tenantId: "fabrikam-retail"', token)).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    }
  });
});
