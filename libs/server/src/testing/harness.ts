// Test harness: boots the standalone platform on a throwaway PGlite folder and gives tests real
// signed tokens (from the development issuer of that folder) and a GraphQL client over HTTP.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoleGrant } from '@rampart/auth';
import { pgliteImage } from '@rampart/event-store/testing';
import { DevIssuer } from '@rampart/graphql-api';
import { createLogger, loadConfig, type RampartConfig } from '@rampart/runtime';
import { serve, type ServeOptions, type Server } from '../serve';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: { message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }[] };
  headers: Headers;
}

export interface Harness {
  readonly server: Server;
  readonly url: string;
  readonly config: RampartConfig;
  readonly dataDir: string;
  /** The development sign-in code of the console this API serves (apps/console/dist, when built). */
  readonly consoleCode: string;
  token(grant: RoleGrant, subject?: string): Promise<string>;
  gql<T = Record<string, unknown>>(query: string, options?: { token?: string; apiKey?: string; variables?: Record<string, unknown>; headers?: Record<string, string> }): Promise<GqlResult<T>>;
  /** Polls until the read models have caught up with the log. */
  settled(): Promise<void>;
  /** Reads until `ok` says so, for what the worker does asynchronously (evaluation, incidents, actions). */
  eventually<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export const startHarness = async (env: Record<string, string> = {}, options: Pick<ServeOptions, 'resourceGraph'> = {}): Promise<Harness> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
  const consoleCode = `harness-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    RAMPART_DATA_DIR: dataDir,
    RAMPART_PORT: '0',
    RAMPART_LOG_LEVEL: 'silent',
    RAMPART_CONSOLE_DIR: join(__dirname, '..', '..', '..', '..', 'apps', 'console', 'dist'),
    RAMPART_CONSOLE_SIGNIN_CODE: consoleCode,
    ...env,
  });
  const server = await serve('standalone', config, { log: createLogger('silent'), demo: 'tenants', pgliteImage: await pgliteImage(), ...options });
  const issuer = await DevIssuer.open(dataDir, { production: false });
  const { api, worker } = server;
  if (!api || !worker) throw new Error('standalone mode runs the API and the worker');
  const url = api.url;
  const harness: Harness = {
    server,
    url,
    config,
    dataDir,
    consoleCode,
    token: (grant, subject = `${grant.role}-user`) => issuer.sign({ subject, grants: [grant] }),
    async gql(query, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      if (options.apiKey) headers['x-api-key'] = options.apiKey;
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables: options.variables }) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
    },
    async settled() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const statuses = await worker.statuses();
        if (statuses.every((s) => s.eventsBehind === 0)) return;
        if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(statuses)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async eventually(what, read, ok, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await read();
        if (ok(value)) return value;
        if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms; last read: ${JSON.stringify(value)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await harness.settled();
  return harness;
};
