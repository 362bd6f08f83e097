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
${appendFunctionDdl(s)};
CREATE TABLE IF NOT EXISTS ${s}.checkpoints (
  subscription_id  text        PRIMARY KEY,
  commit_position  bigint      NOT NULL,
  prepare_position bigint      NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);`;
};

/** Versioned: a change to its parameters or result is a new function (`_v2`), not a replacement of this one. */
export const APPEND_FUNCTION = 'append_to_stream_v1';

const APPEND_PARAMETERS = `p_stream_id text, p_expected text, p_expected_revision integer, p_event_ids uuid[], p_tenant_ids text[],
  p_types text[], p_data jsonb[], p_metadata jsonb[], p_tenant_hashes bigint[], p_recorded_at timestamptz, p_channel text`;
const APPEND_SETTINGS = 'enable_seqscan=off';
const APPEND_RESULT = `TABLE (outcome text, head integer, event_id uuid, stream_id text, type text, data jsonb, transaction_id xid8, global_position bigint)`;

/**
 * An append to one stream as one server-side call, so that it is one statement and one round trip
 * (SqlEventStore.appendToStream; docs/performance.md, "Appending one event: the round trips").
 * In order, as separate statements did before: the stream's advisory lock before any write (so
 * transaction-id order agrees with revision order: docs/architecture.md); the event ids already
 * stored, if any, returned for the caller to compare (idempotency) with nothing written; the
 * expected-revision check, returning the head on a mismatch with nothing written; the insert; the
 * NOTIFY for LISTENing readers (sent at commit). Each statement of a plpgsql function takes its own
 * snapshot under READ COMMITTED, so the revision read after the lock sees the previous writer's
 * commit, as it did as a separate statement. `head` is the stream's last revision after the call.
 *
 * Without sequential scans: plpgsql keeps a generic plan from a session's first calls, and one
 * made while the table was small looks event ids up by a sequential scan for as long as the
 * connection lives (measured on one connection: 2,000 appends took 0.4 s into an empty table and
 * 2.1 s from 14,000 to 16,000 rows; with this setting 0.2–0.3 s throughout). Every statement here has a unique index to use instead.
 * Planning afresh at every call (`plan_cache_mode=force_custom_plan`) cures it too, but planning
 * cost 0.1–0.25 ms of an append's 0.5.
 *
 * Created when missing, replaced when its body or settings differ from these (a new release), and
 * left alone otherwise, so opening a store again changes nothing in the catalog.
 */
const appendFunctionDdl = (s: string): string => {
  const events = `${s}.events`;
  const body = `
#variable_conflict use_column
DECLARE
  current_head integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream_id, 0));
  IF EXISTS (SELECT 1 FROM ${events} e WHERE e.event_id = ANY (p_event_ids)) THEN
    RETURN QUERY
      SELECT 'stored'::text, (SELECT max(h.revision) FROM ${events} h WHERE h.stream_id = p_stream_id),
             e.event_id, e.stream_id, e.type, e.data, e.transaction_id, e.global_position
      FROM ${events} e WHERE e.event_id = ANY (p_event_ids);
    RETURN;
  END IF;
  SELECT max(e.revision) INTO current_head FROM ${events} e WHERE e.stream_id = p_stream_id;
  IF (p_expected = 'no_stream' AND current_head IS NOT NULL)
     OR (p_expected = 'stream_exists' AND current_head IS NULL)
     OR (p_expected = 'revision' AND current_head IS DISTINCT FROM p_expected_revision) THEN
    RETURN QUERY SELECT 'wrong_revision'::text, current_head, NULL::uuid, NULL::text, NULL::text, NULL::jsonb, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO ${events} AS e (event_id, stream_id, revision, tenant_id, type, data, metadata, recorded_at, tenant_hash)
      SELECT n.event_id, p_stream_id, COALESCE(current_head + 1, 0) + n.ord::integer - 1, n.tenant_id, n.type, n.data, n.metadata,
             COALESCE(p_recorded_at, clock_timestamp()), n.tenant_hash
      FROM unnest(p_event_ids, p_tenant_ids, p_types, p_data, p_metadata, p_tenant_hashes)
           WITH ORDINALITY AS n(event_id, tenant_id, type, data, metadata, tenant_hash, ord)
      ORDER BY n.ord
      RETURNING e.revision, e.transaction_id, e.global_position
    )
    SELECT 'appended'::text, i.revision, NULL::uuid, NULL::text, NULL::text, NULL::jsonb, i.transaction_id, i.global_position
    FROM inserted i ORDER BY i.global_position DESC LIMIT 1;
  IF p_channel IS NOT NULL THEN
    PERFORM pg_notify(p_channel, '');
  END IF;
END`;
  const name = `${s}.${APPEND_FUNCTION}`;
  const signature = `${name}(${APPEND_PARAMETERS.replace(/\bp_[a-z_]+ /g, '')})`;
  return `DO $migrate$
DECLARE
  body constant text := $body$${body}$body$;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure('${signature.replace(/\s+/g, ' ')}') AND prosrc = body
                 AND proconfig = ARRAY['${APPEND_SETTINGS}']) THEN
    EXECUTE 'CREATE OR REPLACE FUNCTION ${name}(${APPEND_PARAMETERS}) RETURNS ${APPEND_RESULT} LANGUAGE plpgsql SET ${APPEND_SETTINGS} AS ' || quote_literal(body);
  END IF;
END
$migrate$`;
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

/**
 * The statements of a DDL script: split at each semicolon that ends a line, except inside a
 * dollar-quoted body (`$$ ... $$`, `$body$ ... $body$`), whose statements end lines too.
 */
export const ddlStatements = (ddl: string): string[] => {
  const statements: string[] = [];
  const token = /\$([A-Za-z_][A-Za-z0-9_]*)?\$|;[ \t\r]*\n/g;
  let start = 0;
  for (let match = token.exec(ddl); match; match = token.exec(ddl)) {
    if (match[0].startsWith('$')) {
      const end = ddl.indexOf(match[0], token.lastIndex);
      if (end < 0) break; // unterminated: the rest is one statement, and the server says what is wrong
      token.lastIndex = end + match[0].length;
    } else {
      statements.push(ddl.slice(start, match.index));
      start = token.lastIndex;
    }
  }
  statements.push(ddl.slice(start));
  return statements.map((s) => s.trim()).filter(Boolean);
};

export const migrate = async (client: SqlClient, ddl: string): Promise<void> => {
  await client.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    for (const statement of ddlStatements(ddl)) {
      await tx.query(statement);
    }
  });
};
