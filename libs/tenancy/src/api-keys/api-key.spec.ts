import type { RoleGrant } from '@rampart/auth';
import { givenWhenThen, type RecordedEvent } from '@rampart/event-sourcing';
import type { ApiKeyIssued } from '../events';
import { apiKeyDecider, type IssueApiKey, type KeyIssuer } from './api-key';
import { keyCredentialOf } from './api-key-credential';

const given = givenWhenThen(apiKeyDecider);
const now = new Date('2026-11-29T10:00:00Z');
const hash = 'a'.repeat(64);
const customerAdmin: KeyIssuer = { kind: 'user', id: 'it@contoso.example', grantsInTenant: [{ role: 'customer.admin', tenantId: 'contoso' }] };
const socLead: KeyIssuer = { kind: 'user', id: 'lead@soc.example', grantsInTenant: [{ role: 'soc.lead', socTeam: 'blue' }] };
const issue = (overrides: Partial<IssueApiKey> = {}): IssueApiKey => ({
  kind: 'IssueApiKey',
  tenantId: 'contoso',
  keyId: 'k1',
  name: ' SIEM export ',
  roles: ['customer.viewer', 'customer.viewer'],
  secretSha256: hash,
  expiresAt: new Date('2027-05-29T10:00:00Z'),
  now,
  issuer: customerAdmin,
  ...overrides,
});
const issued: ApiKeyIssued = {
  type: 'tenancy.ApiKeyIssued.v1',
  data: {
    tenantId: 'contoso',
    keyId: 'k1',
    name: 'SIEM export',
    roles: ['customer.viewer'],
    secretSha256: hash,
    expiresAt: '2027-05-29T10:00:00.000Z',
    issuedBy: { id: 'it@contoso.example', staff: false },
  },
};

describe('API keys', () => {
  it('issues a key recording only the hash of its secret, and who answers for it', () => given().when(issue()).then(issued));
  it('refuses to issue the same key twice', () => given(issued).when(issue()).thenRejects('api-key-exists'));
  it.each([
    ['invalid-name', { name: '  ' }],
    ['invalid-roles', { roles: [] }],
    ['invalid-roles', { roles: ['platform.admin'] }],
    ['invalid-roles', { roles: ['auditor'] }],
    ['invalid-secret-hash', { secretSha256: 'plaintext-secret' }],
    ['expiry-in-past', { expiresAt: new Date('2026-11-28T10:00:00Z') }],
    ['expiry-too-far', { expiresAt: new Date('2028-11-29T10:00:00Z') }],
  ])('refuses with %s', (code, overrides) => given().when(issue(overrides as Partial<IssueApiKey>)).thenRejects(code));

  describe("a key never holds more than its issuer", () => {
    it('lets a SOC lead issue SOC keys for their team, working on behalf of the tenant', () =>
      given()
        .when(issue({ roles: ['soc.analyst'], issuer: socLead }))
        .then({ ...issued, data: { ...issued.data, roles: ['soc.analyst'], socTeam: 'blue', issuedBy: { id: 'lead@soc.example', staff: true } } }));
    it.each<[string, KeyIssuer, string[]]>([
      ['a SOC lead asking for a customer admin key', socLead, ['customer.admin']],
      ['a SOC lead asking for a customer viewer key', socLead, ['customer.viewer']],
      ['a platform admin asking for a customer key', { kind: 'user', id: 'root@rampart.example', grantsInTenant: [{ role: 'platform.admin' }] }, ['customer.admin']],
      ['a platform admin asking for a SOC key', { kind: 'user', id: 'root@rampart.example', grantsInTenant: [{ role: 'platform.admin' }] }, ['soc.lead']],
      ['a customer admin asking for a SOC key', customerAdmin, ['soc.analyst']],
      ['a SOC analyst asking for a SOC key', { kind: 'user', id: 'ana@soc.example', grantsInTenant: [{ role: 'soc.analyst', socTeam: 'blue' }] }, ['soc.analyst']],
      ['a customer viewer asking for a viewer key', { kind: 'user', id: 'v@contoso.example', grantsInTenant: [{ role: 'customer.viewer', tenantId: 'contoso' }] }, ['customer.viewer']],
      ['someone with no grant in the tenant', { kind: 'user', id: 'x@elsewhere.example', grantsInTenant: [] }, ['customer.viewer']],
    ])('refuses %s', (_label, issuer, roles) => given().when(issue({ issuer, roles })).thenRejects('role-not-held'));
    it('refuses mixing customer and SOC roles in one key', () =>
      given()
        .when(issue({ roles: ['customer.viewer', 'soc.analyst'], issuer: { ...customerAdmin, grantsInTenant: [...customerAdmin.grantsInTenant, ...socLead.grantsInTenant] } }))
        .thenRejects('mixed-roles'));
    it('refuses keys issued by keys, and keys revoking keys', () => {
      given().when(issue({ issuer: { ...customerAdmin, kind: 'api-key' } })).thenRejects('api-keys-cannot-issue-keys');
      given(issued).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'leaked', by: 'api-key' }).thenRejects('api-keys-cannot-manage-keys');
    });
  });

  it('revokes once, with a reason', () => {
    const revoked = { type: 'tenancy.ApiKeyRevoked.v1' as const, data: { tenantId: 'contoso', keyId: 'k1', reason: 'leaked' } };
    given(issued).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'leaked', by: 'user' }).then(revoked);
    given(issued, revoked).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'again', by: 'user' }).thenRejects('api-key-already-revoked');
    given().when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'x', by: 'user' }).thenRejects('api-key-not-found');
    given(issued).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: ' ', by: 'user' }).thenRejects('reason-required');
  });
});

