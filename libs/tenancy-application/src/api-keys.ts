// Tenancy's use cases for API keys. A key lives in its own stream, so the tenant's standing is asked
// here (the tenant decider cannot see it): no new key for a suspended or offboarded tenant, while a
// key of a tenant that exists can always be revoked. The GraphQL API calls these; nothing else issues keys.
import { generateApiKey } from '@rampart/auth';
import { handleCommand, type CommandContext, type EventStore, type Rejection, type TenantStanding } from '@rampart/event-sourcing';
import { apiKeyDecider, apiKeyStreamId, TENANCY_COMMAND_INTENTS, type KeyIssuer } from '@rampart/tenancy';
import { tenantStanding } from './tenant-standing';

export interface ApiKeyDeps {
  readonly eventStore: EventStore;
  /** Default: tenancy's rule over the tenant's own stream. */
  readonly standing?: TenantStanding;
}

export interface ApiKeyRequest {
  readonly name: string;
  readonly roles: readonly string[];
  readonly expiresAt: Date;
  readonly issuer: KeyIssuer;
}

/** The key as its holder must keep it: `token` is shown once and stored nowhere (only its digest is). */
export interface IssuedApiKey {
  readonly keyId: string;
  readonly token: string;
  readonly expiresAt: Date;
}

export type ApiKeyOutcome<T> = { readonly ok: true; readonly value: T; readonly revision: number } | { readonly ok: false; readonly rejection: Rejection };

const standingFrom = (deps: ApiKeyDeps): TenantStanding => deps.standing ?? tenantStanding(deps.eventStore);

export const issueApiKey = async (deps: ApiKeyDeps, context: CommandContext, request: ApiKeyRequest): Promise<ApiKeyOutcome<IssuedApiKey>> => {
  const refused = await standingFrom(deps)(context.tenantId, TENANCY_COMMAND_INTENTS.IssueApiKey);
  if (refused) return { ok: false, rejection: refused };
  const key = generateApiKey();
  const outcome = await handleCommand(
    deps.eventStore,
    apiKeyDecider,
    apiKeyStreamId(context.tenantId, key.keyId),
    { kind: 'IssueApiKey', tenantId: context.tenantId, keyId: key.keyId, secretSha256: key.secretSha256, now: context.now, ...request },
    context,
  );
  if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
  return { ok: true, value: { keyId: key.keyId, token: key.token, expiresAt: request.expiresAt }, revision: outcome.append?.nextExpectedRevision ?? -1 };
};

export const revokeApiKey = async (
  deps: ApiKeyDeps,
  context: CommandContext,
  request: { readonly keyId: string; readonly reason: string; readonly by: 'user' | 'api-key' },
): Promise<ApiKeyOutcome<{ readonly keyId: string }>> => {
  const refused = await standingFrom(deps)(context.tenantId, TENANCY_COMMAND_INTENTS.RevokeApiKey);
  if (refused) return { ok: false, rejection: refused };
  const outcome = await handleCommand(deps.eventStore, apiKeyDecider, apiKeyStreamId(context.tenantId, request.keyId), { kind: 'RevokeApiKey', ...request }, context);
  if (!outcome.ok) return { ok: false, rejection: outcome.rejection };
  return { ok: true, value: { keyId: request.keyId }, revision: outcome.append?.nextExpectedRevision ?? -1 };
};
