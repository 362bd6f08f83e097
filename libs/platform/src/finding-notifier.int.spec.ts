// Notifications at the wire: a finding marked "notify" reaches the receiver signed, once per
// delivery attempt, with the finding as idempotency key; other findings send nothing.
import type { RecordedEvent } from '@rampart/event-sourcing';
import { FindingNotifier } from '@rampart/guardrails-application';
import { createLogger, loadConfig, signedWebhook } from '@rampart/runtime';
import { answer, startWebhookReceiver, type WebhookReceiver } from '@rampart/runtime/testing';

const SECRET = 'n'.repeat(40);

const finding = (findingId: string, notify: boolean): RecordedEvent =>
  ({
    eventId: `00000000-0000-4000-8000-${findingId.padStart(12, '0')}`,
    streamId: 't-contoso-bank:posture-abc',
    revision: 0,
    type: 'guardrails.FindingOpened.v1',
    data: {
      findingId,
      resourceKey: '/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st',
      resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st',
      resourceType: 'microsoft.storage/storageaccounts',
      assignmentId: 'core',
      guardrailId: 'storage-weak-tls',
      severity: 'medium',
      title: 'Storage account accepts TLS below 1.2',
      playbookId: 'harden-transport',
      reason: 'minimumTlsVersion is TLS1_0',
      causedBy: null,
      notify,
    },
    metadata: { tenantId: 'contoso-bank', actor: { kind: 'system', id: 'guardrail-evaluator' }, correlationId: 'c', causationId: null, occurredAt: '2026-11-29T10:00:00.000Z', schemaVersion: 1 },
    globalPosition: { commit: 1n, prepare: 1n },
    recordedAt: '2026-11-29T10:00:00.000Z',
  }) as RecordedEvent;

describe('finding notifications', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver(SECRET);
  });
  afterEach(async () => receiver.close());

  const notifier = () => new FindingNotifier(signedWebhook({ url: receiver.url, secret: SECRET, backoffMs: 10, userAgent: 'rampart-notifier' }), createLogger('silent'));

  it('sends findings marked notify, signed, with the finding as idempotency key; others send nothing', async () => {
    const delivered = await notifier().handle([finding('1', true), finding('2', false)], new AbortController().signal);
    expect(delivered).toBe(1);
    expect(receiver.deliveries).toHaveLength(1);
    const [d] = receiver.deliveries;
    expect(d.verified).toBe(true);
    expect(d.idempotencyKey).toBe('contoso-bank:1');
    expect(d.json).toMatchObject({ kind: 'finding-opened', tenantId: 'contoso-bank', findingId: '1', severity: 'medium', guardrailId: 'storage-weak-tls' });
    expect(d.body).not.toContain(SECRET);
  });

  it('retries a receiver that is briefly down, with the same key, and gives up without blocking the others', async () => {
    receiver.respond = (delivery, res, n) => (n === 1 ? answer(503)(delivery, res, n) : answer(202)(delivery, res, n));
    expect(await notifier().handle([finding('3', true)], new AbortController().signal)).toBe(1);
    expect(receiver.deliveries.map((d) => d.idempotencyKey)).toEqual(['contoso-bank:3', 'contoso-bank:3']);
    receiver.respond = answer(500);
    expect(await notifier().handle([finding('4', true)], new AbortController().signal)).toBe(0);
  });

  it('is configured by a URL and a secret, and refuses a URL without its secret', () => {
    expect(loadConfig({}).notifications).toBeUndefined();
    expect(() => loadConfig({ RAMPART_NOTIFY_WEBHOOK_URL: 'https://automation.example/notify' })).toThrow(/RAMPART_NOTIFY_WEBHOOK_SECRET/);
    expect(loadConfig({ RAMPART_NOTIFY_WEBHOOK_URL: 'https://automation.example/notify', RAMPART_NOTIFY_WEBHOOK_SECRET: SECRET }).notifications).toEqual({
      webhookUrl: 'https://automation.example/notify',
      webhookSecret: SECRET,
    });
  });
});
