// The seed story from inventory to incident: a web app without authentication is found by the
// guardrails, the finding opens an incident with the playbook's first action proposed, a second
// finding on the same app joins it, and the app's fix verifies the executed action.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { handleCommand, toNewEvents, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import {
  actionDecider,
  actionStreamId,
  DEFAULT_APPROVAL_EXPIRY_MINUTES,
  incidentDecider,
  incidentIdFor,
  incidentStreamId,
  type ActionCommand,
  type ActionEntry,
  type IncidentEntry,
} from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { recordedIncidentSeverities } from '@rampart/guardrails-application';
import { IncidentReactor } from '@rampart/incidents-application';
import { createLogger } from '@rampart/runtime';
import { InlineWorker } from './inline-worker';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { tenantStanding } from '@rampart/tenancy-application';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = (httpsOnly: boolean) => ({ ...webAppBody, properties: { ...webAppBody.properties, httpsOnly } });
const webKey = String(webAppBody.id).toLowerCase();
const authConfig = { id: `${webAppBody.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } };

describe('incidents from findings', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let reactor: IncidentReactor;
  // Milestones are the events' recorded times (the database clock): "now" starts at the real time.
  let now = new Date();
  const schema = 'incidents_read';
  const tenant = 'contoso-bank';

  let worker: InlineWorker;
  const project = () => worker.project();
  /** What the worker does, in order, until nothing moves. */
  const settle = () => worker.settle();
  const ctx = (actor = 'ana@soc.example') => ({ tenantId: tenant, actor: { kind: 'user' as const, id: actor }, correlationId: 'c', causationId: null, now });
  const policy = (cmd: TenantGuardrailsCommand) => handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), cmd, ctx());
  const act = (actionId: string, cmd: ActionCommand, actor?: string) => handleCommand(store, actionDecider, actionStreamId(tenant, actionId), cmd, ctx(actor));
  const run = (values: unknown[]) => ingest(store, itemsOf(values), { tenantId: tenant, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
  const incidents = async () => (await db.sql.query<{ doc: IncidentEntry }>(`SELECT doc FROM "${schema}".incidents ORDER BY id`)).rows.map((r) => r.doc);
  const actions = async () => (await db.sql.query<{ doc: ActionEntry }>(`SELECT doc FROM "${schema}".response_actions ORDER BY id`)).rows.map((r) => r.doc);

  beforeAll(async () => {
    db = await pgliteTestDatabase('incidents');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await onboardTenants(store, tenant);
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema, now: () => now });
    reactor = worker.reactor;
    await policy({ kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' });
    await policy({ kind: 'SetReportingPolicy', incidentSeverities: ['critical', 'high', 'medium'], notifySeverities: [] });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it('opens one incident for the exposed app, with the playbook response proposed', async () => {
    await run([webApp(true)]);
    await settle();
    const [incident] = await incidents();
    expect(incident).toMatchObject({ status: 'new', severity: 'high', title: 'Web app reachable without authentication on sitef6141', resourceKeys: [webKey] });
    expect(await actions()).toEqual([
      expect.objectContaining({ incidentId: incident.incidentId, actionKind: 'restrict-public-network-access', verb: 'Isolate', destructive: true, status: 'proposed', playbookId: 'restrict-public-api', target: webKey }),
    ]);
  });

  it('a second finding on the same app joins the open incident instead of opening another', async () => {
    await run([webApp(false)]); // now also HTTP allowed (medium, incident-worthy for this tenant)
    await settle();
    const all = await incidents();
    expect(all).toHaveLength(1);
    expect(all[0].signals.map((s) => s.title)).toEqual(['Web app reachable without authentication', 'Web app accepts plain HTTP']);
    // redelivery of everything the reactor saw changes nothing
    const before = (await store.headPosition());
    await reactor.handle((await store.readAll({ filter: { eventTypes: ['guardrails.FindingOpened.v1'] }, maxCount: 100 })).events);
    expect(await store.headPosition()).toEqual(before);
  });

  it('records an SLA breach when nobody acknowledges it in time', async () => {
    expect(await reactor.recordSlaBreaches()).toEqual([]);
    now = new Date(Date.now() + 31 * 60_000); // high: 30 minutes to acknowledge
    const [incident] = await incidents();
    expect(await reactor.recordSlaBreaches()).toEqual([{ tenantId: tenant, incidentId: incident.incidentId, target: 'acknowledge' }]);
    await project();
    expect(await reactor.recordSlaBreaches()).toEqual([]);
    expect((await incidents())[0].breached).toEqual(['acknowledge']);
  });

  it('verifies the executed action once the app is compliant again', async () => {
    const [action] = await actions();
    expect((await act(action.actionId, { kind: 'ApproveAction', approvedBy: 'lead@soc.example', now, approvalExpiryMinutes: DEFAULT_APPROVAL_EXPIRY_MINUTES }, 'lead@soc.example')).ok).toBe(true);
    await act(action.actionId, { kind: 'StartExecution', executor: 'manual', idempotencyKey: `${action.actionId}:1` });
    await act(action.actionId, { kind: 'RecordSuccess', outcome: 'public network access disabled by hand' });
    await run([webApp(false), authConfig]);
    await settle();
    expect((await actions())[0]).toMatchObject({ status: 'succeeded', verified: true });
  });

  it("follows the tenant's incident policy: pre-approval of low-risk actions only, and its SLA targets", async () => {
    const { incidentPolicyDecider, incidentPolicyStreamId } = await import('@rampart/incidents');
    const { postureStreamId } = await import('@rampart/guardrails');
    const set = (cmd: Parameters<typeof incidentPolicyDecider.decide>[0]) => handleCommand(store, incidentPolicyDecider, incidentPolicyStreamId(tenant), cmd, ctx());
    expect(await set({ kind: 'SetIncidentPolicy', preApprovedActions: ['isolate-workload'] })).toMatchObject({ ok: false, rejection: { code: 'destructive-action-not-pre-approvable' } });
    expect((await set({ kind: 'SetIncidentPolicy', preApprovedActions: ['rotate-secret'], sla: { medium: { acknowledgeMinutes: 1 } } })).ok).toBe(true);
    // What the evaluator records for storage keys past their expiry (a medium finding whose playbook rotates the secret).
    const key = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/keys';
    await store.appendToStream(postureStreamId(tenant, key), toNewEvents([
      {
        type: 'guardrails.FindingOpened.v1',
        data: {
          findingId: '7e1f0a52-0000-4000-8000-000000000001', resourceKey: key, resourceId: key, resourceType: 'microsoft.storage/storageaccounts',
          assignmentId: 'core', guardrailId: 'storage-keys-not-rotated', severity: 'medium', title: 'Storage account keys past their expiry (not rotated)',
          playbookId: 'rotate-secret', reason: 'keys expired', causedBy: null, notify: false,
        },
      },
    ], ctx('system')));
    await settle();
    const rotation = (await actions()).find((a) => a.actionKind === 'rotate-secret');
    expect(rotation).toMatchObject({ status: 'approved', approvedBy: 'tenant-policy', target: key, parameters: { secretName: key } });
    const keysIncident = (await incidents()).find((i) => i.resourceKeys.includes(key))!;
    now = new Date(Date.now() + 2 * 60_000);
    expect((await reactor.recordSlaBreaches()).filter((b) => b.incidentId === keysIncident.incidentId)).toEqual([{ tenantId: tenant, incidentId: keysIncident.incidentId, target: 'acknowledge' }]);
  });

  it('answers an incident an external alert opened with the playbook for its detection type', async () => {
    const vm = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-01';
    const open = (incidentId: string, detectionType: string | undefined, resourceKeys: string[], entities: string[] = []) =>
      handleCommand(store, incidentDecider, incidentStreamId(tenant, incidentId), {
        kind: 'OpenIncident',
        incidentId,
        title: 'Malware detected',
        signal: { kind: 'alert', ref: `defender:${incidentId}`, title: 'Malware detected', severity: 'high', resourceKeys, entities, detectedAt: now.toISOString(), ...(detectionType ? { detectionType } : {}) },
      }, ctx('system'));
    await open('inc-alert-vm', 'VM_EICAR', [vm]);
    await open('inc-alert-arm', 'ARM_UnusualActivity', [], ['account:deploy-bot', 'ip:203.0.113.7']);
    await open('inc-alert-unknown', 'myAlert', [vm]);
    await open('inc-alert-untyped', undefined, [vm]);
    await settle();
    const proposed = (await actions()).filter((a) => a.incidentId.startsWith('inc-alert'));
    expect(proposed.map((a) => [a.incidentId, a.actionKind, a.target, a.playbookId, a.parameters])).toEqual([
      ['inc-alert-arm', 'revoke-service-principal-credentials', 'account:deploy-bot', 'revoke-credentials', { servicePrincipalId: 'deploy-bot' }],
      ['inc-alert-vm', 'isolate-workload', vm, 'isolate-workload', {}],
    ]);
    expect(proposed.every((a) => a.status === 'proposed')).toBe(true);
  });
  it('finishes what a crash interrupted: delivered again, the finding that opened an incident gets its playbook proposed', async () => {
    // The worker died after opening the incident and before proposing: the log holds the opened
    // incident and no action, and the finding comes again from the reactor's checkpoint.
    const findingId = 'finding-interrupted-1';
    const resourceKey = '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg/providers/microsoft.web/sites/interrupted';
    const incidentId = incidentIdFor(tenant, findingId);
    const title = 'Web app reachable without authentication';
    const signal = { kind: 'finding' as const, ref: findingId, title, severity: 'high' as const, resourceKeys: [resourceKey], entities: [], detectedAt: now.toISOString() };
    expect((await handleCommand(store, incidentDecider, incidentStreamId(tenant, incidentId), { kind: 'OpenIncident', incidentId, title: `${title} on interrupted`, signal }, ctx('incident-reactor'))).ok).toBe(true);
    // Not projected yet: what was done is read from the incident's own stream, not the read model.
    const redelivered = {
      type: 'guardrails.FindingOpened.v1',
      data: {
        findingId,
        resourceKey,
        resourceId: resourceKey,
        resourceType: 'microsoft.web/sites',
        assignmentId: 'core',
        guardrailId: 'web-app-without-authentication',
        severity: 'high',
        title,
        playbookId: 'restrict-public-api',
        reason: 'authentication is off',
        causedBy: null,
        notify: false,
      },
      eventId: 'redelivered-finding',
      streamId: `t-${tenant}:posture-interrupted`,
      revision: 0,
      globalPosition: { commit: 1n, prepare: 1n },
      recordedAt: now.toISOString(),
      metadata: { tenantId: tenant, actor: { kind: 'system', id: 'guardrail-evaluator' }, correlationId: 'c', causationId: null, occurredAt: now.toISOString(), schemaVersion: 1 },
    } as RecordedEvent;
    await reactor.handle([redelivered]);
    await project();
    const proposed = (await actions()).filter((a) => a.incidentId === incidentId);
    expect(proposed).toEqual([expect.objectContaining({ actionKind: 'restrict-public-network-access', status: 'proposed', playbookId: 'restrict-public-api', target: resourceKey })]);
    // ...and a third delivery proposes nothing more.
    await reactor.handle([redelivered]);
    await project();
    expect((await actions()).filter((a) => a.incidentId === incidentId)).toHaveLength(1);
  });

  it("opens no incident for a suspended tenant's finding: the finding stands, and the log says why", async () => {
    const other = 'fabrikam-retail';
    const as = { tenantId: other, actor: { kind: 'user' as const, id: 'ops@mssp.example' }, correlationId: 'c', causationId: null, now };
    await onboardTenants(store, other);
    await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(other), { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, as);
    await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(other), { kind: 'SetReportingPolicy', incidentSeverities: ['critical', 'high', 'medium'], notifySeverities: [] }, as);
    await ingest(store, itemsOf([webApp(true)]), { tenantId: other, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
    // suspended after its inventory was collected and before the worker evaluated it
    expect((await handleCommand(store, tenantDecider, tenantStreamId(other), { kind: 'SuspendTenant', tenantId: other, reason: 'unpaid invoices' }, as)).ok).toBe(true);
    await settle();

    const findings = (await store.readAll({ filter: { tenantId: other, eventTypes: ['guardrails.FindingOpened.v1'] }, maxCount: 100 })).events;
    // What opens an incident for it: the severities it named in guardrails' reporting policy (its incident policy names none).
    const raising = findings.filter((f) => ['critical', 'high', 'medium'].includes((f.data as { severity: string }).severity));
    expect(raising.length).toBeGreaterThan(0);
    expect((await incidents()).filter((i) => i.tenantId === other)).toEqual([]);
    expect((await actions()).filter((a) => a.tenantId === other)).toEqual([]);

    // delivered to a reactor with a log: it says what it did not do and why, and appends nothing
    const lines: string[] = [];
    const log = createLogger('trace', { destination: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }) });
    const head = await store.headPosition();
    await new IncidentReactor({ eventStore: store, readModels: db.sql }, { schema, log, standing: tenantStanding(store), reportingChoice: recordedIncidentSeverities(store) }).handle(findings);
    expect(await store.headPosition()).toEqual(head);
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      raising.map((f) => expect.objectContaining({ tenantId: other, command: 'OpenIncident', intent: 'starts-work', code: 'tenant-suspended', causeEventId: f.eventId })),
    );
  });

  it("opens incidents for the finding severities the tenant's incident policy names, over what guardrails' reporting policy recorded", async () => {
    const { incidentPolicyDecider, incidentPolicyStreamId } = await import('@rampart/incidents');
    const { postureStreamId } = await import('@rampart/guardrails');
    const other = 'woodgrove-bank';
    const as = { tenantId: other, actor: { kind: 'user' as const, id: 'it@woodgrove.example' }, correlationId: 'c', causationId: null, now };
    await onboardTenants(store, other);
    await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(other), { kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, as);
    await handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(other), { kind: 'SetReportingPolicy', incidentSeverities: ['critical', 'high', 'medium'], notifySeverities: [] }, as);
    expect((await handleCommand(store, incidentPolicyDecider, incidentPolicyStreamId(other), { kind: 'SetIncidentPolicy', findingSeverities: ['critical'] }, as)).ok).toBe(true);
    await ingest(store, itemsOf([webApp(false)]), { tenantId: other, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
    await settle();
    const findings = (await store.readAll({ filter: { tenantId: other, eventTypes: ['guardrails.FindingOpened.v1'] }, maxCount: 100 })).events;
    expect(findings.map((f) => (f.data as { severity: string }).severity).sort()).toEqual(['high', 'medium']);
    expect((await incidents()).filter((i) => i.tenantId === other)).toEqual([]);

    // A finding recorded while guardrails still judged this carries its judgment, and it is kept.
    const key = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/old';
    await store.appendToStream(postureStreamId(other, key), toNewEvents([
      {
        type: 'guardrails.FindingOpened.v1',
        data: {
          findingId: 'finding-recorded-before', resourceKey: key, resourceId: key, resourceType: 'microsoft.storage/storageaccounts',
          assignmentId: 'core', guardrailId: 'storage-keys-not-rotated', severity: 'low', title: 'Storage account keys past their expiry (not rotated)',
          playbookId: 'rotate-secret', reason: 'keys expired', causedBy: null, raiseIncident: true, notify: false,
        },
      },
    ], { ...as, actor: { kind: 'system', id: 'guardrail-evaluator' } }));
    await settle();
    expect((await incidents()).filter((i) => i.tenantId === other).map((i) => i.signals.map((s) => s.ref))).toEqual([['finding-recorded-before']]);
  });
});
