// History from the log: a web app deployed without authentication, found, turned into an
// incident, then fixed. As of now the fold equals the live read models; as of before the fix it
// shows the old state; a guardrail never assigned, replayed, finds the interval the app broke it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import {
  builtInCatalog,
  tenantGuardrailsDecider,
  tenantGuardrailsStreamId,
  type ComplianceEntry,
  type FindingEntry,
  type TenantGuardrailsCommand,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import type { IncidentEntry } from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import type { ResourceInventoryEntry } from '@rampart/inventory';
import { tenantComplianceScore } from '@rampart/guardrails-application';
import { complianceSeries, postureAsOf, replayPolicy } from './history';
import { InlineWorker } from './inline-worker';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const corpus = join(__dirname, '..', '..', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'App Service');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };
const webKey = String(webAppBody.id).toLowerCase();
const authConfig = { id: `${webAppBody.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } };
const authDefinition = JSON.parse(readFileSync(join(corpus, 'Authentication_WebApp_Audit.json'), 'utf8'));
const privateDefinition = JSON.parse(readFileSync(join(corpus, 'WebApp_PublicNetworkAccess_Audit.json'), 'utf8'));

const tick = () => new Promise((r) => setTimeout(r, 30));

describe('history from the log', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const schema = 'history_read';
  const tenant = 'contoso-bank';
  const other = 'fabrikam-retail';
  let beforeAnything: Date;
  let exposed: Date;
  let fixedAt: string;

  let worker: InlineWorker;
  const settle = () => worker.settle();
  const policy = (tenantId: string, cmd: TenantGuardrailsCommand) =>
    handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenantId), cmd, {
      tenantId,
      actor: { kind: 'user', id: 'it@contoso.example' },
      correlationId: 'c',
      causationId: null,
      now: new Date(),
    });
  const run = (tenantId: string, values: unknown[]) =>
    onboardTenants(store, tenantId).then(() => ingest(store, itemsOf(values), { tenantId, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false }));
  const live = async <D>(table: string, tenantId = tenant) =>
    (await db.sql.query<{ doc: D }>(`SELECT doc FROM "${schema}".${table} WHERE tenant_id = $1 ORDER BY id`, [tenantId])).rows.map((r) => r.doc);

  beforeAll(async () => {
    db = await pgliteTestDatabase('history');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema });

    beforeAnything = new Date();
    await tick();
    await policy(tenant, { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' });
    await run(tenant, [webApp]);
    await policy(other, { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' });
    await run(other, [{ ...webApp, id: webApp.id.replace('/subscriptions/', '/subscriptions/other-') }]);
    await settle();
    await tick();
    exposed = new Date();
    await tick();
    await run(tenant, [webApp, authConfig]); // the fix
    fixedAt = (await store.readAll({ filter: { tenantId: tenant, eventTypes: ['inventory.ResourceDiscovered.v1'] } })).events.at(-1)!.recordedAt;
    await settle();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('as of now equals the live read models', async () => {
    const now = await postureAsOf({ eventStore: store }, tenant, new Date(Date.now() + 1_000));
    expect(now.resources).toEqual(await live<ResourceInventoryEntry>('resource_inventory'));
    expect(now.compliance).toEqual(await live<ComplianceEntry>('compliance'));
    expect(now.openFindings).toEqual((await live<FindingEntry>('findings')).filter((f) => f.status === 'open'));
    expect(now.openIncidents).toEqual((await live<IncidentEntry>('incidents')).filter((i) => !['closed', 'merged'].includes(i.status)));
    expect(now.guardrails).toEqual((await live<TenantGuardrailsEntry>('tenant_guardrails'))[0]);
    expect(now.score).toEqual(await tenantComplianceScore({ readModels: db.sql, eventStore: store }, tenant, schema));
    expect(now.resources.map((r) => r.tenantId)).toEqual([tenant, tenant]); // never another tenant's
  });

  it('as of before the fix shows the app exposed, the finding open and the incident new', async () => {
    const then = await postureAsOf({ eventStore: store }, tenant, exposed);
    expect(then.resources.map((r) => r.resourceKey)).toEqual([webKey]);
    expect(then.compliance.find((c) => c.guardrailId === 'web-app-without-authentication')).toMatchObject({ state: 'nonCompliant', resourceKey: webKey });
    expect(then.openFindings.map((f) => f.guardrailId)).toContain('web-app-without-authentication');
    expect(then.openIncidents).toEqual([expect.objectContaining({ status: 'new', title: 'Web app reachable without authentication on sitef6141' })]);
    expect(then.guardrails?.assignments.map((a) => a.baselineId)).toEqual(['landing-zone-core']);
    expect(then.score.overall.nonCompliant).toBeGreaterThan(0);

    const now = await postureAsOf({ eventStore: store }, tenant, new Date());
    expect(now.compliance.find((c) => c.guardrailId === 'web-app-without-authentication')).toMatchObject({ state: 'compliant' });
    expect(now.openFindings.map((f) => f.guardrailId)).not.toContain('web-app-without-authentication');
  });

  it('as of before anything happened is empty', async () => {
    const empty = await postureAsOf({ eventStore: store }, tenant, beforeAnything);
    expect(empty).toMatchObject({ position: null, events: 0, resources: [], guardrails: null, compliance: [], openFindings: [], openIncidents: [] });
  });

  it('gives the score over time, the last point being the score now', async () => {
    const from = new Date(beforeAnything.getTime() - 3 * 3_600_000);
    const to = new Date(Date.now() + 3_600_000);
    const series = await complianceSeries({ eventStore: store }, tenant, { from, to, bucket: 'hour' });
    expect(series.length).toBeGreaterThanOrEqual(4);
    expect(series[0].score.overall).toMatchObject({ compliant: 0, nonCompliant: 0, score: null }); // before anything
    expect(series.at(-1)!.score).toEqual(await tenantComplianceScore({ readModels: db.sql, eventStore: store }, tenant, schema));
    await expect(complianceSeries({ eventStore: store }, tenant, { from: new Date('2020-01-01T00:00:00Z'), to, bucket: 'hour' })).rejects.toThrow(/at most 2000 points/);
  });

  it('replays a guardrail over the recorded history: when the app broke it, and when it stopped, appending nothing', async () => {
    const head = await store.headPosition();
    const result = await replayPolicy({ eventStore: store }, tenant, authDefinition);
    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.replay.intervals).toEqual([
      { resourceKey: webKey, resourceId: webAppBody.id, resourceType: 'microsoft.web/sites', from: expect.any(String), to: fixedAt, reason: expect.stringMatching(/\S/), state: 'nonCompliant' },
    ]);
    expect(Date.parse(result.replay.intervals[0].from)).toBeLessThan(exposed.getTime());
    // the app is still public: breaking the never-assigned private-access guardrail since it was discovered
    const privateAccess = await replayPolicy({ eventStore: store }, tenant, privateDefinition);
    expect(privateAccess.ok && privateAccess.replay.intervals).toEqual([expect.objectContaining({ resourceKey: webKey, to: null, state: 'nonCompliant' })]);
    // since the fix, the authentication guardrail has nothing to report
    const sinceFix = await replayPolicy({ eventStore: store }, tenant, authDefinition, { since: new Date(Date.parse(fixedAt) + 1) });
    expect(sinceFix.ok && sinceFix.replay.intervals).toEqual([]);
    expect(await store.headPosition()).toEqual(head);
  });

  it('refuses a definition it cannot evaluate, and parameters the definition does not allow', async () => {
    const refused = await replayPolicy({ eventStore: store }, tenant, { properties: { policyRule: { if: { field: 'type', wobbles: 'x' }, then: { effect: 'audit' } } } });
    expect(refused).toMatchObject({ ok: false, refusal: { reason: expect.any(String), message: expect.stringMatching(/wobbles/) } });
    const badParameter = await replayPolicy({ eventStore: store }, tenant, authDefinition, { parameters: { effect: 'Explode' } });
    expect(badParameter.ok).toBe(false);
  });
});
