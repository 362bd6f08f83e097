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

  it('rolls a baseline out to a group in rings: the what-if, the canary by a named decision, then a rollback', async () => {
    const admins = await h.token({ role: 'platform.admin' }, 'cto@soc.example');
    expect((await mutate('createTenantGroup', 'groupId: "retail", name: "Retail"')).body.data?.createTenantGroup.__typename).toBe('TenantGroupChanged');
    for (const tenantId of ['fabrikam-retail', 'northwind-mfg']) expect((await mutate('addTenantToGroup', `groupId: "retail", tenantId: "${tenantId}"`)).body.data?.addTenantToGroup.__typename).toBe('TenantGroupChanged');
    const whatIf = await h.gql<{ rolloutWhatIf: { tenantId: string; nonCompliantNow: number; resources: { resourceId: string; now: boolean }[] }[] }>(
      '{ rolloutWhatIf(input: { groupId: "retail", baselineId: "financial-services" }) { tenantId nonCompliantNow resources { resourceId now } } }',
      { token: admin },
    );
    expect(whatIf.body.errors).toBeUndefined();
    expect(whatIf.body.data!.rolloutWhatIf.map((w) => w.tenantId)).toEqual(['fabrikam-retail', 'northwind-mfg']);
    for (const w of whatIf.body.data!.rolloutWhatIf) expect(w.resources.filter((r) => r.now).length).toBeGreaterThanOrEqual(Math.min(w.nonCompliantNow, 1));

    const plan = await h.gql<{ planRollout: { __typename: string; status?: string; whatIf?: { tenantId: string }[] } }>(
      'mutation { planRollout(input: { rolloutId: "fs-retail", groupId: "retail", assignmentId: "fs", baselineId: "financial-services", rings: [{ name: "canary", tenants: ["fabrikam-retail"] }, { name: "rest", tenants: ["*"] }] }) { __typename ... on RolloutChanged { status whatIf { tenantId } } ... on Rejection { code } } }',
      { token: admin },
    );
    expect(plan.body.data?.planRollout).toEqual({ __typename: 'RolloutChanged', status: 'planned', whatIf: [{ tenantId: 'fabrikam-retail' }, { tenantId: 'northwind-mfg' }] });
    const ring = (n: number) =>
      h.gql<{ approveRolloutRing: { __typename: string; status?: string; code?: string } }>(`mutation { approveRolloutRing(input: { rolloutId: "fs-retail", ring: ${n} }) { __typename ... on RolloutChanged { status } ... on Rejection { code } } }`, { token: admins });
    expect((await ring(1)).body.data?.approveRolloutRing).toEqual({ __typename: 'Rejection', code: 'ring-out-of-order' });
    expect((await ring(0)).body.data?.approveRolloutRing).toEqual({ __typename: 'RolloutChanged', status: 'rolling-out' });
    const holds = async (tenantId: string) =>
      (await h.gql<{ tenantGuardrails: { assignments: { assignmentId: string }[] } }>(`{ tenantGuardrails(tenantId: "${tenantId}") { assignments { assignmentId } } }`, { token: admin })).body.data!.tenantGuardrails.assignments.some(
        (a) => a.assignmentId === 'rol-fs-retail-fs',
      );
    await h.eventually('the canary holds the rollout', () => holds('fabrikam-retail'), Boolean);
    expect(await holds('northwind-mfg')).toBe(false);
    const customer = await h.token({ role: 'customer.admin', tenantId: 'fabrikam-retail' });
    const own = await h.gql<{ unassignBaseline: { code?: string } }>('mutation { unassignBaseline(input: { tenantId: "fabrikam-retail", assignmentId: "rol-fs-retail-fs" }) { ... on Rejection { code } } }', { token: customer });
    expect(own.body.data?.unassignBaseline.code).toBe('assigned-by-rollout');

    const rollout = await h.gql<{ rollout: { status: string; rings: { name: string; approved: boolean; approvedBy: string | null }[]; whatIf: { tenantId: string }[] } }>(
      '{ rollout(rolloutId: "fs-retail") { status rings { name approved approvedBy } whatIf { tenantId } } }',
      { token: admin },
    );
    expect(rollout.body.data?.rollout).toMatchObject({ status: 'rolling-out', rings: [{ name: 'canary', approved: true, approvedBy: 'cto@soc.example' }, { name: 'rest', approved: false, approvedBy: null }] });
    const back = await h.gql<{ rollBackRollout: { __typename: string; status?: string } }>('mutation { rollBackRollout(input: { rolloutId: "fs-retail", reason: "too many findings in the canary" }) { __typename ... on RolloutChanged { status } } }', { token: admin });
    expect(back.body.data?.rollBackRollout).toEqual({ __typename: 'RolloutChanged', status: 'rolled-back' });
    await h.eventually('the canary no longer holds it', () => holds('fabrikam-retail'), (held) => !held);
  });

  it('shows SOC staff the groups and members within their reach only', async () => {
    // the red team reaches northwind-mfg only: of "retail" it sees northwind, of "banks" nothing at all
    const red = await h.token({ role: 'soc.lead', socTeam: 'red' });
    const seen = await h.gql<{ tenantGroups: { groupId: string; members: { tenantId: string }[]; compliance: { members: { tenantId: string }[] } }[] }>(
      '{ tenantGroups { groupId members { tenantId } compliance { members { tenantId } } } }',
      { token: red },
    );
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data!.tenantGroups).toEqual([{ groupId: 'retail', members: [{ tenantId: 'northwind-mfg' }], compliance: { members: [{ tenantId: 'northwind-mfg' }] } }]);
    expect((await h.gql<{ tenantGroup: unknown }>('{ tenantGroup(groupId: "banks") { groupId } }', { token: red })).body.data?.tenantGroup).toBeNull();
    const blue = await h.token({ role: 'soc.analyst', socTeam: 'blue' });
    const retail = await h.gql<{ tenantGroup: { members: { tenantId: string }[] } }>('{ tenantGroup(groupId: "retail") { members { tenantId } } }', { token: blue });
    expect(retail.body.data?.tenantGroup.members).toEqual([{ tenantId: 'fabrikam-retail' }]);
  });

  it('is the platform admins’ alone to change, and no customer’s to read', async () => {
    const customer = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    expect((await h.gql('{ tenantGroups { groupId } }', { token: customer })).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    for (const grant of [{ role: 'soc.lead', socTeam: 'blue' }, { role: 'customer.admin', tenantId: 'contoso-bank' }] as const) {
      const token = await h.token(grant);
      expect((await h.gql('{ rollouts { rolloutId } }', { token })).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect((await mutate('addTenantToGroup', 'groupId: "banks", tenantId: "fabrikam-retail"', token)).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    }
  });
});
