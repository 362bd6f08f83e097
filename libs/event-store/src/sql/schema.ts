// The event log's tables: the same DDL on PGlite and PostgreSQL. Idempotent, guarded by an
// advisory lock so several processes can start at once.
import { quoteIdent, type SqlClient } from './sql-client';

export const MIGRATION_LOCK = 7_140_001;

export const eventStoreDdl = (schema: string): string => {
  const s = quoteIdent(schema);
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.events (
  global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The appending transaction's id: readers order by it and read only below the oldest
  -- transaction still running, so a late commit of an earlier sequence number is never skipped.
  transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
  event_id        uuid        NOT NULL,
  stream_id       text        NOT NULL,
  revision        integer     NOT NULL,
  tenant_id       text        NOT NULL,
  type            text        NOT NULL,
  data            jsonb       NOT NULL,
  metadata        jsonb       NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT events_event_id_key UNIQUE (event_id),
  CONSTRAINT events_stream_revision_key UNIQUE (stream_id, revision)
);
-- The tenant's partition hash (tenantHashOf), written with each event so that a process manager's
-- reader of one tenant partition filters by arithmetic instead of hashing every row it passes.
-- Events of stores made before it have none; readers compute theirs (see tenantPartitionSql).
ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS tenant_hash bigint;
CREATE INDEX IF NOT EXISTS events_log_order ON ${s}.events (transaction_id, global_position);
CREATE INDEX IF NOT EXISTS events_tenant_log_order ON ${s}.events (tenant_id, transaction_id, global_position);
${preferLz4Sql(`${s}.events`, ['data', 'metadata'])};
CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
  subscription_id  text        PRIMARY KEY,
  commit_position  bigint      NOT NULL,
  prepare_position bigint      NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);`;
};

/**
 * One statement that switches the columns' TOAST compression from pglz to lz4 where the server has
 * lz4 (PostgreSQL built with it; PGlite is not) and they are not lz4 yet. Measured on resource
 * documents of ~3 KB: writing them costs PostgreSQL a third less, reading them back less again.
 * Only new values are compressed the new way: no rewrite, so it is cheap on a store of any size;
 * the ALTER (a short exclusive lock) is taken once, not at every start.
 */
export const preferLz4Sql = (table: string, columns: readonly string[]): string => {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const alter = columns.map((c) => `ALTER COLUMN ${quoteIdent(c)} SET COMPRESSION lz4`).join(', ');
  // Kept on one line: migrate() splits its DDL at a semicolon that ends a line.
  return (
    `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) ` +
    `AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ${literal(table)}::regclass AND attname = ANY (ARRAY[${columns.map(literal).join(', ')}]) AND attcompression IS DISTINCT FROM 'l') ` +
    `THEN ALTER TABLE ${table} ${alter}; END IF; END $$`
  );
};

export const migrate = async (client: SqlClient, ddl: string): Promise<void> => {
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    for (const statement of ddl.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
      await tx.query(statement);
    }
  });
};
