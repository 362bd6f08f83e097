// Workers following the same subscription on one PostgreSQL, split by tenant partition: every
// event is handled once, by one worker at a time per tenant and in order; the partitions are
// shared, move when a worker stops or dies, and are handed back when one joins; a worker paused
// past its lease can neither save its checkpoint nor append what it decided; a deployment
// upgraded from the single checkpoint starts each partition from it.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { comparePositions, tenantPartitionOf, toNewEvents, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlCheckpointStore, SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { type Background, createLogger, fenceAppends, followLog, LeaseLostError, Leases } from '@rampart/runtime';

const PARTITIONS = 4;
/** Three tenants in each of the 4 partitions. */
const TENANTS = (() => {
  const by = new Map<number, string[]>();
  for (let i = 0; [...by.values()].flat().length < 3 * PARTITIONS; i++) {
    const t = `tenant-${i}`;
    const p = tenantPartitionOf(t, PARTITIONS);
    if ((by.get(p)?.length ?? 0) < 3) by.set(p, [...(by.get(p) ?? []), t]);
  }
  return [...by.values()].flat();
})();

const eventually = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('following the log with several workers, by tenant partition', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let running: Background[] = [];
  let subscription = '';
  let readSchema = '';
  const silent = createLogger('silent');
  beforeAll(async () => {
    db = await postgresTestDatabase('follow');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  beforeEach(() => {
    subscription = `ticker-${randomUUID().slice(0, 8)}`;
    readSchema = `${db.schema}_read`;
  });
  afterEach(async () => {
    await Promise.all(running.map((f) => f.stop()));
    running = [];
  });
  afterAll(async () => {
    await db.sql.exec(`DROP SCHEMA IF EXISTS "${db.schema}_read" CASCADE`).catch(() => undefined);
    await store?.close();
    await db?.dispose();
  });

  const type = () => `test.Ticked${subscription.slice(-8)}.v1`;
  const append = async (perTenant: number, tag = 0): Promise<GlobalPosition> => {
    let last: GlobalPosition | undefined;
    for (let n = 0; n < perTenant; n++) {
      const appends = TENANTS.map((t) => ({
        streamId: `t-${t}:ticker-${tag}-${n}`,
        events: toNewEvents([{ type: type(), data: { n, tag } }], { tenantId: t, actor: { kind: 'system', id: 'test' }, correlationId: randomUUID(), causationId: null, now: new Date() }),
      }));
      const results = await store.appendToStreams(appends);
      last = results[results.length - 1].position;
    }
    return last!;
  };

  /** Who handled each event (event id -> workers), and each tenant's order as handled. */
  const ledger = () => {
    const handled = new Map<string, string[]>();
    const order = new Map<string, number[]>();
    let busy = new Map<string, string>(); // tenant -> worker handling it right now
    const overlaps: string[] = [];
    return {
      handled,
      order,
      overlaps,
      handle: (worker: string, pause = 5) => async (events: readonly RecordedEvent[]) => {
        const tenants = new Set(events.map((e) => e.metadata.tenantId));
        for (const t of tenants) {
          const other = busy.get(t);
          if (other && other !== worker) overlaps.push(`${t}: ${other} and ${worker}`);
          busy.set(t, worker);
        }
        for (const e of events) {
          handled.set(e.eventId, [...(handled.get(e.eventId) ?? []), worker]);
          order.set(e.metadata.tenantId, [...(order.get(e.metadata.tenantId) ?? []), (e.data as { n: number }).n]);
        }
        await new Promise((r) => setTimeout(r, pause)); // work takes time: overlaps would show
        busy = new Map([...busy].filter(([t]) => !tenants.has(t)));
      },
      workersOf: (tenant: string, events: readonly string[]) => new Set(events.flatMap((id) => handled.get(id) ?? []).filter(Boolean)),
    };
  };

  const follower = (handle: (events: readonly RecordedEvent[], signal: AbortSignal) => Promise<unknown>, options: { leaseMs?: number; partitions?: number } = {}) =>
    followLog({ eventStore: store, readModels: db.sql }, silent, {
      subscriptionId: subscription,
      eventTypes: [type()],
      schema: readSchema,
      batchSize: 10,
      leaseMs: options.leaseMs ?? 1_500,
      partitions: options.partitions ?? PARTITIONS,
      handle,
    }).then((f) => {
      running.push(f);
      return f;
    });

  const leaseHolders = async () => {
    const { rows } = await db.sql.query<{ lease_key: string; holder: string }>(
      `SELECT lease_key, holder FROM "${readSchema}".leases WHERE starts_with(lease_key, $1) AND expires_at > clock_timestamp()`,
      [`subscription:${subscription}[`],
    );
    return rows;
  };

  it('shares the partitions, hands each event to one worker once and each tenant to one worker at a time, in order', async () => {
    const log = ledger();
    const a = await follower(log.handle('a'));
    await follower(log.handle('b'));
    await eventually('the partitions shared 2 + 2', async () => {
      const rows = await leaseHolders();
      const per = new Map<string, number>();
      for (const r of rows) per.set(r.holder, (per.get(r.holder) ?? 0) + 1);
      return rows.length === PARTITIONS && [...per.values()].every((n) => n === PARTITIONS / 2);
    });

    await append(20);
    const total = 20 * TENANTS.length;
    await eventually(`${total} events handled`, () => log.handled.size === total);
    await new Promise((r) => setTimeout(r, 500)); // time for a second handling, if there were one
    expect([...log.handled.values()].filter((workers) => workers.length > 1)).toEqual([]);
    expect(log.overlaps).toEqual([]);
    for (const t of TENANTS) expect(log.order.get(t)).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(new Set([...log.handled.values()].flat())).toEqual(new Set(['a', 'b']));

    // One stops (cleanly: its leases are released at once); the other takes every partition.
    await a.stop();
    running = running.filter((f) => f !== a);
    await append(5, 1);
    await eventually(`${total + 5 * TENANTS.length} events handled`, () => log.handled.size === total + 5 * TENANTS.length, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect([...log.handled.values()].filter((workers) => workers.length > 1)).toEqual([]);
    expect(new Set([...log.handled.values()].slice(total).flat())).toEqual(new Set(['b']));
  });

  it('hands partitions back when a worker joins, at a batch boundary, never two at once', async () => {
    const log = ledger();
    await follower(log.handle('a', 20));
    await eventually('a holds every partition', async () => (await leaseHolders()).length === PARTITIONS);
    await append(15);
    await eventually('a under way', () => log.handled.size > 40);
    await follower(log.handle('b', 20)); // joins while a works
    await eventually('the partitions shared 2 + 2', async () => {
      const rows = await leaseHolders();
      return rows.length === PARTITIONS && new Set(rows.map((r) => r.holder)).size === 2 && rows.filter((r) => r.holder === rows[0].holder).length === 2;
    });
    await append(5, 1);
    const total = 20 * TENANTS.length;
    await eventually(`${total} events handled`, () => log.handled.size === total);
    await new Promise((r) => setTimeout(r, 500));
    expect([...log.handled.values()].filter((workers) => workers.length > 1)).toEqual([]);
    expect(log.overlaps).toEqual([]);
    for (const t of TENANTS) expect(log.order.get(t)).toEqual([...Array.from({ length: 15 }, (_, n) => n), ...Array.from({ length: 5 }, (_, n) => n)]);
    expect(new Set([...log.handled.values()].flat())).toEqual(new Set(['a', 'b']));
  });

  it("takes a dead worker's partitions once their leases expire, from its checkpoint", async () => {
    // A worker killed with SIGKILL leaves its member row and its partitions' leases to expire.
    const leases = await Leases.open(db.sql, readSchema);
    const dead = 'elsewhere:4242:deadbeef';
    const leaseMs = 4_000;
    await leases.acquire(`worker:${subscription}[${PARTITIONS}]:${dead}`, dead, leaseMs);
    for (const k of [0, 1]) await leases.acquire(`subscription:${subscription}[${k}/${PARTITIONS}]`, dead, leaseMs);
    const expiry = performance.now() + leaseMs;
    const log = ledger();
    const firstSeen = new Map<string, number>();
    await follower(async (events) => {
      for (const e of events) if (!firstSeen.has(e.metadata.tenantId)) firstSeen.set(e.metadata.tenantId, performance.now());
      await log.handle('live')(events);
    });
    await append(3);
    const total = 3 * TENANTS.length;
    await eventually(`${total} events handled`, () => log.handled.size === total, 30_000);
    const orphaned = TENANTS.filter((t) => tenantPartitionOf(t, PARTITIONS) < 2);
    for (const t of orphaned) expect(firstSeen.get(t)!).toBeGreaterThanOrEqual(expiry);
    for (const t of TENANTS.filter((x) => !orphaned.includes(x))) expect(firstSeen.get(t)!).toBeLessThan(expiry);
    expect((await leaseHolders()).every((r) => r.holder !== dead)).toBe(true);
  });

  it('refuses the late appends of a worker paused past its lease, and saves nothing for it', async () => {
    const fenced = fenceAppends(store);
    const leaseMs = 1_200;
    const refused: unknown[] = [];
    let calls = 0;
    const outputs = `t-${TENANTS[0]}:output`;
    await follower(
      async (events) => {
        calls++;
        if (calls === 1) {
          // The process stops (a long GC pause, SIGSTOP) longer than its lease…
          const until = performance.now() + leaseMs + 300;
          while (performance.now() < until) {
            /* frozen: no timer, no renewal */
          }
        }
        // …and on waking goes on with what it was doing: the append is refused before it is sent.
        const t = events[0].metadata.tenantId;
        try {
          await fenced.appendToStream(outputs, toNewEvents([{ type: 'test.Decided.v1', data: { call: calls } }], { tenantId: t, actor: { kind: 'system', id: 'test' }, correlationId: randomUUID(), causationId: null, now: new Date() }));
        } catch (error) {
          refused.push(error);
          throw error;
        }
      },
      { leaseMs, partitions: 1 },
    );
    const checkpoints = await SqlCheckpointStore.open(db.sql, readSchema);
    await eventually('the follower started', async () => (await leaseHolders()).length === 1);
    await store.appendToStream(`t-${TENANTS[0]}:ticker-x`, toNewEvents([{ type: type(), data: { n: 0 } }], { tenantId: TENANTS[0], actor: { kind: 'system', id: 'test' }, correlationId: randomUUID(), causationId: null, now: new Date() }));
    await eventually('the batch handled again and its append made', async () => (await store.readStream(outputs)).length === 1, 30_000);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(LeaseLostError);
    expect((await store.readStream(outputs)).map((e) => (e.data as { call: number }).call)).toEqual([calls]);
    expect(await checkpoints.load(`${subscription}[0/1]`)).toBeDefined();
  });

  it('saves a checkpoint only while its lease names the saver, and only forwards', async () => {
    const checkpoints = await SqlCheckpointStore.open(db.sql, readSchema);
    const leases = await Leases.open(db.sql, readSchema);
    const key = `subscription:${subscription}[0/1]`;
    const lease = (holder: string) => ({ table: leases.tableName, key, holder });
    const id = `${subscription}[0/1]`;
    expect(await leases.acquire(key, 'a', 60_000)).toBe(true);
    expect(await checkpoints.saveWhileHeld(id, { commit: 10n, prepare: 5n }, lease('a'))).toBe(true);
    // b took the lease over after it expired; a, late, can save nothing, forwards or back
    await db.sql.query(`UPDATE "${readSchema}".leases SET holder = 'b' WHERE lease_key = $1`, [key]);
    expect(await checkpoints.saveWhileHeld(id, { commit: 12n, prepare: 0n }, lease('a'))).toBe(false);
    expect(await checkpoints.saveWhileHeld(id, { commit: 9n, prepare: 0n }, lease('a'))).toBe(false);
    expect(await checkpoints.load(id)).toEqual({ commit: 10n, prepare: 5n });
    // the holder moves it forwards only
    expect(await checkpoints.saveWhileHeld(id, { commit: 9n, prepare: 99n }, lease('b'))).toBe(true);
    expect(await checkpoints.load(id)).toEqual({ commit: 10n, prepare: 5n });
    expect(await checkpoints.saveWhileHeld(id, { commit: 11n, prepare: 0n }, lease('b'))).toBe(true);
    expect(await checkpoints.load(id)).toEqual({ commit: 11n, prepare: 0n });
  });

  it('starts each partition of an upgraded deployment from its single checkpoint, skipping nothing after it', async () => {
    const before = await append(2, 0);
    const checkpoints = await SqlCheckpointStore.open(db.sql, readSchema);
    await checkpoints.save(subscription, before); // what the version before partitions left
    // ...and its worker still holds the subscription's single lease: the new ones wait for it
    const leases = await Leases.open(db.sql, readSchema);
    await leases.acquire(`subscription:${subscription}`, 'old-version', 60_000);
    const log = ledger();
    await follower(log.handle('new'));
    await append(3, 1);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(log.handled.size).toBe(0);
    await leases.release(`subscription:${subscription}`, 'old-version'); // the old worker stopped
    const after = 3 * TENANTS.length;
    await eventually(`${after} events handled`, () => log.handled.size === after, 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(log.handled.size).toBe(after);
    for (const t of TENANTS) expect(log.order.get(t)).toEqual([0, 1, 2]);

    // Then to 2 partitions: each starts from the earliest of the 4, and the workers with 4 hand over.
    const more = ledger();
    await Promise.all(running.map((f) => f.stop()));
    running = [];
    await follower(more.handle('two'), { partitions: 2 });
    await append(1, 2);
    await eventually(`${TENANTS.length} more handled`, () => more.handled.size >= TENANTS.length, 30_000);
    // A partition saves its checkpoint after its handler returns: on a busy machine that is later.
    const twoPartitions = async () => [...(await checkpoints.list(subscription)).keys()].filter((k) => k.endsWith('/2]')).length === 2;
    await eventually('both of the 2 partitions checkpointed', twoPartitions, 30_000);
    const positions = await checkpoints.list(subscription);
    expect([...positions.keys()].filter((k) => k.endsWith('/2]')).sort()).toEqual([`${subscription}[0/2]`, `${subscription}[1/2]`]);
    expect(comparePositions(positions.get(`${subscription}[0/2]`)!, before)).toBeGreaterThan(0);
    for (const t of TENANTS) expect(more.order.get(t)).toEqual([0]); // what was done under 4 partitions is not redone
  });
});
