// The behaviour every EventStore adapter must have. Each adapter's *.int.spec.ts calls
// `eventStoreContract` with a factory; nothing here knows which store it is talking to.
import { randomUUID } from 'node:crypto';
import {
  comparePositions,
  EventIdConflictError,
  InvalidEventError,
  START,
  subscribe,
  tenantPartitionOf,
  upcasterChain,
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
  type UpcastFn,
} from '@rampart/event-sourcing';
import { numbered, testEvent, uniqueTenant } from './fixtures';

export interface ContractStoreFactory {
  open(options?: { upcast?: UpcastFn }): Promise<EventStore>;
  /**
   * EventStoreDB has no index by event id, so it cannot see an id reused in another stream;
   * its adapter declares that here instead of the suite pretending.
   */
  readonly detectsEventIdReuseAcrossStreams?: boolean;
}

const stream = (tenant: string, name = 'thing') => `t-${tenant}:${name}-${randomUUID().slice(0, 8)}`;

const readTenant = async (store: EventStore, tenantId: string): Promise<RecordedEvent[]> => {
  const all: RecordedEvent[] = [];
  let from = START;
  for (;;) {
    const page = await store.readAll({ from, filter: { tenantId }, maxCount: 50 });
    all.push(...page.events);
    from = page.position;
    if (page.isEnd) return all;
  }
};

