// What a worker does with a tenant's events, in one process, for integration tests: the platform's
// projections run to the end, then the guardrail evaluator is handed everything after its
// checkpoint, a few rounds until evaluation's own events are projected too. Embedded PGlite, its own
// database per bench.
import { START, type RecordedEvent } from '@rampart/event-sourcing';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { GUARDRAIL_EVALUATOR_EVENT_TYPES, GuardrailEvaluator } from '@rampart/guardrails-application';
import { inventoryReader } from '@rampart/ingestion';
import { platformProjections } from '../projections';

export interface EvaluationBench {
  readonly db: TestDatabase;
  readonly store: SqlEventStore;
  /** The read models' schema. */
  readonly schema: string;
  readonly stores: () => { eventStore: SqlEventStore; readModels: TestDatabase['sql'] };
  /** Every projection to the end of the log. */
  project(): Promise<void>;
  /** Projected, evaluated and projected again, as the worker would leave it. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** What the worker's evaluator subscribes to: inventory and tenant policy changes. */
const EVALUATED = new Set(GUARDRAIL_EVALUATOR_EVENT_TYPES);
const evaluates = (e: RecordedEvent) => EVALUATED.has(e.type);

export const evaluationBench = async (name: string, options: { readonly schema: string; readonly tenant?: string }): Promise<EvaluationBench> => {
  const db = await pgliteTestDatabase(name);
  const store = await SqlEventStore.open(db.sql, { schema: db.schema });
  const runners = platformProjections().map((p) => new ProjectionRunner(store, db.sql, p, { schema: options.schema }));
  for (const r of runners) await r.prepare();
  const stores = () => ({ eventStore: store, readModels: db.sql });
  const evaluator = new GuardrailEvaluator(stores(), { schema: options.schema, inventory: inventoryReader(db.sql, options.schema) });
  let position = START;
  const project = async () => {
    for (const runner of runners) for (;;) if ((await runner.runBatch()).caughtUp) break;
  };
  return {
    db,
    store,
    schema: options.schema,
    stores,
    project,
    settle: async () => {
      for (let round = 0; round < 3; round++) {
        await project();
        const page = await store.readAll({ from: position, maxCount: 10_000 });
        position = page.position;
        const relevant = page.events.filter((e) => (!options.tenant || e.metadata.tenantId === options.tenant) && evaluates(e));
        if (relevant.length) await evaluator.handle(relevant);
      }
      await project();
    },
    close: async () => {
      await store.close();
      await db.dispose();
    },
  };
};
