// One small SQL surface over PGlite (embedded, in-process) and PostgreSQL (pg.Pool), so the
// event store, checkpoints and read models run the same SQL on both.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Pool, PoolClient, PoolConfig } from 'pg';

export interface QueryOptions {
  /**
   * Keep the statement prepared on the connection: PostgreSQL parses and plans it once per pooled
   * connection instead of at every call (a named statement). For the few statements sent very
   * often with the same text; PGlite ignores it.
   */
  readonly prepare?: boolean;
}

export interface SqlExecutor {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<{ rows: R[]; rowCount: number }>;
}

export interface TransactionOptions {
  readonly isolation?: 'read committed' | 'repeatable read' | 'serializable';
  readonly readOnly?: boolean;
  /** Settings for this transaction only (`SET LOCAL`), e.g. planner switches; sent with BEGIN, no extra round trip. */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface ListenOptions {
  /** The listening connection broke: what is notified from now on is not delivered until `onResumed`. */
  readonly onLost?: (error: Error) => void;
  /** Listening again on a new connection after a loss. */
  readonly onResumed?: () => void;
  /** How long after a loss, or after a failed attempt to listen again, it is tried (default 1 s). */
  readonly retryMs?: number;
}

export interface SqlClient extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Several statements separated by semicolons, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Calls `onNotify` for NOTIFYs on `channel` until the returned function stops it. PostgreSQL
   * holds one dedicated connection for it, and when that connection breaks, tells `onLost` and
   * listens again on a new one (`onResumed`); notifications sent in between are not delivered.
   * PGlite (one process) delivers them in-process and never loses them.
   */
  listen(channel: string, onNotify: () => void, options?: ListenOptions): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const isUniqueViolation = (error: unknown, constraint?: string): boolean =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: string }).code === '23505' &&
  (constraint === undefined || (error as { constraint?: string }).constraint === constraint || String((error as Error).message).includes(constraint));

const beginStatement = (options: TransactionOptions = {}): string =>
  ['BEGIN', options.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '', options.readOnly ? 'READ ONLY' : '']
    .filter(Boolean)
    .join(' ');

/** `SET LOCAL` statements for the settings; names and values are code's own, checked all the same. */
const setLocalStatements = (settings: Readonly<Record<string, string>> = {}): string[] =>
  Object.entries(settings).map(([name, value]) => {
    if (!/^[a-z_][a-z0-9_.]*$/.test(name) || !/^[A-Za-z0-9_.-]+$/.test(value)) throw new Error(`unsafe setting ${name}=${value}`);
    return `SET LOCAL ${name} = ${value}`;
  });

/** A prepared statement's name, from its text, so that two texts never share one (bounded, like any cache of caller input). */
const statementNames = new Map<string, string>();
const statementName = (sql: string): string => {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= 1_000) statementNames.clear();
    statementNames.set(sql, (name = `rampart_${createHash('sha256').update(sql).digest('hex').slice(0, 32)}`));
  }
  return name;
};

