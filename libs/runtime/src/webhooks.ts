// Signed webhooks: a POST of a JSON payload with an HMAC signature, a timestamp and an idempotency
// key, retried by the rules below. Response actions (incidents) and finding notifications
// (guardrails) both deliver through it; receivers verify with `verifyWebhookSignature`.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD } from '@opentelemetry/semantic-conventions';
import { instruments, secondsSince, type WebhookKind } from './metrics';
import { inSpan } from './tracing';

/** The outcome of one delivery, retries included. */
export type WebhookResult =
  | { readonly ok: true; readonly outcome: string }
  /** `uncertain`: the receiver may have acted all the same (no answer, or a server error mid-way). */
  | { readonly ok: false; readonly reason: string; readonly uncertain?: boolean };

export const WEBHOOK_SIGNATURE_HEADER = 'x-rampart-signature';
/**
 * Every signature of a delivery, comma-separated: the current secret's first, then the previous
 * secret's while a rotation overlaps (like Stripe's several `v1=` in one header). The single-value
 * header above stays as it was, so a receiver that compares it whole keeps working.
 */
export const WEBHOOK_SIGNATURES_HEADER = 'x-rampart-signatures';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-rampart-timestamp';
export const WEBHOOK_IDEMPOTENCY_HEADER = 'x-rampart-idempotency-key';

/** The signature of one delivery: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` (timestamp in Unix seconds). */
export const signWebhook = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** The `x-rampart-signatures` value: one signature per secret, the current one first. */
export const signWebhookWithEach = (secrets: readonly string[], timestamp: string, body: string): string =>
  secrets.map((secret) => signWebhook(secret, timestamp, body)).join(', ');

/**
 * What a receiver does with a delivery: recompute the signature over the raw body and compare in
 * constant time, and refuse timestamps further than `toleranceSeconds` from its clock (replays).
 * `header` is either header's value (one signature, or the comma-separated list); `secret` may be
 * several during a rotation. It holds when any signature matches any secret.
 */
export const verifyWebhookSignature = (
  secret: string | readonly string[],
  timestamp: string,
  body: string,
  header: string,
  toleranceSeconds = 300,
  now: Date = new Date(),
): boolean => {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const given = header.split(',').map((s) => Buffer.from(s.trim())).slice(0, MAX_SIGNATURES);
  let matched = false;
  // Every pair is compared, so the time taken does not say which one matched.
  for (const key of typeof secret === 'string' ? [secret] : secret) {
    const expected = Buffer.from(signWebhook(key, timestamp, body));
    for (const signature of given) matched = (signature.length === expected.length && timingSafeEqual(signature, expected)) || matched;
  }
  return matched;
};

/** A header with more signatures than this is not Rampart's; the rest are not compared. */
const MAX_SIGNATURES = 4;

export interface WebhookExecutorOptions {
  readonly url: string;
  readonly secret: string;
  /**
   * During a rotation: the secret being replaced. Deliveries then carry its signature too, in
   * `x-rampart-signatures`, so receivers can move to the new secret at any time until it is unset.
   */
  readonly previousSecret?: string;
  /** Per attempt, reading the response included. */
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  /** Delay before the first retry; doubled for each further one, up to `maxBackoffMs`. */
  readonly backoffMs?: number;
  /** Longest delay between attempts, a `Retry-After` included. */
  readonly maxBackoffMs?: number;
  /** Replaces global fetch. */
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

/** What of a response body goes into the recorded outcome (the rest is not read). */
const EXCERPT_CHARS = 500;
const READ_LIMIT_BYTES = 4_096;

type Attempt = { readonly retry: boolean; readonly result: WebhookResult; readonly retryAfterMs?: number };

export const webhookWorstCaseMs = (options: Pick<WebhookExecutorOptions, 'timeoutMs' | 'maxAttempts' | 'maxBackoffMs'> = {}): number => {
  const attempts = options.maxAttempts ?? 3;
  return attempts * (options.timeoutMs ?? 10_000) + (attempts - 1) * (options.maxBackoffMs ?? 10_000);
};

/**
 * A signed POST with the retry rules below, for any JSON payload: response actions use it, and so
 * do finding notifications. The idempotency key is the same on every attempt.
 */
export interface SignedWebhook {
  readonly worstCaseMs: number;
  post(payload: Readonly<Record<string, unknown>>, idempotencyKey: string, signal: AbortSignal): Promise<WebhookResult>;
}

export const signedWebhook = (options: WebhookExecutorOptions & { readonly userAgent?: string; /** What it delivers, for metrics and spans (default action). */ readonly kind?: WebhookKind }): SignedWebhook => {
  const kind = options.kind ?? 'action';
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  if (!URL.canParse(options.url)) throw new Error('the webhook URL is not a URL'); // never echoed: it may carry a SAS signature
  if (!options.secret) throw new Error('the webhook needs a secret');
  const secrets = options.previousSecret && options.previousSecret !== options.secret ? [options.secret, options.previousSecret] : [options.secret];
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) throw new Error('maxAttempts is 1 to 10');

