import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { RoleGrant } from '@rampart/auth';
import { DEV_AUDIENCE, DEV_ISSUER, DevIssuer, DevIssuerRefusedError, grantsFromDevToken } from './dev-issuer';
import { TokenRejectedError } from './oidc-verifier';

const GRANTS: RoleGrant[] = [
  { role: 'soc.analyst', socTeam: 'blue' },
  { role: 'customer.viewer', tenantId: 'contoso-bank' },
];

const rejection = async (promise: Promise<unknown>): Promise<TokenRejectedError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenRejectedError);
  return error as TokenRejectedError;
};

describe('DevIssuer', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rampart-dev-issuer-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('refuses to open in production and writes no key', async () => {
    await expect(DevIssuer.open(dataDir, { production: true })).rejects.toThrow(DevIssuerRefusedError);
    await expect(stat(join(dataDir, 'dev-issuer'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('persists its key with owner-only permissions and reuses it on the next open', async () => {
    const first = await DevIssuer.open(dataDir, { production: false });
    const token = await first.sign({ subject: 'ana', grants: GRANTS });

    const file = join(dataDir, 'dev-issuer', 'key.json');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ kty: 'EC', crv: 'P-256', kid: first.jwks().keys[0]!.kid });

    const second = await DevIssuer.open(dataDir, { production: false });
    expect(second.jwks()).toEqual(first.jwks());
    // A token from before the "restart" still verifies.
    await expect(second.verifier().verify(token)).resolves.toMatchObject({ subject: 'ana' });
  });

  it('signs tokens its verifier accepts, with the grants round-tripping', async () => {
    const issuer = await DevIssuer.open(dataDir, { production: false });
    const before = Date.now();
    const token = await issuer.sign({ subject: 'ana', name: 'Ana Analyst', grants: [...GRANTS, GRANTS[0]!] });

    const verified = await issuer.verifier().verify(token);
    expect(verified).toMatchObject({ issuer: DEV_ISSUER, subject: 'ana', name: 'Ana Analyst' });
    expect(verified.claims['aud']).toBe(DEV_AUDIENCE);
    expect(grantsFromDevToken(verified.claims)).toEqual(GRANTS);
    // Default lifetime: 8 hours.
    const lifetime = verified.expiresAt.getTime() - before;
    expect(lifetime).toBeGreaterThan(8 * 3600_000 - 5_000);
    expect(lifetime).toBeLessThanOrEqual(8 * 3600_000 + 1_000);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: issuer.jwks().keys[0]!.kid, typ: 'JWT' });
  });

  it('honours a shorter lifetime and refuses one over 24 hours', async () => {
    const issuer = await DevIssuer.open(dataDir, { production: false });
    const token = await issuer.sign({ subject: 'ana', grants: [], expiresInSeconds: 60 });
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(60);
    await expect(issuer.sign({ subject: 'ana', grants: [], expiresInSeconds: 24 * 3600 + 1 })).rejects.toThrow(/expiresInSeconds/);
  });

  it('refuses to sign a malformed grant', async () => {
    const issuer = await DevIssuer.open(dataDir, { production: false });
    const bad = { role: 'customer.admin' } as unknown as RoleGrant;
    await expect(issuer.sign({ subject: 'ana', grants: [bad] })).rejects.toThrow('not a valid grant: {"role":"customer.admin"}');
  });

  it('refuses a token whose payload was altered', async () => {
    const issuer = await DevIssuer.open(dataDir, { production: false });
    const token = await issuer.sign({ subject: 'ana', grants: [{ role: 'customer.viewer', tenantId: 'contoso-bank' }] });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const elevated = Buffer.from(JSON.stringify({ ...claims, rampart_grants: [{ role: 'platform.admin' }] })).toString('base64url');
    const tampered = `${header}.${elevated}.${signature}`;

    const error = await rejection(issuer.verifier().verify(tampered));
    expect(error.reason).toBe('bad-signature');
    expect(error.message).not.toContain(tampered);
  });

  it("refuses another dev issuer's token as signed with an unknown key", async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'rampart-dev-issuer-other-'));
    try {
      const other = await DevIssuer.open(otherDir, { production: false });
      const mine = await DevIssuer.open(dataDir, { production: false });
      const error = await rejection(mine.verifier().verify(await other.sign({ subject: 'mallory', grants: [{ role: 'platform.admin' }] })));
      expect(error.reason).toBe('unknown-key');
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('publishes only the public key', async () => {
    const issuer = await DevIssuer.open(dataDir, { production: false });
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toHaveProperty('d');
    expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });

  it('names the key file when it is corrupt', async () => {
    await mkdir(join(dataDir, 'dev-issuer'));
    await writeFile(join(dataDir, 'dev-issuer', 'key.json'), '{"kty": "EC"');
    await expect(DevIssuer.open(dataDir, { production: false })).rejects.toThrow(/key\.json is not valid JSON/);
  });
});

describe('grantsFromDevToken', () => {
  it('keeps well-formed grants and drops the rest', () => {
    expect(
      grantsFromDevToken({
        rampart_grants: [{ role: 'auditor', tenantId: 'fabrikam' }, { role: 'auditor' }, 'platform.admin', null, { role: 'soc.lead', socTeam: 'red' }],
      }),
    ).toEqual([
      { role: 'auditor', tenantId: 'fabrikam' },
      { role: 'soc.lead', socTeam: 'red' },
    ]);
  });

  it('gives no grants when the claim is missing or not a list', () => {
    expect(grantsFromDevToken({})).toEqual([]);
    expect(grantsFromDevToken({ rampart_grants: { role: 'platform.admin' } })).toEqual([]);
  });
});
