// A connection collected the way the scheduler does it, through the real Resource Graph SDK against
// the replayed Resource Graph: its first collection records the history Azure still keeps, then
// only the change records since its point are read (an update, a create, a delete), records read
// twice or after a crash add nothing, and a change Azure kept no record of waits for the snapshot.
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import type { RecordedEvent } from '@rampart/event-sourcing';
import { resourceStreamId, RESOURCE_EVENT_TYPES } from '@rampart/inventory';
import { rewritingHttpClient, startReplayServer, staticTokenCredential, type ReplayServer } from '@rampart/inventory-azure/testing';
import { collectAzureChanges, collectAzureConnection, connectionCollection, snapshotAzureConnection } from './azure-collection';
import type { AzureConnection } from './resource-graph-ingest';

const SUB = '11111111-aaaa-4000-8000-000000000001';
const connection: AzureConnection = { connectionId: 'prod', subscriptions: [SUB] };
const standing = async () => undefined;
const schedule = { snapshotIntervalMs: 24 * 3_600_000, changesIntervalMs: 10 * 60_000, passIntervalMs: 10 * 60_000 };

describe('collecting a connection from its change records', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let replay: ReplayServer;
  beforeAll(async () => {
    db = await pgliteTestDatabase('changefeed');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    replay = await startReplayServer({ subscriptions: [SUB] });
  });
  afterAll(async () => {
    await replay.close();
    await store.close();
    await db.dispose();
  });

  const source = () => ({ credential: staticTokenCredential(), endpoint: 'https://resourcegraph.test', httpClient: rewritingHttpClient(replay.url), pageSize: 5, sleep: async () => undefined });
  const at = (iso: string) => () => new Date(iso);
  const rows = () => replay.tables['resources'];
  const rowOfType = (type: string) => rows().find((r) => r['type'] === type)!;
  const streamOf = async (id: string) => store.readStream(resourceStreamId('acme', id.toLowerCase()));
  const resourceEvents = async () => (await store.readAll({ filter: { tenantId: 'acme', eventTypes: RESOURCE_EVENT_TYPES }, maxCount: 10_000 })).events;
  const withProperty = (row: Record<string, unknown>, name: string, value: unknown) => ({ ...row, properties: { ...(row['properties'] as object), [name]: value } });
  const attribution = (e: RecordedEvent) => (e.data as { reportedChanges?: { changedBy?: string; changeType: string; changedAt: string }[] }).reportedChanges;

  const vaultId = () => String(rowOfType('microsoft.keyvault/vaults')['id']);
  const storageId = () => String(rowOfType('microsoft.storage/storageaccounts')['id']);

  it('backfills the history Azure keeps on a new connection, before its first snapshot, with Azure\'s times as data', async () => {
    // Before Rampart is connected: a vault created, then its purge protection turned on by Ana.
    const vault = rowOfType('microsoft.keyvault/vaults');
    replay.tables['resources'] = rows().filter((r) => r !== vault);
    const created = withProperty(vault, 'enablePurgeProtection', false);
    replay.applyChange({ changeType: 'Create', resource: created, at: '2026-03-05T09:00:00Z', changedBy: 'deploy-pipeline', clientType: 'ARM Template' });
    replay.applyChange({ changeType: 'Update', resource: withProperty(created, 'enablePurgeProtection', true), at: '2026-03-06T09:00:00Z', changedBy: 'ana@contoso.example', clientType: 'Azure Portal', operation: 'microsoft.keyvault/vaults/write' });
    // and one older than Azure keeps: not read
    replay.applyChange({ changeType: 'Update', resource: withProperty(rowOfType('microsoft.storage/storageaccounts'), 'minimumTlsVersion', 'TLS1_2'), at: '2026-02-01T09:00:00Z' });

    const outcome = await collectAzureConnection(store, 'acme', connection, source(), { standing, schedule, now: at('2026-03-15T00:00:00Z') });
    expect(outcome.mode).toBe('first');
    if (outcome.mode !== 'first') return;
    expect(outcome.backfill).toMatchObject({ records: 2, resources: 1, dropped: 0, failures: [], through: '2026-03-06T09:00:00.000Z' });

    const history = await streamOf(vaultId());
    expect(history.map((e) => [e.type, attribution(e)?.map((c) => [c.changeType, c.changedBy, c.changedAt])])).toEqual([
      ['inventory.ResourceDiscovered.v1', [['Create', 'deploy-pipeline', '2026-03-05T09:00:00.000Z']]],
      ['inventory.ResourceConfigurationChanged.v1', [['Update', 'ana@contoso.example', '2026-03-06T09:00:00.000Z']]],
    ]); // and the snapshot found the rebuilt configuration true: nothing after them
    expect((history[0].data as { configuration: { properties: Record<string, unknown> } }).configuration.properties['enablePurgeProtection']).toBe(false);
    expect(history[1].recordedAt).not.toBe('2026-03-06T09:00:00.000Z'); // recorded when Rampart recorded it
    // every other resource came from the snapshot, without attribution
    const storage = await streamOf(storageId());
    expect(storage.map((e) => [e.type, attribution(e)])).toEqual([['inventory.ResourceDiscovered.v1', undefined]]);
    expect(await connectionCollection(store, 'acme', 'prod')).toMatchObject({ backfilled: true, lastSnapshotAt: '2026-03-15T00:00:00.000Z', changesThrough: '2026-03-15T00:00:00.000Z' });
  });

  it('between snapshots, reads only the records since its point: an update, a create and a delete', async () => {
    const storage = rowOfType('microsoft.storage/storageaccounts');
    const ip = rowOfType('microsoft.network/publicipaddresses');
    const fresh = { ...storage, id: `${storageId()}2`, name: `${String(storage['name'])}2` };
    replay.applyChange({ changeType: 'Update', resource: withProperty(storage, 'allowBlobPublicAccess', true), at: '2026-03-15T00:20:00Z', changedBy: 'bob@contoso.example', clientType: 'Azure CLI', correlationId: 'corr-bob' });
    replay.applyChange({ changeType: 'Create', resource: fresh, at: '2026-03-15T00:21:00Z', changedBy: 'deploy-pipeline', clientType: 'ARM Template' });
    replay.applyChange({ changeType: 'Delete', id: String(ip['id']), at: '2026-03-15T00:22:00Z', changedBy: 'carol@contoso.example', clientType: 'Azure Portal' });
    const before = (await resourceEvents()).length;

    const outcome = await collectAzureConnection(store, 'acme', connection, source(), { standing, schedule, now: at('2026-03-15T00:30:00Z') });
    expect(outcome.mode).toBe('changes');
    if (outcome.mode !== 'changes') return;
    expect(outcome.changes).toMatchObject({ since: '2026-03-14T23:45:00.000Z', records: 3, unresolved: 0, failures: [], through: '2026-03-15T00:22:00.000Z' });
    expect(outcome.changes.runs.map((r) => r.result.counts)).toEqual([expect.objectContaining({ seen: 2, discovered: 1, changed: 1, removed: 1 })]);
    // just the named resources were fetched
    const byId = replay.requests.filter((r) => r.query.startsWith('resources | where id in~'));
    expect(byId.at(-1)?.query.match(/'\/subscriptions/g)).toHaveLength(3);

    const added = (await resourceEvents()).slice(before);
    expect(added.map((e) => [e.type, attribution(e)?.map((c) => c.changedBy)])).toEqual([
      ['inventory.ResourceDiscovered.v1', ['deploy-pipeline']],
      ['inventory.ResourceConfigurationChanged.v1', ['bob@contoso.example']],
      ['inventory.ResourceRemoved.v1', ['carol@contoso.example']],
    ]);
    const changed = added.find((e) => e.type === 'inventory.ResourceConfigurationChanged.v1')!;
    expect(changed.data).toMatchObject({ patch: [{ op: 'add', path: '/properties/allowBlobPublicAccess', value: true }], reportedChanges: [{ correlationId: 'corr-bob', clientType: 'Azure CLI', operation: 'microsoft.storage/storageaccounts/write' }] });
    // a partial run: the rest of the subscription is not concluded to be gone
    const run = (await store.readStream(`t-acme:ingestion-${outcome.changes.runs[0].result.runId}`))[0];
    expect(run.data).toMatchObject({ complete: false, scope: `/subscriptions/${SUB}` });
  });

  it('reads overlapping records again without recording anything twice', async () => {
    const before = (await resourceEvents()).length;
    const collectionBefore = (await store.readStream('t-acme:collection-prod')).length;
    const again = await collectAzureChanges(store, 'acme', connection, source(), { standing, now: at('2026-03-15T00:40:00Z') });
    expect(again.records).toBe(3); // the overlap reads them again
    expect(again.runs).toEqual([]); // each already accounted for in its resource's stream
    expect((await resourceEvents()).length).toBe(before);
    expect((await store.readStream('t-acme:collection-prod')).length).toBe(collectionBefore); // the point did not move back, or again
  });

  it('converges after a crash between appending and recording the point', async () => {
    const vault = rowOfType('microsoft.keyvault/vaults');
    replay.applyChange({ changeType: 'Update', resource: withProperty(vault, 'enableRbacAuthorization', true), at: '2026-03-15T00:50:00Z', changedBy: 'dave@contoso.example' });
    const before = (await resourceEvents()).length;
    const crash = new Error('process killed');
    await expect(collectAzureChanges(store, 'acme', connection, source(), { standing, now: at('2026-03-15T01:00:00Z'), beforeRecordingPoint: async () => { throw crash; } })).rejects.toBe(crash);
    expect((await resourceEvents()).length).toBe(before + 1);
    expect((await connectionCollection(store, 'acme', 'prod')).changesThrough).toBe('2026-03-15T00:22:00.000Z'); // not moved

    const rerun = await collectAzureChanges(store, 'acme', connection, source(), { standing, now: at('2026-03-15T01:01:00Z') });
    expect(rerun.through).toBe('2026-03-15T00:50:00.000Z');
    expect((await resourceEvents()).length).toBe(before + 1);
    const vaultHistory = await streamOf(vaultId());
    expect(vaultHistory.filter((e) => attribution(e)?.some((c) => c.changedBy === 'dave@contoso.example'))).toHaveLength(1);
  });

  it('leaves a change Azure kept no record of to the next snapshot, and reads a late record within the overlap', async () => {
    const storage = rowOfType('microsoft.storage/storageaccounts');
    replay.applyChange({ changeType: 'Update', resource: withProperty(storage, 'minimumTlsVersion', 'TLS1_0'), at: '2026-03-15T01:10:00Z', record: 'lost' });
    const vault = rowOfType('microsoft.keyvault/vaults');
    replay.applyChange({ changeType: 'Update', resource: { ...vault, tags: { owner: 'erin' } }, at: '2026-03-15T01:11:00Z', changedBy: 'erin@contoso.example', record: 'delayed' });
    const before = (await resourceEvents()).length;
    const feed = await collectAzureChanges(store, 'acme', connection, source(), { standing, now: at('2026-03-15T01:15:00Z') });
    expect(feed.records).toBe(1); // only dave's, read again in the overlap and already accounted for
    expect((await resourceEvents()).length).toBe(before); // so Erin's change, whose record is late, is not put on Dave

    replay.releaseDelayedChanges(); // Azure's record arrives late, with its own time
    const late = await collectAzureChanges(store, 'acme', connection, source(), { standing, now: at('2026-03-15T01:20:00Z') });
    expect(late.through).toBe('2026-03-15T01:11:00.000Z');
    const afterLate = (await resourceEvents()).slice(before);
    expect(afterLate.map((e) => attribution(e)?.[0]?.changedBy)).toEqual(['erin@contoso.example']);

    const snapshot = await snapshotAzureConnection(store, 'acme', connection, source(), { standing, now: at('2026-03-16T00:00:00Z') });
    expect(snapshot.subscriptions[0].result?.counts).toMatchObject({ changed: 1, discovered: 0, removed: 0 });
    const reconciled = (await resourceEvents()).slice(before + 1);
    expect(reconciled.map((e) => [e.type, (e.data as { id: string }).id, attribution(e)])).toEqual([['inventory.ResourceConfigurationChanged.v1', storageId(), undefined]]);
    expect((reconciled[0].data as { patch: unknown }).patch).toEqual([{ op: 'replace', path: '/properties/minimumTlsVersion', value: 'TLS1_0' }]);
  });
});
