// Prometheus metrics of the process: Node defaults, projection lag read on each scrape, and the
// counters of the work itself (commands, ingestion, evaluation, webhooks, actions, requests).
// The counters are one set per process, like the Node defaults: the edges that do the work record
// into `instruments` through plain methods, so no code outside this file touches prom-client, and
// a registry made for the API or the worker's /metrics serves them all. Labels come from small,
// fixed sets (never a tenant, resource or operation name: hundreds of tenants would each multiply
// every series).
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ProjectionStatus } from '@rampart/event-store';

export type CommandOutcomeLabel = 'appended' | 'unchanged' | 'rejected' | 'conflict' | 'error';
export type IngestionOutcome = 'completed' | 'failed' | 'refused';
export type WebhookKind = 'action' | 'notification';
export type ActionOutcomeLabel = 'succeeded' | 'failed' | 'uncertain' | 'pending' | 'not-recorded';

const counters = new Registry();

const commands = new Counter({
  name: 'rampart_commands_total',
  help: 'Commands handled, by command and outcome (appended, unchanged, rejected, conflict, error)',
  labelNames: ['command', 'outcome'],
  registers: [counters],
});
const ingestionRuns = new Counter({
  name: 'rampart_ingestion_runs_total',
  help: 'Inventory ingestion runs, by source and outcome (completed, failed, refused)',
  labelNames: ['source', 'outcome'],
  registers: [counters],
});
const ingestionResources = new Counter({
  name: 'rampart_ingestion_resources_total',
  help: 'Resources seen by ingestion runs, by source and what the run recorded for them (discovered, changed, removed, unchanged, rejected)',
  labelNames: ['source', 'change'],
  registers: [counters],
});
const evaluations = new Counter({
  name: 'rampart_guardrail_evaluations_total',
  help: "Resources evaluated against their tenant's guardrails",
  registers: [counters],
});
const evaluationSeconds = new Histogram({
  name: 'rampart_guardrail_evaluation_seconds',
  help: "Time to evaluate one resource against its tenant's guardrails (rule engine only, related resources fetched)",
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [counters],
});
const findings = new Counter({
  name: 'rampart_findings_total',
  help: 'Guardrail findings recorded, by change (opened, resolved)',
  labelNames: ['change'],
  registers: [counters],
});
const webhookDeliveries = new Counter({
  name: 'rampart_webhook_deliveries_total',
  help: 'Signed webhook deliveries, by kind (action, notification) and outcome (delivered, failed; retried counts each attempt that is tried again)',
  labelNames: ['kind', 'outcome'],
  registers: [counters],
});
const webhookSeconds = new Histogram({
  name: 'rampart_webhook_delivery_seconds',
  help: 'Time from the first attempt of a webhook delivery to its outcome, retries included',
  labelNames: ['kind', 'outcome'],
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [counters],
});
const actions = new Counter({
  name: 'rampart_response_actions_total',
  help: 'Response actions carried out, by action kind (the catalog id, or other), executor and outcome',
  labelNames: ['action', 'executor', 'outcome'],
  registers: [counters],
});
const httpSeconds = new Histogram({
  name: 'rampart_http_request_duration_seconds',
  help: 'HTTP requests the API answered, by route (graphql, health, metrics, webhooks, console, other), method and status class',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [counters],
});
const graphqlOperations = new Counter({
  name: 'rampart_graphql_operations_total',
  help: 'GraphQL operations over HTTP (WebSocket subscriptions are not counted), by type (query, mutation, unknown when the document did not parse or validate) and outcome (ok, error)',
  labelNames: ['type', 'outcome'],
  registers: [counters],
});

const keptAnswers = new Counter({
  name: 'rampart_api_kept_answers_total',
  help: 'Answers the API computes from the read side (scores, queues, directory pages, SOC reach), by kind and outcome (served: kept and still valid; computed)',
  labelNames: ['kind', 'outcome'],
  registers: [counters],
});

const readSideVersionReads = new Counter({
  name: 'rampart_api_read_side_version_reads_total',
  help: "Reads of the read side's version from the database, by reason (check: at most once a second while the API listens for changes; unwatched: on every request while its LISTEN connection is down)",
  labelNames: ['reason'],
  registers: [counters],
});

/** Where the work is done, it is counted: the one way code outside this file records a metric. */
export const instruments = {
  command(command: string, outcome: CommandOutcomeLabel): void {
    commands.inc({ command, outcome });
  },
  ingestionRun(source: string, outcome: IngestionOutcome, resources: Readonly<Record<string, number>> = {}): void {
    ingestionRuns.inc({ source, outcome });
    for (const [change, n] of Object.entries(resources)) if (n > 0) ingestionResources.inc({ source, change }, n);
  },
  evaluation(seconds: number): void {
    evaluations.inc();
    evaluationSeconds.observe(seconds);
  },
  finding(change: 'opened' | 'resolved', n = 1): void {
    if (n > 0) findings.inc({ change }, n);
  },
  webhookRetried(kind: WebhookKind): void {
    webhookDeliveries.inc({ kind, outcome: 'retried' });
  },
  webhookDelivered(kind: WebhookKind, ok: boolean, seconds: number): void {
    const outcome = ok ? 'delivered' : 'failed';
    webhookDeliveries.inc({ kind, outcome });
    webhookSeconds.observe({ kind, outcome }, seconds);
  },
  responseAction(action: string, executor: string, outcome: ActionOutcomeLabel): void {
    actions.inc({ action, executor, outcome });
  },
  httpRequest(route: string, method: string, status: number, seconds: number): void {
    httpSeconds.observe({ route, method, status: `${Math.floor(status / 100)}xx` }, seconds);
  },
  graphqlOperation(type: string, ok: boolean): void {
    graphqlOperations.inc({ type, outcome: ok ? 'ok' : 'error' });
  },
  keptAnswer(kind: string, served: boolean): void {
    keptAnswers.inc({ kind, outcome: served ? 'served' : 'computed' });
  },
  readSideVersionRead(reason: 'check' | 'unwatched'): void {
    readSideVersionReads.inc({ reason });
  },
};

/** Seconds since `start` (a `performance.now()`), for the histograms above. */
export const secondsSince = (start: number): number => (performance.now() - start) / 1_000;

/** The process's registry for a /metrics endpoint: Node defaults, the counters above and, when given, projection lag. */
export const createMetrics = (statuses?: () => Promise<ProjectionStatus[]>): Registry => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rampart_' });
  if (statuses) projectionGauges(registry, statuses);
  return Registry.merge([registry, counters]);
};

const projectionGauges = (registry: Registry, statuses: () => Promise<ProjectionStatus[]>): void => {
  let last: Promise<ProjectionStatus[]> | undefined;
  // One status read per scrape, shared by the gauges below.
  const current = () => (last ??= statuses().finally(() => setTimeout(() => (last = undefined), 0)));
  new Gauge({
    name: 'rampart_projection_events_behind',
    help: 'Events in the log that the projection has not applied yet (capped at 10000)',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.eventsBehind);
    },
  });
  new Gauge({
    name: 'rampart_projection_seconds_behind',
    help: 'Age in seconds of the oldest event the projection has not applied yet',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.secondsBehind);
    },
  });
  new Gauge({
    name: 'rampart_projection_events_applied',
    help: 'Events applied since the projection was last built',
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      for (const s of await current()) this.set({ projection: s.name }, s.eventsApplied);
    },
  });
};
