// Three real `rampart worker` processes on one PostgreSQL while a tenant's estate is ingested and
// evaluated, and the one holding the notifier killed with SIGKILL mid-run: every finding is
// processed, each notification reaches the customer's automation (at most the one in flight at the
// kill twice, with the same idempotency key), and no incident or proposed action is duplicated or
// missing. Before leases, two workers delivered every notification twice.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { handleCommand, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type FindingOpened, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { incidentIdFor, type ActionEntry, type IncidentEntry } from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import { loadConfig, openStores, READ_MODEL_SCHEMA, tenantStanding, type Stores } from '@rampart/platform';
import { onboardTenants, startWebhookReceiver, type WebhookReceiver } from '@rampart/platform/testing';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'bin', 'rampart.js');
const DB = `rampart_scale_out_${process.pid}`;
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
  let dir: string;
  let env: Record<string, string>;
  let receiver: WebhookReceiver;
  let stores: Stores;
  const admin = new Client({ connectionString: testDatabaseUrl() });
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
    await admin.query(`CREATE DATABASE ${DB}`);
    dir = mkdtempSync(join(tmpdir(), 'rampart-scale-out-'));
    receiver = await startWebhookReceiver(SECRET);
    env = {
      ...(process.env as Record<string, string>),
      RAMPART_STORE: 'postgres',
      DATABASE_URL: testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${DB}$1`),
      RAMPART_DATA_DIR: dir,
      RAMPART_LOG_LEVEL: 'info',
      RAMPART_NOTIFY_WEBHOOK_URL: receiver.url,
      RAMPART_NOTIFY_WEBHOOK_SECRET: SECRET,
      RAMPART_WORKER_LEASE_SECONDS: '3',
      RAMPART_INGEST_INTERVAL_MINUTES: '0',
    };
    stores = await openStores(loadConfig(env).store);
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stores?.close();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  });

  const worker = () => {
    const child = spawn(process.execPath, [bin, 'worker'], { cwd: root, env });
    children.push(child);
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    outputs.push(() => output);
    return { child, output: () => output };
  };
  const outputs: (() => string)[] = [];
  const until = async (what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
      if (Date.now() > deadline)
        throw new Error(`${what}: not within ${timeoutMs} ms; the workers said:\n${outputs.map((o, i) => `--- worker ${i + 1}\n${o().slice(-2_000)}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
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
    const workers = [worker(), worker(), worker()];
    await until('three workers running', () => workers.every((w) => /worker started/.test(w.output())));

    const estate = [...Array.from({ length: 240 }, (_, i) => storage(i)), ...Array.from({ length: 12 }, (_, i) => webApp(i))];
    await onboardTenants(stores.eventStore, TENANT);
    await ingest(stores.eventStore, itemsOf(estate), { tenantId: TENANT, standing: tenantStanding(stores.eventStore), actor: { kind: 'system', id: 'collector' }, source: 'push', scope: '*', complete: false });

    // Kill the worker that holds the notifier while it is delivering.
    await until('notifications under way', () => receiver.deliveries.length >= 40);
    const { rows: lease } = await stores.readModels.query<{ holder: string }>(`SELECT holder FROM "${READ_MODEL_SCHEMA}".leases WHERE lease_key = 'subscription:finding-notifier'`);
    const pid = Number(lease[0]?.holder.split(':')[1]);
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    victim!.child.kill('SIGKILL');
    await new Promise((r) => victim!.child.once('exit', r));

    // Everything the evaluation found reaches its end, through the two workers left.
    const expectedNotifications = async () => new Set((await findings()).filter((f) => f.data.notify).map((f) => `${TENANT}:${f.data.findingId}`));
    await until('every notification delivered', async () => {
      const expected = await expectedNotifications();
      const delivered = new Set(receiver.deliveries.map((d) => d.idempotencyKey));
      return expected.size >= 240 && [...expected].every((k) => delivered.has(k));
    });
    const expected = await expectedNotifications();
    const keys = receiver.deliveries.map((d) => d.idempotencyKey);
    expect(new Set(keys)).toEqual(expected);
    expect(receiver.deliveries.every((d) => d.verified)).toBe(true);
    const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(twice.length).toBeLessThanOrEqual(1); // only one can have been in flight when the notifier died

    const raising = (await findings()).filter((f) => f.data.raiseIncident);
    expect(raising.length).toBeGreaterThanOrEqual(12);
    await until('an incident and its proposal for every incident-raising finding', async () => {
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
