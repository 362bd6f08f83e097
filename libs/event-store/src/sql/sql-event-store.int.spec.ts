import { eventStoreContract } from '../contract/event-store.contract';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '../testing/databases';
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
