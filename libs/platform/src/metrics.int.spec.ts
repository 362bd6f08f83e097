// The counters move where the work is done, for real operations on a real store: commands through
// the instrumented store, an ingestion run, the evaluator's verdicts and findings, a response action
// delivered by webhook (retried once), and a notification that fails. Each is read from a registry
// as /metrics serves it, before and after.
import { handleCommand } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId } from '@rampart/guardrails';
import { actionDecider, actionStreamId } from '@rampart/incidents';
import { ActionRunner, webhookExecutor } from '@rampart/incidents-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { createLogger, createMetrics, instrumentEventStore, signedWebhook } from '@rampart/runtime';
import { answer, startWebhookReceiver, type Respond } from '@rampart/runtime/testing';
import type { EventStore } from '@rampart/event-sourcing';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { InlineWorker } from './inline-worker';

const SECRET = 'metrics-secret-metrics-secret-0123456789';
const tenant = 'metrics-bank';
const SUB = '00000000-0000-0000-0000-00000000cccc';
const weakStorage = {
  id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stweak`,
  name: 'stweak',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  kind: 'StorageV2',
  sku: { name: 'Standard_LRS' },
  properties: { minimumTlsVersion: 'TLS1_0', supportsHttpsTrafficOnly: false, allowBlobPublicAccess: true },
};

const registry = createMetrics();
/** The value of a counter (or a histogram's `_count`) with exactly these labels, 0 when it has none yet. */
const value = async (name: string, labels: Record<string, string> = {}): Promise<number> => {
  const metric = registry.getSingleMetric(name.replace(/_count$/, ''));
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const found = values.find(
    (v) => (!name.endsWith('_count') || (v as { metricName?: string }).metricName === name) && Object.keys(v.labels).filter((k) => k !== 'le').length === wanted.length && wanted.every(([k, x]) => v.labels[k] === x),
  );
  return found?.value ?? 0;
};
const moved = async (name: string, labels: Record<string, string>, work: () => Promise<unknown>): Promise<number> => {
  const before = await value(name, labels);
  await work();
  return (await value(name, labels)) - before;
};

describe('metrics of the work', () => {
  let db: TestDatabase;
  let raw: SqlEventStore;
  let store: EventStore;

  beforeAll(async () => {
    db = await pgliteTestDatabase('metrics');
    raw = await SqlEventStore.open(db.sql, { schema: db.schema });
    store = instrumentEventStore(raw);
  });
  afterAll(async () => {
    await raw.close();
    await db.dispose();
  });

  it('counts commands by name and outcome, through the store the process opens', async () => {
    expect(await moved('rampart_commands_total', { command: 'OnboardTenant', outcome: 'appended' }, () => onboardTenants(store, tenant))).toBe(1);
    // onboarding again is refused by the decider (onboardTenants accepts that refusal)
    expect(await moved('rampart_commands_total', { command: 'OnboardTenant', outcome: 'rejected' }, () => onboardTenants(store, tenant))).toBe(1);
    // the adapter itself counts nothing: only what goes through the instrumented store is seen
    expect(await moved('rampart_commands_total', { command: 'OnboardTenant', outcome: 'rejected' }, () => onboardTenants(raw, tenant))).toBe(0);
  });

  it('counts an ingestion run and its resources, then the evaluations and findings that follow', async () => {
    await onboardTenants(store, tenant);
    const assigned = await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, {
      tenantId: tenant, actor: { kind: 'user', id: 'ana@metrics-bank.example' }, correlationId: 'c', causationId: null, now: new Date(),
    });
    expect(assigned.ok).toBe(true);
    const run = () => ingest(store, itemsOf([weakStorage]), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: true });
    expect(await moved('rampart_ingestion_runs_total', { source: 'push', outcome: 'completed' }, run)).toBe(1);
    expect(await value('rampart_ingestion_resources_total', { source: 'push', change: 'discovered' })).toBeGreaterThanOrEqual(1);
    expect(await moved('rampart_ingestion_resources_total', { source: 'push', change: 'unchanged' }, run)).toBe(1);
    // a tenant nobody onboarded is refused before anything is recorded
    const refused = ingest(store, itemsOf([weakStorage]), { tenantId: 'nobody', standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'file', scope: '*', complete: true });
    expect(await moved('rampart_ingestion_runs_total', { source: 'file', outcome: 'refused' }, () => refused.catch(() => undefined))).toBe(1);

    const worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema: 'metrics_read' });
    const evaluations = await value('rampart_guardrail_evaluations_total');
    const durations = await value('rampart_guardrail_evaluation_seconds_count');
    const opened = await value('rampart_findings_total', { change: 'opened' });
    await worker.settle();
    expect((await value('rampart_guardrail_evaluations_total')) - evaluations).toBeGreaterThanOrEqual(1);
    expect((await value('rampart_guardrail_evaluation_seconds_count')) - durations).toBe((await value('rampart_guardrail_evaluations_total')) - evaluations);
    // TLS 1.0, plain HTTP and public blobs: the curated guardrails find something
    expect((await value('rampart_findings_total', { change: 'opened' })) - opened).toBeGreaterThanOrEqual(1);
  });

  it('counts a response action by kind and outcome, and its webhook delivery with the retry', async () => {
    let calls = 0;
    const respond: Respond = (delivery, res, n) => (n === 1 ? answer(503, '{"busy":true}')(delivery, res, n) : answer(200, '{"ok":true}')(delivery, res, n));
    const receiver = await startWebhookReceiver(SECRET, (d, res, n) => {
      calls++;
      respond(d, res, n);
    });
    try {
      const actionId = 'act-metrics';
      const proposed = await handleCommand(store, actionDecider, actionStreamId(tenant, actionId), {
        kind: 'ProposeAction', actionId, incidentId: 'inc-1', actionKind: 'rotate-secret', phase: 'remediate', target: weakStorage.id.toLowerCase(),
        parameters: { secretName: 'api-key' }, proposedBy: 'playbook:exposed-api@1', preApproved: true,
      }, { tenantId: tenant, actor: { kind: 'user', id: 'ana@soc.example' }, correlationId: 'c', causationId: null, now: new Date() });
      expect(proposed.ok).toBe(true);
      const worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema: 'metrics_read' });
      await worker.project();
      const runner = new ActionRunner({ eventStore: store, readModels: db.sql }, webhookExecutor({ url: receiver.url, secret: SECRET, timeoutMs: 5_000, backoffMs: 10, maxBackoffMs: 20 }), {
        standing: tenantStanding(store),
        schema: 'metrics_read',
        log: createLogger('silent'),
        concurrency: 1,
      });
      const succeeded = await value('rampart_response_actions_total', { action: 'rotate-secret', executor: 'webhook', outcome: 'succeeded' });
      const retried = await value('rampart_webhook_deliveries_total', { kind: 'action', outcome: 'retried' });
      const delivered = await value('rampart_webhook_deliveries_total', { kind: 'action', outcome: 'delivered' });
      const latencies = await value('rampart_webhook_delivery_seconds_count', { kind: 'action', outcome: 'delivered' });
      expect(await runner.executeApproved()).toEqual([expect.objectContaining({ actionId, status: 'succeeded' })]);
      expect(calls).toBe(2);
      expect((await value('rampart_response_actions_total', { action: 'rotate-secret', executor: 'webhook', outcome: 'succeeded' })) - succeeded).toBe(1);
      expect((await value('rampart_webhook_deliveries_total', { kind: 'action', outcome: 'retried' })) - retried).toBe(1);
      expect((await value('rampart_webhook_deliveries_total', { kind: 'action', outcome: 'delivered' })) - delivered).toBe(1);
      expect((await value('rampart_webhook_delivery_seconds_count', { kind: 'action', outcome: 'delivered' })) - latencies).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('counts a notification that fails as failed, of its own kind', async () => {
    const receiver = await startWebhookReceiver(SECRET, answer(400, '{"error":"no"}'));
    try {
      const webhook = signedWebhook({ url: receiver.url, secret: SECRET, kind: 'notification', backoffMs: 10, maxBackoffMs: 20 });
      const failed = await moved('rampart_webhook_deliveries_total', { kind: 'notification', outcome: 'failed' }, () => webhook.post({ findingId: 'f-1' }, 'f-1', new AbortController().signal));
      expect(failed).toBe(1);
      expect(await value('rampart_webhook_deliveries_total', { kind: 'notification', outcome: 'delivered' })).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
