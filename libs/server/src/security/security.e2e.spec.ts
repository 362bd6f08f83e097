// The API's security, attacked over HTTP and WebSocket: no anonymous access, forged and stale
// credentials refused, API keys revoked at once, every operation refused to every outsider role
// (generated from the schema), query limits enforced before execution, per-principal rate limits.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoleGrant } from '@rampart/auth';
import { comparePositions } from '@rampart/event-sourcing';
import { authorizationCoverage, DEV_AUDIENCE, DEV_ISSUER } from '@rampart/graphql-api';
import { createClient } from 'graphql-ws';
import { importJWK, SignJWT, generateKeyPair, type JWK } from 'jose';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../testing/harness';
import { OPERATION_FIXTURES } from './operation-fixtures';

const TENANT_A = 'contoso-bank'; // SOC team blue
const OUTSIDERS: RoleGrant[] = [
  { role: 'customer.viewer', tenantId: 'northwind-mfg' },
  { role: 'customer.admin', tenantId: 'northwind-mfg' },
  { role: 'auditor', tenantId: 'northwind-mfg' },
  { role: 'soc.analyst', socTeam: 'red' },
  { role: 'soc.lead', socTeam: 'red' },
];
const label = (g: RoleGrant) => `${g.role}@${'tenantId' in g ? g.tenantId : 'socTeam' in g ? g.socTeam : '*'}`;

