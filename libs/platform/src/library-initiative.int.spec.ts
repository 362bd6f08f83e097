// A provider's own initiative assigned to a tenant, as the worker runs it: an Azure built-in and a
// library definition in one initiative, assigned with the initiative's parameters, evaluated; the
// library definition changed (the folder holds only it), which makes a new version of the
// initiative, adopted by the sweep: findings move under the same guardrails; rolled back by pinning
// the initiative's first version; retiring refused while an initiative holds the definition.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyPem } from '@rampart/audit';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { tenantGuardrailsStreamId, type FindingEntry, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { adoptLibraryVersions, applyPolicyImport, changeTenantGuardrails, libraryAssignments, planPolicyImport, retireLibraryArtifact, tenantComplianceScore } from '@rampart/guardrails-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { auditExportPorts } from './audit-catalog';
import { libraryWhatIf } from './library-what-if';
import { evaluationBench, type EvaluationBench } from './testing/evaluation-bench';

const TENANT = 'contoso-bank';
const KEY = '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/payments';
const account = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/payments',
  name: 'payments',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { minimumTlsVersion: 'TLS1_2', supportsHttpsTrafficOnly: false },
};
const SECURE_TRANSFER = '404c3081-a854-4457-ae30-26a93ef643f9';

/** As Azure Landing Zones keep them: ARM template resources, expressions escaped as `[[`. */
const definitionFile = (minimum: string) => ({
  path: 'policyDefinitions/Storage-MinTLS.json',
  text: JSON.stringify({
    name: 'Storage-MinTLS',
    type: 'Microsoft.Authorization/policyDefinitions',
    apiVersion: '2021-06-01',
    properties: {
      displayName: 'Storage accounts must require a recent TLS version',
      mode: 'Indexed',
      metadata: { rampart: { severity: 'high', controls: [{ framework: 'MCSB', control: 'DP-3' }] } },
      parameters: { minimum: { type: 'String', defaultValue: minimum } },
      policyRule: {
        if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', less: "[[parameters('minimum')]" }] },
        then: { effect: 'audit' },
      },
    },
  }),
});
const initiativeFile = {
  path: 'policySetDefinitions/Storage-Guardrails.json',
  text: JSON.stringify({
    name: 'Storage-Guardrails',
    type: 'Microsoft.Authorization/policySetDefinitions',
    apiVersion: '2021-06-01',
    properties: {
      displayName: 'Storage guardrails',
      parameters: { transferEffect: { type: 'String', defaultValue: 'Disabled', allowedValues: ['Audit', 'Deny', 'Disabled'] } },
      policyDefinitions: [
        { policyDefinitionReferenceId: 'SecureTransfer', policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${SECURE_TRANSFER}`, parameters: { effect: { value: "[[parameters('transferEffect')]" } } },
        {
          policyDefinitionReferenceId: 'MinTLS',
          policyDefinitionId: "[concat('/providers/Microsoft.Management/managementGroups/', managementGroup().name, '/providers/Microsoft.Authorization/policyDefinitions/Storage-MinTLS')]",
        },
      ],
    },
  }),
};

describe('a library initiative assigned to a tenant', () => {
  let bench: EvaluationBench;
  const schema = 'library_initiative_read';
  const stores = () => bench.stores();
  const store = () => bench.store;
  const project = () => bench.project();
  const settle = () => bench.settle();
  const admin = { actor: { kind: 'user' as const, id: 'admin@soc.example' }, correlationId: 'i', now: new Date() };
  const change = (command: TenantGuardrailsCommand) =>
    changeTenantGuardrails({ eventStore: store(), standing: tenantStanding(store()) }, { tenantId: TENANT, actor: { kind: 'user', id: 'lead@soc.example' }, correlationId: 'c', now: new Date() }, command);
  const states = async () =>
    Object.fromEntries(
      (await bench.db.sql.query<{ doc: { state: string; baselineId: string; guardrailId: string } }>(`SELECT doc FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'resourceKey' = $2`, [TENANT, KEY])).rows.map((r) => [
        r.doc.guardrailId,
        `${r.doc.state} (${r.doc.baselineId})`,
      ]),
    );
  const findings = async () =>
    Object.fromEntries((await bench.db.sql.query<{ doc: FindingEntry }>(`SELECT doc FROM "${schema}".findings WHERE tenant_id = $1 ORDER BY doc->>'openedAt', id`, [TENANT])).rows.map((r) => [r.doc.guardrailId, r.doc.status]));

  beforeAll(async () => {
    bench = await evaluationBench('library_initiative', { schema, tenant: TENANT });
    await onboardTenants(bench.store, TENANT);
    await ingest(bench.store, itemsOf([account]), { tenantId: TENANT, standing: tenantStanding(bench.store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
  });
  let work: string;
  beforeAll(() => (work = mkdtempSync(join(tmpdir(), 'rampart-library-initiative-'))));
  afterAll(async () => {
    await bench?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("is assigned with the initiative's parameters, and each member evaluated with them", async () => {
    expect((await applyPolicyImport(store(), [definitionFile('TLS1_2'), initiativeFile], admin)).recorded).toBe(2);
    // the initiative's default turns secure transfer off; this tenant's assignment audits it
    expect((await change({ kind: 'AssignBaseline', assignmentId: 'storage', baselineId: 'lib-initiative:Storage-Guardrails', scope: '*', initiativeParameters: { transferEffect: 'Audit' } })).ok).toBe(true);
    await settle();
    expect(await states()).toEqual({
      'libset:storage-guardrails:SecureTransfer': 'nonCompliant (lib-initiative:storage-guardrails@1)',
      'libset:storage-guardrails:MinTLS': 'compliant (lib-initiative:storage-guardrails@1)',
    });
    expect(await findings()).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'open' });
    expect(await libraryAssignments(stores(), 'initiative', 'storage-guardrails', { schema })).toEqual([
      { tenantId: TENANT, assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails@1', follows: 'lib-initiative:storage-guardrails', scope: '*' },
    ]);
  });

  it('gets a new version when a member definition does, though the folder holds only the definition; the sweep adopts it and findings move', async () => {
    const plan = await planPolicyImport(store(), [definitionFile('TLS1_3')]);
    expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name} v${i.version}: ${i.reasons.join('; ')}`)).toEqual([
      'change definition Storage-MinTLS v2: content changed since version 1',
      'change initiative Storage-Guardrails v2: in the library, not in this folder; member MinTLS evaluates Storage-MinTLS version 2 (was 1)',
    ]);
    // what it would find first, replayed over the tenant's history with its assignment's values
    expect(await libraryWhatIf(stores(), plan)).toEqual([
      expect.objectContaining({ definition: 'Storage-Guardrails', member: 'SecureTransfer', version: 2, tenantId: TENANT, reason: 'follows', nonCompliantNow: 1 }),
      expect.objectContaining({ definition: 'Storage-Guardrails', member: 'MinTLS', version: 2, tenantId: TENANT, reason: 'follows', nonCompliantNow: 1, nonCompliantEver: 1 }),
    ]);
    expect((await applyPolicyImport(store(), [definitionFile('TLS1_3')], admin)).recorded).toBe(2);
    await project();
    expect(await adoptLibraryVersions(stores(), { schema })).toEqual([{ tenantId: TENANT, assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails@2' }]);
    await settle();
    expect(await states()).toEqual({
      // its state did not change, so no new state is recorded: the row still names the version that found it
      'libset:storage-guardrails:SecureTransfer': 'nonCompliant (lib-initiative:storage-guardrails@1)',
      'libset:storage-guardrails:MinTLS': 'nonCompliant (lib-initiative:storage-guardrails@2)',
    });
    // the same guardrails: the open finding stays open, the new one opens
    expect(await findings()).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'open', 'libset:storage-guardrails:MinTLS': 'open' });
  });

  it("rolls back by pinning the initiative's first version, which holds the definition's first", async () => {
    expect((await change({ kind: 'PinLibraryVersion', assignmentId: 'storage', version: 1 })).ok).toBe(true);
    await settle();
    expect(await states()).toMatchObject({ 'libset:storage-guardrails:MinTLS': 'compliant (lib-initiative:storage-guardrails@1)' });
    expect(await findings()).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'open', 'libset:storage-guardrails:MinTLS': 'resolved' });
    expect((await store().readStream(tenantGuardrailsStreamId(TENANT))).map((e) => e.type)).toEqual(['guardrails.BaselineAssigned.v1', 'guardrails.LibraryVersionSet.v1', 'guardrails.LibraryVersionSet.v1']);
  });

  it("counts the library's guardrails for the controls their definitions name: in the score and in the OSCAL export", async () => {
    const score = await tenantComplianceScore(stores(), TENANT, schema);
    const mcsb = score.frameworks.find((f) => f.framework === 'MCSB');
    // the library member maps itself (metadata.rampart.controls); the built-in member keeps Rampart's
    // curation of the same definition (secure transfer: DP-3 too), and it fails
    expect(mcsb?.controls.find((c) => c.control === 'DP-3')).toMatchObject({ compliant: 1, nonCompliant: 1 });

    const keys = generateKeyPairSync('ed25519');
    await new Promise((resolve) => setTimeout(resolve, 20)); // an export covers a period that has ended
    const outDir = join(work, 'tenant-export');
    await exportAuditTrail(
      { eventStore: store() },
      { ...auditExportPorts({ eventStore: store() }), tenantId: TENANT, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() - 1), outDir, signingKey: keys.privateKey, actor: { kind: 'user', id: 'auditor@bank.example' }, settleMs: 0 },
    );
    const oscal = readFileSync(join(outDir, 'oscal-assessment-results.json'), 'utf8');
    expect(oscal).toMatch(/"control-id":\s*"mcsb-dp-3"/);
    expect(oscal).toContain('guardrail(s) mapped to MCSB DP-3 (libset:storage-guardrails:MinTLS, libset:storage-guardrails:SecureTransfer)');
    expect((await verifyAuditExportDir(outDir, publicKeyPem(keys.publicKey))).problems).toEqual([]);
  });

  it('refuses to retire a definition a live initiative holds; retires the initiative, then the definition, and the assignment keeps its version', async () => {
    const held = await retireLibraryArtifact(store(), { kind: 'definition', name: 'Storage-MinTLS', reason: 'replaced' }, admin);
    expect(held).toMatchObject({ ok: false, rejection: { code: 'held-by-initiative', message: expect.stringMatching(/Storage-Guardrails hold/) } });
    expect((await retireLibraryArtifact(store(), { kind: 'initiative', name: 'storage-guardrails', reason: 'replaced by the built-in' }, admin)).ok).toBe(true);
    expect((await retireLibraryArtifact(store(), { kind: 'definition', name: 'Storage-MinTLS', reason: 'replaced' }, admin)).ok).toBe(true);
    // no longer offered to new assignments; the one made keeps evaluating version 1
    expect(await change({ kind: 'AssignBaseline', assignmentId: 'again', baselineId: 'lib-initiative:storage-guardrails', scope: '*' })).toMatchObject({ ok: false, rejection: { code: 'unknown-baseline' } });
    await settle();
    expect(await states()).toMatchObject({ 'libset:storage-guardrails:MinTLS': 'compliant (lib-initiative:storage-guardrails@1)' });
  });
});
