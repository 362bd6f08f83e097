// Library initiatives as baselines: members that are Azure built-ins or library definitions, each
// initiative version holding its members' definition versions, the initiative's parameters given
// to its members at assignment, and an import that publishes an initiative again when a member
// definition it holds gets a new version.
import { givenWhenThen } from '@rampart/event-sourcing';
import { buildCatalog } from '../catalog/guardrail';
import type { LibraryMemberRef, TenantGuardrailsEvent } from '../events';
import { evaluateResource } from '../posture/evaluate';
import { evolveTenantGuardrails, initialTenantGuardrails, tenantGuardrailsDecider, type TenantGuardrails } from '../tenant-guardrails/tenant-guardrails';
import { contentSha256 } from './artifacts';
import { libraryKey, planLibraryImport, type LibraryEntry } from './import-plan';
import { withLibrary, type LibraryDefinitionVersion, type LibraryInitiativeVersion, type LibrarySnapshot } from './library-catalog';

const SECURE_TRANSFER = '404c3081-a854-4457-ae30-26a93ef643f9'; // Azure's built-in, effect Audit | Deny | Disabled

const tlsDefinition = (operator: 'notEquals' | 'less'): Record<string, unknown> => ({
  name: 'Storage-MinTLS',
  type: 'Microsoft.Authorization/policyDefinitions',
  apiVersion: '2021-06-01',
  properties: {
    displayName: 'Storage must use a minimum TLS version',
    mode: 'Indexed',
    parameters: { minimum: { type: 'String', defaultValue: 'TLS1_2' } },
    policyRule: {
      if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', [operator]: "[[parameters('minimum')]" }] },
      then: { effect: 'audit' },
    },
    metadata: { rampart: { severity: 'high' } },
  },
});
const definitionVersion = (version: number, operator: 'notEquals' | 'less'): LibraryDefinitionVersion => ({
  name: 'Storage-MinTLS',
  version,
  displayName: 'Storage must use a minimum TLS version',
  definition: tlsDefinition(operator),
  extension: { severity: 'high' },
});

