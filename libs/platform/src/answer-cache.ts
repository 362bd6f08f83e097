// Answers the API computes from the read side (scores, queues) kept while nothing they rest on has
// changed. What they rest on is the log and the read models: while the read side's version (below)
// has not moved, every read of them answers the same. An answer that also depends on the clock
// (evidence ageing past the tenant's interval) says until when it holds.
//
// The version is taken before the answer is computed, so what is kept is never older than the
// version it is kept under. A change this process commits moves it at once; a change another
// process commits, when its notification arrives (PostgreSQL: sent in the committing transaction,
// delivered within milliseconds); and whatever the signals, the database is asked at least once a
// second. A committed change can also be held back from the log's visible end while an older
// transaction is still running (milliseconds): until then the kept answer is served, as the read
// models themselves would still answer.
import { createHash } from 'node:crypto';
import { formatPosition } from '@rampart/event-sourcing';
import { readSideChanges, readSideChannel } from '@rampart/event-store';
import { instruments, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

export interface Computed<T> {
  readonly value: T;
  /** Epoch ms from which the answer no longer holds whatever happens in the log (the clock moved past it). */
  readonly validUntil?: number;
}

interface Entry {
  readonly version: string;
  readonly answer: Promise<Computed<unknown>>;
}

export interface AnswerCacheStats {
  hits: number;
  misses: number;
}

/**
 * The key of an answer of `kind` computed from `inputs` (a query's text and parameters, the
 * caller's reach among them): a digest, so that a reach of hundreds of tenants is not kept as a key.
 */
export const answerKey = (kind: string, ...inputs: unknown[]): string => `${kind}\0${createHash('sha256').update(JSON.stringify(inputs)).digest('base64url')}`;

/** A key is `<kind>\0<what>`: the kind (score, queue, tenants, soc) is the metric's label, never a tenant. */
const kindOf = (key: string): string => key.slice(0, Math.max(0, key.indexOf('\0'))) || 'other';

/** Most answers kept at once; the least recently used goes first. */
export const MAX_KEPT_ANSWERS = 1_000;

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  readonly stats: AnswerCacheStats = { hits: 0, misses: 0 };

  constructor(
    private readonly version: () => Promise<string>,
    private readonly maxEntries = MAX_KEPT_ANSWERS,
  ) {}

  /** The read side's version now; read it before anything it is to vouch for. */
  readVersion(): Promise<string> {
    return this.version();
  }

  /**
   * The answer under `key`, computed by `compute` unless one computed at the current version is
   * kept and still valid. Concurrent asks at one version share one computation; a failed
   * computation is not kept. `readAt`: the version a request read when it began (`readVersion`),
   * so that one request reads it once however many answers it asks for.
   */
  async get<T>(key: string, compute: () => Promise<Computed<T>>, readAt?: Promise<string>): Promise<T> {
    const version = await (readAt ?? this.version());
    const kept = this.entries.get(key);
    if (kept && kept.version === version) {
      const answer = (await kept.answer) as Computed<T>;
      if (answer.validUntil === undefined || Date.now() < answer.validUntil) {
        this.stats.hits++;
        instruments.keptAnswer(kindOf(key), true);
        // Most recently used last: the map's order is the eviction order.
        this.entries.delete(key);
        this.entries.set(key, kept);
        return answer.value;
      }
    }
    this.stats.misses++;
    instruments.keptAnswer(kindOf(key), false);
    const answer = compute();
    const entry: Entry = { version, answer };
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    try {
      return (await answer).value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * At least this often, the version is read from the database even while no signal said anything
 * moved: a change no signal tells of (a notification lost with its connection, a writer that
 * does not count its commits) is then served for at most this long.
 */
export const READ_SIDE_RECHECK_MS = 1_000;

/**
 * The read side's version, as a request sees it when it begins. The read models change only when
 * a projection commits, and the log only when an append does. This process counts its own
 * (`readSideChanges`, the store's `appendNotifications`); on PostgreSQL the projection commits of
 * other processes (workers, other replicas) are NOTIFYed in their transaction and counted as they
 * arrive. So while the API listens, a request asks the database nothing: the version is those
 * counts, plus what the database said at its last check, at most `recheckMs` ago. On PGlite,
 * one process holds the database and every change is its own. While a PostgreSQL listener is
 * down (a broken connection), the version is read from the database on every request, as the
 * only sure way, and listening is tried again.
 */
export const readSideVersion = (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  schema = READ_MODEL_SCHEMA,
  options: { readonly recheckMs?: number; readonly relistenMs?: number } = {},
): (() => Promise<string>) => {
  const watch = new ReadSideWatch(stores, schema, databaseVersion(stores, schema), options.recheckMs ?? READ_SIDE_RECHECK_MS, options.relistenMs ?? READ_SIDE_RECHECK_MS);
  return () => watch.version();
};

class ReadSideWatch {
  /** PGlite: always (one process). PostgreSQL: while the LISTEN connection is up. */
  private listening: boolean;
  /** LISTENs established: counts from before a lost connection never compare equal to later ones. */
  private generation = 0;
  /** Projection commits of other processes, as notified. */
  private remote = 0;
  /** A LISTEN succeeded: from then on the client keeps one up and says when it is down. */
  private subscribed = false;
  private lastListenAttempt = Number.NEGATIVE_INFINITY;
  private listenInFlight = false;
  private checked?: { readonly at: number; readonly version: Promise<string> };

  constructor(
    private readonly stores: Pick<Stores, 'eventStore' | 'readModels'>,
    private readonly schema: string,
    private readonly fromDatabase: () => Promise<string>,
    private readonly recheckMs: number,
    /** How long after a lost connection or a failed LISTEN it is tried again. */
    private readonly relistenMs: number,
  ) {
    this.listening = stores.readModels.kind === 'pglite';
  }

  version(): Promise<string> {
    if (!this.listening) {
      this.listen();
      instruments.readSideVersionRead('unwatched');
      return this.fromDatabase().then((v) => `read:${v}`);
    }
    // Taken now, before anything the version is to vouch for is read.
    const signals = `${this.generation}.${readSideChanges(this.stores.readModels)}.${this.remote}.${this.stores.eventStore.appendNotifications?.() ?? '-'}`;
    const now = Date.now();
    if (!this.checked || now - this.checked.at >= this.recheckMs) {
      instruments.readSideVersionRead('check');
      const version = this.fromDatabase();
      const checked = { at: now, version };
      this.checked = checked;
      version.catch(() => {
        if (this.checked === checked) this.checked = undefined;
      });
    }
    return this.checked.version.then((v) => `${v}#${signals}`);
  }

  /**
   * PostgreSQL: LISTEN for other processes' projection commits. Once listening, the client keeps
   * it up (a lost connection is listened on again after `relistenMs`); until then, a failed first
   * attempt is tried again `relistenMs` later, when a request asks.
   */
  private listen(): void {
    const now = Date.now();
    if (this.subscribed || this.listenInFlight || now - this.lastListenAttempt < this.relistenMs) return;
    this.lastListenAttempt = now;
    this.listenInFlight = true;
    const listening = () => {
      this.generation++;
      this.listening = true;
    };
    this.stores.readModels
      .listen(
        readSideChannel(this.schema),
        () => {
          this.remote++;
        },
        {
          retryMs: this.relistenMs,
          onLost: () => {
            this.listening = false;
          },
          onResumed: listening,
        },
      )
      .then(
        () => {
          this.subscribed = true;
          listening();
        },
        () => undefined, // read per request until a later attempt succeeds
      )
      .finally(() => {
        this.listenInFlight = false;
      });
  }
}

/**
 * The read side's version as the database tells it. On PGlite, the one embedded database that
 * holds the log, the read models and their checkpoints: the WAL's insert position, which every
 * committed change moves (its commit record at least). On PostgreSQL, whose server may serve
 * others and whose replicas cannot ask for the WAL position: the log's visible head and every
 * projection's and reaction's checkpoint. One or two reads, whatever the number of tenants or rows.
 */
const databaseVersion = (stores: Pick<Stores, 'eventStore' | 'readModels'>, schema: string): (() => Promise<string>) => {
  if (stores.readModels.kind === 'pglite') {
    return async () => (await stores.readModels.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0]?.lsn ?? '';
  }
  const tables = [
    { name: 'projection_checkpoints', id: "'p:' || name || ':' || version" },
    { name: 'subscription_checkpoints', id: "'s:' || subscription_id" },
  ].map((t) => ({ ...t, table: `"${schema}".${t.name}` }));
  // Until a worker has run, a checkpoint table may not exist yet: nothing has moved in it.
  const present = new Set<string>();
  const checkpointsQuery = async (): Promise<string | undefined> => {
    if (present.size < tables.length) {
      const { rows } = await stores.readModels.query<{ name: string }>(
        `SELECT t.name FROM unnest($1::text[]) AS t(name) WHERE to_regclass(quote_ident($2) || '.' || t.name) IS NOT NULL`,
        [tables.map((t) => t.name), schema],
      );
      for (const r of rows) present.add(r.name);
    }
    const parts = tables.filter((t) => present.has(t.name)).map((t) => `SELECT ${t.id} AS id, commit_position, prepare_position FROM ${t.table}`);
    if (parts.length === 0) return undefined;
    return `SELECT coalesce(string_agg(id || '@' || commit_position || '/' || prepare_position, ',' ORDER BY id), '') AS v FROM (${parts.join(' UNION ALL ')}) c`;
  };
  return async () => {
    const [head, checkpoints] = await Promise.all([
      stores.eventStore.headPosition(),
      checkpointsQuery().then(async (sql) => (sql ? ((await stores.readModels.query<{ v: string }>(sql)).rows[0]?.v ?? '') : 'none')),
    ]);
    return `${formatPosition(head)}|${checkpoints}`;
  };
};

const caches = new WeakMap<object, AnswerCache>();

/** One cache per process and stores (the API's replicas each keep their own). */
export const answerCacheOf = (stores: Pick<Stores, 'eventStore' | 'readModels'>): AnswerCache => {
  let cache = caches.get(stores);
  if (!cache) caches.set(stores, (cache = new AnswerCache(readSideVersion(stores))));
  return cache;
};
