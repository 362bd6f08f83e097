// A standard's per-control compliance on PostgreSQL: an assignment scoped to one resource group
// counts only the resources under it; now from the read models equals the fold of the log as of
// now; before the fix the control failed, after it passed; the series follows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { ingest, itemsOf } from '@rampart/ingestion';
import { tenantCoverage } from './coverage';
import { standardComplianceAsOf, standardComplianceSeries } from './history';
import { InlineWorker } from './inline-worker';
import { tenantStandardCompliance } from '@rampart/guardrails-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const body = JSON.parse(readFileSync(join(examples, 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json'), 'utf8'));
const subscription = '/subscriptions/00000000-0000-0000-0000-0000000000d1';
const account = (group: string, name: string, https: boolean) => ({
  ...body,
  id: `${subscription}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  location: 'westeurope',
  properties: { ...body.properties, supportsHttpsTrafficOnly: https },
});
const CIS = 'cis-azure-2.0.0';
const tick = () => new Promise((r) => setTimeout(r, 30));

describe("a standard's compliance per control, now and as of an instant", () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let worker: InlineWorker;
  const schema = 'standards_read';
  const tenant = `standards-${Date.now()}`;
  let beforeFix: Date;

  const policy = (cmd: TenantGuardrailsCommand) =>
    handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), cmd, { tenantId: tenant, actor: { kind: 'user', id: 'it@bank.example' }, correlationId: 'c', causationId: null, now: new Date() });
  const run = (values: unknown[]) => ingest(store, itemsOf(values), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });

  beforeAll(async () => {
    db = await postgresTestDatabase('standards');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await onboardTenants(store, tenant);
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema });
    expect(await policy({ kind: 'AssignBaseline', assignmentId: 'cis-data', baselineId: CIS, scope: `${subscription}/resourceGroups/rg-data` })).toMatchObject({ ok: true });
    // the payments group is outside the assignment's scope: its plain-HTTP account counts nowhere
    await run([account('rg-data', 'stdata', false), account('rg-payments', 'stpay', false)]);
    await worker.settle();
    await tick();
    beforeFix = new Date();
    await tick();
    await run([account('rg-data', 'stdata', true)]);
    await worker.settle();
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it('counts the resources in the assignment scope only, and as of now equals the live read models', async () => {
    const live = (await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema, await tenantCoverage({ eventStore: store, readModels: db.sql }, tenant, { schema })))!;
    expect(live.coverage).toMatchObject({ resources: 1, evaluated: 1, score: 1 });
    expect(live.assignments).toEqual([{ assignmentId: 'cis-data', scope: `${subscription}/resourcegroups/rg-data`.toLowerCase() }]);
    expect(live.resourcesInScope).toBe(1);
    const secureTransfer = live.controls.find((c) => c.control.id === '3.1')!;
    expect(secureTransfer).toMatchObject({ state: 'passed', resources: { passed: 1, failed: 0, notApplicable: 0 } });
    const rebuilt = (await standardComplianceAsOf({ eventStore: store }, tenant, CIS, new Date(Date.now() + 1_000)))!;
    expect({ ...rebuilt, asOf: null }).toEqual(live);
  });

  it('shows the control failing before the fix, and its state over time', async () => {
    const then = (await standardComplianceAsOf({ eventStore: store }, tenant, CIS, beforeFix))!;
    const secureTransfer = then.controls.find((c) => c.control.id === '3.1')!;
    expect(secureTransfer).toMatchObject({ state: 'failed', resources: { failed: 1 } });
    expect(secureTransfer.failing.map((f) => f.resourceKey)).toEqual([`${subscription}/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/stdata`]);
    const live = (await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema, await tenantCoverage({ eventStore: store, readModels: db.sql }, tenant, { schema })))!;
    expect(live.coverage).toMatchObject({ resources: 1, evaluated: 1, score: 1 });
    expect(then.states.failed).toBe(live.states.failed + 1);

    const series = (await standardComplianceSeries({ eventStore: store }, tenant, CIS, { from: new Date(Date.now() - 3 * 3_600_000), to: new Date(Date.now() + 3_600_000), bucket: 'hour' }))!;
    expect(series.at(-1)).toMatchObject({ assigned: true, states: live.states, score: live.score });
    expect(series[0]).toMatchObject({ assigned: false, score: null });
  });

  it('answers nothing for a standard that does not exist', async () => {
    expect(await tenantStandardCompliance({ readModels: db.sql }, tenant, 'nist-everything', schema)).toBeUndefined();
    expect(await standardComplianceAsOf({ eventStore: store }, tenant, 'nist-everything', new Date())).toBeUndefined();
  });
});