export const createPgClient = async (config: string | PoolConfig): Promise<SqlClient> => {
  const { Pool } = await import('pg');
  const poolConfig: PoolConfig = typeof config === 'string' ? { connectionString: config } : config;
  // No JIT compilation on Rampart's connections: its statements are short, but some carry large
  // cost estimates (a log walk bounded only by LIMIT), and PostgreSQL's default JIT then spent a
  // second compiling what runs in milliseconds. An operator's own jit setting in options wins.
  const options = /\bjit\b/.test(poolConfig.options ?? '') ? poolConfig.options : [poolConfig.options, '-c jit=off'].filter(Boolean).join(' ');
  const pool: Pool = new Pool({ max: 10, ...poolConfig, options });
  // A broken idle connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  const listeners = new Set<() => Promise<void>>();
  const run = async <R>(executor: Pool | PoolClient, sql: string, params?: readonly unknown[], options?: QueryOptions) => {
    const values = params as unknown[] | undefined;
    const result = await (options?.prepare ? executor.query({ name: statementName(sql), text: sql, values }) : executor.query(sql, values));
    return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
  };
  return {
    kind: 'postgres',
    query: (sql, params, options) => run(pool, sql, params, options),
    async transaction(fn, options) {
      const client = await pool.connect();
      try {
        // Without parameters node-postgres sends a simple query: BEGIN and its settings in one round trip.
        await client.query([beginStatement(options), ...setLocalStatements(options?.settings)].join('; '));
        const result = await fn({ query: (sql, params, options) => run(client, sql, params, options) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async listen(channel, onNotify, options = {}) {
      const handler = (msg: { channel: string }) => {
        if (msg.channel === channel) onNotify();
      };
      let current: { readonly client: PoolClient; detach(): void } | undefined;
      let stopped = false;
      let retry: NodeJS.Timeout | undefined;
      // On a connection of its own, checked out for as long as it listens.
      const attach = async (): Promise<void> => {
        const client = await pool.connect();
        const lost = (error: Error) => {
          if (current?.client !== client) return;
          current = undefined;
          client.off('notification', handler);
          client.release(error); // destroyed, not reused
          options.onLost?.(error);
          listenAgainLater();
        };
        const ended = () => lost(new Error(`the connection listening on ${channel} ended`));
        // `lost` stays attached to a broken client: a later 'error' with no listener would throw.
        const detach = () => {
          client.off('notification', handler);
          client.off('error', lost);
          client.off('end', ended);
        };
        client.on('notification', handler);
        client.on('error', lost);
        client.on('end', ended);
        try {
          await client.query(`LISTEN ${quoteIdent(channel)}`);
        } catch (error) {
          client.off('notification', handler);
          client.off('end', ended);
          client.release(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
        current = { client, detach };
        if (stopped) await stop();
      };
      const listenAgainLater = () => {
        if (stopped) return;
        retry = setTimeout(() => {
          retry = undefined;
          if (stopped) return;
          attach().then(
            () => {
              if (!stopped) options.onResumed?.();
            },
            () => listenAgainLater(),
          );
        }, options.retryMs ?? 1_000);
        retry.unref();
      };
      const stop = async () => {
        stopped = true;
        listeners.delete(stop);
        clearTimeout(retry);
        const listening = current;
        current = undefined;
        if (!listening) return;
        await listening.client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        listening.detach();
        listening.client.release();
      };
      await attach();
      listeners.add(stop);
      return stop;
    },
    // Listening connections are checked out of the pool, which would wait for them to come back.
    close: async () => {
      await Promise.all([...listeners].map((stop) => stop()));
      await pool.end();
    },
  };
};

export interface PgliteOptions {
  /**
   * A freshly initialised cluster (`PGlite.dumpDataDir()`) to start a new data folder from instead of
   * running initdb, which costs seconds of WebAssembly each time. Ignored for a folder that already
   * holds a cluster. Tests start hundreds of throwaway stores; see testing/databases.ts.
   */
  readonly image?: Blob;
}

export const createPgliteClient = async (dataDir?: string, options: PgliteOptions = {}): Promise<SqlClient> => {
  const { PGlite } = await import('@electric-sql/pglite');
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(fresh && options.image ? { loadDataDir: options.image } : {}) });
  const run = async <R>(executor: Pick<PGliteInterface, 'query'>, sql: string, params?: readonly unknown[]) => {
    const result = await executor.query<R>(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  };
  return {
    kind: 'pglite',
    query: (sql, params) => run(db, sql, params),
    transaction: (fn, options) =>
      // PGlite has one connection and serialises transactions itself; the isolation level
      // is still set so the SQL behaves as it does on PostgreSQL.
      db.transaction(async (tx) => {
        if (options?.isolation || options?.readOnly) {
          await tx.query(beginStatement(options).replace('BEGIN', 'SET TRANSACTION'));
        }
        for (const statement of setLocalStatements(options?.settings)) await tx.query(statement);
        return fn({ query: (sql, params) => run(tx, sql, params) });
      }),
    async exec(sql) {
      await db.exec(sql);
    },
    async listen(channel, onNotify) {
      const unsubscribe = await db.listen(channel, onNotify);
      return async () => unsubscribe();
    },
    close: () => db.close(),
  };
};

export const quoteIdent = (name: string): string => {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unsafe SQL identifier "${name}"`);
  return `"${name}"`;
};
