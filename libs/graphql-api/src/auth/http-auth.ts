// Express middleware in front of every route: authenticate, then rate-limit per principal.
// Only /health (and /metrics reached through a loopback or private address) are open.
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '@rampart/auth';
import type { Logger } from '@rampart/platform';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthenticationError, credentialsFrom, type Authenticator } from './authenticator';
import { sendRefusal as refuse } from '../http/errors';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  correlationId?: string;
}

const isPrivateAddress = (address: string | undefined): boolean => {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  if (a === '::1' || a.startsWith('127.')) return true;
  if (isIP(a) === 4) {
    const [x, y] = a.split('.').map(Number);
    return x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168);
  }
  return /^f[cd][0-9a-f]{2}:/i.test(a);
};

export const authMiddleware = (authenticator: Authenticator, options: { rateLimitPerMinute: number; log: Logger }) => {
  const perPrincipal = new RateLimiterMemory({ points: options.rateLimitPerMinute, duration: 60 });
  // Failed authentications per client address: slows down guessing and token stuffing.
  const failures = new RateLimiterMemory({ points: 30, duration: 60 });

  return async (req: AuthenticatedRequest, res: Response, next: NextFunction): Promise<void> => {
    req.correlationId = randomUUID();
    res.setHeader('x-correlation-id', req.correlationId);
    if (req.method === 'GET' && req.path === '/health') return next();
    if (req.method === 'GET' && req.path === '/metrics' && isPrivateAddress(req.socket.localAddress)) return next();
    const client = req.socket.remoteAddress ?? 'unknown';
    try {
      const blocked = await failures.get(client);
      if (blocked && blocked.remainingPoints <= 0) {
        res.setHeader('retry-after', String(Math.ceil(blocked.msBeforeNext / 1000)));
        refuse(res, 429, 'RATE_LIMITED', 'too many failed authentication attempts');
        return;
      }
      req.principal = await authenticator.authenticate(credentialsFrom(req.headers));
    } catch (error) {
      if (!(error instanceof AuthenticationError)) {
        options.log.error({ err: error, correlationId: req.correlationId }, 'authentication failed unexpectedly');
        refuse(res, 503, 'AUTHENTICATION_UNAVAILABLE', `authentication is unavailable; correlation id ${req.correlationId}`);
        return;
      }
      await failures.consume(client).catch(() => undefined);
      options.log.info({ reason: error.reason, correlationId: req.correlationId, path: req.path }, 'request refused: not authenticated');
      res.setHeader('www-authenticate', `Bearer error="invalid_token"`);
      refuse(res, 401, 'UNAUTHENTICATED', error.message, { reason: error.reason });
      return;
    }
    try {
      await perPrincipal.consume(`${req.principal.kind}:${req.principal.id}`);
    } catch (limit) {
      if (!(limit instanceof RateLimiterRes)) throw limit;
      const seconds = Math.ceil(limit.msBeforeNext / 1000);
      res.setHeader('retry-after', String(seconds));
      refuse(res, 429, 'RATE_LIMITED', `rate limit of ${options.rateLimitPerMinute} requests per minute exceeded`, { retryAfterSeconds: seconds });
      return;
    }
    res.setHeader('cache-control', 'no-store');
    next();
  };
};
