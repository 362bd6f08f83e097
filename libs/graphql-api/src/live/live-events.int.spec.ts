// The shared live reader against a real store (in-memory PGlite): each subscriber gets its own
// tenant's events recorded after it subscribed, in log order, filtered by type; a slow one is ended
// with SUBSCRIPTION_LAGGED, a failing store ends them all with an error, and no reader runs while
// nobody listens. Gated stores (a held head read, a failing read) stand in for timing and outages.
import { randomUUID } from 'node:crypto';
import { streamIdFor, toNewEvents, type EventStore } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import type { GraphQLError } from 'graphql';
import { toTenantEvent } from '../graphql/platform.resolver';
import type { TenantEventType } from '../graphql/types';
import { LiveEvents, type LiveEventsOptions } from './live-events';

const A = 'live-alpha';
const B = 'live-beta';
const C = 'live-gamma';
const INCIDENT_TYPES = ['incidents.IncidentOpened.v1', 'incidents.CommentAdded.v1'];

/** The store, with a head read that can be held and reads that can be made to fail, counted. */
interface Gates {
  reads: number;
  failReads: boolean;
  failHead: boolean;
  holdHead?: Promise<void>;
  /** The next read waits for it (once). */
  holdRead?: Promise<void>;
}
const gated = (store: EventStore, gates: Gates): EventStore => ({
  kind: store.kind,
  atomicMultiStreamAppend: store.atomicMultiStreamAppend,
  appendToStream: (...args) => store.appendToStream(...args),
  appendToStreams: (...args) => store.appendToStreams(...args),
  readStream: (...args) => store.readStream(...args),
  readAll: async (options) => {
    gates.reads++;
    const hold = gates.holdRead;
    gates.holdRead = undefined;
    await hold;
    if (gates.failReads) throw new Error('connection terminated unexpectedly');
    return store.readAll(options);
  },
  headPosition: async () => {
    await gates.holdHead;
    if (gates.failHead) throw new Error('connection refused');
    return store.headPosition();
  },
  waitForAppend: (...args) => store.waitForAppend(...args),
  appendNotifications: store.appendNotifications ? () => store.appendNotifications!() : undefined,
  close: () => store.close(),
});

const deferred = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};

const until = async (what: string, ok: () => boolean, timeoutMs = 5_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Reads a subscription into an array as events come, until it ends; `ended` holds how. */
const drain = (iterator: AsyncIterableIterator<TenantEventType>) => {
  const received: TenantEventType[] = [];
  const state: { ended?: { error?: GraphQLError } } = {};
  void (async () => {
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        received.push(next.value);
      }
      state.ended = {};
    } catch (error) {
      state.ended = { error: error as GraphQLError };
    }
  })();
  return { received, state, types: () => received.map((e) => e.type), notes: () => received.map((e) => JSON.parse(e.data).note as string) };
};

