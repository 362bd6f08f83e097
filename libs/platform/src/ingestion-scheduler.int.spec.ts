// Several workers, one database: each connection's ingestion runs once per pass, never twice at
// the same time, and a lease left by a crashed worker expires.
import { createLogger, Leases, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { startIngestionScheduler, type RunConnection } from '@rampart/ingestion';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { SqlEventStore } from '@rampart/event-store';
import { cloudConnections, tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';

describe('scheduled ingestion across workers', () => {
  let db: TestDatabase;
  let stores: Stores;
  beforeAll(async () => {
    db = await postgresTestDatabase('scheduler');
    const eventStore = await SqlEventStore.open(db.sql, { schema: db.schema });
    stores = { eventStore, readModels: db.sql, description: 'test', close: async () => undefined };
    await db.sql.exec(`CREATE SCHEMA IF NOT EXISTS "${READ_MODEL_SCHEMA}"; CREATE TABLE IF NOT EXISTS "${READ_MODEL_SCHEMA}".tenant_directory (id text PRIMARY KEY, tenant_id text NOT NULL, doc jsonb NOT NULL, updated_at timestamptz NOT NULL)`);
    await db.sql.exec(`DELETE FROM "${READ_MODEL_SCHEMA}".leases WHERE lease_key LIKE 'test:%'`).catch(() => undefined);
  });
  afterAll(async () => {
    await stores.eventStore.close();
    await db.dispose();
  });

  it('a lease belongs to one holder until released or expired', async () => {
    const leases = await Leases.open(db.sql, READ_MODEL_SCHEMA);
    const key = `test:${Date.now()}`;
    expect(await leases.acquire(key, 'a', 60_000)).toBe(true);
    expect(await leases.acquire(key, 'b', 60_000)).toBe(false);
    expect(await leases.acquire(key, 'a', 60_000)).toBe(true); // renewal
    await leases.release(key, 'a');
    expect(await leases.acquire(key, 'b', 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 80)); // b "crashed": its lease runs out
    expect(await leases.acquire(key, 'c', 60_000)).toBe(true);
    await leases.release(key, 'c');
  });

  it('two workers never ingest the same connection at once', async () => {
    const tenant = `sched-${Date.now()}`;
    const doc = {
      tenantId: tenant,
      status: 'active',
      connections: [
        { connectionId: 'one', provider: 'azure', entraTenantId: 'x', subscriptions: [], managementGroups: [], credentialReference: 'x' },
        { connectionId: 'two', provider: 'azure', entraTenantId: 'x', subscriptions: [], managementGroups: [], credentialReference: 'x' },
      ],
    };
    await db.sql.query(`INSERT INTO "${READ_MODEL_SCHEMA}".tenant_directory VALUES ($1, $1, $2::jsonb, now())`, [tenant, JSON.stringify(doc)]);
    // the standing rule reads the tenant's own stream
    await onboardTenants(stores.eventStore, tenant);
    const active = new Set<string>();
    const log: string[] = [];
    const run: RunConnection = async (tenantId, connection) => {
      if (tenantId !== tenant) return;
      const key = `${tenantId}/${connection.connectionId}`;
      if (active.has(key)) throw new Error(`${key} ran twice at once`);
      active.add(key);
      log.push(key);
      await new Promise((r) => setTimeout(r, 400));
      active.delete(key);
    };
    const quiet = createLogger('silent');
    // A real interval: after its run a worker keeps the connection claimed until shortly before the
    // next pass, so the other worker does not run it again in this pass however the timings fall.
    const a = await startIngestionScheduler(stores, quiet, { intervalMs: 60_000, run, holder: 'worker-a', standing: tenantStanding(stores.eventStore), connections: cloudConnections(stores.readModels) });
    const b = await startIngestionScheduler(stores, quiet, { intervalMs: 60_000, run, holder: 'worker-b', standing: tenantStanding(stores.eventStore), connections: cloudConnections(stores.readModels) });
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    const mine = (keys: string[]) => keys.filter((k) => k.includes(tenant));
    expect([...mine(ra.ran), ...mine(rb.ran)].sort()).toEqual([`ingest:${tenant}:one`, `ingest:${tenant}:two`]);
    expect(mine(ra.skipped).length + mine(rb.skipped).length).toBe(2);
    expect(log.sort()).toEqual([`${tenant}/one`, `${tenant}/two`]);
    await a.stop();
    await b.stop();
  });
});
