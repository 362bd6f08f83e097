import { givenWhenThen } from '@rampart/event-sourcing';
import { resourceStreamId, type ResourceDiscovered, type ResourceEvent } from '../events';
import { configurationOf, contentHash } from './content';
import { normaliseArmResource, type ResourceSnapshot } from './resource';
import { resourceDecider } from './resource-decider';
import { inScope, planRemovals } from './scope';
import { resourceInventory } from '../read-models/resource-inventory';

const given = givenWhenThen(resourceDecider);
const snapshot = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): ResourceSnapshot => {
  const result = normaliseArmResource({
    id: '/subscriptions/sub1/resourceGroups/RG1/providers/Microsoft.Storage/storageAccounts/acct1',
    type: 'Microsoft.Storage/storageAccounts',
    name: 'acct1',
    location: 'westeurope',
    properties,
    ...extra,
  });
  if (!result.ok) throw new Error(result.reason);
  return result.resource;
};
const observe = (s: ResourceSnapshot) => ({ kind: 'ObserveResource' as const, snapshot: s, runId: 'run-1' });
const discovered = (s: ResourceSnapshot): ResourceDiscovered => {
  const configuration = configurationOf(s);
  return {
    type: 'inventory.ResourceDiscovered.v1',
    data: { resourceKey: s.key, id: s.id, type: s.type, configuration, contentHash: contentHash(configuration), runId: 'run-1' },
  };
};

