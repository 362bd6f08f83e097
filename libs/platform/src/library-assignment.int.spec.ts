// A provider's own definition assigned to a tenant, as the worker runs it: imported into the library,
// assigned to follow its latest version, evaluated; a new version imported, adopted by the sweep and
// evaluated again (the finding opens under the same guardrail); rolled back by pinning version 1;
// following the latest again. Every step is an event in the tenant's policy stream.
import { tenantGuardrailsStreamId, type FindingEntry, type TenantGuardrailsCommand } from '@rampart/guardrails';
import { adoptLibraryVersions, applyPolicyImport, changeTenantGuardrails, planPolicyImport } from '@rampart/guardrails-application';
import { ingest, itemsOf } from '@rampart/ingestion';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { libraryWhatIf } from './library-what-if';
import { evaluationBench, type EvaluationBench } from './testing/evaluation-bench';

const TENANT = 'contoso-bank';
const KEY = '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/payments';
const account = {
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/payments',
  name: 'payments',
  type: 'Microsoft.Storage/storageAccounts',
  location: 'westeurope',
  properties: { minimumTlsVersion: 'TLS1_2' },
};
/** The provider's definition: storage accounts below a minimum TLS version; version 2 raises the minimum. */
const definitionFile = (minimum: string) => ({
  path: 'policyDefinitions/Storage-MinTLS.json',
  text: JSON.stringify({
    name: 'Storage-MinTLS',
    properties: {
      displayName: 'Storage accounts must require a recent TLS version',
      mode: 'Indexed',
      metadata: { rampart: { severity: 'high', remediation: 'Set minimumTlsVersion on the account.' } },
      parameters: { minimum: { type: 'String', defaultValue: minimum } },
      policyRule: {
        if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', less: "[parameters('minimum')]" }] },
        then: { effect: 'audit' },
      },
    },
  }),
});

