// History over GraphQL: the customer's app, exposed then fixed; the tenant as of before the fix,
// its score over time, and a guardrail never assigned replayed over what was recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './testing/harness';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const corpus = join(__dirname, '..', '..', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'App Service');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };
const authConfig = { id: `${webAppBody.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } };
const TENANT = 'contoso-bank';

interface AsOf {
  resourceCount: number;
  resources: { id: string; type: string }[];
  compliance: { guardrailId: string; state: string }[];
  openFindings: { guardrailId: string }[];
  openIncidents: { status: string; assignee: string | null }[];
  score: { overall: { nonCompliant: number } };
}

describe('history over GraphQL', () => {
  let h: Harness;
  let customerAdmin: string;
  let beforeFix: string;
  beforeAll(async () => {
    h = await startHarness();
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'it@contoso.example');
    await h.settled();
    const push = (resources: unknown[]) =>
      h.gql(`mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered } }`, {
        token: customerAdmin,
        variables: { json: JSON.stringify(resources) },
      });
    await h.gql('mutation { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "core", baselineId: "landing-zone-core" }) { __typename } }', { token: customerAdmin });
    await push([webApp]);
    await h.eventually('the incident opened', async () => (await asOf(new Date(Date.now() + 1_000).toISOString())).openIncidents, (i) => i.length > 0);
    await h.settled();
    beforeFix = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 50));
    await push([webApp, authConfig]);
    await h.settled();
    await h.eventually('the fix evaluated', async () => (await asOf(new Date(Date.now() + 1_000).toISOString())).openFindings, (f) => f.length === 0);
  });
  afterAll(async () => h?.stop());

  const asOf = async (at: string, token = customerAdmin): Promise<AsOf> => {
    const { body } = await h.gql<{ postureAsOf: AsOf }>(
      `{ postureAsOf(tenantId: "${TENANT}", asOf: "${at}") { resourceCount resources(first: 10) { id type } compliance(state: "nonCompliant") { guardrailId state } openFindings { guardrailId } openIncidents { status assignee } score { overall { nonCompliant } } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.postureAsOf;
  };

  it('shows the tenant as it was before the fix, and as it is now', async () => {
    const then = await asOf(beforeFix);
    expect(then.resourceCount).toBe(1);
    expect(then.compliance).toContainEqual({ guardrailId: 'web-app-without-authentication', state: 'nonCompliant' });
    expect(then.openFindings.map((f) => f.guardrailId)).toContain('web-app-without-authentication');
    expect(then.openIncidents).toEqual([{ status: 'new', assignee: null }]);
    const now = await asOf(new Date(Date.now() + 1_000).toISOString());
    expect(now.resourceCount).toBe(2);
    expect(now.compliance).toEqual([]);
    expect(now.score.overall.nonCompliant).toBe(0);
  });

  it("tells a resource's compliance over time", async () => {
    const { body } = await h.gql<{ resource: { complianceHistory: { guardrailId: string; from: string | null; to: string; recordedAt: string }[] } }>(
      `{ resource(tenantId: "${TENANT}", id: "${webApp.id}") { complianceHistory { guardrailId from to recordedAt } } }`,
      { token: customerAdmin },
    );
    expect(body.errors).toBeUndefined();
    const auth = body.data!.resource.complianceHistory.filter((c) => c.guardrailId === 'web-app-without-authentication');
    expect(auth.map((c) => [c.from, c.to])).toEqual([
      [null, 'nonCompliant'],
      ['nonCompliant', 'compliant'],
    ]);
    expect(Date.parse(auth[1].recordedAt)).toBeGreaterThan(Date.parse(beforeFix));
  });

  it('draws the score over time', async () => {
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const { body } = await h.gql<{ complianceSeries: { at: string; overall: { score: number | null } }[] }>(
      `{ complianceSeries(tenantId: "${TENANT}", from: "${from}", to: "${to}", bucket: DAY) { at overall { score } } }`,
      { token: customerAdmin },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.complianceSeries.length).toBeGreaterThanOrEqual(3);
    expect(body.data!.complianceSeries[0].overall.score).toBeNull(); // before anything was evaluated
    expect(body.data!.complianceSeries.at(-1)!.overall.score).toBe(1);
    const tooMany = await h.gql(`{ complianceSeries(tenantId: "${TENANT}", from: "2000-01-01T00:00:00Z", to: "${to}", bucket: HOUR) { at } }`, { token: customerAdmin });
    expect(tooMany.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/at most 2000 points/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('replays a guardrail never assigned over the recorded history, and refuses what it cannot evaluate', async () => {
    const definitionJson = readFileSync(join(corpus, 'WebApp_PublicNetworkAccess_Audit.json'), 'utf8');
    const { body } = await h.gql<{ replayPolicy: { eventsRead: number; intervals: { resourceId: string; to: string | null; state: string }[] } }>(
      `query($d: String!) { replayPolicy(tenantId: "${TENANT}", definitionJson: $d) { eventsRead intervals { resourceId to state } } }`,
      { token: customerAdmin, variables: { d: definitionJson } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.replayPolicy.intervals).toEqual([{ resourceId: webAppBody.id, to: null, state: 'nonCompliant' }]);
    const refused = await h.gql(`query($d: String!) { replayPolicy(tenantId: "${TENANT}", definitionJson: $d) { eventsRead } }`, {
      token: customerAdmin,
      variables: { d: JSON.stringify({ policyRule: { if: { field: 'type', equals: '[fancyNewFunction()]' }, then: { effect: 'audit' } } }) },
    });
    expect(refused.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/cannot be evaluated.*fancyNewFunction/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it("keeps another tenant's history out of reach", async () => {
    const other = await h.token({ role: 'customer.admin', tenantId: 'fabrikam-retail' });
    const { body } = await h.gql(`{ postureAsOf(tenantId: "${TENANT}", asOf: "${beforeFix}") { resourceCount } }`, { token: other });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(body.data?.postureAsOf ?? null).toBeNull();
  });
});
