// Agreement with Azure through the real Resource Graph SDK against the replayed Resource Graph: a
// tenant's estate collected and evaluated against CIS, Azure's own policy states served in its
// documented shape (`policyresources`, type `microsoft.policyinsights/policystates`, paged), and the
// report says where Azure and Rampart agree, where they differ and what only one of them judged;
// a custom definition Rampart does not have is counted, not compared.
import { handleCommand } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type ComplianceEntry } from '@rampart/guardrails';
import { snapshotAzureConnection } from '@rampart/ingestion';
import { credentialFromReference } from '@rampart/inventory-azure';
import { rewritingHttpClient, startReplayServer, staticTokenCredential, type ReplayServer } from '@rampart/inventory-azure/testing';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { NoCloudConnectionError, tenantAzureAgreement } from './azure-agreement';
import { InlineWorker } from './inline-worker';

const SUB = '22222222-aaaa-4000-8000-000000000002';
const TENANT = 'agreement-bank';
const CIS = 'cis-azure-2.0.0';

describe('agreement with Azure (replayed Resource Graph)', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let worker: InlineWorker;
  let replay: ReplayServer;
  const schema = 'agreement_read';
  const source = () => ({ credential: staticTokenCredential(), endpoint: 'https://resourcegraph.test', httpClient: rewritingHttpClient(replay.url), pageSize: 2, sleep: async () => undefined });
  const stores = () => ({ eventStore: store, readModels: db.sql });
  const ctx = { tenantId: TENANT, actor: { kind: 'user' as const, id: 'admin@bank.example' }, correlationId: 'c', causationId: null, now: new Date() };

  beforeAll(async () => {
    db = await pgliteTestDatabase('agreement');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    replay = await startReplayServer({ subscriptions: [SUB] });
    worker = await InlineWorker.start(stores(), { schema });
    await onboardTenants(store, TENANT);
    expect(
      await handleCommand(store, tenantDecider, tenantStreamId(TENANT), { kind: 'AddCloudConnection', tenantId: TENANT, connectionId: 'prod', entraTenantId: '72f988bf-0000-4000-8000-000000000001', subscriptions: [SUB], managementGroups: [], credentialReference: 'agreement-bank' }, ctx),
    ).toMatchObject({ ok: true });
    expect(await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(TENANT), { kind: 'AssignBaseline', assignmentId: 'cis', baselineId: CIS, scope: '*' }, ctx)).toMatchObject({ ok: true });
    await snapshotAzureConnection(store, TENANT, { connectionId: 'prod', subscriptions: [SUB] }, source(), { standing: tenantStanding(store) });
    await worker.settle();
  });
  afterAll(async () => {
    await replay?.close();
    await store?.close();
    await db?.dispose();
  });

  it('refuses a tenant without a cloud connection, saying how to add one', async () => {
    await onboardTenants(store, 'no-cloud');
    await worker.settle();
    await expect(tenantAzureAgreement(stores(), 'no-cloud', source, { schema })).rejects.toBeInstanceOf(NoCloudConnectionError);
  });

  it("reports where Azure's own verdicts and Rampart's agree and differ, per guardrail and resource", async () => {
    const { rows } = await db.sql.query<{ doc: ComplianceEntry }>(`SELECT doc FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'baselineId' = $2 AND doc->>'state' IN ('compliant', 'nonCompliant') ORDER BY id`, [TENANT, CIS]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const [first, second] = rows.map((r) => r.doc);
    const cis = builtInCatalog().standards!.get(CIS)!;
    const referenceOf = (guardrailId: string) => cis.members.find((m) => m.guardrailId === guardrailId)!.referenceId;
    const flip = (state: string) => (state === 'compliant' ? 'NonCompliant' : 'Compliant');
    const state = (id: string, resourceId: string, referenceId: string | null, complianceState: string, definition = '404c3081-a854-4457-ae30-26a93ef643f9') => ({
      id: `${resourceId}/providers/Microsoft.PolicyInsights/policyStates/${id}`,
      name: id,
      type: 'microsoft.policyinsights/policystates',
      subscriptionId: SUB,
      properties: {
        resourceId,
        resourceType: 'Microsoft.Storage/storageAccounts',
        policyAssignmentId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/cis`,
        policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definition}`,
        policySetDefinitionId: referenceId ? `/providers/Microsoft.Authorization/policySetDefinitions/${cis.initiativeName}` : '',
        // Azure reports reference ids lowercased
        policyDefinitionReferenceId: referenceId?.toLowerCase() ?? '',
        complianceState,
        timestamp: '2026-12-06T10:00:00Z',
      },
    });
    replay.tables['policyresources'] = [
      state('a1', first.resourceId, referenceOf(first.guardrailId), first.state === 'compliant' ? 'Compliant' : 'NonCompliant'),
      state('a2', second.resourceId, referenceOf(second.guardrailId), flip(second.state)),
      state('a3', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/notcollected`, referenceOf(first.guardrailId), 'NonCompliant'),
      state('a4', first.resourceId, null, 'NonCompliant', 'custom-tagging-rule'),
      { id: `/subscriptions/${SUB}/providers/Microsoft.PolicyInsights/policyStates/broken`, type: 'microsoft.policyinsights/policystates', subscriptionId: SUB, properties: {} },
    ];

    const report = await tenantAzureAgreement(stores(), TENANT, source, { schema });
    expect(report.connections).toEqual([{ connectionId: 'prod', subscriptions: [SUB], states: 4 }]);
    expect(report.malformed).toBe(1);
    expect(report.notComparable).toBe(1);
    expect(report.failures).toEqual([]);
    const row = (guardrailId: string, resourceId: string) => report.rows.find((r) => r.guardrailId === guardrailId && r.resourceKey === resourceId.toLowerCase());
    expect(row(first.guardrailId, first.resourceId)).toMatchObject({ kind: 'agree', rampart: first.state });
    expect(row(second.guardrailId, second.resourceId)).toMatchObject({ kind: 'differ', rampart: second.state, azure: second.state === 'compliant' ? 'nonCompliant' : 'compliant' });
    expect(report.rows.find((r) => r.resourceKey.endsWith('/notcollected'))).toMatchObject({ kind: 'azureOnly', rampart: null });
    expect(report.rows[0].kind).toBe('differ'); // differences first
    // Resource Graph was asked in pages, with Azure's filter for policy states
    expect(replay.requests.some((r) => r.query.startsWith("policyresources | where type =~ 'microsoft.policyinsights/policystates'"))).toBe(true);
  });

  it('reports a connection it cannot read (its credential not configured here) and still compares the others', async () => {
    expect(
      await handleCommand(store, tenantDecider, tenantStreamId(TENANT), { kind: 'AddCloudConnection', tenantId: TENANT, connectionId: 'dev', entraTenantId: '72f988bf-0000-4000-8000-000000000001', subscriptions: ['33333333-aaaa-4000-8000-000000000003'], managementGroups: [], credentialReference: 'not-configured' }, ctx),
    ).toMatchObject({ ok: true });
    await worker.settle();
    const report = await tenantAzureAgreement(stores(), TENANT, (connection) => (connection.connectionId === 'dev' ? { credential: credentialFromReference(connection.credentialReference, {}) } : source()), { schema });
    expect(report.connections.map((c) => [c.connectionId, c.states])).toEqual([
      ['prod', 4],
      ['dev', 0],
    ]);
    expect(report.failures).toEqual([{ subscriptionId: 'connection:dev', table: 'policyresources', error: expect.stringMatching(/Azure credential 'not-configured' is not configured: set RAMPART_AZURE_CREDENTIAL_NOT_CONFIGURED_CLIENT_ID/) }]);
    expect(report.totals.agree).toBeGreaterThan(0);
  });
});
