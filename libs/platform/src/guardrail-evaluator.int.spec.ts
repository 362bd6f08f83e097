// From ingested resources to findings and back: the evaluator follows the log the way the worker
// runs it (batches from a checkpoint), the read models are projected as the worker projects them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand, START, type RecordedEvent } from '@rampart/event-sourcing';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type FindingEntry, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { ingest, inventoryReader, itemsOf } from '@rampart/ingestion';
import { GuardrailEvaluator, parentOf } from '@rampart/guardrails-application';
import { platformProjections } from './projections';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };
const webKey = String(webApp.id).toLowerCase();
const authConfig = (enabled: boolean) => ({
  id: `${webApp.id}/config/web`,
  name: 'web',
  type: 'Microsoft.Web/sites/config',
  properties: { siteAuthEnabled: enabled },
});

describe('guardrail evaluation', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let runners: ProjectionRunner[];
  let now = new Date('2026-11-29T10:00:00Z');
  let evaluator: GuardrailEvaluator;
  let position = START;
  const schema = 'eval_read';
  const tenant = 'contoso-bank';

  const project = async () => {
    for (const runner of runners) for (;;) if ((await runner.runBatch()).caughtUp) break;
  };
  /** What the worker does: project, then hand the evaluator everything after its checkpoint. */
  const settle = async () => {
    for (let round = 0; round < 3; round++) {
      await project();
      const page = await store.readAll({ from: position, maxCount: 10_000 });
      position = page.position;
      const relevant = page.events.filter((e: RecordedEvent) => e.type.startsWith('inventory.Resource') || e.type.startsWith('guardrails.') && !e.type.includes('Finding') && !e.type.includes('ComplianceState'));
      if (relevant.length) await evaluator.handle(relevant);
    }
    await project();
  };
  const policy = (cmd: TenantGuardrailsCommand, actor = 'ana@contoso.example') =>
    handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), cmd, {
      tenantId: tenant,
      actor: { kind: 'user', id: actor },
      correlationId: 'c',
      causationId: null,
      now,
    });
  const run = (values: unknown[], complete = false) =>
    onboardTenants(store, tenant).then(() => ingest(store, itemsOf(values), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete }));
  const findingsOf = async (): Promise<FindingEntry[]> =>
    (await db.sql.query<{ doc: FindingEntry }>(`SELECT doc FROM "${schema}".findings WHERE tenant_id = $1 ORDER BY doc->>'openedAt', id`, [tenant])).rows.map((r) => r.doc);
  const stateOf = async (guardrailId: string) =>
    (
      await db.sql.query<{ state: string }>(`SELECT doc->>'state' AS state FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'guardrailId' = $2 AND doc->>'resourceKey' = $3`, [
        tenant,
        guardrailId,
        webKey,
      ])
    ).rows[0]?.state;

  beforeAll(async () => {
    db = await pgliteTestDatabase('evaluation');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    runners = platformProjections().map((p) => new ProjectionRunner(store, db.sql, p, { schema }));
    for (const r of runners) await r.prepare();
    evaluator = new GuardrailEvaluator({ eventStore: store, readModels: db.sql }, { schema, now: () => now, inventory: inventoryReader(db.sql, schema) });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('finds the seed case once a baseline is assigned: a web app reachable without authentication', async () => {
    await run([webApp]);
    await settle();
    expect(await findingsOf()).toEqual([]); // nothing assigned yet: nothing evaluated
    await policy({ kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' });
    await settle();
    const [finding] = await findingsOf();
    expect(finding).toMatchObject({ status: 'open', guardrailId: 'web-app-without-authentication', severity: 'high', resourceKey: webKey });
    // whether it opens an incident is the incidents context's choice, from its own policy: guardrails no longer records it
    expect(finding).not.toHaveProperty('raiseIncident');
    expect(await stateOf('web-app-http-allowed')).toBe('compliant');
  });

  it('a change that adds authentication resolves the finding, linked to the change that caused it', async () => {
    await run([webApp, authConfig(true)]);
    await settle();
    const [finding] = await findingsOf();
    expect(finding).toMatchObject({ status: 'resolved', resolution: 'compliant' });
    const resolved = (await store.readAll({ filter: { tenantId: tenant, eventTypes: ['guardrails.FindingResolved.v1'] } })).events[0];
    expect((resolved.data as { causedBy: { type: string } }).causedBy.type).toBe('inventory.ResourceDiscovered.v1');
    // and switching authentication off again opens a new finding, caused by the configuration change
    await run([webApp, authConfig(false)]);
    await settle();
    const open = (await findingsOf()).filter((f) => f.status === 'open');
    expect(open).toHaveLength(1);
    expect(open[0].causedBy?.type).toBe('inventory.ResourceConfigurationChanged.v1');
  });

  it('an approved exemption makes it exempt; at its expiry the finding is back by itself', async () => {
    await policy({
      kind: 'RequestExemption',
      exemptionId: 'intranet-app',
      guardrailId: 'web-app-without-authentication',
      scope: webKey,
      category: 'mitigated',
      justification: 'Reachable only through the authenticating corporate proxy',
      requestedBy: 'ana@contoso.example',
      expiresAt: '2026-12-31T00:00:00Z',
      now,
    });
    await settle();
    expect(await stateOf('web-app-without-authentication')).toBe('nonCompliant'); // requested is not granted
    await policy({ kind: 'ApproveExemption', exemptionId: 'intranet-app', approvedBy: 'ciso@contoso.example', now }, 'ciso@contoso.example');
    await settle();
    expect(await stateOf('web-app-without-authentication')).toBe('exempt');
    expect((await findingsOf()).filter((f) => f.status === 'open')).toEqual([]);

    expect(await evaluator.expireExemptions()).toEqual([]); // not yet
    now = new Date('2026-12-31T00:00:01Z');
    expect(await evaluator.expireExemptions()).toEqual([{ tenantId: tenant, exemptionId: 'intranet-app' }]);
    await settle();
    expect(await stateOf('web-app-without-authentication')).toBe('nonCompliant');
    expect((await findingsOf()).filter((f) => f.status === 'open')).toHaveLength(1);
  });

  it('a removed resource resolves its findings; evaluating everything again records nothing new', async () => {
    const before = (await store.readAll({ from: START, filter: { tenantId: tenant, eventTypes: ['guardrails.ComplianceStateChanged.v1'] }, maxCount: 10_000 })).events.length;
    expect(await evaluator.evaluateTenant(tenant)).toMatchObject({ resources: 2, postureEvents: 0 });
    const after = (await store.readAll({ from: START, filter: { tenantId: tenant, eventTypes: ['guardrails.ComplianceStateChanged.v1'] }, maxCount: 10_000 })).events.length;
    expect(after).toBe(before);
    await run([], true);
    await settle();
    expect((await findingsOf()).every((f) => f.status === 'resolved')).toBe(true);
    expect((await findingsOf()).at(-1)?.resolution).toBe('resource-removed');
  });

  it('knows the parent of child and extension resources', () => {
    expect(parentOf('/subscriptions/s/resourcegroups/r/providers/microsoft.web/sites/a/config/web')).toBe('/subscriptions/s/resourcegroups/r/providers/microsoft.web/sites/a');
    expect(parentOf('/subscriptions/s/providers/microsoft.security/assessments/20606e75-05c4-48c0-9d97-add6daa2109a')).toBe('/subscriptions/s');
    expect(parentOf('/subscriptions/s/resourcegroups/r/providers/microsoft.web/sites/a')).toBeUndefined();
    expect(parentOf('/subscriptions/s/resourcegroups/r/providers/microsoft.keyvault/vaults/kv/providers/microsoft.insights/diagnosticsettings/d')).toBe(
      '/subscriptions/s/resourcegroups/r/providers/microsoft.keyvault/vaults/kv',
    );
    expect(parentOf('/subscriptions/s/resourcegroups/r/providers/microsoft.web/sites/a')).toBeUndefined();
  });
});
