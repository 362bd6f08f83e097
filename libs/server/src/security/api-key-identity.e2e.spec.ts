// API keys do not launder identity, through real keys against the booted app: a key holds no more
// than its issuer (staff cannot mint customer keys), what a key writes names the person who issued
// it (and staff keys stay "on behalf of" the tenant), four-eyes rules compare people, not
// credentials, and keys cannot issue or revoke keys.
import { startHarness, type Harness } from '../testing/harness';

const TENANT = 'contoso-bank'; // SOC team blue
const LEAD = 'lead@soc.example';
const ADMIN = 'it-admin@contoso-bank.example';
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();
type Result = { __typename: string; code?: string; keyId?: string; secret?: string; id?: string };

describe('API key identity', () => {
  let h: Harness;
  let lead: string;
  let customerAdmin: string;
  let analyst: string;

  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '100000' });
    lead = await h.token({ role: 'soc.lead', socTeam: 'blue' }, LEAD);
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, ADMIN);
    analyst = await h.token({ role: 'soc.analyst', socTeam: 'blue' }, 'ana@soc.example');
    await h.settled();
  });
  afterAll(async () => h?.stop());

  const mutate = async (field: string, input: string, as: { token?: string; apiKey?: string }, selection = ''): Promise<Result> => {
    const { body } = await h.gql<Record<string, Result>>(
      `mutation { ${field}(input: { tenantId: "${TENANT}", ${input} }) { __typename ... on Rejection { code } ${selection} } }`,
      as,
    );
    expect(body.errors).toBeUndefined();
    return body.data![field];
  };
  const issueKey = (roles: string[], as: { token?: string; apiKey?: string }) =>
    mutate('issueApiKey', `name: "integration", roles: ${JSON.stringify(roles)}, expiresAt: "${inADay()}"`, as, '... on ApiKeyIssued { keyId secret }');
  const keyOf = async (roles: string[], token: string) => {
    const issued = await issueKey(roles, { token });
    expect(issued.__typename).toBe('ApiKeyIssued');
    await h.settled(); // a key is found through the key directory
    return issued as Required<Pick<Result, 'keyId' | 'secret'>>;
  };

  it('refuses staff minting customer keys, and platform admins minting any', async () => {
    expect(await issueKey(['customer.admin'], { token: lead })).toEqual({ __typename: 'Rejection', code: 'role-not-held' });
    expect(await issueKey(['customer.viewer'], { token: lead })).toEqual({ __typename: 'Rejection', code: 'role-not-held' });
    const platformAdmin = await h.token({ role: 'platform.admin' });
    expect(await issueKey(['customer.admin'], { token: platformAdmin })).toEqual({ __typename: 'Rejection', code: 'role-not-held' });
    expect(await issueKey(['soc.analyst'], { token: customerAdmin })).toEqual({ __typename: 'Rejection', code: 'role-not-held' });
  });

  it("gives a SOC lead's key no more than the lead: no audit export, and its work is the SOC's on behalf of the tenant", async () => {
    const key = await keyOf(['soc.lead'], lead);
    const me = await h.gql<{ me: { kind: string; issuedBy: string; tenantIds: string[] } }>('{ me { kind issuedBy tenantIds } }', { apiKey: key.secret });
    expect(me.body.data?.me).toEqual({ kind: 'api-key', issuedBy: LEAD, tenantIds: [TENANT] });

    const exported = await h.gql(`mutation { requestAuditExport(input: { tenantId: "${TENANT}", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" }) { __typename } }`, { apiKey: key.secret });
    expect(exported.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const opened = await mutate('openIncident', 'title: "Token replay from a build agent", severity: "medium"', { apiKey: key.secret }, '... on IncidentChanged { id }');
    expect(opened.__typename).toBe('IncidentChanged');
    const trail = await h.gql<{ incident: { timeline: { type: string; actorKind: string; actorId: string; actorIssuedBy: string | null; onBehalfOfTenant: string | null }[] } }>(
      `{ incident(tenantId: "${TENANT}", incidentId: "${opened.id}") { timeline { type actorKind actorId actorIssuedBy onBehalfOfTenant } } }`,
      { token: customerAdmin },
    );
    expect(trail.body.data?.incident.timeline[0]).toEqual({ type: 'incidents.IncidentOpened.v1', actorKind: 'api-key', actorId: key.keyId, actorIssuedBy: LEAD, onBehalfOfTenant: TENANT });
  });

  it('compares the people behind credentials for four-eyes: a lead cannot approve their own destructive action through their key', async () => {
    const key = await keyOf(['soc.lead'], lead);
    const opened = await mutate('openIncident', 'title: "Crypto miner on a build agent", severity: "high"', { token: analyst }, '... on IncidentChanged { id }');
    const target = `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/build/providers/Microsoft.Compute/virtualMachines/agent-7`;
    const proposed = await mutate('proposeAction', `incidentId: "${opened.id}", actionKind: "isolate-workload", phase: "respond", target: "${target}"`, { token: lead });
    expect(proposed.__typename).toBe('IncidentChanged');
    const { body } = await h.gql<{ incident: { actions: { actionId: string; destructive: boolean; proposedBy: string }[] } }>(
      `{ incident(tenantId: "${TENANT}", incidentId: "${opened.id}") { actions { actionId destructive proposedBy } } }`,
      { token: lead },
    );
    const action = body.data!.incident.actions[0];
    expect(action).toMatchObject({ destructive: true, proposedBy: LEAD });
    expect(await mutate('approveAction', `actionId: "${action.actionId}"`, { apiKey: key.secret })).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
    // Another person approves.
    const otherLead = await h.token({ role: 'soc.lead', socTeam: 'blue' }, 'second-lead@soc.example');
    expect((await mutate('approveAction', `actionId: "${action.actionId}"`, { token: otherLead })).__typename).toBe('IncidentChanged');
  });

  it('compares people for exemptions too: a customer admin cannot approve their own request through a second key', async () => {
    const first = await keyOf(['customer.admin'], customerAdmin);
    const second = await keyOf(['customer.admin'], customerAdmin);
    const requested = await mutate(
      'requestExemption',
      `exemptionId: "legacy-app", guardrailId: "web-app-without-authentication", scope: "*", category: "waiver", justification: "Retired next quarter", expiresAt: "${new Date(Date.now() + 30 * 86_400_000).toISOString()}"`,
      { apiKey: first.secret },
    );
    expect(requested.__typename).toBe('GuardrailPolicyChanged');
    expect(await mutate('approveExemption', 'exemptionId: "legacy-app"', { apiKey: second.secret })).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
    expect(await mutate('approveExemption', 'exemptionId: "legacy-app"', { token: customerAdmin })).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
  });

  it('does not let keys issue or revoke keys', async () => {
    const key = await keyOf(['customer.admin'], customerAdmin);
    expect(await issueKey(['customer.viewer'], { apiKey: key.secret })).toEqual({ __typename: 'Rejection', code: 'api-keys-cannot-issue-keys' });
    expect(await mutate('revokeApiKey', `keyId: "${key.keyId}", reason: "self"`, { apiKey: key.secret })).toEqual({ __typename: 'Rejection', code: 'api-keys-cannot-manage-keys' });
  });
});
