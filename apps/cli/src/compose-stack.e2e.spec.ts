// The default docker-compose.yml stack, run for real without Docker: the commands of its services,
// as many processes as their replicas (two `rampart api`, two `rampart worker`, from the build the
// image holds), all started at once with the environment the file gives them, against an empty
// PostgreSQL database. Only what a host cannot provide is replaced: the `postgres` service's address
// by the test database's, the identity provider by a local JWKS endpoint, the secret file by a
// temporary one, the API's port by a free one. A tenant is onboarded through one API and read back
// through the other; the workers project it and evaluate a pushed resource into a finding, and both
// take a share of the process managers' partitions.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { Client } from 'pg';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { activeServices, readCompose, type ComposeService } from '@rampart/runtime/testing';
import { ensureBuilt, root } from './testing/cli';

const TID = '6b1c4f0e-2f7d-4d4e-9a53-0c1e5b7f9d21';
const ISSUER = `https://login.microsoftonline.com/${TID}/v2.0`;
const TENANT = 'compose-bank';
const ROLE_MAP = {
  'Rampart.Platform.Admin': [{ role: 'platform.admin' }],
  'Rampart.Compose.Admin': [{ role: 'customer.admin', tenantId: TENANT }],
};
const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true } };

interface Running {
  readonly service: string;
  readonly child: ChildProcess;
  output(): string;
}

