import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '@rampart/event-sourcing';
import { numbered, testEvent, uniqueTenant } from '../contract/fixtures';
import { SqlEventStore } from '../sql/sql-event-store';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '../testing/databases';
import { documentProjection, type SqlProjection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Records every application without a unique key, so a duplicate shows up as a second row. */
const auditingProjection = (
  tenantId: string,
  options: { failOnEventId?: string; failures?: number; version?: number } = {},
): SqlProjection => {
  let failed = 0;
  return {
    name: 'applied-log',
    version: options.version ?? 1,
    filter: { tenantId },
    tables: ['applied'],
    async setup({ tx, table }) {
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${table('applied')} (event_id text NOT NULL, stream_id text NOT NULL, revision int NOT NULL)`,
      );
    },
    async apply({ tx, table }, event) {
      await tx.query(`INSERT INTO ${table('applied')} VALUES ($1, $2, $3)`, [event.eventId, event.streamId, event.revision]);
      if (event.eventId === options.failOnEventId && failed < (options.failures ?? 1)) {
        failed++;
        throw new Error('simulated crash in the middle of a batch');
      }
    },
  };
};

const backends: [string, (label: string) => Promise<TestDatabase>][] = [
  ['PGlite', pgliteTestDatabase],
  ['PostgreSQL', postgresTestDatabase],
];

describe.each(backends)('projection runner on %s', (_name, openDb) => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let readSchema: string;
  beforeAll(async () => {
    db = await openDb('projections');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });
  beforeEach(() => {
    readSchema = `${db.schema}_r${randomUUID().slice(0, 6)}`;
  });
  afterEach(async () => {
    await db.sql.exec(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
  });

  const applied = async () =>
    (await db.sql.query<{ event_id: string }>(`SELECT event_id FROM "${readSchema}"."applied" ORDER BY stream_id, revision`)).rows.map(
      (row) => row.event_id,
    );
  const runner = (projection: SqlProjection, batchSize = 5, passedSaveIntervalMs?: number) =>
    new ProjectionRunner(store, db.sql, projection, { schema: readSchema, batchSize, passedSaveIntervalMs });
  const drain = async (r: ProjectionRunner) => {
    for (let result = await r.runBatch(); !result.caughtUp; result = await r.runBatch());
  };
  const seed = async (tenant: string, count: number) => {
    const events = numbered(tenant, count);
    await store.appendToStream(`t-${tenant}:thing-1`, events);
    return events.map((e) => e.eventId);
  };

  it('leaves a projection another worker has just built: workers starting at once all found no checkpoint', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 7);
    const first = runner(auditingProjection(tenant));
    await first.prepare();
    await drain(first);
    // A second worker read "no checkpoint" before the first wrote one; its reset comes now.
    await runner(auditingProjection(tenant)).reset({ onlyIfStale: true });
    expect(await applied()).toEqual(ids);
    expect((await first.status()).eventsBehind).toBe(0);
    // Of another version, the projection is rebuilt as before.
    await runner(auditingProjection(tenant, { version: 2 })).reset({ onlyIfStale: true });
    expect(await applied()).toEqual([]);
  });

  it('applies every matching event once and reports its lag', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 12);
    const other = uniqueTenant('other');
    await store.appendToStream(`t-${other}:thing-1`, numbered(other, 3)); // filtered out by tenant
    const r = runner(auditingProjection(tenant));
    await r.prepare();
    expect(await r.status()).toMatchObject({ eventsBehind: 12, eventsApplied: 0 });
    await drain(r);
    expect(await applied()).toEqual(ids);
    expect(await r.status()).toMatchObject({ eventsBehind: 0, secondsBehind: 0, eventsApplied: 12 });
  });

  it('a crash in the middle of a batch loses and duplicates nothing', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 12);
    const r = runner(auditingProjection(tenant, { failOnEventId: ids[7] }));
    await r.prepare();
    await r.runBatch(); // events 0-4 committed
    await expect(r.runBatch()).rejects.toThrow('simulated crash'); // 5-9: 5, 6, 7 written, then rolled back
    expect(await applied()).toEqual(ids.slice(0, 5));
    expect((await r.status()).eventsApplied).toBe(5);
    await drain(r);
    expect(await applied()).toEqual(ids);
  });

  it('a restarted runner resumes from the committed checkpoint', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 13);
    const first = runner(auditingProjection(tenant));
    await first.prepare();
    await first.runBatch();
    await first.runBatch();
    // process "dies" here; a new one starts with the same projection
    const second = runner(auditingProjection(tenant));
    await second.prepare();
    await drain(second);
    expect(await applied()).toEqual(ids);
  });

  it('two runners of one projection never apply an event twice', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 40);
    const a = runner(auditingProjection(tenant), 3);
    const b = runner(auditingProjection(tenant), 3);
    await a.prepare();
    await Promise.all([drain(a), drain(b)]);
    await drain(a);
    expect(await applied()).toEqual(ids);
  });

  it('drops a page it read ahead once another runner has moved the checkpoint past it', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 17);
    const a = runner(auditingProjection(tenant));
    await a.prepare();
    await a.runBatch(); // 0-4 committed; 5-9 read ahead
    await runner(auditingProjection(tenant)).rebuild(); // another worker rebuilds: all 17 again, from zero
    await drain(a);
    expect(await applied()).toEqual(ids);
    expect((await a.status()).eventsApplied).toBe(17);
  });

  it('passes over other events without a checkpoint write each time, and records it within the interval', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 3);
    const other = uniqueTenant('other');
    const r = runner(auditingProjection(tenant), 5, 60_000);
    await r.prepare();
    await drain(r);
    const saved = await r.position();
    for (let i = 0; i < 3; i++) {
      await store.appendToStream(`t-${other}:thing-${i}`, numbered(other, 2));
      expect(await r.runBatch()).toMatchObject({ applied: 0, caughtUp: true });
    }
    expect(await r.position()).toEqual(saved); // nothing written for three passes
    const more = numbered(tenant, 2);
    await store.appendToStream(`t-${tenant}:thing-2`, more);
    await drain(r);
    expect(await applied()).toEqual([...ids, ...more.map((e) => e.eventId)]);
    expect(await r.position()).not.toEqual(saved);

    // With a short interval the pass is recorded on a later read, and a restart starts from it.
    const quick = runner(auditingProjection(tenant), 5, 0);
    await store.appendToStream(`t-${other}:thing-9`, numbered(other, 2));
    const before = await quick.position();
    await quick.runBatch();
    expect(await quick.position()).not.toEqual(before);
    expect((await quick.status()).eventsBehind).toBe(0);
    expect(await applied()).toHaveLength(5);
  });

  it('rebuilds from zero into fresh tables, and on a version change', async () => {
    const tenant = uniqueTenant();
    const ids = await seed(tenant, 8);
    const r = runner(auditingProjection(tenant));
    await r.prepare();
    await drain(r);
    await db.sql.query(`DELETE FROM "${readSchema}"."applied" WHERE event_id = $1`, [ids[3]]); // a damaged read model
    expect(await r.rebuild()).toBe(8);
    expect(await applied()).toEqual(ids);

    const v2 = runner(auditingProjection(tenant, { version: 2 }));
    await v2.prepare(); // version differs: starts over empty
    expect(await applied()).toEqual([]);
    await drain(v2);
    expect(await applied()).toEqual(ids);
  });

  it('keeps up with live appends while running', async () => {
    const tenant = uniqueTenant();
    const r = runner(auditingProjection(tenant));
    await r.prepare();
    const controller = new AbortController();
    const running = r.run(controller.signal, 100);
    const ids = await seed(tenant, 6);
    await waitFor(async () => (await applied()).length === 6);
    controller.abort();
    await running;
    expect(await applied()).toEqual(ids);
  });

  it('documentProjection evolves one JSON document per key', async () => {
    const tenant = uniqueTenant();
    type Counter = { count: number; last: number };
    const projection = documentProjection<Counter>({
      name: 'counters',
      version: 1,
      table: 'counters',
      eventTypes: ['test.SomethingHappened.v1', 'test.CounterDeleted.v1'],
      keyOf: (e: RecordedEvent) => e.streamId,
      evolve: (doc, e) =>
        e.type === 'test.CounterDeleted.v1' ? null : { count: (doc?.count ?? 0) + 1, last: (e.data as { n: number }).n },
    });
    await store.appendToStream(`t-${tenant}:counter-a`, numbered(tenant, 3));
    await store.appendToStream(`t-${tenant}:counter-b`, numbered(tenant, 2));
    await store.appendToStream(`t-${tenant}:counter-b`, [testEvent(tenant, 'test.CounterDeleted.v1', {})]);
    const r = new ProjectionRunner(store, db.sql, { ...projection, filter: { ...projection.filter, tenantId: tenant } }, { schema: readSchema });
    await r.prepare();
    await drain(r);
    const { rows } = await db.sql.query<{ id: string; tenant_id: string; doc: Counter }>(
      `SELECT id, tenant_id, doc FROM "${readSchema}"."counters"`,
    );
    expect(rows).toEqual([{ id: `t-${tenant}:counter-a`, tenant_id: tenant, doc: { count: 3, last: 2 } }]);
  });
});

const waitFor = async (condition: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
