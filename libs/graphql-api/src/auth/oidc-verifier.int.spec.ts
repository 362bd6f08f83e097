// The OIDC verifier against a real JWKS endpoint: a node:http server on loopback plays the
// identity provider's keys URL (the only part of Entra that verification touches), and tokens
// are signed here with jose exactly as an IdP would sign them.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { ConfigError } from '@rampart/runtime';
import { createOidcVerifier, IdentityProviderUnavailableError, TokenRejectedError, validateOidcSettings } from './oidc-verifier';
import type { OidcSettings, TokenRejection, TokenVerifier } from './oidc-verifier';

const ISSUER = 'https://idp.example.test/rampart/v2.0';
const AUDIENCE = 'api://rampart';
const ENTRA_TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0';
const TENANT_ALLOWED = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TENANT_OTHER = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const entraIssuer = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;

interface SigningKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

const signingKey = async (kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
};

const now = () => Math.floor(Date.now() / 1000);

/** A token as Entra would issue it, with overrides; `undefined` in claims removes the claim. */
const sign = async (
  key: SigningKey,
  claims: Record<string, unknown> = {},
  header: { kid?: string } = {},
): Promise<string> => {
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    oid: '00000000-0000-0000-66f3-3332eca7ea81',
    tid: TENANT_ALLOWED,
    name: 'Ana Analyst',
    iat: now(),
    nbf: now(),
    exp: now() + 3600,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);
};

/** Every refusal must leave the token out of its message (messages end up in logs). */
const rejection = async (verifier: TokenVerifier, token: string, reason: TokenRejection): Promise<TokenRejectedError> => {
  const error = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  const rejected = error as TokenRejectedError;
  expect({ reason: rejected.reason, message: rejected.message }).toEqual({ reason, message: expect.any(String) });
  for (const part of [token, ...token.split('.').filter((p) => p.length > 8)]) {
    expect(rejected.message).not.toContain(part);
    expect(String(rejected.stack)).not.toContain(part);
  }
  return rejected;
};