describe('the default docker-compose.yml stack, run as processes', () => {
  let jwks: Server;
  let signingKey: CryptoKey;
  let database: Awaited<ReturnType<typeof throwawayPostgresDatabase>>;
  let dir: string;
  const processes: Running[] = [];
  /** The last GraphQL answer, for the message of a wait that gives up. */
  let lastAnswer: unknown;
  const apiUrls: string[] = [];

  const token = (roles: string[]) =>
    new SignJWT({ tid: TID, oid: `oid-${roles.join('-')}`, name: 'Compose Test', roles })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience('api://rampart')
      .setSubject(`sub-${roles.join('-')}`)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(signingKey);

  const gql = async <T>(url: string, query: string, bearer: string, variables?: Record<string, unknown>) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    const answer = (await response.json()) as { data?: T; errors?: { message: string; extensions?: unknown }[] };
    lastAnswer = { url, status: response.status, answer };
    return answer;
  };

  const said = () => processes.map((p) => `--- ${p.service} (pid ${p.child.pid})\n${p.output().slice(-3_000)}`).join('\n');
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Nothing in the stack exits by itself: one that did is the failure, whatever was awaited.
      const exited = processes.find((p) => p.child.exitCode !== null);
      if (exited) throw new Error(`${what}: ${exited.service} (pid ${exited.child.pid}) exited with ${exited.child.exitCode}; the processes said:\n${said()}`);
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; the last answer: ${JSON.stringify(lastAnswer)}; the processes said:\n${said()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    ensureBuilt();
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    database = await throwawayPostgresDatabase('compose_stack');
    dir = mkdtempSync(join(tmpdir(), 'rampart-compose-'));
    const keyFile = join(dir, 'audit-signing-key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

    // What an operator's .env holds, the identity provider being this test's.
    const compose = readCompose({
      POSTGRES_PASSWORD: `pw-${randomUUID()}`,
      RAMPART_OIDC_ISSUER: ISSUER,
      RAMPART_OIDC_AUDIENCE: 'api://rampart',
      RAMPART_OIDC_JWKS_URI: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/keys`,
      RAMPART_OIDC_ROLE_MAP: JSON.stringify(ROLE_MAP),
    });
    const stack = activeServices(compose);
    expect(Object.keys(stack).sort()).toEqual(['api', 'postgres', 'worker']);

    /** The service's environment on this host: the compose network's names and files replaced by local ones. */
    const hostEnvironment = (name: string, service: ComposeService): Record<string, string> => {
      const env: Record<string, string> = { ...service.environment };
      const composeUrl = new URL(env['DATABASE_URL']);
      expect(composeUrl.hostname).toBe('postgres'); // the compose service this test's database stands in for
      env['DATABASE_URL'] = database.url;
      expect(env['RAMPART_AUDIT_SIGNING_KEY_FILE']).toBe(`/run/secrets/${service.secrets?.[0]}`);
      env['RAMPART_AUDIT_SIGNING_KEY_FILE'] = keyFile;
      // Each container has its own ports; on one host each replica takes a free one.
      expect(env['RAMPART_HOST']).toBe('0.0.0.0');
      env['RAMPART_HOST'] = '127.0.0.1';
      if (name === 'api') env['RAMPART_PORT'] = '0';
      if (name === 'worker') {
        expect(env['RAMPART_WORKER_METRICS_PORT']).toMatch(/^\d+$/);
        env['RAMPART_WORKER_METRICS_PORT'] = '0';
      }
      // The container's working folder holds nothing but the build; here the data folder is the test's.
      env['RAMPART_DATA_DIR'] = join(dir, 'data');
      return { PATH: process.env['PATH'] ?? '', HOME: dir, ...env };
    };

    // Every replica of every Rampart service at once, as `docker compose up` starts them once PostgreSQL is healthy.
    const starts: Promise<void>[] = [];
    for (const [name, service] of Object.entries(stack).filter(([, s]) => s.build !== undefined)) {
      const [node, script, ...args] = service.command ?? [];
      expect(node).toBe('node');
      for (let replica = 0; replica < (service.deploy?.replicas ?? 1); replica++) {
        const child = spawn(process.execPath, [join(root, script), ...args], { cwd: root, env: hostEnvironment(name, service) });
        let output = '';
        child.stdout?.on('data', (chunk) => (output += String(chunk)));
        child.stderr?.on('data', (chunk) => (output += String(chunk)));
        const running = { service: name, child, output: () => output };
        processes.push(running);
        starts.push(
          until(`${name} ${replica + 1} started`, async () => {
            if (name === 'api') {
              const url = /GraphQL\s+(http:\/\/[^\s]+)\/graphql/.exec(output)?.[1];
              if (url) apiUrls.push(url);
              return url;
            }
            return output.includes('"worker started"') ? true : undefined;
          }, 150_000).then(() => undefined),
        );
      }
    }
    await Promise.all(starts);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(
      processes.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await database?.dispose();
    await new Promise((resolve) => jwks?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('runs two API replicas and two workers, all healthy, in production mode', async () => {
    expect(processes.map((p) => p.service).sort()).toEqual(['api', 'api', 'worker', 'worker']);
    expect(new Set(apiUrls).size).toBe(2);
    for (const url of apiUrls) {
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', checks: { eventStore: 'up', readModels: 'up' } });
      // production: no development issuer, so an unsigned or foreign token is refused
      expect((await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' })).status).toBe(401);
    }
    for (const p of processes) expect(p.output()).toContain('"store":"postgres (postgres://postgres@127.0.0.1:');
  });

  it('writes through one API and reads through the other what the workers projected and evaluated', async () => {
    const [first, second] = apiUrls;
    const admin = await token(['Rampart.Platform.Admin']);
    const customer = await token(['Rampart.Compose.Admin']);
    const onboarded = await gql<{ onboardTenant: { __typename: string; code?: string } }>(
      first,
      `mutation { onboardTenant(input: { tenantId: "${TENANT}", displayName: "Compose Bank", sector: "finance", contactEmail: "it@compose.example" }) { __typename ... on Rejection { code } } }`,
      admin,
    );
    expect(onboarded.errors).toBeUndefined();
    expect(onboarded.data?.onboardTenant).not.toHaveProperty('code'); // not a Rejection
    // the tenant directory is a projection: only a worker puts the tenant there
    await until('the tenant, projected, through the other API', async () => {
      const { data } = await gql<{ tenants: { edges: { node: { tenantId: string; status: string } }[] } }>(second, '{ tenants { edges { node { tenantId status } } } }', admin);
      return data?.tenants.edges.find((e) => e.node.tenantId === TENANT);
    });

    const assigned = await gql<{ assignBaseline: { __typename: string } }>(
      second,
      `mutation { assignBaseline(input: { tenantId: "${TENANT}", assignmentId: "core", baselineId: "landing-zone-core" }) { __typename } }`,
      customer,
    );
    expect(assigned.data?.assignBaseline.__typename).toBe('GuardrailPolicyChanged');
    const pushed = await gql(first, `mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered } }`, customer, {
      json: JSON.stringify([webApp]),
    });
    expect(pushed.errors).toBeUndefined();
    // a finding is the guardrail evaluator's reaction (a worker's process manager), read from a projection
    const finding = await until('a finding for the pushed web app', async () => {
      const { data } = await gql<{ findings: { edges: { node: { guardrailId: string; status: string } }[] } }>(
        second,
        `{ findings(tenantId: "${TENANT}") { edges { node { guardrailId status } } } }`,
        customer,
      );
      return data?.findings.edges.map((e) => e.node).find((f) => f.guardrailId === 'web-app-without-authentication');
    });
    expect(finding.status).toBe('open');
  }, 300_000);

  it('shares the process managers\' partitions between both workers', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const holders = await until('both workers holding partitions', async () => {
        const { rows } = await client.query<{ holder: string }>(
          `SELECT DISTINCT holder FROM rampart_read.leases WHERE lease_key LIKE 'subscription:guardrail-evaluator[%' AND expires_at > now()`,
        );
        return rows.length === 2 ? rows.map((r) => r.holder) : undefined;
      });
      const workerPids = processes.filter((p) => p.service === 'worker').map((p) => String(p.child.pid));
      expect(holders.map((h) => h.split(':')[1]).sort()).toEqual(workerPids.sort());
    } finally {
      await client.end();
    }
  }, 180_000);
});
