// Runs SQL projections from the global log with exactly-once effect: each batch's read-model
// writes and its checkpoint commit in one transaction, so a crash anywhere either keeps both or
// neither. Works with any EventStore; the read models always live in PostgreSQL/PGlite.
import {
  HELD_BACK_RETRY_MS,
  comparePositions,
  waitForNextRead,
  formatPosition,
  pause,
  START,
  type EventStore,
  type GlobalPosition,
  type ReadAllResult,
  type RecordedEvent,
} from '@rampart/event-sourcing';
import { migrate } from '../sql/schema';
import { noteReadSideChange, readSideChannel } from './read-side-changes';
import { quoteIdent, type SqlClient, type SqlExecutor } from '../sql/sql-client';
import type { ProjectionContext, SqlProjection } from './projection';

export interface ProjectionStatus {
  readonly name: string;
  readonly version: number;
  readonly position: string;
  readonly eventsApplied: number;
  /** Matching events not yet applied, counted up to `lagCountLimit` (then it says `>=`). */
  readonly eventsBehind: number;
  readonly eventsBehindIsLowerBound: boolean;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly secondsBehind: number;
  readonly updatedAt: string | null;
}

export interface ProjectionRunnerOptions {
  /** Schema for read-model tables and projection checkpoints (default `rampart_read`). */
  readonly schema?: string;
  readonly batchSize?: number;
  readonly lagCountLimit?: number;
  /** How long reads may pass over events of other kinds before the checkpoint records it (default 2 s). */
  readonly passedSaveIntervalMs?: number;
  readonly onBatch?: (info: { projection: string; events: number; position: GlobalPosition; durationMs: number }) => void;
  /** Runs each batch's transaction (the host traces it); by default just runs it. */
  readonly aroundBatch?: <T>(info: { projection: string; events: readonly RecordedEvent[] }, run: () => Promise<T>) => Promise<T>;
  readonly onError?: (info: { projection: string; error: unknown; attempt: number }) => void;
}

export interface BatchResult {
  readonly applied: number;
  readonly caughtUp: boolean;
  /** Committed events not visible yet (see ReadAllResult.heldBack): read again soon. */
  readonly heldBack?: boolean;
}

interface CheckpointRow {
  version: number;
  commit_position: string;
  prepare_position: string;
  events_applied: string;
  updated_at: string | Date | null;
}

