// What has been collected of one cloud connection, in its own stream
// (`t-<tenant>:collection-<connectionId>`, written only by scheduled collection under its lease):
// how far its change records have been read, and when a full snapshot last ran. From it each
// collection decides whether to backfill, take a full snapshot or read only the changes since.
import { streamIdFor, type Decider, type Decision, type DomainEvent } from '@rampart/event-sourcing';

/**
 * Every change record of the connection timestamped up to `through` has been applied (or found
 * already applied). Recorded only after the resource events it led to, so a crash in between
 * re-reads those records, which then change nothing.
 */
export type ChangeRecordsRead = DomainEvent<
  'inventory.ChangeRecordsRead.v1',
  { connectionId: string; through: string; records: number; backfill: boolean }
>;
/** A full snapshot of every subscription of the connection ran; `failed` subscriptions removed nothing. */
export type ConnectionSnapshotTaken = DomainEvent<
  'inventory.ConnectionSnapshotTaken.v1',
  { connectionId: string; startedAt: string; subscriptions: number; failed: number }
>;
export type ConnectionCollectionEvent = ChangeRecordsRead | ConnectionSnapshotTaken;

export const CONNECTION_COLLECTION_EVENT_TYPES: readonly ConnectionCollectionEvent['type'][] = [
  'inventory.ChangeRecordsRead.v1',
  'inventory.ConnectionSnapshotTaken.v1',
];

export interface ConnectionCollection {
  /** Change records up to here are accounted for (by the feed, or by a complete snapshot started after them). */
  readonly changesThrough: string | null;
  readonly lastSnapshotAt: string | null;
  /** Whether the connection's history was backfilled from the cloud's retained change records. */
  readonly backfilled: boolean;
}

export interface RecordChangeRecordsRead {
  readonly kind: 'RecordChangeRecordsRead';
  readonly connectionId: string;
  readonly through: string;
  readonly records: number;
  readonly backfill: boolean;
}
export interface RecordConnectionSnapshot {
  readonly kind: 'RecordConnectionSnapshot';
  readonly connectionId: string;
  readonly startedAt: string;
  readonly subscriptions: number;
  readonly failed: number;
}
export type ConnectionCollectionCommand = RecordChangeRecordsRead | RecordConnectionSnapshot;

export const connectionCollectionStreamId = (tenantId: string, connectionId: string): string => streamIdFor(tenantId, 'collection', connectionId);

const later = (a: string | null, b: string): string => (a !== null && Date.parse(a) >= Date.parse(b) ? a : b);

const decide = (cmd: ConnectionCollectionCommand, state: ConnectionCollection): Decision<ConnectionCollectionEvent> => {
  if (cmd.kind === 'RecordConnectionSnapshot') {
    const { kind: _kind, ...data } = cmd;
    return [{ type: 'inventory.ConnectionSnapshotTaken.v1', data }];
  }
  // The point only moves forward: a rerun that reached a point already recorded records nothing,
  // so two passes over the same records leave one fact.
  if (state.changesThrough !== null && Date.parse(cmd.through) <= Date.parse(state.changesThrough)) return [];
  const { kind: _kind, ...data } = cmd;
  return [{ type: 'inventory.ChangeRecordsRead.v1', data }];
};

const evolve = (state: ConnectionCollection, event: ConnectionCollectionEvent): ConnectionCollection => {
  switch (event.type) {
    case 'inventory.ChangeRecordsRead.v1':
      return { ...state, changesThrough: later(state.changesThrough, event.data.through), backfilled: state.backfilled || event.data.backfill };
    case 'inventory.ConnectionSnapshotTaken.v1':
      return {
        ...state,
        lastSnapshotAt: event.data.startedAt,
        // A complete snapshot holds every change made before it started; a partial one proves nothing.
        changesThrough: event.data.failed === 0 ? later(state.changesThrough, event.data.startedAt) : state.changesThrough,
      };
    default:
      return state;
  }
};

export const connectionCollectionDecider: Decider<ConnectionCollectionCommand, ConnectionCollection, ConnectionCollectionEvent> = {
  decide,
  evolve,
  initialState: () => ({ changesThrough: null, lastSnapshotAt: null, backfilled: false }),
};

export interface CollectionSchedule {
  /** Full snapshots this often. */
  readonly snapshotIntervalMs: number;
  /** Change records this often between snapshots; 0: no change feed, snapshots only. */
  readonly changesIntervalMs: number;
  /** How often collection is asked (the scheduler's pass): a snapshot due within half of it runs now rather than a pass late. */
  readonly passIntervalMs: number;
}

/**
 * What a collection of the connection does now: the first one backfills the history the cloud still
 * holds and takes a snapshot; afterwards a snapshot when one is due, else only the change records.
 */
export type CollectionMode = 'first' | 'snapshot' | 'changes' | 'nothing';

export const collectionMode = (state: ConnectionCollection, now: Date, schedule: CollectionSchedule): CollectionMode => {
  if (state.lastSnapshotAt === null) return state.changesThrough === null ? 'first' : 'snapshot';
  const since = now.getTime() - Date.parse(state.lastSnapshotAt);
  if (since + schedule.passIntervalMs / 2 >= schedule.snapshotIntervalMs) return 'snapshot';
  return schedule.changesIntervalMs > 0 ? 'changes' : 'nothing';
};

/**
 * Where the next read of change records starts: the recorded point, or, after a snapshot that could
 * not read every subscription, the start of that snapshot (the failed subscriptions are reconciled
 * by the next snapshot that reads them).
 */
export const changeFeedStart = (state: ConnectionCollection): string | null => state.changesThrough ?? state.lastSnapshotAt;
