// Turns request credentials into a Principal: an OIDC bearer token (Entra ID or any OIDC issuer),
// a token of the local development issuer, or an API key. Anything else is refused with a reason
// the client can act on; credentials never appear in errors or logs.
import { createHash } from 'node:crypto';
import { parseApiKey, secretMatches, type Principal, type RoleGrant } from '@rampart/auth';
import type { EventStore } from '@rampart/event-sourcing';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import type { SqlClient } from '@rampart/event-store';
import { apiKeyStreamId, keyCredentialOf, type ApiKeyEntry } from '@rampart/tenancy';
import { decodeJwt } from 'jose';
import { claimsToGrants, type RoleMap } from './claims-to-grants';
import { DEV_ISSUER, grantsFromDevToken, type DevIssuer } from './dev-issuer';
import { TokenRejectedError, type TokenVerifier, type VerifiedToken } from './oidc-verifier';

export class AuthenticationError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface AuthenticatorDeps {
  readonly oidc?: { verifier: TokenVerifier; roleMap: RoleMap; issuer: string };
  readonly devIssuer?: DevIssuer;
  readonly readModels: SqlClient;
  readonly eventStore: EventStore;
  readonly now?: () => Date;
}

export type Credentials = { kind: 'bearer'; token: string } | { kind: 'api-key'; token: string };

/** Who presented what, and until when it holds (a token's `exp`, a key's expiry). */
export interface AuthenticatedSession {
  readonly principal: Principal;
  readonly expiresAt: Date;
  readonly credentials: Credentials;
}

/** Reads `Authorization: Bearer …`, `Authorization: ApiKey …` or `X-Api-Key: …`. */
export const credentialsFrom = (headers: Record<string, string | string[] | undefined>): Credentials | undefined => {
  const header = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const authorization = header('authorization')?.trim();
  if (authorization) {
    const [scheme, ...rest] = authorization.split(/\s+/);
    const token = rest.join(' ');
    if (/^bearer$/i.test(scheme) && token) return { kind: 'bearer', token };
    if (/^apikey$/i.test(scheme) && token) return { kind: 'api-key', token };
    throw new AuthenticationError('unsupported-scheme', 'use "Authorization: Bearer <token>" or "Authorization: ApiKey <key>"');
  }
  const apiKey = header('x-api-key')?.trim();
  return apiKey ? { kind: 'api-key', token: apiKey } : undefined;
};

/**
 * Verified bearer tokens, kept until they expire (at most `ttlMs`): verifying an ES256/RS256
 * signature costs more than the rest of a typical request. Keyed by a hash of the token, so the
 * cache never holds a usable credential. API keys are never cached: their revocation is immediate.
 */
class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number; until: number }>();
  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  private key(token: string) {
    return createHash('sha256').update(token).digest('base64url');
  }

  get(token: string, now: number): { principal: Principal; expiresAt: number } | undefined {
    const key = this.key(token);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return hit;
  }

  set(token: string, principal: Principal, expiresAt: number, now: number): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string); // oldest first
    this.entries.set(this.key(token), { principal, expiresAt, until: Math.min(expiresAt, now + this.ttlMs) });
  }
}

export class Authenticator {
  private readonly verified = new VerifiedTokenCache();

  constructor(private readonly deps: AuthenticatorDeps) {}

  async authenticate(credentials: Credentials | undefined): Promise<Principal> {
    return (await this.authenticateSession(credentials)).principal;
  }

  /** The principal and how long the credential holds: a WebSocket closes when it stops holding. */
  async authenticateSession(credentials: Credentials | undefined): Promise<AuthenticatedSession> {
    if (!credentials) throw new AuthenticationError('missing', 'authentication required: send a bearer token or an API key');
    const { principal, expiresAt } = credentials.kind === 'bearer' ? await this.fromBearer(credentials.token) : await this.fromApiKey(credentials.token);
    return { principal, expiresAt, credentials };
  }

  private async fromBearer(token: string): Promise<{ principal: Principal; expiresAt: Date }> {
    const now = (this.deps.now ?? (() => new Date()))().getTime();
    const cached = this.verified.get(token, now);
    if (cached) return { principal: cached.principal, expiresAt: new Date(cached.expiresAt) };
    const { principal, expiresAt } = await this.verifyBearer(token);
    this.verified.set(token, principal, expiresAt.getTime(), now);
    return { principal, expiresAt };
  }

  private async verifyBearer(token: string): Promise<{ principal: Principal; expiresAt: Date }> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new AuthenticationError('malformed', 'the bearer token is not a JWT');
    }
    try {
      if (issuer === DEV_ISSUER) {
        if (!this.deps.devIssuer) throw new AuthenticationError('wrong-issuer', 'development tokens are not accepted here');
        const verified = await this.deps.devIssuer.verifier().verify(token);
        return { principal: this.principal(verified, grantsFromDevToken(verified.claims)), expiresAt: verified.expiresAt };
      }
      if (!this.deps.oidc) throw new AuthenticationError('wrong-issuer', 'no token issuer is configured for bearer tokens');
      const verified = await this.deps.oidc.verifier.verify(token);
      return { principal: this.principal(verified, claimsToGrants(verified.claims, this.deps.oidc.roleMap)), expiresAt: verified.expiresAt };
    } catch (error) {
      if (error instanceof TokenRejectedError) throw new AuthenticationError(error.reason, `bearer token refused: ${error.reason}`);
      throw error;
    }
  }

  private principal(token: VerifiedToken, grants: RoleGrant[]): Principal {
    return {
      kind: 'user',
      id: token.objectId ?? token.subject,
      displayName: token.name,
      issuerTenant: token.issuerTenant,
      grants,
    };
  }

  private async fromApiKey(token: string): Promise<{ principal: Principal; expiresAt: Date }> {
    const parsed = parseApiKey(token);
    if (!parsed) throw new AuthenticationError('malformed', 'the API key is not in the rmp_<id>_<secret> format');
    const { rows } = await this.deps.readModels.query<{ doc: ApiKeyEntry }>(
      `SELECT doc FROM "${READ_MODEL_SCHEMA}".api_key_directory WHERE id = $1`,
      [parsed.keyId],
    );
    const entry = rows[0]?.doc;
    // One answer for unknown key and wrong secret, so keys cannot be probed.
    if (!entry || !secretMatches(parsed.secret, entry.secretSha256)) throw new AuthenticationError('invalid-api-key', 'API key refused');
    // What the key may do, and whether it still may, is read from its own stream, not the read
    // model: a revocation holds at once on every replica, however far the projection lags.
    const credential = keyCredentialOf(await this.deps.eventStore.readStream(apiKeyStreamId(entry.tenantId, entry.keyId)));
    if (!credential.valid) throw new AuthenticationError(credential.reason === 'unknown' ? 'invalid-api-key' : credential.reason, credential.message);
    const now = (this.deps.now ?? (() => new Date()))();
    if (Date.parse(credential.expiresAt) <= now.getTime()) throw new AuthenticationError('expired', 'API key expired');
    return {
      principal: {
        kind: 'api-key',
        id: credential.keyId,
        displayName: credential.name,
        grants: credential.grants,
        issuedBy: { id: credential.issuedBy.id },
      },
      expiresAt: new Date(credential.expiresAt),
    };
  }
}
