// A replay over many resources shares the event loop: it yields every REPLAY_SLICE_MS of work, so a
// timer due during it (a health check, another request) fires on time, and the answer is the same.
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { ingest, itemsOf } from '@rampart/ingestion';
import { replayPolicy } from './history';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const tenant = 'contoso-bank';
const RESOURCES = 300;

const webApp = (i: number) => ({
  id: `/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg-web/providers/Microsoft.Web/sites/app-${i}`,
  name: `app-${i}`,
  type: 'Microsoft.Web/sites',
  location: 'westeurope',
  properties: { httpsOnly: i % 2 === 0 },
});

/**
 * Each evaluation counts 5,000 members (a millisecond or so, well within the step budget): the
 * whole replay is hundreds of milliseconds of evaluation in one page, which never awaits.
 */
const slowRule = {
  mode: 'All',
  policyRule: {
    if: {
      allOf: [
        { field: 'type', equals: 'Microsoft.Web/sites' },
        { count: { value: '[range(0, 5000)]', where: { value: '[current()]', less: 0 } }, equals: 0 },
        { field: 'Microsoft.Web/sites/httpsOnly', notEquals: true },
      ],
    },
    then: { effect: 'audit' },
  },
};

describe('a long replay and the event loop', () => {
  let db: TestDatabase;
  let store: SqlEventStore;

  beforeAll(async () => {
    db = await pgliteTestDatabase('history_yield');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await onboardTenants(store, tenant);
    await ingest(store, itemsOf(Array.from({ length: RESOURCES }, (_, i) => webApp(i))), {
      standing: tenantStanding(store),
      tenantId: tenant,
      actor: { kind: 'system', id: 'test' },
      source: 'push',
      scope: '*',
      complete: false,
    });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('given a timer due every 10 ms, when a replay evaluates for hundreds of milliseconds, then the timer fires throughout and the answer is whole', async () => {
    // Once before, so what is done once per process (the alias table, compiling the engine's code) is not measured.
    await replayPolicy({ eventStore: store }, tenant, slowRule);
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now()), 10);
    const started = performance.now();
    const result = await replayPolicy({ eventStore: store }, tenant, slowRule).finally(() => clearInterval(timer));
    const finished = performance.now();

    if (!result.ok) throw new Error(result.refusal.message);
    expect(result.replay.resourcesEvaluated).toBe(RESOURCES);
    expect(result.replay.intervals.map((i) => i.resourceId).sort()).toEqual(
      Array.from({ length: RESOURCES }, (_, i) => webApp(i))
        .filter((app) => !app.properties.httpsOnly)
        .map((app) => app.id)
        .sort(),
    );
    expect(result.replay.intervals.every((i) => i.state === 'nonCompliant' && i.to === null)).toBe(true);

    // The replay lasted long enough to matter, and the timer never waited long for it: without the
    // yields it waits for the whole replay. (On a busy machine every slice stretches in wall time.)
    const lasted = finished - started;
    expect(lasted).toBeGreaterThan(150);
    const during = [started, ...ticks.filter((t) => t <= finished), finished];
    const longestWait = Math.max(...during.slice(1).map((t, i) => t - during[i]));
    expect(ticks.filter((t) => t <= finished).length).toBeGreaterThan(5);
    expect(longestWait).toBeLessThan(Math.max(250, lasted / 4));
  });
});