/** Runs a subscription over graphql-ws until the first result or error. */
const subscribeOnce = (h: Harness, document: string, variables: Record<string, unknown>, connectionParams: Record<string, string>) =>
  new Promise<{ data?: unknown; errors?: { message: string; extensions?: { code?: string } }[]; closed?: number }>((resolve) => {
    const client = createClient({
      url: `${h.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
      lazy: true,
      on: { closed: (event) => resolve({ closed: (event as { code: number }).code }) },
    });
    const unsubscribe = client.subscribe(
      { query: document, variables },
      {
        next: (value) => {
          resolve(value as never);
          unsubscribe();
          void client.dispose();
        },
        error: (error) => {
          resolve(Array.isArray(error) ? { errors: error as never } : { errors: [{ message: String((error as Error)?.message ?? error) }] });
          void client.dispose();
        },
        complete: () => undefined,
      },
    );
  });

describe('API security', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '100000', RAMPART_GRAPHQL_MAX_COST: '500' });
    admin = await h.token({ role: 'platform.admin' });
  });
  afterAll(async () => h?.stop());

  describe('authentication', () => {
    it('refuses anonymous GraphQL, introspection included, with 401', async () => {
      for (const query of ['{ me { id } }', '{ __schema { types { name } } }']) {
        const { status, body, headers } = await h.gql(query);
        expect(status).toBe(401);
        expect(body.data).toBeUndefined();
        expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('refuses expired, forged, wrong-audience and wrong-issuer tokens', async () => {
      // The attacker here holds the development issuer's own private key (as a leaked key would be):
      // only the claims are wrong.
      const privateJwk = JSON.parse(readFileSync(join(h.dataDir, 'dev-issuer', 'key.json'), 'utf8')) as JWK;
      const stored = { kid: String(privateJwk.kid) };
      const devKey = await importJWK(privateJwk, 'ES256');
      type Key = Awaited<ReturnType<typeof importJWK>>;
      const sign = (claims: Record<string, unknown>, opts: { key?: Key; aud?: string; iss?: string; exp?: number } = {}) =>
        new SignJWT({ rampart_grants: [{ role: 'platform.admin' }], ...claims })
          .setProtectedHeader({ alg: 'ES256', kid: stored.kid })
          .setSubject('mallory')
          .setIssuer(opts.iss ?? DEV_ISSUER)
          .setAudience(opts.aud ?? DEV_AUDIENCE)
          .setIssuedAt()
          .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 600)
          .sign(opts.key ?? devKey);
      const { privateKey: otherKey } = await generateKeyPair('ES256');
      const cases: [string, string][] = [
        ['expired', await sign({}, { exp: Math.floor(Date.now() / 1000) - 3600 })],
        ['bad-signature', await sign({}, { key: otherKey })],
        ['wrong-audience', await sign({}, { aud: 'api://someone-else' })],
        ['wrong-issuer', await sign({}, { iss: 'https://evil.example' })],
        ['malformed', 'not-a-jwt'],
      ];
      for (const [reason, token] of cases) {
        const { status, body } = await h.gql('{ me { id } }', { token });
        expect({ reason, status, code: body.errors?.[0].extensions?.code }).toEqual({ reason, status: 401, code: 'UNAUTHENTICATED' });
        expect(JSON.stringify(body)).not.toContain(token.slice(-20));
      }
      // the control: a correctly signed token from the same key is accepted
      expect((await h.gql('{ me { id } }', { token: await sign({}) })).status).toBe(200);
    });

    it('refuses an unauthenticated WebSocket', async () => {
      const result = await subscribeOnce(h, 'subscription { tenantEvents(tenantId: "contoso-bank") { eventId } }', {}, {});
      expect(result.closed).toBe(4403);
    });
  });

  describe('API keys', () => {
    it('are shown once, work for their tenant only, and stop working the moment they are revoked', async () => {
      const customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT_A });
      const issued = await h.gql<{ issueApiKey: { __typename: string; secret: string; keyId: string } }>(
        `mutation($expiresAt: String!) { issueApiKey(input: { tenantId: "${TENANT_A}", name: "SIEM", roles: ["customer.viewer"], expiresAt: $expiresAt }) {
           __typename ... on ApiKeyIssued { keyId secret } ... on Rejection { code message } } }`,
        { token: customerAdmin, variables: { expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() } },
      );
      expect(issued.body.errors).toBeUndefined();
      const { secret, keyId } = issued.body.data!.issueApiKey;
      expect(secret).toMatch(/^rmp_/);
      await h.settled();

      const asKey = await h.gql<{ me: { kind: string; tenantIds: string[] } }>('{ me { kind tenantIds } }', { apiKey: secret });
      expect(asKey.body.data?.me).toEqual({ kind: 'api-key', tenantIds: [TENANT_A] });
      const other = await h.gql('{ tenant(tenantId: "northwind-mfg") { tenantId } }', { apiKey: secret });
      expect(other.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

      const listed = await h.gql<{ apiKeys: { edges: { node: Record<string, unknown> }[] } }>(
        `{ apiKeys(tenantId: "${TENANT_A}") { edges { node { keyId name roles revokedAt } } } }`,
        { token: customerAdmin },
      );
      expect(listed.body.data?.apiKeys.edges.map((e) => e.node)).toContainEqual({ keyId, name: 'SIEM', roles: ['customer.viewer'], revokedAt: null });
      // The secret is everything after `rmp_<keyId>_` (it may itself hold underscores).
      expect(JSON.stringify(listed.body)).not.toContain(secret.slice(`rmp_${keyId}_`.length));

      const revoked = await h.gql(
        `mutation { revokeApiKey(input: { tenantId: "${TENANT_A}", keyId: "${keyId}", reason: "rotated" }) { __typename } }`,
        { token: customerAdmin },
      );
      expect(revoked.body.data).toEqual({ revokeApiKey: { __typename: 'ApiKeyRevoked' } });
      // no waiting for projections: the very next request is refused
      const after = await h.gql('{ me { id } }', { apiKey: secret });
      expect(after.status).toBe(401);
      expect(after.body.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'revoked' });
      // a made-up key and a wrong secret get the same answer
      const guessed = await h.gql('{ me { id } }', { apiKey: `rmp_${keyId}_${'A'.repeat(43)}` });
      expect(guessed.body.errors?.[0].extensions).toMatchObject({ reason: 'invalid-api-key' });
    });

    it('records issuing and revoking in the tenant audit trail, with on-behalf-of for SOC staff', async () => {
      const socLead = await h.token({ role: 'soc.lead', socTeam: 'blue' }, 'sam@soc.example');
      const issued = await h.gql<{ issueApiKey: { keyId: string } }>(
        `mutation { issueApiKey(input: { tenantId: "${TENANT_A}", name: "SOAR", roles: ["soc.analyst"], expiresAt: "${new Date(Date.now() + 86_400_000).toISOString()}" }) { ... on ApiKeyIssued { keyId } } }`,
        { token: socLead },
      );
      const { keyId } = issued.body.data!.issueApiKey;
      const [event] = await h.server.stores.eventStore.readStream(`t-${TENANT_A}:apikey-${keyId}`);
      expect(event).toMatchObject({
        type: 'tenancy.ApiKeyIssued.v1',
        data: { roles: ['soc.analyst'], socTeam: 'blue', issuedBy: { id: 'sam@soc.example', staff: true } },
        metadata: { tenantId: TENANT_A, actor: { kind: 'user', id: 'sam@soc.example', onBehalfOfTenant: TENANT_A } },
      });
      expect(JSON.stringify(event.data)).toMatch(/"secretSha256":"[0-9a-f]{64}"/);

      // ...and the customer sees it in its audit trail, with who acted on its behalf, minus the hash
      const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT_A });
      const trail: { type: string; streamId: string; actorId: string; onBehalfOfTenant: string | null; data: string }[] = [];
      let after: string | null = null;
      for (let page = 0; page < 20; page++) {
        const res: { body: { data?: { auditTrail: { edges: { node: (typeof trail)[number] }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null } } =
          await h.gql('query($after: String) { auditTrail(tenantId: "contoso-bank", first: 3, after: $after) { edges { node { type streamId actorId onBehalfOfTenant data } } pageInfo { hasNextPage endCursor } } }', {
            token: viewer,
            variables: { after },
          });
        const conn = res.body.data!.auditTrail;
        trail.push(...conn.edges.map((e) => e.node));
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
      }
      const entry = trail.find((e) => e.streamId === `t-${TENANT_A}:apikey-${keyId}`);
      expect(entry).toMatchObject({ type: 'tenancy.ApiKeyIssued.v1', actorId: 'sam@soc.example', onBehalfOfTenant: TENANT_A });
      expect(entry?.data).not.toMatch(/secretSha256/);
      expect(trail[0].type).toBe('tenancy.TenantOnboarded.v1'); // oldest first, paged without gaps
    });
  });

  describe('authorization', () => {
    it('declares a rule for every operation and every object type of the schema (default deny)', () => {
      const { operations, types } = authorizationCoverage(h.server.api!.schema);
      expect(operations.length).toBeGreaterThan(5);
      expect(operations.filter((o) => !o.rule).map((o) => `${o.type}.${o.field}`)).toEqual([]);
      expect(types.filter((t) => !t.rule).map((t) => t.type)).toEqual([]);
    });

    it('has a matrix fixture for every operation', () => {
      const { operations } = authorizationCoverage(h.server.api!.schema);
      const missing = operations.map((o) => `${o.type}.${o.field}`).filter((name) => !OPERATION_FIXTURES[name]);
      expect(missing).toEqual([]);
    });

    // Operations about the caller only (`me`) have no tenant to cross, nor has the guardrail
    // catalog (product data); platform status is open to SOC staff by design. Everything else is
    // refused to every outsider.
    const matrix = Object.entries(OPERATION_FIXTURES).flatMap(([operation, fixture]) =>
      OUTSIDERS.filter(() => fixture.scope !== 'self' && fixture.scope !== 'catalog')
        .filter((outsider) => fixture.scope !== 'global' || !outsider.role.startsWith('soc.'))
        .map((outsider) => [operation, label(outsider), fixture, outsider] as const),
    );

    it.each(matrix)('%s as %s from another tenant: refused, no data, nothing written', async (operation, _who, fixture, outsider) => {
      const token = await h.token(outsider);
      const field = operation.split('.')[1];
      const before = await h.server.stores.eventStore.headPosition();
      if (operation.startsWith('Subscription.')) {
        const result = await subscribeOnce(h, fixture.document, fixture.variables(TENANT_A), { authorization: `Bearer ${token}` });
        expect(result.data ?? null).toBeNull();
        expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
        return;
      }
      const { body } = await h.gql(fixture.document, { token, variables: fixture.variables(TENANT_A) });
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(body.errors?.[0].message).toMatch(/not allowed/);
      expect(body.data?.[field] ?? null).toBeNull();
      expect(comparePositions(await h.server.stores.eventStore.headPosition(), before)).toBe(0);
    });

    it.each(Object.entries(OPERATION_FIXTURES))('%s as the platform admin is not refused (the fixture is a real probe)', async (operation, fixture) => {
      if (operation.startsWith('Subscription.')) return; // exercised live in the subscription test
      const { body } = await h.gql(fixture.document, { token: admin, variables: fixture.variables(randomTenantFor(operation)) });
      expect(body.errors ?? []).toEqual([]);
    });

    it('lets SOC staff reach exactly the tenants assigned to their team', async () => {
      const analyst = await h.token({ role: 'soc.analyst', socTeam: 'blue' });
      const { body } = await h.gql<{ me: { tenantIds: string[] }; tenants: { edges: { node: { tenantId: string } }[] } }>(
        '{ me { tenantIds } tenants { edges { node { tenantId } } } }',
        { token: analyst },
      );
      expect(body.data?.me.tenantIds).toEqual(['contoso-bank', 'fabrikam-retail']);
      expect(body.data?.tenants.edges.map((e) => e.node.tenantId)).toEqual(['contoso-bank', 'fabrikam-retail']);
    });

    it('streams incident changes, and only those, to an authorized subscriber', async () => {
      const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT_A });
      const received = subscribeOnce(h, 'subscription { incidentEvents(tenantId: "contoso-bank") { type tenantId actorId } }', {}, {
        authorization: `Bearer ${viewer}`,
      });
      await new Promise((r) => setTimeout(r, 300));
      // not an incident event: the subscriber must not receive it
      await h.gql(`mutation { assignSocTeam(input: { tenantId: "${TENANT_A}", socTeam: "incident-probe" }) { __typename } }`, { token: admin });
      await h.gql(`mutation { openIncident(input: { tenantId: "${TENANT_A}", title: "Suspicious sign-ins", severity: "medium" }) { __typename } }`, { token: admin });
      const result = (await received) as { data?: { incidentEvents: Record<string, unknown> } };
      expect(result.data?.incidentEvents).toMatchObject({ type: 'incidents.IncidentOpened.v1', tenantId: TENANT_A, actorId: 'platform.admin-user' });
    });

    it('streams a tenant audit trail to an authorized subscriber', async () => {
      const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT_A });
      const received = subscribeOnce(h, 'subscription { tenantEvents(tenantId: "contoso-bank") { type tenantId actorId onBehalfOfTenant data } }', {}, {
        authorization: `Bearer ${viewer}`,
      });
      await new Promise((r) => setTimeout(r, 300)); // let the subscription start before the event
      await h.gql(`mutation { assignSocTeam(input: { tenantId: "${TENANT_A}", socTeam: "night-shift" }) { __typename } }`, { token: admin });
      const result = (await received) as { data?: { tenantEvents: Record<string, unknown> } };
      expect(result.data?.tenantEvents).toMatchObject({
        type: 'tenancy.SocTeamAssigned.v1',
        tenantId: TENANT_A,
        actorId: 'platform.admin-user',
        onBehalfOfTenant: TENANT_A,
      });
    });
  });

  describe('query limits and rate limits', () => {
    const typeRef = (levels: number) => `type { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} }`;

    it('refuses a query over the depth limit before executing it', async () => {
      // Introspection is counted too: deep introspection is a classic denial of service.
      const ok = await h.gql(`{ __type(name: "Query") { fields { ${typeRef(3)} } } }`, { token: admin });
      expect(ok.body.errors).toBeUndefined();
      const deep = await h.gql(`{ __type(name: "Query") { fields { ${typeRef(12)} } } }`, { token: admin });
      expect(deep.status).toBe(400);
      expect(deep.body.data).toBeUndefined();
      expect(deep.body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(deep.body.errors?.map((e) => e.message).join(' ')).toMatch(/depth limit of 10 exceeded/i);
    });

    it('refuses a query over the cost limit before executing it', async () => {
      const wide = (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `k${i}: apiKeys(tenantId: "${TENANT_A}") { edges { node { keyId name roles tenant { tenantId displayName sector status socTeams } } } }`).join(' ')} }`;
      expect((await h.gql(wide(1), { token: admin })).body.errors).toBeUndefined();
      const costly = await h.gql(wide(14), { token: admin });
      expect(costly.status).toBe(400);
      expect(costly.body.errors?.map((e) => e.message).join(' ')).toMatch(/cost/i);
    });

    it('refuses too many aliases and too many tokens', async () => {
      const aliases = await h.gql(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: me { id }`).join(' ')} }`, { token: admin });
      expect(aliases.status).toBe(400);
      expect(aliases.body.errors?.map((e) => e.message).join(' ')).toMatch(/alias/i);
      const tokens = await h.gql(`{ me { ${'id '.repeat(5_000)}} }`, { token: admin });
      expect(tokens.status).toBe(400);
      expect(tokens.body.errors?.[0].message).toMatch(/tokens/);
    });
  });

  const randomTenantFor = (operation: string) => (operation === 'Mutation.onboardTenant' ? `probe-${randomUUID().slice(0, 6)}` : TENANT_A);
});

describe('per-principal rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '5', RAMPART_GRAPHQL_MAX_COST: '5000' });
  });
  afterAll(async () => h?.stop());

  it('answers 429 with Retry-After past the limit, for that principal only', async () => {
    const noisy = await h.token({ role: 'customer.viewer', tenantId: TENANT_A }, 'noisy');
    const quiet = await h.token({ role: 'customer.viewer', tenantId: TENANT_A }, 'quiet');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.gql('{ me { id } }', { token: noisy })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await h.gql('{ me { id } }', { token: noisy });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect((await h.gql('{ me { id } }', { token: quiet })).status).toBe(200);
  });
});
