// The security headers of every HTTP answer (console files, GraphQL, JSON refusals alike; they cost
// a few hundred bytes): a strict Content-Security-Policy for the console — its own scripts and styles
// only, fetches to its own origin, its GraphQL WebSocket and, when it signs in with OIDC, the
// issuer — no framing, no referrer, no MIME sniffing. helmet writes them.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface SecurityHeadersOptions {
  /** Other origins the console's pages fetch from (the OIDC issuer's). */
  readonly connectOrigins?: readonly string[];
}

/** A Host header as a host[:port] (a name, IPv4 or [IPv6]); anything else gets no WebSocket source. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i;

/**
 * The console opens its subscriptions at ws(s)://<the host it was loaded from>/graphql. CSP Level 3
 * lets 'self' match that, older engines do not: name it, from the Host header the page came with
 * (checked, so nothing but a host reaches the header).
 */
export const webSocketSources = (req: IncomingMessage): string => {
  const host = req.headers.host;
  return host && HOST.test(host) ? `ws://${host} wss://${host}` : '';
};

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
} as const;

export const securityHeaders = (options: SecurityHeadersOptions = {}): RequestHandler[] => [
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...CONTENT_SECURITY_POLICY,
        connectSrc: ["'self'", (req) => webSocketSources(req), ...(options.connectOrigins ?? [])],
      },
    },
    // The OIDC flow passes everything it needs in its URLs: no page needs to tell where it came from.
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    // Browsers honour it only over HTTPS, i.e. behind the TLS proxy of a deployment; the proxy's
    // operator owns the subdomains, so they are left out.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
  }),
  (_req, res, next) => {
    res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
    next();
  },
];
