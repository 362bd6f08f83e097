// Helpers for integration tests across the repo: a throwaway schema on the test PostgreSQL, or
// an in-memory PGlite. Exported from '@rampart/event-store' so other contexts' tests reuse them.
import { randomUUID } from 'node:crypto';
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

export const pgliteTestDatabase = async (label = 'test'): Promise<TestDatabase> => {
  const sql = await createPgliteClient();
  return { sql, schema: label.replace(/[^a-z0-9_]/g, '_'), dispose: () => sql.close() };
};
