// Three real `rampart worker` processes on one PostgreSQL while a tenant's estate is ingested and
// evaluated, and the one holding the notifier killed with SIGKILL mid-run: every finding is
// processed, each notification reaches the customer's automation (at most the one in flight at the
// kill twice, with the same idempotency key), and no incident or proposed action is duplicated or
// missing. Before leases, two workers delivered every notification twice.
import { handleCommand, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type FindingOpened, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { incidentIdFor, type ActionEntry, type IncidentEntry } from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import { loadConfig, openStores, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { workerBench, type WorkerBench } from './testing/workers';

const SECRET = 'scale-out-secret-scale-out-secret-0123';
const TENANT = 'contoso-bank';
const SUB = '00000000-0000-0000-0000-00000000aaaa';

const storage = (i: number) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st${String(i).padStart(4, '0')}`,
  name: `st${String(i).padStart(4, '0')}`,
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties: { minimumTlsVersion: 'TLS1_0', supportsHttpsTrafficOnly: true, allowBlobPublicAccess: false },
});
const webApp = (i: number) => ({
  id: `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites/app${i}`,
  name: `app${i}`,
  type: 'Microsoft.Web/sites',
  location: 'westeurope',
  kind: 'app',
  properties: { httpsOnly: true, publicNetworkAccess: 'Enabled', siteConfig: { minTlsVersion: '1.2' } },
});

describe('three workers, one killed', () => {
  let bench: WorkerBench;
  let receiver: WebhookReceiver;
  let stores: Stores;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET);
    bench = await workerBench('scale_out', {
      RAMPART_LOG_LEVEL: 'info',
      RAMPART_NOTIFY_WEBHOOK_URL: receiver.url,
      RAMPART_NOTIFY_WEBHOOK_SECRET: SECRET,
      RAMPART_WORKER_LEASE_SECONDS: '3',
      RAMPART_INGEST_INTERVAL_MINUTES: '0',
    });
    stores = await openStores(loadConfig(bench.env).store);
  });
  afterAll(async () => {
    await stores?.close();
    await receiver?.close();
    await bench?.dispose();
  });
  const policy = (cmd: TenantGuardrailsCommand) =>
    handleCommand(stores.eventStore, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(TENANT), cmd, {
      tenantId: TENANT,
      actor: { kind: 'user', id: 'it@contoso.example' },
      correlationId: 'setup',
      causationId: null,
      now: new Date(),
    });
  const findings = async () => {
    const opened: (RecordedEvent & FindingOpened)[] = [];
    let from: GlobalPosition | undefined;
    for (;;) {
      const page = await stores.eventStore.readAll({ from, filter: { tenantId: TENANT, eventTypes: ['guardrails.FindingOpened.v1'] }, maxCount: 1_000 });
      opened.push(...(page.events as unknown as (RecordedEvent & FindingOpened)[]));
      if (page.events.length < 1_000) return opened;
      from = page.position;
    }
  };
  const rows = async <T>(table: string) => (await stores.readModels.query<{ doc: T }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".${table}`)).rows.map((r) => r.doc);

  it('delivers every notification, opens every incident and proposes every action once', async () => {
    expect((await policy({ kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' })).ok).toBe(true);
    expect((await policy({ kind: 'SetReportingPolicy', incidentSeverities: ['critical', 'high'], notifySeverities: ['critical', 'high', 'medium'] })).ok).toBe(true);
    const workers = [bench.worker(), bench.worker(), bench.worker()];
    await bench.until('three workers running', () => workers.every((w) => /worker started/.test(w.output())));

    const estate = [...Array.from({ length: 240 }, (_, i) => storage(i)), ...Array.from({ length: 12 }, (_, i) => webApp(i))];
    await onboardTenants(stores.eventStore, TENANT);
    await ingest(stores.eventStore, itemsOf(estate), { tenantId: TENANT, standing: tenantStanding(stores.eventStore), actor: { kind: 'system', id: 'collector' }, source: 'push', scope: '*', complete: false });

    // Kill the worker that holds the notifier while it is delivering.
    await bench.until('notifications under way', () => receiver.deliveries.length >= 40);
    const { rows: lease } = await stores.readModels.query<{ holder: string }>(`SELECT holder FROM "${READ_MODEL_SCHEMA}".leases WHERE lease_key = 'subscription:finding-notifier'`);
    const pid = Number(lease[0]?.holder.split(':')[1]);
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    victim!.child.kill('SIGKILL');
    await new Promise((r) => victim!.child.once('exit', r));

    // Everything the evaluation found reaches its end, through the two workers left.
    const expectedNotifications = async () => new Set((await findings()).filter((f) => f.data.notify).map((f) => `${TENANT}:${f.data.findingId}`));
    // The evaluation may still be finding things after the first 240: done when the set of findings
    // to notify has stood still for two seconds and every one of them has been delivered.
    let seen = 0;
    let stillSince = Date.now();
    await bench.until('every notification delivered', async () => {
      const expected = await expectedNotifications();
      if (expected.size !== seen) [seen, stillSince] = [expected.size, Date.now()];
      const delivered = new Set(receiver.deliveries.map((d) => d.idempotencyKey));
      return expected.size >= 240 && Date.now() - stillSince >= 2_000 && [...expected].every((k) => delivered.has(k));
    });
    const expected = await expectedNotifications();
    const keys = receiver.deliveries.map((d) => d.idempotencyKey);
    expect(new Set(keys)).toEqual(expected);
    expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice.length).toBeLessThanOrEqual(1); // only one can have been in flight when the notifier died

    // The incident policy names no finding severities: the ones named in guardrails' reporting policy hold.
    const raising = (await findings()).filter((f) => ['critical', 'high'].includes(f.data.severity));
    expect(raising.length).toBeGreaterThanOrEqual(12);
    await bench.until('an incident and its proposal for every incident-raising finding', async () => {
      const incidents = await rows<IncidentEntry>('incidents');
      const actions = await rows<ActionEntry>('response_actions');
      return raising.every((f) => incidents.some((i) => i.signals.some((s) => s.ref === f.data.findingId)) && actions.some((a) => a.incidentId === incidentIdFor(TENANT, f.data.findingId)));
    });
    const incidents = await rows<IncidentEntry>('incidents');
    for (const f of raising) expect(incidents.filter((i) => i.signals.some((s) => s.ref === f.data.findingId))).toHaveLength(1);
    const actions = await rows<ActionEntry>('response_actions');
    const proposedPerIncident = new Map<string, number>();
    for (const a of actions) proposedPerIncident.set(a.incidentId, (proposedPerIncident.get(a.incidentId) ?? 0) + 1);
    expect(new Set(proposedPerIncident.values())).toEqual(new Set([1])); // the respond phase of each playbook proposes one action
    expect(incidents).toHaveLength(raising.length);

    // The notifier moved to a live worker.
    const { rows: after } = await stores.readModels.query<{ holder: string }>(`SELECT holder FROM "${READ_MODEL_SCHEMA}".leases WHERE lease_key = 'subscription:finding-notifier'`);
    expect(Number(after[0]?.holder.split(':')[1])).not.toBe(pid);
  }, 240_000);
});
