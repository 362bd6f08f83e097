// The console's edge of the API: its files and config answer without a principal, its development
// sign-in needs the code printed at start, and nothing of it is a way around authentication.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './testing/harness';

describe('the console edge of the API', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("rampart")');
    h = await startHarness({ RAMPART_CONSOLE_DIR: dir });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (body: unknown) => fetch(`${h.url}/auth/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves the console and its client-side routes, and leaves the API routes to the API', async () => {
    const html = { accept: 'text/html' };
    for (const path of ['/', '/soc/queue', '/tenants/contoso-bank/posture']) {
      const res = await fetch(`${h.url}${path}`, { headers: html });
      expect([path, res.status]).toEqual([path, 200]);
      expect(await res.text()).toContain('<div id="root">');
    }
    const js = await fetch(`${h.url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${h.url}/graphql`, { headers: html })).status).toBe(401);
    expect((await fetch(`${h.url}/audit-exports/contoso-bank/x/events.csv`, { headers: html })).status).toBe(401);
  });

  it('signs in a demo persona with the code printed at start, and with nothing else', async () => {
    const config = await (await fetch(`${h.url}/console/config.json`)).json();
    expect(config).toMatchObject({ mode: 'dev', personas: expect.arrayContaining([expect.objectContaining({ id: 'soc-analyst', role: 'soc.analyst', socTeam: 'blue' })]) });
    expect((await signIn({ persona: 'soc-analyst' })).status).toBe(401);
    expect((await signIn({ code: `${h.consoleCode}x`, persona: 'soc-analyst' })).status).toBe(401);
    expect((await signIn({ code: h.consoleCode, persona: 'root' })).status).toBe(400);
    const ok = await signIn({ code: h.consoleCode, persona: 'customer-admin' });
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    const me = await h.gql<{ me: { id: string; grants: { role: string; tenantId: string | null }[] } }>('{ me { id grants { role tenantId } } }', { token });
    expect(me.body.data?.me).toEqual({ id: 'it@contoso-bank.example', grants: [{ role: 'customer.admin', tenantId: 'contoso-bank' }] });
  });
});

describe('the console edge without development sign-in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_DEV_ISSUER: 'off', RAMPART_CONSOLE_DIR: 'off' });
  });
  afterAll(async () => h?.stop());

  it('refuses development sign-in and says how to configure OIDC', async () => {
    const res = await fetch(`${h.url}/auth/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: h.consoleCode, persona: 'platform-admin' }) });
    expect(res.status).toBe(404);
    expect(await (await fetch(`${h.url}/console/config.json`)).json()).toMatchObject({ mode: 'none', message: expect.stringMatching(/RAMPART_CONSOLE_OIDC_CLIENT_ID/) });
    expect((await fetch(`${h.url}/`, { headers: { accept: 'text/html' } })).status).toBe(401);
  });
});
