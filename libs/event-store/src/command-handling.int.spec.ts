// handleCommand and checkpointed subscriptions against a real store: conflicts are retried,
// rejections change nothing, and a restarted subscription resumes from its stored checkpoint.
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyRetriesExhaustedError,
  handleCommand,
  handleCommands,
  reject,
  runCheckpointedSubscription,
  type CommandContext,
  type Decider,
  type EventStore,
} from '@rampart/event-sourcing';
import { SqlCheckpointStore } from './projections/sql-checkpoint-store';
import { SqlEventStore } from './sql/sql-event-store';
import { postgresTestDatabase, type TestDatabase } from './testing/databases';

type Reserved = { type: 'test.SeatReserved.v1'; data: { seat: number; by: string } };
type Reserve = { by: string };
const CAPACITY = 8;
const seats: Decider<Reserve, number, Reserved> = {
  decide: (cmd, taken) => (taken >= CAPACITY ? reject('sold-out') : [{ type: 'test.SeatReserved.v1', data: { seat: taken + 1, by: cmd.by } }]),
  evolve: (taken) => taken + 1,
  initialState: () => 0,
};
const ctx = (tenantId: string): CommandContext => ({
  tenantId,
  actor: { kind: 'user', id: 'ana' },
  correlationId: randomUUID(),
  now: new Date('2026-11-29T12:00:00Z'),
});

