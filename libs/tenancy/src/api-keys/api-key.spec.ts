import { givenWhenThen } from '@rampart/event-sourcing';
import type { ApiKeyIssued } from '../events';
import { apiKeyDecider, type IssueApiKey } from './api-key';

const given = givenWhenThen(apiKeyDecider);
const now = new Date('2026-11-29T10:00:00Z');
const hash = 'a'.repeat(64);
const issue = (overrides: Partial<IssueApiKey> = {}): IssueApiKey => ({
  kind: 'IssueApiKey',
  tenantId: 'contoso',
  keyId: 'k1',
  name: ' SIEM export ',
  roles: ['customer.viewer', 'customer.viewer'],
  secretSha256: hash,
  expiresAt: new Date('2027-05-29T10:00:00Z'),
  now,
  ...overrides,
});
const issued: ApiKeyIssued = {
  type: 'tenancy.ApiKeyIssued.v1',
  data: { tenantId: 'contoso', keyId: 'k1', name: 'SIEM export', roles: ['customer.viewer'], secretSha256: hash, expiresAt: '2027-05-29T10:00:00.000Z' },
};

describe('API keys', () => {
  it('issues a key recording only the hash of its secret', () => given().when(issue()).then(issued));
  it('refuses to issue the same key twice', () => given(issued).when(issue()).thenRejects('api-key-exists'));
  it.each([
    ['invalid-name', { name: '  ' }],
    ['invalid-roles', { roles: [] }],
    ['invalid-roles', { roles: ['platform.admin'] }],
    ['invalid-roles', { roles: ['soc.lead'] }],
    ['invalid-secret-hash', { secretSha256: 'plaintext-secret' }],
    ['expiry-in-past', { expiresAt: new Date('2026-11-28T10:00:00Z') }],
    ['expiry-too-far', { expiresAt: new Date('2028-11-29T10:00:00Z') }],
  ])('refuses with %s', (code, overrides) => given().when(issue(overrides as Partial<IssueApiKey>)).thenRejects(code));
  it('revokes once, with a reason', () => {
    const revoked = { type: 'tenancy.ApiKeyRevoked.v1' as const, data: { tenantId: 'contoso', keyId: 'k1', reason: 'leaked' } };
    given(issued).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'leaked' }).then(revoked);
    given(issued, revoked).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'again' }).thenRejects('api-key-already-revoked');
    given().when({ kind: 'RevokeApiKey', keyId: 'k1', reason: 'x' }).thenRejects('api-key-not-found');
    given(issued).when({ kind: 'RevokeApiKey', keyId: 'k1', reason: ' ' }).thenRejects('reason-required');
  });
});
