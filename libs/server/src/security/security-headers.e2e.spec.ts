// Every HTTP answer carries the security headers — the console's files and every API answer alike:
// a strict Content-Security-Policy (connect-src: the API itself, its GraphQL WebSocket and, when the
// console signs in with OIDC, the issuer), nosniff, no referrer, no framing.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../testing/harness';

const consoleDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("rampart")');
  return dir;
};

/** `default-src 'self'; …` -> { 'default-src': ["'self'"], … } */
const directives = (policy: string | null): Record<string, string[]> =>
  Object.fromEntries(
    (policy ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );

const expectSecurityHeaders = (what: string, headers: Headers, host: string) => {
  const csp = directives(headers.get('content-security-policy'));
  expect({ what, csp }).toEqual({
    what,
    csp: expect.objectContaining({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'form-action': ["'self'"],
      'connect-src': ["'self'", `ws://${host}`, `wss://${host}`],
    }),
  });
  expect(headers.get('content-security-policy')).not.toMatch(/unsafe-|\*/);
  expect({
    what,
    nosniff: headers.get('x-content-type-options'),
    referrer: headers.get('referrer-policy'),
    frames: headers.get('x-frame-options'),
    opener: headers.get('cross-origin-opener-policy'),
    poweredBy: headers.get('x-powered-by'),
  }).toEqual({ what, nosniff: 'nosniff', referrer: 'no-referrer', frames: 'DENY', opener: 'same-origin', poweredBy: null });
  expect(headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  expect(headers.get('permissions-policy')).toMatch(/camera=\(\)/);
};

describe('security headers', () => {
  let h: Harness;
  let dir: string;
  let admin: string;
  beforeAll(async () => {
    dir = consoleDir();
    h = await startHarness({ RAMPART_CONSOLE_DIR: dir });
    admin = await h.token({ role: 'platform.admin' });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are on every answer: the console’s files, its config and sign-in, GraphQL, health, metrics and refusals', async () => {
    const host = new URL(h.url).host;
    const json = { 'content-type': 'application/json' };
    const auth = { authorization: `Bearer ${admin}` };
    const answers: [string, string, RequestInit, number][] = [
      ['console page', '/soc/queue', { headers: { accept: 'text/html' } }, 200],
      ['console script', '/assets/app.js', {}, 200],
      ['console config', '/console/config.json', {}, 200],
      ['development sign-in refused', '/auth/dev/token', { method: 'POST', headers: json, body: '{}' }, 401],
      ['GraphQL refused', '/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: '{ me { id } }' }) }, 401],
      ['GraphQL answer', '/graphql', { method: 'POST', headers: { ...json, ...auth }, body: JSON.stringify({ query: '{ me { id } }' }) }, 200],
      ['GraphQL syntax error', '/graphql', { method: 'POST', headers: { ...json, ...auth }, body: JSON.stringify({ query: '{ me {' }) }, 400],
      ['malformed body', '/graphql', { method: 'POST', headers: { ...json, ...auth }, body: '{"query":' }, 400],
      ['unknown route', '/nothing-here', { headers: { accept: 'application/json', ...auth } }, 404],
      ['health', '/health', {}, 200],
      ['metrics', '/metrics', {}, 200],
    ];
    for (const [what, path, init, status] of answers) {
      const res = await fetch(`${h.url}${path}`, init);
      expect([what, res.status]).toEqual([what, status]);
      expectSecurityHeaders(what, res.headers, host);
      await res.arrayBuffer();
    }
  });

  it('names the WebSocket origin only from a Host header that is a host', async () => {
    const policyFor = (host: string) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(`${h.url}/health`);
        const req = request({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
          res.resume();
          resolve(String(res.headers['content-security-policy']));
        });
        req.on('error', reject);
        req.end();
      });
    expect(directives(await policyFor('console.example:8443'))['connect-src']).toEqual(["'self'", 'ws://console.example:8443', 'wss://console.example:8443']);
    for (const hostile of ['evil.example; script-src *', 'evil.example/x', "'unsafe-inline'"]) {
      const policy = await policyFor(hostile);
      expect(directives(policy)['connect-src']).toEqual(["'self'"]);
      expect(policy).not.toMatch(/evil|unsafe/);
    }
  });
});

describe('security headers with OIDC sign-in for the console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      RAMPART_DEV_ISSUER: 'off',
      RAMPART_CONSOLE_DIR: 'off',
      RAMPART_OIDC_ISSUER: 'https://login.example.com/{tenantid}/v2.0',
      RAMPART_OIDC_ALLOWED_TENANTS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      RAMPART_OIDC_AUDIENCE: 'api://rampart',
      RAMPART_OIDC_JWKS_URI: 'https://login.example.com/common/discovery/v2.0/keys',
      RAMPART_CONSOLE_OIDC_CLIENT_ID: 'rampart-console',
    });
  });
  afterAll(async () => h?.stop());

  it('let the console fetch from the issuer (discovery, tokens) and nowhere else', async () => {
    const res = await fetch(`${h.url}/console/config.json`);
    expect(await res.json()).toMatchObject({ mode: 'oidc' });
    const host = new URL(h.url).host;
    expect(directives(res.headers.get('content-security-policy'))['connect-src']).toEqual(["'self'", `ws://${host}`, `wss://${host}`, 'https://login.example.com']);
  });
});
