// The incidents use cases every edge calls: tenancy's standing first (a refused command appends
// nothing), proposing needs an incident, and a merge completes on a rerun after a crash between its
// two streams.
import { fold, handleCommand, reject, type CommandContext, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { incidentDecider, incidentStreamId, type Incident, type Signal } from '@rampart/incidents';
import { changeAction, changeIncident, mergeIncident } from './incident-commands';

// Tenancy answers this in production; here: acme is active, globex suspended (wrap-up only).
const standing: TenantStanding = async (tenantId, intent) =>
  tenantId === 'globex' && intent !== 'wraps-up' ? reject('tenant-suspended', `tenant "${tenantId}" is suspended`) : undefined;

const signal = (ref: string, resource: string): Signal => ({
  kind: 'alert',
  ref,
  title: `alert ${ref}`,
  severity: 'high',
  resourceKeys: [`/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/${resource}`],
  entities: [],
  detectedAt: '2026-12-01T10:00:00.000Z',
});

describe('incidents use cases', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  const deps = () => ({ stores: { eventStore: store, readModels: db.sql }, standing });
  const ctx = (tenantId = 'acme'): CommandContext => ({ tenantId, actor: { kind: 'user', id: 'ana@soc.example' }, correlationId: 'c', now: new Date() });
  const open = (tenantId: string, incidentId: string, ref: string) =>
    changeIncident(deps(), ctx(tenantId), incidentId, { kind: 'OpenIncident', incidentId, title: `incident ${incidentId}`, signal: signal(ref, incidentId) });
  const incident = async (tenantId: string, incidentId: string) => fold(incidentDecider, (await store.readStream(incidentStreamId(tenantId, incidentId))) as never) as Incident;

  beforeAll(async () => {
    db = await pgliteTestDatabase('incident_commands');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it("asks the tenant's standing first: a suspended tenant's SOC may wrap up but starts nothing, and a refusal appends nothing", async () => {
    expect((await open('acme', 'inc-a1', 'a-1')).ok).toBe(true);
    const head = await store.headPosition();
    expect(await open('globex', 'inc-g1', 'g-1')).toMatchObject({ ok: false, rejection: { code: 'tenant-suspended' }, attempts: 0 });
    expect(await changeAction(deps(), ctx('globex'), 'act-g1', { kind: 'ApproveAction', approvedBy: 'lead@soc.example' })).toMatchObject({
      ok: false,
      rejection: { code: 'tenant-suspended' },
    });
    expect(await store.headPosition()).toEqual(head);
    // Wrap-up reaches the decider (which knows there is no such incident).
    expect(await changeIncident(deps(), ctx('globex'), 'inc-g1', { kind: 'AddComment', commentId: 'c-1', text: 'closing out' })).toMatchObject({
      ok: false,
      rejection: { code: 'unknown-incident' },
    });
  });

  it('proposes an action only for an incident that exists, and passes the expected revision through', async () => {
    const proposal = (incidentId: string) =>
      changeAction(deps(), ctx(), `act-${incidentId}`, { kind: 'ProposeAction', actionId: `act-${incidentId}`, incidentId, actionKind: 'isolate-workload', phase: 'respond', target: 'vm-1', proposedBy: 'ana@soc.example' });
    expect(await proposal('inc-nope')).toMatchObject({ ok: false, rejection: { code: 'unknown-incident', message: 'no incident inc-nope' } });
    expect((await proposal('inc-a1')).ok).toBe(true);
    const stale = await changeIncident(deps(), ctx(), 'inc-a1', { kind: 'AddComment', commentId: 'c-2', text: 'seen' }, { expectedRevision: 5 });
    expect(stale.ok).toBe(false);
    expect((await changeIncident(deps(), ctx(), 'inc-a1', { kind: 'AddComment', commentId: 'c-2', text: 'seen' }, { expectedRevision: 0 })).ok).toBe(true);
  });

  it("merges: the source is marked merged and its signals join the target's", async () => {
    await open('acme', 'inc-a2', 'a-2');
    await changeIncident(deps(), ctx(), 'inc-a2', { kind: 'AttachSignal', signal: signal('a-3', 'other') });
    expect((await mergeIncident(deps(), ctx(), { incidentId: 'inc-a2', into: 'inc-a1' })).ok).toBe(true);
    expect(await incident('acme', 'inc-a2')).toMatchObject({ status: 'merged' });
    expect(await incident('acme', 'inc-a1')).toMatchObject({ signals: [{ ref: 'a-1' }, { ref: 'a-2' }, { ref: 'a-3' }] });
  });

  it('a merge cut short between its two streams is completed by running it again, and nothing is attached twice', async () => {
    await open('acme', 'inc-a4', 'a-4');
    await open('acme', 'inc-a5', 'a-5');
    // The crash: the source was marked merged, the worker died before attaching its signal.
    expect((await handleCommand(store, incidentDecider, incidentStreamId('acme', 'inc-a5'), { kind: 'MergeIncident', into: 'inc-a4' }, ctx())).ok).toBe(true);
    expect(await mergeIncident(deps(), ctx(), { incidentId: 'inc-a5', into: 'inc-a4' })).toMatchObject({ ok: true });
    expect(await mergeIncident(deps(), ctx(), { incidentId: 'inc-a5', into: 'inc-a4' })).toMatchObject({ ok: true });
    const target = (await store.readStream(incidentStreamId('acme', 'inc-a4'))) as RecordedEvent[];
    expect(target.map((e) => e.type)).toEqual(['incidents.IncidentOpened.v1', 'incidents.SignalAttached.v1']);
    // A source merged elsewhere is not merged again.
    await open('acme', 'inc-a6', 'a-6');
    expect(await mergeIncident(deps(), ctx(), { incidentId: 'inc-a5', into: 'inc-a6' })).toMatchObject({ ok: false, rejection: { code: 'incident-merged' } });
  });

  it('refuses a merge into an incident that does not exist or is closed, before touching the source', async () => {
    const head = await store.headPosition();
    expect(await mergeIncident(deps(), ctx(), { incidentId: 'inc-a6', into: 'inc-none' })).toMatchObject({ ok: false, rejection: { code: 'unknown-incident' } });
    expect(await mergeIncident(deps(), ctx(), { incidentId: 'inc-a6', into: 'inc-a5' })).toMatchObject({ ok: false, rejection: { code: 'incident-closed', message: 'inc-a5 is merged' } });
    expect(await store.headPosition()).toEqual(head);
  });
});
