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
