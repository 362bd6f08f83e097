// Bad input gets a named refusal and changes nothing: each case below answered
// INTERNAL_SERVER_ERROR, or was silently accepted, before. (The schema fuzz test sends thousands
// more generated inputs; these are the ones worth reading.)
import { startHarness, type Harness } from '../testing/harness';

const TENANT = 'contoso-bank';

describe('input validation', () => {
  let h: Harness;
  let admin: string;
  let customerAdmin: string;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '100000' });
    admin = await h.token({ role: 'platform.admin' });
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT });
    await h.settled();
  });
  afterAll(async () => h?.stop());

  const refusal = async (query: string, token = admin, variables?: Record<string, unknown>) => {
    const before = await h.server.stores.eventStore.headPosition();
    const res = await h.gql(query, { token, variables });
    const after = await h.server.stores.eventStore.headPosition();
    expect(after).toEqual(before);
    expect(res.status).toBeLessThan(500);
    return { status: res.status, code: res.body.errors?.[0]?.extensions?.code, message: res.body.errors?.[0]?.message, data: res.body.data };
  };

  it.each<[string, string, Record<string, unknown> | undefined]>([
    ['an empty incident id', `mutation { commentOnIncident(input: { tenantId: "${TENANT}", incidentId: "", text: "hi" }) { __typename } }`, undefined],
    ['a whitespace action id', `mutation { approveAction(input: { tenantId: "${TENANT}", actionId: "   " }) { __typename } }`, undefined],
    ['an invalid tenant id, as the platform admin', 'mutation { onboardTenant(input: { tenantId: "Contoso Bank", displayName: "Contoso", sector: "finance", contactEmail: "soc@contoso.example" }) { __typename } }', undefined],
    ['a NUL in a title', `mutation { openIncident(input: { tenantId: "${TENANT}", title: "x\\u0000y", severity: "high" }) { __typename } }`, undefined],
    ['a lone surrogate in a variable', `mutation($t: String!) { openIncident(input: { tenantId: "${TENANT}", title: $t, severity: "high" }) { __typename } }`, { t: 'x\ud800y' }],
    ['a cursor past any 64-bit position', `{ auditTrail(tenantId: "${TENANT}", after: "${Buffer.from('99999999999999999999999/1').toString('base64url')}") { edges { cursor } } }`, undefined],
    ['a forged cursor holding a NUL', `{ incidents(after: "${Buffer.from('{"k":"\\u0000"}').toString('base64url')}") { edges { cursor } } }`, undefined],
    ['a date February does not have', `{ complianceSeries(tenantId: "${TENANT}", from: "2027-02-30T00:00:00Z", to: "2027-03-30T00:00:00Z") { at } }`, undefined],
    ['a severity that does not exist', `{ incidentMetrics(tenantId: "${TENANT}", from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", severity: "apocalyptic") { incidents } }`, undefined],
    ['a replay ending before it starts', `{ replayPolicy(tenantId: "${TENANT}", definitionJson: "{\\"policyRule\\":{\\"if\\":{\\"field\\":\\"type\\",\\"equals\\":\\"x\\"},\\"then\\":{\\"effect\\":\\"audit\\"}}}", since: "2026-06-01T00:00:00Z", until: "2026-01-01T00:00:00Z") { eventsRead } }`, undefined],
  ])('refuses %s as BAD_USER_INPUT', async (_label, query, variables) => {
    const answer = await refusal(query, admin, variables);
    expect(answer.code).toBe('BAD_USER_INPUT');
  });

  it('names the argument that is wrong: `last`, not `first`', async () => {
    const answer = await refusal(`{ ingestionRuns(tenantId: "${TENANT}", last: 0) { runId } }`);
    expect(answer).toMatchObject({ code: 'BAD_USER_INPUT', message: 'last must be between 1 and 100' });
  });

  it('refuses a push to a scope that is not one', async () => {
    const answer = await refusal(`mutation { pushResources(input: { tenantId: "${TENANT}", resourcesJson: "[]", scope: "everything please" }) { runId } }`, customerAdmin);
    expect(answer.code).toBe('BAD_USER_INPUT');
    expect(answer.message).toMatch(/the scope is/);
  });

  it('refuses a persisted query instead of failing on its hash', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ me { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(res.status).toBeLessThan(500);
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('refuses to revoke an exemption without a reason', async () => {
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const requested = await h.gql<{ requestExemption: { __typename: string } }>(
      `mutation { requestExemption(input: { tenantId: "${TENANT}", exemptionId: "no-reason", guardrailId: "web-app-without-authentication", scope: "*", category: "waiver", justification: "Retired soon", expiresAt: "${expiresAt}" }) { __typename } }`,
      { token: customerAdmin },
    );
    expect(requested.body.data?.requestExemption.__typename).toBe('GuardrailPolicyChanged');
    const answer = await refusal(`mutation { revokeExemption(input: { tenantId: "${TENANT}", exemptionId: "no-reason", reason: "   " }) { __typename ... on Rejection { code } } }`, customerAdmin);
    expect(answer.data).toEqual({ revokeExemption: { __typename: 'Rejection', code: 'reason-required' } });
  });
});
