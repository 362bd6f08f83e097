// Findings the tenant's reporting policy marks "notify" are POSTed to the configured automation
// (a Logic App, a chat bridge, the SOC's ticketing), signed like response actions: the guardrails
// context emits FindingOpened with the flag, and this consumer follows it. Each delivery is
// recorded, so a batch delivered again (a worker died before its checkpoint, another took over)
// sends only what was not delivered: the one notification in flight at a crash may arrive twice,
// with the same idempotency key (the finding), so a receiver still shows it once.
import type { RecordedEvent } from '@rampart/event-sourcing';
import { migrate, quoteIdent, type SqlClient } from '@rampart/event-store';
import type { FindingOpened } from '@rampart/guardrails-contract';
import { type Background, followLog, type Logger, type RampartConfig, READ_MODEL_SCHEMA, signedWebhook, type SignedWebhook, type Stores } from '@rampart/runtime';

/** Notifications delivered, by idempotency key: what a redelivered batch must not send again. */
export class NotificationDeliveries {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
  ) {}

  static async open(sql: SqlClient, schema = READ_MODEL_SCHEMA): Promise<NotificationDeliveries> {
    const table = `${quoteIdent(schema)}.notification_deliveries`;
    await migrate(
      sql,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
       CREATE TABLE IF NOT EXISTS ${table} (idempotency_key text PRIMARY KEY, delivered_at timestamptz NOT NULL DEFAULT now())`,
    );
    return new NotificationDeliveries(sql, table);
  }

  async delivered(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const { rows } = await this.sql.query<{ k: string }>(`SELECT idempotency_key AS k FROM ${this.table} WHERE idempotency_key = ANY($1::text[])`, [keys]);
    return new Set(rows.map((r) => r.k));
  }

  async record(key: string): Promise<void> {
    await this.sql.query(`INSERT INTO ${this.table} (idempotency_key) VALUES ($1) ON CONFLICT DO NOTHING`, [key]);
  }
}

export const FINDING_NOTIFIER_SUBSCRIPTION = 'finding-notifier';

export class FindingNotifier {
  constructor(
    private readonly webhook: SignedWebhook,
    private readonly log: Logger,
    private readonly deliveries?: NotificationDeliveries,
  ) {}

  /** Delivers the batch's notifications; one that cannot be delivered after the retries is logged, not retried forever. */
  async handle(events: readonly RecordedEvent[], signal: AbortSignal): Promise<number> {
    let delivered = 0;
    const keyOf = (e: RecordedEvent) => `${e.metadata.tenantId}:${(e as unknown as FindingOpened).data.findingId}`;
    const notifying = events.filter((e) => e.type === 'guardrails.FindingOpened.v1' && (e as unknown as FindingOpened).data.notify);
    const already = (await this.deliveries?.delivered(notifying.map(keyOf))) ?? new Set<string>();
    for (const e of notifying) {
      const finding = (e as unknown as FindingOpened).data;
      const key = keyOf(e);
      if (already.has(key)) continue;
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
      const result = await this.webhook.post(payload, key, signal);
      if (result.ok === true) {
        delivered++;
        await this.deliveries?.record(key);
      }
      else this.log.warn({ tenantId: e.metadata.tenantId, findingId: finding.findingId, reason: result.ok === false ? result.reason : 'pending' }, 'finding notification not delivered');
    }
    return delivered;
  }
}

/** Follows findings from its checkpoint and notifies; does nothing when no notification webhook is configured. */
export const startFindingNotifier = async (
  stores: Stores,
  log: Logger,
  notifications: RampartConfig['notifications'],
  options: { readonly leaseMs?: number; readonly partitions?: number } = {},
): Promise<Background> => {
  if (!notifications) return { stop: async () => undefined };
  const webhook = signedWebhook({
    url: notifications.webhookUrl,
    secret: notifications.webhookSecret,
    previousSecret: notifications.webhookPreviousSecret,
    userAgent: 'rampart-notifier',
    kind: 'notification',
  });
  const notifier = new FindingNotifier(webhook, log, await NotificationDeliveries.open(stores.readModels));
  return followLog(stores, log, {
    leaseMs: options.leaseMs,
    partitions: options.partitions,
    subscriptionId: FINDING_NOTIFIER_SUBSCRIPTION,
    eventTypes: ['guardrails.FindingOpened.v1'],
    batchSize: 100,
    handle: (events, signal) => notifier.handle(events, signal),
  });
};
