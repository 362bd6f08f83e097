// Helpers for integration tests across the repo: a throwaway schema on the test PostgreSQL, or
// an in-memory PGlite. Exported from '@rampart/event-store' so other contexts' tests reuse them.
import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPgClient, createPgliteClient, quoteIdent, type SqlClient } from '../sql/sql-client';

/** The PostgreSQL that integration tests use; .ci/run creates it. */
export const testDatabaseUrl = (): string =>
  process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/rampart_test';

export interface TestDatabase {
  readonly sql: SqlClient;
  readonly schema: string;
  dispose(): Promise<void>;
}

export const postgresTestDatabase = async (label = 'test'): Promise<TestDatabase> => {
  const sql = await createPgClient({ connectionString: testDatabaseUrl(), max: 20 });
  try {
    await sql.query('SELECT 1');
  } catch (error) {
    await sql.close();
    throw new Error(
      `integration tests need PostgreSQL at ${testDatabaseUrl().replace(/:[^:@/]*@/, ':***@')} (set DATABASE_URL): ${(error as Error).message}`,
    );
  }
  const schema = `${label.replace(/[^a-z0-9_]/g, '_')}_${randomUUID().slice(0, 8)}`;
  return {
    sql,
    schema,
    async dispose() {
      await sql.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
      await sql.close();
    },
  };
};

/**
 * A PostgreSQL database of its own, for tests that run the product's processes with their default
 * schemas (which would collide with another suite's in the shared test database): created empty,
 * dropped with its connections on dispose.
 */
export const throwawayPostgresDatabase = async (label: string): Promise<{ readonly url: string; dispose(): Promise<void> }> => {
  const name = `rampart_${label.replace(/[^a-z0-9_]/g, '_')}_${process.pid}_${randomUUID().slice(0, 6)}`;
  const admin = await createPgClient({ connectionString: testDatabaseUrl(), max: 1 });
  try {
    await admin.exec(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (error) {
    await admin.close();
    throw new Error(`integration tests need PostgreSQL at ${testDatabaseUrl().replace(/:[^:@/]*@/, ':***@')} (set DATABASE_URL): ${(error as Error).message}`);
  }
  return {
    url: testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${name}$1`),
    async dispose() {
      try {
        await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } finally {
        await admin.close();
      }
    },
  };
};

let image: Promise<Blob> | undefined;

/**
 * A freshly initialised PGlite cluster, for starting throwaway stores without initdb (about 4 s of
 * WebAssembly each on a 2-core machine, against about 1 s to load this). Made once per machine and
 * PGlite version, kept in the temporary folder (written under another name and renamed, so workers
 * racing to make it never read half of one), and once per process in memory.
 */
export const pgliteImage = (): Promise<Blob> =>
  (image ??= (async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { version } = JSON.parse(readFileSync(join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json'), 'utf8')) as { version: string };
    const file = join(tmpdir(), `rampart-test-pglite-${version}.tar`);
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      const db = await PGlite.create();
      const dump = await db.dumpDataDir('none');
      await db.close();
      const partial = `${file}.${process.pid}.${randomUUID().slice(0, 8)}`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file);
      return dump;
    }
  })());

export const pgliteTestDatabase = async (label = 'test'): Promise<TestDatabase> => {
  const sql = await createPgliteClient(undefined, { image: await pgliteImage() });
  return { sql, schema: label.replace(/[^a-z0-9_]/g, '_'), dispose: () => sql.close() };
};
