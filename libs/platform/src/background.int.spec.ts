// Two workers following the same subscription on one PostgreSQL: every event is handled once by
// one of them, never by both; when the one holding the subscription stops, the other takes over
// from its checkpoint; and a checkpoint never moves back.
import { randomUUID } from 'node:crypto';
import { toNewEvents, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlCheckpointStore, SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { type Background, createLogger, followLog } from '@rampart/runtime';

const TENANT = 'acme';

describe('following the log with several workers', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const followers: Background[] = [];
  beforeAll(async () => {
    db = await postgresTestDatabase('follow');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  afterAll(async () => {
    await Promise.all(followers.map((f) => f.stop()));
    await store?.close();
    await db?.dispose();
  });

  const append = async (n: number, from: number) => {
    for (let i = from; i < from + n; i += 50) {
      const batch = Array.from({ length: Math.min(50, from + n - i) }, (_, k) => ({ type: 'test.Ticked.v1', data: { n: i + k } }));
      await store.appendToStream(`t-${TENANT}:ticker-${i}`, toNewEvents(batch, { tenantId: TENANT, actor: { kind: 'system', id: 'test' }, correlationId: randomUUID(), causationId: null, now: new Date() }), {
        expectedRevision: 'no_stream',
      });
    }
  };
  const eventually = async (what: string, ok: () => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('hands each event to one worker once, and moves the work when its holder stops', async () => {
    const handled = new Map<string, string[]>(); // eventId -> workers that handled it
    const follower = (worker: string) =>
      followLog({ eventStore: store, readModels: db.sql }, createLogger('silent'), {
        subscriptionId: 'ticker',
        eventTypes: ['test.Ticked.v1'],
        schema: `${db.schema}_read`,
        batchSize: 25,
        leaseMs: 1_500,
        handle: async (events: readonly RecordedEvent[]) => {
          for (const e of events) handled.set(e.eventId, [...(handled.get(e.eventId) ?? []), worker]);
          await new Promise((r) => setTimeout(r, 5)); // work takes time: both would be busy if both held it
        },
      });
    const a = await follower('a');
    const b = await follower('b');
    followers.push(b);

    await append(300, 0);
    await eventually('300 events handled', () => handled.size === 300);
    await new Promise((r) => setTimeout(r, 500)); // time for a second handling, if there were one
    const twice = [...handled.values()].filter((workers) => workers.length > 1);
    expect(twice).toEqual([]);
    const holders = new Set([...handled.values()].flat());
    expect(holders.size).toBe(1);

    // The holder goes away; the other takes over from the checkpoint, without redoing anything.
    const [first] = [...holders];
    await (first === 'a' ? a : b).stop();
    if (first === 'b') followers.splice(followers.indexOf(b), 1, a);
    await append(100, 300);
    await eventually('400 events handled', () => handled.size === 400);
    await new Promise((r) => setTimeout(r, 500));
    expect([...handled.values()].filter((workers) => workers.length > 1)).toEqual([]);
    expect(new Set([...handled.values()].slice(300).flat())).toEqual(new Set([first === 'a' ? 'b' : 'a']));
  });

  it('never moves a checkpoint back', async () => {
    const checkpoints = await SqlCheckpointStore.open(db.sql, `${db.schema}_cp`);
    await checkpoints.save('s', { commit: 10n, prepare: 5n });
    await checkpoints.save('s', { commit: 9n, prepare: 99n }); // a paused worker, late
    await checkpoints.save('s', { commit: 10n, prepare: 4n });
    expect(await checkpoints.load('s')).toEqual({ commit: 10n, prepare: 5n });
    await checkpoints.save('s', { commit: 11n, prepare: 0n });
    expect(await checkpoints.load('s')).toEqual({ commit: 11n, prepare: 0n });
  });
});
