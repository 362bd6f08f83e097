// Boots the standalone platform (API + worker on PGlite in a temp folder) and speaks GraphQL
// and HTTP to it as a client would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnsafeBindError } from '@rampart/graphql-api';
import { createLogger, DataDirInUseError, loadConfig, type RampartConfig } from '@rampart/platform';
import { serve, type Server } from './serve';

const gql = async (server: Server, query: string, init: RequestInit = {}) => {
  const res = await fetch(`${server.api!.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    ...init,
  });
  return { status: res.status, body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] } };
};

const eventually = async <T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('standalone platform over HTTP', () => {
  let dataDir: string;
  let config: RampartConfig;
  let server: Server;
  const log = createLogger('silent');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
    config = loadConfig({ RAMPART_DATA_DIR: dataDir, RAMPART_PORT: '0', RAMPART_LOG_LEVEL: 'silent' });
    server = await serve('standalone', config, { log });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a GraphQL query with the projected demo tenants', async () => {
    const result = await eventually(
      () => gql(server, '{ tenants { tenantId sector status } platform { store headPosition projections { name eventsBehind } } }'),
      (r) => (r.body.data?.['tenants'] as unknown[] | undefined)?.length === 3,
    );
    expect(result.status).toBe(200);
    expect(result.body.data?.['tenants']).toEqual([
      { tenantId: 'contoso-bank', sector: 'finance', status: 'active' },
      { tenantId: 'fabrikam-retail', sector: 'retail', status: 'active' },
      { tenantId: 'northwind-mfg', sector: 'manufacturing', status: 'active' },
    ]);
    expect(result.body.data?.['platform']).toMatchObject({
      store: 'pglite',
      projections: [{ name: 'tenant-directory', eventsBehind: 0 }],
    });
  });

  it('refuses invalid GraphQL with a clear error and no data', async () => {
    const { status, body } = await gql(server, '{ tenants { noSuchField } }');
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(body.errors?.[0].message).toMatch(/noSuchField/);
    const syntax = await gql(server, '{ tenants { ');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses an oversize request body', async () => {
    const res = await fetch(`${server.api!.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ platform { version } }`, variables: { pad: 'x'.repeat(2 * 1024 * 1024) } }),
    });
    expect(res.status).toBe(413);
  });

  it('refuses a cross-site simple request (CSRF prevention)', async () => {
    const res = await fetch(`${server.api!.url}/graphql?query=${encodeURIComponent('{ tenants { tenantId } }')}`);
    expect(res.status).toBe(400);
  });

  it('reports health and Prometheus metrics', async () => {
    const health = await fetch(`${server.api!.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', store: 'pglite', checks: { eventStore: 'up', readModels: 'up' } });
    const metrics = await (await fetch(`${server.api!.url}/metrics`)).text();
    expect(metrics).toMatch(/rampart_projection_events_behind\{projection="tenant-directory"\} 0/);
    expect(metrics).toMatch(/rampart_process_cpu_user_seconds_total/);
  });

  it('answers 404 for unknown routes', async () => {
    expect((await fetch(`${server.api!.url}/admin`)).status).toBe(404);
  });

  it('will not bind the unauthenticated API to a network address', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
    try {
      const exposed = loadConfig({ RAMPART_DATA_DIR: other, RAMPART_HOST: '0.0.0.0', RAMPART_PORT: '0' });
      await expect(serve('api', exposed, { log })).rejects.toBeInstanceOf(UnsafeBindError);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses to open a data folder another live process holds', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
    let sleeper: ChildProcess | undefined;
    try {
      sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
      writeFileSync(join(other, 'rampart.pid'), String(sleeper.pid));
      const cfg = loadConfig({ RAMPART_DATA_DIR: other, RAMPART_PORT: '0' });
      await expect(serve('standalone', cfg, { log })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      sleeper?.kill();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps its data across a restart and seeds the demo only once', async () => {
    const before = await server.stores.eventStore.headPosition();
    await server.stop();
    server = await serve('standalone', config, { log });
    expect(await server.stores.eventStore.headPosition()).toEqual(before);
    const { body } = await gql(server, '{ tenants { tenantId } }');
    expect(body.data?.['tenants']).toHaveLength(3);
  });
});
