// Tenant groups as the worker runs them: a baseline assigned to a group is held by each member in
// its own policy (an event in its own trail, naming the group), a tenant joining gains it and one
// leaving loses it, a member cannot drop it alone, a batch handled twice records nothing twice,
// and an offboarded member keeps what it held.
import { handleCommand, START, type CommandContext } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { adoptLibraryVersions, applyPolicyImport, changeGroupGuardrails, changeTenantGuardrails, GROUP_ASSIGNMENT_EVENT_TYPES, handleGroupEvents } from '@rampart/guardrails-application';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { changeTenantGroup, tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { InlineWorker } from './inline-worker';

const BANK = 'contoso-bank';
const BANK2 = 'woodgrove-bank';
const RETAIL = 'fabrikam-retail';
const lead: Omit<CommandContext, 'tenantId'> = { actor: { kind: 'user', id: 'lead@soc.example' }, correlationId: 'c', now: new Date() };

describe('tenant groups and their assignments', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let worker: InlineWorker;
  const held = async (tenantId: string) =>
    (await store.readStream(tenantGuardrailsStreamId(tenantId))).map((e) => `${e.type.replace(/^guardrails\.|\.v1$/g, '')} ${(e.data as { assignmentId: string }).assignmentId}${(e.data as { group?: string }).group ? ` (${(e.data as { group: string }).group})` : ''}`);

  beforeAll(async () => {
    db = await pgliteTestDatabase('tenant_groups');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema: 'tenant_groups_read' });
    await onboardTenants(store, BANK, BANK2, RETAIL);
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
  });

  it("gives a group's assignment to its members, each as an event in its own trail naming the group", async () => {
    expect((await changeTenantGroup(store, 'eu-banks', { kind: 'CreateTenantGroup', groupId: 'eu-banks', name: 'EU banks' }, lead)).ok).toBe(true);
    expect((await changeTenantGroup(store, 'eu-banks', { kind: 'AddTenantToGroup', tenantId: BANK }, lead)).ok).toBe(true);
    expect((await changeGroupGuardrails(store, { kind: 'AssignBaselineToGroup', groupId: 'eu-banks', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, lead)).ok).toBe(true);
    expect(await changeGroupGuardrails(store, { kind: 'AssignBaselineToGroup', groupId: 'no-such-group', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }, lead)).toMatchObject({ ok: false, rejection: { code: 'unknown-group' } });
    await worker.settle();
    expect(await held(BANK)).toEqual(['BaselineAssigned grp-eu-banks-core (eu-banks)']);
    expect(await held(RETAIL)).toEqual([]);
  });

  it('gives it to a tenant joining, takes it from one leaving, and only the group takes it away', async () => {
    expect((await changeTenantGroup(store, 'eu-banks', { kind: 'AddTenantToGroup', tenantId: BANK2 }, lead)).ok).toBe(true);
    await worker.settle();
    expect(await held(BANK2)).toEqual(['BaselineAssigned grp-eu-banks-core (eu-banks)']);

    const own = (command: TenantGuardrailsCommand) =>
      changeTenantGuardrails({ eventStore: store, standing: tenantStanding(store) }, { tenantId: BANK2, actor: { kind: 'user', id: 'admin@woodgrove.example' }, correlationId: 'x', now: new Date() }, command);
    expect(await own({ kind: 'UnassignBaseline', assignmentId: 'grp-eu-banks-core' })).toMatchObject({ ok: false, rejection: { code: 'assigned-by-group' } });

    expect((await changeTenantGroup(store, 'eu-banks', { kind: 'RemoveTenantFromGroup', tenantId: BANK, reason: 'moved its business to the UK' }, lead)).ok).toBe(true);
    await worker.settle();
    expect(await held(BANK)).toEqual(['BaselineAssigned grp-eu-banks-core (eu-banks)', 'BaselineUnassigned grp-eu-banks-core']);
    expect(await held(BANK2)).toEqual(['BaselineAssigned grp-eu-banks-core (eu-banks)']);
  });

  it("gives members the provider's library definitions too, following the latest version like any assignment", async () => {
    const definition = (minimum: string) => ({
      path: 'Storage-MinTLS.json',
      text: JSON.stringify({ name: 'Storage-MinTLS', properties: { mode: 'Indexed', parameters: { minimum: { type: 'String', defaultValue: minimum } }, policyRule: { if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', less: "[parameters('minimum')]" }] }, then: { effect: 'audit' } } } }),
    });
    await applyPolicyImport(store, [definition('TLS1_2')], lead);
    expect((await changeGroupGuardrails(store, { kind: 'AssignBaselineToGroup', groupId: 'eu-banks', assignmentId: 'tls', baselineId: 'lib-definition:Storage-MinTLS', scope: '*' }, lead)).ok).toBe(true);
    await worker.settle();
    const policy = async () => (await store.readStream(tenantGuardrailsStreamId(BANK2))).map((e) => e.data as { assignmentId: string; baselineId: string; libraryVersion?: number; change?: string });
    expect((await policy()).at(-1)).toMatchObject({ assignmentId: 'grp-eu-banks-tls', baselineId: 'lib-definition:storage-mintls', libraryVersion: 1 });
    await applyPolicyImport(store, [definition('TLS1_3')], lead);
    await worker.settle();
    expect(await adoptLibraryVersions({ eventStore: store, readModels: db.sql }, { schema: 'tenant_groups_read' })).toEqual([{ tenantId: BANK2, assignmentId: 'grp-eu-banks-tls', baselineId: 'lib-definition:storage-mintls@2' }]);
    // adopting a version is no change of what the group gives: the reaction leaves it
    await worker.settle();
    expect((await policy()).at(-1)).toMatchObject({ assignmentId: 'grp-eu-banks-tls', change: 'adopted' });
    expect((await changeGroupGuardrails(store, { kind: 'UnassignBaselineFromGroup', groupId: 'eu-banks', assignmentId: 'tls' }, lead)).ok).toBe(true);
    await worker.settle();
  });

  it('records nothing twice when a batch is handled again (a worker died before its checkpoint)', async () => {
    const before = await store.headPosition();
    const all = await store.readAll({ from: START, filter: { eventTypes: GROUP_ASSIGNMENT_EVENT_TYPES }, maxCount: 1_000 });
    await handleGroupEvents({ eventStore: store, standing: tenantStanding(store) }, all.events);
    await handleGroupEvents({ eventStore: store, standing: tenantStanding(store) }, all.events);
    expect(await store.headPosition()).toEqual(before);
  });

  it("takes a group's assignment away from every member, and an offboarded member keeps what it held", async () => {
    expect((await handleCommand(store, tenantDecider, tenantStreamId(BANK2), { kind: 'OffboardTenant', tenantId: BANK2, reason: 'contract ended' }, { tenantId: BANK2, ...lead })).ok).toBe(true);
    expect((await changeGroupGuardrails(store, { kind: 'UnassignBaselineFromGroup', groupId: 'eu-banks', assignmentId: 'core' }, lead)).ok).toBe(true);
    await worker.settle();
    expect((await held(BANK2)).filter((e) => e.endsWith('grp-eu-banks-core') || e.endsWith('grp-eu-banks-core (eu-banks)'))).toEqual(['BaselineAssigned grp-eu-banks-core (eu-banks)']);
    // and an offboarded tenant cannot join a group
    expect((await changeTenantGroup(store, 'eu-banks', { kind: 'CreateTenantGroup', groupId: 'eu-banks', name: 'again' }, lead)).ok).toBe(false);
    expect(await changeTenantGroup(store, 'eu-banks', { kind: 'RemoveTenantFromGroup', tenantId: BANK2, reason: 'offboarded' }, lead)).toMatchObject({ ok: true });
    expect(await changeTenantGroup(store, 'eu-banks', { kind: 'AddTenantToGroup', tenantId: BANK2 }, lead)).toMatchObject({ ok: false, rejection: { code: 'tenant-offboarded' } });
  });
});
