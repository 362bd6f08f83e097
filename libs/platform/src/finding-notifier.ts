// Findings the tenant's reporting policy marks "notify" are POSTed to the configured automation
// (a Logic App, a chat bridge, the SOC's ticketing), signed like response actions: the guardrails
// context emits FindingOpened with the flag, and this consumer follows it. At least once: the
// idempotency key is the finding, so a receiver shows each finding once however often it arrives.
import type { RecordedEvent } from '@rampart/event-sourcing';
import type { FindingOpened } from '@rampart/guardrails';
import { signedWebhook, type SignedWebhook } from './action-executor';
import type { RampartConfig } from './config';
import { followLog, type Background } from './background';
import type { Logger } from './logger';
import type { Stores } from './stores';

export const FINDING_NOTIFIER_SUBSCRIPTION = 'finding-notifier';

export class FindingNotifier {
  constructor(
    private readonly webhook: SignedWebhook,
    private readonly log: Logger,
  ) {}

  /** Delivers the batch's notifications; one that cannot be delivered after the retries is logged, not retried forever. */
  async handle(events: readonly RecordedEvent[], signal: AbortSignal): Promise<number> {
    let delivered = 0;
    for (const e of events) {
      if (e.type !== 'guardrails.FindingOpened.v1') continue;
      const finding = (e as unknown as FindingOpened).data;
      if (!finding.notify) continue;
      const payload = {
        kind: 'finding-opened',
        tenantId: e.metadata.tenantId,
        findingId: finding.findingId,
        severity: finding.severity,
        title: finding.title,
        guardrailId: finding.guardrailId,
        resourceId: finding.resourceId,
        resourceType: finding.resourceType,
        reason: finding.reason,
        playbookId: finding.playbookId,
        openedAt: e.recordedAt,
      };
      const result = await this.webhook.post(payload, `${e.metadata.tenantId}:${finding.findingId}`, signal);
      if (result.ok === true) delivered++;
      else this.log.warn({ tenantId: e.metadata.tenantId, findingId: finding.findingId, reason: result.ok === false ? result.reason : 'pending' }, 'finding notification not delivered');
    }
    return delivered;
  }
}

/** Follows findings from its checkpoint and notifies; does nothing when no notification webhook is configured. */
export const startFindingNotifier = async (stores: Stores, log: Logger, notifications: RampartConfig['notifications']): Promise<Background> => {
  if (!notifications) return { stop: async () => undefined };
  const notifier = new FindingNotifier(signedWebhook({ url: notifications.webhookUrl, secret: notifications.webhookSecret, userAgent: 'rampart-notifier' }), log);
  return followLog(stores, log, {
    subscriptionId: FINDING_NOTIFIER_SUBSCRIPTION,
    eventTypes: ['guardrails.FindingOpened.v1'],
    batchSize: 100,
    handle: (events, signal) => notifier.handle(events, signal),
  });
};
