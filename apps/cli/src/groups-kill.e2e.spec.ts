// Tenant groups with real `rampart worker` processes on one PostgreSQL: two workers run the group
// assignments reaction; while the one holding the provider's partition applies a group's baseline
// to its sixty members it is killed with SIGKILL. The other takes the partition over and every
// member ends up holding the assignment exactly once (one BaselineAssigned each, naming the group).
// Then a staged rollout to the same group: the worker now holding the partition is killed while it
// brings the canary ring's fifty tenants along, and a new worker finishes: each holds it once.
import { handleCommand, PROVIDER_SCOPE, tenantPartitionOf, type CommandContext } from '@rampart/event-sourcing';
import { tenantGuardrailsStreamId } from '@rampart/guardrails';
import { changeGroupGuardrails, changeRollout } from '@rampart/guardrails-application';
import { loadConfig, openStores, type Stores } from '@rampart/runtime';
import { tenantGroupDecider, tenantGroupStreamId } from '@rampart/tenancy';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { workerBench, type RunningWorker, type WorkerBench } from './testing/workers';

const PARTITIONS = 4;
const MEMBERS = Array.from({ length: 60 }, (_, i) => `member-${String(i).padStart(2, '0')}`);
const context: Omit<CommandContext, 'tenantId'> = { actor: { kind: 'user', id: 'admin@soc.example' }, correlationId: 'groups-kill', now: new Date() };

/** Whether the worker said it took the provider's partition of the group assignments. */
const holdsProvider = (worker: RunningWorker) =>
  worker
    .output()
    .split('\n')
    .some((line) => line.startsWith('{') && line.includes('"group-assignments"') && line.includes(`"partition":"${tenantPartitionOf(PROVIDER_SCOPE, PARTITIONS)}/${PARTITIONS}"`) && line.includes('partition taken'));

describe('group assignments when the worker applying them is killed', () => {
  let bench: WorkerBench;
  let stores: Stores;
  let survivor: RunningWorker;
  beforeAll(async () => {
    bench = await workerBench('groups_kill', { RAMPART_LOG_LEVEL: 'info', RAMPART_WORKER_LEASE_SECONDS: '3', RAMPART_WORKER_PARTITIONS: String(PARTITIONS), RAMPART_INGEST_INTERVAL_MINUTES: '0' });
    stores = await openStores(loadConfig(bench.env).store);
  });
  afterAll(async () => {
    await stores?.close();
    await bench?.dispose();
  });

  it('is finished by the other worker, each member holding it once', async () => {
    const workers = [bench.worker(), bench.worker()];
    await bench.until('two workers running', () => workers.every((w) => /worker started/.test(w.output())));
    await bench.until('one worker holding the provider partition of group assignments', () => workers.some(holdsProvider), 60_000);
    const holder = workers.find(holdsProvider) as RunningWorker;

    await onboardTenants(stores.eventStore, ...MEMBERS);
    const group = (command: Parameters<typeof tenantGroupDecider.decide>[0]) => handleCommand(stores.eventStore, tenantGroupDecider, tenantGroupStreamId('fleet'), command, { ...context, tenantId: PROVIDER_SCOPE });
    expect((await group({ kind: 'CreateTenantGroup', groupId: 'fleet', name: 'The whole fleet' })).ok).toBe(true);
    for (const tenantId of MEMBERS) expect((await group({ kind: 'AddTenantToGroup', tenantId })).ok).toBe(true);
    expect((await changeGroupGuardrails(stores.eventStore, { kind: 'AssignBaselineToGroup', groupId: 'fleet', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, context)).ok).toBe(true);

    /** How many BaselineAssigned each member has: one read of the log. */
    const held = async () => {
      const counts = new Map(MEMBERS.map((t) => [t, 0]));
      const page = await stores.eventStore.readAll({ filter: { eventTypes: ['guardrails.BaselineAssigned.v1'] }, maxCount: 1_000 });
      for (const e of page.events) counts.set(e.metadata.tenantId, (counts.get(e.metadata.tenantId) ?? 0) + 1);
      return MEMBERS.map((t) => counts.get(t) ?? 0);
    };
    // killed as soon as it has begun: some members hold it, not all
    await bench.until('the first members holding the assignment', async () => (await held()).some((n) => n > 0), 60_000);
    holder.child.kill('SIGKILL');
    const atKill = (await held()).filter((n) => n > 0).length;
    expect(atKill).toBeLessThan(MEMBERS.length);

    await bench.until('every member holding the assignment', async () => (await held()).every((n) => n >= 1), 90_000);
    expect(await held()).toEqual(MEMBERS.map(() => 1));
    survivor = workers.find((w) => w !== holder) as RunningWorker;
    expect(holdsProvider(survivor)).toBe(true);
    const events = await stores.eventStore.readStream(tenantGuardrailsStreamId(MEMBERS[0]));
    expect(events.map((e) => (e.data as { group?: string }).group)).toEqual(['fleet']);
  }, 240_000);

  it("brings a rollout's canary ring along once when the worker doing it is killed", async () => {
    const successor = bench.worker();
    await bench.until('a second worker running', () => /worker started/.test(successor.output()));
    const canary = MEMBERS.slice(0, 50);
    const planned = await changeRollout(
      stores.eventStore,
      'fleet-fs',
      { kind: 'PlanRollout', rolloutId: 'fleet-fs', groupId: 'fleet', assignmentId: 'fs', baselineId: 'financial-services', scope: '*', rings: [{ name: 'canary', tenants: canary }, { name: 'rest', tenants: ['*'] }], raiseIncidentsForExisting: false, plannedBy: 'admin@soc.example', whatIf: [] },
      context,
    );
    expect(planned.ok).toBe(true);
    expect((await changeRollout(stores.eventStore, 'fleet-fs', { kind: 'ApproveRolloutRing', ring: 0, approvedBy: 'ciso@soc.example' }, context)).ok).toBe(true);
    const held = async () => {
      const counts = new Map(MEMBERS.map((t) => [t, 0]));
      const page = await stores.eventStore.readAll({ filter: { eventTypes: ['guardrails.BaselineAssigned.v1'] }, maxCount: 1_000 });
      for (const e of page.events) if ((e.data as { rollout?: string }).rollout === 'fleet-fs') counts.set(e.metadata.tenantId, (counts.get(e.metadata.tenantId) ?? 0) + 1);
      return MEMBERS.map((t) => counts.get(t) ?? 0);
    };
    await bench.until('the first canary tenants holding the rollout', async () => (await held()).some((n) => n > 0), 60_000);
    survivor.child.kill('SIGKILL');
    expect((await held()).filter((n) => n > 0).length).toBeLessThan(canary.length);
    await bench.until('every canary tenant holding the rollout', async () => (await held()).slice(0, canary.length).every((n) => n >= 1), 90_000);
    // once each, and none of the rest: its ring did not go in
    expect(await held()).toEqual(MEMBERS.map((_, i) => (i < canary.length ? 1 : 0)));
    expect(holdsProvider(successor)).toBe(true);
  }, 240_000);
});
