// The event log is what to back up: a dump of the events schema alone (as docs/operations.md says,
// `pg_dump --schema=rampart`), restored into an empty database, gives every read model back, row for
// row, once the projections are rebuilt, and the worker's reactions replayed over the restored log
// decide nothing new, so no effect is repeated. Run with PostgreSQL's own pg_dump and pg_restore.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { comparePositions, START } from '@rampart/event-sourcing';
import { createPgClient, ProjectionRunner } from '@rampart/event-store';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { InlineWorker, platformProjections } from '@rampart/platform';
import { createLogger, openStores, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { seedDemo } from './seed';

const tool = (name: string) => {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const haveTools = tool('pg_dump') && tool('pg_restore');
const describeWithTools = haveTools ? describe : describe.skip;
if (!haveTools) console.warn('backup and restore: pg_dump / pg_restore not found, skipped (Debian: apt-get install postgresql-client)');

/** Every read model, as a digest of its rows (id and document; jsonb's text form is canonical). */
const readModelDigests = async (url: string): Promise<Record<string, { rows: number; digest: string }>> => {
  const sql = await createPgClient({ connectionString: url, max: 1 });
  try {
    const { rows: tables } = await sql.query<{ table_name: string }>(
      `SELECT c.table_name FROM information_schema.columns c
        WHERE c.table_schema = $1 AND c.column_name = 'doc'
          AND EXISTS (SELECT 1 FROM information_schema.columns i WHERE i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id')
        ORDER BY 1`,
      [READ_MODEL_SCHEMA],
    );
    const digests: Record<string, { rows: number; digest: string }> = {};
    for (const { table_name: table } of tables) {
      const { rows } = await sql.query<{ rows: string; digest: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(id::text || ' ' || doc::text, E'\\n' ORDER BY id::text)) AS digest FROM "${READ_MODEL_SCHEMA}"."${table}"`,
      );
      digests[table] = { rows: Number(rows[0].rows), digest: rows[0].digest ?? '' };
    }
    return digests;
  } finally {
    await sql.close();
  }
};

describeWithTools('backing up the event log and restoring it', () => {
  const work = mkdtempSync(join(tmpdir(), 'rampart-backup-'));
  let original: Awaited<ReturnType<typeof throwawayPostgresDatabase>> | undefined;
  let restored: Awaited<ReturnType<typeof throwawayPostgresDatabase>> | undefined;
  let stores: Stores | undefined;

  afterAll(async () => {
    await stores?.close();
    await original?.dispose();
    await restored?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('gives every read model back, row for row, and replaying the reactions repeats no effect', async () => {
    original = await throwawayPostgresDatabase('backup_a');
    restored = await throwawayPostgresDatabase('backup_b');
    const log = createLogger('silent');

    // A few weeks of the product's own history: tenants, policy, evaluations, incidents, approvals.
    const seeding = await openStores({ kind: 'postgres', databaseUrl: original.url });
    try {
      expect(await seedDemo(seeding, log, { days: 6, resourcesPerTenant: 30 })).not.toBeNull();
      const caughtUp = await InlineWorker.start(seeding, { from: await seeding.eventStore.headPosition() });
      await caughtUp.project();
    } finally {
      await seeding.close();
    }
    const before = await readModelDigests(original.url);
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['incidents', 'findings', 'tenant_directory', 'response_actions']));
    expect(before['incidents'].rows).toBeGreaterThan(0);

    // The backup: the events schema only, in PostgreSQL's custom format.
    const dump = join(work, 'rampart-events.dump');
    execFileSync('pg_dump', ['--format=custom', '--schema=rampart', `--file=${dump}`, original.url]);
    expect(statSync(dump).size).toBeGreaterThan(0);
    execFileSync('pg_restore', ['--no-owner', `--dbname=${restored.url}`, dump]);

    // Start on the restored log: the read-model tables are new and empty; a rebuild refills them.
    stores = await openStores({ kind: 'postgres', databaseUrl: restored.url });
    const head = await stores.eventStore.headPosition();
    for (const projection of platformProjections()) {
      const runner = new ProjectionRunner(stores.eventStore, stores.readModels, projection, { schema: READ_MODEL_SCHEMA });
      await runner.prepare();
      await runner.rebuild();
    }
    expect(await readModelDigests(restored.url)).toEqual(before);

    // The worker's reactions have no checkpoints in the restored database, so they read the whole
    // log again: every decision they take is already recorded, so they append nothing.
    const worker = await InlineWorker.start(stores, { from: START });
    await worker.settle();
    expect(comparePositions(await stores.eventStore.headPosition(), head)).toBe(0);
  }, 300_000);
});
