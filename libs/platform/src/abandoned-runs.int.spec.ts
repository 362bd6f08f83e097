// A run whose process died is closed as failed with the reason; a live run that keeps reporting
// progress is left alone, however long it takes.
import { handleCommand } from '@rampart/event-sourcing';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { type FileItem, ingest, sweepAbandonedIngestionRuns } from '@rampart/ingestion';
import { ingestionRunDecider, ingestionRunStreamId } from '@rampart/inventory';
import { platformProjections } from './projections';

async function* noItems(): AsyncGenerator<FileItem> {
  yield* [];
}

describe('abandoned ingestion runs', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let runner: ProjectionRunner;
  const schema = 'sweep_read';
  const catchUp = async () => {
    for (;;) if ((await runner.runBatch()).caughtUp) return;
  };

  beforeAll(async () => {
    db = await pgliteTestDatabase('sweep');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    runner = new ProjectionRunner(store, db.sql, platformProjections().find((p) => p.name === 'ingestion-runs')!, { schema });
    await runner.prepare();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('records a silent run as failed, once, and leaves finished runs alone', async () => {
    // What a killed `rampart ingest` leaves: a started run and nothing after it.
    const ctx = { tenantId: 'acme', actor: { kind: 'user' as const, id: 'cli:ana' }, correlationId: 'c', causationId: null, now: new Date() };
    await handleCommand(store, ingestionRunDecider, ingestionRunStreamId('acme', 'killed'), {
      kind: 'StartIngestionRun', runId: 'killed', connectionId: null, source: 'file', scope: '*', complete: true,
    }, ctx);
    await onboardTenants(store, 'acme');
    await ingest(store, noItems(), { tenantId: 'acme', standing: tenantStanding(store), actor: ctx.actor, source: 'file', scope: '*', complete: true, runId: 'finished' });
    await catchUp();

    expect(await sweepAbandonedIngestionRuns({ eventStore: store, readModels: db.sql }, { schema })).toEqual([]); // not silent long enough yet
    const later = new Date(Date.now() + 16 * 60_000);
    const swept = await sweepAbandonedIngestionRuns({ eventStore: store, readModels: db.sql }, { schema, now: later });
    expect(swept).toEqual([{ tenantId: 'acme', runId: 'killed' }]);
    const [failed] = (await store.readStream(ingestionRunStreamId('acme', 'killed'))).slice(-1);
    expect(failed).toMatchObject({ type: 'inventory.IngestionRunFailed.v1', data: { reason: expect.stringMatching(/^abandoned: no progress reported since/) } });
    expect(failed.metadata.actor).toEqual({ kind: 'system', id: 'ingestion-sweeper' });

    // A second sweeper that read the read model before the first one's event was projected.
    expect(await sweepAbandonedIngestionRuns({ eventStore: store, readModels: db.sql }, { schema, now: later })).toEqual([]);
    await catchUp();
    const { rows } = await db.sql.query<{ status: string }>(`SELECT doc->>'status' AS status FROM "${schema}".ingestion_runs ORDER BY id`);
    expect(rows.map((r) => r.status)).toEqual(['completed', 'failed']);
  });

  it('a live run reports progress, so it is never taken for abandoned', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSource = async function* (): AsyncGenerator<FileItem> {
      await gate;
      yield* noItems();
    };
    await onboardTenants(store, 'globex');
    const running = ingest(store, slowSource(), {
      tenantId: 'globex', standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false, runId: 'slow', heartbeatMs: 20,
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await catchUp();
    const { rows } = await db.sql.query<{ doc: { lastActivityAt: string; startedAt: string } }>(`SELECT doc FROM "${schema}".ingestion_runs WHERE id = 'globex|slow'`);
    expect(Date.parse(rows[0].doc.lastActivityAt)).toBeGreaterThan(Date.parse(rows[0].doc.startedAt));
    expect(await sweepAbandonedIngestionRuns({ eventStore: store, readModels: db.sql }, { schema, abandonedAfterMs: 1_000 })).toEqual([]);
    release();
    await expect(running).resolves.toMatchObject({ runId: 'slow' });
    const types = (await store.readStream(ingestionRunStreamId('globex', 'slow'))).map((e) => e.type);
    expect(types[0]).toBe('inventory.IngestionRunStarted.v1');
    expect(types).toContain('inventory.IngestionRunProgressed.v1');
    expect(types[types.length - 1]).toBe('inventory.IngestionRunCompleted.v1');
  });
});
