import { randomUUID } from 'node:crypto';
import { tenantHashOf, tenantPartitionOf, WrongExpectedRevisionError } from '@rampart/event-sourcing';
import { eventStoreContract } from '../contract/event-store.contract';
import { numbered, uniqueTenant } from '../contract/fixtures';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '../testing/databases';
import { APPEND_FUNCTION } from './schema';
import { SqlEventStore } from './sql-event-store';

const sqlFactory = (open: () => Promise<TestDatabase>) => {
  let db: TestDatabase | undefined;
  afterAll(async () => db?.dispose());
  return {
    async open(options = {}) {
      db ??= await open();
      return SqlEventStore.open(db.sql, { schema: db.schema, ...options });
    },
  };
};

eventStoreContract('PGlite', sqlFactory(() => pgliteTestDatabase('contract')));
eventStoreContract('PostgreSQL', sqlFactory(() => postgresTestDatabase('contract')));

describe('a SQL event store importing history with its own clock', () => {
  let db: TestDatabase;
  afterAll(async () => db?.dispose());

  it('records events at the clock it is given, on both append paths', async () => {
    db = await pgliteTestDatabase('clock');
    let at = new Date('2026-10-01T09:00:00.000Z');
    const store = await SqlEventStore.open(db.sql, { schema: db.schema, clock: () => at });
    const metadata = { tenantId: 'contoso-bank', actor: { kind: 'system' as const, id: 'import' }, correlationId: 'c', causationId: null, occurredAt: at.toISOString(), schemaVersion: 1 };
    const event = (n: number) => ({ eventId: `00000000-0000-4000-8000-00000000000${n}`, type: 'demo.Happened.v1', data: { n }, metadata });
    await store.appendToStream('t-contoso-bank:demo-a', [event(1)]);
    at = new Date('2026-10-02T09:00:00.000Z');
    await store.appendToStreams([{ streamId: 't-contoso-bank:demo-b', events: [event(2)] }]);
    const { events } = await store.readAll();
    expect(events.map((e) => e.recordedAt)).toEqual(['2026-10-01T09:00:00.000Z', '2026-10-02T09:00:00.000Z']);
    // without a clock, the database's
    const plain = await SqlEventStore.open(db.sql, { schema: db.schema });
    await plain.appendToStream('t-contoso-bank:demo-c', [event(3)]);
    expect(Date.parse((await plain.readStream('t-contoso-bank:demo-c'))[0].recordedAt)).toBeGreaterThan(Date.now() - 60_000);
    await store.close();
    await plain.close();
  });
});

describe("a SQL event store's tenant partitions", () => {
  let db: TestDatabase;
  afterAll(async () => db?.dispose());

  it("keeps each event's tenant hash on both append paths, and still partitions events written before it kept one", async () => {
    db = await pgliteTestDatabase('partition_hash');
    const store = await SqlEventStore.open(db.sql, { schema: db.schema });
    const tenants = ['contoso-bank', 'fabrikam-retail', 'woodgrove', 'northwind', 'tailspin', 'adatum'];
    const event = (tenantId: string, n: number) => ({
      eventId: randomUUID(),
      type: 'demo.Happened.v1',
      data: { n },
      metadata: { tenantId, actor: { kind: 'system' as const, id: 'test' }, correlationId: 'c', causationId: null, occurredAt: new Date().toISOString(), schemaVersion: 1 },
    });
    for (const [i, t] of tenants.entries()) {
      await store.appendToStream(`t-${t}:demo-a`, [event(t, i)]);
      await store.appendToStreams([{ streamId: `t-${t}:demo-b`, events: [event(t, i)] }]);
    }
    const { rows } = await db.sql.query<{ tenant_id: string; tenant_hash: string | null }>(`SELECT tenant_id, tenant_hash::text FROM "${db.schema}".events`);
    expect(rows.map((r) => Number(r.tenant_hash))).toEqual(rows.map((r) => tenantHashOf(r.tenant_id)));
    const partitioned = async () => {
      const byPartition: string[][] = [];
      for (let index = 0; index < 3; index++) {
        byPartition.push((await store.readAll({ filter: { tenantPartition: { index, count: 3 } } })).events.map((e) => e.metadata.tenantId));
      }
      return byPartition;
    };
    const expected = [0, 1, 2].map((index) => tenants.flatMap((t) => (tenantPartitionOf(t, 3) === index ? [t, t] : [])));
    expect(await partitioned()).toEqual(expected);
    // Rows of a store from before the column: the reader computes what it would have held.
    await db.sql.exec(`UPDATE "${db.schema}".events SET tenant_hash = NULL WHERE tenant_id IN ('woodgrove', 'adatum')`);
    expect(await partitioned()).toEqual(expected);
    await store.close();
  });
});

