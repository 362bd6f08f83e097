// The fast answer to "what does the log hold now?" (read model + log after its checkpoint) must be
// exactly the slow one (the whole log), however far behind the projection is.
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { ingest, itemsOf, presentResourceHashes, presentResourcesFromReadModel } from '@rampart/ingestion';
import { platformProjections } from './projections';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const resource = (n: number, sku = 'Standard_LRS') => ({
  id: `/subscriptions/sub-${n % 2}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st${n}`,
  name: `st${n}`,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  sku: { name: sku },
  properties: { allowBlobPublicAccess: n % 3 === 0 },
});

describe('present resources from the read model', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let runner: ProjectionRunner;
  const readSchema = 'present_read';
  const run = (tenantId: string, values: unknown[], complete = true) =>
    onboardTenants(store, tenantId).then(() => ingest(store, itemsOf(values), { tenantId, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete }));

  beforeAll(async () => {
    db = await pgliteTestDatabase('present');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    const inventory = platformProjections().find((p) => p.name === 'resource-inventory')!;
    runner = new ProjectionRunner(store, db.sql, inventory, { schema: readSchema });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  const both = async (tenantId: string, scope = '*') => ({
    fast: await presentResourcesFromReadModel({ eventStore: store, readModels: db.sql }, readSchema)(tenantId, scope),
    slow: await presentResourceHashes(store, tenantId, scope),
  });

  it('falls back to the log when the projection does not exist yet', async () => {
    await run('acme', [1, 2, 3].map((n) => resource(n)));
    const { fast, slow } = await both('acme');
    expect(fast.size).toBe(3);
    expect(fast).toEqual(slow);
  });

  it('adds the changes, removals and discoveries the projection has not applied yet', async () => {
    await runner.prepare();
    await runner.rebuild();
    // Behind the checkpoint now: one changed, one removed, two new, and another tenant's noise.
    await run('acme', [resource(1, 'Premium_LRS'), resource(3), resource(4), resource(5)]);
    await run('globex', [resource(1)]);
    const { fast, slow } = await both('acme');
    expect([...fast.keys()].sort()).toEqual([1, 3, 4, 5].map((n) => resource(n).id.toLowerCase()).sort());
    expect(fast).toEqual(slow);
    expect((await both('acme', '/subscriptions/sub-1')).fast).toEqual((await both('acme', '/subscriptions/sub-1')).slow);

    await runner.rebuild();
    expect((await both('acme')).fast).toEqual(slow);

    // And the read model is what it reads up to the checkpoint (not the whole log again).
    await db.sql.query(`UPDATE "${readSchema}".resource_inventory SET doc = jsonb_set(doc, '{contentHash}', '"marked"') WHERE id = $1`, [
      `acme|${resource(4).id.toLowerCase()}`,
    ]);
    expect((await both('acme')).fast.get(resource(4).id.toLowerCase())).toBe('marked');
  });
});
