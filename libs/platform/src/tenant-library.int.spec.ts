// A tenant's own policy library, as the worker runs it: a customer imports its own definition and an
// initiative holding it and one of the provider's; it is assigned, evaluated and exported for that
// tenant; another tenant can neither assign nor see it; an offboarded tenant's library takes no
// change; and the provider's library and the tenant's may both use one name.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publicKeyPem } from '@rampart/audit';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { type FindingEntry, type TenantGuardrailsCommand } from '@rampart/guardrails';
import {
  applyPolicyImport,
  changeTenantGuardrails,
  libraryBaselines,
  loadLibrary,
  planPolicyImport,
  PolicyImportError,
  retireLibraryArtifact,
  tenantComplianceScore,
} from '@rampart/guardrails-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { handleCommand } from '@rampart/event-sourcing';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { auditExportPorts } from './audit-catalog';
import { libraryWhatIf } from './library-what-if';
import { evaluationBench, type EvaluationBench } from './testing/evaluation-bench';

const BANK = 'contoso-bank';
const RETAIL = 'fabrikam-retail';
const account = (tls: string) => ({
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/payments',
  name: 'payments',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { minimumTlsVersion: tls },
});
const definition = (name: string, minimum: string, controls: { framework: string; control: string }[] = []) => ({
  path: `definitions/${name}.json`,
  text: JSON.stringify({
    name,
    properties: {
      displayName: `${name}: TLS ${minimum} or later`,
      mode: 'Indexed',
      metadata: { rampart: { severity: 'high', controls } },
      parameters: { minimum: { type: 'String', defaultValue: minimum } },
      policyRule: {
        if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', less: "[parameters('minimum')]" }] },
        then: { effect: 'audit' },
      },
    },
  }),
});
const initiative = {
  path: 'initiatives/Bank-Storage.json',
  text: JSON.stringify({
    name: 'Bank-Storage',
    properties: {
      displayName: "The bank's storage rules",
      policyDefinitions: [
        { policyDefinitionReferenceId: 'OwnTls', policyDefinitionId: '/subscriptions/s/providers/Microsoft.Authorization/policyDefinitions/Storage-TLS' },
        { policyDefinitionReferenceId: 'ProviderTls', policyDefinitionId: '/providers/Microsoft.Management/managementGroups/mssp/providers/Microsoft.Authorization/policyDefinitions/Provider-TLS' },
      ],
    },
  }),
};

