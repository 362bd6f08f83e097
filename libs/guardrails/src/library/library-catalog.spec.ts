// Library definitions as baselines: following the latest, pinned to a version, one guardrail id
// across versions, and tenant assignments that adopt, pin and follow again.
import { givenWhenThen } from '@rampart/event-sourcing';
import { buildCatalog } from '../catalog/guardrail';
import type { TenantGuardrailsEvent } from '../events';
import { evaluateResource } from '../posture/evaluate';
import { tenantGuardrailsDecider, evolveTenantGuardrails, initialTenantGuardrails } from '../tenant-guardrails/tenant-guardrails';
import { libraryBaselineId, parseLibraryBaselineId, withLibrary, type LibraryDefinitionVersion, type LibrarySnapshot } from './library-catalog';

const definition = (effect: string, minimum: string): Record<string, unknown> => ({
  properties: {
    displayName: 'Storage must use a minimum TLS version',
    description: 'Old TLS versions are broken.',
    mode: 'Indexed',
    parameters: { minimum: { type: 'String', defaultValue: minimum } },
    policyRule: {
      if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', notEquals: "[parameters('minimum')]" }] },
      then: { effect },
    },
  },
});
const v = (version: number, effect: string, minimum: string): LibraryDefinitionVersion => ({
  name: 'Storage-MinTLS',
  version,
  displayName: 'Storage must use a minimum TLS version',
  definition: definition(effect, minimum),
  extension: version === 2 ? { severity: 'high' } : {},
});
const snapshot = (versions: LibraryDefinitionVersion[], retired = false): LibrarySnapshot => ({
  definition: (name) => (name.toLowerCase() === 'storage-mintls' ? { versions, retired } : undefined),
  initiative: () => undefined,
});
const base = buildCatalog([], []);
const storage = (tls: string) => ({ key: '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st', name: 'st', id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st', type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: tls } });

describe('library definitions in the catalog', () => {
  const catalog = withLibrary(base, snapshot([v(1, 'audit', 'TLS1_2'), v(2, 'audit', 'TLS1_3')]));

  it('names a version, or the latest when none is named', () => {
    expect(parseLibraryBaselineId('lib-definition:Storage-MinTLS@2')).toEqual({ scope: 'provider', kind: 'definition', name: 'storage-mintls', version: 2 });
    expect(parseLibraryBaselineId('lib-definition:storage-mintls')).toEqual({ scope: 'provider', kind: 'definition', name: 'storage-mintls' });
    expect(parseLibraryBaselineId('lib-definition:x@0')).toBeUndefined();
    expect(parseLibraryBaselineId('landing-zone-core')).toBeUndefined();
    expect(catalog.baselines.get('lib-definition:Storage-MinTLS')?.id).toBe('lib-definition:storage-mintls@2');
    expect(catalog.baselines.get('lib-definition:storage-mintls@1')?.guardrailKeys).toEqual({ 'lib:storage-mintls': 'lib:storage-mintls@1' });
    expect(catalog.baselines.get('lib-definition:storage-mintls@3')).toBeUndefined();
    expect(catalog.guardrails.get('lib:storage-mintls')?.guardrail).toMatchObject({ id: 'lib:storage-mintls', severity: 'high', remediation: 'Old TLS versions are broken.', playbookId: 'harden-configuration' });
    expect(catalog.guardrails.get('lib:storage-mintls@1')?.guardrail.severity).toBe('medium');
  });

  it('no longer offers a retired definition to new assignments, while its versions still evaluate', () => {
    const retired = withLibrary(base, snapshot([v(1, 'audit', 'TLS1_2')], true));
    expect(retired.baselines.get('lib-definition:storage-mintls')).toBeUndefined();
    expect(retired.baselines.get('lib-definition:storage-mintls@1')).toBeDefined();
  });

  it('evaluates each assignment with its version, under one guardrail id', () => {
    const policy = (baselineId: string) => ({ ...initialTenantGuardrails(), assignments: new Map([['lz', { assignmentId: 'lz', baselineId, scope: '*', parameters: {} }]]) });
    const at = (baselineId: string, tls: string) => evaluateResource(catalog, policy(baselineId), storage(tls), { now: new Date() })[0];
    expect(at('lib-definition:storage-mintls@1', 'TLS1_2')).toMatchObject({ guardrailId: 'lib:storage-mintls', baselineId: 'lib-definition:storage-mintls@1', state: 'compliant' });
    expect(at('lib-definition:storage-mintls@2', 'TLS1_2')).toMatchObject({ guardrailId: 'lib:storage-mintls', baselineId: 'lib-definition:storage-mintls@2', state: 'nonCompliant', severity: 'high' });
  });
});

describe("a tenant's library assignments", () => {
  const catalog = withLibrary(base, snapshot([v(1, 'audit', 'TLS1_2'), v(2, 'audit', 'TLS1_3')]));
  const given = givenWhenThen(tenantGuardrailsDecider(catalog));
  const assigned = (baselineId: string, libraryVersion?: number): TenantGuardrailsEvent => ({
    type: 'guardrails.BaselineAssigned.v1',
    data: { assignmentId: 'lz', baselineId, scope: '*', parameters: {}, ...(libraryVersion ? { libraryVersion } : {}) },
  });

  it('records the version in force when assigned to follow the latest, and none when pinned', () => {
    given().when({ kind: 'AssignBaseline', assignmentId: 'lz', baselineId: 'lib-definition:Storage-MinTLS', scope: '*' }).then(assigned('lib-definition:storage-mintls', 2));
    given().when({ kind: 'AssignBaseline', assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@1', scope: '*' }).then(assigned('lib-definition:storage-mintls@1'));
    given().when({ kind: 'AssignBaseline', assignmentId: 'lz', baselineId: 'lib-definition:nope', scope: '*' }).thenRejects('unknown-baseline');
    const state = [assigned('lib-definition:storage-mintls', 2)].reduce(evolveTenantGuardrails, initialTenantGuardrails());
    expect(state.assignments.get('lz')).toEqual({ assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@2', follows: 'lib-definition:storage-mintls', scope: '*', parameters: {} });
  });

  it('adopts a newer version only forward, and only when following', () => {
    given(assigned('lib-definition:storage-mintls', 1))
      .when({ kind: 'AdoptLibraryVersion', assignmentId: 'lz', version: 2 })
      .then({ type: 'guardrails.LibraryVersionSet.v1', data: { assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@2', version: 2, follow: true, change: 'adopted' } });
    given(assigned('lib-definition:storage-mintls', 2)).when({ kind: 'AdoptLibraryVersion', assignmentId: 'lz', version: 2 }).thenRejects('version-not-newer');
    given(assigned('lib-definition:storage-mintls@1')).when({ kind: 'AdoptLibraryVersion', assignmentId: 'lz', version: 2 }).thenRejects('assignment-pinned');
    given(assigned('landing-zone-core')).when({ kind: 'AdoptLibraryVersion', assignmentId: 'lz', version: 2 }).thenRejects('not-a-library-assignment');
  });

  it('rolls back by pinning a version, then follows the latest again', () => {
    const pinned: TenantGuardrailsEvent = { type: 'guardrails.LibraryVersionSet.v1', data: { assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@1', version: 1, follow: false, change: 'pinned' } };
    given(assigned('lib-definition:storage-mintls', 2)).when({ kind: 'PinLibraryVersion', assignmentId: 'lz', version: 1 }).then(pinned);
    given(assigned('lib-definition:storage-mintls', 2), pinned)
      .when({ kind: 'PinLibraryVersion', assignmentId: 'lz' })
      .then({ type: 'guardrails.LibraryVersionSet.v1', data: { assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@2', version: 2, follow: true, change: 'followed' } });
    given(assigned('lib-definition:storage-mintls', 2)).when({ kind: 'PinLibraryVersion', assignmentId: 'lz', version: 7 }).thenRejects('unknown-version');
    // already where asked: nothing to record
    given(assigned('lib-definition:storage-mintls', 2), pinned).when({ kind: 'PinLibraryVersion', assignmentId: 'lz', version: 1 }).then();
    const state = [assigned('lib-definition:storage-mintls', 2), pinned].reduce(evolveTenantGuardrails, initialTenantGuardrails());
    expect(state.assignments.get('lz')).toEqual({ assignmentId: 'lz', baselineId: 'lib-definition:storage-mintls@1', scope: '*', parameters: {} });
    expect(libraryBaselineId('Storage-MinTLS', 3)).toBe('lib-definition:storage-mintls@3');
  });
});

describe("a tenant's own library in its catalog", () => {
  const provider = snapshot([v(1, 'audit', 'TLS1_2')]);
  const own = snapshot([v(1, 'audit', 'TLS1_3'), v(2, 'deny', 'TLS1_3')]);
  const tenantCatalog = withLibrary(base, provider, own);
  const providerCatalog = withLibrary(base, provider);

  it('has ids of its own, beside the provider definition of the same name, and only in that tenant catalog', () => {
    expect(parseLibraryBaselineId('tenant-definition:Storage-MinTLS@2')).toEqual({ scope: 'tenant', kind: 'definition', name: 'storage-mintls', version: 2 });
    expect(libraryBaselineId('Storage-MinTLS', undefined, 'initiative', 'tenant')).toBe('tenant-initiative:storage-mintls');
    expect(tenantCatalog.baselines.get('tenant-definition:storage-mintls')).toMatchObject({ id: 'tenant-definition:storage-mintls@2', guardrailKeys: { 'tlib:storage-mintls': 'tlib:storage-mintls@2' } });
    expect(tenantCatalog.baselines.get('lib-definition:storage-mintls')?.id).toBe('lib-definition:storage-mintls@1');
    expect(tenantCatalog.guardrails.get('tlib:storage-mintls@1')?.guardrail).toMatchObject({ id: 'tlib:storage-mintls', source: 'tenant-library:Storage-MinTLS@1' });
    expect(providerCatalog.baselines.get('tenant-definition:storage-mintls')).toBeUndefined();
    expect(providerCatalog.guardrails.get('tlib:storage-mintls')).toBeUndefined();
  });

  it('evaluates each library with its own rule', () => {
    const policy = (baselineId: string) => ({ ...initialTenantGuardrails(), assignments: new Map([['a', { assignmentId: 'a', baselineId, scope: '*', parameters: {} }]]) });
    const at = (baselineId: string) => evaluateResource(tenantCatalog, policy(baselineId), storage('TLS1_2'), { now: new Date() })[0];
    expect(at('lib-definition:storage-mintls@1')).toMatchObject({ guardrailId: 'lib:storage-mintls', state: 'compliant' });
    expect(at('tenant-definition:storage-mintls@1')).toMatchObject({ guardrailId: 'tlib:storage-mintls', state: 'nonCompliant' });
  });
});
