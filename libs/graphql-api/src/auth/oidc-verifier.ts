// Bearer token verification against an OpenID Connect issuer (Microsoft Entra ID or any other),
// built on jose: signature from the issuer's JWKS, then issuer, audience and lifetime. Refusals
// are TokenRejectedError with a stable reason code; their messages never quote the token.
import { ConfigError } from '@rampart/runtime';
import { createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify } from 'jose';
import type { FetchImplementation, JWTPayload, JWTVerifyGetKey } from 'jose';

export interface OidcSettings {
  /** The exact issuer, or Entra's multi-tenant template containing `{tenantid}`. */
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** https URL; http only for loopback hosts (tests, local fakes). */
  readonly jwksUri: string;
  /** Entra tenant ids (`tid`) accepted when `issuer` is a template; required then, refused otherwise. */
  readonly allowedTenants?: readonly string[];
  /** Default 60. */
  readonly clockToleranceSeconds?: number;
  /** Default ['RS256', 'ES256']; asymmetric algorithms only (never 'none' or HS*). */
  readonly algorithms?: readonly string[];
}

export interface VerifiedToken {
  readonly issuer: string;
  readonly subject: string;
  /** Entra `oid`: the user's object id, stable across the apps of a tenant. */
  readonly objectId?: string;
  /** Entra `tid`: the tenant that issued the token. */
  readonly issuerTenant?: string;
  readonly name?: string;
  readonly claims: Record<string, unknown>;
  readonly expiresAt: Date;
}

export type TokenRejection =
  | 'malformed'
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'unknown-key'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'tenant-not-allowed'
  | 'unsupported-algorithm'
  | 'unsupported-critical-header';

/** The caller's token is not acceptable (answer 401). */
export class TokenRejectedError extends Error {
  constructor(
    readonly reason: TokenRejection,
    message: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** The issuer's keys could not be fetched: our problem or the IdP's, not the caller's (answer 503). */
export class IdentityProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityProviderUnavailableError';
  }
}

export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

export interface OidcVerifierOptions {
  /** Replaces global fetch for the JWKS request (a fake IdP at the wire). */
  readonly fetchJwks?: FetchImplementation;
  /**
   * How long after a fetch an unknown `kid` may trigger another one (jose's default 30 s). It is
   * what keeps a flood of tokens with made-up kids from hammering the IdP; lower it only in tests.
   */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys are used before they are fetched again (jose's default 10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /** JWKS request timeout (jose's default 5 s). */
  readonly jwksTimeoutMs?: number;
}

const TENANT_PLACEHOLDER = /\{tenantid\}/i;
const DEFAULT_ALGORITHMS = ['RS256', 'ES256'];
/** Asymmetric JWS algorithms only: with HS* anyone holding the (public) key material could sign. */
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const MAX_CLOCK_TOLERANCE_SECONDS = 300;

export const isTenantTemplate = (issuer: string): boolean => TENANT_PLACEHOLDER.test(issuer);

