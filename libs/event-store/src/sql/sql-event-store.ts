// The event store on PostgreSQL and PGlite (same SQL). See docs/architecture.md, "The global
// log never skips an event", for why positions are (transaction id, sequence) pairs and why
// appends take a per-stream advisory lock before their first write.
import {
  comparePositions,
  EventIdConflictError,
  identityUpcast,
  sameJson,
  START,
  validateAppend,
  validateMultiStreamAppend,
  Wakeups,
  WrongExpectedRevisionError,
  assertTenantPartition,
  tenantHashOf,
  type AppendOptions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type UpcastFn,
} from '@rampart/event-sourcing';
import { APPEND_FUNCTION, eventStoreDdl, migrate } from './schema';
import { isUniqueViolation, quoteIdent, type SqlClient, type SqlExecutor } from './sql-client';

export interface SqlEventStoreOptions {
  /** PostgreSQL schema holding the tables (default `rampart`); tests use one per suite. */
  readonly schema?: string;
  readonly upcast?: UpcastFn;
  /**
   * Test seam: runs inside the append transaction after the insert, before commit, so tests can
   * hold a transaction open and force commits out of sequence order.
   */
  readonly beforeCommit?: (streamId: string) => Promise<void>;
  /**
   * Imports of history only (the demo's weeks, a migration from another tool): the time events
   * are recorded at, instead of the database clock. The caller keeps it moving forwards and
   * behind the present, or readers by time (as-of, exports) see the log out of order.
   */
  readonly clock?: () => Date;
}

/**
 * The tenant's partition computed by the server, exactly as `tenantPartitionOf` computes it in
 * TypeScript: the first 4 bytes of SHA-256 over the tenant id's UTF-8 bytes, unsigned, modulo
 * the count (`$count` is a bigint parameter). The contract suite compares the two.
 */
export const tenantPartitionSql = (tenantColumn: string, count: string): string =>
  `(('x' || encode(substring(sha256(convert_to(${tenantColumn}, 'UTF8')) from 1 for 4), 'hex'))::bit(32)::bigint % ${count})`;

/** The partition of an events row: from its stored tenant hash, computed only for rows written before there was one. */
const eventPartitionSql = (count: string): string =>
  `(COALESCE(e.tenant_hash, ('x' || encode(substring(sha256(convert_to(e.tenant_id, 'UTF8')) from 1 for 4), 'hex'))::bit(32)::bigint) % ${count})`;

/** Tenant ids are few and repeat in every event: their hashes are kept (bounded, since ids come from callers). */
const tenantHashes = new Map<string, number>();
const tenantHash = (tenantId: string): number => {
  let hash = tenantHashes.get(tenantId);
  if (hash === undefined) {
    if (tenantHashes.size >= 10_000) tenantHashes.clear();
    tenantHashes.set(tenantId, (hash = tenantHashOf(tenantId)));
  }
  return hash;
};

interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: string | Date;
}

/** What the idempotency check compares of an event found stored under an id being appended. */
type StoredEvent = Pick<EventRow, 'stream_id' | 'type' | 'data' | 'transaction_id' | 'global_position'>;

/** The append function's result (schema.ts): one row for an append or a refusal, one per stored event found. */
type AppendRow =
  | { outcome: 'appended'; head: number; transaction_id: string; global_position: string }
  | { outcome: 'wrong_revision'; head: number | null }
  | StoredRow;
interface StoredRow {
  outcome: 'stored';
  head: number | null;
  event_id: string;
  stream_id: string;
  type: string;
  data: unknown;
  transaction_id: string;
  global_position: string;
}

// Positions come back as text (pg and PGlite disagree on bigint); ORDER BY must therefore name
// the table's columns (e.x), not these text aliases, or it sorts "10" before "9".
const COLUMNS = `global_position::text AS global_position, transaction_id::text AS transaction_id, event_id::text AS event_id,
  stream_id, revision, type, data, metadata, recorded_at`;

