// Approved response actions run at most once: against a real receiver on 127.0.0.1, with two
// runners racing, and across a worker that dies between claiming an action and recording what
// happened. The receiver counts every call; "not called again" is its count not moving.
import { Writable } from 'node:stream';
import { handleCommand, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import { ProjectionRunner, SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { actionDecider, actionStreamId, type ActionCommand, type ActionEntry } from '@rampart/incidents';
import {
  ActionRunner,
  INTERRUPTED_GRACE_MS,
  manualExecutor,
  startActionRunner,
  webhookExecutor,
  type ActionExecutor,
  type ExecutionResult,
} from '@rampart/incidents-application';
import { createLogger, loadConfig, webhookWorstCaseMs } from '@rampart/runtime';
import { answer, startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { tenantDecider, tenantStreamId, type TenancyCommand } from '@rampart/tenancy';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { platformProjections } from './projections';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
const tenant = 'contoso-bank';
const vault = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv';
/** Past any webhook call's worst case with the default settings: an Executing action is nobody's live call. */
const afterWorstCase = () => new Date(Date.now() + webhookWorstCaseMs() + INTERRUPTED_GRACE_MS + 1_000);

const until = async (condition: () => boolean | Promise<boolean>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const captureLogs = () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('trace', { destination }) };
};

describe('response action runner', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let projection: ProjectionRunner;
  let directory: ProjectionRunner;
  let receiver: WebhookReceiver;
  const schema = 'actions_read';
  const stores = () => ({ eventStore: store, readModels: db.sql });
  const standing: TenantStanding = (tenantId, intent) => tenantStanding(store)(tenantId, intent);
  const project = async () => {
    for (;;) if ((await directory.runBatch()).caughtUp) break;
    for (;;) if ((await projection.runBatch()).caughtUp) return;
  };
  const webhook = (): ActionExecutor => webhookExecutor({ url: receiver.url, secret: SECRET, timeoutMs: 2_000, backoffMs: 10, maxBackoffMs: 20 });
  const act = (actionId: string, cmd: ActionCommand, actor = 'ana@soc.example') =>
    handleCommand(store, actionDecider, actionStreamId(tenant, actionId), cmd, {
      tenantId: tenant,
      actor: { kind: 'user', id: actor },
      correlationId: `corr-${actionId}`,
      causationId: null,
      now: new Date(),
    });
  /** A non-destructive action the tenant's policy pre-approves, in the read model. */
  const approved = async (...actionIds: string[]) => {
    for (const actionId of actionIds) {
      const proposed = await act(actionId, {
        kind: 'ProposeAction', actionId, incidentId: 'inc-1', actionKind: 'rotate-secret', phase: 'remediate', target: vault,
        parameters: { secretName: 'api-key' }, proposedBy: 'playbook:exposed-api@1', preApproved: true,
      });
      expect(proposed.ok).toBe(true);
    }
    await project();
  };
  const history = async (actionId: string) => (await store.readStream(actionStreamId(tenant, actionId))) as RecordedEvent[];
  const types = async (actionId: string) => (await history(actionId)).map((e) => e.type.replace(/^incidents\.Action|\.v1$/g, ''));
  const last = async (actionId: string) => (await history(actionId)).at(-1)!;
  const entry = async (actionId: string) =>
    (await db.sql.query<{ doc: ActionEntry }>(`SELECT doc FROM "${schema}".response_actions WHERE id = $1`, [`${tenant}|${actionId}`])).rows[0]?.doc;

  beforeAll(async () => {
    db = await pgliteTestDatabase('actions');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    projection = new ProjectionRunner(store, db.sql, platformProjections().find((p) => p.name === 'response-actions')!, { schema });
    await projection.prepare();
    directory = new ProjectionRunner(store, db.sql, platformProjections().find((p) => p.name === 'tenant-directory')!, { schema });
    await directory.prepare();
    await onboardTenants(store, tenant);
  });
  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET, answer(200, '{"runId":"08585-1"}'));
  });
  afterEach(async () => {
    await receiver.close();
    // every test leaves its actions ended (or with a person), so the next one starts clean
    await project();
    const { rows } = await db.sql.query<{ id: string }>(
      `SELECT id FROM "${schema}".response_actions WHERE doc->>'status' = 'approved' OR (doc->>'status' = 'executing' AND doc->>'executor' <> 'manual')`,
    );
    expect(rows).toEqual([]);
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it("leaves a suspended tenant's approved actions waiting, without taking the others' room, and runs them once it is reinstated", async () => {
    const tenancy = (cmd: TenancyCommand) =>
      handleCommand(store, tenantDecider, tenantStreamId(tenant), cmd, { tenantId: tenant, actor: { kind: 'user', id: 'ops@mssp.example' }, correlationId: 'c', causationId: null, now: new Date() });
    await approved('act-suspended');
    expect((await tenancy({ kind: 'SuspendTenant', tenantId: tenant, reason: 'unpaid invoices' })).ok).toBe(true);
    const { lines, log } = captureLogs();
    const runner = new ActionRunner(stores(), webhook(), { standing, schema, log, concurrency: 1 });
    // the tenant's stream says suspended: its action is not even listed, so it takes no room
    expect(await runner.executeApproved()).toEqual([]);
    // a suspension that lands between the listing and the claim: the stream, asked again, refuses the claim
    let asked = 0;
    const suspendedAfterListing: TenantStanding = async (tenantId, intent) => (asked++ === 0 ? undefined : standing(tenantId, intent));
    const racing = new ActionRunner(stores(), webhook(), { standing: suspendedAfterListing, schema, log, concurrency: 1 });
    expect(await racing.executeApproved()).toEqual([{ tenantId: tenant, actionId: 'act-suspended', status: 'not-claimed', detail: 'tenant-suspended' }]);
    expect(lines.join('')).toContain('tenant-suspended');
    expect(receiver.deliveries).toHaveLength(0);
    expect(await types('act-suspended')).toEqual(['Proposed', 'Approved']);

    expect((await tenancy({ kind: 'ReinstateTenant', tenantId: tenant })).ok).toBe(true);
    await project();
    expect(await runner.executeApproved()).toEqual([expect.objectContaining({ actionId: 'act-suspended', status: 'succeeded' })]);
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('executes an approved action once through the webhook and records what the receiver said', async () => {
    await approved('act-once');
    const { lines, log } = captureLogs();
    const runner = new ActionRunner(stores(), webhook(), { standing, schema, log });

    expect(await runner.executeApproved()).toEqual([
      { tenantId: tenant, actionId: 'act-once', status: 'succeeded', detail: 'HTTP 200: {"runId":"08585-1"}' },
    ]);
    expect(receiver.deliveries).toHaveLength(1);
    expect(receiver.deliveries[0]).toMatchObject({
      verified: true,
      idempotencyKey: 'contoso-bank:act-once:1',
      json: { tenantId: tenant, actionId: 'act-once', incidentId: 'inc-1', actionKind: 'rotate-secret', target: vault, parameters: { secretName: 'api-key' } },
    });
    const events = await history('act-once');
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['incidents.ActionProposed.v1', expect.anything()],
      ['incidents.ActionApproved.v1', expect.anything()],
      ['incidents.ActionExecutionStarted.v1', { actionId: 'act-once', executor: 'webhook', idempotencyKey: 'contoso-bank:act-once:1' }],
      ['incidents.ActionSucceeded.v1', { actionId: 'act-once', outcome: 'HTTP 200: {"runId":"08585-1"}', evidenceUri: null }],
    ]);
    // attributable and traceable: the runner acted, because of the approval
    expect(events[2].metadata).toMatchObject({ actor: { kind: 'system', id: 'action-runner' }, correlationId: 'corr-act-once', causationId: events[1].eventId });
    expect(events[3].metadata.causationId).toBe(events[2].eventId);

    // listed again before the read model caught up (its stream says no), and after: never called twice
    expect(await runner.executeApproved()).toEqual([{ tenantId: tenant, actionId: 'act-once', status: 'not-claimed' }]);
    await project();
    expect(await runner.executeApproved()).toEqual([]);
    expect(receiver.deliveries).toHaveLength(1);
    expect(await entry('act-once')).toMatchObject({ status: 'succeeded', executor: 'webhook', outcome: 'HTTP 200: {"runId":"08585-1"}' });

    // the secret, and the URL's own signature, are nowhere in the log of events or in the logs
    const recorded = (await store.readAll({ maxCount: 10_000 })).events.map(({ data, metadata }) => ({ data, metadata }));
    const everything = JSON.stringify(recorded) + lines.join('');
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('sas-signature-value');
    expect(lines.join('')).toContain('response action execution started');
  });

  it('records what the receiver refused (4xx) as failed, without calling again', async () => {
    await approved('act-refused');
    receiver.respond = answer(422, '{"error":"no secret named api-key"}');
    const [run] = await new ActionRunner(stores(), webhook(), { standing, schema }).executeApproved();
    expect(run).toMatchObject({ status: 'failed', detail: 'HTTP 422: {"error":"no secret named api-key"}' });
    expect(await last('act-refused')).toMatchObject({ type: 'incidents.ActionFailed.v1', data: { reason: 'HTTP 422: {"error":"no secret named api-key"}' } });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('two runners at once execute each action once', async () => {
    const ids = ['act-race-1', 'act-race-2', 'act-race-3', 'act-race-4', 'act-race-5'];
    await approved(...ids);
    const [a, b] = [new ActionRunner(stores(), webhook(), { standing, schema, concurrency: 10 }), new ActionRunner(stores(), webhook(), { standing, schema, concurrency: 10 })];

    const runs = (await Promise.all([a.executeApproved(), b.executeApproved()])).flat();

    expect(runs.filter((r) => r.status === 'succeeded').map((r) => r.actionId).sort()).toEqual(ids);
    expect(runs.filter((r) => r.status !== 'succeeded').map((r) => r.status)).toEqual(['not-claimed', 'not-claimed', 'not-claimed', 'not-claimed', 'not-claimed']);
    expect(receiver.deliveries.map((d) => d.idempotencyKey).sort()).toEqual(ids.map((id) => `contoso-bank:${id}:1`));
    for (const id of ids) expect(await types(id)).toEqual(['Proposed', 'Approved', 'ExecutionStarted', 'Succeeded']);
  });

  it('of two runners that both decided to claim an action, only the one whose append lands calls', async () => {
    await approved('act-append-race');
    // Runner b has read the stream at "approved" and decided StartExecution; its append waits here.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let appending = false;
    const heldStore = new Proxy(store, {
      get(target, prop) {
        if (prop === 'appendToStream') {
          return async (...args: Parameters<SqlEventStore['appendToStream']>) => {
            appending = true;
            await gate;
            return target.appendToStream(...args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const b = new ActionRunner({ eventStore: heldStore, readModels: db.sql }, webhook(), { standing, schema }).executeApproved();
    await until(() => appending);

    expect(await new ActionRunner(stores(), webhook(), { standing, schema }).executeApproved()).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    open();
    // b's append at the revision it read is refused; on a fresh read the action is executing.
    expect(await b).toEqual([{ tenantId: tenant, actionId: 'act-append-race', status: 'not-claimed', detail: 'stale-revision' }]);
    expect(receiver.deliveries).toHaveLength(1);
    expect(await types('act-append-race')).toEqual(['Proposed', 'Approved', 'ExecutionStarted', 'Succeeded']);
  });

  it('a runner that listed the action before another claimed it does not call', async () => {
    await approved('act-claimed');
    let release!: () => void;
    receiver.respond = (d, res, n) => {
      release = () => answer(200, 'rotated')(d, res, n);
    };
    const first = new ActionRunner(stores(), webhook(), { standing, schema }).executeApproved();
    await until(() => receiver.deliveries.length === 1);
    // The read model still says approved: the claim has not been projected.
    expect(await entry('act-claimed')).toMatchObject({ status: 'approved' });

    expect(await new ActionRunner(stores(), webhook(), { standing, schema }).executeApproved()).toEqual([
      { tenantId: tenant, actionId: 'act-claimed', status: 'not-claimed' },
    ]);
    release();
    expect(await first).toEqual([expect.objectContaining({ status: 'succeeded', detail: 'HTTP 200: rotated' })]);
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('after a crash between claim and outcome, the receiver is not called again and the action fails as interrupted once stale', async () => {
    await approved('act-crash');
    // What a worker killed during the call leaves behind: its claim, and nothing after it.
    await act('act-crash', { kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'contoso-bank:act-crash:1' });
    await project();

    // The restarted worker: within the worst case it may still be someone's live call, so it waits.
    const restarted = new ActionRunner(stores(), webhook(), { standing, schema });
    expect(await restarted.executeApproved()).toEqual([]);
    expect(await restarted.recordInterrupted()).toEqual([]);
    expect(await entry('act-crash')).toMatchObject({ status: 'executing' });

    const later = new ActionRunner(stores(), webhook(), { standing, schema, now: afterWorstCase });
    expect(await later.recordInterrupted()).toEqual([{ tenantId: tenant, actionId: 'act-crash', executor: 'webhook' }]);
    expect(await last('act-crash')).toMatchObject({
      type: 'incidents.ActionFailed.v1',
      data: {
        reason: expect.stringMatching(
          /^interrupted: the worker stopped during the call started at \S+; the action was sent at most once, under idempotency key contoso-bank:act-crash:1, and will not be sent again — check with the receiver/,
        ),
        uncertain: true,
      },
    });
    // Once: again before and after the read model catches up.
    expect(await later.recordInterrupted()).toEqual([]);
    await project();
    expect(await later.recordInterrupted()).toEqual([]);
    expect(await later.executeApproved()).toEqual([]);
    expect(receiver.deliveries).toHaveLength(0);
    expect(await types('act-crash')).toEqual(['Proposed', 'Approved', 'ExecutionStarted', 'Failed']);
    expect(await entry('act-crash')).toMatchObject({ status: 'failed', uncertain: true });

    // A lead checks with the automation and records what it really did; the action is a success from then on.
    await act('act-crash', { kind: 'ResolveUncertainOutcome', outcome: 'succeeded', note: 'run 0858 rotated the key', resolvedBy: 'lead@soc.example' });
    await project();
    expect(await entry('act-crash')).toMatchObject({ status: 'succeeded', uncertain: false, outcome: 'run 0858 rotated the key (resolved by lead@soc.example)' });
    expect(await later.executeApproved()).toEqual([]);
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('a live call is never failed under its feet, and a call that outlived its worker does not overwrite the interruption', async () => {
    await approved('act-hang');
    let calls = 0;
    let finish!: (result: ExecutionResult) => void;
    const hanging: ActionExecutor = {
      kind: 'webhook',
      worstCaseMs: 1_000,
      execute: () => {
        calls++;
        return new Promise((resolve) => (finish = resolve));
      },
    };
    const { lines, log } = captureLogs();
    const abandoned = new ActionRunner(stores(), hanging, { standing, schema, log }).executeApproved(); // its worker "dies": nobody waits for it
    await until(() => calls === 1);
    await project();

    expect(await new ActionRunner(stores(), hanging, { standing, schema }).recordInterrupted()).toEqual([]);
    const later = new ActionRunner(stores(), hanging, { standing, schema, now: () => new Date(Date.now() + 1_000 + INTERRUPTED_GRACE_MS + 1_000) });
    expect(await later.recordInterrupted()).toEqual([{ tenantId: tenant, actionId: 'act-hang', executor: 'webhook' }]);
    expect(await later.executeApproved()).toEqual([]);

    finish({ ok: true, outcome: 'HTTP 200: done, late' });
    expect(await abandoned).toEqual([expect.objectContaining({ status: 'outcome-rejected', detail: 'HTTP 200: done, late' })]);
    expect(await types('act-hang')).toEqual(['Proposed', 'Approved', 'ExecutionStarted', 'Failed']);
    expect(calls).toBe(1);
    expect(lines.join('')).toContain('HTTP 200: done, late'); // what the receiver said is kept in the log for the person checking
  });

  it('stopping the worker during a call records the action as interrupted at once', async () => {
    await approved('act-stopped');
    receiver.respond = () => undefined; // never answers
    const config = loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: receiver.url, RAMPART_ACTION_WEBHOOK_SECRET: SECRET }).actions;
    const { lines, log } = captureLogs();
    const running = await startActionRunner(stores(), log, config, { standing, schema, pollIntervalMs: 20 });
    await until(() => receiver.deliveries.length === 1);

    await running.stop();

    expect(await last('act-stopped')).toMatchObject({
      type: 'incidents.ActionFailed.v1',
      data: { reason: expect.stringMatching(/^interrupted: the worker stopped during the call; .* idempotency key contoso-bank:act-stopped:1/), uncertain: true },
    });
    expect(receiver.deliveries).toHaveLength(1);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).not.toContain('sas-signature-value');
  });

  it('runs dry by default: records what it would do and calls nothing', async () => {
    await approved('act-dry');
    const running = await startActionRunner(stores(), createLogger('silent'), loadConfig({}).actions, { standing, schema, pollIntervalMs: 20 });
    await until(async () => (await last('act-dry')).type === 'incidents.ActionSucceeded.v1');
    await running.stop();

    const events = await history('act-dry');
    expect(events[2].data).toEqual({ actionId: 'act-dry', executor: 'dry-run', idempotencyKey: 'contoso-bank:act-dry:1' });
    expect(events[3].data).toEqual({ actionId: 'act-dry', outcome: `dry run: would rotate-secret on ${vault}`, evidenceUri: null });
    expect(receiver.deliveries).toHaveLength(0);
  });

  it('a dry run left executing by a crash is completed, since it calls nothing', async () => {
    await approved('act-dry-crash');
    await act('act-dry-crash', { kind: 'StartExecution', executor: 'dry-run', idempotencyKey: 'contoso-bank:act-dry-crash:1' });
    await project();
    expect(await new ActionRunner(stores(), webhook(), { standing, schema, now: afterWorstCase }).recordInterrupted()).toEqual([
      { tenantId: tenant, actionId: 'act-dry-crash', executor: 'dry-run' },
    ]);
    expect(await last('act-dry-crash')).toMatchObject({ type: 'incidents.ActionSucceeded.v1', data: { outcome: `dry run: would rotate-secret on ${vault}` } });
  });

  it('manual: the action waits for a person, however long, and the person records the outcome', async () => {
    await approved('act-by-hand');
    expect(await new ActionRunner(stores(), manualExecutor(), { standing, schema }).executeApproved()).toEqual([
      expect.objectContaining({ actionId: 'act-by-hand', status: 'pending' }),
    ]);
    expect((await last('act-by-hand')).data).toEqual({ actionId: 'act-by-hand', executor: 'manual', idempotencyKey: 'contoso-bank:act-by-hand:1' });
    await project();
    const muchLater = new ActionRunner(stores(), webhook(), { standing, schema, now: () => new Date(Date.now() + 30 * 24 * 3_600_000) });
    expect(await muchLater.recordInterrupted()).toEqual([]);
    expect(await muchLater.executeApproved()).toEqual([]);

    const recorded = await act('act-by-hand', { kind: 'RecordSuccess', outcome: 'rotated in the portal', evidenceUri: 'https://soc.example/tickets/4711' }, 'lead@soc.example');
    expect(recorded.ok).toBe(true);
    expect(receiver.deliveries).toHaveLength(0);
  });
});
