import type { RecordedEvent } from '@rampart/event-sourcing';
import { configurationAfter, evolveResourceConfiguration, initialResourceConfiguration, resourceStreamId } from './configuration';
import {
  isResourceConfigurationChanged,
  isResourceDiscovered,
  isResourceEvent,
  isResourceRemoved,
  RESOURCE_EVENT_TYPES,
  type ResourceConfigurationChanged,
  type ResourceDiscovered,
  type ResourceEvent,
  type ResourceRemoved,
} from './events';

const id = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/stapp';
const key = id.toLowerCase();
const type = 'microsoft.storage/storageaccounts';
const v1 = { name: 'stapp', properties: { minimumTlsVersion: 'TLS1_0', networkAcls: { defaultAction: 'Allow', ipRules: [] } } };

const discovered: ResourceDiscovered = {
  type: 'inventory.ResourceDiscovered.v1',
  data: { resourceKey: key, id, type, configuration: v1, contentHash: 'h1', runId: 'run-1' },
};
const changed: ResourceConfigurationChanged = {
  type: 'inventory.ResourceConfigurationChanged.v1',
  data: {
    resourceKey: key,
    id,
    type,
    patch: [
      { op: 'replace', path: '/properties/minimumTlsVersion', value: 'TLS1_2' },
      { op: 'replace', path: '/properties/networkAcls/defaultAction', value: 'Deny' },
      { op: 'add', path: '/properties/networkAcls/ipRules/0', value: { value: '203.0.113.0/24' } },
    ],
    beforeHash: 'h1',
    afterHash: 'h2',
    runId: 'run-2',
  },
};
const removed: ResourceRemoved = { type: 'inventory.ResourceRemoved.v1', data: { resourceKey: key, id, type, lastHash: 'h2', runId: 'run-3' } };

describe('the configuration after a resource\'s events', () => {
  it('is nothing before any event', () => expect(configurationAfter([])).toEqual({ exists: false }));

  it('is the discovered configuration, then that configuration with each change applied', () => {
    expect(configurationAfter([discovered])).toEqual({ exists: true, id, type, configuration: v1, hash: 'h1' });
    expect(configurationAfter([discovered, changed])).toEqual({
      exists: true,
      id,
      type,
      configuration: { name: 'stapp', properties: { minimumTlsVersion: 'TLS1_2', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }] } } },
      hash: 'h2',
    });
  });

  it('leaves the events it folds as they were', () => {
    const before = JSON.stringify(discovered);
    configurationAfter([discovered, changed]);
    expect(JSON.stringify(discovered)).toBe(before);
  });

  it('is gone after a removal, remembering the last hash, and back after a rediscovery', () => {
    expect(configurationAfter([discovered, changed, removed])).toEqual({ exists: false, lastHash: 'h2' });
    expect(configurationAfter([discovered, changed, removed, discovered])).toMatchObject({ exists: true, configuration: v1 });
  });

  it('ignores a change to a resource it has not seen (a stream read from its middle)', () => {
    expect(configurationAfter([changed])).toEqual({ exists: false });
  });

  it('folds one event at a time the same way', () => {
    const events: ResourceEvent[] = [discovered, changed, removed];
    expect(events.reduce(evolveResourceConfiguration, initialResourceConfiguration())).toEqual(configurationAfter(events));
  });
});

describe('resource streams', () => {
  it('keep the name they were written under: a hash of the lowercase key, within the tenant', () => {
    // Pinned: streams already recorded are read by this name.
    expect(resourceStreamId('contoso', key)).toBe('t-contoso:resource-7a2b45c1f00c4e5cc0dcd138b2568ba3');
  });
});

describe('resource event guards', () => {
  const read = (e: ResourceEvent | { type: string; data: unknown }) => e as Pick<RecordedEvent, 'type' | 'data'>;

  it('tell resource events from the rest of the log', () => {
    expect(RESOURCE_EVENT_TYPES).toEqual(['inventory.ResourceDiscovered.v1', 'inventory.ResourceConfigurationChanged.v1', 'inventory.ResourceRemoved.v1']);
    expect([discovered, changed, removed].map((e) => isResourceEvent(read(e)))).toEqual([true, true, true]);
    expect(isResourceEvent(read({ type: 'inventory.IngestionRunCompleted.v1', data: {} }))).toBe(false);
  });

  it('narrow each kind to its payload', () => {
    const e = read(changed);
    expect(isResourceConfigurationChanged(e) && e.data.patch.length).toBe(3);
    expect([isResourceDiscovered(e), isResourceRemoved(e)]).toEqual([false, false]);
    expect(isResourceDiscovered(read(discovered)) && isResourceRemoved(read(removed))).toBe(true);
  });
});
