// A staged rollout on PostgreSQL, as a provider rolls a new library definition out to a group of two
// banks: the what-if replays it over each bank's history first (what it would find, since when);
// the canary ring goes in by a named person's decision and only its bank holds the definition; what
// it finds on arrival existed before it and opens no incident, while a breach after it does; the
// rest goes in; a rollback takes it from both; and handling the batch again records nothing twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { START, type CommandContext } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { tenantGuardrailsStreamId, type FindingOpened } from '@rampart/guardrails';
import { applyPolicyImport, changeRollout, GROUP_ASSIGNMENT_EVENT_TYPES, handleGroupEvents, listRollouts } from '@rampart/guardrails-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { changeTenantGroup, tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { InlineWorker } from './inline-worker';
import { planRollout, rolloutWhatIf } from './rollouts';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const body = JSON.parse(readFileSync(join(examples, 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json'), 'utf8'));
const account = (name: string, tls: string) => ({
  ...body,
  id: `/subscriptions/00000000-0000-0000-0000-0000000000e1/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/${name}`,
  name,
  location: 'westeurope',
  properties: { ...body.properties, minimumTlsVersion: tls },
});
const MIN_TLS = {
  path: 'Storage-MinTLS.json',
  text: JSON.stringify({
    name: 'Storage-MinTLS',
    properties: {
      displayName: 'Storage accounts should require TLS 1.2',
      mode: 'Indexed',
      metadata: { rampart: { severity: 'high' } },
      policyRule: { if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', notEquals: 'TLS1_2' }] }, then: { effect: 'audit' } },
    },
  }),
};
const lead: Omit<CommandContext, 'tenantId'> = { actor: { kind: 'user', id: 'lead@soc.example' }, correlationId: 'c', now: new Date() };

describe('staged rollouts (PostgreSQL)', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let worker: InlineWorker;
  const schema = 'rollouts_read';
  const suffix = Date.now().toString(36);
  const BANK = `bank-a-${suffix}`;
  const BANK2 = `bank-b-${suffix}`;
  const GROUP = `banks-${suffix}`;
  const ROLLOUT = `tls-${suffix}`;
  const held = async (tenantId: string) =>
    (await store.readStream(tenantGuardrailsStreamId(tenantId))).map((e) => `${e.type.replace(/^guardrails\.|\.v1$/g, '')} ${(e.data as { assignmentId: string }).assignmentId}`);
  const findings = async (tenantId: string) =>
    (await store.readAll({ from: START, filter: { tenantId, eventTypes: ['guardrails.FindingOpened.v1'] }, maxCount: 1_000 })).events.map((e) => e.data as FindingOpened['data']);
  const incidents = async (tenantId: string) => (await store.readAll({ from: START, filter: { tenantId, eventTypes: ['incidents.IncidentOpened.v1'] }, maxCount: 1_000 })).events;
  const run = (tenantId: string, values: unknown[]) => ingest(store, itemsOf(values), { tenantId, standing: tenantStanding(store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });

  beforeAll(async () => {
    db = await postgresTestDatabase('rollouts');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema });
    await onboardTenants(store, BANK, BANK2);
    expect((await changeTenantGroup(store, GROUP, { kind: 'CreateTenantGroup', groupId: GROUP, name: 'Banks' }, lead)).ok).toBe(true);
    for (const t of [BANK, BANK2]) expect((await changeTenantGroup(store, GROUP, { kind: 'AddTenantToGroup', tenantId: t }, lead)).ok).toBe(true);
    await run(BANK, [account('stlegacy', 'TLS1_0'), account('stmodern', 'TLS1_2')]);
    await run(BANK2, [account('stold', 'TLS1_1')]);
    await applyPolicyImport(store, [MIN_TLS], lead);
    await worker.settle();
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it("shows what the definition would find in each bank's history before anything is enforced", async () => {
    const whatIf = (await rolloutWhatIf({ eventStore: store }, { tenants: [BANK, BANK2], baselineId: 'lib-definition:Storage-MinTLS' }))!;
    expect(whatIf.map(({ tenantId, nonCompliantNow, nonCompliantEver, errors }) => ({ tenantId, nonCompliantNow, nonCompliantEver, errors }))).toEqual([
      { tenantId: BANK, nonCompliantNow: 1, nonCompliantEver: 1, errors: 0 },
      { tenantId: BANK2, nonCompliantNow: 1, nonCompliantEver: 1, errors: 0 },
    ]);
    expect(whatIf[0].resources).toEqual([expect.objectContaining({ resourceId: expect.stringMatching(/\/stlegacy$/), state: 'nonCompliant', now: true, since: expect.any(String) })]);
    expect(await rolloutWhatIf({ eventStore: store }, { tenants: [BANK], baselineId: 'no-such-baseline' })).toBeUndefined();
  });

  it('rolls the canary ring out by a named decision: its bank holds it, and what it finds on arrival opens no incident', async () => {
    const { outcome, whatIf } = await planRollout(
      { eventStore: store },
      { rolloutId: ROLLOUT, groupId: GROUP, assignmentId: 'tls', baselineId: 'lib-definition:Storage-MinTLS', scope: '*', rings: [{ name: 'canary', tenants: [BANK] }, { name: 'rest', tenants: ['*'] }], raiseIncidentsForExisting: false, plannedBy: 'lead@soc.example' },
      lead,
    );
    expect(outcome).toMatchObject({ ok: true });
    expect(whatIf.map((w) => w.tenantId)).toEqual([BANK, BANK2]);
    const [rollout] = (await listRollouts(store)).filter((r) => r.rolloutId === ROLLOUT);
    expect(rollout.plan?.rings).toEqual([{ name: 'canary', tenants: [BANK] }, { name: 'rest', tenants: [BANK2] }]);
    expect(rollout.plan?.whatIf.map((w) => [w.tenantId, w.nonCompliantNow])).toEqual([[BANK, 1], [BANK2, 1]]);
    await worker.settle();
    expect(await held(BANK)).toEqual([]);

    expect(await changeRollout(store, ROLLOUT, { kind: 'ApproveRolloutRing', ring: 1, approvedBy: 'ciso@soc.example' }, lead)).toMatchObject({ ok: false, rejection: { code: 'ring-out-of-order' } });
    expect(await changeRollout(store, ROLLOUT, { kind: 'ApproveRolloutRing', ring: 0, approvedBy: 'ciso@soc.example' }, lead)).toMatchObject({ ok: true });
    await worker.settle();
    expect(await held(BANK)).toEqual([`BaselineAssigned rol-${ROLLOUT}-tls`]);
    expect(await held(BANK2)).toEqual([]);
    const found = await findings(BANK);
    expect(found.map((f) => [f.resourceId.split('/').pop(), f.existing])).toEqual([['stlegacy', true]]);
    expect(await incidents(BANK)).toEqual([]);

    // a breach after the rollout is news: it opens an incident
    await run(BANK, [account('stmodern', 'TLS1_0')]);
    await worker.settle();
    const after = (await findings(BANK)).find((f) => f.resourceId.endsWith('/stmodern'));
    expect(after?.existing).toBeUndefined();
    expect((await incidents(BANK)).length).toBe(1);
  });

  it('rolls the rest out, then back from every bank with one decision; handling the batch again records nothing', async () => {
    expect(await changeRollout(store, ROLLOUT, { kind: 'ApproveRolloutRing', ring: 1, approvedBy: 'ciso@soc.example' }, lead)).toMatchObject({ ok: true });
    await worker.settle();
    expect(await held(BANK2)).toEqual([`BaselineAssigned rol-${ROLLOUT}-tls`]);
    expect(await changeRollout(store, ROLLOUT, { kind: 'RollBackRollout', rolledBackBy: 'lead@soc.example', reason: 'the canary bank saw a flood of findings' }, lead)).toMatchObject({ ok: true });
    await worker.settle();
    expect(await held(BANK)).toEqual([`BaselineAssigned rol-${ROLLOUT}-tls`, `BaselineUnassigned rol-${ROLLOUT}-tls`]);
    expect(await held(BANK2)).toEqual([`BaselineAssigned rol-${ROLLOUT}-tls`, `BaselineUnassigned rol-${ROLLOUT}-tls`]);

    const before = await store.headPosition();
    const all = await store.readAll({ from: START, filter: { eventTypes: GROUP_ASSIGNMENT_EVENT_TYPES }, maxCount: 1_000 });
    await handleGroupEvents({ eventStore: store, standing: tenantStanding(store) }, all.events);
    expect(await store.headPosition()).toEqual(before);
  });
});