/**
 * A page of the log is read by walking the log-order index and stopping at the page's size. The
 * planner's other choice, collecting every matching row after the position and sorting them for the
 * top page, looks cheaper to it whenever its statistics are older than the log's growth (a first
 * ingest of 100k resources into a fresh store): each page then sorts all the rest, quadratic in a
 * catch-up (measured: 42 ms a page against 0.6 ms once analysed). Walking in order is never much
 * worse, since the log is stored in roughly that order. And no JIT: the walk's estimated cost (the
 * whole rest of the log) is far above the JIT threshold, and compiling it took a second for a page
 * read in 26 ms (a partition reader 700k events behind; the pools turn JIT off too, see createPgClient).
 */
const LOG_ORDER_PLAN = { enable_sort: 'off', enable_bitmapscan: 'off', jit: 'off' } as const;

const toPosition = (row: { transaction_id: string; global_position: string }): GlobalPosition => ({
  commit: BigInt(row.transaction_id),
  prepare: BigInt(row.global_position),
});

const likePrefix = (prefix: string): string => prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';

const MAX_READ = 10_000;

export class SqlEventStore implements EventStore {
  readonly kind: 'pglite' | 'postgres';
  readonly atomicMultiStreamAppend = true;
  private readonly table: string;
  private readonly channel: string;
  private readonly upcast: UpcastFn;
  private readonly beforeCommit?: (streamId: string) => Promise<void>;
  private readonly clock?: () => Date;
  private readonly wakeups = new Wakeups();
  private stopListening?: () => Promise<void>;