describe('LiveEvents: one reader of the log for every live subscription', () => {
  let db: TestDatabase;
  let raw: SqlEventStore;
  let gates: Gates;
  let store: EventStore;
  const hubs: LiveEvents<TenantEventType>[] = [];
  const hub = (options: Partial<LiveEventsOptions<TenantEventType>> = {}) => {
    const h = new LiveEvents(store, { view: toTenantEvent, idleTimeoutMs: 100, retryDelaysMs: [10], ...options });
    hubs.push(h);
    return h;
  };

  beforeAll(async () => {
    db = await pgliteTestDatabase('live');
    raw = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  beforeEach(() => {
    gates = { reads: 0, failReads: false, failHead: false };
    store = gated(raw, gates);
  });
  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((h) => h.close()));
  });
  afterAll(async () => {
    await raw.close();
    await db.dispose();
  });

  /** Appends one event per note to the tenant's incident stream (`note` in its data tells them apart). */
  const append = (tenantId: string, type: string, ...notes: string[]) =>
    raw.appendToStream(
      streamIdFor(tenantId, 'incident', 'i-1'),
      toNewEvents(
        notes.map((note) => ({ type, data: { incidentId: 'i-1', note, secretSha256: 'never-leaves' } })),
        { tenantId, actor: { kind: 'user', id: 'ana@soc.example' }, correlationId: randomUUID(), now: new Date() },
      ),
    );

  it("delivers each tenant's events to its own subscribers only, in log order, filtered by type, without secrets", async () => {
    const live = hub();
    const allOfA = drain(await live.subscribe(A));
    const incidentsOfA = drain(await live.subscribe(A, INCIDENT_TYPES));
    const allOfB = drain(await live.subscribe(B));
    await append(A, 'incidents.IncidentOpened.v1', 'a1');
    await append(B, 'incidents.IncidentOpened.v1', 'b1');
    await append(A, 'tenancy.SocTeamAssigned.v1', 'a2');
    await append(C, 'incidents.CommentAdded.v1', 'c1');
    await append(A, 'incidents.CommentAdded.v1', 'a3', 'a4');
    await append(B, 'tenancy.SocTeamAssigned.v1', 'b2');

    await until('every event delivered', () => allOfA.received.length === 4 && allOfB.received.length === 2);
    expect(allOfA.notes()).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(incidentsOfA.notes()).toEqual(['a1', 'a3', 'a4']);
    expect(allOfB.notes()).toEqual(['b1', 'b2']);
    expect([...allOfA.received, ...incidentsOfA.received].every((e) => e.tenantId === A)).toBe(true);
    expect(allOfB.received.every((e) => e.tenantId === B)).toBe(true);
    expect(allOfA.received.map((e) => JSON.parse(e.data))).toEqual(expect.arrayContaining([{ incidentId: 'i-1', note: 'a1' }]));
    expect(allOfA.received.some((e) => e.data.includes('never-leaves'))).toBe(false);
    // one reader for the three subscriptions
    expect(live.stats()).toEqual({ subscribers: 3, tenants: 2, reading: true });
  });

  it('gives a late subscriber only what was recorded after it subscribed', async () => {
    const live = hub();
    const early = drain(await live.subscribe(A));
    await append(A, 'incidents.IncidentOpened.v1', 'before');
    await until('the early subscriber has the first event', () => early.received.length === 1);
    const late = drain(await live.subscribe(A));
    await append(A, 'incidents.CommentAdded.v1', 'after');
    await until('both have the second event', () => early.received.length === 2 && late.received.length === 1);
    expect(early.notes()).toEqual(['before', 'after']);
    expect(late.notes()).toEqual(['after']);
  });

  it('misses nothing recorded after subscribe() resolved, for subscribers registered while the reader starts', async () => {
    const live = hub();
    const head = deferred();
    gates.holdHead = head.promise;
    const first = live.subscribe(A);
    const second = live.subscribe(A, INCIDENT_TYPES);
    // recorded while the reader is still reading the head: before either subscription took effect
    await append(A, 'incidents.IncidentOpened.v1', 'during-start');
    expect(live.stats()).toMatchObject({ subscribers: 0, reading: true });
    head.release();
    const [one, two] = [drain(await first), drain(await second)];
    await append(A, 'incidents.CommentAdded.v1', 'after-start');
    await until('both have the event recorded after they subscribed', () => one.notes().includes('after-start') && two.notes().includes('after-start'));
    expect(one.notes().at(-1)).toBe('after-start');
    expect(two.notes().at(-1)).toBe('after-start');
  });

  it('misses nothing and keeps log order when subscribers come and go while events are appended', async () => {
    const live = hub();
    const appended: string[] = [];
    const subscriptions: { from: number; iterator: AsyncIterableIterator<TenantEventType>; drained: ReturnType<typeof drain> }[] = [];
    const writer = (async () => {
      for (let i = 0; i < 60; i++) {
        appended.push(`e${i}`); // counted as started before the append begins
        await append(A, 'incidents.CommentAdded.v1', `e${i}`);
        if (i % 7 === 3) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (let k = 0; k < 24; k++) {
      const iterator = await live.subscribe(A);
      subscriptions.push({ from: appended.length, iterator, drained: drain(iterator) });
      // every third round everyone leaves, so the reader stops and starts again under appends
      if (k % 3 === 2) for (const s of subscriptions.slice(-3)) await s.iterator.return!();
      await new Promise((r) => setTimeout(r, 5 + (k % 4) * 10));
    }
    await writer;
    const still = subscriptions.filter((s) => !s.drained.state.ended);
    await until('the remaining subscribers have the last event', () => still.every((s) => s.drained.notes().includes('e59')));
    for (const s of subscriptions) {
      const notes = s.drained.notes();
      const indices = notes.map((n) => appended.indexOf(n));
      expect(indices).toEqual([...indices].sort((x, y) => x - y)); // log order, no repeats
      if (still.includes(s)) expect(appended.slice(s.from).every((n) => notes.includes(n))).toBe(true);
    }
  });

  it('hands nothing from a stopped reader to the subscribers of the next one', async () => {
    const live = hub();
    const first = await live.subscribe(A);
    const read = deferred();
    gates.holdRead = read.promise;
    await append(A, 'incidents.CommentAdded.v1', 'read-by-the-stopped-reader');
    await until('the reader is in its held read', () => gates.holdRead === undefined);
    await first.return!();
    const second = drain(await live.subscribe(A)); // a new reader, from a head past that event
    read.release();
    await append(A, 'incidents.CommentAdded.v1', 'after');
    await until('the new subscriber has the later event', () => second.received.length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(second.notes()).toEqual(['after']);
  });

  it('ends a subscriber that falls a whole queue behind with SUBSCRIPTION_LAGGED, and no other', async () => {
    const live = hub({ queueLimit: 3 });
    const slow = await live.subscribe(A);
    const reading = drain(await live.subscribe(A));
    await append(A, 'incidents.CommentAdded.v1', 'n1', 'n2', 'n3', 'n4', 'n5');
    await until('the slow subscriber is ended', () => live.stats().subscribers === 1);
    await expect(slow.next()).rejects.toMatchObject({ extensions: { code: 'SUBSCRIPTION_LAGGED' }, message: expect.stringMatching(/auditTrail.*subscribe again/) });
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    await until('the reading subscriber has all five', () => reading.received.length === 5);
    expect(reading.state.ended).toBeUndefined();
  });

  it('stops delivering at return(), at once, even to a read in progress', async () => {
    const live = hub();
    const iterator = await live.subscribe(A);
    const pending = iterator.next();
    await iterator.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(live.stats()).toEqual({ subscribers: 0, tenants: 0, reading: false });
    await append(A, 'incidents.CommentAdded.v1', 'after-return');
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('reads nothing while nobody listens, and starts again for the next subscriber', async () => {
    const live = hub({ idleTimeoutMs: 20 });
    expect(live.stats().reading).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(gates.reads).toBe(0);

    const iterator = await live.subscribe(A);
    await new Promise((r) => setTimeout(r, 200));
    expect(gates.reads).toBeGreaterThan(1); // a caught-up reader polls (idle timeout 20 ms)
    await iterator.return!();
    expect(live.stats().reading).toBe(false);
    await new Promise((r) => setTimeout(r, 50)); // a read in flight may finish
    const afterStop = gates.reads;
    await new Promise((r) => setTimeout(r, 300));
    expect(gates.reads).toBe(afterStop);

    const again = drain(await live.subscribe(B));
    await append(B, 'incidents.IncidentOpened.v1', 'restarted');
    await until('the new subscriber has the event', () => again.received.length === 1);
  });

  it('ends every subscription with an error when the store keeps failing, and serves new ones once it is back', async () => {
    const live = hub({ retryDelaysMs: [10, 10] });
    const one = drain(await live.subscribe(A));
    const two = drain(await live.subscribe(B, INCIDENT_TYPES));
    gates.failReads = true;
    await until('both subscriptions ended', () => one.state.ended !== undefined && two.state.ended !== undefined);
    for (const s of [one, two]) expect(s.state.ended?.error?.extensions).toEqual({ code: 'LIVE_EVENTS_UNAVAILABLE' });
    expect(live.stats()).toEqual({ subscribers: 0, tenants: 0, reading: false });

    gates.failHead = true;
    gates.failReads = false;
    await expect(live.subscribe(A)).rejects.toMatchObject({ extensions: { code: 'LIVE_EVENTS_UNAVAILABLE' } });
    gates.failHead = false;
    const back = drain(await live.subscribe(A));
    await append(A, 'incidents.CommentAdded.v1', 'recovered');
    await until('the new subscriber has the event', () => back.received.length === 1);
  });

  it('keeps going through a brief store failure without losing events', async () => {
    const live = hub({ retryDelaysMs: [50, 50, 50] });
    const one = drain(await live.subscribe(A));
    gates.failReads = true;
    await append(A, 'incidents.CommentAdded.v1', 'during-outage');
    await new Promise((r) => setTimeout(r, 60));
    gates.failReads = false;
    await until('the event written during the outage arrives', () => one.received.length === 1);
    expect(one.state.ended).toBeUndefined();
  });

  it('ends every subscription on close and stops its reader', async () => {
    const live = hub();
    const iterator = await live.subscribe(A);
    const pending = iterator.next();
    await live.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(live.stats().reading).toBe(false);
    await expect(live.subscribe(A)).rejects.toMatchObject({ extensions: { code: 'LIVE_EVENTS_UNAVAILABLE' } });
  });
});
