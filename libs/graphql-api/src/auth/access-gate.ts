// The one gate every transport passes: HTTP requests (http-auth.ts) and every WebSocket
// connection_init and operation (ws/socket-server.ts) authenticate, are rate-limited per principal
// and have their failed authentications throttled here, with the same counters, so a caller gains
// nothing by switching transports.
//
// Failed authentications are throttled by what fails, never by what succeeds: a valid credential
// is always verified and admitted, even from an address that many failures came from (one NAT or
// proxy in front of a whole company). What is throttled is each failing credential (the same bad
// token again and again is refused without verifying it) and, per client address, the answer to
// failures (429 with retry-after instead of 401, so well-behaved clients back off).
import { createHash } from 'node:crypto';
import type { Principal } from '@rampart/auth';
import type { Logger } from '@rampart/runtime';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AuthenticationError, type AuthenticatedSession, type Authenticator, type Credentials } from './authenticator';

/** Failed authentications per client address and minute before failures are answered 429. */
export const FAILURES_PER_ADDRESS_PER_MINUTE = 30;
/** The same failing credential presented this often within a minute is refused without verifying it. */
export const FAILURES_PER_CREDENTIAL_PER_MINUTE = 5;

export type Admission =
  | { readonly ok: true; readonly session: AuthenticatedSession }
  | {
      readonly ok: false;
      readonly status: 401 | 429 | 503;
      readonly code: 'UNAUTHENTICATED' | 'RATE_LIMITED' | 'AUTHENTICATION_UNAVAILABLE';
      readonly message: string;
      readonly reason?: string;
      readonly retryAfterSeconds?: number;
    };

export type Allowance = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number; readonly message: string };

const fingerprint = (credentials: Credentials) => createHash('sha256').update(`${credentials.kind}\0${credentials.token}`).digest('base64url');

export const principalKey = (principal: Principal): string => `${principal.kind}:${principal.id}`;

export class AccessGate {
  private readonly perPrincipal: RateLimiterMemory;
  private readonly failuresByAddress = new RateLimiterMemory({ points: FAILURES_PER_ADDRESS_PER_MINUTE, duration: 60 });
  private readonly failuresByCredential = new RateLimiterMemory({ points: FAILURES_PER_CREDENTIAL_PER_MINUTE, duration: 60 });

  constructor(
    private readonly authenticator: Authenticator,
    private readonly options: { readonly rateLimitPerMinute: number; readonly log: Logger },
  ) {
    this.perPrincipal = new RateLimiterMemory({ points: options.rateLimitPerMinute, duration: 60 });
  }

  /**
   * Authenticates what the client presented (or the error reading it), counting failures.
   * `correlationId` ties the log line to the client's answer.
   */
  async admit(read: () => Credentials | undefined, client: string, correlationId: string): Promise<Admission> {
    let credentials: Credentials | undefined;
    let fingerprintOf: string | undefined;
    try {
      credentials = read();
      if (credentials) {
        fingerprintOf = fingerprint(credentials);
        const seen = await this.failuresByCredential.get(fingerprintOf);
        if (seen && seen.remainingPoints <= 0) {
          return this.refused(429, 'credential-throttled', 'this credential was refused too often; wait before presenting it again', seen.msBeforeNext);
        }
      }
      return { ok: true, session: await this.authenticator.authenticateSession(credentials) };
    } catch (error) {
      if (!(error instanceof AuthenticationError)) {
        this.options.log.error({ err: error, correlationId }, 'authentication failed unexpectedly');
        return { ok: false, status: 503, code: 'AUTHENTICATION_UNAVAILABLE', message: `authentication is unavailable; correlation id ${correlationId}` };
      }
      if (fingerprintOf) await this.failuresByCredential.consume(fingerprintOf).catch(() => undefined);
      const byAddress = await this.failuresByAddress.consume(client).catch((limit: unknown) => (limit instanceof RateLimiterRes ? limit : undefined));
      this.options.log.info({ reason: error.reason, correlationId }, 'refused: not authenticated');
      if (byAddress && byAddress.consumedPoints > FAILURES_PER_ADDRESS_PER_MINUTE) {
        return this.refused(429, error.reason, `too many failed authentication attempts from this address (${error.message})`, byAddress.msBeforeNext);
      }
      return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: error.message, reason: error.reason };
    }
  }

  /**
   * Re-checks a credential that was admitted before (each WebSocket operation, the revocation
   * sweep): the same verification, without counting a failure against anyone — the credential
   * ended, nobody guessed.
   */
  async revalidate(credentials: Credentials, correlationId: string): Promise<Admission> {
    try {
      return { ok: true, session: await this.authenticator.authenticateSession(credentials) };
    } catch (error) {
      if (error instanceof AuthenticationError) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: error.message, reason: error.reason };
      this.options.log.error({ err: error, correlationId }, 'authentication failed unexpectedly');
      return { ok: false, status: 503, code: 'AUTHENTICATION_UNAVAILABLE', message: `authentication is unavailable; correlation id ${correlationId}` };
    }
  }

  /** One request or WebSocket operation of this principal, against its per-minute budget. */
  async consume(principal: Principal): Promise<Allowance> {
    try {
      await this.perPrincipal.consume(principalKey(principal));
      return { ok: true };
    } catch (limit) {
      if (!(limit instanceof RateLimiterRes)) throw limit;
      const retryAfterSeconds = Math.ceil(limit.msBeforeNext / 1000);
      return { ok: false, retryAfterSeconds, message: `rate limit of ${this.options.rateLimitPerMinute} requests per minute exceeded` };
    }
  }

  private refused(status: 429, reason: string, message: string, msBeforeNext: number): Admission {
    return { ok: false, status, code: 'RATE_LIMITED', message, reason, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) };
  }
}
