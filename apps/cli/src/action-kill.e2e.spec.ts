// `kill -9` of a real worker process while it is calling the customer's automation: the restarted
// worker never calls it again for that action (at most once), and once no live call can still be
// running the action is recorded as failed with an unknown effect, for a person to resolve.
// PostgreSQL; a throwaway database; the receiver is a local HTTP server that holds the call open.
import { handleCommand, type RecordedEvent } from '@rampart/event-sourcing';
import { actionDecider, actionStreamId, DEFAULT_APPROVAL_EXPIRY_MINUTES, type ActionCommand } from '@rampart/incidents';
import { ActionRunner, INTERRUPTED_GRACE_MS, webhookExecutor } from '@rampart/incidents-application';
import { loadConfig, openStores, type Stores } from '@rampart/runtime';
import { startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { workerBench, type WorkerBench } from './testing/workers';

const SECRET = 'kill-test-secret-kill-test-secret-0123';
const TENANT = 'contoso-bank';
const ACTION = 'act-kill';

describe('a worker killed with SIGKILL during a response-action call', () => {
  let bench: WorkerBench;
  let receiver: WebhookReceiver;
  let stores: Stores;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(SECRET, () => undefined); // holds every call open: the kill lands mid-call
    bench = await workerBench('action_kill', {
      RAMPART_LOG_LEVEL: 'info',
      RAMPART_ACTION_EXECUTOR: 'webhook',
      RAMPART_ACTION_WEBHOOK_URL: receiver.url,
      RAMPART_ACTION_WEBHOOK_SECRET: SECRET,
    });
    stores = await openStores(loadConfig(bench.env).store);
    // The runner acts only for a tenant whose standing admits it: an onboarded, active one.
    await onboardTenants(stores.eventStore, TENANT);
  });
  afterAll(async () => {
    await stores?.close();
    await receiver?.close();
    await bench?.dispose();
  });

  const act = (cmd: ActionCommand, actor: string) =>
    handleCommand(stores.eventStore, actionDecider, actionStreamId(TENANT, ACTION), cmd, {
      tenantId: TENANT,
      actor: { kind: 'user', id: actor },
      correlationId: `corr-${ACTION}`,
      causationId: null,
      now: new Date(),
    });
  const history = async () => (await stores.eventStore.readStream(actionStreamId(TENANT, ACTION))) as RecordedEvent[];
  it('is never called twice, and ends as an uncertain failure a person resolves', async () => {
    await act({ kind: 'ProposeAction', actionId: ACTION, incidentId: 'inc-kill', actionKind: 'restrict-public-network-access', phase: 'respond', target: '/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/api', proposedBy: 'ana@soc.example' }, 'ana@soc.example');
    await act({ kind: 'ApproveAction', approvedBy: 'lead@soc.example', now: new Date(), approvalExpiryMinutes: DEFAULT_APPROVAL_EXPIRY_MINUTES }, 'lead@soc.example');

    const first = bench.worker();
    await bench.until('the first worker calls the automation', () => receiver.deliveries.length === 1, 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect((await history()).map((e) => e.type)).toEqual(['incidents.ActionProposed.v1', 'incidents.ActionApproved.v1', 'incidents.ActionExecutionStarted.v1']);

    // The restarted worker catches up (its log says so) and leaves the action alone: within the
    // webhook's worst case it could still be someone's live call, and after it, it is never resent.
    const second = bench.worker();
    await bench.until('the restarted worker is running its schedules', () => /response action runner started/.test(second.output()), 60_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.deliveries).toHaveLength(1);
    expect((await history()).at(-1)?.type).toBe('incidents.ActionExecutionStarted.v1');
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));

    // Time passes beyond any live call (the clock is moved rather than waited for).
    const later = new ActionRunner(stores, webhookExecutor({ url: receiver.url, secret: SECRET }), {
      now: () => new Date(Date.now() + 10 * 60_000 + INTERRUPTED_GRACE_MS),
      standing: tenantStanding(stores.eventStore),
    });
    expect(await later.recordInterrupted()).toEqual([{ tenantId: TENANT, actionId: ACTION, executor: 'webhook' }]);
    expect(await later.executeApproved()).toEqual([]);
    const failed = (await history()).at(-1)!;
    expect(failed).toMatchObject({ type: 'incidents.ActionFailed.v1', data: { uncertain: true, reason: expect.stringContaining(`idempotency key ${TENANT}:${ACTION}:1`) } });
    expect(receiver.deliveries).toHaveLength(1);
    expect(receiver.deliveries[0]).toMatchObject({ idempotencyKey: `${TENANT}:${ACTION}:1`, verified: true });

    const resolved = await act({ kind: 'ResolveUncertainOutcome', outcome: 'succeeded', note: 'Logic App run 0858 restricted access', resolvedBy: 'lead@soc.example' }, 'lead@soc.example');
    expect(resolved.ok).toBe(true);
  }, 120_000);
});
