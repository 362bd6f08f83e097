// A projection turns the global log into read-model tables. The runner owns the checkpoint and
// the transaction; a projection only says which tables it owns and how one event changes them.
import type { LogFilter, RecordedEvent } from '@rampart/event-sourcing';
import { preferLz4Sql } from '../sql/schema';
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
  /** Optional: the same effect as `apply` on each event in order, in fewer statements. */
  applyBatch?(ctx: ProjectionContext, events: readonly RecordedEvent[]): Promise<void>;
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
    await tx.query(preferLz4Sql(t, ['doc']));
    await tx.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${spec.table}_tenant`)} ON ${t} (tenant_id)`);
    for (const index of spec.indexes ?? []) {
      await tx.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(index.name)} ON ${t} USING ${index.using ?? 'btree'} (${index.expression})`);
    }
  },
  async apply(ctx, event) {
    await applyDocuments(spec, ctx, [event]);
  },
  async applyBatch(ctx, events) {
    await applyDocuments(spec, ctx, events);
  },
});

/**
 * A batch in three statements whatever its size: read the documents it touches, evolve them in
 * memory in log order, then write the survivors and delete the rest.
 */
const applyDocuments = async <D>(spec: DocumentProjectionSpec<D>, { tx, table }: ProjectionContext, events: readonly RecordedEvent[]) => {
  const touched = new Map<string, { tenantId: string; doc: D | null | undefined; updatedAt: string; existed: boolean }>();
  const keyed: [string, RecordedEvent][] = [];
  for (const event of events) {
    const key = spec.keyOf(event);
    if (key !== undefined) keyed.push([key, event]);
  }
  if (keyed.length === 0) return;
  const t = table(spec.table);
  const keys = [...new Set(keyed.map(([key]) => key))];
  const { rows } = await tx.query<{ id: string; doc: D }>(`SELECT id, doc FROM ${t} WHERE id = ANY($1::text[])`, [keys]);
  const stored = new Map(rows.map((r) => [r.id, r.doc]));
  for (const [key, event] of keyed) {
    const current = touched.get(key);
    const before = current ? current.doc ?? undefined : stored.get(key);
    touched.set(key, {
      tenantId: event.metadata.tenantId,
      doc: spec.evolve(before, event),
      updatedAt: event.recordedAt,
      existed: current?.existed ?? stored.has(key),
    });
  }
  const upserts = [...touched].filter(([, v]) => v.doc !== null);
  const deletes = [...touched].filter(([, v]) => v.doc === null && v.existed).map(([key]) => key);
  if (deletes.length) await tx.query(`DELETE FROM ${t} WHERE id = ANY($1::text[])`, [deletes]);
  if (upserts.length) {
    // One JSON parameter rather than parallel arrays: the driver's array escaping of large
    // documents costs more than PostgreSQL's JSON parser.
    await tx.query(
      `INSERT INTO ${t} (id, tenant_id, doc, updated_at)
       SELECT r.id, r.tenant_id, r.doc, r.updated_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, tenant_id text, doc jsonb, updated_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at`,
      [JSON.stringify(upserts.map(([id, v]) => ({ id, tenant_id: v.tenantId, doc: v.doc, updated_at: v.updatedAt })))],
    );
  }
};
