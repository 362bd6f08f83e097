// A regulatory standard over GraphQL, as Defender for Cloud's regulatory compliance dashboard shows
// it: a customer assigns CIS Microsoft Azure Foundations Benchmark 2.0.0 (one of its initiative
// parameters overridden), a collector pushes a misconfigured storage account and a hardened one,
// and each control reads failed, passed, manual or not applicable — now, as of an instant, over time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInCatalog } from '@rampart/guardrails';
import { rewritingHttpClient, startReplayServer, staticTokenCredential, type ReplayServer } from '@rampart/inventory-azure/testing';
import { startHarness, type Harness } from './testing/harness';

const TENANT = 'contoso-bank';
const CIS = 'cis-azure-2.0.0';
const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const storage = JSON.parse(readFileSync(join(examples, 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json'), 'utf8'));
const group = '/subscriptions/00000000-0000-0000-0000-0000000000c1/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts';
// Plain HTTP, TLS 1.0 and anonymous blob access: CIS 3.1, 3.15 and 3.7.
const legacy = { ...storage, id: `${group}/stlegacy`, name: 'stlegacy', location: 'westeurope', properties: { ...storage.properties, supportsHttpsTrafficOnly: false, minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true } };
const hardened = {
  ...storage,
  id: `${group}/sthardened`,
  name: 'sthardened',
  location: 'westeurope',
  properties: { ...storage.properties, supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, publicNetworkAccess: 'Disabled', networkAcls: { ...storage.properties.networkAcls, defaultAction: 'Deny' } },
};
// CIS 3.12 (customer-managed keys) is turned off for this assignment through its initiative parameter.
const CMK_EFFECT = 'effect-6fac406b-40ca-413b-bf8e-0bf964659c25';

interface Control {
  controlId: string;
  title: string;
  state: string;
  resources: { passed: number; failed: number; notApplicable: number; notEvaluable: number };
  definitions: { automated: number; dataPlane: number };
  failingResources: { resourceId: string; failures: { guardrailId: string; title: string; reason: string }[] }[];
}
interface Compliance {
  assigned: boolean;
  asOf: string | null;
  score: number | null;
  resourcesInScope: number;
  controlStates: Record<string, number>;
  controls: Control[];
}
const FIELDS = `assigned asOf score resourcesInScope controlStates { failed passed manual notApplicable notEvaluable }
  controls { controlId title state resources { passed failed notApplicable notEvaluable } definitions { automated dataPlane } failingResources { resourceId failures { guardrailId title reason } } }`;

describe('a regulatory standard over GraphQL (CIS Microsoft Azure Foundations Benchmark 2.0.0)', () => {
  let h: Harness;
  let admin: string;
  let viewer: string;
  let beforeAssignment: string;
  let replay: ReplayServer;
  beforeAll(async () => {
    // Azure's own policy states, served by the replayed Resource Graph the API is pointed at
    replay = await startReplayServer({ tables: { policyresources: [] } });
    h = await startHarness({}, { resourceGraph: () => ({ credential: staticTokenCredential(), endpoint: 'https://resourcegraph.test', httpClient: rewritingHttpClient(replay.url), sleep: async () => undefined }) });
    admin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'ana@contoso.example');
    viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    await h.settled();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await replay?.close();
  });

  const compliance = async (args = '', token = viewer): Promise<Compliance> => {
    const { body } = await h.gql<{ standardCompliance: Compliance }>(`{ standardCompliance(tenantId: "${TENANT}", standardId: "${CIS}"${args}) { ${FIELDS} } }`, { token });
    expect(body.errors).toBeUndefined();
    return body.data!.standardCompliance;
  };
  const control = (c: Compliance, id: string) => c.controls.find((x) => x.controlId === id)!;

  it('lists the standards with their controls and definitions, and shows one with its members', async () => {
    const { body } = await h.gql<{ standards: { id: string; title: string; controlCount: number; definitionCount: number; initiativeName: string }[] }>(
      '{ standards { id title controlCount definitionCount initiativeName } }',
      { token: viewer },
    );
    expect(body.data?.standards).toContainEqual({ id: CIS, title: 'CIS Microsoft Azure Foundations Benchmark v2.0.0', controlCount: 85, definitionCount: 108, initiativeName: '06f19060-9e68-4070-92ca-f15cc126059e' });
    expect(body.data?.standards.find((s) => s.id === 'mcsb')?.title).toBe('Microsoft cloud security benchmark');
    const detail = await h.gql<{ standard: { parametersJson: string; members: { guardrailId: string; kind: string; evaluable: boolean; curatedGuardrailId: string | null }[] } }>(
      `{ standard(id: "${CIS}") { parametersJson members { guardrailId kind evaluable curatedGuardrailId } } }`,
      { token: viewer },
    );
    const members = detail.body.data!.standard.members;
    expect(members).toHaveLength(108);
    expect(members).toContainEqual({ guardrailId: `${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`, kind: 'automated', evaluable: true, curatedGuardrailId: 'storage-http-allowed' });
    expect(members.filter((m) => m.kind === 'data-plane').every((m) => !m.evaluable)).toBe(true);
    expect(Object.keys(JSON.parse(detail.body.data!.standard.parametersJson))).toContain(CMK_EFFECT);
  });

  it('refuses what is not a standard or not its parameter, by name, and records nothing', async () => {
    const unknown = await h.gql(`{ standardCompliance(tenantId: "${TENANT}", standardId: "nist-everything") { assigned } }`, { token: viewer });
    expect(unknown.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/no standard nist-everything/) });
    const assign = (input: string) =>
      h.gql<{ assignBaseline: { __typename: string; code?: string; message?: string } }>(`mutation { assignBaseline(input: { tenantId: "${TENANT}", ${input} }) { __typename ... on Rejection { code message } } }`, { token: admin });
    const parameter = await assign(`assignmentId: "cis", baselineId: "${CIS}", initiativeParametersJson: "{\\"effect-nope\\": \\"Disabled\\"}"`);
    expect(parameter.body.data?.assignBaseline).toEqual({ __typename: 'Rejection', code: 'unknown-parameter', message: expect.stringMatching(/has no parameter effect-nope/) });
    const curated = await assign(`assignmentId: "core", baselineId: "landing-zone-core", initiativeParametersJson: "{}"`);
    expect(curated.body.data?.assignBaseline).toMatchObject({ __typename: 'Rejection', code: 'not-an-initiative' });
    const notJson = await assign(`assignmentId: "cis", baselineId: "${CIS}", initiativeParametersJson: "[1]"`);
    expect(notJson.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await compliance()).assigned).toBe(false);
  });

  it('reads each control as failed, passed, manual or not applicable once the standard is assigned and resources are evaluated', async () => {
    beforeAssignment = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    const assigned = await h.gql<{ assignBaseline: { __typename: string } }>(
      `mutation($p: String) { assignBaseline(input: { tenantId: "${TENANT}", assignmentId: "cis", baselineId: "${CIS}", initiativeParametersJson: $p }) { __typename ... on Rejection { code message } } }`,
      { token: admin, variables: { p: JSON.stringify({ [CMK_EFFECT]: 'Disabled' }) } },
    );
    expect(assigned.body.data?.assignBaseline).toEqual({ __typename: 'GuardrailPolicyChanged' });
    const pushed = await h.gql(`mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered } }`, {
      token: admin,
      variables: { json: JSON.stringify([legacy, hardened]) },
    });
    expect(pushed.body.errors).toBeUndefined();

    const now = await h.eventually('CIS 3.1 evaluated', () => compliance(), (c) => c.assigned && control(c, '3.1').resources.failed + control(c, '3.1').resources.passed === 2);
    expect(now).toMatchObject({ assigned: true, asOf: null, resourcesInScope: 2 });
    // secure transfer: the legacy account fails, the hardened one passes
    expect(control(now, '3.1')).toMatchObject({ state: 'failed', title: 'Secure transfer to storage accounts should be enabled', resources: { failed: 1, passed: 1, notApplicable: 0 } });
    expect(control(now, '3.1').failingResources).toEqual([
      { resourceId: legacy.id, failures: [expect.objectContaining({ guardrailId: `${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`, title: 'Storage account accepts plain HTTP' })] },
    ]);
    expect(control(now, '3.15')).toMatchObject({ state: 'failed', resources: { failed: 1, passed: 1 } });
    expect(control(now, '3.7')).toMatchObject({ state: 'failed', resources: { failed: 1, passed: 1 } });
    // trusted Microsoft services may bypass the firewall on both
    expect(control(now, '3.9')).toMatchObject({ state: 'passed', resources: { passed: 2, failed: 0 } });
    // Key Vault keys' expiry is data-plane: an attestation, never passed; 8.8 has no Azure Policy at all
    expect(control(now, '8.1')).toMatchObject({ state: 'manual', definitions: { automated: 0, dataPlane: 1 } });
    expect(control(now, '8.8')).toMatchObject({ state: 'manual', title: '8.8' });
    // no SQL server in scope
    expect(control(now, '4.1.1')).toMatchObject({ state: 'notApplicable', resources: { notApplicable: 2, passed: 0, failed: 0 } });
    // customer-managed keys were turned off for this assignment: nothing evaluates them
    expect(control(now, '3.12')).toMatchObject({ state: 'notApplicable', resources: { failed: 0 } });
    expect(now.controlStates['manual']).toBeGreaterThanOrEqual(6);
    expect(now.score).toBeCloseTo(now.controlStates['passed'] / (now.controlStates['passed'] + now.controlStates['failed'] + now.controlStates['notEvaluable']));

    const drill = await compliance(', controlId: "3.1"');
    expect(drill.controls.map((c) => c.controlId)).toEqual(['3.1']);
  });

  it('is the same as of now rebuilt from the log, and was unassigned before', async () => {
    await h.settled();
    const live = await compliance();
    const rebuilt = await compliance(`, asOf: "${new Date(Date.now() + 1000).toISOString()}"`);
    expect(rebuilt.asOf).not.toBeNull();
    expect({ ...rebuilt, asOf: null }).toEqual(live);
    const then = await compliance(`, asOf: "${beforeAssignment}"`);
    expect(then).toMatchObject({ assigned: false, resourcesInScope: 0 });
  });

  it('gives its control states over time', async () => {
    const from = new Date(Date.parse(beforeAssignment) - 2 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const { body } = await h.gql<{ standardComplianceSeries: { at: string; assigned: boolean; score: number | null; controlStates: { failed: number; passed: number } }[] }>(
      `{ standardComplianceSeries(tenantId: "${TENANT}", standardId: "${CIS}", from: "${from}", to: "${to}", bucket: HOUR) { at assigned score controlStates { failed passed } } }`,
      { token: viewer },
    );
    expect(body.errors).toBeUndefined();
    const series = body.data!.standardComplianceSeries;
    expect(series[0]).toMatchObject({ assigned: false, score: null, controlStates: { failed: 0, passed: 0 } });
    const live = await compliance();
    expect(series.at(-1)).toMatchObject({ assigned: true, score: live.score, controlStates: { failed: live.controlStates['failed'], passed: live.controlStates['passed'] } });
  });

  it('proves its coverage: every resource evaluated now; ten days on, none, and what passed is not evaluable', async () => {
    const coverage = async (args = '') =>
      (await h.gql<{ coverage: { resources: number; evaluated: number; score: number | null; maxEvidenceAgeHours: number; notEvaluatedResources: { resourceId: string }[] } }>(
        `{ coverage(tenantId: "${TENANT}"${args}) { resources evaluated score maxEvidenceAgeHours notEvaluatedResources { resourceId } } }`,
        { token: viewer },
      )).body.data!.coverage;
    const now = await coverage();
    expect(now).toMatchObject({ evaluated: now.resources, score: 1, maxEvidenceAgeHours: 168, notEvaluatedResources: [] });
    const set = (hours: number) => h.gql<{ setCoveragePolicy: { __typename: string; code?: string } }>(`mutation { setCoveragePolicy(input: { tenantId: "${TENANT}", maxEvidenceAgeHours: ${hours} }) { __typename ... on Rejection { code } } }`, { token: admin });
    expect((await set(0)).body.data?.setCoveragePolicy).toEqual({ __typename: 'Rejection', code: 'invalid-interval' });
    expect((await set(72)).body.data?.setCoveragePolicy.__typename).toBe('GuardrailPolicyChanged');
    expect((await h.gql(`mutation { setCoveragePolicy(input: { tenantId: "${TENANT}", maxEvidenceAgeHours: 24 }) { __typename } }`, { token: viewer })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await h.settled();
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const then = await coverage(`, asOf: "${later}"`);
    expect(then).toMatchObject({ resources: now.resources, evaluated: 0, score: 0, maxEvidenceAgeHours: 72 });
    expect(then.notEvaluatedResources.map((r) => r.resourceId)).toContain(hardened.id);
    const standard = await h.gql<{ standardCompliance: { controlStates: { passed: number }; coverage: { evaluated: number; resources: number } } }>(
      `{ standardCompliance(tenantId: "${TENANT}", standardId: "${CIS}", asOf: "${later}") { controlStates { passed } coverage { evaluated resources } } }`,
      { token: viewer },
    );
    expect(standard.body.data?.standardCompliance).toMatchObject({ controlStates: { passed: 0 }, coverage: { evaluated: 0 } });
    const score = await h.gql<{ complianceScore: { coverage: { score: number; maxEvidenceAgeHours: number } } }>(`{ complianceScore(tenantId: "${TENANT}") { coverage { score maxEvidenceAgeHours } } }`, { token: viewer });
    expect(score.body.data?.complianceScore.coverage).toEqual({ score: 1, maxEvidenceAgeHours: 72 });
  });

  it("sets Azure's own verdicts beside Rampart's: where they agree and where they differ", async () => {
    const connected = await h.gql<{ addCloudConnection: { __typename: string } }>(
      `mutation { addCloudConnection(input: { tenantId: "${TENANT}", connectionId: "prod", entraTenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", subscriptions: ["00000000-0000-0000-0000-0000000000c1"], credentialReference: "contoso" }) { __typename } }`,
      { token: admin },
    );
    expect(connected.body.data?.addCloudConnection.__typename).toBe('TenantChanged');
    await h.settled();
    const cis = builtInCatalog().standards!.get(CIS)!;
    const secureTransfer = cis.members.find((m) => m.definitionName === '404c3081-a854-4457-ae30-26a93ef643f9')!;
    const state = (resource: { id: string }, complianceState: string) => ({
      id: `${resource.id}/providers/Microsoft.PolicyInsights/policyStates/${complianceState}`,
      type: 'microsoft.policyinsights/policystates',
      subscriptionId: '00000000-0000-0000-0000-0000000000c1',
      properties: {
        resourceId: resource.id,
        policyAssignmentId: '/subscriptions/00000000-0000-0000-0000-0000000000c1/providers/Microsoft.Authorization/policyAssignments/cis',
        policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${secureTransfer.definitionName}`,
        policySetDefinitionId: `/providers/Microsoft.Authorization/policySetDefinitions/${cis.initiativeName}`,
        policyDefinitionReferenceId: secureTransfer.referenceId.toLowerCase(),
        complianceState,
      },
    });
    // Azure agrees that the legacy account fails; it says the hardened one fails too, which Rampart does not
    replay.tables['policyresources'] = [state(legacy, 'NonCompliant'), state(hardened, 'NonCompliant')];
    const { body } = await h.gql<{ azureAgreement: { connections: { states: number }[]; totals: { agree: number; differ: number; rate: number }; rows: { resourceId: string; azure: string; rampart: string; kind: string }[] } }>(
      `{ azureAgreement(tenantId: "${TENANT}") { connections { states } totals { agree differ rate } rows { resourceId azure rampart kind } } }`,
      { token: admin },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.azureAgreement.connections).toEqual([{ states: 2 }]);
    expect(body.data!.azureAgreement.totals).toEqual({ agree: 1, differ: 1, rate: 0.5 });
    expect(body.data!.azureAgreement.rows[0]).toEqual({ resourceId: hardened.id, azure: 'nonCompliant', rampart: 'compliant', kind: 'differ' });
    // it calls the customer's Azure: for those who manage its connections
    expect((await h.gql(`{ azureAgreement(tenantId: "${TENANT}") { tenantId } }`, { token: viewer })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("keeps another tenant's compliance out of reach", async () => {
    const outsider = await h.token({ role: 'customer.viewer', tenantId: 'northwind-mfg' });
    const { body } = await h.gql(`{ standardCompliance(tenantId: "${TENANT}", standardId: "${CIS}") { assigned } }`, { token: outsider });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
