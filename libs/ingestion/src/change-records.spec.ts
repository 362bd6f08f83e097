import type { AzureChangeRecord } from '@rampart/inventory-azure';
import { configurationOf, normaliseArmResource, type ResourceSnapshot } from '@rampart/inventory';
import { changedResources, parsePropertyPath, planFeed, rebuildHistory, reportedChangeOf, undoChange } from './change-records';

const id = '/subscriptions/11111111-aaaa-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
const record = (changeType: AzureChangeRecord['changeType'], timestamp: string, changes: AzureChangeRecord['changes'] = {}, extra: Partial<AzureChangeRecord> = {}): AzureChangeRecord => ({
  changeId: `c-${timestamp}`,
  targetResourceId: id,
  subscriptionId: '11111111-aaaa-4000-8000-000000000001',
  changeType,
  timestamp,
  changedBy: 'ana@contoso.example',
  clientType: 'Azure Portal',
  operation: 'microsoft.storage/storageaccounts/write',
  correlationId: 'corr-1',
  previousResourceSnapshotId: 'snap-1',
  changes,
  ...extra,
});
const snapshot = (body: Record<string, unknown>): ResourceSnapshot => {
  const result = normaliseArmResource({ id, type: 'Microsoft.Storage/storageAccounts', name: 'st', location: 'westeurope', ...body });
  if (!result.ok) throw new Error(result.reason);
  return result.resource;
};
const update = (path: string, previousValue: string, newValue: string, propertyChangeType: 'Insert' | 'Update' | 'Remove' = 'Update') => ({
  [path]: { previousValue, newValue, propertyChangeType, isTruncated: false },
});

describe('a change record as attribution', () => {
  it('keeps who, how, when and the correlation id, and nothing of the changed values or snapshots', () => {
    const r = record('Update', '2026-03-01T10:00:00.000Z', update('properties.connectionString', 'AccountKey=old', 'AccountKey=new'));
    expect(reportedChangeOf(r)).toEqual({
      source: 'azure-resource-graph',
      changeId: 'c-2026-03-01T10:00:00.000Z',
      changeType: 'Update',
      changedAt: '2026-03-01T10:00:00.000Z',
      changedBy: 'ana@contoso.example',
      clientType: 'Azure Portal',
      operation: 'microsoft.storage/storageaccounts/write',
      correlationId: 'corr-1',
    });
    expect(JSON.stringify(reportedChangeOf(r))).not.toMatch(/AccountKey|snap-1/);
  });
});

describe('what a feed does with the resources its records name', () => {
  const other = `${id}2`;
  const records = [
    record('Update', '2026-03-01T10:00:00.000Z'),
    record('Create', '2026-03-01T10:01:00.000Z', {}, { targetResourceId: other.toUpperCase() }),
    record('Update', '2026-03-01T10:02:00.000Z'),
  ];

  it('groups records by resource (ids compared case-insensitively) and subscription, oldest first', () => {
    const [group] = [...changedResources(records).values()];
    expect(group.map((r) => [r.resourceKey, r.records.length])).toEqual([[id.toLowerCase(), 2], [other.toLowerCase(), 1]]);
  });

  it('observes what is there now with all its records, removes what a Delete left absent, and concludes nothing of the rest', () => {
    const gone = `${id}-gone`;
    const late = `${id}-late`;
    const changed = [...changedResources([...records, record('Delete', '2026-03-01T10:03:00.000Z', {}, { targetResourceId: gone }), record('Create', '2026-03-01T10:04:00.000Z', {}, { targetResourceId: late })]).values()][0];
    const plan = planFeed(changed, [{ id: id.toUpperCase(), type: 'microsoft.storage/storageaccounts' }, { id: other }]);
    expect(plan.observe.map((o) => [String(o.row['id']).toLowerCase(), o.reportedChanges.map((c) => c.changedAt)])).toEqual([
      [id.toLowerCase(), ['2026-03-01T10:00:00.000Z', '2026-03-01T10:02:00.000Z']],
      [other.toLowerCase(), ['2026-03-01T10:01:00.000Z']],
    ]);
    expect(plan.remove).toEqual([{ resourceKey: gone.toLowerCase(), reportedChanges: [expect.objectContaining({ changeType: 'Delete' })] }]);
    expect(plan.unresolved).toEqual([late.toLowerCase()]);
  });
});

