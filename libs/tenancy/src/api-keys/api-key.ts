// The API key aggregate: issued once, revoked at most once. Lives in its own stream in the
// tenant's history (`t-<tenant>:apikey-<keyId>`), so issuing and revoking are in the audit trail.
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import { API_KEY_ROLES, type ApiKeyEvent, type ApiKeyRole } from '../events';

export type ApiKey =
  | { readonly exists: false }
  | { readonly exists: true; readonly tenantId: string; readonly keyId: string; readonly revoked: boolean; readonly expiresAt: string };

export interface IssueApiKey {
  readonly kind: 'IssueApiKey';
  readonly tenantId: string;
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly secretSha256: string;
  readonly expiresAt: Date;
  readonly now: Date;
}

export interface RevokeApiKey {
  readonly kind: 'RevokeApiKey';
  readonly keyId: string;
  readonly reason: string;
}

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;

export const MAX_API_KEY_LIFETIME_DAYS = 366;
const DAY = 86_400_000;

const decideIssue = (cmd: IssueApiKey, key: ApiKey): Decision<ApiKeyEvent> => {
  if (key.exists) return reject('api-key-exists');
  const name = cmd.name.trim();
  if (!name || name.length > 100) return reject('invalid-name', 'give the key a name of 1-100 characters');
  if (cmd.roles.length === 0 || !cmd.roles.every((r) => (API_KEY_ROLES as readonly string[]).includes(r))) {
    return reject('invalid-roles', `an API key carries one or more of ${API_KEY_ROLES.join(', ')}`);
  }
  if (!/^[0-9a-f]{64}$/.test(cmd.secretSha256)) return reject('invalid-secret-hash');
  const lifetime = cmd.expiresAt.getTime() - cmd.now.getTime();
  if (!(lifetime > 0)) return reject('expiry-in-past');
  if (lifetime > MAX_API_KEY_LIFETIME_DAYS * DAY) return reject('expiry-too-far', `at most ${MAX_API_KEY_LIFETIME_DAYS} days`);
  return [
    {
      type: 'tenancy.ApiKeyIssued.v1',
      data: {
        tenantId: cmd.tenantId,
        keyId: cmd.keyId,
        name,
        roles: [...new Set(cmd.roles)] as ApiKeyRole[],
        secretSha256: cmd.secretSha256,
        expiresAt: cmd.expiresAt.toISOString(),
      },
    },
  ];
};

const decideRevoke = (cmd: RevokeApiKey, key: ApiKey): Decision<ApiKeyEvent> => {
  if (!key.exists) return reject('api-key-not-found');
  if (key.revoked) return reject('api-key-already-revoked');
  const reason = cmd.reason.trim();
  if (!reason) return reject('reason-required');
  return [{ type: 'tenancy.ApiKeyRevoked.v1', data: { tenantId: key.tenantId, keyId: key.keyId, reason } }];
};

export const apiKeyDecider: Decider<ApiKeyCommand, ApiKey, ApiKeyEvent> = {
  decide: (cmd, state) => (cmd.kind === 'IssueApiKey' ? decideIssue(cmd, state) : decideRevoke(cmd, state)),
  evolve: (state, event) => {
    switch (event.type) {
      case 'tenancy.ApiKeyIssued.v1':
        return { exists: true, tenantId: event.data.tenantId, keyId: event.data.keyId, revoked: false, expiresAt: event.data.expiresAt };
      case 'tenancy.ApiKeyRevoked.v1':
        return state.exists ? { ...state, revoked: true } : state;
      default:
        return state;
    }
  },
  initialState: () => ({ exists: false }),
};

export const apiKeyStreamId = (tenantId: string, keyId: string): string => streamIdFor(tenantId, 'apikey', keyId);
