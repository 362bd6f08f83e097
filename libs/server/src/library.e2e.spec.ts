// The provider's policy library over GraphQL, as a platform admin's pipeline or the console drives
// it: the ALZ folder planned (one initiative refused, nothing recorded), the rest applied, again
// (nothing new), a changed definition (version 2), and the library listed; nobody else reaches it,
// and an export of the provider's trail shows every change.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './testing/harness';

const ALZ = join(__dirname, '..', '..', 'guardrails', 'corpus', 'azure-policy', 'alz');
const files = (filter: (path: string) => boolean = () => true) =>
  ['policyDefinitions', 'policySetDefinitions'].flatMap((dir) =>
    readdirSync(join(ALZ, dir))
      .map((name) => `${dir}/${name}`)
      .filter(filter)
      .map((path) => ({ path, content: readFileSync(join(ALZ, path), 'utf8') })),
  );

interface Plan {
  applicable: boolean;
  applied: boolean;
  recorded: number;
  counts: Record<'add' | 'change' | 'unchanged' | 'refused' | 'skipped', number>;
  items: { kind: string; name: string | null; path: string; action: string; version: number | null; reasons: string[] }[];
}
const PLAN = 'applicable applied recorded counts { add change unchanged refused skipped } items { kind name path action version reasons }';

