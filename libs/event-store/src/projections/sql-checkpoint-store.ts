// Checkpoints for at-least-once subscriptions (process managers) kept in PostgreSQL/PGlite,
// whichever event store is in use.
import type { CheckpointStore, GlobalPosition } from '@rampart/event-sourcing';
import { migrate } from '../sql/schema';
import { quoteIdent, type SqlClient } from '../sql/sql-client';

export class SqlCheckpointStore implements CheckpointStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
  ) {}

  static async open(sql: SqlClient, schema = 'rampart_read'): Promise<SqlCheckpointStore> {
    const table = `${quoteIdent(schema)}.subscription_checkpoints`;
    await migrate(
      sql,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
       CREATE TABLE IF NOT EXISTS ${table} (
         subscription_id text PRIMARY KEY,
         commit_position bigint NOT NULL,
         prepare_position bigint NOT NULL,
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    return new SqlCheckpointStore(sql, table);
  }

  async load(subscriptionId: string): Promise<GlobalPosition | undefined> {
    const { rows } = await this.sql.query<{ c: string; p: string }>(
      `SELECT commit_position::text AS c, prepare_position::text AS p FROM ${this.table} WHERE subscription_id = $1`,
      [subscriptionId],
    );
    return rows[0] ? { commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) } : undefined;
  }

  /** Every checkpoint whose subscription id starts with `prefix`. */
  async list(prefix: string): Promise<Map<string, GlobalPosition>> {
    const { rows } = await this.sql.query<{ id: string; c: string; p: string }>(
      `SELECT subscription_id AS id, commit_position::text AS c, prepare_position::text AS p FROM ${this.table} WHERE starts_with(subscription_id, $1)`,
      [prefix],
    );
    return new Map(rows.map((r) => [r.id, { commit: BigInt(r.c), prepare: BigInt(r.p) }]));
  }

  /**
   * `save`, fenced: in the same statement, only while the row `key` of the lease table `leases`
   * (a table with `lease_key` and `holder`, in the same database) names `holder`. False when it
   * does not: the lease passed to another worker, and nothing was written.
   */
  async saveWhileHeld(subscriptionId: string, position: GlobalPosition, lease: { readonly table: string; readonly key: string; readonly holder: string }): Promise<boolean> {
    const { rows } = await this.sql.query<{ held: boolean }>(
      `WITH held AS (SELECT EXISTS (SELECT 1 FROM ${lease.table} WHERE lease_key = $4 AND holder = $5) AS held),
       saved AS (
         INSERT INTO ${this.table} (subscription_id, commit_position, prepare_position, updated_at)
         SELECT $1, $2, $3, now() FROM held WHERE held.held
         ON CONFLICT (subscription_id) DO UPDATE SET commit_position = EXCLUDED.commit_position,
           prepare_position = EXCLUDED.prepare_position, updated_at = now()
         WHERE (${this.table}.commit_position, ${this.table}.prepare_position) < (EXCLUDED.commit_position, EXCLUDED.prepare_position)
         RETURNING 1
       )
       SELECT held FROM held`,
      [subscriptionId, position.commit.toString(), position.prepare.toString(), lease.key, lease.holder],
    );
    return rows[0]?.held === true;
  }

  /**
   * Moves the checkpoint forward, never back: a worker that was paused past its lease and saves an
   * older position afterwards leaves the newer one in place (the work after it is not done twice).
   */
  async save(subscriptionId: string, position: GlobalPosition): Promise<void> {
    await this.sql.query(
      `INSERT INTO ${this.table} (subscription_id, commit_position, prepare_position, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (subscription_id) DO UPDATE SET commit_position = EXCLUDED.commit_position,
         prepare_position = EXCLUDED.prepare_position, updated_at = now()
       WHERE (${this.table}.commit_position, ${this.table}.prepare_position) < (EXCLUDED.commit_position, EXCLUDED.prepare_position)`,
      [subscriptionId, position.commit.toString(), position.prepare.toString()],
    );
  }
}
