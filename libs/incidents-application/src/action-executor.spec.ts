// The executors at the wire: a real HTTP receiver on 127.0.0.1 checks every delivery's signature
// the way a customer's Logic App or runbook would.
import { createServer, type AddressInfo } from 'node:net';
import { signWebhook, verifyWebhookSignature, webhookWorstCaseMs } from '@rampart/runtime';
import { answer, startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';
import { dryRunExecutor, manualExecutor, webhookExecutor, type ExecutionRequest } from './action-executor';

const SECRET = 'whsec-0123456789abcdef0123456789abcdef';
const request: ExecutionRequest = {
  tenantId: 'contoso-bank',
  actionId: 'act-1',
  incidentId: 'inc-1',
  actionKind: 'rotate-secret',
  target: '/subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv',
  parameters: { secretName: 'api-key' },
  idempotencyKey: 'contoso-bank:act-1:1',
};
const live = () => new AbortController().signal;
const fast = { timeoutMs: 2_000, backoffMs: 10, maxBackoffMs: 50 };

describe('webhook executor', () => {
  let receiver: WebhookReceiver;
  const held: (() => void)[] = [];
  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET);
  });
  afterEach(async () => {
    held.splice(0).forEach((release) => release());
    await receiver.close();
  });

  it('POSTs the action as signed JSON with the idempotency key, and records what the receiver said', async () => {
    receiver.respond = answer(202, '{"runId":"08585"}');
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET }).execute(request, live());
    expect(result).toEqual({ ok: true, outcome: 'HTTP 202: {"runId":"08585"}' });
    const [delivery] = receiver.deliveries;
    expect(delivery.verified).toBe(true);
    expect(delivery.idempotencyKey).toBe('contoso-bank:act-1:1');
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.json).toEqual({ ...request, sentAt: expect.any(String) });
    expect(Number(delivery.headers['x-rampart-timestamp'])).toBeCloseTo(Date.parse(String(delivery.json.sentAt)) / 1000, -1);
    expect(JSON.stringify(delivery.headers) + delivery.body).not.toContain(SECRET);
    // what a receiver with another key, or a tampered body, sees
    const timestamp = String(delivery.headers['x-rampart-timestamp']);
    const signature = String(delivery.headers['x-rampart-signature']);
    expect(verifyWebhookSignature('another-secret-another-secret-xx', timestamp, delivery.body, signature, 300)).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, delivery.body.replace('api-key', 'other-key'), signature, 300)).toBe(false);
  });

  it('retries a 503 with the same idempotency key, signing each delivery afresh', async () => {
    receiver.respond = (d, res, n) => (n === 1 ? answer(503, 'busy')(d, res, n) : answer(200, 'done')(d, res, n));
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast }).execute(request, live());
    expect(result).toEqual({ ok: true, outcome: 'HTTP 200: done (attempt 2)' });
    expect(receiver.deliveries.map((d) => [d.idempotencyKey, d.verified])).toEqual([
      ['contoso-bank:act-1:1', true],
      ['contoso-bank:act-1:1', true],
    ]);
  });

  it('retries after a timeout with the same idempotency key', async () => {
    receiver.respond = (d, res, n) => {
      if (n > 1) return answer(200, 'done')(d, res, n);
      const timer = setTimeout(() => res.end('too late'), 5_000); // longer than timeoutMs
      held.push(() => clearTimeout(timer));
    };
    const started = Date.now();
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast, timeoutMs: 200 }).execute(request, live());
    expect(result).toEqual({ ok: true, outcome: 'HTTP 200: done (attempt 2)' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(receiver.deliveries.map((d) => d.idempotencyKey)).toEqual(['contoso-bank:act-1:1', 'contoso-bank:act-1:1']);
  });

  it('gives up after maxAttempts, with the last status and an excerpt of the body', async () => {
    receiver.respond = answer(500, '{"error":"automation account unavailable"}');
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast, maxAttempts: 3 }).execute(request, live());
    expect(result).toEqual({ ok: false, reason: 'HTTP 500: {"error":"automation account unavailable"} (after 3 attempts)', uncertain: true });
    expect(receiver.deliveries).toHaveLength(3);
  });

  it('records a 4xx as a failure without retrying', async () => {
    receiver.respond = answer(422, '{"error":"unknown secret api-key"}');
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast }).execute(request, live());
    expect(result).toEqual({ ok: false, reason: 'HTTP 422: {"error":"unknown secret api-key"}' });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('stays uncertain when an earlier attempt went unanswered, whatever a later one says', async () => {
    // the first delivery may have been acted on; the 422 of the retry does not undo that
    receiver.respond = (d, res, n) => (n === 1 ? setTimeout(() => answer(200)(d, res, n), 400) : answer(422, '{"error":"already running"}')(d, res, n));
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast, timeoutMs: 100, maxAttempts: 2 }).execute(request, live());
    expect(result).toEqual({ ok: false, reason: 'HTTP 422: {"error":"already running"} (after 2 attempts)', uncertain: true });
  });

  it('retries a 429, waiting as Retry-After asks but never longer than maxBackoffMs', async () => {
    receiver.respond = (d, res, n) => (n === 1 ? answer(429, '', { 'retry-after': '120' })(d, res, n) : answer(200)(d, res, n));
    const started = Date.now();
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast, maxBackoffMs: 100 }).execute(request, live());
    expect(result).toEqual({ ok: true, outcome: 'HTTP 200 (attempt 2)' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not follow redirects: the signed request goes only where it was configured to', async () => {
    receiver.respond = answer(302, '', { location: 'https://elsewhere.example/' });
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET, ...fast }).execute(request, live());
    expect(result).toEqual({ ok: false, reason: 'HTTP 302 (redirects are not followed)' });
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('keeps only a bounded excerpt of a large answer', async () => {
    receiver.respond = answer(200, `{"log":"${'x'.repeat(1_000_000)}"}`);
    const result = await webhookExecutor({ url: receiver.url, secret: SECRET }).execute(request, live());
    expect(result.ok).toBe(true);
    const outcome = (result as { outcome: string }).outcome;
    expect(outcome.startsWith('HTTP 200: {"log":"xxx')).toBe(true);
    expect(outcome.length).toBeLessThanOrEqual('HTTP 200: '.length + 501);
  });

  it('retries network errors, and names the error without the URL (its query may be a credential)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await webhookExecutor({ url: `http://127.0.0.1:${port}/hook?sig=sas-signature-value`, secret: SECRET, ...fast, maxAttempts: 2 }).execute(request, live());
    expect(result).toEqual({ ok: false, reason: 'network error: ECONNREFUSED (after 2 attempts)', uncertain: true });
  });

  it('stops at once, without retrying, when the worker stops', async () => {
    receiver.respond = () => undefined; // never answers
    const stop = new AbortController();
    const call = webhookExecutor({ url: receiver.url, secret: SECRET, timeoutMs: 30_000 }).execute(request, stop.signal);
    while (receiver.deliveries.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    await expect(call).rejects.toThrow();
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('knows its worst case: every attempt timing out, with the longest waits between', () => {
    expect(webhookWorstCaseMs()).toBe(3 * 10_000 + 2 * 10_000);
    expect(webhookExecutor({ url: 'https://automation.example/hook', secret: SECRET, timeoutMs: 5_000, maxAttempts: 2, maxBackoffMs: 1_000 }).worstCaseMs).toBe(11_000);
  });
});

describe('webhook signature', () => {
  const body = '{"actionId":"act-1"}';
  const now = new Date('2025-03-01T12:00:00Z');
  const timestamp = String(now.getTime() / 1000);

  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>"', () => {
    // computed apart: printf '%s' '1740830400.{"actionId":"act-1"}' | openssl dgst -sha256 -hmac "$SECRET"
    expect(signWebhook(SECRET, timestamp, body)).toBe('sha256=8143a46358e569b99fb418d20868a1f4729c69cd0cfdcfbbd6dcfb8c30f92e42');
    expect(verifyWebhookSignature(SECRET, timestamp, body, signWebhook(SECRET, timestamp, body), 300, now)).toBe(true);
  });

  it('refuses old or future timestamps (replays), and malformed input', () => {
    const signed = (ts: string) => signWebhook(SECRET, ts, body);
    const old = String(now.getTime() / 1000 - 301);
    const future = String(now.getTime() / 1000 + 301);
    expect(verifyWebhookSignature(SECRET, old, body, signed(old), 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, future, body, signed(future), 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'yesterday', body, signed('yesterday'), 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, body, 'sha256=00', 300, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, timestamp, body, '', 300, now)).toBe(false);
  });
});

describe('dry-run and manual executors', () => {
  it('dry-run says what it would do and calls nothing', async () => {
    expect(await dryRunExecutor().execute(request, live())).toEqual({
      ok: true,
      outcome: 'dry run: would rotate-secret on /subscriptions/s1/resourcegroups/rg/providers/microsoft.keyvault/vaults/kv',
    });
  });

  it('manual leaves the action to a person', async () => {
    expect(await manualExecutor().execute(request, live())).toEqual({ ok: 'pending', note: expect.stringMatching(/awaiting a person/) });
  });
});
