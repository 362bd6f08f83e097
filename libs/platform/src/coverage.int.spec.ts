// Proof of coverage on PostgreSQL: a complete snapshot proves every resource of its scope collected
// (changed or not), a partial push proves only what it changed; past the tenant's interval a
// resource is not evaluated, and what it passed counts as not evaluable — in a standard's controls,
// in the score now and as of an instant; an evaluator that lags holds the evidence back to what it
// had handled; and as of now the fold of the log agrees with the read models.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand, START } from '@rampart/event-sourcing';
import { SqlCheckpointStore, SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { GUARDRAIL_EVALUATOR_SUBSCRIPTION, tenantComplianceScore, tenantStandardCompliance } from '@rampart/guardrails-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantCoverage } from './coverage';
import { coverageAsOf, postureAsOf } from './history';
import { InlineWorker } from './inline-worker';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const body = JSON.parse(readFileSync(join(examples, 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json'), 'utf8'));
const subscription = '/subscriptions/00000000-0000-0000-0000-0000000000c1';
const account = (name: string) => ({
  ...body,
  id: `${subscription}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  location: 'westeurope',
  properties: { ...body.properties, supportsHttpsTrafficOnly: true },
});
const CIS = 'cis-azure-2.0.0';
const DAY = 86_400_000;

describe('proof of coverage (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let worker: InlineWorker;
  const schema = 'coverage_read';
  const tenant = `coverage-${Date.now()}`;
  const policy = (cmd: TenantGuardrailsCommand) =>
    handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), cmd, { tenantId: tenant, actor: { kind: 'user', id: 'it@bank.example' }, correlationId: 'c', causationId: null, now: new Date() });
  const run = (values: unknown[], complete: boolean) =>
    ingest(store, itemsOf(values), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'file', scope: '*', complete });
  const stores = () => ({ eventStore: store, readModels: db.sql });

  beforeAll(async () => {
    db = await postgresTestDatabase('coverage');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    // the read models and checkpoints of an earlier run (an evaluator checkpoint of its log) are no business of this one
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await onboardTenants(store, tenant);
    worker = await InlineWorker.start(stores(), { schema });
    expect(await policy({ kind: 'AssignBaseline', assignmentId: 'cis', baselineId: CIS, scope: '*' })).toMatchObject({ ok: true });
    expect(await policy({ kind: 'SetCoveragePolicy', maxEvidenceAgeHours: 72 })).toMatchObject({ ok: true });
    expect(await policy({ kind: 'SetCoveragePolicy', maxEvidenceAgeHours: 0 })).toMatchObject({ ok: false, rejection: { code: 'invalid-interval' } });
    await run([account('stone'), account('sttwo')], true);
    await worker.settle();
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it('counts every resource evaluated while its evidence is fresh, and none past the interval', async () => {
    const now = await tenantCoverage(stores(), tenant, { schema });
    expect(now).toMatchObject({ resources: 2, evaluated: 2, notEvaluated: 0, score: 1, maxEvidenceAgeHours: 72, evaluatedThrough: null });
    const later = await tenantCoverage(stores(), tenant, { schema, now: new Date(Date.now() + 4 * DAY) });
    expect(later).toMatchObject({ resources: 2, evaluated: 0, notEvaluated: 2, score: 0 });
  });

  it('reports what a stale resource passes as not evaluable: in the control, in the score, as of an instant', async () => {
    const fresh = (await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema, await tenantCoverage(stores(), tenant, { schema })))!;
    expect(fresh.controls.find((c) => c.control.id === '3.1')).toMatchObject({ state: 'passed', resources: { passed: 2 } });
    expect(fresh.coverage).toMatchObject({ resources: 2, evaluated: 2, score: 1 });

    const at = new Date(Date.now() + 4 * DAY);
    const coverage = await tenantCoverage(stores(), tenant, { schema, now: at });
    const stale = (await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema, coverage))!;
    const control = stale.controls.find((c) => c.control.id === '3.1')!;
    expect(control).toMatchObject({ state: 'notEvaluable', resources: { passed: 0, notEvaluable: 2 } });
    expect(stale.coverage).toMatchObject({ resources: 2, evaluated: 0, notEvaluated: 2, score: 0 });
    expect(stale.states.passed).toBe(0);

    const score = await tenantComplianceScore(stores(), tenant, schema, new Set(coverage.perResource.map((r) => r.resourceKey)));
    expect(score.overall.compliant).toBe(0);
    expect(score.overall.error).toBeGreaterThan(0);

    const then = await postureAsOf({ eventStore: store }, tenant, at);
    expect(then.coverage).toMatchObject({ resources: 2, evaluated: 0 });
    expect(then.score.overall.compliant).toBe(0);
    const asOf = await coverageAsOf({ eventStore: store }, tenant, at);
    expect(asOf.perResource.map((r) => [r.resourceKey, r.lastCollectedAt])).toEqual(coverage.perResource.map((r) => [r.resourceKey, r.lastCollectedAt]));
  });

  it('takes a complete snapshot as collection of what it did not change, and a partial push of nothing else', async () => {
    const before = await tenantCoverage(stores(), tenant, { schema });
    const secondSnapshot = await run([account('stone'), account('sttwo')], true); // nothing changed: no resource event
    await worker.settle();
    const afterSnapshot = await tenantCoverage(stores(), tenant, { schema });
    const { rows } = await db.sql.query<{ finished: string }>(`SELECT doc->>'finishedAt' AS finished FROM "${schema}".ingestion_runs WHERE tenant_id = $1 AND doc->>'runId' = $2`, [tenant, secondSnapshot.runId]);
    for (const r of afterSnapshot.perResource) expect(r.lastCollectedAt).toBe(rows[0].finished);
    expect(afterSnapshot.perResource[0].lastCollectedAt > before.perResource[0].lastCollectedAt).toBe(true);

    await run([{ ...account('stone'), tags: { owner: 'data-team' } }], false);
    await worker.settle();
    const afterPush = await tenantCoverage(stores(), tenant, { schema });
    const byName = new Map(afterPush.perResource.map((r) => [r.resourceKey.split('/').pop(), r.lastCollectedAt]));
    expect(byName.get('stone')! > rows[0].finished).toBe(true);
    expect(byName.get('sttwo')).toBe(rows[0].finished);
  });

  it('holds the evidence back to what a lagging evaluator had handled', async () => {
    // a worker's evaluator checkpoint from before the last push: the push is not handled yet
    const events = (await store.readAll({ from: START, filter: { tenantId: tenant }, maxCount: 10_000 })).events;
    const lastResourceEvent = events.filter((e) => e.type.startsWith('inventory.Resource')).at(-1)!;
    const before = events[events.indexOf(lastResourceEvent) - 1];
    const checkpoints = await SqlCheckpointStore.open(db.sql, schema);
    await checkpoints.save(GUARDRAIL_EVALUATOR_SUBSCRIPTION, before.globalPosition);
    const lagging = await tenantCoverage(stores(), tenant, { schema });
    expect(lagging.evaluatedThrough).toBe(lastResourceEvent.recordedAt);
    const stone = lagging.perResource.find((r) => r.resourceKey.endsWith('/stone'))!;
    expect(stone.evaluatedAt).toBe(lastResourceEvent.recordedAt);
    await checkpoints.save(GUARDRAIL_EVALUATOR_SUBSCRIPTION, lastResourceEvent.globalPosition);
    expect((await tenantCoverage(stores(), tenant, { schema })).evaluatedThrough).toBeNull();
  });
});