describe('what presenting a key means', () => {
  const recorded = (data: Partial<ApiKeyIssued['data']>, actor: RecordedEvent['metadata']['actor'], type = 'tenancy.ApiKeyIssued.v1'): RecordedEvent =>
    ({
      type,
      data: { ...issued.data, ...data },
      eventId: 'e1',
      streamId: 't-contoso:apikey-k1',
      revision: 0,
      globalPosition: { commit: 1n, prepare: 1n },
      recordedAt: now.toISOString(),
      metadata: { tenantId: 'contoso', actor, correlationId: 'c', causationId: null, occurredAt: now.toISOString(), schemaVersion: 1 },
    }) as RecordedEvent;
  const user = { kind: 'user' as const, id: 'it@contoso.example' };

  it('gives a customer key its roles in its tenant and its issuer', () =>
    expect(keyCredentialOf([recorded({ roles: ['customer.admin'] }, user)])).toEqual({
      valid: true,
      tenantId: 'contoso',
      keyId: 'k1',
      name: 'SIEM export',
      grants: [{ role: 'customer.admin', tenantId: 'contoso' }],
      issuedBy: { id: 'it@contoso.example', staff: false },
      expiresAt: '2027-05-29T10:00:00.000Z',
    }));
  it("narrows a SOC key to its tenant, through its team's assignment", () => {
    const credential = keyCredentialOf([recorded({ roles: ['soc.lead'], socTeam: 'blue', issuedBy: { id: 'lead@soc.example', staff: true } }, { ...user, onBehalfOfTenant: 'contoso' })]);
    expect(credential).toMatchObject({ valid: true, grants: [{ role: 'soc.lead', socTeam: 'blue', tenantId: 'contoso' } satisfies RoleGrant] });
  });
  it('refuses a revoked or unknown key', () => {
    expect(keyCredentialOf([])).toMatchObject({ valid: false, reason: 'unknown' });
    expect(keyCredentialOf([recorded({}, user), recorded({}, user, 'tenancy.ApiKeyRevoked.v1')])).toMatchObject({ valid: false, reason: 'revoked' });
  });
  it('judges keys issued before the issuer rules by their recorded actor', () => {
    const legacy = { issuedBy: undefined, roles: ['customer.admin'] as ApiKeyIssued['data']['roles'] };
    expect(keyCredentialOf([recorded(legacy, user)])).toMatchObject({ valid: true, issuedBy: { id: 'it@contoso.example', staff: false } });
    expect(keyCredentialOf([recorded(legacy, { kind: 'user', id: 'lead@soc.example', onBehalfOfTenant: 'contoso' })])).toMatchObject({ valid: false, reason: 'not-allowed' });
    expect(keyCredentialOf([recorded(legacy, { kind: 'api-key', id: 'k0' })])).toMatchObject({ valid: false, reason: 'not-allowed' });
  });
});
