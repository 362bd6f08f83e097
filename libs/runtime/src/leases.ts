// Leases in the database: a named piece of work (one connection's ingestion) belongs to one
// process at a time, across every worker, without holding a transaction open (which would hold
// back the event log's visibility horizon). A lease expires unless renewed, so a crashed worker's
// work is picked up again.
import { migrate, quoteIdent, type SqlClient } from '@rampart/event-store';

export class Leases {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
  ) {}

  static async open(sql: SqlClient, schema: string): Promise<Leases> {
    const table = `${quoteIdent(schema)}.leases`;
    await migrate(
      sql,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
       CREATE TABLE IF NOT EXISTS ${table} (lease_key text PRIMARY KEY, holder text NOT NULL, expires_at timestamptz NOT NULL)`,
    );
    return new Leases(sql, table);
  }

  /** Takes (or renews, for the same holder) the lease; false when another holder has it. */
  async acquire(key: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rows } = await this.sql.query(
      `INSERT INTO ${this.table} (lease_key, holder, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (lease_key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE ${this.table}.expires_at < clock_timestamp() OR ${this.table}.holder = EXCLUDED.holder
       RETURNING holder`,
      [key, holder, ttlMs],
    );
    return rows.length === 1;
  }

  /** The table, for statements fenced by a lease (a checkpoint saved only while its lease is held). */
  get tableName(): string {
    return this.table;
  }

  /**
   * Renews those of `keys` that `holder` still holds (expired or not: nobody took them); the
   * others were taken over, or released and maybe taken again, and are not in the answer.
   */
  async renew(keys: readonly string[], holder: string, ttlMs: number): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.sql.query<{ lease_key: string }>(
      `UPDATE ${this.table} SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
       WHERE lease_key = ANY($1::text[]) AND holder = $2 RETURNING lease_key`,
      [keys, holder, ttlMs],
    );
    return new Set(rows.map((r) => r.lease_key));
  }

  /** The leases whose key is one of `keys` or starts with one of `prefixes`, and whether each is still live. */
  async list(keys: readonly string[], prefixes: readonly string[]): Promise<{ key: string; holder: string; live: boolean }[]> {
    const { rows } = await this.sql.query<{ lease_key: string; holder: string; live: boolean }>(
      `SELECT lease_key, holder, expires_at > clock_timestamp() AS live FROM ${this.table}
       WHERE lease_key = ANY($1::text[]) OR EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE starts_with(lease_key, p))`,
      [keys, prefixes],
    );
    return rows.map((r) => ({ key: r.lease_key, holder: r.holder, live: r.live === true }));
  }

  async release(key: string, holder: string): Promise<void> {
    await this.sql.query(`DELETE FROM ${this.table} WHERE lease_key = $1 AND holder = $2`, [key, holder]);
  }
}
