// Attestations on PostgreSQL: evidence stored by content hash per tenant (one tenant's digest never
// finds another's file); with the tenant's policy asking for a second person, an attestation holds
// only once someone else approves it; the control it is for reads attested now and as of any
// instant after, manual before; its expiry is recorded once even when two workers sweep at once,
// and from validUntil on the control needs evidence again, recorded or not; the trail exports and
// verifies with the attestation and its digests in the OSCAL results.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { handleCommand, type CommandContext } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { postgresTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { attestationStreamId, builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { changeAttestation, changeTenantGuardrails, EvidenceStore, expireAttestations, listAttestations, recordAttestation, tenantStandardCompliance } from '@rampart/guardrails-application';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { generateKeyPairSync } from 'node:crypto';
import { publicKeyPem } from '@rampart/audit';
import { auditExportPorts } from './audit-catalog';
import { standardComplianceAsOf, standardComplianceSeries } from './history';
import { InlineWorker } from './inline-worker';

const CIS = 'cis-azure-2.0.0';
/** A CIS control no Azure Policy definition checks: it is attested or it is manual. */
const MANUAL_CONTROL = '8.1';
const tick = () => new Promise((r) => setTimeout(r, 30));

describe('attestations (PostgreSQL)', () => {
  let db: TestDatabase;
  let stores: SqlEventStore[];
  let store: SqlEventStore;
  let worker: InlineWorker;
  let evidence: EvidenceStore;
  let work: string;
  const schema = 'attestations_read';
  const tenant = `attest-${Date.now()}`;
  const other = `${tenant}-other`;
  const as = (id: string, tenantId = tenant): CommandContext => ({ tenantId, actor: { kind: 'user', id }, correlationId: `c-${id}`, now: new Date() });
  const deps = () => ({ eventStore: store, standing: tenantStanding(store), evidence });
  const control = async (at?: Date) => {
    const result = at ? await standardComplianceAsOf({ eventStore: store }, tenant, CIS, at) : await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema);
    return result!.controls.find((c) => c.control.id === MANUAL_CONTROL)!;
  };
  const policy = (cmd: TenantGuardrailsCommand) =>
    handleCommand(store, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(tenant), cmd, { ...as('admin@bank.example'), causationId: null });
  const pdf = Buffer.from('%PDF-1.7\n% access review minutes, Q4 2026\n');
  let sha256: string;
  let beforeApproval: Date;
  let afterApproval: Date;

  beforeAll(async () => {
    db = await postgresTestDatabase('attestations');
    stores = [await SqlEventStore.open(db.sql, { schema: db.schema }), await SqlEventStore.open(db.sql, { schema: db.schema })];
    store = stores[0];
    await onboardTenants(store, tenant, other);
    worker = await InlineWorker.start({ eventStore: store, readModels: db.sql }, { schema });
    evidence = await EvidenceStore.open(db.sql, schema);
    work = mkdtempSync(join(tmpdir(), 'rampart-attestations-'));
    expect(await policy({ kind: 'AssignBaseline', assignmentId: 'cis', baselineId: CIS, scope: '*' })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    for (const s of stores ?? []) await s.close();
    await db?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("keeps evidence by content per tenant: the same bytes once, and another tenant's digest finds nothing", async () => {
    const stored = await evidence.put(tenant, pdf, { name: 'access-review.pdf', mediaType: 'application/pdf' });
    sha256 = stored.sha256;
    expect(sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(await evidence.put(tenant, pdf, { name: 'same-file-again.pdf', mediaType: 'application/pdf' })).toMatchObject({ sha256, size: pdf.length });
    expect((await evidence.read(tenant, sha256))?.content.equals(pdf)).toBe(true);
    expect(await evidence.read(other, sha256)).toBeUndefined();
    await expect(evidence.put(tenant, Buffer.alloc(0), { name: 'empty.txt' })).rejects.toMatchObject({ code: 'evidence-empty' });
    await expect(evidence.put(tenant, pdf, { name: '../../etc/passwd' })).rejects.toMatchObject({ code: 'invalid-file-name' });

    // an attestation may only name files its own tenant stored
    const elsewhere = await recordAttestation({ ...deps() }, as('admin@other.example', other), {
      standardId: CIS,
      controlId: MANUAL_CONTROL,
      statement: 'Borrowing the bank evidence by its digest, which must not work.',
      evidence: [{ sha256 }],
      attestedBy: 'admin@other.example',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(elsewhere).toMatchObject({ ok: false, rejection: { code: 'unknown-evidence' } });
    expect(await store.readStream(attestationStreamId(other, elsewhere.attestationId))).toEqual([]);
  });

  it("holds only once a second person approves it where the tenant's policy says so; the control reads attested from then", async () => {
    expect(await changeTenantGuardrails({ eventStore: store, standing: tenantStanding(store) }, as('admin@bank.example'), { kind: 'SetAttestationPolicy', approvalRequired: true })).toMatchObject({ ok: true });
    const recorded = await recordAttestation(deps(), as('ciso@bank.example'), {
      attestationId: 'cis-8-1',
      standardId: CIS,
      controlId: MANUAL_CONTROL,
      statement: 'Key and secret expiry is reviewed monthly by the platform team; the Q4 review minutes are attached.',
      evidence: [{ sha256 }],
      attestedBy: 'ciso@bank.example',
      validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    });
    expect(recorded).toMatchObject({ ok: true, attestationId: 'cis-8-1' });
    await worker.settle();
    expect((await control()).state).toBe('manual');
    expect((await listAttestations({ readModels: db.sql }, tenant, {}, schema)).map((a) => [a.attestationId, a.status, a.evidence[0].name])).toEqual([['cis-8-1', 'pending', 'access-review.pdf']]);

    const approve = (who: string) => changeAttestation({ eventStore: store, standing: tenantStanding(store) }, as(who), 'cis-8-1', { kind: 'ApproveAttestation', approvedBy: who, now: new Date() });
    expect(await approve('ciso@bank.example')).toMatchObject({ ok: false, rejection: { code: 'approver-must-differ' } });
    await tick();
    beforeApproval = new Date();
    await tick();
    expect(await approve('auditor@bank.example')).toMatchObject({ ok: true });
    await worker.settle();
    await tick();
    afterApproval = new Date();

    const now = await control();
    expect(now.state).toBe('attested');
    expect(now.attestation).toMatchObject({ attestationId: 'cis-8-1', attestedBy: 'ciso@bank.example', approvedBy: 'auditor@bank.example', evidence: [{ sha256, name: 'access-review.pdf' }] });
    const live = (await tenantStandardCompliance({ readModels: db.sql }, tenant, CIS, schema))!;
    expect(live.states.attested).toBe(1);
  });

  it('reads the same from the log: manual before the approval, attested after, and in the series', async () => {
    expect((await control(beforeApproval)).state).toBe('manual');
    const after = await control(afterApproval);
    expect(after.state).toBe('attested');
    expect(after.attestation?.attestationId).toBe('cis-8-1');
    const series = (await standardComplianceSeries({ eventStore: store }, tenant, CIS, { from: new Date(Date.now() - 2 * 3_600_000), to: new Date(Date.now() + 3_600_000), bucket: 'hour' }))!;
    expect(series.at(-1)!.states.attested).toBe(1);
  });

  it('stops holding at validUntil, and its expiry is recorded once when two workers sweep at once', async () => {
    const later = new Date(Date.now() + 91 * 86_400_000);
    // nothing recorded yet, and already not holding at that instant
    expect((await control(later)).state).toBe('manual');
    const swept = await Promise.all(stores.map((s) => expireAttestations({ eventStore: s, readModels: db.sql }, { now: later, schema })));
    expect(swept.flat()).toEqual([{ tenantId: tenant, attestationId: 'cis-8-1' }]);
    const events = await store.readStream(attestationStreamId(tenant, 'cis-8-1'));
    expect(events.map((e) => e.type)).toEqual(['guardrails.AttestationRecorded.v1', 'guardrails.AttestationApproved.v1', 'guardrails.AttestationExpired.v1']);
    await worker.settle();
    expect((await control()).state).toBe('manual');
    expect(await expireAttestations({ eventStore: store, readModels: db.sql }, { now: later, schema })).toEqual([]);
  });

  it('is in the exported trail with its evidence digest, and the export verifies', async () => {
    const keys = generateKeyPairSync('ed25519');
    const out = join(work, 'export');
    await exportAuditTrail(
      { eventStore: store },
      { ...auditExportPorts({ eventStore: store }), tenantId: tenant, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() - 1), outDir: out, signingKey: keys.privateKey, actor: { kind: 'user', id: 'auditor@bank.example' }, settleMs: 0 },
    );
    const events = readFileSync(join(out, 'events.ndjson'), 'utf8');
    expect(events).toContain('guardrails.AttestationRecorded.v1');
    expect(events).toContain(sha256);
    expect(readFileSync(join(out, 'events.csv'), 'utf8')).toContain('attestation cis-8-1 of cis-azure-2.0.0 8.1 by ciso@bank.example');
    expect((await verifyAuditExportDir(out, publicKeyPem(keys.publicKey))).problems).toEqual([]);
  });
});
