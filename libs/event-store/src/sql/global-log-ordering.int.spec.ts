// "The global log must never skip an event": PostgreSQL assigns sequence numbers at insert but
// transactions commit in any order, so a reader that trusts the sequence alone moves its
// checkpoint past an event that commits later and never sees it. These tests force exactly that
// interleaving, then run many concurrent writers against a live subscriber.
import { randomUUID } from 'node:crypto';
import { START, subscribe, type GlobalPosition, type ReadAllResult, type RecordedEvent } from '@rampart/event-sourcing';
import { numbered, uniqueTenant } from '../contract/fixtures';
import { postgresTestDatabase, type TestDatabase } from '../testing/databases';
import { quoteIdent } from './sql-client';
import { SqlEventStore } from './sql-event-store';

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe('global log on PostgreSQL with concurrent writers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await postgresTestDatabase('ordering');
  });
  afterAll(async () => db.dispose());

  it('does not let a later-committing earlier sequence number be skipped', async () => {
    const held = gate();
    const inserted = gate();
    const slowStream = `t-slow:thing-${randomUUID().slice(0, 8)}`;
    const writer = await SqlEventStore.open(db.sql, {
      schema: db.schema,
      beforeCommit: async (streamId) => {
        if (streamId !== slowStream) return;
        inserted.open();
        await held.opened;
      },
    });
    const reader = await SqlEventStore.open(db.sql, { schema: db.schema });
    const table = `${quoteIdent(db.schema)}.events`;
    const start = await reader.headPosition();

    // A takes sequence n and stays open; B takes n+1 and commits first.
    const fastStream = `t-fast:thing-${randomUUID().slice(0, 8)}`;
    const slow = writer.appendToStream(slowStream, numbered('slow', 1));
    await inserted.opened;
    let naiveCheckpoint: bigint;
    let during: ReadAllResult;
    try {
      const fast = await writer.appendToStream(fastStream, numbered('fast', 1));

      // The naive reader sees B and advances its checkpoint past A's sequence number.
      const naive = await db.sql.query<{ global_position: string }>(
        `SELECT global_position::text AS global_position FROM ${table} WHERE global_position > $1 ORDER BY global_position`,
        [start.prepare.toString()],
      );
      expect(naive.rows.map((r) => BigInt(r.global_position))).toEqual([fast.position.prepare]);
      naiveCheckpoint = fast.position.prepare;

      // Ours holds back: nothing is visible while an older transaction may still commit.
      during = await reader.readAll({ from: start });
      expect(during.events).toHaveLength(0);
      // …and says the committed B is held back, so a caught-up reader looks again soon: A's
      // commit, which will make B visible, sends no notification of its own to wait for.
      expect(during).toMatchObject({ isEnd: true, heldBack: true });
    } finally {
      held.open(); // never leave A open, even when an expectation above failed
    }
    await slow;
    const naiveAfter = await db.sql.query(`SELECT 1 FROM ${table} WHERE global_position > $1`, [naiveCheckpoint.toString()]);
    expect(naiveAfter.rows).toHaveLength(0); // the naive reader has lost A for good

    const after = await reader.readAll({ from: during.position });
    expect(after.events.map((e) => e.streamId)).toEqual([slowStream, fastStream]);
    expect(after).toMatchObject({ isEnd: true, heldBack: false });
    await writer.close();
    await reader.close();
  });

  // Random pauses between insert and commit make commits leave sequence order all the time; without
  // them each append is the single statement production sends (no explicit transaction at all).
  it.each([
    ['with random pauses before commit', () => new Promise<void>((r) => setTimeout(r, Math.random() * 8))],
    ['each append one statement, as in production', undefined],
  ])('a subscriber sees every committed event exactly once, each stream in revision order (%s)', async (_, beforeCommit) => {
    const tenant = uniqueTenant('load');
    const store = await SqlEventStore.open(db.sql, { schema: db.schema, beforeCommit });
    const subscriberStore = await SqlEventStore.open(db.sql, { schema: db.schema });
    const sharedStreams = Array.from({ length: 4 }, (_, i) => `t-${tenant}:shared-${i}`);
    const writers = 12;
    const appendsPerWriter = 25;
    const committed = new Set<string>();
    let writersDone = false;

    const seen: RecordedEvent[] = [];
    const controller = new AbortController();
    const subscriber = (async () => {
      let checkpoint: GlobalPosition = START;
      for await (const batch of subscribe(subscriberStore, {
        filter: { tenantId: tenant },
        batchSize: 37,
        idleTimeoutMs: 20,
        signal: controller.signal,
      })) {
        seen.push(...batch.events);
        checkpoint = batch.position;
        if (writersDone && batch.caughtUp && seen.length >= committed.size) controller.abort();
      }
      return checkpoint;
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        for (let i = 0; i < appendsPerWriter; i++) {
          const own = i % 2 === 0;
          const streamId = own ? `t-${tenant}:own-${w}` : sharedStreams[(w + i) % sharedStreams.length];
          const events = numbered(tenant, 1 + (i % 3));
          await store.appendToStream(streamId, events, { expectedRevision: 'any' });
          events.forEach((e) => committed.add(e.eventId));
        }
      }),
    );
    writersDone = true;
    const timeout = setTimeout(() => controller.abort(), 20_000);
    await subscriber;
    clearTimeout(timeout);

    const ids = seen.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length); // exactly once
    expect(new Set(ids)).toEqual(committed); // every committed event
    const lastRevision = new Map<string, number>();
    for (const e of seen) {
      expect(e.revision).toBe((lastRevision.get(e.streamId) ?? -1) + 1);
      lastRevision.set(e.streamId, e.revision);
    }
    await store.close();
    await subscriberStore.close();
  });
});
