// The console's development sign-in codes: short-lived (15 minutes), single-use JWTs with a purpose
// claim and a jti, signed with a key of their own in the data folder, so `npm start` prints one and
// `rampart dev sign-in-link` mints more without a restart. The key signs nothing else: a code is never
// a bearer token, and an API token is never a code. Used jtis are remembered in this process until they
// expire, and a process accepts only codes issued since it opened the key, so a restart that forgets
// them cannot make a used code good again.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { createPrivateFileOnce } from '../auth/key-file';

export const SIGN_IN_CODE_LIFETIME_SECONDS = 15 * 60;
export const SIGN_IN_CODE_PURPOSE = 'console-sign-in';
const ALGORITHM = 'HS256';

export type SignInCodeRefusal = 'wrong-sign-in-code' | 'sign-in-code-expired' | 'sign-in-code-used';

export type SignInCodeCheck = { readonly ok: true; readonly jti: string; readonly expiresAtMs: number } | { readonly ok: false; readonly reason: SignInCodeRefusal };

export class SignInCodesRefusedError extends Error {
  constructor() {
    super('development sign-in codes are not available in production (NODE_ENV=production): configure an OIDC issuer for the console instead');
    this.name = 'SignInCodesRefusedError';
  }
}

/** A signed code has three base64url parts; anything else is not worth a signature check. */
export const looksLikeSignedCode = (code: string): boolean => code.length <= 1_024 && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(code);

export class SignInCodes {
  readonly #key: Uint8Array;
  /** Seconds: codes issued before this process opened the key are refused (its memory of used codes is empty). */
  readonly #notBefore: number;
  readonly #used = new Map<string, number>();

  private constructor(key: Uint8Array, notBefore: number) {
    this.#key = key;
    this.#notBefore = notBefore;
  }

  /** Loads `<dataDir>/console-sign-in/key.json`, creating it (mode 0600) on first use. */
  static async open(dataDir: string, env: { readonly production: boolean }, now = new Date()): Promise<SignInCodes> {
    if (env.production) throw new SignInCodesRefusedError();
    const dir = join(dataDir, 'console-sign-in');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'key.json');
    const key = (await loadKey(file)) ?? (await createKey(file));
    return new SignInCodes(key, Math.floor(now.getTime() / 1000));
  }

  async mint(now = new Date()): Promise<{ code: string; expiresAt: string }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + SIGN_IN_CODE_LIFETIME_SECONDS;
    const code = await new SignJWT({ purpose: SIGN_IN_CODE_PURPOSE })
      .setProtectedHeader({ alg: ALGORITHM })
      .setJti(randomBytes(12).toString('base64url'))
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(this.#key);
    return { code, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  /** Whether the code would sign in now; it stays unused until redeem(). */
  async check(code: string, now = new Date()): Promise<SignInCodeCheck> {
    if (!looksLikeSignedCode(code)) return { ok: false, reason: 'wrong-sign-in-code' };
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(code, this.#key, { algorithms: [ALGORITHM], currentDate: now, requiredClaims: ['jti', 'iat', 'exp'] }));
    } catch (error) {
      // Expired means the signature held: it was a real code, just too old.
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'sign-in-code-expired' : 'wrong-sign-in-code' };
    }
    const { purpose, jti, iat, exp } = payload;
    if (purpose !== SIGN_IN_CODE_PURPOSE || typeof jti !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return { ok: false, reason: 'wrong-sign-in-code' };
    if (exp - iat > SIGN_IN_CODE_LIFETIME_SECONDS || iat < this.#notBefore) return { ok: false, reason: 'sign-in-code-expired' };
    if (this.#used.has(jti)) return { ok: false, reason: 'sign-in-code-used' };
    return { ok: true, jti, expiresAtMs: exp * 1000 };
  }

  /** Spends a checked code; false when another sign-in spent it first. */
  redeem(checked: { readonly jti: string; readonly expiresAtMs: number }, now = new Date()): boolean {
    for (const [jti, expiresAtMs] of this.#used) if (expiresAtMs <= now.getTime()) this.#used.delete(jti);
    if (this.#used.has(checked.jti)) return false;
    this.#used.set(checked.jti, checked.expiresAtMs);
    return true;
  }
}

const loadKey = async (file: string): Promise<Uint8Array | undefined> => {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let jwk: { kty?: unknown; k?: unknown };
  try {
    jwk = JSON.parse(text) as typeof jwk;
  } catch {
    jwk = {};
  }
  const key = jwk.kty === 'oct' && typeof jwk.k === 'string' ? Buffer.from(jwk.k, 'base64url') : undefined;
  if (!key || key.length < 32) throw new Error(`${file} does not hold a 256-bit key; delete it to create a new one (codes it signed stop working)`);
  return new Uint8Array(key);
};

const createKey = async (file: string): Promise<Uint8Array> => {
  const key = new Uint8Array(randomBytes(32));
  if (await createPrivateFileOnce(file, `${JSON.stringify({ kty: 'oct', alg: ALGORITHM, k: Buffer.from(key).toString('base64url') })}\n`)) return key;
  // The server and the CLI created it at once: both use the first one.
  return (await loadKey(file)) ?? key;
};
