// Read model "api-key-directory": one document per API key, to find a key by id when it is
// presented and to list a tenant's keys. Revocation is also checked against the key's own
// stream at authentication time, so it takes effect before this projection catches up.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import { API_KEY_EVENT_TYPES, type ApiKeyEvent, type ApiKeyRole } from '../events';

export interface ApiKeyEntry {
  readonly keyId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly roles: readonly ApiKeyRole[];
  readonly secretSha256: string;
  readonly expiresAt: string;
  readonly issuedAt: string;
  /** The person who issued the key and answers for it. */
  readonly issuedBy: string;
  /** The SOC team a key with SOC roles works for. */
  readonly socTeam?: string;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
}


export const apiKeyDirectory = {
  name: 'api-key-directory',
  version: 1,
  table: 'api_key_directory',
  eventTypes: API_KEY_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => (event.data as { keyId: string }).keyId,
  evolve: (entry: ApiKeyEntry | undefined, raw: ProjectedEvent): ApiKeyEntry | null => {
    const event = raw as unknown as ApiKeyEvent;
    switch (event.type) {
      case 'tenancy.ApiKeyIssued.v1':
        return {
          keyId: event.data.keyId,
          tenantId: event.data.tenantId,
          name: event.data.name,
          roles: event.data.roles,
          secretSha256: event.data.secretSha256,
          expiresAt: event.data.expiresAt,
          issuedAt: raw.recordedAt,
          issuedBy: event.data.issuedBy?.id ?? raw.metadata.actor.id,
          ...(event.data.socTeam ? { socTeam: event.data.socTeam } : {}),
          revokedAt: null,
          revokedReason: null,
        };
      case 'tenancy.ApiKeyRevoked.v1':
        return entry ? { ...entry, revokedAt: raw.recordedAt, revokedReason: event.data.reason } : null;
      default:
        return entry ?? null;
    }
  },
};
