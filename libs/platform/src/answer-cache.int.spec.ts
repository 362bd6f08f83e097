// The read side's version on both SQL stores: it stands still while nothing happens, and moves with
// every append and with every projection or reaction that applies it, so a kept answer (a score)
// is computed again after each change and never served across one.
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { AnswerCache, readSideVersion } from './answer-cache';
import { InlineWorker } from './inline-worker';

describe.each([
  ['PGlite', pgliteTestDatabase],
  ['PostgreSQL', postgresTestDatabase],
] as const)('the read side version (%s)', (_name, open) => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const schema = 'answer_cache_read';

  beforeAll(async () => {
    db = await open('answer_cache');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it('stands still while nothing happens and moves with each append and each projection step', async () => {
    const stores = { eventStore: store, readModels: db.sql };
    const version = readSideVersion(stores, schema);
    const empty = await version();
    expect(await version()).toBe(empty);

    await onboardTenants(store, `version-a-${Date.now()}`);
    const appended = await version();
    expect(appended).not.toBe(empty);

    const worker = await InlineWorker.start(stores, { schema });
    await worker.settle();
    const projected = await version();
    expect(projected).not.toBe(appended);
    expect(await version()).toBe(projected);

    // A kept answer is served until the next change, then computed again.
    const cache = new AnswerCache(version);
    let computed = 0;
    const ask = () => cache.get('directory', async () => ({ value: ++computed }));
    expect(await ask()).toBe(1);
    expect(await ask()).toBe(1);
    await onboardTenants(store, `version-b-${Date.now()}`);
    expect(await ask()).toBe(2);
    await worker.settle();
    expect(await ask()).toBe(3);
    expect(await ask()).toBe(3);
  });
});
