import { givenWhenThen } from '@rampart/event-sourcing';
import {
  changeFeedStart,
  collectionMode,
  connectionCollectionDecider,
  type ChangeRecordsRead,
  type ConnectionSnapshotTaken,
} from './connection-collection';

const given = givenWhenThen(connectionCollectionDecider);
const read = (through: string, backfill = false): ChangeRecordsRead => ({
  type: 'inventory.ChangeRecordsRead.v1',
  data: { connectionId: 'prod', through, records: 3, backfill },
});
const snapshot = (startedAt: string, failed = 0): ConnectionSnapshotTaken => ({
  type: 'inventory.ConnectionSnapshotTaken.v1',
  data: { connectionId: 'prod', startedAt, subscriptions: 2, failed },
});
const fold = (...events: (ChangeRecordsRead | ConnectionSnapshotTaken)[]) =>
  events.reduce(connectionCollectionDecider.evolve, connectionCollectionDecider.initialState());

describe('the change-record point of a connection', () => {
  const readUpTo = (through: string) => ({ kind: 'RecordChangeRecordsRead' as const, connectionId: 'prod', through, records: 3, backfill: false });

  it('is recorded the first time and then only moves forward', () => {
    given().when(readUpTo('2026-03-01T10:00:00Z')).then(read('2026-03-01T10:00:00Z'));
    given(read('2026-03-01T10:00:00Z')).when(readUpTo('2026-03-01T11:00:00Z')).then(read('2026-03-01T11:00:00Z'));
  });

  it('records nothing for a point already reached: a rerun over the same records leaves one fact', () => {
    given(read('2026-03-01T10:00:00.000Z')).when(readUpTo('2026-03-01T10:00:00Z')).then();
    given(read('2026-03-01T10:00:00Z')).when(readUpTo('2026-03-01T09:00:00Z')).then();
  });

  it('is moved by a complete snapshot to when it started, never backwards, and not by a partial one', () => {
    expect(fold(read('2026-03-01T10:00:00Z'), snapshot('2026-03-01T12:00:00Z')).changesThrough).toBe('2026-03-01T12:00:00Z');
    expect(fold(read('2026-03-01T13:00:00Z'), snapshot('2026-03-01T12:00:00Z')).changesThrough).toBe('2026-03-01T13:00:00Z');
    const partial = fold(snapshot('2026-03-01T12:00:00Z', 1));
    expect(partial.changesThrough).toBeNull();
    expect(changeFeedStart(partial)).toBe('2026-03-01T12:00:00Z');
  });
});

describe('what a collection does now', () => {
  const schedule = { snapshotIntervalMs: 24 * 3_600_000, changesIntervalMs: 10 * 60_000, passIntervalMs: 10 * 60_000 };
  const at = (iso: string) => new Date(iso);

  it('backfills and snapshots a connection never collected', () => expect(collectionMode(fold(), at('2026-03-02T00:00:00Z'), schedule)).toBe('first'));

  it('takes a snapshot when one is due (within half a pass), else reads the change records', () => {
    const state = fold(read('2026-03-01T00:00:00Z', true), snapshot('2026-03-01T00:00:00Z'));
    expect(state.backfilled).toBe(true);
    expect(collectionMode(state, at('2026-03-01T00:10:00Z'), schedule)).toBe('changes');
    expect(collectionMode(state, at('2026-03-01T23:56:00Z'), schedule)).toBe('snapshot');
  });

  it('finishes a first collection cut short after its backfill with the snapshot', () =>
    expect(collectionMode(fold(read('2026-03-01T00:00:00Z', true)), at('2026-03-01T00:01:00Z'), schedule)).toBe('snapshot'));

  it('without a change feed, takes snapshots only and waits for them between passes', () => {
    const snapshotsOnly = { snapshotIntervalMs: 3_600_000, changesIntervalMs: 0, passIntervalMs: 3_600_000 };
    const state = fold(snapshot('2026-03-01T00:00:00Z'));
    expect(collectionMode(state, at('2026-03-01T00:59:59Z'), snapshotsOnly)).toBe('snapshot');
    expect(collectionMode(state, at('2026-03-01T00:20:00Z'), snapshotsOnly)).toBe('nothing');
  });
});
