// A projection turns the global log into read-model tables. The runner owns the checkpoint and
// the transaction; a projection only says which tables it owns and how one event changes them.
import type { LogFilter, RecordedEvent } from '@rampart/event-sourcing';
import { quoteIdent, type SqlExecutor } from '../sql/sql-client';

export interface ProjectionContext {
  readonly tx: SqlExecutor;
  /** Schema-qualified, quoted name of one of the projection's tables. */
  table(name: string): string;
}

export interface SqlProjection {
  /** Stable id: the checkpoint's key. */
  readonly name: string;
  /** Bump when the read model's shape or logic changes: the runner then rebuilds from zero. */
  readonly version: number;
  readonly filter?: LogFilter;
  /** Tables the projection owns (unqualified); dropped and recreated by a rebuild. */
  readonly tables: readonly string[];
  setup(ctx: ProjectionContext): Promise<void>;
  apply(ctx: ProjectionContext, event: RecordedEvent): Promise<void>;
}

export interface DocumentProjectionSpec<D> {
  readonly name: string;
  readonly version: number;
  readonly table: string;
  readonly eventTypes: readonly string[];
  /** Which document an event changes; undefined when it changes none. */
  keyOf(event: RecordedEvent): string | undefined;
  /** Pure: the document after the event; null deletes it. */
  evolve(document: D | undefined, event: RecordedEvent): D | null;
  /** Extra indexes for the queries that read the documents, e.g. `{ name, using: 'gin', expression: "(doc->'tags')" }`. */
  readonly indexes?: readonly { readonly name: string; readonly using?: 'btree' | 'gin'; readonly expression: string }[];
}

/**
 * The common case: one JSON document per key, evolved by a pure function. The table is
 * `(id, tenant_id, doc, updated_at)`; queries read `doc` with jsonb operators.
 */
export const documentProjection = <D>(spec: DocumentProjectionSpec<D>): SqlProjection => ({
  name: spec.name,
  version: spec.version,
  filter: { eventTypes: spec.eventTypes },
  tables: [spec.table],
  async setup({ tx, table }) {
    const t = table(spec.table);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${t} (
      id text PRIMARY KEY,
      tenant_id text NOT NULL,
      doc jsonb NOT NULL,
      updated_at timestamptz NOT NULL
    )`);
    await tx.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${spec.table}_tenant`)} ON ${t} (tenant_id)`);
    for (const index of spec.indexes ?? []) {
      await tx.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(index.name)} ON ${t} USING ${index.using ?? 'btree'} (${index.expression})`);
    }
  },
  async apply({ tx, table }, event) {
    const key = spec.keyOf(event);
    if (key === undefined) return;
    const t = table(spec.table);
    const { rows } = await tx.query<{ doc: D }>(`SELECT doc FROM ${t} WHERE id = $1`, [key]);
    const next = spec.evolve(rows[0]?.doc, event);
    if (next === null) {
      await tx.query(`DELETE FROM ${t} WHERE id = $1`, [key]);
      return;
    }
    await tx.query(
      `INSERT INTO ${t} (id, tenant_id, doc, updated_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at`,
      [key, event.metadata.tenantId, JSON.stringify(next), event.recordedAt],
    );
  },
});