describe.each([
  ['PGlite', pgliteTestDatabase],
  ['PostgreSQL', postgresTestDatabase],
] as const)('SQL storage settings on %s', (name, openDb) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDb('settings');
  });
  afterAll(async () => db?.dispose());

  it('applies transaction settings to that transaction only, and refuses unsafe ones', async () => {
    const setting = async () => (await db.sql.query<{ v: string }>(`SELECT current_setting('enable_sort') AS v`)).rows[0].v;
    expect(await setting()).toBe('on');
    const inside = await db.sql.transaction(
      async (tx) => (await tx.query<{ v: string }>(`SELECT current_setting('enable_sort') AS v`)).rows[0].v,
      { isolation: 'repeatable read', readOnly: true, settings: { enable_sort: 'off' } },
    );
    expect(inside).toBe('off');
    expect(await setting()).toBe('on');
    if (name === 'PostgreSQL') expect((await db.sql.query<{ jit: string }>('SHOW jit')).rows[0].jit).toBe('off'); // the pool's connections
    await expect(db.sql.transaction(async () => 1, { settings: { 'enable_sort; DROP TABLE x': 'off' } })).rejects.toThrow('unsafe setting');
    await expect(db.sql.transaction(async () => 1, { settings: { enable_sort: "off'; --" } })).rejects.toThrow('unsafe setting');
  });

  it('compresses event bodies with lz4 where the server has it, and opens again without altering anything', async () => {
    const store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await (await SqlEventStore.open(db.sql, { schema: db.schema })).close();
    const { rows } = await db.sql.query<{ attname: string; attcompression: string }>(
      `SELECT attname, attcompression::text AS attcompression FROM pg_attribute WHERE attrelid = $1::regclass AND attname IN ('data', 'metadata') ORDER BY attname`,
      [`"${db.schema}".events`],
    );
    const lz4 = (await db.sql.query<{ has: boolean }>(`SELECT 'lz4' = ANY (enumvals) AS has FROM pg_settings WHERE name = 'default_toast_compression'`)).rows[0].has;
    if (name === 'PostgreSQL') expect(lz4).toBe(true); // the server CI runs has it; PGlite is built without
    expect(rows.map((r) => r.attcompression)).toEqual(lz4 ? ['l', 'l'] : ['', '']);
    await store.close();
  });

  it('gives a store from before the append function one, replaces an older body, and otherwise leaves it alone', async () => {
    const fn = async () =>
      (
        await db.sql.query<{ oid: string; xmin: string; src: string; config: string[] | null; args: string; result: string }>(
          `SELECT oid::text AS oid, xmin::text AS xmin, prosrc AS src, proconfig AS config, pg_get_function_arguments(oid) AS args, pg_get_function_result(oid) AS result
           FROM pg_proc WHERE proname = $1 AND pronamespace = $2::regnamespace`,
          [APPEND_FUNCTION, `"${db.schema}"`],
        )
      ).rows;
    const appends = async () => {
      const store = await SqlEventStore.open(db.sql, { schema: db.schema });
      const tenant = uniqueTenant();
      await expect(store.appendToStream(`t-${tenant}:demo-a`, numbered(tenant, 2), { expectedRevision: 'no_stream' })).resolves.toMatchObject({
        nextExpectedRevision: 1,
      });
      await store.close();
    };
    await appends();
    const [created] = await fn();
    expect(created).toBeDefined();
    await appends();
    expect(await fn()).toEqual([created]); // opened again: not even rewritten

    const qualified = `"${db.schema}".${APPEND_FUNCTION}`;
    await db.sql.exec(`CREATE OR REPLACE FUNCTION ${qualified}(${created.args}) RETURNS ${created.result} LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'an older body'; END $$`);
    await appends();
    expect((await fn()).map((f) => f.src)).toEqual([created.src]);

    // The same body planned the default way (a generic plan can keep a sequential scan): replaced too.
    await db.sql.exec(`ALTER FUNCTION ${qualified} RESET ALL`);
    await appends();
    expect((await fn()).map((f) => f.config)).toEqual([['enable_seqscan=off']]);

    await db.sql.exec(`DROP FUNCTION ${qualified}`); // a store made before there was one
    await appends();
    expect((await fn()).map((f) => [f.src, f.config])).toEqual([[created.src, created.config]]);
  });
});

