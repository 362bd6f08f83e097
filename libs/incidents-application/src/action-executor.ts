// Executors behind one port: how an approved response action is carried out. `webhook` POSTs a
// signed request to the customer's or the SOC's automation (Logic App, Azure Automation, a
// runbook), `manual` leaves it to a person who records the outcome, `dry-run` only says what it
// would do. The action runner (action-runner.ts) decides when an executor is called: at most once.
import type { ExecutorKind } from '@rampart/incidents';
import { signedWebhook, type WebhookExecutorOptions, type WebhookResult } from '@rampart/runtime';

export interface ExecutionRequest {
  readonly tenantId: string;
  readonly actionId: string;
  readonly incidentId: string;
  readonly actionKind: string;
  readonly target: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** The same for every delivery of one execution: the receiver acts on a key once. */
  readonly idempotencyKey: string;
}

export type ExecutionResult =
  | WebhookResult
  /** Nothing ran: a person carries the action out and records its outcome (manual executor). */
  | { readonly ok: 'pending'; readonly note: string };

export interface ActionExecutor {
  readonly kind: ExecutorKind;
  /**
   * The longest one `execute` can take, retries included. An action Executing for longer than
   * this is nobody's live call any more: its worker stopped.
   */
  readonly worstCaseMs: number;
  /** Resolves with the outcome; rejects only when `signal` aborts (the worker stops) or on a bug. */
  execute(request: ExecutionRequest, signal: AbortSignal): Promise<ExecutionResult>;
}

export const dryRunExecutor = (): ActionExecutor => ({
  kind: 'dry-run',
  worstCaseMs: 0,
  execute: async (request) => ({ ok: true, outcome: `dry run: would ${request.actionKind} on ${request.target}` }),
});

export const manualExecutor = (): ActionExecutor => ({
  kind: 'manual',
  worstCaseMs: Number.POSITIVE_INFINITY,
  execute: async () => ({ ok: 'pending', note: 'awaiting a person: record the outcome with evidence (recordActionOutcome)' }),
});

export const webhookExecutor = (options: WebhookExecutorOptions): ActionExecutor => {
  const webhook = signedWebhook(options);
  return {
    kind: 'webhook',
    worstCaseMs: webhook.worstCaseMs,
    execute: (request, signal) => webhook.post({ ...request }, request.idempotencyKey, signal),
  };
};
