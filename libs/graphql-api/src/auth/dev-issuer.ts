// The local development issuer: signs ES256 tokens carrying Rampart grants directly, so the API can
// be tried without an Entra tenant. Its key lives in the data folder so tokens survive restarts;
// it refuses to exist in production, where only the configured OIDC issuer is trusted.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseGrant, type RoleGrant } from '@rampart/auth';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { uniqueGrants } from './claims-to-grants';
import { createPrivateFileOnce } from './key-file';
import { createJwtVerifier } from './oidc-verifier';
import type { TokenVerifier } from './oidc-verifier';

export const DEV_ISSUER = 'urn:rampart:dev-issuer';
export const DEV_AUDIENCE = 'urn:rampart:api';
/** The claim holding the grants in a dev token (Entra tokens carry roles and groups instead). */
export const DEV_GRANTS_CLAIM = 'rampart_grants';

const ALGORITHM = 'ES256';
const DEFAULT_EXPIRES_IN_SECONDS = 8 * 60 * 60;
const MAX_EXPIRES_IN_SECONDS = 24 * 60 * 60;

export class DevIssuerRefusedError extends Error {
  constructor() {
    super('the development token issuer is not available in production (NODE_ENV=production): configure an OIDC issuer instead');
    this.name = 'DevIssuerRefusedError';
  }
}

export interface DevTokenInput {
  readonly subject: string;
  readonly name?: string;
  readonly grants: readonly RoleGrant[];
  /** Default 8 hours, at most 24. */
  readonly expiresInSeconds?: number;
}

interface StoredKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly kid: string;
}

export class DevIssuer {
  readonly #privateKey: CryptoKey;
  readonly #publicJwk: JWK;
  readonly #kid: string;
  #verifier?: TokenVerifier;

  private constructor(privateKey: CryptoKey, publicJwk: JWK, kid: string) {
    this.#privateKey = privateKey;
    this.#publicJwk = publicJwk;
    this.#kid = kid;
  }

  /** Loads the key from `<dataDir>/dev-issuer/key.json`, creating it (mode 0600) on first use. */
  static async open(dataDir: string, env: { readonly production: boolean }): Promise<DevIssuer> {
    if (env.production) throw new DevIssuerRefusedError();
    const dir = join(dataDir, 'dev-issuer');
    const file = join(dir, 'key.json');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const stored = (await loadKey(file)) ?? (await createKey(file));
    const privateKey = await importJWK(stored.privateJwk, ALGORITHM);
    if (privateKey instanceof Uint8Array) throw new Error(`${file} does not hold an ES256 private key`);
    return new DevIssuer(privateKey, stored.publicJwk, stored.kid);
  }

  async sign(input: DevTokenInput): Promise<string> {
    const { subject, name, grants, expiresInSeconds = DEFAULT_EXPIRES_IN_SECONDS } = input;
    if (typeof subject !== 'string' || !subject.trim()) throw new Error('a dev token needs a subject');
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_EXPIRES_IN_SECONDS) {
      throw new Error(`expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRES_IN_SECONDS} (given ${String(expiresInSeconds)})`);
    }
    const checked = grants.map((grant) => {
      const parsed = parseGrant(grant);
      if (!parsed) throw new Error(`not a valid grant: ${JSON.stringify(grant)}`);
      return parsed;
    });
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...(name !== undefined && { name }), [DEV_GRANTS_CLAIM]: uniqueGrants(checked) })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.#kid, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + expiresInSeconds)
      .sign(this.#privateKey);
  }

  /** The public key only, as a JWKS. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.#publicJwk }] };
  }

  /** Verifies dev tokens against the local key (no HTTP), with the same refusals as the OIDC verifier. */
  verifier(): TokenVerifier {
    this.#verifier ??= createJwtVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: [ALGORITHM] }, createLocalJWKSet(this.jwks()));
    return this.#verifier;
  }
}

/** The grants a verified dev token carries; malformed entries are dropped. */
export const grantsFromDevToken = (claims: Readonly<Record<string, unknown>>): RoleGrant[] => {
  const raw = claims[DEV_GRANTS_CLAIM];
  if (!Array.isArray(raw)) return [];
  return uniqueGrants(raw.map((value: unknown) => parseGrant(value)).filter((grant): grant is RoleGrant => grant !== undefined));
};

const toPublic = (privateJwk: JWK, kid: string): JWK => {
  const { kty, crv, x, y } = privateJwk;
  return { kty, crv, x, y, kid, alg: ALGORITHM, use: 'sig' };
};

const loadKey = async (file: string): Promise<StoredKey | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error(`${file} is not valid JSON; delete it to create a new dev issuer key (tokens it signed stop working)`);
  }
  const { kty, crv, d, x, y, kid } = jwk;
  if (kty !== 'EC' || crv !== 'P-256' || [d, x, y, kid].some((part) => typeof part !== 'string' || !part)) {
    throw new Error(`${file} does not hold an ES256 (P-256) private JWK with a kid; delete it to create a new dev issuer key`);
  }
  return { privateJwk: jwk, publicJwk: toPublic(jwk, kid as string), kid: kid as string };
};

const createKey = async (file: string): Promise<StoredKey> => {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const exported = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(exported);
  const privateJwk: JWK = { ...exported, kid, alg: ALGORITHM, use: 'sig' };
  const created = await createPrivateFileOnce(file, JSON.stringify(privateJwk, null, 2) + '\n');
  // Two processes started at once: both use the first one's key.
  if (!created) {
    const existing = await loadKey(file);
    if (existing) return existing;
  }
  return { privateJwk, publicJwk: toPublic(privateJwk, kid), kid };
};
