// The console's development sign-in, attacked: the code `npm start` prints signs in once and only for
// 15 minutes, `rampart dev sign-in-link` gives the next without a restart, and guessing is throttled
// per client address (the operator's fixed RAMPART_CONSOLE_SIGNIN_CODE included) without locking out
// a fresh signed code.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignInCodes, WRONG_SIGN_IN_CODES_PER_MINUTE } from '@rampart/graphql-api';
import { SignJWT } from 'jose';
import { startHarness, type Harness } from '../testing/harness';

const root = join(__dirname, '..', '..', '..', '..');
// Asynchronously: the server under test runs in this process, and a blocked event loop would leave
// its idle keep-alive sockets to time out under the next fetch (ECONNRESET on a busy machine).
const rampart = (args: string[], env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'tools', 'bin', 'rampart.js'), ...args],
      { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'development', RAMPART_LOG_LEVEL: 'silent', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

/** The harness sets a fixed code; `npm start` runs without one. */
const WITHOUT_FIXED_CODE = { RAMPART_CONSOLE_SIGNIN_CODE: undefined } as unknown as Record<string, string>;

interface Refusal {
  errors: { message: string; extensions: { code: string; reason?: string; retryAfterSeconds?: number } }[];
}

const signInWith = (h: Harness) => async (code: string, persona = 'platform-admin') => {
  const res = await fetch(`${h.url}/auth/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, persona }) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Partial<Refusal> & { token?: string } };
};

const consoleDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Rampart</title><div id="root"></div>');
  return dir;
};

describe('console sign-in codes, as `npm start` runs (no fixed code)', () => {
  let h: Harness;
  let dir: string;
  let signIn: ReturnType<typeof signInWith>;
  beforeAll(async () => {
    dir = consoleDir();
    h = await startHarness({ ...WITHOUT_FIXED_CODE, RAMPART_CONSOLE_DIR: dir });
    signIn = signInWith(h);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints an address whose code signs in once, within 15 minutes', async () => {
    expect(h.server.consoleUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=/);
    const code = new URL(h.server.consoleUrl!).searchParams.get('code')!;
    const lifetime = Date.parse(h.server.consoleUrlExpiresAt!) - Date.now();
    expect(lifetime).toBeGreaterThan(14 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);

    // a wrong persona does not spend it
    expect((await signIn(code, 'root')).status).toBe(400);
    const first = await signIn(code, 'platform-admin');
    expect(first.status).toBe(200);
    expect(first.body.token).toEqual(expect.any(String));

    for (const persona of ['platform-admin', 'soc-lead']) {
      const again = await signIn(code, persona);
      expect(again.status).toBe(401);
      expect(again.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'sign-in-code-used' });
      expect(again.body.errors?.[0].message).toMatch(/npx rampart dev sign-in-link/);
    }
  });

  it('spends a code once even when two sign-ins race with it', async () => {
    const { code } = await (await SignInCodes.open(h.dataDir, { production: false })).mint();
    const statuses = (await Promise.all([1, 2, 3, 4].map(() => signIn(code)))).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 401, 401, 401]);
  });

  it('refuses a code once its time is up, and one issued before the server started', async () => {
    const key = JSON.parse(readFileSync(join(h.dataDir, 'console-sign-in', 'key.json'), 'utf8')) as { k: string };
    const now = Math.floor(Date.now() / 1000);
    const shortLived = await new SignJWT({ purpose: 'console-sign-in' })
      .setProtectedHeader({ alg: 'HS256' })
      .setJti('short-lived')
      .setIssuedAt(now)
      .setExpirationTime(now + 1)
      .sign(Buffer.from(key.k, 'base64url'));
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const late = await signIn(shortLived);
    expect(late.status).toBe(401);
    expect(late.body.errors?.[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'sign-in-code-expired' });
    expect(late.body.errors?.[0].message).toMatch(/expired.*npx rampart dev sign-in-link/);

    const beforeStart = await (await SignInCodes.open(h.dataDir, { production: false })).mint(new Date(Date.now() - 10 * 60_000));
    expect((await signIn(beforeStart.code)).body.errors?.[0].extensions?.reason).toBe('sign-in-code-expired');
  });

  it('`rampart dev sign-in-link` prints a new address the running server accepts once', async () => {
    const result = await rampart(['dev', 'sign-in-link', '--url', h.url], { RAMPART_DATA_DIR: h.dataDir });
    expect(result.status).toBe(0);
    const link = result.stdout.trim();
    expect(link.startsWith(`${h.url}/?code=`)).toBe(true);
    expect(result.stderr).toMatch(/signs in once/);
    const code = new URL(link).searchParams.get('code')!;
    expect((await signIn(code, 'soc-analyst')).status).toBe(200);
    expect((await signIn(code, 'soc-analyst')).status).toBe(401);

    const off = await rampart(['dev', 'sign-in-link', '--url', h.url], { RAMPART_DATA_DIR: h.dataDir, RAMPART_DEV_ISSUER: 'off' });
    expect(off.status).toBe(1);
    expect(off.stderr).toMatch(/development sign-in is off/);
  });

  // Last: it leaves 127.0.0.1 throttled for a minute.
  it('answers 429 with retry-after after 10 wrong codes a minute, yet lets a fresh signed code in', async () => {
    const { code: used } = await (await SignInCodes.open(h.dataDir, { production: false })).mint();
    expect((await signIn(used)).status).toBe(200);
    for (let i = 0; i < WRONG_SIGN_IN_CODES_PER_MINUTE; i++) {
      const wrong = await signIn(`a-guess-of-the-code-${i}`);
      expect([i, wrong.status, wrong.body.errors?.[0].extensions?.reason]).toEqual([i, 401, 'wrong-sign-in-code']);
    }
    // the eleventh, no code at all, and a real but spent code all wait now
    for (const code of ['one-guess-too-many', '', used]) {
      const throttled = await signIn(code);
      expect(throttled.status).toBe(429);
      const retryAfter = Number(throttled.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(throttled.body.errors?.[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    }
    const { code: fresh } = await (await SignInCodes.open(h.dataDir, { production: false })).mint();
    expect((await signIn(fresh)).status).toBe(200);
  });
});

describe('the operator’s fixed code (RAMPART_CONSOLE_SIGNIN_CODE)', () => {
  let h: Harness;
  let signIn: ReturnType<typeof signInWith>;
  beforeAll(async () => {
    h = await startHarness();
    signIn = signInWith(h);
  });
  afterAll(async () => h?.stop());

  it('keeps working for development, more than once, and is throttled like any code', async () => {
    expect((await signIn(h.consoleCode, 'soc-analyst')).status).toBe(200);
    expect((await signIn(h.consoleCode, 'soc-lead')).status).toBe(200);
    for (let i = 0; i < WRONG_SIGN_IN_CODES_PER_MINUTE; i++) expect((await signIn(`${h.consoleCode}-${i}`)).status).toBe(401);
    // once throttled, even the right fixed code waits: a 200 would tell a guesser it was right
    const throttled = await signIn(h.consoleCode);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