describe('command handling and checkpointed subscriptions on PostgreSQL', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  beforeAll(async () => {
    db = await postgresTestDatabase('commands');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('concurrent commands on one stream all land by retrying, and the invariant holds', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const streamId = `t-${tenant}:show-1`;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => handleCommand(store, seats, streamId, { by: `u${i}` }, ctx(tenant), { maxAttempts: 20 })),
    );
    const won = outcomes.filter((o) => o.ok);
    const soldOut = outcomes.filter((o) => !o.ok);
    expect(won).toHaveLength(CAPACITY);
    expect(soldOut.map((o) => !o.ok && o.rejection.code)).toEqual(['sold-out', 'sold-out']);
    expect(outcomes.some((o) => o.attempts > 1)).toBe(true); // the conflicts really happened
    const events = await store.readStream(streamId);
    expect(events.map((e) => (e.data as Reserved['data']).seat)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(events[0].metadata).toMatchObject({ tenantId: tenant, actor: { id: 'ana' }, occurredAt: '2026-11-29T12:00:00.000Z' });
  });

  it('rejects a command made against a revision the stream has moved past', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const streamId = `t-${tenant}:show-1`;
    await handleCommand(store, seats, streamId, { by: 'a' }, ctx(tenant));
    await handleCommand(store, seats, streamId, { by: 'b' }, ctx(tenant));
    const stale = await handleCommand(store, seats, streamId, { by: 'c' }, ctx(tenant), { expectedRevision: 0 });
    expect(stale).toMatchObject({ ok: false, rejection: { code: 'stale-revision' } });
    const fresh = await handleCommand(store, seats, streamId, { by: 'c' }, ctx(tenant), { expectedRevision: 1 });
    expect(fresh.ok).toBe(true);
    expect(await store.readStream(streamId)).toHaveLength(3);
  });

  it('gives up after the bounded number of attempts', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const streamId = `t-${tenant}:show-1`;
    // A store that always loses the race: another writer appends right after each read.
    const racing: EventStore = Object.create(store, {
      readStream: {
        value: async (id: string) => {
          const read = await store.readStream(id);
          await handleCommand(store, seats, id, { by: 'rival' }, ctx(tenant));
          return read;
        },
      },
    });
    await expect(handleCommand(racing, seats, streamId, { by: 'me' }, ctx(tenant), { maxAttempts: 3 })).rejects.toBeInstanceOf(
      ConcurrencyRetriesExhaustedError,
    );
    expect((await store.readStream(streamId)).map((e) => (e.data as Reserved['data']).by)).toEqual(['rival', 'rival', 'rival']);
  });

  it('handles a batch of commands on many streams with one append, each decided against its own stream', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const stream = (i: number) => `t-${tenant}:show-${i}`;
    await handleCommand(store, seats, stream(3), { by: 'early' }, ctx(tenant));
    for (let i = 0; i < CAPACITY; i++) await handleCommand(store, seats, stream(4), { by: `full-${i}` }, ctx(tenant));
    let appendCalls = 0;
    const counting: EventStore = Object.create(store, {
      appendToStreams: { value: async (...args: Parameters<EventStore['appendToStreams']>) => (appendCalls++, store.appendToStreams(...args)) },
    });
    const outcomes = await handleCommands(counting, seats, Array.from({ length: 20 }, (_, i) => ({ streamId: stream(i), command: { by: `b${i}` }, ctx: ctx(tenant) })));
    expect(appendCalls).toBe(1);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(19);
    expect(outcomes[4]).toMatchObject({ ok: false, rejection: { code: 'sold-out' } });
    expect((await store.readStream(stream(3))).map((e) => (e.data as Reserved['data']).seat)).toEqual([1, 2]);
    expect((await store.readStream(stream(0))).map((e) => (e.data as Reserved['data']).by)).toEqual(['b0']);
    expect(outcomes[3]).toMatchObject({ ok: true, append: { nextExpectedRevision: 1 } });
    await expect(handleCommands(store, seats, [stream(0), stream(0)].map((streamId) => ({ streamId, command: { by: 'x' }, ctx: ctx(tenant) })))).rejects.toThrow(/twice/);
  });

  it('a batch that loses a race to another writer lands each command on its own, over the other writer\'s events', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const stream = (i: number) => `t-${tenant}:show-${i}`;
    // Another writer appends to stream 2 between the batch's reads and its append.
    const racing: EventStore = Object.create(store, {
      appendToStreams: {
        value: async (...args: Parameters<EventStore['appendToStreams']>) => {
          await handleCommand(store, seats, stream(2), { by: 'rival' }, ctx(tenant));
          return store.appendToStreams(...args);
        },
      },
    });
    const outcomes = await handleCommands(racing, seats, Array.from({ length: 5 }, (_, i) => ({ streamId: stream(i), command: { by: `b${i}` }, ctx: ctx(tenant) })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect((await store.readStream(stream(2))).map((e) => (e.data as Reserved['data']).by)).toEqual(['rival', 'b2']);
    for (const i of [0, 1, 3, 4]) expect((await store.readStream(stream(i))).map((e) => (e.data as Reserved['data']).by)).toEqual([`b${i}`]);
  });

  it('a checkpointed subscription resumes from its stored checkpoint after a restart', async () => {
    const tenant = `t${randomUUID().slice(0, 6)}`;
    const checkpoints = await SqlCheckpointStore.open(db.sql, `${db.schema}_cp`);
    const streamId = `t-${tenant}:show-1`;
    for (let i = 0; i < 5; i++) await handleCommand(store, seats, streamId, { by: `u${i}` }, ctx(tenant));

    const run = async (stopAfter: number) => {
      const seen: number[] = [];
      const controller = new AbortController();
      await runCheckpointedSubscription(
        store,
        checkpoints,
        `seats-${tenant}`,
        async (batch) => {
          seen.push(...batch.events.map((e) => e.revision));
          if (seen.length >= stopAfter) controller.abort();
        },
        { filter: { tenantId: tenant }, batchSize: 2, signal: controller.signal, idleTimeoutMs: 50 },
      );
      return seen;
    };
    expect(await run(3)).toEqual([0, 1, 2, 3]); // two batches of two, then stopped
    for (let i = 5; i < 7; i++) await handleCommand(store, seats, streamId, { by: `u${i}` }, ctx(tenant));
    expect(await run(3)).toEqual([4, 5, 6]);
    await db.sql.exec(`DROP SCHEMA "${db.schema}_cp" CASCADE`);
  });
});