  private constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
    options: SqlEventStoreOptions,
  ) {
    this.kind = sql.kind;
    this.table = `${quoteIdent(schema)}.events`;
    this.channel = `${schema}_events`;
    this.upcast = options.upcast ?? identityUpcast;
    this.beforeCommit = options.beforeCommit;
    this.clock = options.clock;
  }

  static async open(sql: SqlClient, options: SqlEventStoreOptions = {}): Promise<SqlEventStore> {
    const store = new SqlEventStore(sql, options.schema ?? 'rampart', options);
    await migrate(sql, eventStoreDdl(store.schema));
    await store.listen();
    return store;
  }

  /**
   * Appends of other processes wake this one's readers. While the connection listening for them is
   * broken they cannot: readers are woken when it breaks and again when it listens anew, so each
   * reads what was appended in between; meanwhile a caught-up reader reads at its idle timeout.
   */
  private async listen(): Promise<void> {
    const wake = () => this.wakeAll();
    this.stopListening = await this.sql.listen(this.channel, wake, { onLost: wake, onResumed: wake });
  }

  get client(): SqlClient {
    return this.sql;
  }

  get schemaName(): string {
    return this.schema;
  }

  /**
   * One statement, the schema's append function (see appendFunctionDdl in schema.ts), sent on its
   * own so that it is its own transaction: one round trip where BEGIN, lock, idempotency check,
   * revision check, insert, NOTIFY and COMMIT took seven; and prepared, so each pooled connection
   * parses and plans it once. With the `beforeCommit` test seam the call runs in an explicit
   * transaction instead, held open while the seam waits.
   */
  async appendToStream(streamId: string, events: readonly NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    validateAppend(streamId, events);
    const expected = options.expectedRevision ?? 'any';
    let result: AppendResult;
    try {
      result = await this.appendOnce(streamId, events, expected);
    } catch (error) {
      // Another stream took one of these event ids between our check and our insert.
      if (!isUniqueViolation(error, 'events_event_id_key')) throw error;
      result = await this.appendOnce(streamId, events, expected);
    }
    if (!result.alreadyAppended) this.wakeAll();
    return result;
  }

  private async appendOnce(
    streamId: string,
    events: readonly NewEvent[],
    expected: NonNullable<AppendOptions['expectedRevision']>,
  ): Promise<AppendResult> {
    const text = `SELECT outcome, head, event_id::text AS event_id, stream_id, type, data,
              transaction_id::text AS transaction_id, global_position::text AS global_position
       FROM ${quoteIdent(this.schema)}.${APPEND_FUNCTION}($1, $2, $3, $4::uuid[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::bigint[], $10::timestamptz, $11)`;
    const params = [
      streamId,
      typeof expected === 'number' ? 'revision' : expected,
      typeof expected === 'number' ? expected : null,
      events.map((e) => e.eventId),
      events.map((e) => e.metadata.tenantId),
      events.map((e) => e.type),
      events.map((e) => JSON.stringify(e.data)),
      events.map((e) => JSON.stringify(e.metadata)),
      events.map((e) => tenantHash(e.metadata.tenantId)),
      this.clock?.().toISOString() ?? null,
      // PGlite is one process: wakeAll() reaches every reader there is.
      this.sql.kind === 'postgres' ? this.channel : null,
    ];
    const beforeCommit = this.beforeCommit;
    const { rows } = beforeCommit
      ? await this.sql.transaction(async (tx) => {
          const called = await tx.query<AppendRow>(text, params, { prepare: true });
          if (called.rows[0]?.outcome === 'appended') await beforeCommit(streamId);
          return called;
        })
      : await this.sql.query<AppendRow>(text, params, { prepare: true });
    const [first] = rows;
    if (!first) throw new Error(`append to "${streamId}" returned nothing`);
    if (first.outcome === 'wrong_revision') throw new WrongExpectedRevisionError(streamId, expected, first.head ?? 'no_stream');
    if (first.outcome === 'stored') {
      const byId = new Map(rows.filter((r): r is StoredRow => r.outcome === 'stored').map((r) => [r.event_id.toLowerCase(), r]));
      return this.alreadyStored({ streamId, events }, events.map((e) => byId.get(e.eventId.toLowerCase())), first.head);
    }
    return { nextExpectedRevision: first.head, position: toPosition(first), alreadyAppended: false };
  }



  async appendToStreams(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    validateMultiStreamAppend(appends);
    if (appends.length === 0) return [];
    let results: AppendResult[];
    try {
      results = await this.sql.transaction((tx) => this.appendManyInTransaction(tx, appends));
    } catch (error) {
      if (!isUniqueViolation(error, 'events_event_id_key')) throw error;
      results = await this.sql.transaction((tx) => this.appendManyInTransaction(tx, appends));
    }
    if (results.some((r) => !r.alreadyAppended)) this.wakeAll();
    return results;
  }

  /**
   * The multi-stream form of the append function (schema.ts): the same lock, idempotency and
   * revision rules, each in one statement for the whole batch.
   */
  private async appendManyInTransaction(tx: SqlExecutor, appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const streamIds = appends.map((a) => a.streamId);
    // Locks in one fixed order (by lock key) so two batches sharing streams cannot deadlock.
    await tx.query(
      `SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended(s, 0) AS k FROM unnest($1::text[]) AS s) locks ORDER BY k`,
      [streamIds],
    );

    const allEvents = appends.flatMap((a) => a.events);
    const { rows: found } = await tx.query<EventRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE event_id = ANY($1::uuid[])`, [
      allEvents.map((e) => e.eventId),
    ]);
    const existingById = new Map(found.map((r) => [r.event_id.toLowerCase(), r]));

    const { rows: heads } = await tx.query<{ stream_id: string; revision: number }>(
      `SELECT stream_id, max(revision) AS revision FROM ${this.table} WHERE stream_id = ANY($1::text[]) GROUP BY stream_id`,
      [streamIds],
    );
    const headOf = new Map(heads.map((h) => [h.stream_id, Number(h.revision)]));

    const results: (AppendResult | undefined)[] = [];
    const toInsert: { append: StreamAppend; first: number; index: number }[] = [];
    appends.forEach((append, index) => {
      const stored = append.events.map((e) => existingById.get(e.eventId.toLowerCase()));
      const current = headOf.get(append.streamId) ?? null;
      if (stored.some((row) => row !== undefined)) {
        results[index] = this.alreadyStored(append, stored, current);
        return;
      }
      const expected = append.expectedRevision ?? 'any';
      const mismatch =
        (expected === 'no_stream' && current !== null) ||
        (expected === 'stream_exists' && current === null) ||
        (typeof expected === 'number' && current !== expected);
      if (mismatch) throw new WrongExpectedRevisionError(append.streamId, expected, current ?? 'no_stream');
      toInsert.push({ append, first: current === null ? 0 : current + 1, index });
    });

    if (toInsert.length > 0) {
      const rows = toInsert.flatMap(({ append, first }) => append.events.map((event, i) => ({ streamId: append.streamId, revision: first + i, event })));
      // One JSON parameter rather than parallel arrays: the driver's array escaping of large
      // event bodies costs more than PostgreSQL's JSON parser. Ordinality keeps the given order.
      const inserted = await tx.query<{ stream_id: string; transaction_id: string; global_position: string }>(
        `INSERT INTO ${this.table} (event_id, stream_id, revision, tenant_id, type, data, metadata, recorded_at, tenant_hash)
         SELECT (e.value->>'e')::uuid, e.value->>'s', (e.value->>'r')::int, e.value->>'t', e.value->>'y', e.value->'d', e.value->'m',
                COALESCE($2::timestamptz, clock_timestamp()), (e.value->>'h')::bigint
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord)
         ORDER BY e.ord
         RETURNING stream_id, transaction_id::text AS transaction_id, global_position::text AS global_position`,
        [
          JSON.stringify(
            rows.map((r) => ({
              e: r.event.eventId,
              s: r.streamId,
              r: r.revision,
              t: r.event.metadata.tenantId,
              y: r.event.type,
              d: r.event.data,
              m: r.event.metadata,
              h: tenantHash(r.event.metadata.tenantId),
            })),
          ),
          this.clock?.().toISOString() ?? null,
        ],
      );
      // All rows share one transaction id; the last row of a stream has its highest sequence.
      const lastOf = new Map<string, GlobalPosition>();
      for (const row of inserted.rows) {
        const p = toPosition(row);
        const known = lastOf.get(row.stream_id);
        if (!known || comparePositions(p, known) > 0) lastOf.set(row.stream_id, p);
      }
      for (const { append, first, index } of toInsert) {
        const position = lastOf.get(append.streamId);
        if (!position) throw new Error(`append to "${append.streamId}" returned no position`);
        results[index] = { nextExpectedRevision: first + append.events.length - 1, position, alreadyAppended: false };
      }
      if (this.sql.kind === 'postgres') await tx.query('SELECT pg_notify($1, $2)', [this.channel, '']);
      await this.beforeCommit?.(toInsert[0].append.streamId);
    }
    return results as AppendResult[];
  }

  /** One stream of a batch whose events were (at least partly) found stored: a retry, or a conflict. */
  private alreadyStored(append: StreamAppend, stored: readonly (StoredEvent | undefined)[], current: number | null): AppendResult {
    const rows = append.events.map((event, i) => {
      const row = stored[i];
      if (!row) throw new EventIdConflictError(event.eventId, 'part of this batch was appended before; the rest was not');
      if (row.stream_id !== append.streamId) throw new EventIdConflictError(event.eventId, `it is in stream "${row.stream_id}"`);
      if (row.type !== event.type || !sameJson(row.data, event.data)) throw new EventIdConflictError(event.eventId, 'the stored type or data differ');
      return row;
    });
    const last = rows.map(toPosition).reduce((a, b) => (comparePositions(a, b) >= 0 ? a : b));
    // The events are in this stream, so it exists and has a head revision.
    return { nextExpectedRevision: current ?? rows.length - 1, position: last, alreadyAppended: true };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const limit = Math.min(options.maxCount ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const params: unknown[] = [streamId];
    let where = 'stream_id = $1';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where += backwards ? ' AND revision <= $2' : ' AND revision >= $2';
    }
    params.push(limit);
    const { rows } = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} e WHERE ${where}
       ORDER BY e.revision ${backwards ? 'DESC' : 'ASC'} LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => this.toRecorded(row));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const from = options.from ?? START;
    const maxCount = Math.max(1, Math.min(options.maxCount ?? 1_000, MAX_READ));
    const filter = options.filter ?? {};
    const visible = `transaction_id < pg_snapshot_xmin(pg_current_snapshot())`;
    if (filter.tenantPartition) assertTenantPartition(filter.tenantPartition);
    // Only when asked: arithmetic on the stored hash for every row the read passes over.
    const partition = filter.tenantPartition
      ? `AND ${eventPartitionSql('$8::bigint')} = $9::bigint`
      : '';
    // One snapshot for the page and the head, so "isEnd" and the returned position agree.
    return this.sql.transaction(
      async (tx) => {
        const { rows } = await tx.query<EventRow>(
          `SELECT ${COLUMNS} FROM ${this.table} e
           WHERE ${visible}
             AND (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
             AND ($3::text IS NULL OR tenant_id = $3)
             AND ($4::text[] IS NULL OR stream_id LIKE ANY($4::text[]))
             AND ($5::text[] IS NULL OR type = ANY($5::text[]))
             AND ($7::boolean IS NOT TRUE OR jsonb_exists(e.metadata->'actor', 'onBehalfOfTenant'))
             ${partition}
           ORDER BY e.transaction_id, e.global_position
           LIMIT $6`,
          [
            from.commit.toString(),
            from.prepare.toString(),
            filter.tenantId ?? null,
            filter.streamPrefixes?.length ? filter.streamPrefixes.map(likePrefix) : null,
            filter.eventTypes?.length ? [...filter.eventTypes] : null,
            maxCount,
            filter.actedOnBehalf === true,
            ...(filter.tenantPartition ? [filter.tenantPartition.count, filter.tenantPartition.index] : []),
          ],
        );
        const events = rows.map((row) => this.toRecorded(row));
        if (rows.length === maxCount) {
          return { events, position: toPosition(rows[rows.length - 1]), isEnd: false };
        }
        const { head, heldBack } = await this.visibleEnd(tx);
        const lastRead = rows.length > 0 ? toPosition(rows[rows.length - 1]) : from;
        return { events, position: comparePositions(head, lastRead) > 0 ? head : lastRead, isEnd: true, heldBack };
      },
      { isolation: 'repeatable read', readOnly: true, settings: LOG_ORDER_PLAN },
    );
  }

  /** One statement is its own snapshot: no transaction around it (one round trip, not three; the API reads it per request). */
  async headPosition(): Promise<GlobalPosition> {
    return (await this.visibleEnd(this.sql)).head;
  }

  /**
   * The last visible event, and whether committed rows are still hidden by the visibility rule (an
   * older transaction runs): they appear when it ends, without a notification, so a caught-up
   * reader is told to look again soon. One statement, in the caller's snapshot. "Held back" is asked
   * of the log's last visible row (one step of the log-order index), not as EXISTS over rows at or
   * above the horizon: the planner, guessing a third of the log matches, scanned the whole table
   * for it (1–1.5 s a read on a log of 2M events, and every caught-up reader reads).
   */
  private async visibleEnd(tx: SqlExecutor): Promise<{ head: GlobalPosition; heldBack: boolean }> {
    const { rows } = await tx.query<{ transaction_id: string | null; global_position: string | null; held: boolean }>(
      `SELECT h.transaction_id::text AS transaction_id, h.global_position::text AS global_position,
              COALESCE((SELECT l.transaction_id FROM ${this.table} l ORDER BY l.transaction_id DESC, l.global_position DESC LIMIT 1)
                >= pg_snapshot_xmin(pg_current_snapshot()), false) AS held
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT transaction_id, global_position FROM ${this.table} e
         WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY e.transaction_id DESC, e.global_position DESC LIMIT 1
       ) h ON true`,
    );
    const row = rows[0];
    const head = row?.transaction_id != null && row.global_position != null ? toPosition({ transaction_id: row.transaction_id, global_position: row.global_position }) : START;
    return { head, heldBack: row?.held === true };
  }

  waitForAppend(timeoutMs: number, signal?: AbortSignal, since?: number): Promise<void> {
    return this.wakeups.wait(timeoutMs, signal, since);
  }

  appendNotifications(): number {
    return this.wakeups.count;
  }

  private wakeAll(): void {
    this.wakeups.wakeAll();
  }

  async close(): Promise<void> {
    this.wakeAll();
    await this.stopListening?.();
  }

  private toRecorded(row: EventRow): RecordedEvent {
    return this.upcast({
      eventId: row.event_id,
      streamId: row.stream_id,
      revision: Number(row.revision),
      type: row.type,
      data: row.data,
      metadata: row.metadata,
      globalPosition: toPosition(row),
      recordedAt: new Date(row.recorded_at).toISOString(),
    });
  }
}
