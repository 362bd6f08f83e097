// The read side's version on both SQL stores: it stands still while nothing happens, and moves with
// every append and with every projection or reaction that applies it, so a kept answer (a score)
// is computed again after each change and never served across one.
import type { EventStore } from '@rampart/event-sourcing';
import { createPgClient, SqlEventStore, type SqlClient } from '@rampart/event-store';
import { pgliteTestDatabase, postgresTestDatabase, testDatabaseUrl, type TestDatabase } from '@rampart/event-store/testing';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { createMetrics } from '@rampart/runtime';
import { AnswerCache, readSideVersion } from './answer-cache';
import { InlineWorker } from './inline-worker';

/**
 * The version once it watches: on PostgreSQL the first asks read the database while the LISTEN
 * connection is being set up.
 */
const watching = async (version: () => Promise<string>): Promise<string> => {
  const deadline = Date.now() + 5_000;
  for (let last = await version(); ; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = await version();
    if (now === last && !now.startsWith('read:')) return now;
    if (Date.now() > deadline) throw new Error(`the read side version did not settle: ${last} then ${now}`);
    last = now;
  }
};

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
    const version = readSideVersion(stores, schema, { recheckMs: 60_000 });
    const empty = await watching(version);
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

/** `rampart_api_read_side_version_reads_total{reason}` as /metrics reports it. */
const versionReads = async (reason: 'check' | 'unwatched'): Promise<number> => {
  const text = await createMetrics().metrics();
  return Number(new RegExp(`^rampart_api_read_side_version_reads_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
};

/** The client as the API would use it, counting what it is asked. */
const counting = (sql: SqlClient): SqlClient & { readonly asked: () => number } => {
  let asked = 0;
  return {
    ...sql,
    query: (...args) => {
      asked++;
      return sql.query(...args);
    },
    asked: () => asked,
  };
};

describe.each([
  ['PGlite', pgliteTestDatabase],
  ['PostgreSQL', postgresTestDatabase],
] as const)('the read side version while watching (%s)', (_name, open) => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const schema = 'answer_watch_read';

  beforeAll(async () => {
    db = await open('answer_watch');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it('asks the database nothing per request, once a second at most, and still moves with each commit of this process', async () => {
    const readModels = counting(db.sql);
    const stores = { eventStore: store, readModels };
    const worker = await InlineWorker.start(stores, { schema });
    await onboardTenants(store, `watch-a-${Date.now()}`);
    await worker.settle();
    const version = readSideVersion(stores, schema, { recheckMs: 60_000 });
    const settled = await watching(version);
    const asked = readModels.asked();
    for (let i = 0; i < 200; i++) expect(await version()).toBe(settled);
    expect(readModels.asked() - asked).toBe(0);

    await onboardTenants(store, `watch-b-${Date.now()}`);
    const appended = await version();
    expect(appended).not.toBe(settled);
    await worker.settle();
    const projected = await version();
    expect(projected).not.toBe(appended);
    expect(readModels.asked()).toBeGreaterThan(asked); // the worker's reads, not the version's
    const before = readModels.asked();
    expect(await version()).toBe(projected);
    expect(readModels.asked()).toBe(before);
  });

  it('reads the database again once the recheck interval has passed, and moves if it finds what no signal told', async () => {
    const stores = { eventStore: store, readModels: db.sql };
    await InlineWorker.start(stores, { schema });
    const version = readSideVersion(stores, schema, { recheckMs: 200 });
    const first = await watching(version);
    // A change no counter saw: a checkpoint moved by hand (another tool, a lost notification).
    await db.sql.query(`UPDATE "${schema}".projection_checkpoints SET events_applied = events_applied, commit_position = commit_position + 1`);
    expect(await version()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const checks = await versionReads('check');
    expect(await version()).not.toBe(first);
    expect(await versionReads('check')).toBe(checks + 1);
  });
});

describe('the read side version across processes (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let other: SqlClient;
  let otherStore: SqlEventStore;
  const schema = 'answer_remote_read';

  beforeAll(async () => {
    db = await postgresTestDatabase('answer_remote');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    // Another process: its own pool, its own store object.
    other = await createPgClient({ connectionString: testDatabaseUrl(), max: 4 });
    otherStore = await SqlEventStore.open(other, { schema: db.schema });
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
  afterAll(async () => {
    await otherStore?.close();
    await other?.close();
    await store?.close();
    await db?.dispose();
  });

  /** This process's view without append signals: only the read side's own notifications can move it. */
  const withoutAppendSignals = (eventStore: EventStore): EventStore => ({ ...eventStore, headPosition: () => eventStore.headPosition(), appendNotifications: undefined });

  const eventually = async (what: string, ok: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it("moves when another process's projection commits, as its notification arrives, without asking the database", async () => {
    const readModels = counting(db.sql);
    const version = readSideVersion({ eventStore: withoutAppendSignals(store), readModels }, schema, { recheckMs: 60_000 });
    const worker = await InlineWorker.start({ eventStore: otherStore, readModels: other }, { schema });
    await worker.settle();
    const before = await watching(version);
    await onboardTenants(otherStore, `remote-${Date.now()}`);
    expect(await version()).toBe(before); // appended, not projected yet: the read models have not moved
    const asked = readModels.asked();
    await worker.settle();
    await eventually('the notification of the projection commit', async () => (await version()) !== before, 2_000);
    expect(readModels.asked()).toBe(asked);
  });

  it('reads on every request while its listening connection is down, and listens again', async () => {
    const readModels = counting(db.sql);
    // Checked rarely, so only the per-request reads can see an unsignalled change; listening again 2 s after the loss.
    const version = readSideVersion({ eventStore: withoutAppendSignals(store), readModels }, schema, { recheckMs: 60_000, relistenMs: 2_000 });
    const worker = await InlineWorker.start({ eventStore: otherStore, readModels: other }, { schema });
    await worker.settle();
    const watched = await watching(version);
    const asked = readModels.asked();
    expect(await version()).toBe(watched);
    expect(readModels.asked()).toBe(asked);

    // The server drops the listening connections (the earlier tests' too).
    const { rows } = await other.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
      [`LISTEN "${schema}_changes"`],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.terminated)).toBe(true);
    await eventually('the loss noticed', async () => {
      const before = readModels.asked();
      await version();
      return readModels.asked() > before;
    });
    // Read per request: a change no notification tells of is seen at once.
    const unwatched = await versionReads('unwatched');
    const down = await version();
    expect(await versionReads('unwatched')).toBe(unwatched + 1);
    await other.query(`UPDATE "${schema}".projection_checkpoints SET commit_position = commit_position + 1`);
    expect(await version()).not.toBe(down);

    // Listening again: notified changes move it, and requests ask nothing.
    await eventually('listening again', async () => {
      const before = readModels.asked();
      await version();
      await version();
      return readModels.asked() === before;
    });
    const again = await version();
    await onboardTenants(otherStore, `remote-again-${Date.now()}`);
    await worker.settle();
    await eventually('the notification after listening again', async () => (await version()) !== again, 2_000);
  });
});
