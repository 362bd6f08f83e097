import { changeRecordsQuery, IDS_PER_QUERY, parseChangeRecord, resourcesByIdQuery } from './resource-changes';

// A row as Resource Graph's `resourcechanges` table returns it (the documented change resource).
const target = '/subscriptions/11111111-aaaa-4000-8000-000000000001/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp';
const row = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: `${target}/providers/Microsoft.Resources/changes/08584889377081305807_38788020`,
  name: '08584889377081305807_38788020',
  type: 'microsoft.resources/changes',
  subscriptionId: '11111111-AAAA-4000-8000-000000000001',
  resourceGroup: 'rg-app',
  properties,
  ...extra,
});
const update = {
  targetResourceId: target,
  targetResourceType: 'microsoft.storage/storageaccounts',
  changeType: 'Update',
  changeAttributes: {
    previousResourceSnapshotId: '08584889383111245807_1',
    newResourceSnapshotId: '08584889377081305807_2',
    correlationId: '04ff69b3-e162-4583-9cd7-1a14a1ec2c61',
    changedByType: 'User',
    changesCount: 2,
    clientType: 'Azure Portal',
    changedBy: 'ana@contoso.example',
    operation: 'microsoft.storage/storageaccounts/write',
    timestamp: '2026-03-01T13:26:17.347+00:00',
  },
  changes: {
    'properties.minimumTlsVersion': { newValue: 'TLS1_2', previousValue: 'TLS1_0', changeCategory: 'User', propertyChangeType: 'Update' },
    'tags.env': { newValue: 'prod', previousValue: 'null', changeCategory: 'User', propertyChangeType: 'Insert', isTruncated: 'true' },
  },
};

describe('change records', () => {
  it('read who, how and when from a row, and each changed property', () => {
    const parsed = parseChangeRecord(row(update));
    expect(parsed).toEqual({
      ok: true,
      record: {
        changeId: '08584889377081305807_38788020',
        targetResourceId: target,
        targetResourceType: 'microsoft.storage/storageaccounts',
        subscriptionId: '11111111-aaaa-4000-8000-000000000001',
        changeType: 'Update',
        timestamp: '2026-03-01T13:26:17.347Z',
        changedBy: 'ana@contoso.example',
        changedByType: 'User',
        clientType: 'Azure Portal',
        operation: 'microsoft.storage/storageaccounts/write',
        correlationId: '04ff69b3-e162-4583-9cd7-1a14a1ec2c61',
        previousResourceSnapshotId: '08584889383111245807_1',
        newResourceSnapshotId: '08584889377081305807_2',
        changes: {
          'properties.minimumTlsVersion': { newValue: 'TLS1_2', previousValue: 'TLS1_0', changeCategory: 'User', propertyChangeType: 'Update', isTruncated: false },
          'tags.env': { newValue: 'prod', previousValue: 'null', changeCategory: 'User', propertyChangeType: 'Insert', isTruncated: true },
        },
      },
    });
  });

  it('read a Delete, which has no snapshot after it and no changed properties', () => {
    const { newResourceSnapshotId: _none, ...attributes } = update.changeAttributes;
    const parsed = parseChangeRecord(row({ targetResourceId: target, changeType: 'Delete', changeAttributes: attributes, changes: {} }));
    expect(parsed.ok && parsed.record).toMatchObject({ changeType: 'Delete', changes: {} });
    expect(parsed.ok && parsed.record.newResourceSnapshotId).toBeUndefined();
  });

  it('refuse a row that names no resource, no known change type or no time', () => {
    expect(parseChangeRecord(row({ ...update, targetResourceId: undefined }))).toMatchObject({ ok: false });
    expect(parseChangeRecord(row({ ...update, changeType: 'Patch' }))).toMatchObject({ ok: false, reason: expect.stringMatching(/changeType/) });
    expect(parseChangeRecord(row({ ...update, changeAttributes: {} }))).toMatchObject({ ok: false, reason: expect.stringMatching(/timestamp/) });
    expect(parseChangeRecord({ id: 'x' })).toMatchObject({ ok: false });
  });
});

describe('queries', () => {
  it('ask for the records after a point, oldest first in a stable order', () =>
    expect(changeRecordsQuery(new Date('2026-03-01T10:00:00Z'))).toBe(
      'resourcechanges | extend changeTime = todatetime(properties.changeAttributes.timestamp) | where changeTime > datetime(2026-03-01T10:00:00.000Z) | order by changeTime asc, id asc',
    ));

  it('ask for resources by id with quotes and backslashes kept inside their literals', () => {
    expect(resourcesByIdQuery(['/subscriptions/s/a', "/subscriptions/s/it's\\x"])).toBe(
      "resources | where id in~ ('/subscriptions/s/a', '/subscriptions/s/it\\'s\\\\x') | order by id asc",
    );
    expect(() => resourcesByIdQuery([])).toThrow(RangeError);
    expect(() => resourcesByIdQuery(Array.from({ length: IDS_PER_QUERY + 1 }, (_, i) => `/subscriptions/s/${i}`))).toThrow(RangeError);
    expect(() => resourcesByIdQuery(['/subscriptions/s/a\n| take 1'])).toThrow(RangeError);
  });
});