export class ProjectionRunner {
  private readonly schema: string;
  private readonly batchSize: number;

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projection: SqlProjection,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.schema = options.schema ?? 'rampart_read';
    this.batchSize = options.batchSize ?? 500;
  }

  get name(): string {
    return this.projection.name;
  }

  private get checkpoints(): string {
    return `${quoteIdent(this.schema)}.projection_checkpoints`;
  }

  private context(tx: SqlExecutor): ProjectionContext {
    const owned = new Set(this.projection.tables);
    return {
      tx,
      table: (name) => {
        if (!owned.has(name)) throw new Error(`projection ${this.projection.name} does not own table "${name}"`);
        return `${quoteIdent(this.schema)}.${quoteIdent(name)}`;
      },
    };
  }

  /** Creates tables and the checkpoint row; rebuilds when the stored version differs. */
  async prepare(): Promise<void> {
    await migrate(
      this.sql,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)};
       CREATE TABLE IF NOT EXISTS ${this.checkpoints} (
         name text PRIMARY KEY,
         version integer NOT NULL,
         commit_position bigint NOT NULL,
         prepare_position bigint NOT NULL,
         events_applied bigint NOT NULL DEFAULT 0,
         updated_at timestamptz
       )`,
    );
    const row = await this.loadCheckpoint(this.sql);
    if (!row || row.version !== this.projection.version) await this.reset({ onlyIfStale: true });
    else await this.sql.transaction((tx) => this.projection.setup(this.context(tx)));
  }

  /**
   * Drops the projection's tables and checkpoint and recreates them empty, in one transaction.
   * `onlyIfStale`: unless, once the lock is held, the checkpoint is of this version after all —
   * several workers starting at once all find no checkpoint, and the later ones must not wipe what
   * the first has built and may already be projecting into.
   */
  async reset(options: { onlyIfStale?: boolean } = {}): Promise<void> {
    this.ahead = undefined;
    this.passed = undefined;
    await this.sql.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`projection:${this.projection.name}`]);
      if (options.onlyIfStale && (await this.loadCheckpoint(tx))?.version === this.projection.version) {
        await this.projection.setup(this.context(tx));
        return;
      }
      for (const table of this.projection.tables) {
        await tx.query(`DROP TABLE IF EXISTS ${quoteIdent(this.schema)}.${quoteIdent(table)} CASCADE`);
      }
      await this.projection.setup(this.context(tx));
      await tx.query(
        `INSERT INTO ${this.checkpoints} (name, version, commit_position, prepare_position, events_applied, updated_at)
         VALUES ($1, $2, 0, 0, 0, NULL)
         ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, commit_position = 0, prepare_position = 0,
           events_applied = 0, updated_at = NULL`,
        [this.projection.name, this.projection.version],
      );
      if (this.sql.kind === 'postgres') await tx.query('SELECT pg_notify($1, $2)', [readSideChannel(this.schema), '']);
    });
    noteReadSideChange(this.sql);
  }

  /** Replays the whole log into fresh tables and returns once caught up. */
  async rebuild(onProgress?: (applied: number) => void): Promise<number> {
    await this.reset();
    let total = 0;
    for (;;) {
      const { applied, caughtUp } = await this.runBatch();
      total += applied;
      onProgress?.(total);
      if (caughtUp) return total;
      await yieldToEventLoop();
    }
  }

  /** The page after the one being written, read while it is written (see runBatch). */
  private ahead?: { readonly from: GlobalPosition; readonly page: Promise<ReadAllResult> };
  /**
   * How far reads found nothing for this projection beyond its saved checkpoint. Saved only now and
   * then: a burst of appends of other kinds (an ingest's thousand single changes) would otherwise
   * cost a write transaction per projection per append, for nothing.
   */
  private passed?: { readonly checkpoint: GlobalPosition; readonly to: GlobalPosition; readonly since: number };

  /**
   * One batch from the checkpoint: read, apply, move the checkpoint, commit. While a full page is
   * written, the next one is already being read on another connection, so a catch-up keeps the
   * database reading and writing at once. That read is only used if the checkpoint it starts from
   * is the one this batch commits; the commit itself still checks the checkpoint under its lock.
   */
  async runBatch(): Promise<BatchResult> {
    const started = Date.now();
    const ahead = this.ahead;
    this.ahead = undefined;
    const from = ahead?.from ?? (await this.position());
    const passed = this.passed && comparePositions(this.passed.checkpoint, from) === 0 ? this.passed : undefined;
    const readFrom = ahead?.from ?? passed?.to ?? from;
    const page = ahead ? await ahead.page : await this.store.readAll({ from: readFrom, filter: this.projection.filter, maxCount: this.batchSize });
    if (page.events.length === 0) {
      // Nothing of this projection's (an empty page is the end of what is visible).
      const to = comparePositions(page.position, readFrom) > 0 ? page.position : readFrom;
      if (comparePositions(to, from) === 0) return { applied: 0, caughtUp: page.isEnd, heldBack: page.heldBack };
      this.passed = { checkpoint: from, to, since: passed?.since ?? Date.now() };
      if (Date.now() - this.passed.since < (this.options.passedSaveIntervalMs ?? PASSED_SAVE_INTERVAL_MS)) return { applied: 0, caughtUp: page.isEnd, heldBack: page.heldBack };
      const saved = await this.commitBatch(from, to, async () => 0);
      this.passed = undefined;
      return { applied: 0, caughtUp: saved !== undefined && page.isEnd, heldBack: page.heldBack };
    }
    if (!page.isEnd) {
      const next = this.store.readAll({ from: page.position, filter: this.projection.filter, maxCount: this.batchSize });
      next.catch(() => undefined); // a failed read ahead is read again by the next batch
      this.ahead = { from: page.position, page: next };
    }
    let committed: number | undefined;
    try {
      const commit = () =>
        this.commitBatch(from, page.position, async (ctx) => {
          if (this.projection.applyBatch) await this.projection.applyBatch(ctx, page.events);
          else for (const event of page.events) await this.projection.apply(ctx, event);
          return page.events.length;
        });
      committed = this.options.aroundBatch ? await this.options.aroundBatch({ projection: this.projection.name, events: page.events }, commit) : await commit();
    } catch (error) {
      this.ahead = undefined;
      throw error;
    }
    this.passed = undefined;
    if (committed === undefined) {
      // Another runner moved the checkpoint: start again from wherever it is now.
      this.ahead = undefined;
      return { applied: 0, caughtUp: false };
    }
    this.options.onBatch?.({
      projection: this.projection.name,
      events: committed,
      position: page.position,
      durationMs: Date.now() - started,
    });
    return { applied: committed, caughtUp: page.isEnd, heldBack: page.heldBack };
  }

  /** Runs until the signal aborts, sleeping while caught up; retries failed batches with backoff. */
  async run(signal: AbortSignal, idleTimeoutMs = 1_000): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const since = this.store.appendNotifications?.();
        const readAt = Date.now();
        const { caughtUp, heldBack } = await this.runBatch();
        attempt = 0;
        if (caughtUp) await waitForNextRead(this.store, readAt, heldBack ? Math.min(idleTimeoutMs, HELD_BACK_RETRY_MS) : idleTimeoutMs, signal, since);
        else await yieldToEventLoop();
      } catch (error) {
        attempt++;
        this.options.onError?.({ projection: this.projection.name, error, attempt });
        await pause(Math.min(30_000, 250 * 2 ** Math.min(attempt, 7)), signal);
      }
    }
  }

  async position(): Promise<GlobalPosition> {
    const row = await this.loadCheckpoint(this.sql);
    return row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : START;
  }

  async status(): Promise<ProjectionStatus> {
    const row = await this.loadCheckpoint(this.sql);
    const position = row ? { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) } : START;
    const limit = this.options.lagCountLimit ?? 10_000;
    const pending = await this.store.readAll({ from: position, filter: this.projection.filter, maxCount: limit });
    const oldest = pending.events[0];
    return {
      name: this.projection.name,
      version: this.projection.version,
      position: formatPosition(position),
      eventsApplied: Number(row?.events_applied ?? 0),
      eventsBehind: pending.events.length,
      eventsBehindIsLowerBound: !pending.isEnd,
      secondsBehind: oldest ? Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000) : 0,
      updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null,
    };
  }

  private async loadCheckpoint(executor: SqlExecutor, forUpdate = false): Promise<CheckpointRow | undefined> {
    const { rows } = await executor.query<CheckpointRow>(
      `SELECT version, commit_position::text AS commit_position, prepare_position::text AS prepare_position,
              events_applied::text AS events_applied, updated_at
       FROM ${this.checkpoints} WHERE name = $1 ${forUpdate ? 'FOR UPDATE' : ''}`,
      [this.projection.name],
    );
    return rows[0];
  }

  /**
   * Applies a batch and moves the checkpoint in one transaction. The checkpoint row is locked
   * and compared first: if another runner already moved it, nothing is applied.
   *
   * Committed without waiting for the disk (synchronous_commit off): a read model is derived from
   * the log, and its rows and checkpoint commit together, so a server crash can lose only the last
   * batches as a whole, which are projected again from the checkpoint that survived. Others see the
   * commit at once either way; what it saves is a flush per batch, which an ingest appending its
   * own changes one by one otherwise waits behind.
   */
  private async commitBatch(
    from: GlobalPosition,
    to: GlobalPosition,
    apply: (ctx: ProjectionContext) => Promise<number>,
  ): Promise<number | undefined> {
    const committed = await this.sql.transaction(async (tx) => {
      const row = await this.loadCheckpoint(tx, true);
      if (!row) throw new Error(`projection ${this.projection.name} has no checkpoint; call prepare() first`);
      if (row.version !== this.projection.version) {
        throw new Error(`projection ${this.projection.name} is at version ${row.version}, code is at ${this.projection.version}`);
      }
      if (BigInt(row.commit_position) !== from.commit || BigInt(row.prepare_position) !== from.prepare) return undefined;
      const applied = await apply(this.context(tx));
      // On PostgreSQL the same statement notifies the other processes, at commit and only then
      // (the API's kept answers: read-side-changes.ts); PGlite is one process.
      const postgres = this.sql.kind === 'postgres';
      await tx.query(
        `UPDATE ${this.checkpoints} SET commit_position = $2, prepare_position = $3,
           events_applied = events_applied + $4, updated_at = now() WHERE name = $1${postgres ? ` RETURNING pg_notify($5, '')` : ''}`,
        [this.projection.name, to.commit.toString(), to.prepare.toString(), applied, ...(postgres ? [readSideChannel(this.schema)] : [])],
      );
      return applied;
    }, { settings: { synchronous_commit: 'off' } });
    if (committed !== undefined) noteReadSideChange(this.sql);
    return committed;
  }
}

/** How long a projection may read past events of other kinds before it saves that it did. */
const PASSED_SAVE_INTERVAL_MS = 2_000;

// PGlite runs in-process and its queries resolve without ever reaching the event loop's I/O
// phase; a catch-up of many batches would otherwise starve HTTP requests and signals.
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a projection's tables together with the checkpoint they reflect, in one snapshot: what
 * `read` returns was exactly true at `position`, so a reader can add the log after it and know
 * the present without replaying everything. Undefined when the projection is not there, or was
 * built by another version of its code.
 */
export const readProjectionAt = async <T>(
  sql: SqlClient,
  projection: Pick<SqlProjection, 'name' | 'version' | 'tables'>,
  read: (tx: SqlExecutor, table: (name: string) => string) => Promise<T>,
  schema = 'rampart_read',
): Promise<{ position: GlobalPosition; value: T } | undefined> => {
  const owned = new Set(projection.tables);
  const table = (name: string) => {
    if (!owned.has(name)) throw new Error(`projection ${projection.name} does not own table "${name}"`);
    return `${quoteIdent(schema)}.${quoteIdent(name)}`;
  };
  return sql.transaction(
    async (tx) => {
      const exists = await tx.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
        `${quoteIdent(schema)}.projection_checkpoints`,
      ]);
      if (!exists.rows[0]?.present) return undefined;
      const { rows } = await tx.query<{ version: number; commit_position: string; prepare_position: string }>(
        `SELECT version, commit_position::text AS commit_position, prepare_position::text AS prepare_position
         FROM ${quoteIdent(schema)}.projection_checkpoints WHERE name = $1`,
        [projection.name],
      );
      if (!rows[0] || rows[0].version !== projection.version) return undefined;
      const position = { commit: BigInt(rows[0].commit_position), prepare: BigInt(rows[0].prepare_position) };
      return { position, value: await read(tx, table) };
    },
    { isolation: 'repeatable read', readOnly: true },
  );
};