  const attempt = async (payload: Readonly<Record<string, unknown>>, idempotencyKey: string, signal: AbortSignal): Promise<Attempt> => {
    const at = now();
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const body = JSON.stringify({ ...payload, sentAt: at.toISOString() });
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await doFetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': options.userAgent ?? 'rampart-action-runner',
          [WEBHOOK_IDEMPOTENCY_HEADER]: idempotencyKey,
          [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(options.secret, timestamp, body),
          [WEBHOOK_SIGNATURES_HEADER]: signWebhookWithEach(secrets, timestamp, body),
        },
        body,
        // A redirect would carry the signed request somewhere nobody configured.
        redirect: 'manual',
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) return { retry: true, result: { ok: false, reason: `no response within ${timeoutMs} ms`, uncertain: true } };
      return { retry: true, result: { ok: false, reason: `network error: ${describeNetworkError(error)}`, uncertain: true } };
    }
    let excerpt: string;
    try {
      excerpt = await readExcerpt(response);
    } catch (error) {
      if (signal.aborted) throw error;
      // The receiver answered: its status is what counts, even if the body could not be read in time.
      excerpt = timeout.aborted ? '(body not read in time)' : '(body unreadable)';
    }
    const status = response.status;
    const said = `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}`;
    if (status >= 200 && status < 300) return { retry: false, result: { ok: true, outcome: said } };
    if (status >= 300 && status < 400) return { retry: false, result: { ok: false, reason: `${said} (redirects are not followed)` } };
    // A 429 is a refusal before acting; a 5xx may come from a receiver that acted half-way.
    if (status === 429 || status >= 500) return { retry: true, result: { ok: false, reason: said, uncertain: status !== 429 }, retryAfterMs: retryAfter(response) };
    return { retry: false, result: { ok: false, reason: said } };
  };

  return {
    worstCaseMs: webhookWorstCaseMs({ timeoutMs, maxAttempts, maxBackoffMs }),
    post: (payload, idempotencyKey, signal) =>
      // The URL is not an attribute: it may carry a credential (a Logic App trigger's `sig`).
      inSpan(`webhook ${kind}`, { kind: SpanKind.CLIENT, attributes: { [ATTR_HTTP_REQUEST_METHOD]: 'POST', 'rampart.webhook.kind': kind } }, async (span) => {
        const started = performance.now();
        // Once one attempt may have reached the receiver, a later refusal does not undo that.
        let mayHaveActed = false;
        for (let n = 1; ; n++) {
          const { retry, result, retryAfterMs } = await attempt(payload, idempotencyKey, signal);
          if (!retry || n >= maxAttempts) {
            instruments.webhookDelivered(kind, result.ok, secondsSince(started));
            span?.setAttributes({ 'rampart.webhook.attempts': n, 'rampart.webhook.delivered': result.ok });
            return n === 1 ? result : afterAttempts(result, n, mayHaveActed);
          }
          instruments.webhookRetried(kind);
          mayHaveActed ||= result.ok === false && result.uncertain === true;
          const backoff = Math.min(backoffMs * 2 ** (n - 1), maxBackoffMs);
          await sleep(Math.min(Math.max(backoff, retryAfterMs ?? 0), maxBackoffMs), undefined, { signal });
        }
      }),
  };
};

const afterAttempts = (result: WebhookResult, n: number, mayHaveActed: boolean): WebhookResult =>
  result.ok
    ? { ok: true, outcome: `${result.outcome} (attempt ${n})` }
    : { ok: false, reason: `${result.reason} (after ${n} attempts)`, uncertain: mayHaveActed || result.uncertain === true };

/** The start of the body, whitespace collapsed; the rest is never read (a receiver may answer with megabytes). */
const readExcerpt = async (response: Response): Promise<string> => {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < READ_LIMIT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).subarray(0, READ_LIMIT_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
};

const retryAfter = (response: Response): number | undefined => {
  const value = response.headers.get('retry-after');
  return value && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : undefined;
};

/** The cause's code (ECONNREFUSED, ENOTFOUND, …): fetch's own message says only "fetch failed", and the URL may hold a SAS signature. */
const describeNetworkError = (error: unknown): string => {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
};
