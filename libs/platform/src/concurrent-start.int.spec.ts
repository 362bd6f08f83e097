// Several processes starting at once on an empty PostgreSQL database, as `docker compose up` starts
// two API replicas and two workers: each creates the schemas, tables and projection checkpoints it
// needs. They must all start, and leave one complete schema: the DDL runs under one advisory lock
// (schema.ts, migrate) and a projection's first build under its own (ProjectionRunner.reset), so no
// migration step has to run first. Each "process" here has its own connection pool, released at
// the same moment.
import { openStores, createLogger, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { createPgClient } from '@rampart/event-store';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { platformProjections, projectionRunners, startWorker, type Worker } from './index';

const ROUNDS = 3;
const WORKERS = 4;
const APIS = 4;

describe('processes starting at once on an empty database', () => {
  const silent = createLogger('silent');

  it.each(Array.from({ length: ROUNDS }, (_, i) => i + 1))('all start and leave one complete schema (round %i)', async () => {
    const database = await throwawayPostgresDatabase('concurrent_start');
    const opened: Stores[] = [];
    const workers: Worker[] = [];
    try {
      // Connected first, so the start-ups below race each other rather than the connection set-up.
      const warm = await Promise.all(Array.from({ length: WORKERS + APIS }, () => createPgClient(database.url)));
      await Promise.all(warm.map((sql) => sql.query('SELECT 1')));
      await Promise.all(warm.map((sql) => sql.close()));

      let release!: () => void;
      const go = new Promise<void>((resolve) => (release = resolve));
      const start = async (role: 'api' | 'worker') => {
        await go;
        const stores = await openStores({ kind: 'postgres', databaseUrl: database.url });
        opened.push(stores);
        if (role === 'worker') {
          workers.push(await startWorker(stores, silent, { ingestIntervalMs: 0, partitions: 4, leaseMs: 3_000, notifications: { webhookUrl: 'http://127.0.0.1:9/unused', webhookSecret: 'x'.repeat(32) } }));
        } else {
          // An API replica reads projection statuses from the checkpoints whether or not a worker made them yet.
          await Promise.all(projectionRunners(stores, silent).map((runner) => runner.status().catch(() => undefined)));
        }
      };
      const starting = [...Array.from({ length: WORKERS }, () => start('worker')), ...Array.from({ length: APIS }, () => start('api'))];
      release();
      const results = await Promise.allSettled(starting);
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);

      const sql = opened[0].readModels;
      const tables = await sql.query<{ name: string }>(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema IN ('rampart', $1) ORDER BY 1`,
        [READ_MODEL_SCHEMA],
      );
      const names = tables.rows.map((r) => r.name);
      for (const expected of ['rampart.events', 'rampart.checkpoints', `${READ_MODEL_SCHEMA}.projection_checkpoints`, `${READ_MODEL_SCHEMA}.leases`, `${READ_MODEL_SCHEMA}.subscription_checkpoints`, `${READ_MODEL_SCHEMA}.notification_deliveries`]) {
        expect(names).toContain(expected);
      }
      // every projection's tables exist, with one checkpoint row at the code's version
      const projections = platformProjections();
      for (const table of projections.flatMap((p) => p.tables)) expect(names).toContain(`${READ_MODEL_SCHEMA}.${table}`);
      const checkpoints = await sql.query<{ name: string; version: number }>(`SELECT name, version FROM ${READ_MODEL_SCHEMA}.projection_checkpoints ORDER BY name`);
      expect(checkpoints.rows).toEqual(projections.map((p) => ({ name: p.name, version: p.version })).sort((a, b) => a.name.localeCompare(b.name)));
    } finally {
      await Promise.allSettled(workers.map((w) => w.stop()));
      await Promise.allSettled(opened.map((s) => s.close()));
      await database.dispose();
    }
  }, 180_000);
});
