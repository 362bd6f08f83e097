// Proposals nobody approves expire: approving one past the tenant's approval lifetime is refused from
// the clock before any worker has looked, and the reactor's sweep records the expiry once, however
// many workers sweep at the same time and however often, and never for a tenant that was offboarded.
import { handleCommand, reject, type CommandContext, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { actionDecider, actionStreamId, type ActionCommand, type ActionEntry, type Signal } from '@rampart/incidents';
import { changeAction, changeIncident } from './incident-commands';
import { setIncidentPolicy } from './incident-policy';
import { IncidentReactor } from './incident-reactor';
import { incidentsProjections } from './projections';

const MINUTE = 60_000;

describe('stale proposals expire', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let runners: ProjectionRunner[];
  const schema = 'incidents_expiry';
  // Tenancy answers this in production; here a tenant can be offboarded midway (it then takes nothing, wrap-up included).
  const offboarded = new Set<string>();
  const standing: TenantStanding = async (tenantId) => (offboarded.has(tenantId) ? reject('tenant-offboarded', `tenant "${tenantId}" was offboarded`) : undefined);
  const deps = () => ({ stores: { eventStore: store, readModels: db.sql }, standing });
  const ctx = (tenantId: string, actor: string, now = new Date()): CommandContext => ({ tenantId, actor: { kind: 'user', id: actor }, correlationId: 'c', now });
  const reactorAt = (now: Date) => new IncidentReactor({ eventStore: store, readModels: db.sql }, { standing, schema, now: () => now });
  const project = async () => {
    for (const runner of runners) for (;;) if ((await runner.runBatch()).caughtUp) break;
  };
  const history = async (tenantId: string, actionId: string) => (await store.readStream(actionStreamId(tenantId, actionId))) as RecordedEvent[];
  const entry = async (tenantId: string, actionId: string) =>
    (await db.sql.query<{ doc: ActionEntry }>(`SELECT doc FROM "${schema}".response_actions WHERE id = $1`, [`${tenantId}|${actionId}`])).rows[0]?.doc;
  const signal = (ref: string): Signal => ({ kind: 'alert', ref, title: `alert ${ref}`, severity: 'high', resourceKeys: ['vm-1'], entities: [], detectedAt: '2026-12-01T10:00:00.000Z' });
  /** An incident with one destructive action proposed by ana, as the edges do it. */
  const proposed = async (tenantId: string, actionId: string) => {
    const incidentId = `inc-${actionId}`;
    expect((await changeIncident(deps(), ctx(tenantId, 'ana@soc.example'), incidentId, { kind: 'OpenIncident', incidentId, title: 'Malware on vm-1', signal: signal(actionId) })).ok).toBe(true);
    const proposal: ActionCommand = { kind: 'ProposeAction', actionId, incidentId, actionKind: 'isolate-workload', phase: 'respond', target: 'vm-1', proposedBy: 'ana@soc.example' };
    expect((await changeAction(deps(), ctx(tenantId, 'ana@soc.example'), actionId, proposal)).ok).toBe(true);
    return Date.parse((await history(tenantId, actionId))[0].recordedAt);
  };

  beforeAll(async () => {
    db = await pgliteTestDatabase('incident_expiry');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    runners = incidentsProjections().map((p) => new ProjectionRunner(store, db.sql, p, { schema }));
    for (const runner of runners) await runner.prepare();
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it("refuses an approval past the tenant's approval lifetime before any worker records the expiry, naming when it expired", async () => {
    expect((await setIncidentPolicy(deps(), 'acme', { kind: 'SetIncidentPolicy', approvalExpiryMinutes: 60 }, { actor: { kind: 'user', id: 'lead@soc.example' }, correlationId: 'c', causationId: null, now: new Date() })).ok).toBe(true);
    const at = await proposed('acme', 'act-late');
    const late = await changeAction(deps(), ctx('acme', 'lead@soc.example', new Date(at + 61 * MINUTE)), 'act-late', { kind: 'ApproveAction', approvedBy: 'lead@soc.example' });
    expect(late).toMatchObject({ ok: false, rejection: { code: 'proposal-expired', message: expect.stringContaining(`expired at ${new Date(at + 60 * MINUTE).toISOString()}`) } });
    expect((await history('acme', 'act-late')).map((e) => e.type)).toEqual(['incidents.ActionProposed.v1']);
    // within the lifetime, the same approval goes through
    const inTime = await proposed('acme', 'act-in-time');
    expect((await changeAction(deps(), ctx('acme', 'lead@soc.example', new Date(inTime + 59 * MINUTE)), 'act-in-time', { kind: 'ApproveAction', approvedBy: 'lead@soc.example' })).ok).toBe(true);
  });

  it('records each expiry once when several workers sweep at the same time, at the moment the lifetime ran out; a rerun converges', async () => {
    const at = Date.parse((await history('acme', 'act-late'))[0].recordedAt);
    await project();
    expect(await reactorAt(new Date(at + 30 * MINUTE)).recordExpiredProposals()).toEqual([]); // not yet
    const later = new Date(at + 3 * 60 * MINUTE); // noticed two hours late
    const sweeps = await Promise.all([reactorAt(later).recordExpiredProposals(), reactorAt(later).recordExpiredProposals(), reactorAt(later).recordExpiredProposals()]);
    const expiredAt = new Date(at + 60 * MINUTE).toISOString();
    expect(sweeps.flat()).toEqual([{ tenantId: 'acme', actionId: 'act-late', incidentId: 'inc-act-late', expiredAt }]);
    const events = await history('acme', 'act-late');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['incidents.ActionProposed.v1', expect.anything()],
      ['incidents.ActionExpired.v1', { actionId: 'act-late', expiredAt, approvalExpiryMinutes: 60 }],
    ]);
    expect(events[1].metadata.actor).toEqual({ kind: 'system', id: 'incident-reactor' });
    // the read model still lists it as proposed until projected: the stream decides, nothing more is recorded
    expect(await reactorAt(later).recordExpiredProposals()).toEqual([]);
    await project();
    expect(await entry('acme', 'act-late')).toMatchObject({ status: 'expired', expiredAt });
    expect(await entry('acme', 'act-in-time')).toMatchObject({ status: 'approved', expiredAt: null }); // approved in time: left alone
    expect(await reactorAt(later).recordExpiredProposals()).toEqual([]);
    expect((await history('acme', 'act-late')).length).toBe(2);
  });

  it('ends the action: neither approved, executed nor cancelled after it expired', async () => {
    const now = new Date(Date.now() + 3 * 60 * MINUTE);
    expect(await changeAction(deps(), ctx('acme', 'lead@soc.example', now), 'act-late', { kind: 'ApproveAction', approvedBy: 'lead@soc.example' })).toMatchObject({
      ok: false,
      rejection: { code: 'proposal-expired' },
    });
    expect(await changeAction(deps(), ctx('acme', 'lead@soc.example', now), 'act-late', { kind: 'CancelAction', reason: 'stale' })).toMatchObject({ ok: false, rejection: { code: 'invalid-transition' } });
    const start = await handleCommand(store, actionDecider, actionStreamId('acme', 'act-late'), { kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'acme:act-late:1' }, ctx('acme', 'action-runner', now));
    expect(start).toMatchObject({ ok: false, rejection: { code: 'invalid-transition' } });
  });

  it('uses the default lifetime (a day) for a tenant that never chose one, and records nothing for an offboarded tenant', async () => {
    const at = await proposed('globex', 'act-globex');
    await proposed('gone', 'act-gone');
    offboarded.add('gone');
    await project();
    expect((await reactorAt(new Date(at + 23 * 60 * MINUTE)).recordExpiredProposals()).map((e) => e.actionId)).toEqual([]);
    const nextDay = reactorAt(new Date(at + 25 * 60 * MINUTE));
    expect(await nextDay.recordExpiredProposals()).toEqual([{ tenantId: 'globex', actionId: 'act-globex', incidentId: 'inc-act-globex', expiredAt: new Date(at + 24 * 60 * MINUTE).toISOString() }]);
    expect((await history('gone', 'act-gone')).map((e) => e.type)).toEqual(['incidents.ActionProposed.v1']);
  });
});
