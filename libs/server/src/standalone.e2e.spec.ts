// Boots the standalone platform (API + worker on PGlite in a temp folder) and speaks GraphQL
// and HTTP to it as a client would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printSdl } from '@rampart/graphql-api';
import { createLogger, DataDirInUseError, loadConfig } from '@rampart/runtime';
import { serve } from './serve';
import { startHarness, type Harness } from './testing/harness';

describe('standalone platform over HTTP', () => {
  let h: Harness;
  let admin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.token({ role: 'platform.admin' });
  });
  afterAll(async () => h?.stop());

  it('answers a GraphQL query with the projected demo tenants', async () => {
    const { status, body } = await h.gql('{ tenants { edges { node { tenantId sector status socTeams } } } platform { store projections { name eventsBehind } } }', {
      token: admin,
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect((body.data as { tenants: { edges: { node: unknown }[] } }).tenants.edges.map((e) => e.node)).toEqual([
      { tenantId: 'contoso-bank', sector: 'finance', status: 'active', socTeams: ['blue'] },
      { tenantId: 'fabrikam-retail', sector: 'retail', status: 'active', socTeams: ['blue'] },
      { tenantId: 'northwind-mfg', sector: 'manufacturing', status: 'active', socTeams: ['red'] },
    ]);
    expect(body.data?.['platform']).toMatchObject({
      store: 'pglite',
      projections: [
        { name: 'tenant-directory', eventsBehind: 0 },
        { name: 'api-key-directory', eventsBehind: 0 },
        { name: 'tenant-groups', eventsBehind: 0 },
        { name: 'resource-inventory', eventsBehind: 0 },
        { name: 'ingestion-runs', eventsBehind: 0 },
        { name: 'tenant-guardrails', eventsBehind: 0 },
        { name: 'compliance', eventsBehind: 0 },
        { name: 'findings', eventsBehind: 0 },
        { name: 'attestations', eventsBehind: 0 },
        { name: 'incidents', eventsBehind: 0 },
        { name: 'response-actions', eventsBehind: 0 },
      ],
    });
  });

  it('serves exactly the committed schema.graphql', () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'graphql-api', 'schema.graphql'), 'utf8');
    expect(printSdl(h.server.api!.schema)).toBe(committed);
  });

  it('batches related reads: a page of API keys with their tenant costs one tenant query (no N+1)', async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const customerAdmin = await h.token({ role: 'customer.admin', tenantId: 'contoso-bank' });
    for (let i = 0; i < 12; i++) {
      const issued = await h.gql<{ issueApiKey: { __typename: string } }>(
        `mutation { issueApiKey(input: { tenantId: "contoso-bank", name: "k${i}", roles: ["customer.viewer"], expiresAt: "${expiresAt}" }) { __typename } }`,
        { token: customerAdmin },
      );
      expect(issued.body.data?.issueApiKey.__typename).toBe('ApiKeyIssued');
    }
    await h.settled();
    const query = jest.spyOn(h.server.stores.readModels, 'query');
    try {
      const { body } = await h.gql<{ apiKeys: { edges: { node: { tenant: { tenantId: string } } }[] } }>(
        '{ apiKeys(tenantId: "contoso-bank", first: 20) { edges { node { name tenant { tenantId displayName } } } } }',
        { token: admin },
      );
      expect(body.data?.apiKeys.edges).toHaveLength(12);
      expect(body.data?.apiKeys.edges.every((e) => e.node.tenant.tenantId === 'contoso-bank')).toBe(true);
      const tenantReads = query.mock.calls.filter(([sql]) => /tenant_directory/.test(String(sql)));
      expect(tenantReads).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });

  it('connects a tenant cloud by credential reference, and refuses a pasted secret', async () => {
    const add = (credentialReference: string, connectionId: string) =>
      h.gql<{ addCloudConnection: { __typename: string; code?: string } }>(
        `mutation { addCloudConnection(input: { tenantId: "fabrikam-retail", connectionId: "${connectionId}", entraTenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
           subscriptions: ["00000000-0000-0000-0000-00000000000a"], credentialReference: "${credentialReference}" }) { __typename ... on Rejection { code } } }`,
        { token: admin },
      );
    expect((await add('fabrikam', 'prod')).body.data?.addCloudConnection).toEqual({ __typename: 'TenantChanged' });
    expect((await add('s3cr3t~value.with.dots', 'dev')).body.data?.addCloudConnection).toEqual({ __typename: 'Rejection', code: 'invalid-credential-reference' });
    await h.settled();
    const { body } = await h.gql<{ tenant: { connections: unknown[] } }>(
      '{ tenant(tenantId: "fabrikam-retail") { connections { connectionId provider subscriptions credentialReference } } }',
      { token: admin },
    );
    expect(body.data?.tenant.connections).toEqual([
      { connectionId: 'prod', provider: 'azure', subscriptions: ['00000000-0000-0000-0000-00000000000a'], credentialReference: 'fabrikam' },
    ]);
  });

  it('refuses an edit decided on a stale revision (optimistic concurrency)', async () => {
    const read = await h.gql<{ tenant: { revision: number } }>('{ tenant(tenantId: "northwind-mfg") { revision } }', { token: admin });
    const seen = read.body.data!.tenant.revision;
    const assign = (socTeam: string, expectedRevision: number) =>
      h.gql<{ assignSocTeam: { __typename: string; code?: string; revision?: number } }>(
        `mutation { assignSocTeam(input: { tenantId: "northwind-mfg", socTeam: "${socTeam}", expectedRevision: ${expectedRevision} }) {
           __typename ... on SocTeamAssigned { revision } ... on Rejection { code } } }`,
        { token: admin },
      );
    const first = await assign('purple', seen);
    expect(first.body.data?.assignSocTeam).toEqual({ __typename: 'SocTeamAssigned', revision: seen + 1 });
    const second = await assign('green', seen); // decided on what the user saw before the first edit
    expect(second.body.data?.assignSocTeam).toEqual({ __typename: 'Rejection', code: 'stale-revision' });
    expect((await assign('green', seen + 1)).body.data?.assignSocTeam.__typename).toBe('SocTeamAssigned');
  });

  it('refuses invalid GraphQL with a clear error and no data', async () => {
    const { status, body } = await h.gql('{ tenants { noSuchField } }', { token: admin });
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(body.errors?.[0].message).toMatch(/noSuchField/);
    const syntax = await h.gql('{ tenants { ', { token: admin });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses an oversize request body', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: `{ me { id } }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it('refuses a cross-site simple request (CSRF prevention)', async () => {
    const res = await fetch(`${h.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(400);
  });

  it('reports health without a principal, and metrics on a private address', async () => {
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'pglite', checks: { eventStore: 'up', readModels: 'up' } });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_projection_events_behind\{projection="tenant-directory"\} 0/);
    expect(metrics).toMatch(/rampart_process_cpu_user_seconds_total/);
  });

  it('answers 404 for unknown routes, after authentication', async () => {
    const json = { accept: 'application/json' };
    expect((await fetch(`${h.url}/admin`, { headers: json })).status).toBe(401);
    expect((await fetch(`${h.url}/admin`, { headers: { ...json, authorization: `Bearer ${admin}` } })).status).toBe(404);
  });

  it('refuses to open a data folder another live process holds', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
    let sleeper: ChildProcess | undefined;
    try {
      sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      writeFileSync(join(other, 'rampart.pid'), String(sleeper.pid));
      const cfg = loadConfig({ RAMPART_DATA_DIR: other, RAMPART_PORT: '0' });
      await expect(serve('standalone', cfg, { log: createLogger('silent') })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      sleeper?.kill();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps its data across a restart and seeds the demo only once', async () => {
    const before = await h.server.stores.eventStore.headPosition();
    await h.server.stop();
    const again = await serve('standalone', h.config, { log: createLogger('silent') });
    try {
      expect(await again.stores.eventStore.headPosition()).toEqual(before);
    } finally {
      await again.stop();
    }
    h = await startHarness(); // the suite's afterAll stops this one
  });
});