describe('a SQL event store on PostgreSQL waking readers elsewhere', () => {
  let db: TestDatabase;
  afterAll(async () => db?.dispose());

  it('notifies LISTENing stores of an append, and of nothing for a refused or repeated one', async () => {
    db = await postgresTestDatabase('notify');
    const writer = await SqlEventStore.open(db.sql, { schema: db.schema });
    // Another store object, as in another process: only a NOTIFY reaches it.
    const reader = await SqlEventStore.open(db.sql, { schema: db.schema });
    const notified = async (since: number) => {
      for (let waited = 0; reader.appendNotifications() === since && waited < 5_000; waited += 50) await reader.waitForAppend(50, undefined, since);
      return reader.appendNotifications() - since;
    };
    const tenant = uniqueTenant();
    const id = `t-${tenant}:demo-a`;
    const events = numbered(tenant, 1);

    let since = reader.appendNotifications();
    await writer.appendToStream(id, events, { expectedRevision: 'no_stream' });
    expect(await notified(since)).toBe(1);

    since = reader.appendNotifications();
    await expect(writer.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(writer.appendToStream(id, events, { expectedRevision: 'no_stream' })).resolves.toMatchObject({ alreadyAppended: true });
    await writer.appendToStream(id, numbered(tenant, 1), { expectedRevision: 0 });
    // Notifications arrive in commit order: had the refused or repeated append sent one, it came first.
    expect(await notified(since)).toBe(1);
    await writer.close();
    await reader.close();
  });

  it('listens again when the server drops its listening connection, and wakes its readers when it breaks and when it listens again', async () => {
    db ??= await postgresTestDatabase('notify');
    const writer = await SqlEventStore.open(db.sql, { schema: db.schema });
    const reader = await SqlEventStore.open(db.sql, { schema: db.schema });
    const tenant = uniqueTenant();
    const id = `t-${tenant}:relisten`;
    const lost = reader.appendNotifications();
    const { rows } = await db.sql.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
      [`LISTEN "${db.schema}_events"`],
    );
    expect(rows.length).toBeGreaterThan(0);
    // The loss itself wakes a sleeping reader: it reads once more instead of sleeping through appends it cannot hear of.
    await reader.waitForAppend(5_000, undefined, lost);
    expect(reader.appendNotifications()).toBeGreaterThan(lost);

    // An append while it cannot hear: listening again (a second later) wakes its readers to read it.
    const gap = reader.appendNotifications();
    await writer.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'any' });
    const waited = Date.now();
    await reader.waitForAppend(5_000, undefined, gap);
    expect(reader.appendNotifications()).toBeGreaterThan(gap);
    expect(Date.now() - waited).toBeLessThan(4_000);

    // Listening again, an append elsewhere wakes it well before its timeout.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const since = reader.appendNotifications();
      await writer.appendToStream(id, numbered(tenant, 1), { expectedRevision: 'any' });
      const started = Date.now();
      await reader.waitForAppend(3_000, undefined, since);
      if (Date.now() - started < 1_000 && reader.appendNotifications() > since) break;
      if (Date.now() > deadline) throw new Error('the store did not listen again within 10 s');
    }
    await writer.close();
    await reader.close();
  });
});