describe('a library definition assigned to a tenant', () => {
  let bench: EvaluationBench;
  const schema = 'library_read';
  const stores = () => bench.stores();
  const store = () => bench.store;
  const project = () => bench.project();
  const settle = () => bench.settle();
  const change = (command: TenantGuardrailsCommand) =>
    changeTenantGuardrails({ eventStore: store(), standing: tenantStanding(store()) }, { tenantId: TENANT, actor: { kind: 'user', id: 'lead@soc.example' }, correlationId: 'c', now: new Date() }, command);
  const importVersion = (minimum: string) => applyPolicyImport(store(), [definitionFile(minimum)], { actor: { kind: 'user', id: 'admin@soc.example' }, correlationId: 'i', now: new Date() });
  const compliance = async () =>
    (await bench.db.sql.query<{ doc: { state: string; baselineId: string; guardrailId: string } }>(`SELECT doc FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'resourceKey' = $2`, [TENANT, KEY])).rows.map((r) => r.doc);
  const findings = async () => (await bench.db.sql.query<{ doc: FindingEntry }>(`SELECT doc FROM "${schema}".findings WHERE tenant_id = $1 ORDER BY doc->>'openedAt', id`, [TENANT])).rows.map((r) => r.doc);

  beforeAll(async () => {
    bench = await evaluationBench('library_assignment', { schema, tenant: TENANT });
    await onboardTenants(bench.store, TENANT);
    await ingest(bench.store, itemsOf([account]), { tenantId: TENANT, standing: tenantStanding(bench.store), actor: { kind: 'system', id: 'test' }, source: 'push', scope: '*', complete: false });
  });
  afterAll(() => bench?.close());

  it('is assigned to follow the latest version, and evaluated with it', async () => {
    expect((await importVersion('TLS1_2')).recorded).toBe(1);
    const assigned = await change({ kind: 'AssignBaseline', assignmentId: 'provider-tls', baselineId: 'lib-definition:Storage-MinTLS', scope: '*' });
    expect(assigned.ok).toBe(true);
    await settle();
    expect(await compliance()).toEqual([expect.objectContaining({ state: 'compliant', baselineId: 'lib-definition:storage-mintls@1', guardrailId: 'lib:storage-mintls' })]);
    expect(await findings()).toEqual([]);
  });

  it('says, before a new version is recorded, what it would find in the tenants that follow it (replayed over their history)', async () => {
    const plan = await planPolicyImport(store(), [definitionFile('TLS1_3')]);
    expect(plan.counts).toMatchObject({ change: 1 });
    const before = await store().headPosition();
    const rows = await libraryWhatIf(stores(), plan, { tenants: ['fabrikam-retail'] });
    expect(rows).toEqual([
      { definition: 'Storage-MinTLS', version: 2, tenantId: TENANT, reason: 'follows', nonCompliantNow: 1, nonCompliantEver: 1, errors: 0, since: expect.any(String) },
      { definition: 'Storage-MinTLS', version: 2, tenantId: 'fabrikam-retail', reason: 'named', nonCompliantNow: 0, nonCompliantEver: 0, errors: 0, since: null },
    ]);
    // and the version in force finds nothing: the import's own content decides
    expect((await libraryWhatIf(stores(), await planPolicyImport(store(), [definitionFile('TLS1_2')])))).toEqual([]);
    expect(await store().headPosition()).toEqual(before);
  });

  it('adopts a new version (once, whoever sweeps), and the tenant is evaluated again: a finding under the same guardrail', async () => {
    expect((await importVersion('TLS1_3')).recorded).toBe(1);
    await project();
    const adopted = await Promise.all([adoptLibraryVersions(stores(), { schema }), adoptLibraryVersions(stores(), { schema })]);
    expect(adopted.flat()).toEqual([{ tenantId: TENANT, assignmentId: 'provider-tls', baselineId: 'lib-definition:storage-mintls@2' }]);
    await settle();
    expect(await compliance()).toEqual([expect.objectContaining({ state: 'nonCompliant', baselineId: 'lib-definition:storage-mintls@2', guardrailId: 'lib:storage-mintls' })]);
    const [finding] = await findings();
    expect(finding).toMatchObject({ status: 'open', guardrailId: 'lib:storage-mintls', severity: 'high', title: 'Storage accounts must require a recent TLS version' });
    expect(await adoptLibraryVersions(stores(), { schema })).toEqual([]);
  });

  it('rolls back by pinning version 1 (the finding resolves), and follows the latest again', async () => {
    expect((await change({ kind: 'PinLibraryVersion', assignmentId: 'provider-tls', version: 1 })).ok).toBe(true);
    await settle();
    expect(await compliance()).toEqual([expect.objectContaining({ state: 'compliant', baselineId: 'lib-definition:storage-mintls@1' })]);
    expect((await findings()).map((f) => f.status)).toEqual(['resolved']);
    // pinned: a newer version is not adopted
    await importVersion('TLS1_3'); // the same content: nothing new
    expect(await adoptLibraryVersions(stores(), { schema })).toEqual([]);

    expect((await change({ kind: 'PinLibraryVersion', assignmentId: 'provider-tls' })).ok).toBe(true);
    await settle();
    expect(await compliance()).toEqual([expect.objectContaining({ state: 'nonCompliant', baselineId: 'lib-definition:storage-mintls@2' })]);

    const trail = (await store().readStream(tenantGuardrailsStreamId(TENANT))).map((e) => [e.type, (e.data as { change?: string }).change ?? (e.data as { libraryVersion?: number }).libraryVersion]);
    expect(trail).toEqual([
      ['guardrails.BaselineAssigned.v1', 1],
      ['guardrails.LibraryVersionSet.v1', 'adopted'],
      ['guardrails.LibraryVersionSet.v1', 'pinned'],
      ['guardrails.LibraryVersionSet.v1', 'followed'],
    ]);
  });
});
