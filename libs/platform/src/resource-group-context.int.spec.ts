// resourceGroup() in the product: the evaluator gives each resource the resource group the tenant's
// inventory holds, so Azure's "Inherit a tag from the resource group if missing" finds the resource
// without its group's tag — including when Resource Graph lists the group after its resources, and
// again when the group's tags change. A group the inventory lacks leaves the verdict an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handleCommand, START, type RecordedEvent } from '@rampart/event-sourcing';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { buildCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type FindingEntry, type Guardrail } from '@rampart/guardrails';
import { ingest, inventoryReader, itemsOf } from '@rampart/ingestion';
import { GuardrailEvaluator } from '@rampart/guardrails-application';
import { replayPolicy } from './history';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { platformProjections } from './projections';

const INHERIT_TAG = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'Tags', 'InheritTag_Add_Modify.json'), 'utf8'),
);
const guardrail: Guardrail = {
  id: 'inherit-cost-center',
  title: 'Resources carry their resource group’s cost center',
  severity: 'medium',
  definition: INHERIT_TAG,
  source: 'Tags/InheritTag_Add_Modify.json',
  parameters: { tagName: 'costCenter' },
  controls: [],
  remediation: 'Copy the cost center tag from the resource group.',
  playbookId: 'tag-resources',
};
const catalog = buildCatalog([guardrail], [{ id: 'tagging', title: 'Tagging', description: 'Cost allocation tags', guardrailIds: [guardrail.id] }]);