describe("the provider's policy library over GraphQL", () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.token({ role: 'platform.admin' }, 'admin@soc.example');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const importFiles = (input: { files: { path: string; content: string }[]; apply?: boolean }, token = admin) =>
    h.gql<{ importPolicyLibrary: Plan }>(`mutation($input: ImportPolicyLibraryInput!) { importPolicyLibrary(input: $input) { ${PLAN} } }`, { token, variables: { input } });

  it('plans the ALZ folder, refuses the initiative whose member is missing, and records nothing, even when asked to', async () => {
    const before = await h.server.stores.eventStore.headPosition();
    for (const apply of [false, true]) {
      const { body } = await importFiles({ files: files(), apply });
      expect(body.errors).toBeUndefined();
      const plan = body.data!.importPolicyLibrary;
      expect(plan).toMatchObject({ applicable: false, applied: false, recorded: 0, counts: { add: 12, refused: 1 } });
      expect(plan.items.find((i) => i.name === 'Deny-PublicPaaSEndpoints')).toMatchObject({ action: 'refused', reasons: [expect.stringContaining('Deny-LogicApp-Public-Network')] });
    }
    expect(await h.server.stores.eventStore.headPosition()).toEqual(before);
  });

  it('applies the rest, finds nothing new the second time, and records a changed definition as version 2', async () => {
    const library = files((p) => !p.endsWith('Deny-PublicPaaSEndpoints.json'));
    const first = (await importFiles({ files: library, apply: true })).body.data!.importPolicyLibrary;
    expect(first).toMatchObject({ applicable: true, applied: true, recorded: 12 });
    const again = (await importFiles({ files: library, apply: true })).body.data!.importPolicyLibrary;
    expect(again).toMatchObject({ applied: true, recorded: 0, counts: { unchanged: 12 } });

    const changed = library.map((f) => (f.path.endsWith('Deny-Sql-minTLS.json') ? { ...f, content: f.content.replace('"defaultValue": "Audit"', '"defaultValue": "Deny"') } : f));
    const second = (await importFiles({ files: changed, apply: true })).body.data!.importPolicyLibrary;
    expect(second).toMatchObject({ recorded: 1, counts: { change: 1, unchanged: 11 } });

    const { body } = await h.gql<{ policyLibrary: { kind: string; name: string; version: number; source: string; recordedBy: string }[] }>(
      '{ policyLibrary { kind name version source recordedBy } }',
      { token: admin },
    );
    expect(body.data!.policyLibrary).toHaveLength(12);
    expect(body.data!.policyLibrary.find((a) => a.name === 'Deny-Sql-minTLS')).toEqual({
      kind: 'definition',
      name: 'Deny-Sql-minTLS',
      version: 2,
      source: 'policyDefinitions/Deny-Sql-minTLS.json',
      recordedBy: 'admin@soc.example',
    });
  });

  it('shows every version of an artifact, each as imported, and null for one it never held', async () => {
    const { body } = await h.gql<{ policyLibraryArtifact: { name: string; retired: boolean; versions: { version: number; content: string; recordedBy: string }[] } | null }>(
      '{ policyLibraryArtifact(kind: "definition", name: "deny-sql-mintls") { name retired versions { version content recordedBy } } }',
      { token: admin },
    );
    const artifact = body.data!.policyLibraryArtifact!;
    expect(artifact).toMatchObject({ name: 'Deny-Sql-minTLS', retired: false });
    const defaults = artifact.versions.map((v) => (JSON.parse(v.content) as { properties: { parameters: { effect: { defaultValue: string } } } }).properties.parameters.effect.defaultValue);
    expect(artifact.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(defaults).toEqual(['Audit', 'Deny']);
    const missing = await h.gql<{ policyLibraryArtifact: null }>('{ policyLibraryArtifact(kind: "initiative", name: "Nope") { name } }', { token: admin });
    expect(missing.body).toEqual({ data: { policyLibraryArtifact: null } });
    const bad = await h.gql('{ policyLibraryArtifact(kind: "baseline", name: "x") { name } }', { token: admin });
    expect(bad.body.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it("is assigned to a tenant by its customer admin: following the latest version, pinned back to version 1, following again", async () => {
    const customer = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    const assignments = async () =>
      (await h.gql<{ tenantGuardrails: { assignments: { assignmentId: string; baselineId: string; follows: string | null }[] } }>(
        '{ tenantGuardrails(tenantId: "contoso-bank") { assignments { assignmentId baselineId follows } } }',
        { token: customer },
      )).body.data!.tenantGuardrails.assignments.filter((a) => a.assignmentId === 'provider-sql-tls');
    const assign = await h.gql<{ assignBaseline: { __typename: string } }>(
      'mutation { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "provider-sql-tls", baselineId: "lib-definition:Deny-Sql-minTLS" }) { __typename } }',
      { token: customer },
    );
    expect(assign.body.data?.assignBaseline.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    expect(await assignments()).toEqual([{ assignmentId: 'provider-sql-tls', baselineId: 'lib-definition:deny-sql-mintls@2', follows: 'lib-definition:deny-sql-mintls' }]);
    const set = (version: string) =>
      h.gql<{ setLibraryVersion: { __typename: string; code?: string } }>(
        `mutation { setLibraryVersion(input: { tenantId: "contoso-bank", assignmentId: "provider-sql-tls", version: ${version} }) { __typename ... on Rejection { code } } }`,
        { token: customer },
      );
    expect((await set('1')).body.data?.setLibraryVersion.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    expect(await assignments()).toEqual([{ assignmentId: 'provider-sql-tls', baselineId: 'lib-definition:deny-sql-mintls@1', follows: null }]);
    expect((await set('null')).body.data?.setLibraryVersion.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    expect(await assignments()).toEqual([{ assignmentId: 'provider-sql-tls', baselineId: 'lib-definition:deny-sql-mintls@2', follows: 'lib-definition:deny-sql-mintls' }]);
    expect((await set('9')).body.data?.setLibraryVersion).toEqual({ __typename: 'Rejection', code: 'unknown-version' });
  });

  it('says what a change would find in the tenants that follow it, replayed over their history, recording nothing', async () => {
    const before = await h.server.stores.eventStore.headPosition();
    const library = files((p) => !p.endsWith('Deny-PublicPaaSEndpoints.json')).map((f) =>
      f.path.endsWith('Deny-Sql-minTLS.json') ? { ...f, content: f.content.replace('"defaultValue": "Audit"', '"defaultValue": "Disabled"') } : f,
    );
    const { body } = await h.gql<{ importPolicyLibrary: Plan & { whatIf: { definition: string; version: number; tenantId: string; reason: string; nonCompliantNow: number }[] } }>(
      `mutation($input: ImportPolicyLibraryInput!) { importPolicyLibrary(input: $input) { applied counts { change } whatIf { definition version tenantId reason nonCompliantNow } } }`,
      { token: admin, variables: { input: { files: library, whatIf: true, whatIfTenants: ['fabrikam-retail'] } } },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.importPolicyLibrary).toMatchObject({ applied: false, counts: { change: 1 } });
    expect(body.data!.importPolicyLibrary.whatIf).toEqual([
      { definition: 'Deny-Sql-minTLS', version: 3, tenantId: 'contoso-bank', reason: 'follows', nonCompliantNow: 0 },
      { definition: 'Deny-Sql-minTLS', version: 3, tenantId: 'fabrikam-retail', reason: 'named', nonCompliantNow: 0 },
    ]);
    expect(await h.server.stores.eventStore.headPosition()).toEqual(before);
    const refused = await h.gql(`mutation($input: ImportPolicyLibraryInput!) { importPolicyLibrary(input: $input) { applied } }`, {
      token: admin,
      variables: { input: { files: library, whatIf: true, whatIfTenants: ['Not A Tenant'] } },
    });
    expect(refused.body.errors?.[0].extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('is the provider\'s alone: SOC leads and customer admins are refused, and nothing is recorded', async () => {
    const before = await h.server.stores.eventStore.headPosition();
    for (const grant of [{ role: 'soc.lead', socTeam: 'blue' }, { role: 'customer.admin', tenantId: 'contoso-bank' }] as const) {
      const token = await h.token(grant);
      const { body } = await importFiles({ files: files((p) => p.endsWith('Deny-Sql-minTLS.json')), apply: true }, token);
      expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
      const listed = await h.gql('{ policyLibrary { name } }', { token });
      expect(listed.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    }
    expect(await h.server.stores.eventStore.headPosition()).toEqual(before);
  });

  it('refuses files that are no input at all', async () => {
    expect((await importFiles({ files: [] })).body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('at least one policy file') });
    expect((await importFiles({ files: [{ path: '', content: '{}' }] })).body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it("shows each library change in the provider's audit trail", async () => {
    const { body } = await h.gql<{ auditTrail: { edges: { node: { type: string; actorId: string } }[] } }>(
      '{ auditTrail(tenantId: "provider", first: 50) { edges { node { type actorId } } } }',
      { token: admin },
    );
    const types = body.data!.auditTrail.edges.map((e) => e.node.type);
    expect(types.filter((t) => t === 'guardrails.LibraryDefinitionPublished.v1')).toHaveLength(12);
    expect(types).toContain('guardrails.LibraryInitiativePublished.v1');
    // and a customer's own trail never holds them
    const viewer = await h.token({ role: 'customer.viewer', tenantId: 'contoso-bank' });
    const own = await h.gql<{ auditTrail: { edges: { node: { type: string } }[] } }>('{ auditTrail(tenantId: "contoso-bank", first: 100) { edges { node { type } } } }', { token: viewer });
    const ownTypes = own.body.data!.auditTrail.edges.map((e) => e.node.type);
    expect(ownTypes.filter((t) => /^guardrails\.Library(Definition|Initiative)Published|^guardrails\.LibraryArtifactRetired/.test(t))).toEqual([]);
    // what is the tenant's own: the versions its assignment evaluated
    expect(ownTypes.filter((t) => t === 'guardrails.LibraryVersionSet.v1')).toHaveLength(2);
  });

  it("offers its initiatives to assign with their parameters, shows where each is assigned, and retires what is no longer wanted", async () => {
    const customer = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    const offered = (await h.gql<{ baselines: { id: string; version: number | null; parameters: string[] | null }[] }>('{ baselines { id version parameters } }', { token: customer })).body.data!.baselines;
    expect(offered.find((b) => b.id === 'landing-zone-core')).toEqual({ id: 'landing-zone-core', version: null, parameters: null });
    expect(offered.find((b) => b.id === 'lib-definition:deny-sql-mintls')).toMatchObject({ version: 2 });
    const keyVault = offered.find((b) => b.id === 'lib-initiative:enforce-guardrails-keyvault_20260203');
    expect(keyVault).toMatchObject({ version: 1, parameters: expect.arrayContaining(['effectKvSoftDelete']) });

    const assign = (parameters: string) =>
      h.gql<{ assignBaseline: { __typename: string; code?: string; message?: string } }>(
        `mutation($p: String) { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "provider-key-vault", baselineId: "lib-initiative:Enforce-Guardrails-KeyVault_20260203", initiativeParametersJson: $p }) { __typename ... on Rejection { code message } } }`,
        { token: customer, variables: { p: parameters } },
      );
    expect((await assign('{"effectKvNope": "Deny"}')).body.data?.assignBaseline).toEqual({ __typename: 'Rejection', code: 'unknown-parameter', message: expect.stringContaining('has no parameter effectKvNope') });
    expect((await assign('{"effectKvSoftDelete": "Sometimes"}')).body.data?.assignBaseline).toMatchObject({ __typename: 'Rejection', code: 'invalid-parameters' });
    expect((await assign('{"effectKvSoftDelete": "Deny"}')).body.data?.assignBaseline.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    const policy = (await h.gql<{ tenantGuardrails: { assignments: { assignmentId: string; baselineId: string; follows: string | null; initiativeParameters: string }[] } }>(
      '{ tenantGuardrails(tenantId: "contoso-bank") { assignments { assignmentId baselineId follows initiativeParameters } } }',
      { token: customer },
    )).body.data!.tenantGuardrails.assignments.find((a) => a.assignmentId === 'provider-key-vault');
    expect(policy).toEqual({
      assignmentId: 'provider-key-vault',
      baselineId: 'lib-initiative:enforce-guardrails-keyvault_20260203@1',
      follows: 'lib-initiative:enforce-guardrails-keyvault_20260203',
      initiativeParameters: '{"effectKvSoftDelete":"Deny"}',
    });

    const artifact = async (kind: string, name: string) =>
      (await h.gql<{ policyLibraryArtifact: { retired: boolean; versions: { members: { referenceId: string; source: string; version: number | null }[] | null }[]; assignments: { tenantId: string; assignmentId: string; follows: string | null }[]; retirements: { reason: string; recordedBy: string }[] } }>(
        `{ policyLibraryArtifact(kind: "${kind}", name: "${name}") { retired versions { members { referenceId source version } } assignments { tenantId assignmentId follows } retirements { reason recordedBy } } }`,
        { token: admin },
      )).body.data!.policyLibraryArtifact;
    const initiative = await artifact('initiative', 'Enforce-Guardrails-KeyVault_20260203');
    expect(initiative.versions[0].members).toContainEqual({ referenceId: 'KvSoftDelete', source: 'built-in', version: null });
    expect(initiative.assignments).toEqual([{ tenantId: 'contoso-bank', assignmentId: 'provider-key-vault', follows: 'lib-initiative:enforce-guardrails-keyvault_20260203' }]);
    expect((await artifact('definition', 'Deny-Sql-minTLS')).assignments).toEqual([{ tenantId: 'contoso-bank', assignmentId: 'provider-sql-tls', follows: 'lib-definition:deny-sql-mintls' }]);

    const retire = (token: string, name = 'Deny-Sql-minTLS') =>
      h.gql<{ retirePolicyLibraryArtifact: { __typename: string; code?: string; version?: number } }>(
        `mutation { retirePolicyLibraryArtifact(input: { kind: "definition", name: "${name}", reason: "replaced by Azure's built-in" }) { __typename ... on Rejection { code } ... on PolicyLibraryRetired { version } } }`,
        { token },
      );
    expect((await retire(customer)).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect((await retire(admin)).body.data?.retirePolicyLibraryArtifact).toEqual({ __typename: 'PolicyLibraryRetired', version: 2 });
    expect((await retire(admin)).body.data?.retirePolicyLibraryArtifact).toEqual({ __typename: 'Rejection', code: 'already-retired' });
    expect((await retire(admin, 'never-imported')).body.data?.retirePolicyLibraryArtifact).toEqual({ __typename: 'Rejection', code: 'unknown-artifact' });
    expect(await artifact('definition', 'Deny-Sql-minTLS')).toMatchObject({ retired: true, retirements: [{ reason: "replaced by Azure's built-in", recordedBy: 'admin@soc.example' }] });
    // no longer offered, while the assignment made keeps its version
    const after = (await h.gql<{ baselines: { id: string }[] }>('{ baselines { id } }', { token: customer })).body.data!.baselines.map((b) => b.id);
    expect(after).not.toContain('lib-definition:deny-sql-mintls');
    expect((await artifact('definition', 'Deny-Sql-minTLS')).assignments).toHaveLength(1);
  });

  it('takes a second person for each change once the provider asks for it: proposed, refused to its proposer, approved by another admin', async () => {
    const second = await h.token({ role: 'platform.admin' }, 'bo@soc.example');
    const policy = (approvalRequired: boolean, token = admin) =>
      h.gql<{ setLibraryPolicy: { __typename: string; approvalRequired?: boolean; proposedChangeId?: string | null } }>(
        `mutation { setLibraryPolicy(approvalRequired: ${approvalRequired}) { __typename ... on LibraryPolicyType { approvalRequired proposedChangeId } } }`,
        { token },
      );
    expect((await policy(true)).body.data?.setLibraryPolicy).toEqual({ __typename: 'LibraryPolicyType', approvalRequired: true, proposedChangeId: null });

    const changed = files((p) => p.endsWith('Audit-Tags-Mandatory.json')).map((f) => ({ ...f, content: f.content.replace('"displayName": "', '"displayName": "Reviewed: ') }));
    expect(changed[0].content).toContain('Reviewed: ');
    const { body } = await h.gql<{ importPolicyLibrary: Plan & { proposedChangeId: string | null } }>(
      `mutation($input: ImportPolicyLibraryInput!) { importPolicyLibrary(input: $input) { applied recorded proposedChangeId counts { change } } }`,
      { token: admin, variables: { input: { files: changed, apply: true } } },
    );
    expect(body.data!.importPolicyLibrary).toMatchObject({ applied: false, recorded: 0, counts: { change: 1 }, proposedChangeId: expect.any(String) });
    const changeId = body.data!.importPolicyLibrary.proposedChangeId as string;

    const approve = (token: string) =>
      h.gql<{ approveLibraryChange: { __typename: string; code?: string; status?: string; recorded?: number; decidedBy?: string; artifacts?: { name: string; version: number; basis: number }[] } }>(
        `mutation { approveLibraryChange(changeId: "${changeId}") { __typename ... on Rejection { code } ... on LibraryChangeType { status recorded decidedBy artifacts { name version basis } } } }`,
        { token },
      );
    expect((await approve(admin)).body.data?.approveLibraryChange).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
    const customer = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    expect((await approve(customer)).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    const waiting = (await h.gql<{ libraryChanges: { changeId: string; proposedBy: string }[] }>('{ libraryChanges(status: "proposed") { changeId proposedBy } }', { token: second })).body.data!.libraryChanges;
    expect(waiting).toEqual([{ changeId, proposedBy: 'admin@soc.example' }]);
    expect((await approve(second)).body.data?.approveLibraryChange).toEqual({
      __typename: 'LibraryChangeType',
      status: 'applied',
      recorded: 1,
      decidedBy: 'bo@soc.example',
      artifacts: [{ name: 'Audit-Tags-Mandatory', version: 2, basis: 1 }],
    });

    // turning approval off is itself a change for someone else: declined here, so it stays on
    const off = (await policy(false)).body.data!.setLibraryPolicy;
    expect(off).toMatchObject({ approvalRequired: true, proposedChangeId: expect.any(String) });
    const declined = await h.gql<{ rejectLibraryChange: { status: string; reason: string } }>(
      `mutation { rejectLibraryChange(input: { changeId: "${off.proposedChangeId}", reason: "keep four eyes on the library" }) { ... on LibraryChangeType { status reason } } }`,
      { token: second },
    );
    expect(declined.body.data?.rejectLibraryChange).toEqual({ status: 'rejected', reason: 'keep four eyes on the library' });
    expect((await h.gql<{ libraryPolicy: { approvalRequired: boolean } }>('{ libraryPolicy { approvalRequired } }', { token: admin })).body.data?.libraryPolicy).toEqual({ approvalRequired: true });
  });

  it("keeps a tenant's own library for that tenant: imported and assigned by its admin, invisible and unassignable to another tenant", async () => {
    const bank = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' }, 'admin@contoso.example');
    const retail = await h.token({ role: 'customer.admin', tenantId: 'fabrikam-retail' }, 'admin@fabrikam.example');
    const own = {
      path: 'Bank-Storage-Tags.json',
      content: JSON.stringify({ name: 'Bank-Storage-Tags', properties: { displayName: 'Storage carries a cost centre', mode: 'Indexed', policyRule: { if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'tags.costCentre', exists: false }] }, then: { effect: 'audit' } } } }),
    };
    const importOwn = (token: string, tenantId: string, apply: boolean) =>
      h.gql<{ importTenantPolicyLibrary: Plan }>(`mutation($input: ImportTenantPolicyLibraryInput!) { importTenantPolicyLibrary(input: $input) { ${PLAN} } }`, {
        token,
        variables: { input: { tenantId, files: [own], apply } },
      });
    // another tenant's admin cannot write into the bank's library (the approval the provider asks for is for its own library)
    expect((await importOwn(retail, 'contoso-bank', true)).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect((await importOwn(bank, 'contoso-bank', true)).body.data?.importTenantPolicyLibrary).toMatchObject({ applied: true, recorded: 1, counts: { add: 1 } });

    const listed = await h.gql<{ tenantPolicyLibrary: { name: string; version: number; recordedBy: string }[] }>('{ tenantPolicyLibrary(tenantId: "contoso-bank") { name version recordedBy } }', { token: bank });
    expect(listed.body.data?.tenantPolicyLibrary).toEqual([{ name: 'Bank-Storage-Tags', version: 1, recordedBy: 'admin@contoso.example' }]);
    expect((await h.gql('{ tenantPolicyLibrary(tenantId: "contoso-bank") { name } }', { token: retail })).body.errors?.map((e) => e.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect((await h.gql<{ policyLibrary: { name: string }[] }>('{ policyLibrary { name } }', { token: admin })).body.data?.policyLibrary.map((a) => a.name)).not.toContain('Bank-Storage-Tags');

    const assign = (token: string, tenantId: string) =>
      h.gql<{ assignBaseline: { __typename: string; code?: string } }>(
        `mutation { assignBaseline(input: { tenantId: "${tenantId}", assignmentId: "own-tags", baselineId: "tenant-definition:Bank-Storage-Tags" }) { __typename ... on Rejection { code } } }`,
        { token },
      );
    expect((await assign(retail, 'fabrikam-retail')).body.data?.assignBaseline).toEqual({ __typename: 'Rejection', code: 'unknown-baseline' });
    expect((await assign(bank, 'contoso-bank')).body.data?.assignBaseline.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    const detail = await h.gql<{ tenantPolicyLibraryArtifact: { assignments: { tenantId: string; baselineId: string }[] } }>(
      '{ tenantPolicyLibraryArtifact(tenantId: "contoso-bank", kind: "definition", name: "bank-storage-tags") { assignments { tenantId baselineId } } }',
      { token: bank },
    );
    expect(detail.body.data?.tenantPolicyLibraryArtifact.assignments).toEqual([{ tenantId: 'contoso-bank', baselineId: 'tenant-definition:bank-storage-tags@1' }]);
    const trail = await h.gql<{ auditTrail: { edges: { node: { type: string } }[] } }>('{ auditTrail(tenantId: "contoso-bank", first: 100) { edges { node { type } } } }', { token: bank });
    expect(trail.body.data!.auditTrail.edges.map((e) => e.node.type)).toContain('guardrails.LibraryDefinitionPublished.v1');
  });
});
