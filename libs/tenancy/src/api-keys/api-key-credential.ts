// What presenting an API key means, derived from the key's own stream (the source of truth, read
// at every authentication, so a revocation holds at once on every replica): its grants, the person
// who answers for it, and whether it may be used at all. Keys issued before the issuer rules
// (no `issuedBy` in the event) are judged by the same rules from the event's recorded actor: a
// key another key issued, or one staff issued with customer roles, is refused, not trusted.
import type { RoleGrant } from '@rampart/auth';
import type { RecordedEvent } from '@rampart/event-sourcing';
import type { ApiKeyEvent, ApiKeyIssued } from '../events';

export type KeyCredential =
  | {
      readonly valid: true;
      readonly tenantId: string;
      readonly keyId: string;
      readonly name: string;
      readonly grants: readonly RoleGrant[];
      readonly issuedBy: { readonly id: string; readonly staff: boolean };
      readonly expiresAt: string;
    }
  | { readonly valid: false; readonly reason: 'unknown' | 'revoked' | 'not-allowed'; readonly message: string };

const CUSTOMER_ROLES = new Set(['customer.viewer', 'customer.admin']);

export const keyCredentialOf = (history: readonly RecordedEvent[]): KeyCredential => {
  const events = history as unknown as readonly (RecordedEvent & ApiKeyEvent)[];
  const issued = events.find((e): e is RecordedEvent & ApiKeyIssued => e.type === 'tenancy.ApiKeyIssued.v1');
  if (!issued) return { valid: false, reason: 'unknown', message: 'API key refused' };
  if (events.some((e) => e.type === 'tenancy.ApiKeyRevoked.v1')) return { valid: false, reason: 'revoked', message: 'API key revoked' };
  const { data } = issued;
  const actor = issued.metadata.actor;
  if (!data.issuedBy && actor.kind === 'api-key') {
    return { valid: false, reason: 'not-allowed', message: 'this key was issued by another API key, which Rampart no longer allows; a person must issue a new one' };
  }
  const issuedBy = data.issuedBy ?? { id: actor.id, staff: actor.onBehalfOfTenant !== undefined };
  const customer = data.roles.filter((r) => CUSTOMER_ROLES.has(r));
  const soc = data.roles.filter((r) => !CUSTOMER_ROLES.has(r));
  if (issuedBy.staff && customer.length > 0) {
    return { valid: false, reason: 'not-allowed', message: "this key was issued by staff with customer roles, which Rampart no longer allows; the tenant's customer admin must issue it" };
  }
  if (soc.length > 0 && (!issuedBy.staff || !data.socTeam || customer.length > 0)) {
    return { valid: false, reason: 'not-allowed', message: 'this key carries SOC roles without a SOC lead behind it' };
  }
  const grants: RoleGrant[] = data.roles.map((role) =>
    role === 'soc.analyst' || role === 'soc.lead' ? { role, socTeam: data.socTeam as string, tenantId: data.tenantId } : { role, tenantId: data.tenantId },
  );
  return { valid: true, tenantId: data.tenantId, keyId: data.keyId, name: data.name, grants, issuedBy, expiresAt: data.expiresAt };
};
