// The seed story over GraphQL: an API exposed without authentication becomes a finding, the finding
// an incident with the playbook's first action proposed; the SOC triages, gets the action approved,
// the customer's automation (a local signed-webhook receiver) carries it out, the next ingestion
// shows the app private and verifies the action, the customer turns authentication on, and the
// incident is closed with its root cause and measured.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { startHarness, type Harness } from './testing/harness';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const alerts = join(__dirname, '..', '..', 'incidents', 'corpus', 'alerts');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };
const authConfig = { id: `${webAppBody.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } };
const TENANT = 'contoso-bank';
const AUTOMATION_SECRET = 'contoso-logic-app-secret-0123456789abcdef';

interface Incident {
  incidentId: string;
  status: string;
  severity: string;
  revision: number;
  slaState: string;
  signals: { kind: string; title: string }[];
  actions: { actionId: string; actionKind: string; status: string; destructive: boolean; proposedBy: string; verified: boolean }[];
}
type Result = { __typename: string; code?: string; revision?: number };

describe('incidents over GraphQL', () => {
  let h: Harness;
  let automation: WebhookReceiver;
  let customerAdmin: string;
  let analyst: string;
  let lead: string;
  let incidentId: string;
  beforeAll(async () => {
    automation = await startWebhookReceiver(AUTOMATION_SECRET);
    h = await startHarness({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: automation.url, RAMPART_ACTION_WEBHOOK_SECRET: AUTOMATION_SECRET });
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'it@contoso.example');
    analyst = await h.token({ role: 'soc.analyst', socTeam: 'blue' }, 'ana@soc.example');
    lead = await h.token({ role: 'soc.lead', socTeam: 'blue' }, 'lead@soc.example');
    await h.settled();
  });
  afterAll(async () => {
    await h?.stop();
    await automation?.close();
  });

  const push = (resources: unknown[]) =>
    h.gql(`mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered changed } }`, {
      token: customerAdmin,
      variables: { json: JSON.stringify(resources) },
    });
  const incident = async (token = analyst): Promise<Incident | null> => {
    const { body } = await h.gql<{ incident: Incident | null }>(
      `{ incident(tenantId: "${TENANT}", incidentId: "${incidentId}") { incidentId status severity revision slaState signals { kind title } actions { actionId actionKind status destructive proposedBy verified } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.incident;
  };
  const mutate = async (field: string, input: string, token = analyst): Promise<Result> => {
    const { body } = await h.gql<Record<string, Result>>(`mutation { ${field}(input: { tenantId: "${TENANT}", ${input} }) { __typename ... on Rejection { code } ... on IncidentChanged { revision } } }`, { token });
    expect(body.errors).toBeUndefined();
    return body.data![field];
  };

  it('turns the exposed app into an incident in the SOC queue, with the playbook response proposed', async () => {
    await h.gql('mutation { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "regulated", baselineId: "financial-services" }) { __typename } }', { token: customerAdmin });
    await push([webApp]);
    const queue = await h.eventually(
      'an incident in the queue',
      async () => (await h.gql<{ incidents: { edges: { node: { incidentId: string; tenantId: string; title: string } }[] } }>('{ incidents(filter: { open: true }) { edges { node { incidentId tenantId title } } } }', { token: analyst })).body.data?.incidents.edges ?? [],
      (edges) => edges.length > 0,
    );
    expect(queue[0].node).toMatchObject({ tenantId: TENANT, title: 'Web app reachable without authentication on sitef6141' });
    incidentId = queue[0].node.incidentId;
    const found = await h.eventually('a proposed action', () => incident(), (i) => (i?.actions.length ?? 0) > 0);
    expect(found).toMatchObject({ status: 'new', severity: 'high', slaState: 'ok' });
    expect(found?.actions[0]).toMatchObject({ actionKind: 'restrict-public-network-access', destructive: true, status: 'proposed', proposedBy: 'playbook:restrict-public-api@1.0.0' });

    // Another tenant's SOC team does not see it.
    const red = await h.token({ role: 'soc.analyst', socTeam: 'red' });
    const other = await h.gql<{ incidents: { edges: unknown[] } }>('{ incidents { edges { cursor } } }', { token: red });
    expect(other.body.data?.incidents.edges).toEqual([]);
  });

  it('triages with optimistic concurrency and gets the destructive action approved by a lead', async () => {
    const seen = (await incident())!;
    expect(await mutate('triageIncident', `incidentId: "${incidentId}", severity: "high", assignee: "ana@soc.example", expectedRevision: ${seen.revision - 1}`)).toEqual({
      __typename: 'Rejection',
      code: 'stale-revision',
    });
    expect((await mutate('triageIncident', `incidentId: "${incidentId}", severity: "high", assignee: "ana@soc.example", expectedRevision: ${seen.revision}`)).__typename).toBe('IncidentChanged');
    // The approvals inbox lists the waiting action with its incident, to the SOC and the tenant's
    // admin, and to no one of another tenant.
    const inbox = async (token: string, tenantId?: string) =>
      (
        await h.gql<{ pendingActions: { edges: { node: { tenantId: string; incidentTitle: string; incidentStatus: string; expiresAt: string; action: { actionId: string; destructive: boolean; proposedAt: string } } }[] } }>(
          `query($t: ID) { pendingActions(first: 10, tenantId: $t) { edges { node { tenantId incidentTitle incidentStatus expiresAt action { actionId destructive proposedAt } } } } }`,
          { token, variables: { t: tenantId ?? null } },
        )
      ).body;
    await h.settled();
    for (const token of [lead, customerAdmin]) {
      const { data } = await inbox(token);
      const waiting = data?.pendingActions.edges.map((e) => e.node).find((n) => n.action.actionId === seen.actions[0].actionId);
      expect(waiting).toMatchObject({ tenantId: TENANT, incidentStatus: 'triaged', action: { destructive: true } });
      // it expires unapproved a day after it was proposed (the default approval lifetime)
      expect(Date.parse(waiting?.expiresAt ?? '') - Date.parse(waiting?.action.proposedAt ?? '')).toBe(24 * 60 * 60_000);
    }
    const outsider = await h.token({ role: 'customer.admin', tenantId: 'fabrikam-retail' }, 'it@fabrikam.example');
    expect((await inbox(outsider)).data?.pendingActions.edges).toEqual([]);
    expect((await inbox(outsider, TENANT)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    // an analyst may not approve; the lead may
    const { body } = await h.gql(`mutation { approveAction(input: { tenantId: "${TENANT}", actionId: "${seen.actions[0].actionId}" }) { __typename } }`, { token: analyst });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await mutate('approveAction', `actionId: "${seen.actions[0].actionId}"`, lead)).__typename).toBe('IncidentChanged');
    await h.settled();
    expect((await inbox(lead)).data?.pendingActions.edges.map((e) => e.node.action.actionId)).not.toContain(seen.actions[0].actionId);
    expect((await mutate('advanceIncident', `incidentId: "${incidentId}", step: START_RESPONSE, summary: "Restricting public access"`)).__typename).toBe('IncidentChanged');
    expect((await mutate('advanceIncident', `incidentId: "${incidentId}", step: CONFIRM_RECOVERY, summary: "too early"`))).toEqual({ __typename: 'Rejection', code: 'invalid-transition' });
  });

  it("has the approved action carried out by the customer's automation, signed, once", async () => {
    const done = await h.eventually('the action executed', () => incident(), (i) => i?.actions[0]?.status === 'succeeded');
    expect(done?.actions[0]).toMatchObject({ status: 'succeeded', verified: false });
    expect(automation.deliveries).toHaveLength(1);
    const delivery = automation.deliveries[0];
    expect(delivery.verified).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({ tenantId: TENANT, actionKind: 'restrict-public-network-access', target: expect.stringContaining('/providers/microsoft.web/sites/') });
  });

  it('sees the app private at the next ingestion, and links that evaluation to the action as its verification', async () => {
    // what the automation did, as the next inventory shows it
    await push([{ ...webApp, properties: { ...webApp.properties, publicNetworkAccess: 'Disabled' } }]);
    const verified = await h.eventually('the action verified', () => incident(), (i) => i?.actions[0]?.verified === true);
    expect(verified?.actions[0]).toMatchObject({ status: 'succeeded', verified: true });
    expect(automation.deliveries).toHaveLength(1);
  });

  it('follows the fix through to closing, with the whole story in the timeline and the durations measured', async () => {
    expect((await mutate('advanceIncident', `incidentId: "${incidentId}", step: CONFIRM_CONTAINMENT, summary: "Public network access disabled"`)).__typename).toBe('IncidentChanged');
    await push([{ ...webApp, properties: { ...webApp.properties, publicNetworkAccess: 'Disabled' } }, authConfig]); // the customer turns authentication on
    await h.eventually(
      'the finding resolved',
      async () => (await h.gql<{ findings: { edges: { node: { status: string } }[] } }>(`{ findings(tenantId: "${TENANT}") { edges { node { status } } } }`, { token: analyst })).body.data?.findings.edges ?? [],
      (edges) => edges.length > 0 && edges.every((e) => e.node.status === 'resolved'),
    );
    expect((await mutate('advanceIncident', `incidentId: "${incidentId}", step: CONFIRM_REMEDIATION, summary: "Authentication enabled"`)).__typename).toBe('IncidentChanged');
    expect((await mutate('advanceIncident', `incidentId: "${incidentId}", step: CONFIRM_RECOVERY, summary: "Guardrail compliant again"`)).__typename).toBe('IncidentChanged');
    expect(await mutate('closeIncident', `incidentId: "${incidentId}", classification: "true-positive", reason: "Exposed", rootCause: "x", lessonsLearned: "y"`)).toEqual({
      __typename: 'Rejection',
      code: 'root-cause-required',
    });
    const closed = await mutate(
      'closeIncident',
      `incidentId: "${incidentId}", classification: "true-positive", reason: "API exposed without authentication", rootCause: "Deployed from a template without authentication settings", lessonsLearned: "Templates enable authentication by default", preventionGuardrailId: "web-app-without-authentication", preventionChange: "Switch the guardrail to deny for production"`,
    );
    expect(closed.__typename).toBe('IncidentChanged');

    await h.settled();
    const { body } = await h.gql<{ incident: { status: string; timeline: { type: string }[] }; incidentMetrics: { incidents: number; mttaSeconds: number; mttrSeconds: number } }>(
      `{ incident(tenantId: "${TENANT}", incidentId: "${incidentId}") { status timeline { type } } incidentMetrics(tenantId: "${TENANT}", from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { incidents mttaSeconds mttrSeconds } }`,
      { token: customerAdmin },
    );
    expect(body.data?.incident.status).toBe('closed');
    const types = body.data!.incident.timeline.map((t) => t.type);
    for (const type of [
      'guardrails.FindingOpened.v1',
      'incidents.IncidentOpened.v1',
      'incidents.ActionProposed.v1',
      'incidents.ActionApproved.v1',
      'incidents.ActionExecutionStarted.v1',
      'incidents.ActionSucceeded.v1',
      'incidents.ActionVerified.v1',
      'incidents.IncidentTriaged.v1',
      'guardrails.FindingResolved.v1',
      'incidents.IncidentClosed.v1',
      'incidents.PreventionProposed.v1',
    ]) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('guardrails.FindingOpened.v1')).toBeLessThan(types.indexOf('incidents.IncidentOpened.v1'));
    expect(body.data?.incidentMetrics.incidents).toBeGreaterThanOrEqual(1);
    expect(body.data?.incidentMetrics.mttaSeconds).toBeGreaterThanOrEqual(0);
    expect(body.data?.incidentMetrics.mttrSeconds).toBeGreaterThanOrEqual(body.data!.incidentMetrics.mttaSeconds);

    // The SOC lead's view: per team on duty when the incident opened, and per tenant, over the tenants the team serves.
    type Group = { key: string; incidents: number; mttrSeconds: number | null };
    const byTeam = await h.gql<{ incidentMetricsBy: Group[] }>('{ incidentMetricsBy(groupBy: SOC_TEAM, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { key incidents mttrSeconds } }', { token: lead });
    expect(byTeam.body.errors).toBeUndefined();
    expect(byTeam.body.data?.incidentMetricsBy).toEqual([{ key: 'blue', incidents: expect.any(Number), mttrSeconds: body.data!.incidentMetrics.mttrSeconds }]);
    const byTenant = await h.gql<{ incidentMetricsBy: Group[] }>('{ incidentMetricsBy(groupBy: TENANT, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { key incidents mttrSeconds } }', { token: lead });
    expect(byTenant.body.data?.incidentMetricsBy.map((g) => g.key)).toEqual([TENANT]);
    // per analyst: the story's incident was assigned to ana at triage
    const byAssignee = await h.gql<{ incidentMetricsBy: Group[] }>('{ incidentMetricsBy(groupBy: ASSIGNEE, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { key incidents mttrSeconds } }', { token: lead });
    expect(byAssignee.body.data?.incidentMetricsBy.map((g) => g.key)).toContain('ana@soc.example');
    const red = await h.token({ role: 'soc.lead', socTeam: 'red' });
    const redView = await h.gql<{ incidentMetricsBy: Group[] }>('{ incidentMetricsBy(groupBy: SOC_TEAM, from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") { key incidents } }', { token: red });
    expect(redView.body.data?.incidentMetricsBy).toEqual([]);
  });

  it('offers the people holding the team’s incidents as assignees, with their open work, to the SOC only', async () => {
    type Assignee = { id: string; openIncidents: number };
    const assignees = async (token: string, tenantId: string) => h.gql<{ assignees: Assignee[] }>(`{ assignees(tenantId: "${tenantId}") { id openIncidents } }`, { token });
    // fabrikam-retail has no incident of its own: blue serves it and contoso-bank, so ana is offered there too
    for (const tenantId of [TENANT, 'fabrikam-retail']) {
      const { body } = await assignees(analyst, tenantId);
      expect(body.errors).toBeUndefined();
      expect(body.data!.assignees).toContainEqual({ id: 'ana@soc.example', openIncidents: expect.any(Number) });
    }
    // red serves northwind only: blue's people are not offered there, and red cannot ask about blue's tenants
    const red = await h.token({ role: 'soc.lead', socTeam: 'red' });
    expect((await assignees(red, 'northwind-mfg')).body.data!.assignees.map((a) => a.id)).not.toContain('ana@soc.example');
    expect((await assignees(red, TENANT)).body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    // a customer admin does not assign the SOC's work
    expect((await assignees(customerAdmin, TENANT)).body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
  });

  it("shows the customer what the SOC did on its behalf, and only that", async () => {
    const { body } = await h.gql<{ auditTrail: { edges: { node: { type: string; actorId: string; onBehalfOfTenant: string | null } }[] } }>(
      `{ auditTrail(tenantId: "${TENANT}", first: 100, onBehalfOnly: true) { edges { node { type actorId onBehalfOfTenant } } } }`,
      { token: customerAdmin },
    );
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.auditTrail.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.onBehalfOfTenant === TENANT)).toBe(true);
    expect(nodes).toContainEqual({ type: 'incidents.IncidentTriaged.v1', actorId: 'ana@soc.example', onBehalfOfTenant: TENANT });
    expect(nodes.map((n) => n.actorId)).not.toContain('it@contoso.example'); // the customer's own pushes are not among them
  });

  it('takes Defender for Cloud alerts in once, and refuses what is not an alert', async () => {
    const payload = readFileSync(join(alerts, 'Microsoft.Security.locations-alerts.GetAlertSubscriptionLocation_example.json'), 'utf8');
    const ingest = () =>
      h.gql<{ ingestAlerts: { alerts: { decision: string; incidentId: string }[] } }>(
        `mutation($payload: String!) { ingestAlerts(input: { tenantId: "${TENANT}", payloadJson: $payload }) { alerts { decision incidentId } } }`,
        { token: customerAdmin, variables: { payload } },
      );
    const first = await ingest();
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data?.ingestAlerts.alerts).toEqual([{ decision: 'opened', incidentId: expect.stringMatching(/^inc-/) }]);
    await h.settled();
    expect((await ingest()).body.data?.ingestAlerts.alerts[0].decision).toBe('duplicate');
    // the playbook answering its detection type (VM_EICAR: malware on a VM) proposes isolating the VM
    const alertIncident = first.body.data!.ingestAlerts.alerts[0].incidentId;
    const answered = await h.eventually(
      'the alert answered by its playbook',
      async () => (await h.gql<{ incident: { actions: { actionKind: string; playbookId: string; status: string }[] } }>(`{ incident(tenantId: "${TENANT}", incidentId: "${alertIncident}") { actions { actionKind playbookId status } } }`, { token: analyst })).body.data?.incident.actions ?? [],
      (actions) => actions.length > 0,
    );
    expect(answered).toEqual([{ actionKind: 'isolate-workload', playbookId: 'isolate-workload', status: 'proposed' }]);
    const bad = await h.gql(`mutation { ingestAlerts(input: { tenantId: "${TENANT}", payloadJson: "{\\"hello\\": 1}" }) { alerts { decision } } }`, { token: customerAdmin });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('takes alerts through the webhook endpoint too, authenticated and authorized like the API', async () => {
    const payload = readFileSync(join(alerts, 'Microsoft.SecurityInsights.incidents.GetIncidentById.json'), 'utf8');
    const post = (token: string | undefined, tenant = TENANT, body = payload) =>
      fetch(`${h.url}/webhooks/alerts/${tenant}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
    expect((await post(undefined)).status).toBe(401);
    const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    expect((await post(viewer)).status).toBe(403);
    expect((await post(customerAdmin, 'fabrikam-retail')).status).toBe(403); // another tenant's admin route
    const ok = await post(customerAdmin);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ alerts: [{ externalId: expect.any(String), decision: 'opened', incidentId: expect.stringMatching(/^inc-/) }] });
    const bad = await post(customerAdmin, TENANT, '{"not": "an alert"}');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/not a Defender for Cloud alert or Sentinel incident/);
  });

  it("reads and changes the tenant's incident policy; destructive actions are never pre-approved", async () => {
    const refused = await h.gql<{ setIncidentPolicy: Result }>(
      `mutation { setIncidentPolicy(input: { tenantId: "${TENANT}", preApprovedActions: ["isolate-workload"] }) { __typename ... on Rejection { code } } }`,
      { token: customerAdmin },
    );
    expect(refused.body.data?.setIncidentPolicy).toEqual({ __typename: 'Rejection', code: 'destructive-action-not-pre-approvable' });
    const set = await h.gql<{ setIncidentPolicy: Result }>(
      `mutation { setIncidentPolicy(input: { tenantId: "${TENANT}", preApprovedActions: ["rotate-secret"], sla: [{ severity: "critical", acknowledgeMinutes: 10 }] }) { __typename } }`,
      { token: customerAdmin },
    );
    expect(set.body.data?.setIncidentPolicy.__typename).toBe('IncidentChanged');
    const { body } = await h.gql<{ incidentPolicy: { preApprovedActions: string[]; sla: { severity: string; acknowledgeMinutes: number }[] } }>(
      `{ incidentPolicy(tenantId: "${TENANT}") { preApprovedActions sla { severity acknowledgeMinutes } } }`,
      { token: analyst },
    );
    expect(body.data?.incidentPolicy.preApprovedActions).toEqual(['rotate-secret']);
    expect(body.data?.incidentPolicy.sla).toContainEqual({ severity: 'critical', acknowledgeMinutes: 10 });
    const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    const forbidden = await h.gql(`mutation { setIncidentPolicy(input: { tenantId: "${TENANT}", correlationWindowMinutes: 60 }) { __typename } }`, { token: viewer });
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('says which findings open an incident: the incident policy\'s choice, still set by the deprecated reporting policy field', async () => {
    type Choice = { findingSeverities: string[]; findingSeveritiesFrom: string };
    const choice = async () =>
      (await h.gql<{ incidentPolicy: Choice; tenantGuardrails: { reporting: { incidentSeverities: string[] } } }>(
        `{ incidentPolicy(tenantId: "${TENANT}") { findingSeverities findingSeveritiesFrom } tenantGuardrails(tenantId: "${TENANT}") { reporting { incidentSeverities } } }`,
        { token: analyst },
      )).body.data!;
    // nothing chosen yet by either policy: critical and high, as before
    expect((await choice()).incidentPolicy).toEqual({ findingSeverities: ['critical', 'high'], findingSeveritiesFrom: 'default' });
    const report = async (input: string) =>
      (await h.gql<{ setReportingPolicy: Result }>(`mutation { setReportingPolicy(input: { tenantId: "${TENANT}", ${input} }) { __typename ... on Rejection { code } } }`, { token: customerAdmin })).body.data?.setReportingPolicy;
    expect(await report('incidentSeverities: ["critical", "high", "medium"], notifySeverities: ["low"]')).toEqual({ __typename: 'GuardrailPolicyChanged' });
    await h.settled();
    expect(await choice()).toEqual({ incidentPolicy: { findingSeverities: ['critical', 'high', 'medium'], findingSeveritiesFrom: 'incident-policy' }, tenantGuardrails: { reporting: { incidentSeverities: ['critical', 'high', 'medium'] } } });
    // left out, it changes neither
    expect(await report('notifySeverities: ["medium"]')).toEqual({ __typename: 'GuardrailPolicyChanged' });
    await h.settled();
    expect((await choice()).incidentPolicy.findingSeverities).toEqual(['critical', 'high', 'medium']);
    const set = await h.gql<{ setIncidentPolicy: Result }>(
      `mutation { setIncidentPolicy(input: { tenantId: "${TENANT}", findingSeverities: ["high", "critical"] }) { __typename ... on Rejection { code } } }`,
      { token: customerAdmin },
    );
    expect(set.body.data?.setIncidentPolicy.__typename).toBe('IncidentChanged');
    expect((await choice()).incidentPolicy).toEqual({ findingSeverities: ['critical', 'high'], findingSeveritiesFrom: 'incident-policy' });
    const bogus = await h.gql<{ setIncidentPolicy: Result }>(`mutation { setIncidentPolicy(input: { tenantId: "${TENANT}", findingSeverities: ["urgent"] }) { __typename ... on Rejection { code } } }`, { token: customerAdmin });
    expect(bogus.body.data?.setIncidentPolicy).toEqual({ __typename: 'Rejection', code: 'invalid-severity' });
  });

  it("closes an offboarded tenant's incident record to every change", async () => {
    const admin = await h.token({ role: 'platform.admin' });
    const as = async (token: string, document: string) => {
      const { body } = await h.gql<Record<string, Result>>(document, { token });
      expect(body.errors).toBeUndefined();
      return Object.values(body.data!)[0];
    };
    await as(admin, 'mutation { onboardTenant(input: { tenantId: "northwind-mill", displayName: "Northwind Mill", sector: "manufacturing", contactEmail: "it@northwind.example" }) { __typename } }');
    await as(admin, 'mutation { assignSocTeam(input: { tenantId: "northwind-mill", socTeam: "blue" }) { __typename } }');
    await h.settled();
    const opened = await h.gql<{ openIncident: Result & { id?: string } }>(
      'mutation { openIncident(input: { tenantId: "northwind-mill", title: "Suspicious sign-ins", severity: "medium" }) { __typename ... on IncidentChanged { id } } }',
      { token: analyst },
    );
    expect(opened.body.data?.openIncident.__typename).toBe('IncidentChanged');
    const millIncident = opened.body.data!.openIncident.id!;
    await as(admin, 'mutation { offboardTenant(input: { tenantId: "northwind-mill", reason: "contract ended" }) { __typename } }');
    await h.settled();
    expect(await as(analyst, 'mutation { openIncident(input: { tenantId: "northwind-mill", title: "Another", severity: "low" }) { __typename ... on Rejection { code } } }')).toEqual({
      __typename: 'Rejection',
      code: 'tenant-offboarded',
    });
    expect(await as(analyst, `mutation { commentOnIncident(input: { tenantId: "northwind-mill", incidentId: "${millIncident}", text: "late note" }) { __typename ... on Rejection { code } } }`)).toEqual({
      __typename: 'Rejection',
      code: 'tenant-offboarded',
    });
  });
});