describe('OIDC bearer token verification', () => {
  let server: Server;
  let jwksUri: string;
  let served: { keys: JWK[] } = { keys: [] };
  let status = 200;
  let requests = 0;
  let keyA: SigningKey;
  let keyB: SigningKey;
  let imposter: SigningKey;

  const settings = (overrides: Partial<OidcSettings> = {}): OidcSettings => ({ issuer: ISSUER, audience: AUDIENCE, jwksUri, ...overrides });

  beforeAll(async () => {
    [keyA, keyB] = await Promise.all([signingKey('key-a', 'RS256'), signingKey('key-b', 'ES256')]);
    // Same kid as key A, different key material: a forger who copied the kid.
    imposter = await signingKey('key-a', 'RS256');
    server = createServer((req, res) => {
      requests += 1;
      if (req.url !== '/discovery/v2.0/keys') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    served = { keys: [keyA.publicJwk] };
    status = 200;
    requests = 0;
  });

  describe('with one issuer', () => {
    let verifier: TokenVerifier;
    beforeEach(() => {
      verifier = createOidcVerifier(settings(), { jwksCooldownMs: 0 });
    });

    it('accepts a valid token and maps subject, object id, tenant and name', async () => {
      const exp = now() + 1800;
      const verified = await verifier.verify(await sign(keyA, { exp }));
      expect(verified).toEqual({
        issuer: ISSUER,
        subject: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
        objectId: '00000000-0000-0000-66f3-3332eca7ea81',
        issuerTenant: TENANT_ALLOWED,
        name: 'Ana Analyst',
        claims: expect.objectContaining({ aud: AUDIENCE, exp }),
        expiresAt: new Date(exp * 1000),
      });
      expect(requests).toBe(1);
    });

    it('leaves optional Entra claims out when the token has none', async () => {
      const verified = await verifier.verify(await sign(keyA, { oid: undefined, tid: undefined, name: undefined }));
      expect(verified.objectId).toBeUndefined();
      expect(verified.issuerTenant).toBeUndefined();
      expect(verified.name).toBeUndefined();
    });

    it('accepts any one of several configured audiences', async () => {
      const multi = createOidcVerifier(settings({ audience: ['api://other', AUDIENCE] }));
      await expect(multi.verify(await sign(keyA))).resolves.toMatchObject({ subject: expect.any(String) });
      await rejection(multi, await sign(keyA, { aud: 'api://third' }), 'wrong-audience');
    });

    it('refuses an expired token, allowing 60 seconds of clock skew', async () => {
      await rejection(verifier, await sign(keyA, { iat: now() - 7200, nbf: now() - 7200, exp: now() - 120 }), 'expired');
      await expect(verifier.verify(await sign(keyA, { iat: now() - 7200, nbf: now() - 7200, exp: now() - 30 }))).resolves.toBeDefined();
    });

    it('refuses a token that is not valid yet', async () => {
      await rejection(verifier, await sign(keyA, { nbf: now() + 600, exp: now() + 4200 }), 'not-yet-valid');
    });

    it('refuses a token for another audience', async () => {
      await rejection(verifier, await sign(keyA, { aud: 'api://someone-else' }), 'wrong-audience');
      await rejection(verifier, await sign(keyA, { aud: undefined }), 'wrong-audience');
    });

    it('refuses a token from another issuer', async () => {
      await rejection(verifier, await sign(keyA, { iss: 'https://evil.example.test/rampart/v2.0' }), 'wrong-issuer');
      await rejection(verifier, await sign(keyA, { iss: undefined }), 'wrong-issuer');
    });

    it('refuses a token signed by another key that claims a known kid', async () => {
      await rejection(verifier, await sign(imposter), 'bad-signature');
    });

    it('refuses tokens without a subject or expiry, and text that is not a JWT', async () => {
      await rejection(verifier, await sign(keyA, { sub: undefined }), 'malformed');
      await rejection(verifier, await sign(keyA, { exp: undefined }), 'malformed');
      await rejection(verifier, await sign(keyA, { exp: 'tomorrow' }), 'malformed');
      await rejection(verifier, 'not-a-jwt-at-all', 'malformed');
      await rejection(verifier, 'bm90LWpzb24taGVhZGVy.bm90LWpzb24tcGF5bG9hZA.c2lnbmF0dXJl', 'malformed');
    });

    it('refuses an unsigned (alg none) token', async () => {
      const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      const body = base64url.encode(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'mallory', exp: now() + 3600 }));
      await rejection(verifier, `${header}.${body}.`, 'unsupported-algorithm');
    });

    it('refuses a token with a critical header it does not understand, saying so', async () => {
      const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'mallory', exp: now() + 3600 };
      const token = await new SignJWT(payload)
        .setProtectedHeader({ alg: keyA.alg, kid: keyA.kid, crit: ['urn:example:bind-to-device'], 'urn:example:bind-to-device': 'd-1' })
        .sign(keyA.privateKey, { crit: { 'urn:example:bind-to-device': true } });
      await rejection(verifier, token, 'unsupported-critical-header');
    });

    it('refuses an HS256 token, even one keyed with the public key material', async () => {
      const secret = new TextEncoder().encode(JSON.stringify(keyA.publicJwk));
      const token = await new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'mallory', exp: now() + 3600 })
        .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
        .sign(secret);
      await rejection(verifier, token, 'unsupported-algorithm');
    });

    it('follows a key rotation: a new kid refetches the key set', async () => {
      await expect(verifier.verify(await sign(keyA))).resolves.toBeDefined();
      expect(requests).toBe(1);

      served = { keys: [keyB.publicJwk] };
      await expect(verifier.verify(await sign(keyB, { sub: 'after-rotation' }))).resolves.toMatchObject({ subject: 'after-rotation' });
      expect(requests).toBe(2);

      // key A is retired now; a kid in neither set is unknown.
      await rejection(verifier, await sign(keyA), 'unknown-key');
      const stranger = await signingKey('key-c', 'RS256');
      await rejection(verifier, await sign(stranger), 'unknown-key');
    });

    it('reports an unreachable or failing key endpoint as the IdP being unavailable, not as a bad token', async () => {
      status = 500;
      await expect(verifier.verify(await sign(keyA))).rejects.toThrow(IdentityProviderUnavailableError);

      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const nowhere = createOidcVerifier(settings({ jwksUri: `http://127.0.0.1:${port}/keys` }));
      await expect(nowhere.verify(await sign(keyA))).rejects.toThrow(IdentityProviderUnavailableError);
    });
  });

  it("keeps jose's cooldown: a flood of unknown kids causes no extra fetches", async () => {
    const verifier = createOidcVerifier(settings());
    await expect(verifier.verify(await sign(keyA))).resolves.toBeDefined();
    const stranger = await signingKey('key-c', 'RS256');
    for (let i = 0; i < 5; i += 1) {
      await rejection(verifier, await sign(stranger, {}, { kid: `made-up-${i}` }), 'unknown-key');
    }
    expect(requests).toBe(1);
  });

  describe('with the Entra multi-tenant issuer template', () => {
    let verifier: TokenVerifier;
    beforeEach(() => {
      verifier = createOidcVerifier(settings({ issuer: ENTRA_TEMPLATE, allowedTenants: [TENANT_ALLOWED] }), { jwksCooldownMs: 0 });
    });

    it('accepts a token from an allowed tenant, resolving the issuer from its tid', async () => {
      const verified = await verifier.verify(await sign(keyA, { iss: entraIssuer(TENANT_ALLOWED), tid: TENANT_ALLOWED }));
      expect(verified).toMatchObject({ issuer: entraIssuer(TENANT_ALLOWED), issuerTenant: TENANT_ALLOWED });
    });

    it('refuses a validly signed token from a tenant that is not allowed', async () => {
      await rejection(verifier, await sign(keyA, { iss: entraIssuer(TENANT_OTHER), tid: TENANT_OTHER }), 'tenant-not-allowed');
    });

    it('refuses a token whose issuer does not match its tid', async () => {
      await rejection(verifier, await sign(keyA, { iss: entraIssuer(TENANT_OTHER), tid: TENANT_ALLOWED }), 'wrong-issuer');
      await rejection(verifier, await sign(keyA, { iss: entraIssuer(TENANT_ALLOWED), tid: TENANT_OTHER }), 'wrong-issuer');
    });

    it('refuses a token without a tid', async () => {
      await rejection(verifier, await sign(keyA, { iss: entraIssuer(TENANT_ALLOWED), tid: undefined }), 'tenant-not-allowed');
    });

    it('checks the signature before trusting the tid', async () => {
      await rejection(verifier, await sign(imposter, { iss: entraIssuer(TENANT_ALLOWED), tid: TENANT_ALLOWED }), 'bad-signature');
    });
  });

  describe('settings validation', () => {
    const problems = (overrides: Partial<OidcSettings>): string[] => {
      try {
        validateOidcSettings(settings(overrides));
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
      return [];
    };

    it('accepts https key URLs and http only on loopback', () => {
      expect(problems({ jwksUri: 'https://login.microsoftonline.com/common/discovery/v2.0/keys' })).toEqual([]);
      expect(problems({ jwksUri: 'http://localhost:8080/keys' })).toEqual([]);
      expect(problems({ jwksUri: 'http://idp.example.test/keys' })).toEqual([
        'OIDC jwksUri must be https (http is accepted only for loopback hosts) (given "http://idp.example.test/keys")',
      ]);
      expect(problems({ jwksUri: 'keys.json' })).toEqual(['OIDC jwksUri must be a URL (given "keys.json")']);
    });

    it('requires allowedTenants with a template issuer, and only then', () => {
      expect(problems({ issuer: ENTRA_TEMPLATE })).toEqual([expect.stringContaining('OIDC allowedTenants is required')]);
      expect(problems({ issuer: ENTRA_TEMPLATE, allowedTenants: [] })).toEqual([expect.stringContaining('OIDC allowedTenants is required')]);
      expect(problems({ allowedTenants: [TENANT_ALLOWED] })).toEqual([expect.stringContaining('applies only to a multi-tenant issuer template')]);
      expect(() => createOidcVerifier(settings({ issuer: ENTRA_TEMPLATE }))).toThrow(ConfigError);
    });

    it('requires an audience', () => {
      expect(problems({ audience: '' })).toEqual([expect.stringContaining('OIDC audience is required')]);
      expect(problems({ audience: [] })).toEqual([expect.stringContaining('OIDC audience is required')]);
    });

    it('refuses none and symmetric algorithms', () => {
      expect(problems({ algorithms: ['RS256', 'none', 'HS256'] })).toEqual([expect.stringContaining('refused: none, HS256')]);
      expect(problems({ algorithms: ['PS256', 'ES384'] })).toEqual([]);
    });

    it('reports every problem at once', () => {
      expect(problems({ issuer: ENTRA_TEMPLATE, audience: '', jwksUri: 'http://idp.example.test/keys', clockToleranceSeconds: -1 })).toHaveLength(4);
    });
  });
});
