// Production mode with a real OIDC issuer: a loopback HTTP server plays the identity provider's
// JWKS endpoint (Entra multi-tenant shape), tokens are signed as the IdP would sign them, and roles
// come from the configured role map. Development conveniences are off.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { startHarness, type Harness } from '../testing/harness';

const ALLOWED_TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const ROLE_MAP = {
  'Rampart.Platform.Admin': [{ role: 'platform.admin' }],
  'Rampart.SOC.Analyst': [{ role: 'soc.analyst', socTeam: 'red' }],
  '11111111-2222-3333-4444-555555555555': [{ role: 'customer.viewer', tenantId: 'contoso-bank' }],
};

describe('production mode with an OIDC issuer', () => {
  let jwks: Server;
  let key: { privateKey: CryptoKey; publicJwk: JWK };
  let h: Harness;

  const token = (claims: Record<string, unknown>, tid = ALLOWED_TID) =>
    new SignJWT({ tid, oid: 'ana-oid', name: 'Ana', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(`https://login.microsoftonline.com/${tid}/v2.0`)
      .setAudience('api://rampart')
      .setSubject('ana')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key.privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' } };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [key.publicJwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    h = await startHarness({
      NODE_ENV: 'production',
      RAMPART_OIDC_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      RAMPART_OIDC_AUDIENCE: 'api://rampart',
      RAMPART_OIDC_JWKS_URI: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      RAMPART_OIDC_ALLOWED_TENANTS: ALLOWED_TID,
      RAMPART_OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP),
    });
  });
  afterAll(async () => {
    await h?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('maps app roles and groups from the token to Rampart grants', async () => {
    const viewer = await h.gql<{ me: { id: string; displayName: string; tenantIds: string[] } }>('{ me { id displayName tenantIds } }', {
      token: await token({ groups: ['11111111-2222-3333-4444-555555555555', 'unmapped-group'] }),
    });
    expect(viewer.body.data?.me).toEqual({ id: 'ana-oid', displayName: 'Ana', tenantIds: ['contoso-bank'] });
    const analyst = await h.gql<{ me: { tenantIds: string[] } }>('{ me { tenantIds } }', { token: await token({ roles: ['Rampart.SOC.Analyst'] }) });
    expect(analyst.body.data?.me.tenantIds).toEqual(['northwind-mfg']);
    // authenticated, but no grant: refused outright rather than shown an empty list
    const nobody = await h.gql('{ tenants { edges { node { tenantId } } } }', { token: await token({}) });
    expect(nobody.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses tokens from a directory that is not on the allow-list', async () => {
    const { status, body } = await h.gql('{ me { id } }', { token: await token({ roles: ['Rampart.Platform.Admin'] }, OTHER_TID) });
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'tenant-not-allowed' });
  });

  it('has no development issuer, no introspection and no field suggestions', async () => {
    expect(h.config.auth.devIssuer).toBe(false);
    const admin = await token({ roles: ['Rampart.Platform.Admin'] });
    const introspection = await h.gql('{ __schema { queryType { name } } }', { token: admin });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors?.[0].message).toMatch(/introspection/i);
    const typo = await h.gql('{ tenantz { edges { node { tenantId } } } }', { token: admin });
    expect(typo.status).toBe(400);
    expect(typo.body.errors?.[0].message).not.toMatch(/Did you mean/);
  });

  it('masks internal errors behind a correlation id', async () => {
    const admin = await token({ roles: ['Rampart.Platform.Admin'] });
    await h.server.stores.readModels.exec('ALTER TABLE rampart_read.tenant_directory RENAME TO tenant_directory_hidden');
    try {
      const { body } = await h.gql('{ tenants { edges { node { tenantId } } } }', { token: admin });
      expect(body.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(body.errors?.[0].message).toMatch(/correlation id [0-9a-f-]{36}/);
      expect(JSON.stringify(body)).not.toMatch(/tenant_directory|does not exist|SELECT/i);
    } finally {
      await h.server.stores.readModels.exec('ALTER TABLE rampart_read.tenant_directory_hidden RENAME TO tenant_directory');
    }
  });
});
