// The web console's edge: its static files (public code, like any web app's bundle), the config it
// starts from, and in development the sign-in that exchanges the code printed at start for a
// development token of a demo persona. Everything the console shows comes through /graphql with
// that token: this file serves no data.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RoleGrant } from '@rampart/auth';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sendRefusal as refuse } from './errors';

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
  /** Development only: the code printed at start, and how to mint a persona's token. */
  readonly devSignIn?: { readonly code: string; sign(persona: ConsolePersona): Promise<{ token: string; expiresAt: string }> };
}

/** Paths that are the API's, never the console's (no index.html fallback there). */
const API_PREFIXES = ['/graphql', '/webhooks', '/audit-exports', '/auth', '/health', '/metrics', '/console'];

export const newSignInCode = (): string => randomBytes(18).toString('base64url');

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
    if (options.devSignIn) {
      res.json({ mode: 'dev', personas: DEV_PERSONAS.map((p) => ({ id: p.id, label: p.label, subject: p.subject, ...p.grant })) });
    } else if (options.oidc) {
      res.json({ mode: 'oidc', oidc: options.oidc });
    } else {
      res.json({ mode: 'none', message: 'no sign-in is configured for the console: set RAMPART_OIDC_ISSUER and RAMPART_CONSOLE_OIDC_CLIENT_ID' });
    }
  });

  router.post('/auth/dev/token', express.json({ limit: 4_096 }), async (req: Request, res: Response) => {
    if (!options.devSignIn) return refuse(res, 404, 'NOT_FOUND', 'development sign-in is off');
    const body = (req.body ?? {}) as { code?: unknown; persona?: unknown };
    if (typeof body.code !== 'string' || !same(body.code, options.devSignIn.code)) {
      return refuse(res, 401, 'UNAUTHENTICATED', 'wrong or missing sign-in code: open the console through the address `npm start` printed');
    }
    const persona = DEV_PERSONAS.find((p) => p.id === body.persona);
    if (!persona) return refuse(res, 400, 'BAD_USER_INPUT', `unknown persona; one of ${DEV_PERSONAS.map((p) => p.id).join(', ')}`);
    res.set('cache-control', 'no-store').json(await options.devSignIn.sign(persona));
  });

  if (dir) {
    router.use(express.static(dir, { index: false, fallthrough: true, maxAge: '1h', immutable: false }));
    router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
      if (API_PREFIXES.some((p) => req.path === p || req.path.startsWith(`${p}/`))) return next();
      if (!req.accepts('html')) return next();
      res.set('cache-control', 'no-cache').sendFile(join(dir, 'index.html'));
    });
  }
  return router;
};

/** Whether a built console is there to serve. */
export const consoleBuilt = (dir: string | undefined): boolean => !!dir && existsSync(join(dir, 'index.html')) && statSync(join(dir, 'index.html')).isFile();
