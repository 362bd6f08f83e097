// Rotating a webhook secret without a window where deliveries fail: while the previous secret is
// set, each delivery carries both signatures in x-rampart-signatures, and x-rampart-signature keeps
// its one-signature form for receivers that compare it whole. Checked at the wire, with receivers
// that hold the old secret, the new one, both, or neither.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { loadConfig, redactedConfig } from './config';
import { startWebhookReceiver, type WebhookReceiver } from './testing';
import { signedWebhook, signWebhook, signWebhookWithEach, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_SIGNATURES_HEADER } from './webhooks';

const OLD = 'old-secret-0123456789abcdef0123456789abcdef';
const NEW = 'new-secret-fedcba9876543210fedcba9876543210';
const OTHER = 'someone-elses-secret-0123456789abcdef0123';

/** The receiver docs/operations.md showed before rotations existed: one secret, the whole header compared. */
const legacyVerify = (secret: string, timestamp: string, body: string, header: string) => {
  const given = Buffer.from(header);
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe('signed webhooks during a secret rotation', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(NEW);
  });
  afterEach(async () => {
    await receiver.close();
  });

  const deliver = async (options: { secret: string; previousSecret?: string }) => {
    const webhook = signedWebhook({ url: receiver.url, ...options, backoffMs: 10 });
    expect(await webhook.post({ kind: 'test' }, 'contoso-bank:k1', new AbortController().signal)).toMatchObject({ ok: true });
    const delivery = receiver.deliveries.at(-1)!;
    return {
      body: delivery.body,
      timestamp: String(delivery.headers['x-rampart-timestamp']),
      single: String(delivery.headers[WEBHOOK_SIGNATURE_HEADER]),
      list: String(delivery.headers[WEBHOOK_SIGNATURES_HEADER]),
    };
  };

  it('signs with both secrets in x-rampart-signatures, the new one first, and with the new one alone in x-rampart-signature', async () => {
    const { body, timestamp, single, list } = await deliver({ secret: NEW, previousSecret: OLD });
    expect(single).toBe(signWebhook(NEW, timestamp, body));
    expect(list).toBe(`${signWebhook(NEW, timestamp, body)}, ${signWebhook(OLD, timestamp, body)}`);
    expect(list).toBe(signWebhookWithEach([NEW, OLD], timestamp, body));
    // a receiver still on the old secret accepts the list; one already on the new secret accepts either header
    expect(verifyWebhookSignature(OLD, timestamp, body, list)).toBe(true);
    expect(verifyWebhookSignature(NEW, timestamp, body, list)).toBe(true);
    expect(verifyWebhookSignature(NEW, timestamp, body, single)).toBe(true);
    expect(verifyWebhookSignature([OLD, NEW], timestamp, body, single)).toBe(true);
    // a receiver that compares x-rampart-signature whole, as the docs showed before, keeps working on the new secret
    expect(legacyVerify(NEW, timestamp, body, single)).toBe(true);
    expect(receiver.deliveries.at(-1)?.verified).toBe(true);
    // and nobody else's secret, nor a changed body, verifies
    expect(verifyWebhookSignature(OTHER, timestamp, body, list)).toBe(false);
    expect(verifyWebhookSignature([OLD, NEW], timestamp, body.replace('test', 'tset'), list)).toBe(false);
    expect(verifyWebhookSignature(OLD, timestamp, body, single)).toBe(false);
    expect(legacyVerify(OLD, timestamp, body, single)).toBe(false);
  });

  it('sends one signature in both headers when no rotation is under way', async () => {
    const { body, timestamp, single, list } = await deliver({ secret: NEW });
    expect(list).toBe(single);
    expect(single).toBe(signWebhook(NEW, timestamp, body));
    expect(verifyWebhookSignature(OLD, timestamp, body, list)).toBe(false);
    // the previous secret left equal to the new one changes nothing
    const same = await deliver({ secret: NEW, previousSecret: NEW });
    expect(same.list).toBe(same.single);
  });

  it('refuses stale timestamps and headers that are not signatures, whatever the secrets', () => {
    const body = '{"kind":"test"}';
    const now = new Date('2026-12-07T08:00:00Z');
    const timestamp = String(now.getTime() / 1000);
    const list = signWebhookWithEach([NEW, OLD], timestamp, body);
    expect(verifyWebhookSignature([NEW, OLD], timestamp, body, list, 300, now)).toBe(true);
    expect(verifyWebhookSignature([NEW, OLD], timestamp, body, list, 300, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature([NEW, OLD], timestamp, body, '', 300, now)).toBe(false);
    expect(verifyWebhookSignature([NEW, OLD], timestamp, body, ', ,', 300, now)).toBe(false);
    expect(verifyWebhookSignature([], timestamp, body, list, 300, now)).toBe(false);
  });
});

describe('webhook secret rotation settings', () => {
  const base = {
    RAMPART_ACTION_EXECUTOR: 'webhook',
    RAMPART_ACTION_WEBHOOK_URL: 'https://automation.example/hooks/rampart',
    RAMPART_ACTION_WEBHOOK_SECRET: NEW,
    RAMPART_NOTIFY_WEBHOOK_URL: 'https://automation.example/hooks/findings',
    RAMPART_NOTIFY_WEBHOOK_SECRET: NEW,
  };

  it('reads the previous secrets, redacted wherever the configuration is shown', () => {
    const config = loadConfig({ ...base, RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS: OLD, RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS: OLD });
    expect(config.actions).toMatchObject({ webhookSecret: NEW, webhookPreviousSecret: OLD });
    expect(config.notifications).toMatchObject({ webhookSecret: NEW, webhookPreviousSecret: OLD });
    expect(JSON.stringify(redactedConfig(config))).not.toContain(OLD);
    expect(loadConfig(base).actions).not.toHaveProperty('webhookPreviousSecret');
  });

  it('holds a previous secret to the same length rule as the secret', () => {
    expect(() => loadConfig({ ...base, RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS: 'short' })).toThrow(
      /RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS must be at least 32 characters .*\(given\)/,
    );
    expect(() => loadConfig({ ...base, RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS: 'short' })).toThrow(/RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS must be at least 32/);
  });
});
