// Four-eyes for the policy library on PostgreSQL: with the provider's policy asking for it, an
// import is a proposal (nothing published); its proposer cannot approve it; two reviewers approving
// at once publish it once; a crash between approving and publishing converges on the next approval;
// a proposal overtaken by another change is refused; turning approval off takes a second person;
// and the provider's exported trail shows each step and verifies.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyPem } from '@rampart/audit';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { handleCommand, PROVIDER_SCOPE, providerStreamPrefix, START, type CommandContext, type EventStore } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { libraryChangeDecider, libraryChangeStreamId } from '@rampart/guardrails';
import { applyPolicyImport, approveLibraryChange, libraryChanges, loadLibrary, readLibraryPolicy, rejectLibraryChange, setLibraryPolicy } from '@rampart/guardrails-application';
import { auditExportPorts } from './audit-catalog';

const as = (id: string): Omit<CommandContext, 'tenantId'> => ({ actor: { kind: 'user', id }, correlationId: `c-${id}`, now: new Date() });
const ANA = as('ana@soc.example');
const BO = as('bo@soc.example');
const CY = as('cy@soc.example');

const definition = (name: string, effect: string) => ({
  path: `policyDefinitions/${name}.json`,
  text: JSON.stringify({
    name,
    properties: { displayName: name, mode: 'Indexed', policyRule: { if: { field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, then: { effect } } },
  }),
});
const published = async (store: EventStore) =>
  (await store.readAll({ from: START, filter: { streamPrefixes: [`${providerStreamPrefix()}library-`] }, maxCount: 10_000 })).events.map((e) => `${e.type.replace(/^guardrails\.|\.v1$/g, '')} ${(e.data as { name: string }).name}`);

describe('four-eyes for the policy library (PostgreSQL)', () => {
  let db: TestDatabase;
  let stores: SqlEventStore[];
  let store: SqlEventStore;
  let work: string;
  beforeAll(async () => {
    db = await postgresTestDatabase('library_approval');
    // two stores on one database, as two API replicas would be
    stores = [await SqlEventStore.open(db.sql, { schema: db.schema }), await SqlEventStore.open(db.sql, { schema: db.schema })];
    store = stores[0];
    work = mkdtempSync(join(tmpdir(), 'rampart-library-approval-'));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await db.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('makes an import a proposal once the policy asks for a second person: nothing is published', async () => {
    expect(await setLibraryPolicy(store, true, ANA)).toEqual({ ok: true, policy: { approvalRequired: true } });
    const applied = await applyPolicyImport(store, [definition('Audit-Storage', 'audit')], ANA);
    expect(applied).toMatchObject({ recorded: 0, proposedChangeId: expect.any(String), plan: { counts: { add: 1 } } });
    expect(await published(store)).toEqual([]);
    const [change] = await libraryChanges(store);
    expect(change).toMatchObject({ changeId: applied.proposedChangeId, status: 'proposed', proposedBy: 'ana@soc.example', expired: false, artifacts: [{ kind: 'definition', name: 'Audit-Storage', action: 'add', version: 1, basis: 0 }] });
  });

  it('is not approved by its proposer; two reviewers at once publish it once', async () => {
    const [change] = await libraryChanges(store);
    expect(await approveLibraryChange(store, change.changeId as string, ANA)).toMatchObject({ ok: false, rejection: { code: 'approver-must-differ' } });
    const both = await Promise.all([approveLibraryChange(stores[0], change.changeId as string, BO), approveLibraryChange(stores[1], change.changeId as string, CY)]);
    expect(both.some((o) => o.ok)).toBe(true);
    expect(await published(store)).toEqual(['LibraryDefinitionPublished Audit-Storage']);
    const [after] = await libraryChanges(store);
    expect(after).toMatchObject({ status: 'applied', recorded: 1 });
    expect(['bo@soc.example', 'cy@soc.example']).toContain(after.decidedBy);
  });

  it('converges when approving is run again after a crash between approving and publishing', async () => {
    const { proposedChangeId } = await applyPolicyImport(store, [definition('Deny-Storage', 'deny')], ANA);
    const changeId = proposedChangeId as string;
    // the approval recorded, then the process died before publishing
    await handleCommand(store, libraryChangeDecider, libraryChangeStreamId(changeId), { kind: 'ApproveLibraryChange', approvedBy: 'bo@soc.example', now: new Date(), moved: [] }, { ...BO, tenantId: PROVIDER_SCOPE });
    expect(await published(store)).not.toContain('LibraryDefinitionPublished Deny-Storage');
    expect((await approveLibraryChange(store, changeId, BO)).ok).toBe(true);
    expect((await approveLibraryChange(store, changeId, BO)).ok).toBe(true);
    expect((await published(store)).filter((p) => p.endsWith('Deny-Storage'))).toEqual(['LibraryDefinitionPublished Deny-Storage']);
    expect((await libraryChanges(store)).find((c) => c.changeId === changeId)).toMatchObject({ status: 'applied', recorded: 1 });
  });

  it('refuses a proposal the library has moved past, and records a rejection with its reason', async () => {
    const first = (await applyPolicyImport(store, [definition('Audit-Storage', 'deny')], ANA)).proposedChangeId as string;
    const second = (await applyPolicyImport(store, [definition('Audit-Storage', 'disabled')], ANA)).proposedChangeId as string;
    expect((await approveLibraryChange(store, first, BO)).ok).toBe(true);
    expect(await approveLibraryChange(store, second, BO)).toMatchObject({ ok: false, rejection: { code: 'library-changed', message: expect.stringContaining('definition Audit-Storage') } });
    expect((await rejectLibraryChange(store, second, 'overtaken by the first', BO)).ok).toBe(true);
    expect((await loadLibrary(store)).get('definition:audit-storage')?.version).toBe(2);
    expect(await approveLibraryChange(store, 'no-such-change', BO)).toMatchObject({ ok: false, rejection: { code: 'unknown-change' } });
  });

  it('turns approval off only through a change a second person approves', async () => {
    const off = await setLibraryPolicy(store, false, ANA);
    expect(off).toMatchObject({ ok: true, policy: { approvalRequired: true }, proposedChangeId: expect.any(String) });
    expect((await readLibraryPolicy(store)).approvalRequired).toBe(true);
    const changeId = (off as { proposedChangeId: string }).proposedChangeId;
    expect(await approveLibraryChange(store, changeId, ANA)).toMatchObject({ ok: false, rejection: { code: 'approver-must-differ' } });
    expect((await approveLibraryChange(store, changeId, BO)).ok).toBe(true);
    expect((await readLibraryPolicy(store)).approvalRequired).toBe(false);
    // and imports publish directly again
    expect((await applyPolicyImport(store, [definition('Audit-Tags', 'audit')], ANA)).recorded).toBe(1);
  });

  it("shows every proposal, approval and rejection in the provider's exported trail, which verifies", async () => {
    const keys = generateKeyPairSync('ed25519');
    await new Promise((resolve) => setTimeout(resolve, 20)); // an export covers a period that has ended
    const outDir = join(work, 'export');
    await exportAuditTrail(
      { eventStore: store },
      { ...auditExportPorts({ eventStore: store }), tenantId: PROVIDER_SCOPE, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() - 1), outDir, signingKey: keys.privateKey, actor: { kind: 'user', id: 'auditor@soc.example' }, settleMs: 0 },
    );
    const csv = readFileSync(join(outDir, 'events.csv'), 'utf8');
    expect(csv).toContain('library changes need a second person from now on');
    expect(csv).toMatch(/library change [0-9a-f-]+ proposed by ana@soc\.example: definition Audit-Storage v1/);
    expect(csv).toMatch(/library change [0-9a-f-]+ approved by (bo|cy)@soc\.example/);
    expect(csv).toMatch(/library change [0-9a-f-]+ rejected by bo@soc\.example: overtaken by the first/);
    expect(csv).toContain('library changes no longer need a second person');
    expect((await verifyAuditExportDir(outDir, publicKeyPem(keys.publicKey))).problems).toEqual([]);
  });
});