const isLoopback = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** Throws ConfigError listing every problem with the settings. */
export const validateOidcSettings = (settings: OidcSettings): void => {
  const problems: string[] = [];
  const { issuer, audience, jwksUri, allowedTenants, clockToleranceSeconds, algorithms } = settings;

  if (typeof issuer !== 'string' || !issuer.trim()) problems.push('OIDC issuer is required');
  else if (isTenantTemplate(issuer)) {
    let templateUrl: URL | undefined;
    try {
      templateUrl = new URL(issuer.replace(TENANT_PLACEHOLDER, '00000000-0000-0000-0000-000000000000'));
    } catch {
      // reported below
    }
    if (templateUrl?.protocol !== 'https:') problems.push(`OIDC issuer template must be an https URL (given "${issuer}")`);
    if (!allowedTenants || allowedTenants.length === 0) {
      problems.push(`OIDC allowedTenants is required when the issuer is a multi-tenant template; without it any Entra tenant could sign in (issuer "${issuer}")`);
    } else if (allowedTenants.some((tid) => typeof tid !== 'string' || !tid.trim())) {
      problems.push('OIDC allowedTenants must hold non-empty tenant ids');
    }
  } else if (allowedTenants !== undefined) {
    problems.push(`OIDC allowedTenants applies only to a multi-tenant issuer template containing {tenantid}; the issuer "${issuer}" names one tenant already`);
  }

  const audiences = typeof audience === 'string' ? [audience] : Array.isArray(audience) ? audience : [];
  if (audiences.length === 0 || audiences.some((a) => typeof a !== 'string' || !a.trim())) {
    problems.push('OIDC audience is required: the API\'s application id URI or client id (a non-empty string or list of them)');
  }

  let jwksUrl: URL | undefined;
  try {
    jwksUrl = new URL(jwksUri);
  } catch {
    problems.push(`OIDC jwksUri must be a URL (given "${String(jwksUri)}")`);
  }
  if (jwksUrl && !(jwksUrl.protocol === 'https:' || (jwksUrl.protocol === 'http:' && isLoopback(jwksUrl.hostname)))) {
    problems.push(`OIDC jwksUri must be https (http is accepted only for loopback hosts) (given "${jwksUri}")`);
  }

  if (
    clockToleranceSeconds !== undefined &&
    !(Number.isFinite(clockToleranceSeconds) && clockToleranceSeconds >= 0 && clockToleranceSeconds <= MAX_CLOCK_TOLERANCE_SECONDS)
  ) {
    problems.push(`OIDC clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS} (given ${String(clockToleranceSeconds)})`);
  }

  if (algorithms !== undefined) {
    const refused = algorithms.filter((alg) => !ASYMMETRIC_ALGORITHMS.includes(alg));
    if (algorithms.length === 0) problems.push(`OIDC algorithms must not be empty (accepted: ${ASYMMETRIC_ALGORITHMS.join(', ')})`);
    if (refused.length) {
      problems.push(`OIDC algorithms may only be asymmetric signature algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}); refused: ${refused.join(', ')}`);
    }
  }

  if (problems.length) throw new ConfigError(problems);
};

/** Verifies bearer tokens from the configured issuer, fetching its keys from `jwksUri`. */
export const createOidcVerifier = (settings: OidcSettings, options: OidcVerifierOptions = {}): TokenVerifier => {
  validateOidcSettings(settings);
  // An unknown kid refetches the set (so rotated keys work) at most once per cooldown.
  const keys = createRemoteJWKSet(new URL(settings.jwksUri), {
    ...(options.jwksCooldownMs !== undefined && { cooldownDuration: options.jwksCooldownMs }),
    ...(options.jwksCacheMaxAgeMs !== undefined && { cacheMaxAge: options.jwksCacheMaxAgeMs }),
    ...(options.jwksTimeoutMs !== undefined && { timeoutDuration: options.jwksTimeoutMs }),
    ...(options.fetchJwks && { [customFetch]: options.fetchJwks }),
  });
  return createJwtVerifier(settings, keys);
};

/** The issuer checks without the key source: createOidcVerifier uses the remote JWKS, the dev issuer its own key. */
export type JwtExpectations = Omit<OidcSettings, 'jwksUri'>;