describe("a tenant's own policy library", () => {
  let bench: EvaluationBench;
  let work: string;
  const schema = 'tenant_library_read';
  const store = () => bench.store;
  const as = (id: string) => ({ actor: { kind: 'user' as const, id }, correlationId: 'c', now: new Date() });
  const own = (tenantId: string) => ({ tenantId, standing: tenantStanding(store()) });
  const change = (tenantId: string, command: TenantGuardrailsCommand) =>
    changeTenantGuardrails({ eventStore: store(), standing: tenantStanding(store()) }, { tenantId, ...as('admin@bank.example') }, command);
  const findings = async (tenantId: string) =>
    (await bench.db.sql.query<{ doc: FindingEntry }>(`SELECT doc FROM "${schema}".findings WHERE tenant_id = $1 ORDER BY id`, [tenantId])).rows.map((r) => `${r.doc.guardrailId} ${r.doc.status}`);

  beforeAll(async () => {
    bench = await evaluationBench('tenant_library', { schema });
    work = mkdtempSync(join(tmpdir(), 'rampart-tenant-library-'));
    await onboardTenants(store(), BANK, RETAIL);
    for (const tenantId of [BANK, RETAIL]) {
      await ingest(store(), itemsOf([account('TLS1_1')]), { tenantId, standing: tenantStanding(store()), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
    }
    // the provider's library: its own TLS rule, and a definition named like the bank's
    await applyPolicyImport(store(), [definition('Provider-TLS', 'TLS1_0'), definition('Storage-TLS', 'TLS1_0')], as('admin@soc.example'));
  });
  afterAll(async () => {
    await bench?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("imports into the tenant's scope, an initiative resolving its own definition first and the provider's after", async () => {
    const plan = await planPolicyImport(store(), [definition('Storage-TLS', 'TLS1_2', [{ framework: 'MCSB', control: 'DP-3' }]), initiative], { tenantId: BANK });
    expect(plan.items.map((i) => `${i.action} ${i.kind} ${i.name} v${i.version}`)).toEqual(['add definition Storage-TLS v1', 'add initiative Bank-Storage v1']);
    expect(plan.items[1].command).toMatchObject({
      members: [
        { referenceId: 'OwnTls', source: 'tenant', name: 'Storage-TLS', version: 1 },
        { referenceId: 'ProviderTls', source: 'library', name: 'Provider-TLS', version: 1 },
      ],
    });
    // what it would find there, before anything is recorded
    expect(await libraryWhatIf(bench.stores(), plan, { tenantId: BANK, tenants: [RETAIL] })).toEqual([
      expect.objectContaining({ definition: 'Storage-TLS', tenantId: BANK, reason: 'named', nonCompliantNow: 1 }),
      expect.objectContaining({ definition: 'Bank-Storage', member: 'OwnTls', tenantId: BANK, nonCompliantNow: 1 }),
      expect.objectContaining({ definition: 'Bank-Storage', member: 'ProviderTls', tenantId: BANK, nonCompliantNow: 0 }),
    ]);
    expect((await applyPolicyImport(store(), [definition('Storage-TLS', 'TLS1_2', [{ framework: 'MCSB', control: 'DP-3' }]), initiative], as('admin@bank.example'), own(BANK))).recorded).toBe(2);
    expect([...(await loadLibrary(store(), { tenantId: BANK })).keys()].sort()).toEqual(['definition:storage-tls', 'initiative:bank-storage']);
    // the provider's library is as it was: one name, two libraries
    expect((await loadLibrary(store())).get('definition:storage-tls')).toMatchObject({ version: 1 });
    expect((await libraryBaselines(store(), { tenantId: BANK })).map((b) => b.id)).toEqual(['tenant-definition:storage-tls', 'tenant-initiative:bank-storage']);
    expect(await libraryBaselines(store(), { tenantId: RETAIL })).toEqual([]);
  });

  it('is assigned and evaluated for that tenant, and counts for the controls it names', async () => {
    expect((await change(BANK, { kind: 'AssignBaseline', assignmentId: 'bank-storage', baselineId: 'tenant-initiative:Bank-Storage', scope: '*' })).ok).toBe(true);
    await bench.settle();
    expect(await findings(BANK)).toEqual(['tlibset:bank-storage:OwnTls open']);
    const dp3 = (await tenantComplianceScore(bench.stores(), BANK, schema)).frameworks.find((f) => f.framework === 'MCSB')?.controls.find((c) => c.control === 'DP-3');
    expect(dp3).toMatchObject({ nonCompliant: 1 });
  });

  it("is no other tenant's: another tenant cannot assign it, and the provider's definition of the same name is another guardrail", async () => {
    expect(await change(RETAIL, { kind: 'AssignBaseline', assignmentId: 'x', baselineId: 'tenant-initiative:bank-storage', scope: '*' })).toMatchObject({ ok: false, rejection: { code: 'unknown-baseline' } });
    expect((await change(RETAIL, { kind: 'AssignBaseline', assignmentId: 'provider-tls', baselineId: 'lib-definition:Storage-TLS', scope: '*' })).ok).toBe(true);
    await bench.settle();
    expect(await findings(RETAIL)).toEqual([]); // the provider's Storage-TLS asks for TLS 1.0 only
  });

  it("exports the tenant's trail with its library's changes and its guardrails mapped, and it verifies", async () => {
    const keys = generateKeyPairSync('ed25519');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outDir = join(work, 'bank');
    await exportAuditTrail(
      { eventStore: store() },
      { ...auditExportPorts({ eventStore: store() }), tenantId: BANK, from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() - 1), outDir, signingKey: keys.privateKey, actor: { kind: 'user', id: 'auditor@bank.example' }, settleMs: 0 },
    );
    expect(readFileSync(join(outDir, 'events.csv'), 'utf8')).toContain('policy definition Storage-TLS version 1 published from definitions/Storage-TLS.json');
    expect(readFileSync(join(outDir, 'oscal-assessment-results.json'), 'utf8')).toContain('mapped to MCSB DP-3 (tlibset:bank-storage:OwnTls)');
    expect((await verifyAuditExportDir(outDir, publicKeyPem(keys.publicKey))).problems).toEqual([]);
  });

  it('takes no change once the tenant is offboarded', async () => {
    expect((await handleCommand(store(), tenantDecider, tenantStreamId(RETAIL), { kind: 'OffboardTenant', tenantId: RETAIL, reason: 'contract ended' }, { tenantId: RETAIL, ...as('admin@soc.example') })).ok).toBe(true);
    await expect(applyPolicyImport(store(), [definition('Retail-TLS', 'TLS1_2')], as('admin@retail.example'), own(RETAIL))).rejects.toThrow(PolicyImportError);
    expect(await retireLibraryArtifact(store(), { kind: 'definition', name: 'Storage-TLS', reason: 'not ours' }, as('admin@retail.example'), own(RETAIL))).toMatchObject({ ok: false });
    expect((await loadLibrary(store(), { tenantId: RETAIL })).size).toBe(0);
  });
});
