// Express middleware in front of every route: authenticate, then rate-limit per principal, through
// the same AccessGate as the WebSocket transport. Only /health is open to anyone; /metrics answers
// without a principal to a scraper on the same machine (the peer address is loopback) or one that
// presents the metrics token, and to staff otherwise.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '@rampart/auth';
import { credentialsFrom } from './authenticator';
import type { AccessGate } from './access-gate';
import { sendRefusal as refuse } from '../http/errors';

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
  correlationId?: string;
}

/** The peer's address is the machine itself: decided by who connected, never by where we listen. */
export const isLoopbackPeer = (address: string | undefined): boolean => {
  if (!address) return false;
  const a = address.replace(/^::ffff:/, '');
  return a === '::1' || /^127\.\d+\.\d+\.\d+$/.test(a);
};

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** A Prometheus scraper that needs no principal: on this machine, or presenting the metrics token. */
export const mayScrapeMetrics = (peer: string | undefined, authorization: string | undefined, metricsToken: string | undefined): boolean => {
  if (isLoopbackPeer(peer)) return true;
  const bearer = /^bearer\s+(.+)$/i.exec(authorization ?? '')?.[1]?.trim();
  return Boolean(metricsToken && bearer && sameSecret(bearer, metricsToken));
};

export interface HttpAuthOptions {
  /** `RAMPART_METRICS_TOKEN`: a Prometheus scraper elsewhere presents it as a bearer token. */
  readonly metricsToken?: string;
}

export const authMiddleware = (gate: AccessGate, options: HttpAuthOptions = {}) => {
  const metricsToken = options.metricsToken;
  return async (req: AuthenticatedRequest, res: Response, next: NextFunction): Promise<void> => {
    req.correlationId = randomUUID();
    res.setHeader('x-correlation-id', req.correlationId);
    if (req.method === 'GET' && req.path === '/health') return next();
    if (req.method === 'GET' && req.path === '/metrics' && mayScrapeMetrics(req.socket.remoteAddress, req.headers.authorization, metricsToken)) return next();
    const admission = await gate.admit(() => credentialsFrom(req.headers), req.socket.remoteAddress ?? 'unknown', req.correlationId);
    if (!admission.ok) {
      if (admission.retryAfterSeconds) res.setHeader('retry-after', String(admission.retryAfterSeconds));
      if (admission.status === 401) res.setHeader('www-authenticate', `Bearer error="invalid_token"`);
      const extra = admission.status === 503 ? {} : { reason: admission.reason, ...(admission.retryAfterSeconds ? { retryAfterSeconds: admission.retryAfterSeconds } : {}) };
      refuse(res, admission.status, admission.code, admission.message, extra);
      return;
    }
    req.principal = admission.session.principal;
    const allowance = await gate.consume(req.principal);
    if (!allowance.ok) {
      res.setHeader('retry-after', String(allowance.retryAfterSeconds));
      refuse(res, 429, 'RATE_LIMITED', allowance.message, { retryAfterSeconds: allowance.retryAfterSeconds });
      return;
    }
    res.setHeader('cache-control', 'no-store');
    next();
  };
};