// As Azure Landing Zones write them: an ARM template resource, expressions escaped as `[[`.
const initiative: Record<string, unknown> = {
  name: 'Storage-Guardrails',
  type: 'Microsoft.Authorization/policySetDefinitions',
  apiVersion: '2021-06-01',
  properties: {
    displayName: 'Storage guardrails',
    parameters: {
      transferEffect: { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Deny', 'Disabled'] },
      minimumTls: { type: 'String', defaultValue: 'TLS1_2' },
    },
    policyDefinitions: [
      {
        policyDefinitionReferenceId: 'SecureTransfer',
        policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${SECURE_TRANSFER}`,
        parameters: { effect: { value: "[[parameters('transferEffect')]" } },
      },
      {
        policyDefinitionReferenceId: 'MinTLS',
        policyDefinitionId: "[concat('/providers/Microsoft.Management/managementGroups/', managementGroup().name, '/providers/Microsoft.Authorization/policyDefinitions/Storage-MinTLS')]",
        parameters: { minimum: { value: "[[parameters('minimumTls')]" } },
      },
    ],
  },
};
const members = (tlsVersion: number): LibraryMemberRef[] => [
  { referenceId: 'SecureTransfer', source: 'built-in', name: SECURE_TRANSFER },
  { referenceId: 'MinTLS', source: 'library', name: 'Storage-MinTLS', version: tlsVersion },
];
const initiativeVersion = (version: number, tlsVersion: number): LibraryInitiativeVersion => ({ name: 'Storage-Guardrails', version, displayName: 'Storage guardrails', initiative, members: members(tlsVersion) });

// Version 1 of the definition finds any TLS other than the minimum; version 2 only an older one.
const snapshot: LibrarySnapshot = {
  definition: (name) => (name.toLowerCase() === 'storage-mintls' ? { versions: [definitionVersion(1, 'notEquals'), definitionVersion(2, 'less')], retired: false } : undefined),
  initiative: (name) => (name.toLowerCase() === 'storage-guardrails' ? { versions: [initiativeVersion(1, 1), initiativeVersion(2, 2)], retired: false } : undefined),
};
const catalog = withLibrary(buildCatalog([], []), snapshot);

const storage = (tls: string, https: boolean) => ({
  key: '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st',
  name: 'st',
  id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st',
  type: 'Microsoft.Storage/storageAccounts',
  properties: { minimumTlsVersion: tls, supportsHttpsTrafficOnly: https },
});
const policyOf = (...events: TenantGuardrailsEvent[]): TenantGuardrails => events.reduce(evolveTenantGuardrails, initialTenantGuardrails());
const assigned = (baselineId: string, extra: Record<string, unknown> = {}): TenantGuardrailsEvent => ({
  type: 'guardrails.BaselineAssigned.v1',
  data: { assignmentId: 'storage', baselineId, scope: '*', parameters: {}, ...extra },
});
const states = (policy: TenantGuardrails, tls: string, https: boolean) =>
  Object.fromEntries(evaluateResource(catalog, policy, storage(tls, https), { now: new Date() }).map((r) => [r.guardrailId, r.state]));

describe('library initiatives in the catalog', () => {
  it('is a baseline of its members, named for the initiative, keyed to the version', () => {
    const latest = catalog.baselines.get('lib-initiative:Storage-Guardrails');
    expect(latest).toMatchObject({
      id: 'lib-initiative:storage-guardrails@2',
      guardrailIds: ['libset:storage-guardrails:SecureTransfer', 'libset:storage-guardrails:MinTLS'],
      guardrailKeys: { 'libset:storage-guardrails:SecureTransfer': 'libset:storage-guardrails:SecureTransfer@2', 'libset:storage-guardrails:MinTLS': 'libset:storage-guardrails:MinTLS@2' },
      parameters: ['transferEffect', 'minimumTls'],
    });
    expect(catalog.baselines.get('lib-initiative:storage-guardrails@3')).toBeUndefined();
    // a library member keeps its own file's metadata; the built-in gets Azure's defaults
    expect(catalog.guardrails.get('libset:storage-guardrails:MinTLS@2')?.guardrail).toMatchObject({ severity: 'high', source: 'library:Storage-MinTLS@2' });
    expect(catalog.guardrails.get('libset:storage-guardrails:SecureTransfer@2')?.guardrail).toMatchObject({ title: expect.stringMatching(/Secure transfer/i), parameters: { effect: 'Audit' } });
  });

  it("evaluates the member definitions' versions its version holds", () => {
    // TLS1_3 breaks version 1 of the definition (not equal to TLS1_2), not version 2 (not older)
    expect(states(policyOf(assigned('lib-initiative:storage-guardrails@1')), 'TLS1_3', true)).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'compliant', 'libset:storage-guardrails:MinTLS': 'nonCompliant' });
    expect(states(policyOf(assigned('lib-initiative:storage-guardrails@2')), 'TLS1_3', true)).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'compliant', 'libset:storage-guardrails:MinTLS': 'compliant' });
    expect(states(policyOf(assigned('lib-initiative:storage-guardrails@2')), 'TLS1_0', false)).toEqual({ 'libset:storage-guardrails:SecureTransfer': 'nonCompliant', 'libset:storage-guardrails:MinTLS': 'nonCompliant' });
  });

  it("gives the assignment's initiative parameters to the members that take them", () => {
    const relaxed = policyOf(assigned('lib-initiative:storage-guardrails@2', { initiativeParameters: { minimumtls: 'TLS1_0', transferEffect: 'Disabled' } }));
    const results = evaluateResource(catalog, relaxed, storage('TLS1_0', false), { now: new Date() });
    expect(results.find((r) => r.guardrailId === 'libset:storage-guardrails:MinTLS')?.state).toBe('compliant');
    // an effect turned off: not a finding
    expect(results.find((r) => r.guardrailId === 'libset:storage-guardrails:SecureTransfer')?.state).not.toBe('nonCompliant');
  });
});

describe('assigning a library initiative', () => {
  const given = givenWhenThen(tenantGuardrailsDecider(catalog));

  it('records the initiative parameters and the version in force when following', () => {
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'storage', baselineId: 'lib-initiative:Storage-Guardrails', scope: '*', initiativeParameters: { transferEffect: 'Deny' } })
      .then(assigned('lib-initiative:storage-guardrails', { initiativeParameters: { transferEffect: 'Deny' }, libraryVersion: 2 }));
    const state = policyOf(assigned('lib-initiative:storage-guardrails', { libraryVersion: 2 }));
    expect(state.assignments.get('storage')).toMatchObject({ baselineId: 'lib-initiative:storage-guardrails@2', follows: 'lib-initiative:storage-guardrails' });
  });

  it('refuses parameters the initiative does not have, values its members refuse, and initiative parameters for a definition', () => {
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails', scope: '*', initiativeParameters: { effect: 'Deny' } })
      .thenRejects('unknown-parameter');
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails', scope: '*', initiativeParameters: { transferEffect: 'Sometimes' } })
      .thenRejects('invalid-parameters');
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'storage', baselineId: 'lib-definition:storage-mintls', scope: '*', initiativeParameters: { minimum: 'TLS1_0' } })
      .thenRejects('not-an-initiative');
  });

  it('rolls back to an earlier version of the initiative, then follows again', () => {
    given(assigned('lib-initiative:storage-guardrails', { libraryVersion: 2 }))
      .when({ kind: 'PinLibraryVersion', assignmentId: 'storage', version: 1 })
      .then({ type: 'guardrails.LibraryVersionSet.v1', data: { assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails@1', version: 1, follow: false, change: 'pinned' } });
    given(assigned('lib-initiative:storage-guardrails', { libraryVersion: 1 }))
      .when({ kind: 'AdoptLibraryVersion', assignmentId: 'storage', version: 2 })
      .then({ type: 'guardrails.LibraryVersionSet.v1', data: { assignmentId: 'storage', baselineId: 'lib-initiative:storage-guardrails@2', version: 2, follow: true, change: 'adopted' } });
  });
});

describe('an import that changes a member definition', () => {
  const builtIns = { has: (name: string) => name === SECURE_TRANSFER };
  const library = new Map<string, LibraryEntry>([
    [libraryKey('definition', 'Storage-MinTLS'), { kind: 'definition', name: 'Storage-MinTLS', version: 1, sha256: contentSha256(tlsDefinition('notEquals')), retired: false, revision: 0 }],
    [
      libraryKey('initiative', 'Storage-Guardrails'),
      { kind: 'initiative', name: 'Storage-Guardrails', version: 1, sha256: contentSha256(initiative), retired: false, revision: 0, source: 'initiatives/storage.json', initiative: { content: initiative, members: members(1) } },
    ],
  ]);
  const file = (path: string, content: unknown) => ({ path, text: JSON.stringify(content, null, 2) });

  it('publishes the initiative again, holding the new version, though the folder does not hold it', () => {
    const plan = planLibraryImport([file('definitions/tls.json', tlsDefinition('less'))], library, builtIns);
    expect(plan.items.map((i) => [i.action, i.kind, i.name, i.version])).toEqual([
      ['change', 'definition', 'Storage-MinTLS', 2],
      ['change', 'initiative', 'Storage-Guardrails', 2],
    ]);
    const again = plan.items[1];
    expect(again.reasons).toEqual(['in the library, not in this folder', 'member MinTLS evaluates Storage-MinTLS version 2 (was 1)']);
    expect(again.command).toMatchObject({ kind: 'PublishInitiative', members: members(2), initiative });
  });

  it('says the same of the initiative in the folder, unchanged itself; and nothing changes when nothing does', () => {
    const plan = planLibraryImport([file('definitions/tls.json', tlsDefinition('less')), file('initiatives/storage.json', initiative)], library, builtIns);
    expect(plan.items.find((i) => i.kind === 'initiative')).toMatchObject({ action: 'change', version: 2, reasons: ['member MinTLS evaluates Storage-MinTLS version 2 (was 1)'] });
    const same = planLibraryImport([file('definitions/tls.json', tlsDefinition('notEquals')), file('initiatives/storage.json', initiative)], library, builtIns);
    expect(same.items.map((i) => i.action)).toEqual(['unchanged', 'unchanged']);
  });
});
