// When a resource was last collected: its own last change, or the last complete snapshot of a
// scope holding it that completed — never a partial run, a failed one, or another scope's.
import { CompleteCollections, collectionCovers, lastCollectedAt, latestPerScope } from './collection';

const KEY = '/subscriptions/s1/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/st1';
const run = (runId: string, scope: string, complete: boolean, recordedAt: string) => ({ type: 'inventory.IngestionRunStarted.v1', data: { runId, connectionId: null, source: 'azure-resource-graph', scope, complete }, recordedAt });
const done = (runId: string, recordedAt: string) => ({ type: 'inventory.IngestionRunCompleted.v1', data: { runId, counts: {}, rejections: [] }, recordedAt });

describe('when a resource was last collected', () => {
  it('is its last change, or the last complete snapshot of a scope holding it, whichever is later', () => {
    const resource = { resourceKey: KEY, changedAt: '2026-12-01T00:00:00.000Z' };
    expect(lastCollectedAt(resource, [])).toBe('2026-12-01T00:00:00.000Z');
    expect(lastCollectedAt(resource, [{ scope: '/subscriptions/S1', finishedAt: '2026-12-05T00:00:00.000Z' }])).toBe('2026-12-05T00:00:00.000Z');
    expect(lastCollectedAt(resource, [{ scope: '/subscriptions/s1/resourceGroups/rg-other', finishedAt: '2026-12-05T00:00:00.000Z' }])).toBe('2026-12-01T00:00:00.000Z');
    expect(lastCollectedAt(resource, [{ scope: '*', finishedAt: '2026-11-01T00:00:00.000Z' }])).toBe('2026-12-01T00:00:00.000Z');
    expect(collectionCovers('/subscriptions/s1/resourceGroups/rg-data', KEY)).toBe(true);
    expect(collectionCovers('/subscriptions/s1/resourceGroups/rg-dat', KEY)).toBe(false);
  });

  it('counts only runs declared complete that completed, keeping the latest per scope', () => {
    const collections = new CompleteCollections();
    for (const e of [
      run('a', '*', true, '2026-12-01T00:00:00.000Z'),
      done('a', '2026-12-01T00:10:00.000Z'),
      run('b', '*', false, '2026-12-02T00:00:00.000Z'), // a push of some resources: proves nothing of the others
      done('b', '2026-12-02T00:10:00.000Z'),
      run('c', '*', true, '2026-12-03T00:00:00.000Z'), // failed or abandoned: never completed
      run('d', '/subscriptions/s1', true, '2026-12-04T00:00:00.000Z'),
      done('d', '2026-12-04T00:10:00.000Z'),
      { type: 'inventory.ResourceDiscovered.v1', data: {}, recordedAt: '2026-12-04T00:05:00.000Z' },
    ]) collections.add(e);
    expect(collections.list()).toEqual([
      { scope: '*', finishedAt: '2026-12-01T00:10:00.000Z' },
      { scope: '/subscriptions/s1', finishedAt: '2026-12-04T00:10:00.000Z' },
    ]);
    expect(latestPerScope([...collections.list(), { scope: '/SUBSCRIPTIONS/S1', finishedAt: '2026-12-05T00:00:00.000Z' }])).toEqual([
      { scope: '*', finishedAt: '2026-12-01T00:10:00.000Z' },
      { scope: '/SUBSCRIPTIONS/S1', finishedAt: '2026-12-05T00:00:00.000Z' },
    ]);
  });
});