export const eventStoreContract = (name: string, factory: ContractStoreFactory): void => {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await factory.open();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('append and read a stream', () => {
      it('records the envelope with revisions from 0 and global positions in order', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        const events = numbered(tenant, 3);
        const result = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        expect(result).toMatchObject({ nextExpectedRevision: 2, alreadyAppended: false });

        const read = await store.readStream(id);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(read[0]).toMatchObject({
          streamId: id,
          type: 'test.SomethingHappened.v1',
          data: { n: 0 },
          metadata: events[0].metadata,
        });
        expect(Number.isNaN(Date.parse(read[0].recordedAt))).toBe(false);
        for (let i = 1; i < read.length; i++) {
          expect(comparePositions(read[i - 1].globalPosition, read[i].globalPosition)).toBeLessThan(0);
        }
        expect(comparePositions(read[2].globalPosition, result.position)).toBe(0);
      });

      it('reads forwards and backwards from a revision with a limit', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await store.appendToStream(id, numbered(tenant, 10));
        const forwards = await store.readStream(id, { fromRevision: 4, maxCount: 3 });
        expect(forwards.map((e) => e.revision)).toEqual([4, 5, 6]);
        const backwards = await store.readStream(id, { direction: 'backwards', fromRevision: 4, maxCount: 3 });
        expect(backwards.map((e) => e.revision)).toEqual([4, 3, 2]);
        const tail = await store.readStream(id, { direction: 'backwards', maxCount: 1 });
        expect(tail.map((e) => e.revision)).toEqual([9]);
      });

      it('returns an empty list for a stream that does not exist', async () => {
        expect(await store.readStream(stream(uniqueTenant()))).toEqual([]);
      });
    });

    describe('expected revision', () => {
      it('no_stream refuses an existing stream', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        expect(await store.readStream(id)).toHaveLength(1);
      });

      it('stream_exists refuses a missing stream', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await expect(store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'stream_exists' })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
        await store.appendToStream(id, numbered(tenant, 1));
        await expect(store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'stream_exists' })).resolves.toMatchObject({
          nextExpectedRevision: 1,
        });
      });

      it('an exact revision succeeds only when it is the last revision', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        const first = await store.appendToStream(id, numbered(tenant, 2));
        const stale = store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 0 });
        await expect(stale).rejects.toMatchObject({ code: 'wrong-expected-revision', expected: 0, actual: 1 });
        await expect(store.appendToStream(id, numbered(tenant, 1), { expectedRevision: first.nextExpectedRevision })).resolves.toMatchObject({
          nextExpectedRevision: 2,
        });
        await expect(store.appendToStream(stream(tenant), numbered(tenant, 1), { expectedRevision: 0 })).rejects.toBeInstanceOf(
          WrongExpectedRevisionError,
        );
      });

      it('any appends whatever the stream holds', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'any' });
        await store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'any' });
        expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1]);
      });

      it('of two concurrent writers with the same expected revision exactly one wins', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await store.appendToStream(id, numbered(tenant, 1));
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () => store.appendToStream(id, numbered(tenant, 1), { expectedRevision: 0 })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
          expect(r.reason).toBeInstanceOf(WrongExpectedRevisionError);
        }
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describe('idempotency on eventId', () => {
      it('re-appending the same events is a no-op that succeeds', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        const events = numbered(tenant, 3);
        const first = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        const again = await store.appendToStream(id, events, { expectedRevision: 'no_stream' });
        expect(again.alreadyAppended).toBe(true);
        expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
        expect(await store.readStream(id)).toHaveLength(3);
        const retryWithAny = await store.appendToStream(id, events, { expectedRevision: 'any' });
        expect(retryWithAny.alreadyAppended).toBe(true);
        expect(await store.readStream(id)).toHaveLength(3);
      });

      it('the same id with different content is an error and writes nothing', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        const [event] = numbered(tenant, 1);
        await store.appendToStream(id, [event]);
        await expect(store.appendToStream(id, [{ ...event, data: { n: 99 } }])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(id)).toHaveLength(1);
        if (factory.detectsEventIdReuseAcrossStreams === false) return;
        const elsewhere = stream(tenant);
        await expect(store.appendToStream(elsewhere, [event])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(elsewhere)).toHaveLength(0);
      });
    });

    describe('multi-stream append', () => {
      it('appends to each stream with its own revisions and returns results in order', async () => {
        const tenant = uniqueTenant();
        const existing = stream(tenant);
        await store.appendToStream(existing, numbered(tenant, 2));
        const fresh = stream(tenant);
        const results = await store.appendToStreams([
          { streamId: fresh, events: numbered(tenant, 2), expectedRevision: 'no_stream' },
          { streamId: existing, events: numbered(tenant, 1), expectedRevision: 1 },
        ]);
        expect(results.map((r) => [r.nextExpectedRevision, r.alreadyAppended])).toEqual([
          [1, false],
          [2, false],
        ]);
        expect((await store.readStream(fresh)).map((e) => e.revision)).toEqual([0, 1]);
        expect((await store.readStream(existing)).map((e) => e.revision)).toEqual([0, 1, 2]);
        const log = await readTenant(store, tenant);
        expect(log).toHaveLength(5);
        // Each stream's events stay in revision order in the global log.
        for (const id of [fresh, existing]) {
          const revisions = log.filter((e) => e.streamId === id).map((e) => e.revision);
          expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
        }
        expect(comparePositions(results[1].position, START)).toBeGreaterThan(0);
      });

      it('a wrong expected revision fails the batch; atomic stores write nothing of it', async () => {
        const tenant = uniqueTenant();
        const taken = stream(tenant);
        await store.appendToStream(taken, numbered(tenant, 1));
        const before = stream(tenant);
        const after = stream(tenant);
        const batch = [
          { streamId: before, events: numbered(tenant, 1), expectedRevision: 'no_stream' as const },
          { streamId: taken, events: numbered(tenant, 1), expectedRevision: 'no_stream' as const },
          { streamId: after, events: numbered(tenant, 1), expectedRevision: 'no_stream' as const },
        ];
        await expect(store.appendToStreams(batch)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(taken)).toHaveLength(1);
        expect(await store.readStream(after)).toHaveLength(0);
        if (store.atomicMultiStreamAppend) expect(await store.readStream(before)).toHaveLength(0);
        // Fixed and sent again, the whole batch lands once, whatever a failed attempt left behind.
        const retried = await store.appendToStreams([batch[0], { ...batch[1], expectedRevision: 0 }, batch[2]]);
        expect(retried.map((r) => r.nextExpectedRevision)).toEqual([0, 1, 0]);
        expect(await readTenant(store, tenant)).toHaveLength(4);
      });

      it('re-appending the same batch is a no-op that succeeds', async () => {
        const tenant = uniqueTenant();
        const batch = [
          { streamId: stream(tenant), events: numbered(tenant, 2), expectedRevision: 'no_stream' as const },
          { streamId: stream(tenant), events: numbered(tenant, 1), expectedRevision: 'no_stream' as const },
        ];
        const first = await store.appendToStreams(batch);
        const again = await store.appendToStreams(batch);
        expect(again.map((r) => r.alreadyAppended)).toEqual([true, true]);
        expect(again.map((r) => r.nextExpectedRevision)).toEqual(first.map((r) => r.nextExpectedRevision));
        expect(await readTenant(store, tenant)).toHaveLength(3);
      });

      it('refuses a stream named twice or an event id used twice, writing nothing', async () => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await expect(
          store.appendToStreams([
            { streamId: id, events: numbered(tenant, 1) },
            { streamId: id, events: numbered(tenant, 1) },
          ]),
        ).rejects.toBeInstanceOf(InvalidEventError);
        const [event] = numbered(tenant, 1);
        await expect(
          store.appendToStreams([
            { streamId: stream(tenant), events: [event] },
            { streamId: stream(tenant), events: [event] },
          ]),
        ).rejects.toBeInstanceOf(InvalidEventError);
        await expect(
          store.appendToStreams([
            { streamId: stream(tenant), events: numbered(tenant, 1) },
            { streamId: stream(tenant), events: [testEvent(`${tenant}-other`)] },
          ]),
        ).rejects.toBeInstanceOf(InvalidEventError);
        expect(await readTenant(store, tenant)).toEqual([]);
      });

      it('concurrent batches over the same streams neither deadlock nor lose a revision', async () => {
        const tenant = uniqueTenant();
        const ids = Array.from({ length: 6 }, () => stream(tenant));
        // Each writer names the streams in a different order.
        await Promise.all(
          Array.from({ length: 5 }, (_, w) =>
            store.appendToStreams((w % 2 ? [...ids].reverse() : ids).map((streamId) => ({ streamId, events: numbered(tenant, 1) }))),
          ),
        );
        for (const id of ids) expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      });

      it('an empty batch appends nothing', async () => {
        await expect(store.appendToStreams([])).resolves.toEqual([]);
      });
    });

    describe('bad input changes nothing', () => {
      it.each([
        ['an event type without context and version', (t: string) => testEvent(t, 'SomethingHappened')],
        ['a non-UUID event id', (t: string) => testEvent(t, undefined, {}, { eventId: 'not-a-uuid' })],
        ['metadata of another tenant', (t: string) => testEvent(`${t}-other`)],
      ])('refuses %s', async (_label, make) => {
        const tenant = uniqueTenant();
        const id = stream(tenant);
        await expect(store.appendToStream(id, [testEvent(tenant), make(tenant)])).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(id)).toEqual([]);
      });
    });

    describe('the global log', () => {
      it('reads from a position, filtered by tenant, stream prefix and event type', async () => {
        const a = uniqueTenant('a');
        const b = uniqueTenant('b');
        const resA = stream(a, 'resource');
        const incA = stream(a, 'incident');
        const resB = stream(b, 'resource');
        await store.appendToStream(resA, [testEvent(a, 'inventory.ResourceDiscovered.v1')]);
        await store.appendToStream(resB, [testEvent(b, 'inventory.ResourceDiscovered.v1')]);
        await store.appendToStream(incA, [testEvent(a, 'incidents.IncidentOpened.v1')]);
        await store.appendToStream(resA, [testEvent(a, 'inventory.ResourceRemoved.v1')]);

        const ofA = await readTenant(store, a);
        expect(ofA.map((e) => e.type)).toEqual([
          'inventory.ResourceDiscovered.v1',
          'incidents.IncidentOpened.v1',
          'inventory.ResourceRemoved.v1',
        ]);
        expect(ofA.every((e) => e.metadata.tenantId === a)).toBe(true);

        const byPrefix = await store.readAll({ filter: { streamPrefixes: [`t-${a}:incident-`, `t-${b}:`] }, maxCount: 10_000 });
        expect(byPrefix.events.map((e) => e.streamId).sort()).toEqual([incA, resB].sort());

        const byType = await store.readAll({ filter: { tenantId: a, eventTypes: ['inventory.ResourceRemoved.v1'] } });
        expect(byType.events.map((e) => e.streamId)).toEqual([resA]);
        expect(byType.isEnd).toBe(true);

        const afterFirst = await store.readAll({ from: ofA[0].globalPosition, filter: { tenantId: a } });
        expect(afterFirst.events.map((e) => e.eventId)).toEqual(ofA.slice(1).map((e) => e.eventId));
      });

      it("reads only what staff did on a tenant's behalf when asked", async () => {
        const t = uniqueTenant();
        const own = testEvent(t, 'tenancy.ApiKeyIssued.v1');
        const customer = { ...own, metadata: { ...own.metadata, actor: { kind: 'user' as const, id: 'it@customer.example' } } };
        const staff = testEvent(t, 'incidents.IncidentTriaged.v1');
        await store.appendToStream(stream(t, 'incident'), [customer, staff]);
        const page = await store.readAll({ filter: { tenantId: t, actedOnBehalf: true } });
        expect(page.events.map((e) => e.eventId)).toEqual([staff.eventId]);
        expect(page.events[0].metadata.actor).toEqual({ kind: 'user', id: 'ana@soc.example', onBehalfOfTenant: t });
        expect((await store.readAll({ filter: { tenantId: t } })).events).toHaveLength(2);
      });

      it('pages with maxCount and continues from the returned position', async () => {
        const t = uniqueTenant();
        // 25 events in one append share a transaction: order must still be numeric (9 before 10)
        await store.appendToStream(stream(t), numbered(t, 25));
        const pages: number[] = [];
        const revisions: number[] = [];
        let from = START;
        for (;;) {
          const page = await store.readAll({ from, filter: { tenantId: t }, maxCount: 4 });
          pages.push(page.events.length);
          revisions.push(...page.events.map((e) => e.revision));
          from = page.position;
          if (page.isEnd) break;
        }
        expect(revisions).toEqual(Array.from({ length: 25 }, (_, i) => i));
        expect(pages.slice(0, 6)).toEqual([4, 4, 4, 4, 4, 4]);
      });

      it('keeps each stream in revision order', async () => {
        const t = uniqueTenant();
        const ids = [stream(t), stream(t), stream(t)];
        for (let round = 0; round < 4; round++) {
          await Promise.all(ids.map((id) => store.appendToStream(id, numbered(t, 2))));
        }
        const seen = new Map<string, number>();
        for (const e of await readTenant(store, t)) {
          expect(e.revision).toBe((seen.get(e.streamId) ?? -1) + 1);
          seen.set(e.streamId, e.revision);
        }
        expect([...seen.values()]).toEqual([7, 7, 7]);
      });

      it("reads one tenant partition's events, the partition computed as tenantPartitionOf computes it", async () => {
        // A type of its own, so events of other tests (and suites sharing the store) stay out.
        const type = `test.Partitioned${randomUUID().slice(0, 8)}.v1`;
        const tenants = Array.from({ length: 24 }, (_, i) => uniqueTenant(`p${i}`));
        for (const t of tenants) await store.appendToStream(stream(t), [testEvent(t, type), testEvent(t, type)]);
        const count = 5;
        const seen = new Map<number, string[]>();
        for (let index = 0; index < count; index++) {
          const tenantsRead: string[] = [];
          let from = START;
          for (;;) {
            const page = await store.readAll({ from, filter: { eventTypes: [type], tenantPartition: { index, count } }, maxCount: 7 });
            tenantsRead.push(...page.events.map((e) => e.metadata.tenantId));
            from = page.position;
            if (page.isEnd) break;
          }
          seen.set(index, tenantsRead);
        }
        for (const [index, tenantsRead] of seen) {
          const expected = tenants.filter((t) => tenantPartitionOf(t, count) === index);
          expect(tenantsRead).toEqual(expected.flatMap((t) => [t, t])); // each tenant's two events, in log order
        }
        expect(new Set([...seen.values()].flat())).toEqual(new Set(tenants));
        // with a tenant filter too, and a partition the tenant is not in: nothing, and the position moves on
        const t = tenants[0];
        const elsewhere = (tenantPartitionOf(t, count) + 1) % count;
        const none = await store.readAll({ filter: { tenantId: t, tenantPartition: { index: elsewhere, count } } });
        expect(none.events).toEqual([]);
        expect(none.isEnd).toBe(true);
        expect(comparePositions(none.position, START)).toBeGreaterThan(0);
        await expect(store.readAll({ filter: { tenantPartition: { index: count, count } } })).rejects.toBeInstanceOf(RangeError);
      });

      it('reports the head position', async () => {
        const t = uniqueTenant();
        const appended = await store.appendToStream(stream(t), numbered(t, 2));
        expect(comparePositions(await store.headPosition(), appended.position)).toBeGreaterThanOrEqual(0);
      });
    });

    describe('catch-up subscription', () => {
      it('delivers history, then live events, from a checkpoint', async () => {
        const t = uniqueTenant();
        const id = stream(t);
        await store.appendToStream(id, numbered(t, 3));
        const controller = new AbortController();
        const seen: RecordedEvent[] = [];
        const done = (async () => {
          for await (const batch of subscribe(store, { filter: { tenantId: t }, signal: controller.signal, idleTimeoutMs: 200 })) {
            seen.push(...batch.events);
            if (seen.length >= 5) controller.abort();
          }
        })();
        await waitUntil(() => seen.length >= 3);
        await store.appendToStream(id, numbered(t, 2));
        await done;
        expect(seen.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);

        // resuming from a stored checkpoint delivers only what came after it
        const resumed = await store.readAll({ from: seen[2].globalPosition, filter: { tenantId: t } });
        expect(resumed.events.map((e) => e.revision)).toEqual([3, 4]);
      });
    });

    describe('upcasting on read', () => {
      it('turns stored old versions into the current one, leaving the stored event as it was', async () => {
        const upcast = upcasterChain([
          { fromType: 'test.ThingRenamed.v1', toType: 'test.ThingRenamed.v2', upcast: (d) => ({ ...(d as object), displayName: (d as { name: string }).name }) },
        ]);
        const upcasting = await factory.open({ upcast });
        try {
          const t = uniqueTenant();
          const id = stream(t);
          await upcasting.appendToStream(id, [testEvent(t, 'test.ThingRenamed.v1', { name: 'api' })]);
          const [fromStream] = await upcasting.readStream(id);
          expect(fromStream).toMatchObject({ type: 'test.ThingRenamed.v2', data: { name: 'api', displayName: 'api' } });
          const { events } = await upcasting.readAll({ filter: { tenantId: t } });
          expect(events[0].type).toBe('test.ThingRenamed.v2');
          const [raw] = await store.readStream(id);
          expect(raw.type).toBe('test.ThingRenamed.v1');
        } finally {
          await upcasting.close();
        }
      });
    });
  });
};

export const waitUntil = async (condition: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
