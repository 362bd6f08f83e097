// The seed story over GraphQL: a customer assigns a baseline, a collector pushes a web app without
// authentication, the worker evaluates it into a finding; an exemption needs a second person.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './testing/harness';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };
const TENANT = 'contoso-bank';

interface Finding {
  findingId: string;
  status: string;
  severity: string;
  guardrailId: string;
  raiseIncident: boolean;
  resolution: string | null;
  causedBy: string | null;
}

describe('guardrails over GraphQL', () => {
  let h: Harness;
  let customerAdmin: string;
  let socLead: string;
  beforeAll(async () => {
    h = await startHarness();
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'ana@contoso.example');
    socLead = await h.token({ role: 'soc.lead', socTeam: 'blue' }, 'lead@soc.example');
    await h.settled();
  });
  afterAll(async () => h?.stop());

  const findings = async (token = customerAdmin): Promise<Finding[]> => {
    const { body } = await h.gql<{ findings: { edges: { node: Finding }[] } }>(
      `query { findings(tenantId: "${TENANT}") { edges { node { findingId status severity guardrailId raiseIncident resolution causedBy } } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.findings.edges.map((e) => e.node);
  };
  const policy = (mutation: string, token = customerAdmin) =>
    h.gql<Record<string, { __typename: string; code?: string; revision?: number }>>(`mutation { ${mutation} { __typename ... on Rejection { code } ... on GuardrailPolicyChanged { revision } } }`, { token });

  it('reads the catalog', async () => {
    const viewer = await h.token({ role: 'customer.viewer', tenantId: 'fabrikam-retail' });
    const { body } = await h.gql<{ baselines: { id: string; guardrailIds: string[] }[]; guardrails: { id: string; severity: string; controls: { framework: string }[] }[] }>(
      '{ baselines { id guardrailIds } guardrails { id severity controls { framework } } }',
      { token: viewer },
    );
    expect(body.data?.baselines.map((b) => b.id)).toEqual(['landing-zone-core', 'financial-services']);
    expect(body.data?.guardrails.find((g) => g.id === 'web-app-without-authentication')).toMatchObject({ severity: 'high' });
  });

  it('turns a web app without authentication into a finding once a baseline is assigned', async () => {
    expect((await policy('assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "core", baselineId: "landing-zone-core" })')).body.data?.['assignBaseline']).toMatchObject({
      __typename: 'GuardrailPolicyChanged',
    });
    const push = await h.gql(`mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered } }`, {
      token: customerAdmin,
      variables: { json: JSON.stringify([webApp]) },
    });
    expect(push.body.errors).toBeUndefined();
    const [finding] = await h.eventually('a finding', findings, (list) => list.length > 0);
    expect(finding).toMatchObject({ status: 'open', guardrailId: 'web-app-without-authentication', severity: 'high', raiseIncident: true });
    expect(finding.causedBy).toMatch(/^inventory\.ResourceDiscovered\.v1 at \d+\/\d+$/);

    const { body } = await h.gql<{ complianceScore: { overall: { nonCompliant: number; compliant: number; score: number } }; resource: { compliance: { guardrailId: string; state: string }[] } }>(
      `{ complianceScore(tenantId: "${TENANT}") { overall { compliant nonCompliant score } } resource(tenantId: "${TENANT}", id: "${webApp.id}") { compliance { guardrailId state } } }`,
      { token: socLead },
    );
    expect(body.data?.complianceScore.overall).toMatchObject({ nonCompliant: 1 });
    expect(body.data?.resource.compliance).toContainEqual({ guardrailId: 'web-app-without-authentication', state: 'nonCompliant' });
    expect(body.data?.resource.compliance).toContainEqual({ guardrailId: 'web-app-http-allowed', state: 'compliant' });
  });

  it('puts an exemption in force only when someone other than the requester approves it', async () => {
    const request = await policy(
      `requestExemption(input: { tenantId: "${TENANT}", exemptionId: "intranet-app", guardrailId: "web-app-without-authentication", scope: "${webApp.id}", category: "mitigated", justification: "Reachable only through the authenticating corporate proxy", expiresAt: "${new Date(Date.now() + 30 * 86_400_000).toISOString()}" })`,
    );
    expect(request.body.data?.['requestExemption'].__typename).toBe('GuardrailPolicyChanged');
    const self = await policy(`approveExemption(input: { tenantId: "${TENANT}", exemptionId: "intranet-app" })`);
    expect(self.body.data?.['approveExemption']).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
    const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    const refused = await policy(`approveExemption(input: { tenantId: "${TENANT}", exemptionId: "intranet-app" })`, viewer);
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const approved = await policy(`approveExemption(input: { tenantId: "${TENANT}", exemptionId: "intranet-app" })`, socLead);
    expect(approved.body.data?.['approveExemption'].__typename).toBe('GuardrailPolicyChanged');
    const [finding] = await h.eventually('the finding resolved', findings, (list) => list[0]?.status === 'resolved');
    expect(finding.resolution).toBe('exempted');

    const { body } = await h.gql<{ tenantGuardrails: { exemptions: { status: string; requestedBy: string; approvedBy: string }[] } }>(
      `{ tenantGuardrails(tenantId: "${TENANT}") { exemptions { status requestedBy approvedBy } } }`,
      { token: customerAdmin },
    );
    expect(body.data?.tenantGuardrails.exemptions).toEqual([{ status: 'active', requestedBy: 'ana@contoso.example', approvedBy: 'lead@soc.example' }]);
  });

  it('refuses bad input with a clear error and changes nothing', async () => {
    const bad = await policy(`assignBaseline(input: { tenantId: "${TENANT}", assignmentId: "x", baselineId: "landing-zone-core", parametersJson: "{not json" })`);
    expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/parametersJson is not JSON/) });
    const unknown = await policy(`assignBaseline(input: { tenantId: "${TENANT}", assignmentId: "x", baselineId: "nist-everything" })`);
    expect(unknown.body.data?.['assignBaseline']).toEqual({ __typename: 'Rejection', code: 'unknown-baseline' });
    const severity = await h.gql(`{ findings(tenantId: "${TENANT}", filter: { severity: "urgent" }) { edges { cursor } } }`, { token: customerAdmin });
    expect(severity.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
