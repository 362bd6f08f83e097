// The web console's edge: its static files (public code, like any web app's bundle), the config it
// starts from, and in development the sign-in that exchanges a sign-in code for a development token
// of a demo persona. A code is signed, lasts 15 minutes and signs in once (sign-in-codes.ts);
// RAMPART_CONSOLE_SIGNIN_CODE, when the operator sets one, is a fixed code that stays good. Wrong
// codes are throttled per client address. Everything the console shows comes through /graphql with
// that token: this file serves no data.
import { timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { RoleGrant } from '@rampart/auth';
import express, { type NextFunction, type Request, type Response } from 'express';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { sendRefusal as refuse } from './errors';
import { looksLikeSignedCode, SIGN_IN_CODE_LIFETIME_SECONDS, type SignInCodeRefusal, type SignInCodes } from './sign-in-codes';

export * from './sign-in-codes';

export interface ConsolePersona {
  readonly id: string;
  readonly label: string;
  readonly subject: string;
  readonly grant: RoleGrant;
}

/** Who one can be in the development console: the demo's people. */
export const DEV_PERSONAS: readonly ConsolePersona[] = [
  { id: 'soc-analyst', label: 'SOC analyst — team blue', subject: 'ana@soc.example', grant: { role: 'soc.analyst', socTeam: 'blue' } },
  { id: 'soc-lead', label: 'SOC lead — team blue', subject: 'lead@soc.example', grant: { role: 'soc.lead', socTeam: 'blue' } },
  { id: 'customer-admin', label: 'Customer admin — Contoso Bank', subject: 'it@contoso-bank.example', grant: { role: 'customer.admin', tenantId: 'contoso-bank' } },
  { id: 'customer-viewer-fabrikam', label: 'Customer viewer — Fabrikam Retail', subject: 'viewer@fabrikam.example', grant: { role: 'customer.viewer', tenantId: 'fabrikam-retail' } },
  { id: 'auditor', label: 'Auditor — Contoso Bank', subject: 'auditor@audit.example', grant: { role: 'auditor', tenantId: 'contoso-bank' } },
  { id: 'platform-admin', label: 'Platform admin', subject: 'admin@rampart.example', grant: { role: 'platform.admin' } },
];

export interface ConsoleOptions {
  /** The built console; undefined or missing: only the config and sign-in routes answer. */
  readonly dir?: string;
  readonly oidc?: { readonly issuer: string; readonly clientId: string; readonly scopes: string };
  /** Development only: which codes sign in, and how to mint a persona's token. */
  readonly devSignIn?: {
    /** Signed, single-use codes: `npm start` prints one, `rampart dev sign-in-link` mints more. */
    readonly codes: SignInCodes;
    /** RAMPART_CONSOLE_SIGNIN_CODE: the operator's fixed code, good until the operator changes it. */
    readonly fixedCode?: string;
    sign(persona: ConsolePersona): Promise<{ token: string; expiresAt: string }>;
  };
}

/** How the console signs people in, as /console/config.json tells it. */
export const consoleMode = (options: ConsoleOptions): 'dev' | 'oidc' | 'none' => (options.devSignIn ? 'dev' : options.oidc ? 'oidc' : 'none');

/** Origins besides its own the console's pages fetch from (for the CSP's connect-src): the OIDC issuer. */
export const consoleConnectOrigins = (options: ConsoleOptions): string[] => {
  if (consoleMode(options) !== 'oidc' || !options.oidc || !URL.canParse(options.oidc.issuer)) return [];
  return [new URL(options.oidc.issuer).origin];
};

/** Wrong codes one client address may try in a minute before 429. */
export const WRONG_SIGN_IN_CODES_PER_MINUTE = 10;

const NEW_CODE = 'get a new one with `npx rampart dev sign-in-link`';
const LIFETIME = `a code signs in once, within ${SIGN_IN_CODE_LIFETIME_SECONDS / 60} minutes`;
const REFUSALS: Record<SignInCodeRefusal, string> = {
  'wrong-sign-in-code': `wrong or missing sign-in code: open the console through the address \`npm start\` printed, or ${NEW_CODE}`,
  'sign-in-code-expired': `this sign-in code has expired (${LIFETIME}): ${NEW_CODE}`,
  'sign-in-code-used': `this sign-in code was already used (${LIFETIME}): ${NEW_CODE}`,
};

/** Paths that are the API's, never the console's (no index.html fallback there). */
const API_PREFIXES = ['/graphql', '/webhooks', '/audit-exports', '/evidence', '/auth', '/health', '/metrics', '/console'];

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Mounted before authentication: none of these routes reads or changes data. */
export const consoleRoutes = (options: ConsoleOptions) => {
  const router = express.Router();
  const dir = options.dir && existsSync(join(options.dir, 'index.html')) ? resolve(options.dir) : undefined;

  router.get('/console/config.json', (_req, res) => {
    res.set('cache-control', 'no-store');
    const mode = consoleMode(options);
    if (mode === 'dev') {
      res.json({ mode, personas: DEV_PERSONAS.map((p) => ({ id: p.id, label: p.label, subject: p.subject, ...p.grant })) });
    } else if (mode === 'oidc') {
      res.json({ mode, oidc: options.oidc });
    } else {
      res.json({ mode: 'none', message: 'no sign-in is configured for the console: set RAMPART_OIDC_ISSUER and RAMPART_CONSOLE_OIDC_CLIENT_ID' });
    }
  });

  const wrongCodes = new RateLimiterMemory({ points: WRONG_SIGN_IN_CODES_PER_MINUTE, duration: 60 });
  router.post('/auth/dev/token', express.json({ limit: 4_096 }), async (req: Request, res: Response) => {
    const dev = options.devSignIn;
    if (!dev) return refuse(res, 404, 'NOT_FOUND', 'development sign-in is off');
    const body = (req.body ?? {}) as { code?: unknown; persona?: unknown };
    const code = typeof body.code === 'string' ? body.code : '';
    const client = req.socket.remoteAddress ?? 'unknown';
    const fixed = dev.fixedCode !== undefined && same(code, dev.fixedCode);
    const signed = !fixed && looksLikeSignedCode(code) ? await dev.codes.check(code) : undefined;
    const wrong = await wrongCodes.get(client);
    // A signed code cannot be guessed (its signature is checked), so a good one still signs in from a
    // throttled address: whoever shares it with a guesser (a NAT, a proxy) is not locked out. Every
    // other code, the operator's fixed one included, waits: a 401 or a 200 would tell a guesser.
    if (wrong && wrong.consumedPoints >= WRONG_SIGN_IN_CODES_PER_MINUTE && !signed?.ok) {
      const seconds = Math.max(1, Math.ceil(wrong.msBeforeNext / 1000));
      res.setHeader('retry-after', String(seconds));
      return refuse(res, 429, 'RATE_LIMITED', `too many wrong sign-in codes from this address: try again in ${seconds} s`, { retryAfterSeconds: seconds });
    }
    if (!fixed && !signed?.ok) {
      const reason = signed?.reason ?? 'wrong-sign-in-code';
      // A real code that expired or was used is not a guess.
      if (reason === 'wrong-sign-in-code') await wrongCodes.penalty(client, 1);
      return refuse(res, 401, 'UNAUTHENTICATED', REFUSALS[reason], { reason });
    }
    const persona = DEV_PERSONAS.find((p) => p.id === body.persona);
    if (!persona) return refuse(res, 400, 'BAD_USER_INPUT', `unknown persona; one of ${DEV_PERSONAS.map((p) => p.id).join(', ')}`);
    if (signed?.ok && !dev.codes.redeem(signed)) {
      return refuse(res, 401, 'UNAUTHENTICATED', REFUSALS['sign-in-code-used'], { reason: 'sign-in-code-used' });
    }
    res.set('cache-control', 'no-store').json(await dev.sign(persona));
  });

  if (dir) {
    router.use(precompressed(dir));
    router.use(express.static(dir, { index: false, fallthrough: true, maxAge: '1h', immutable: false, setHeaders: cacheHashedAssets }));
    router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
      if (API_PREFIXES.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
      if (!req.accepts('html')) return next();
      res.set('cache-control', 'no-cache').sendFile(join(dir, 'index.html'));
    });
  }
  return router;
};