const SUBSCRIPTION = '00000000-1111-2222-3333-444444444444';
/** Rows as Resource Graph returns them: `resources`, then `resourcecontainers`. */
const group = (name: string, tags: Record<string, string>) => ({
  id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${name}`,
  name,
  type: 'microsoft.resources/subscriptions/resourcegroups',
  location: 'westeurope',
  tags,
  subscriptionId: SUBSCRIPTION,
  resourceGroup: name,
  managedBy: '',
  properties: { provisioningState: 'Succeeded' },
});
const storage = (groupName: string, name: string, tags: Record<string, string> = {}) => ({
  // Resource Graph keeps the id's casing, which need not match the group's own.
  id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${groupName.toUpperCase()}/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  type: 'microsoft.storage/storageaccounts',
  location: 'westeurope',
  tags,
  subscriptionId: SUBSCRIPTION,
  resourceGroup: groupName,
  properties: { minimumTlsVersion: 'TLS1_2' },
});
const keyOf = (resource: { id: string }) => resource.id.toLowerCase();
const untagged = storage('rg-finance', 'stfinance1');
const tagged = storage('rg-finance', 'stfinance2', { costCenter: 'CC-42' });
const elsewhere = storage('rg-unlisted', 'stunlisted');

describe('resource groups in evaluation', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let runners: ProjectionRunner[];
  let evaluator: GuardrailEvaluator;
  let position = START;
  const now = new Date('2026-11-29T10:00:00Z');
  const schema = 'rg_read';
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
      const relevant = page.events.filter(
        (e: RecordedEvent) => e.type.startsWith('inventory.Resource') || (e.type.startsWith('guardrails.') && !e.type.includes('Finding') && !e.type.includes('ComplianceState')),
      );
      if (relevant.length) await evaluator.handle(relevant);
    }
    await project();
  };
  const run = (values: unknown[]) =>
    onboardTenants(store, tenant).then(() => ingest(store, itemsOf(values), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false }));
  const stateOf = async (resource: { id: string }) =>
    (await db.sql.query<{ state: string; reason: string }>(`SELECT doc->>'state' AS state, doc->>'reason' AS reason FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'resourceKey' = $2`, [tenant, keyOf(resource)]))
      .rows[0];
  const openFindings = async () =>
    (await db.sql.query<{ doc: FindingEntry }>(`SELECT doc FROM "${schema}".findings WHERE tenant_id = $1 AND doc->>'status' = 'open' ORDER BY id`, [tenant])).rows.map((r) => r.doc.resourceKey);

  beforeAll(async () => {
    db = await pgliteTestDatabase('resource-groups');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    runners = platformProjections().map((p) => new ProjectionRunner(store, db.sql, p, { schema }));
    for (const r of runners) await r.prepare();
    evaluator = new GuardrailEvaluator({ eventStore: store, readModels: db.sql }, { schema, catalog, now: () => now, inventory: inventoryReader(db.sql, schema) });
    await handleCommand(
      store,
      tenantGuardrailsDecider(catalog),
      tenantGuardrailsStreamId(tenant),
      { kind: 'AssignBaseline', assignmentId: 'tags', baselineId: 'tagging', scope: '*' },
      { tenantId: tenant, actor: { kind: 'user', id: 'ana@contoso.example' }, correlationId: 'c', causationId: null, now },
    );
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('before the inventory holds the resource group, a resource the rule asks it about is not evaluable, and says why', async () => {
    await run([untagged, tagged, elsewhere]);
    await settle();
    expect((await stateOf(tagged))?.state).toBe('compliant'); // has the tag: the group is never read
    for (const resource of [untagged, elsewhere]) {
      const state = await stateOf(resource);
      expect(state?.state).toBe('error');
      expect(state?.reason).toMatch(/resourceGroup\(\)\.tags/);
    }
    expect(await openFindings()).toEqual([]);
  });

  it('once the resource group is ingested, the resource without its tag is non-compliant and has a finding; the tagged one is compliant', async () => {
    await run([group('rg-finance', { costCenter: 'CC-42' })]);
    await settle();
    expect((await stateOf(untagged))?.state).toBe('nonCompliant');
    expect((await stateOf(tagged))?.state).toBe('compliant');
    expect((await stateOf(elsewhere))?.state).toBe('error'); // its group is not in the inventory: never a guess
    expect(await openFindings()).toEqual([keyOf(untagged)]);
  });

  it('a group and its resources in one batch: the resources see the group', async () => {
    const sandboxed = storage('rg-sandbox', 'stsandbox1');
    await run([sandboxed, group('rg-sandbox', { costCenter: 'CC-7' })]);
    await settle();
    expect((await stateOf(sandboxed))?.state).toBe('nonCompliant');
  });

  it('when the group loses its tag, there is nothing to inherit: the finding resolves', async () => {
    await run([group('rg-finance', { owner: 'finance' })]);
    await settle();
    expect((await stateOf(untagged))?.state).toBe('compliant');
    expect(await openFindings()).toEqual([keyOf(storage('rg-sandbox', 'stsandbox1'))]);
  });

  it('evaluating the whole tenant gives each resource its own group', async () => {
    await run([group('rg-finance', { costCenter: 'CC-43' })]);
    await project(); // read models only: the tenant-wide evaluation finds the group there
    await evaluator.evaluateTenant(tenant);
    await project();
    expect((await stateOf(untagged))?.state).toBe('nonCompliant');
    expect((await stateOf(tagged))?.state).toBe('compliant');
    expect((await stateOf(elsewhere))?.state).toBe('error');
  });

  it('replaying the built-in over the history judges each resource by its group as recorded then', async () => {
    const result = await replayPolicy({ eventStore: store }, tenant, INHERIT_TAG, { parameters: { tagName: 'costCenter' } });
    if (!result.ok) throw new Error(result.refusal.message);
    const groupChanges = (await store.readAll({ filter: { tenantId: tenant, eventTypes: ['inventory.ResourceDiscovered.v1', 'inventory.ResourceConfigurationChanged.v1'] } })).events
      .filter((e) => (e.data as { resourceKey: string }).resourceKey === `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-finance`)
      .map((e) => e.recordedAt);
    expect(groupChanges).toHaveLength(3); // discovered with the tag, tag removed, tag back
    const intervalsOf = (resource: { id: string }) =>
      result.replay.intervals.filter((i) => i.resourceKey === keyOf(resource)).map(({ state, from, to }) => ({ state, from, to }));
    expect(intervalsOf(untagged)).toEqual([
      { state: 'error', from: expect.any(String), to: groupChanges[0] },
      { state: 'nonCompliant', from: groupChanges[0], to: groupChanges[1] },
      { state: 'nonCompliant', from: groupChanges[2], to: null },
    ]);
    expect(intervalsOf(tagged)).toEqual([]);
    expect(intervalsOf(elsewhere)).toEqual([expect.objectContaining({ state: 'error', to: null })]);
  });
});
