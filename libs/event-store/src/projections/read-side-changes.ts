// How a process learns that the read models moved without asking the database: every projection
// commit counts here, in the process that made it, once its transaction has committed; and on
// PostgreSQL the same transaction NOTIFYs `readSideChannel(schema)`, for the API replicas and
// workers in other processes. PGlite is one process: the count is all there is to know there.
import type { SqlClient } from '../sql/sql-client';

const counts = new WeakMap<SqlClient, { n: number }>();

/** The channel a projection commit on PostgreSQL notifies, per read-model schema. */
export const readSideChannel = (schema: string): string => `${schema}_changes`;

/** Called by the writer once a change to the read models through `sql` has committed. */
export const noteReadSideChange = (sql: SqlClient): void => {
  const count = counts.get(sql);
  if (count) count.n++;
  else counts.set(sql, { n: 1 });
};

/** How many read-model commits this process has made through `sql` (it only grows). */
export const readSideChanges = (sql: SqlClient): number => counts.get(sql)?.n ?? 0;
