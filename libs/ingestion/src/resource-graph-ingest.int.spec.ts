// A tenant's Azure connection ingested through the real Resource Graph SDK against a replayed
// conversation: pages, a throttled request, and a subscription the credential may not read.
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { rewritingHttpClient, startReplayServer, staticTokenCredential, type ReplayServer } from '@rampart/inventory-azure/testing';
import { DEFAULT_TABLES } from '@rampart/inventory-azure';
import { ingestAzureConnection, type AzureConnection } from './resource-graph-ingest';

const SUB_OK = '11111111-aaaa-4000-8000-000000000001';
const SUB_DENIED = '44444444-dddd-4000-8000-000000000004';
const SUB_UNDER_GROUP = '22222222-bbbb-4000-8000-000000000002';
const connection: AzureConnection = { connectionId: 'prod', subscriptions: [SUB_OK, SUB_DENIED] };

describe('ingesting an Azure connection through Resource Graph', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let replay: ReplayServer;
  const sleeps: number[] = [];
  beforeAll(async () => {
    db = await pgliteTestDatabase('arg');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    replay = await startReplayServer({
      subscriptions: [SUB_OK, SUB_DENIED, SUB_UNDER_GROUP],
      failingSubscriptions: [SUB_DENIED],
      throttledRequests: [2],
      retryAfterSeconds: 3,
      managementGroups: { 'mg-retail': [SUB_UNDER_GROUP, SUB_OK] },
      failingManagementGroups: ['mg-locked'],
    });
  });
  afterAll(async () => {
    await replay.close();
    await store.close();
    await db.dispose();
  });

  const source = () => ({
    credential: staticTokenCredential(),
    endpoint: 'https://resourcegraph.test',
    httpClient: rewritingHttpClient(replay.url),
    pageSize: 10,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  });

  it('records every row of a readable subscription and reports the one it cannot read', async () => {
    const results = (await ingestAzureConnection(store, 'acme', connection, source(), { standing: async () => undefined })).subscriptions;
    const ok = results.find((r) => r.subscriptionId === SUB_OK)!;
    const denied = results.find((r) => r.subscriptionId === SUB_DENIED)!;
    const expected = DEFAULT_TABLES.flatMap((t) => replay.expectedRows(t, [SUB_OK]));
    expect(ok.result?.counts).toMatchObject({ seen: expected.length, rejected: 0, discovered: expected.length });
    expect(sleeps).toContain(3_000); // the 429 was waited out
    expect(replay.requests.some((r) => r.skipToken)).toBe(true); // paged
    expect(denied.result).toBeUndefined();
    expect(denied.failures[0].error).toMatch(/AuthorizationFailed/);
    const runs = await store.readAll({ filter: { tenantId: 'acme', eventTypes: ['inventory.IngestionRunFailed.v1', 'inventory.IngestionRunCompleted.v1'] } });
    expect(runs.events.map((e) => e.type).sort()).toEqual(['inventory.IngestionRunCompleted.v1', 'inventory.IngestionRunFailed.v1']);

    // the same conversation again records nothing new for the readable subscription
    const again = (await ingestAzureConnection(store, 'acme', connection, source(), { standing: async () => undefined })).subscriptions;
    expect(again.find((r) => r.subscriptionId === SUB_OK)?.result?.counts).toMatchObject({ discovered: 0, changed: 0, removed: 0, unchanged: expected.length });
  });

  it('expands management groups into their subscriptions, each once, and reports a group it cannot read', async () => {
    const grouped: AzureConnection = { connectionId: 'retail', subscriptions: [SUB_OK], managementGroups: ['mg-retail', 'mg-locked'] };
    const outcome = await ingestAzureConnection(store, 'globex', grouped, source(), { standing: async () => undefined });
    expect(outcome.subscriptions.map((r) => r.subscriptionId).sort()).toEqual([SUB_OK, SUB_UNDER_GROUP].sort());
    const underGroup = outcome.subscriptions.find((r) => r.subscriptionId === SUB_UNDER_GROUP)!;
    const expected = DEFAULT_TABLES.flatMap((t) => replay.expectedRows(t, [SUB_UNDER_GROUP]));
    expect(underGroup.result?.counts).toMatchObject({ discovered: expected.length, rejected: 0 });
    expect(outcome.managementGroupFailures).toEqual([{ managementGroup: 'mg-locked', error: expect.stringMatching(/AuthorizationFailed/) }]);
    const scoped = replay.requests.filter((r) => r.managementGroups.length > 0);
    expect(scoped.map((r) => r.managementGroups[0])).toEqual(expect.arrayContaining(['mg-retail', 'mg-locked']));
  });
});