/** Vite names what it builds under /assets/ by content hash: such a file never changes, so a browser keeps it. */
const cacheHashedAssets = (res: Response, path: string) => {
  if (/[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.(js|css)$/.test(path)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
};

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.json': 'application/json', '.txt': 'text/plain; charset=utf-8' };

/**
 * A script or stylesheet the build compressed ahead (.br, .gz beside it), sent compressed to a
 * browser that accepts it: the console's bundle is a fifth of its size over the wire, and nothing is
 * compressed per request. Only files the build wrote copies for are answered here (a path outside
 * the build is never among them); anything else falls through to the plain file.
 */
const precompressed = (dir: string) => {
  // The build is fixed for the process's life: which files have compressed copies is read once,
  // not asked of the file system on every request.
  const copies = new Map<string, Set<'br' | 'gzip'>>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(br|gz)$/.test(entry.name)) {
        const original = path.replace(/\.(br|gz)$/, '');
        const set = copies.get(original) ?? new Set();
        set.add(entry.name.endsWith('.br') ? 'br' : 'gzip');
        copies.set(original, set);
      }
    }
  };
  walk(dir);
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const type = TYPES[extname(req.path)];
    if (!type) return next();
    const file = join(dir, req.path);
    const available = copies.get(file);
    if (!available) return next();
    res.vary('Accept-Encoding');
    const accepted = String(req.headers['accept-encoding'] ?? '');
    const encoding = available.has('br') && /\bbr\b/.test(accepted) ? 'br' : available.has('gzip') && /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
    if (!encoding) return next();
    res.set({ 'content-encoding': encoding, 'content-type': type });
    cacheHashedAssets(res, file);
    if (!res.get('cache-control')) res.set('cache-control', 'public, max-age=3600');
    res.sendFile(`${file}.${encoding === 'br' ? 'br' : 'gz'}`, { headers: { 'content-type': type } }, (error) => error && next(error));
  };
};

/** Whether a built console is there to serve. */
export const consoleBuilt = (dir: string | undefined): boolean => !!dir && existsSync(join(dir, 'index.html')) && statSync(join(dir, 'index.html')).isFile();