describe('resource observations', () => {
  const v1 = snapshot({ allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0', provisioningState: 'Succeeded' });

  it('discovers a resource seen for the first time', () => given().when(observe(v1)).then(discovered(v1)));

  it('records nothing when only volatile fields moved (etag, provisioning state, system data)', () => {
    const noisy = snapshot(
      { allowBlobPublicAccess: true, minimumTlsVersion: 'TLS1_0', provisioningState: 'Updating' },
      { etag: 'W/"2"', systemData: { lastModifiedAt: '2026-11-29T00:00:00Z' } },
    );
    given(discovered(v1)).when(observe(noisy)).then();
  });

  it('records a configuration change as an RFC 6902 patch between content hashes', () => {
    const v2 = snapshot({ allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', provisioningState: 'Succeeded' });
    given(discovered(v1))
      .when(observe(v2))
      .thenMatches((decision) => {
        const [event] = decision as ResourceEvent[];
        expect(event.type).toBe('inventory.ResourceConfigurationChanged.v1');
        if (event.type !== 'inventory.ResourceConfigurationChanged.v1') return;
        expect(event.data.patch).toEqual(
          expect.arrayContaining([
            { op: 'replace', path: '/properties/allowBlobPublicAccess', value: false },
            { op: 'replace', path: '/properties/minimumTlsVersion', value: 'TLS1_2' },
          ]),
        );
        expect(event.data.beforeHash).toBe(contentHash(configurationOf(v1)));
        expect(event.data.afterHash).toBe(contentHash(configurationOf(v2)));
        // folding the patch reproduces the new configuration exactly
        const state = [discovered(v1), event].reduce(resourceDecider.evolve, resourceDecider.initialState());
        expect(state.exists && contentHash(state.configuration)).toBe(event.data.afterHash);
      });
  });

  it('records a removal once, and refuses to remove what is not there', () => {
    const gone = { kind: 'ObserveResourceGone' as const, resourceKey: v1.key, runId: 'run-2' };
    given(discovered(v1))
      .when(gone)
      .then({ type: 'inventory.ResourceRemoved.v1', data: { resourceKey: v1.key, id: v1.id, type: v1.type, lastHash: contentHash(configurationOf(v1)), runId: 'run-2' } });
    given().when(gone).thenRejects('resource-not-present');
  });

  describe('attributed to the cloud\'s change records', () => {
    const byAna = { source: 'azure-resource-graph' as const, changeId: 'c-1', changeType: 'Update' as const, changedAt: '2026-03-01T10:00:00Z', changedBy: 'ana@contoso.example', clientType: 'Azure Portal' };
    const v2 = snapshot({ allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_0', provisioningState: 'Succeeded' });

    it('carries who changed it on the change, the discovery and the removal', () => {
      given(discovered(v1))
        .when({ ...observe(v2), reportedChanges: [byAna] })
        .thenMatches((decision) => expect((decision as ResourceEvent[])[0].data.reportedChanges).toEqual([byAna]));
      given().when({ ...observe(v1), reportedChanges: [{ ...byAna, changeType: 'Create' }] }).then({
        ...discovered(v1),
        data: { ...discovered(v1).data, reportedChanges: [{ ...byAna, changeType: 'Create' }] },
      });
      given(discovered(v1))
        .when({ kind: 'ObserveResourceGone', resourceKey: v1.key, runId: 'run-2', reportedChanges: [{ ...byAna, changeType: 'Delete' }] })
        .thenMatches((decision) => expect((decision as ResourceEvent[])[0].data.reportedChanges).toEqual([{ ...byAna, changeType: 'Delete' }]));
    });

    it('records nothing for a change record whose configuration is already recorded (a feed read twice)', () =>
      given(discovered(v1)).when({ ...observe(v1), reportedChanges: [byAna] }).then());

    it('leaves the field out when there is nothing to attribute', () => given().when({ ...observe(v1), reportedChanges: [] }).then(discovered(v1)));
  });

  it('rediscovers a resource that comes back after removal', () => {
    const removed: ResourceEvent = {
      type: 'inventory.ResourceRemoved.v1',
      data: { resourceKey: v1.key, id: v1.id, type: v1.type, lastHash: 'x', runId: 'run-2' },
    };
    given(discovered(v1), removed).when(observe(v1)).then(discovered(v1));
  });

  it('names a resource stream by its case-insensitive key within the tenant', () => {
    const a = resourceStreamId('contoso', v1.key);
    expect(a).toMatch(/^t-contoso:resource-[0-9a-f]{32}$/);
    expect(resourceStreamId('contoso', v1.id.toUpperCase().toLowerCase())).toBe(a);
  });
});

describe('scope snapshots', () => {
  const known = ['/subscriptions/s1/resourcegroups/a/x', '/subscriptions/s1/resourcegroups/b/y'];

  it('removes what a complete snapshot no longer contains, and nothing for a partial one', () => {
    const seen = new Set([known[0]]);
    expect(planRemovals(known, seen, true).missing).toEqual([known[1]]);
    expect(planRemovals(known, seen, false).missing).toEqual([]);
  });

  it('matches resources to a subscription or resource group scope, case-insensitively', () => {
    expect(inScope(known[0], '/subscriptions/S1')).toBe(true);
    expect(inScope(known[0], '/subscriptions/s1/resourceGroups/A')).toBe(true);
    expect(inScope(known[1], '/subscriptions/s1/resourceGroups/A')).toBe(false);
    expect(inScope('/subscriptions/s10/x', '/subscriptions/s1')).toBe(false);
  });
});

describe('resource inventory read model', () => {
  it('follows a resource through discovery, a patch and removal', () => {
    const v1 = snapshot({ minimumTlsVersion: 'TLS1_0' }, { tags: { env: 'prod' }, resourceGroup: 'RG1' });
    const v2 = snapshot({ minimumTlsVersion: 'TLS1_2' }, { tags: { env: 'prod' } });
    const at = (event: ResourceEvent, recordedAt: string) => ({ ...event, recordedAt, revision: 0, metadata: { tenantId: 'contoso', actor: { kind: 'system' as const, id: 'test' } } });
    const first = discovered(v1);
    const entry = resourceInventory.evolve(undefined, at(first, '2026-11-01T00:00:00.000Z'));
    expect(entry).toMatchObject({ tenantId: 'contoso', name: 'acct1', resourceGroup: 'rg1', tags: { env: 'prod' }, changes: 0 });
    const [change] = resourceDecider.decide(observe(v2), resourceDecider.evolve(resourceDecider.initialState(), first)) as ResourceEvent[];
    const changed = resourceInventory.evolve(entry!, at(change, '2026-11-02T00:00:00.000Z'));
    expect(changed?.configuration).toEqual(configurationOf(v2));
    expect(changed).toMatchObject({ changes: 1, changedAt: '2026-11-02T00:00:00.000Z', contentHash: contentHash(configurationOf(v2)) });
    const removed: ResourceEvent = { type: 'inventory.ResourceRemoved.v1', data: { resourceKey: v1.key, id: v1.id, type: v1.type, lastHash: 'h', runId: 'r' } };
    expect(resourceInventory.evolve(changed!, at(removed, '2026-11-03T00:00:00.000Z'))).toBeNull();
    expect(resourceInventory.keyOf(at(first, 'x'))).toBe(`contoso|${v1.key}`);
  });
});