describe('rebuilding a resource\'s history from its records', () => {
  it('reads Azure\'s property paths', () => {
    expect(parsePropertyPath('properties.networkAcls.ipRules[0].value')).toEqual(['properties', 'networkAcls', 'ipRules', 0, 'value']);
    expect(parsePropertyPath('tags.env')).toEqual(['tags', 'env']);
    expect(parsePropertyPath('[0]')).toBeUndefined();
  });

  it('undoes an update, an insert and a removal, keeping each value\'s type', () => {
    const now = snapshot({ tags: { env: 'prod' }, properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, networkAcls: { ipRules: [{ value: '10.0.0.0/8' }, { value: '203.0.113.0/24' }] } } });
    const before = undoChange(now, {
      ...update('properties.minimumTlsVersion', 'TLS1_0', 'TLS1_2'),
      ...update('properties.allowBlobPublicAccess', 'true', 'false'),
      ...update('tags.env', 'null', 'prod', 'Insert'),
      ...update('properties.networkAcls.ipRules[1].value', 'null', '203.0.113.0/24', 'Insert'),
      ...update('properties.supportsHttpsTrafficOnly', 'true', 'null', 'Remove'),
    });
    expect(before?.properties).toEqual({ minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, supportsHttpsTrafficOnly: true, networkAcls: { ipRules: [{ value: '10.0.0.0/8' }, {}] } });
    expect(before?.tags).toEqual({});
    expect(now.properties['minimumTlsVersion']).toBe('TLS1_2'); // the current body is left as it was
  });

  it('refuses to undo what it cannot undo exactly: a value cut short, a path not there, a type that does not fit', () => {
    const now = snapshot({ properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false } });
    expect(undoChange(now, { 'properties.minimumTlsVersion': { previousValue: 'TLS1_', newValue: 'TLS1_2', propertyChangeType: 'Update', isTruncated: true } })).toBeUndefined();
    expect(undoChange(now, update('properties.missing', 'a', 'b'))).toBeUndefined();
    expect(undoChange(now, update('properties.allowBlobPublicAccess', 'maybe', 'false'))).toBeUndefined();
  });

  it('walks back from the current body to the Create, each Update giving the body before it', () => {
    const now = snapshot({ properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false } });
    const created = record('Create', '2026-03-01T09:00:00.000Z');
    const tls = record('Update', '2026-03-01T10:00:00.000Z', update('properties.minimumTlsVersion', 'TLS1_0', 'TLS1_2'));
    const blob = record('Update', '2026-03-01T11:00:00.000Z', update('properties.allowBlobPublicAccess', 'true', 'false'));
    const history = rebuildHistory(now, [created, tls, blob]);
    expect(history.start.record).toBe(created);
    expect(configurationOf(history.start.snapshot)).toMatchObject({ properties: { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true } });
    expect(history.changes.map((c) => [c.record.timestamp, (c.snapshot.properties as Record<string, unknown>)['minimumTlsVersion'], (c.snapshot.properties as Record<string, unknown>)['allowBlobPublicAccess']])).toEqual([
      ['2026-03-01T10:00:00.000Z', 'TLS1_2', true],
      ['2026-03-01T11:00:00.000Z', 'TLS1_2', false],
    ]);
    expect(history.changes[1].snapshot).toBe(now);
    expect(history.dropped).toBe(0);
  });

  it('starts where it had to stop, without a Create, and counts what it left out', () => {
    const now = snapshot({ properties: { minimumTlsVersion: 'TLS1_2' } });
    const cut = record('Update', '2026-03-01T10:00:00.000Z', { 'properties.minimumTlsVersion': { previousValue: 'TLS1_', newValue: 'TLS1_1', isTruncated: true } });
    const tls = record('Update', '2026-03-01T11:00:00.000Z', update('properties.minimumTlsVersion', 'TLS1_1', 'TLS1_2'));
    const history = rebuildHistory(now, [record('Create', '2026-03-01T09:00:00.000Z'), cut, tls]);
    expect(history.start.record).toBeUndefined();
    expect(history.start.snapshot.properties['minimumTlsVersion']).toBe('TLS1_1');
    expect(history.changes.map((c) => c.record)).toEqual([tls]);
    expect(history.dropped).toBe(2);
  });
});
