// The API key aggregate: issued once, revoked at most once. Lives in its own stream in the
// tenant's history (`t-<tenant>:apikey-<keyId>`), so issuing and revoking are in the audit trail.
import type { RoleGrant } from '@rampart/auth';
import { isRejection, reject, streamIdFor, type Decider, type Decision, type Rejection } from '@rampart/event-sourcing';
import { API_KEY_ROLES, type ApiKeyEvent, type ApiKeyRole } from '../events';

/**
 * Who asks for a key. A key never holds more than its issuer: its grants are a subset of the
 * issuer's in the key's tenant, customer roles come only from the customer's own admin (staff who
 * need a key get a SOC key, and their work through it stays "on behalf of" the tenant), and keys
 * cannot issue keys.
 */
export interface KeyIssuer {
  readonly kind: 'user' | 'api-key';
  /** The person: a user's id (an API key's issuer never reaches here: keys cannot issue keys). */
  readonly id: string;
  /** The issuer's grants that reach the key's tenant (SOC grants only through teams assigned to it). */
  readonly grantsInTenant: readonly RoleGrant[];
}

const CUSTOMER_KEY_ROLES: readonly ApiKeyRole[] = ['customer.viewer', 'customer.admin'];
const SOC_KEY_ROLES: readonly ApiKeyRole[] = ['soc.analyst', 'soc.lead'];

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
  readonly issuer: KeyIssuer;
}

export interface RevokeApiKey {
  readonly kind: 'RevokeApiKey';
  readonly keyId: string;
  readonly reason: string;
  /** Keys cannot manage keys: a leaked one must not be able to revoke the others. */
  readonly by: 'user' | 'api-key';
}

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;

export const MAX_API_KEY_LIFETIME_DAYS = 366;
const DAY = 86_400_000;

/** The grants a key may carry for this issuer, or why not. */
const keyGrantsFor = (issuer: KeyIssuer, roles: readonly ApiKeyRole[]): { socTeam?: string; staff: boolean } | Rejection => {
  const customer = roles.filter((r) => CUSTOMER_KEY_ROLES.includes(r));
  const soc = roles.filter((r) => SOC_KEY_ROLES.includes(r));
  if (customer.length > 0 && soc.length > 0) return reject('mixed-roles', "a key carries either the customer's roles or the SOC's, not both");
  if (customer.length > 0) {
    if (!issuer.grantsInTenant.some((g) => g.role === 'customer.admin')) {
      return reject('role-not-held', "keys with customer roles are issued by the tenant's customer admin; SOC and platform staff act as staff, with a SOC key");
    }
    return { staff: false };
  }
  const teams = issuer.grantsInTenant.flatMap((g) => (g.role === 'soc.lead' && g.tenantId === undefined ? [g.socTeam] : [])).sort();
  if (teams.length === 0) return reject('role-not-held', 'keys with SOC roles are issued by a lead of a SOC team assigned to the tenant');
  return { socTeam: teams[0], staff: true };
};

const decideIssue = (cmd: IssueApiKey, key: ApiKey): Decision<ApiKeyEvent> => {
  if (key.exists) return reject('api-key-exists');
  if (cmd.issuer.kind === 'api-key') return reject('api-keys-cannot-issue-keys', 'an API key cannot issue keys; a person does, signed in as themselves');
  const name = cmd.name.trim();
  if (!name || name.length > 100) return reject('invalid-name', 'give the key a name of 1-100 characters');
  if (cmd.roles.length === 0 || !cmd.roles.every((r) => (API_KEY_ROLES as readonly string[]).includes(r))) {
    return reject('invalid-roles', `an API key carries one or more of ${API_KEY_ROLES.join(', ')}`);
  }
  const roles = [...new Set(cmd.roles)] as ApiKeyRole[];
  const grants = keyGrantsFor(cmd.issuer, roles);
  if (isRejection(grants)) return grants;
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
        roles,
        secretSha256: cmd.secretSha256,
        expiresAt: cmd.expiresAt.toISOString(),
        ...(grants.socTeam ? { socTeam: grants.socTeam } : {}),
        issuedBy: { id: cmd.issuer.id, staff: grants.staff },
      },
    },
  ];
};

const decideRevoke = (cmd: RevokeApiKey, key: ApiKey): Decision<ApiKeyEvent> => {
  if (cmd.by === 'api-key') return reject('api-keys-cannot-manage-keys', 'an API key cannot revoke keys; a person does, signed in as themselves');
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
