// The attribution Azure reports for a change is an optional, later addition to the resource events:
// events recorded before it must read and fold exactly as they did.
import type { RecordedEvent } from '@rampart/event-sourcing';
import { configurationAfter } from './configuration';
import {
  isReportedChange,
  isResourceConfigurationChanged,
  reportedChangesOf,
  type ReportedChange,
  type ResourceConfigurationChanged,
  type ResourceDiscovered,
  type ResourceRemoved,
} from './events';

const id = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st';
const key = id.toLowerCase();
const type = 'microsoft.storage/storageaccounts';
const byAna: ReportedChange = {
  source: 'azure-resource-graph',
  changeId: '08584889377081305807_38788020',
  changeType: 'Update',
  changedAt: '2026-03-01T10:00:00.000Z',
  changedBy: 'ana@contoso.example',
  changedByType: 'User',
  clientType: 'Azure Portal',
  operation: 'microsoft.storage/storageaccounts/write',
  correlationId: '04ff69b3-e162-4583-9cd7-1a14a1ec2c61',
};

const discoveredBefore: ResourceDiscovered = {
  type: 'inventory.ResourceDiscovered.v1',
  data: { resourceKey: key, id, type, configuration: { properties: { minimumTlsVersion: 'TLS1_0' } }, contentHash: 'h1', runId: 'run-1' },
};
const changedWithout: ResourceConfigurationChanged = {
  type: 'inventory.ResourceConfigurationChanged.v1',
  data: { resourceKey: key, id, type, patch: [{ op: 'replace', path: '/properties/minimumTlsVersion', value: 'TLS1_2' }], beforeHash: 'h1', afterHash: 'h2', runId: 'run-2' },
};
const changedWith: ResourceConfigurationChanged = { ...changedWithout, data: { ...changedWithout.data, reportedChanges: [byAna] } };
const removedWith: ResourceRemoved = {
  type: 'inventory.ResourceRemoved.v1',
  data: { resourceKey: key, id, type, lastHash: 'h2', runId: 'run-3', reportedChanges: [{ ...byAna, changeId: 'c-3', changeType: 'Delete' }] },
};

describe('changes as the cloud reported them', () => {
  it('fold the same with or without attribution: it is data about the change, not configuration', () => {
    expect(configurationAfter([discoveredBefore, changedWith])).toEqual(configurationAfter([discoveredBefore, changedWithout]));
    expect(configurationAfter([discoveredBefore, changedWith, removedWith])).toEqual({ exists: false, lastHash: 'h2' });
  });

  it('are none for events recorded before the field existed, and the type guards still narrow them', () => {
    const old = changedWithout as unknown as Pick<RecordedEvent, 'type' | 'data'>;
    expect(isResourceConfigurationChanged(old)).toBe(true);
    expect(reportedChangesOf(changedWithout)).toEqual([]);
    expect(reportedChangesOf(discoveredBefore)).toEqual([]);
  });

  it('are read from events that carry them, and a malformed entry is left out rather than trusted', () => {
    expect(reportedChangesOf(changedWith)).toEqual([byAna]);
    const damaged = { ...changedWith, data: { ...changedWith.data, reportedChanges: [byAna, { changeId: 'x', changedAt: 3 }] } } as unknown as ResourceConfigurationChanged;
    expect(reportedChangesOf(damaged)).toEqual([byAna]);
  });

  it('need a source, an id, a change type and a time; everything else is optional text', () => {
    expect(isReportedChange({ source: 'azure-resource-graph', changeId: 'c', changeType: 'Create', changedAt: '2026-03-01T10:00:00Z' })).toBe(true);
    expect(isReportedChange({ ...byAna, changeType: 'Patch' })).toBe(false);
    expect(isReportedChange({ ...byAna, changedBy: 42 })).toBe(false);
    expect(isReportedChange({ ...byAna, source: 'aws-config' })).toBe(false);
    expect(isReportedChange(null)).toBe(false);
  });
});
