// Change records and resources by id through the real @azure/arm-resourcegraph client against the
// replayed Resource Graph: the records Azure keeps for a create, an update and a delete, paged; a
// record that Azure lost or delayed; the current bodies of just the resources that changed.
import { readChangeRecords, readResourcesById } from './resource-changes';
import type { ResourceGraphSourceOptions } from './resource-graph-source';
import { rewritingHttpClient, startReplayServer, staticTokenCredential, type ReplayServer } from './testing';

const SUB = '11111111-aaaa-4000-8000-000000000001';
const SUB_DENIED = '44444444-dddd-4000-8000-000000000004';

describe('change records from Resource Graph', () => {
  let replay: ReplayServer;
  let options: ResourceGraphSourceOptions;
  beforeAll(async () => {
    replay = await startReplayServer({ subscriptions: [SUB, SUB_DENIED], failingSubscriptions: [SUB_DENIED] });
    options = { credential: staticTokenCredential(), endpoint: 'https://resourcegraph.test', httpClient: rewritingHttpClient(replay.url), pageSize: 2, sleep: async () => undefined };
  });
  afterAll(() => replay.close());

  const resources = () => replay.tables['resources'];
  const storage = () => resources().find((r) => String(r['type']) === 'microsoft.storage/storageaccounts')!;

  it('reads the records of a create, an update and a delete after a point, oldest first, across pages', async () => {
    const before = storage();
    const created = { ...before, id: `${String(before['id'])}new`, name: `${String(before['name'])}new` };
    const victim = resources().find((r) => String(r['type']) === 'microsoft.network/publicipaddresses')!;
    replay.applyChange({ changeType: 'Update', resource: { ...before, properties: { ...(before['properties'] as object), minimumTlsVersion: 'TLS1_2' }, tags: { env: 'prod' } }, at: '2026-03-01T10:00:00Z', changedBy: 'ana@contoso.example', clientType: 'Azure Portal' });
    replay.applyChange({ changeType: 'Create', resource: created, at: '2026-03-01T10:05:00Z', changedBy: 'deploy-pipeline', clientType: 'ARM Template' });
    replay.applyChange({ changeType: 'Delete', id: String(victim['id']), at: '2026-03-01T10:10:00Z', changedBy: 'bob@contoso.example', clientType: 'Azure CLI' });

    const read = await readChangeRecords([SUB, SUB_DENIED], new Date('2026-03-01T09:00:00Z'), options);
    expect(read.records.map((r) => [r.changeType, r.changedBy])).toEqual([
      ['Update', 'ana@contoso.example'],
      ['Create', 'deploy-pipeline'],
      ['Delete', 'bob@contoso.example'],
    ]);
    const [update, , deletion] = read.records;
    expect(update.changes['properties.minimumTlsVersion']).toMatchObject({ previousValue: String((before['properties'] as Record<string, unknown>)['minimumTlsVersion'] ?? 'null'), newValue: 'TLS1_2' });
    expect(update.changes['tags.env']).toMatchObject({ previousValue: 'null', newValue: 'prod', propertyChangeType: 'Insert' });
    expect(deletion.newResourceSnapshotId).toBeUndefined();
    expect(deletion.previousResourceSnapshotId).toBeDefined();
    expect(read.failures).toEqual([{ subscriptionId: SUB_DENIED, error: expect.stringMatching(/AuthorizationFailed/) }]);
    expect(replay.requests.some((r) => r.query.startsWith('resourcechanges') && r.skipToken)).toBe(true); // paged

    // after the point of the last record, nothing
    expect((await readChangeRecords([SUB], new Date(deletion.timestamp), options)).records).toEqual([]);
  });

  it('shows no record for a lost change, and a delayed one only once released, with its own time', async () => {
    const st = storage();
    replay.applyChange({ changeType: 'Update', resource: { ...st, tags: { env: 'lost' } }, at: '2026-03-02T10:00:00Z', record: 'lost' });
    replay.applyChange({ changeType: 'Update', resource: { ...st, tags: { env: 'late' } }, at: '2026-03-02T10:01:00Z', record: 'delayed' });
    expect((await readChangeRecords([SUB], new Date('2026-03-02T00:00:00Z'), options)).records).toEqual([]);
    expect(replay.releaseDelayedChanges()).toBe(1);
    const late = await readChangeRecords([SUB], new Date('2026-03-02T00:00:00Z'), options);
    expect(late.records.map((r) => r.timestamp)).toEqual(['2026-03-02T10:01:00.000Z']);
  });

  it('fetches the current bodies of just the resources named, ids compared case-insensitively', async () => {
    const wanted = resources().slice(0, 3).map((r) => String(r['id']));
    const rows = await readResourcesById(SUB, [...wanted.map((id) => id.toUpperCase()), `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/gone`], options);
    expect(rows.map((r) => String(r['id']).toLowerCase()).sort()).toEqual(wanted.map((id) => id.toLowerCase()).sort());
    expect(replay.requests.filter((r) => r.query.startsWith('resources | where id in~')).every((r) => r.status === 200)).toBe(true);
  });
});
