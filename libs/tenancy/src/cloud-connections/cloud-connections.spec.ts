import { givenWhenThen } from '@rampart/event-sourcing';
import { tenantDecider } from '../decider';
import type { CloudConnectionAdded, TenantOffboarded, TenantOnboarded } from '../events';
import type { AddCloudConnection } from './cloud-connections';

const given = givenWhenThen(tenantDecider);
const onboarded: TenantOnboarded = {
  type: 'tenancy.TenantOnboarded.v1',
  data: { tenantId: 'contoso', displayName: 'Contoso', sector: 'finance', contactEmail: 'a@contoso.example' },
};
const SUB = '00000000-0000-0000-0000-00000000000a';
const DIR = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const add = (overrides: Partial<AddCloudConnection> = {}): AddCloudConnection => ({
  kind: 'AddCloudConnection',
  tenantId: 'contoso',
  connectionId: 'prod',
  entraTenantId: DIR.toUpperCase(),
  subscriptions: [SUB, SUB.toUpperCase()],
  managementGroups: [],
  credentialReference: 'contoso',
  ...overrides,
});
const added: CloudConnectionAdded = {
  type: 'tenancy.CloudConnectionAdded.v1',
  data: { tenantId: 'contoso', connectionId: 'prod', provider: 'azure', entraTenantId: DIR, subscriptions: [SUB], managementGroups: [], credentialReference: 'contoso' },
};
const offboarded: TenantOffboarded = { type: 'tenancy.TenantOffboarded.v1', data: { tenantId: 'contoso', reason: 'contract ended' } };

describe('cloud connections', () => {
  it('adds a connection with a credential reference, normalising ids', () => given(onboarded).when(add()).then(added));

  it.each([
    ['tenant-not-found', [], {}],
    ['connection-exists', [added], {}],
    ['invalid-connection-id', [], { connectionId: 'Prod Subscription' }],
    ['invalid-entra-tenant-id', [], { entraTenantId: 'contoso.onmicrosoft.com' }],
    ['empty-scope', [], { subscriptions: [] }],
    ['invalid-subscription-id', [], { subscriptions: ['prod'] }],
    ['invalid-credential-reference', [], { credentialReference: 'Xk9~secret-value-pasted-by-mistake==' }],
  ])('refuses with %s', (code, history, overrides) => {
    given(...(history.length || code !== 'tenant-not-found' ? [onboarded, ...(history as CloudConnectionAdded[])] : []))
      .when(add(overrides as Partial<AddCloudConnection>))
      .thenRejects(code);
  });

  it('removes only a known connection', () => {
    given(onboarded, added)
      .when({ kind: 'RemoveCloudConnection', tenantId: 'contoso', connectionId: 'prod' })
      .then({ type: 'tenancy.CloudConnectionRemoved.v1', data: { tenantId: 'contoso', connectionId: 'prod' } });
    given(onboarded).when({ kind: 'RemoveCloudConnection', tenantId: 'contoso', connectionId: 'prod' }).thenRejects('unknown-connection');
  });

  it('offboards with a reason, after which the tenant accepts no change', () => {
    given(onboarded).when({ kind: 'OffboardTenant', tenantId: 'contoso', reason: 'contract ended' }).then(offboarded);
    given(onboarded).when({ kind: 'OffboardTenant', tenantId: 'contoso', reason: ' ' }).thenRejects('reason-required');
    given(onboarded, offboarded).when(add()).thenRejects('tenant-offboarded');
    given(onboarded, offboarded).when({ kind: 'AssignSocTeam', tenantId: 'contoso', socTeam: 'blue' }).thenRejects('tenant-offboarded');
    given(onboarded, offboarded).when({ kind: 'ReinstateTenant', tenantId: 'contoso' }).thenRejects('tenant-offboarded');
  });

  it('keeps the connections in the tenant state', () => {
    const state = given(onboarded, added).state();
    expect(state.exists && [...state.connections.keys()]).toEqual(['prod']);
  });
});
