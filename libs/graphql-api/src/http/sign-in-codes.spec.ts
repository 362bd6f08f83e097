import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import { looksLikeSignedCode, SIGN_IN_CODE_LIFETIME_SECONDS, SignInCodes, SignInCodesRefusedError } from './sign-in-codes';

const at = (iso: string) => new Date(iso);
const START = at('2026-11-02T09:00:00Z');
const minutesAfter = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

describe('SignInCodes', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rampart-sign-in-codes-'));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it('refuses to open in production', async () => {
    await expect(SignInCodes.open(dataDir, { production: true })).rejects.toBeInstanceOf(SignInCodesRefusedError);
  });

  it('mints a code that lasts 15 minutes, with a purpose and a jti', async () => {
    const codes = await SignInCodes.open(dataDir, { production: false }, START);
    const { code, expiresAt } = await codes.mint(START);
    expect(expiresAt).toBe('2026-11-02T09:15:00.000Z');
    const claims = decodeJwt(code);
    expect(claims).toMatchObject({ purpose: 'console-sign-in', jti: expect.any(String) });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(SIGN_IN_CODE_LIFETIME_SECONDS);
    expect(looksLikeSignedCode(code)).toBe(true);
    expect((await stat(join(dataDir, 'console-sign-in', 'key.json'))).mode & 0o777).toBe(0o600);
  });

  it('signs in once: a redeemed code is refused as used', async () => {
    const codes = await SignInCodes.open(dataDir, { production: false }, START);
    const { code } = await codes.mint(START);
    const first = await codes.check(code, minutesAfter(START, 1));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    // checking does not spend it; redeeming does, once
    expect((await codes.check(code, minutesAfter(START, 1))).ok).toBe(true);
    expect(codes.redeem(first, minutesAfter(START, 1))).toBe(true);
    expect(codes.redeem(first, minutesAfter(START, 1))).toBe(false);
    expect(await codes.check(code, minutesAfter(START, 2))).toEqual({ ok: false, reason: 'sign-in-code-used' });
    // another code is unaffected
    expect((await codes.check((await codes.mint(START)).code, minutesAfter(START, 2))).ok).toBe(true);
  });

  it('expires after 15 minutes', async () => {
    const codes = await SignInCodes.open(dataDir, { production: false }, START);
    const { code } = await codes.mint(START);
    expect((await codes.check(code, minutesAfter(START, 14.9))).ok).toBe(true);
    expect(await codes.check(code, minutesAfter(START, 15.1))).toEqual({ ok: false, reason: 'sign-in-code-expired' });
  });

  it('is shared through the data folder: another process (the CLI) mints codes this one accepts', async () => {
    const server = await SignInCodes.open(dataDir, { production: false }, START);
    const cli = await SignInCodes.open(dataDir, { production: false }, minutesAfter(START, 30));
    const { code } = await cli.mint(minutesAfter(START, 30));
    expect((await server.check(code, minutesAfter(START, 31))).ok).toBe(true);
  });

  it('refuses codes issued before it opened: a restart forgets the used ones', async () => {
    const before = await SignInCodes.open(dataDir, { production: false }, START);
    const { code } = await before.mint(START);
    const restarted = await SignInCodes.open(dataDir, { production: false }, minutesAfter(START, 5));
    expect(await restarted.check(code, minutesAfter(START, 6))).toEqual({ ok: false, reason: 'sign-in-code-expired' });
  });

  it('refuses anything it did not sign, or signed for another purpose or lifetime', async () => {
    const codes = await SignInCodes.open(dataDir, { production: false }, START);
    const { code } = await codes.mint(START);
    const now = minutesAfter(START, 1);
    const key = Buffer.from((JSON.parse(await readFile(join(dataDir, 'console-sign-in', 'key.json'), 'utf8')) as { k: string }).k, 'base64url');
    const forge = (claims: Record<string, unknown>, lifetime = SIGN_IN_CODE_LIFETIME_SECONDS, secret: Uint8Array = key) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setJti('forged')
        .setIssuedAt(START.getTime() / 1000)
        .setExpirationTime(START.getTime() / 1000 + lifetime)
        .sign(secret);
    const [header, payload] = code.split('.');
    const cases: [string, string][] = [
      ['empty', ''],
      ['a guess', 'harness-0123456789abcdef'],
      ['another signature', `${header}.${payload}.${'A'.repeat(43)}`],
      ['another key', await forge({ purpose: 'console-sign-in' }, SIGN_IN_CODE_LIFETIME_SECONDS, new Uint8Array(32))],
      ['another purpose', await forge({ purpose: 'api' })],
      ['alg none', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`],
    ];
    for (const [name, candidate] of cases) expect([name, await codes.check(candidate, now)]).toEqual([name, { ok: false, reason: 'wrong-sign-in-code' }]);
    // signed with the key, but longer-lived than a code may be
    expect(await codes.check(await forge({ purpose: 'console-sign-in' }, 24 * 3600), now)).toEqual({ ok: false, reason: 'sign-in-code-expired' });
  });
});