export const createJwtVerifier = (expectations: JwtExpectations, keys: JWTVerifyGetKey): TokenVerifier => {
  const template = isTenantTemplate(expectations.issuer);
  const allowedTenants = new Set((expectations.allowedTenants ?? []).map((tid) => tid.toLowerCase()));
  const verifyOptions = {
    audience: typeof expectations.audience === 'string' ? expectations.audience : [...expectations.audience],
    algorithms: [...(expectations.algorithms ?? DEFAULT_ALGORITHMS)],
    clockTolerance: expectations.clockToleranceSeconds ?? 60,
    requiredClaims: ['sub', 'exp'],
  };

  return {
    async verify(token: string): Promise<VerifiedToken> {
      if (typeof token !== 'string' || !token) throw new TokenRejectedError('malformed', 'no bearer token');
      let issuer = expectations.issuer;
      let tenant: string | undefined;
      if (template) {
        // The tid is read unverified only to know which issuer to expect; the signature and the
        // issuer built from it are checked next, and the tenant against the allow-list after that.
        const tid = unverifiedTenant(token);
        // A function, so "$&"-style patterns in an attacker's tid are not expanded.
        issuer = expectations.issuer.replace(TENANT_PLACEHOLDER, () => tid);
        tenant = tid;
      }

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, { ...verifyOptions, issuer }));
      } catch (error) {
        throw translate(error);
      }

      if (tenant !== undefined && !allowedTenants.has(tenant.toLowerCase())) {
        throw new TokenRejectedError('tenant-not-allowed', 'the token was issued by an Entra tenant that is not in allowedTenants');
      }
      if (typeof payload.sub !== 'string' || !payload.sub) throw new TokenRejectedError('malformed', 'the token\'s "sub" claim is not a string');
      const claims = payload as Record<string, unknown>;
      const text = (name: string): string | undefined => {
        const value = claims[name];
        return typeof value === 'string' && value ? value : undefined;
      };
      return {
        issuer,
        subject: payload.sub,
        objectId: text('oid'),
        issuerTenant: text('tid'),
        name: text('name'),
        claims,
        expiresAt: new Date((payload.exp as number) * 1000),
      };
    },
  };
};

const unverifiedTenant = (token: string): string => {
  let tid: unknown;
  try {
    tid = decodeJwt(token).tid;
  } catch {
    throw new TokenRejectedError('malformed', 'the bearer token is not a well-formed JWT');
  }
  if (typeof tid !== 'string' || !tid) {
    throw new TokenRejectedError('tenant-not-allowed', 'the token has no tid claim, which a multi-tenant issuer requires');
  }
  return tid;
};

/** jose's messages are fixed strings, never token content, but ours name what to fix. */
const translate = (error: unknown): Error => {
  if (error instanceof errors.JWTExpired) return new TokenRejectedError('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'invalid') return new TokenRejectedError('malformed', `the token's "${error.claim}" claim has the wrong type`);
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return new TokenRejectedError('not-yet-valid', 'the token is not valid yet');
      case 'iss':
        return new TokenRejectedError('wrong-issuer', 'the token was not issued by the configured issuer');
      case 'aud':
        return new TokenRejectedError('wrong-audience', 'the token is not meant for this API (audience)');
      default:
        return new TokenRejectedError('malformed', `the token's "${error.claim}" claim is missing or invalid`);
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new TokenRejectedError('bad-signature', 'the token signature is invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return new TokenRejectedError('unknown-key', "the token's signing key (kid) is not in the issuer's key set");
  }
  // An unknown `crit` header is a JOSENotSupported too; told apart by jose's fixed wording.
  if (error instanceof errors.JOSENotSupported && /Extension Header Parameter/.test(error.message)) {
    return new TokenRejectedError('unsupported-critical-header', 'the token marks a header as critical ("crit") that this API does not understand');
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return new TokenRejectedError('unsupported-algorithm', 'the token is signed with an algorithm this API does not accept');
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new TokenRejectedError('malformed', 'the bearer token is not a well-formed JWT');
  }
  if (error instanceof errors.JWKSTimeout) return new IdentityProviderUnavailableError('the identity provider key set (JWKS) did not answer in time');
  if (error instanceof errors.JOSEError) {
    // JWKSInvalid, or a non-200 or non-JSON answer from the key endpoint.
    return new IdentityProviderUnavailableError(`the identity provider key set (JWKS) could not be loaded: ${error.message}`);
  }
  // fetch's own failure (refused, DNS, TLS) is a TypeError "fetch failed"; matched by name since
  // it may come from another realm (Jest's sandbox), where instanceof does not hold.
  if (isFetchFailure(error)) return new IdentityProviderUnavailableError(`the identity provider key set (JWKS) could not be fetched: ${error.message}`);
  return error instanceof Error ? error : new Error(String(error));
};

const isFetchFailure = (error: unknown): error is Error =>
  typeof error === 'object' && error !== null && (error as Error).name === 'TypeError' && /fetch/i.test(String((error as Error).message));
