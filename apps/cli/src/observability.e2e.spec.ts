// Traces and metrics across real processes: a `rampart api` and a `rampart worker` on one PostgreSQL,
// exporting with the OTLP/HTTP exporter to a collector this test runs (the one thing faked: no
// OpenTelemetry collector runs here). An alert ingested over GraphQL opens an incident in the API;
// the worker's incident reactor answers it with the playbook's action. The request, its commands
// and appends, and the worker's reaction and its own appends must be one trace, each span under
// the one that caused it; with tracing off, nothing is exported and no event carries a
// traceparent. Both processes' /metrics list the counters the work moved.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testDatabaseUrl } from '@rampart/event-store/testing';
import { BIN, ROOT } from './testing/workers';

const TENANT = 'otel-bank';
const ALERT = readFileSync(join(ROOT, 'libs', 'incidents', 'corpus', 'alerts', 'Microsoft.Security.locations-alerts.GetAlertSubscriptionLocation_example.json'), 'utf8');

interface ExportedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly links: { traceId: string; spanId: string }[];
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number; arrayValue?: { values?: OtlpValue[] } };
type OtlpAttribute = { key: string; value: OtlpValue };
const valueOf = (v: OtlpValue): unknown =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.boolValue ?? v.doubleValue ?? v.arrayValue?.values?.map(valueOf);
const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** An OTLP/HTTP receiver that keeps every span it is sent (JSON encoding only: anything else is recorded as refused). */
const startCollector = async () => {
  const spans: ExportedSpan[] = [];
  const refused: string[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (req.url !== '/v1/traces' || !String(req.headers['content-type']).startsWith('application/json')) {
        refused.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
        res.writeHead(415).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes?: OtlpAttribute[]; links?: { traceId: string; spanId: string }[] }[] }[] }[];
      };
      for (const rs of body.resourceSpans) {
        const service = String(attributesOf(rs.resource.attributes)['service.name']);
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({ service, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, kind: s.kind, attributes: attributesOf(s.attributes), links: s.links ?? [] });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    refused,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

interface Proc {
  readonly child: ChildProcess;
  output(): string;
}

/** A database, a data folder, and `rampart api` + `rampart worker` on them with `env`; everything removed by `dispose`. */
const startDeployment = async (name: string, env: Record<string, string>) => {
  const database = `rampart_${name}_${process.pid}`;
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const dir = mkdtempSync(join(tmpdir(), `rampart-${name}-`));
  const databaseUrl = testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${database}$1`);
  const full: Record<string, string> = {
    ...(process.env as Record<string, string>),
    RAMPART_STORE: 'postgres',
    DATABASE_URL: databaseUrl,
    RAMPART_DATA_DIR: dir,
    RAMPART_PORT: '0',
    RAMPART_CONSOLE_DIR: 'off',
    RAMPART_INGEST_INTERVAL_MINUTES: '0',
    RAMPART_WORKER_METRICS_PORT: '0',
    RAMPART_LOG_LEVEL: 'info',
    ...env,
  };
  for (const key of Object.keys(full)) if (key.startsWith('OTEL_') && !(key in env)) delete full[key];
  const procs: Proc[] = [];
  const start = (mode: 'api' | 'worker'): Proc => {
    const child = spawn(process.execPath, [BIN, mode], { cwd: ROOT, env: full });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    const proc = { child, output: () => output };
    procs.push(proc);
    return proc;
  };
  const until = async <T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 150_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await probe();
      if (found !== undefined && found !== false) return found;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; the processes said:\n${procs.map((p, i) => `--- ${i}\n${p.output().slice(-3_000)}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const logged = (proc: Proc, msg: string, key: string) =>
    until(`"${msg}" logged`, () => {
      for (const line of proc.output().split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry['msg'] === msg) return String(entry[key]);
      }
      return undefined;
    });
  const sql = new Client({ connectionString: databaseUrl });
  let connected = false;
  return {
    env: full,
    sql: async () => {
      if (!connected) await sql.connect();
      connected = true;
      return sql;
    },
    until,
    async start() {
      const api = start('api');
      const apiUrl = (await logged(api, 'api listening', 'url')).replace(/\/graphql$/, '');
      const worker = start('worker');
      const workerUrl = (await logged(worker, 'worker metrics listening', 'url')).replace(/\/metrics$/, '');
      await logged(worker, 'worker started', 'msg');
      return { apiUrl, workerUrl };
    },
    async dispose() {
      for (const { child } of procs) child.kill('SIGKILL');
      if (connected) await sql.end().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
};

type Deployment = Awaited<ReturnType<typeof startDeployment>>;

const token = (env: Record<string, string>, ...args: string[]) => {
  const run = spawnSync(process.execPath, [BIN, 'dev', 'token', ...args], { cwd: ROOT, env: { ...env, RAMPART_LOG_LEVEL: 'silent' }, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`dev token: ${run.stderr}`);
  return run.stdout.trim();
};

const gql = async (apiUrl: string, bearer: string, query: string, variables?: Record<string, unknown>) => {
  const res = await fetch(`${apiUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
};

/** Onboards the tenant, ingests the alert and waits for the worker's answer (the playbook's proposed action) in the log. */
const alertAnsweredByTheWorker = async (d: Deployment, apiUrl: string): Promise<string> => {
  const admin = token(d.env, '--role', 'platform.admin');
  await gql(apiUrl, admin, `mutation { onboardTenant(input: { tenantId: "${TENANT}", displayName: "OTel Bank", sector: "other", contactEmail: "soc@otel-bank.example" }) { __typename } }`);
  const customer = token(d.env, '--role', 'customer.admin', '--tenant', TENANT);
  const data = (await gql(apiUrl, customer, `mutation Ingest($payload: String!) { ingestAlerts(input: { tenantId: "${TENANT}", payloadJson: $payload }) { alerts { decision incidentId } } }`, { payload: ALERT })) as {
    ingestAlerts: { alerts: { decision: string; incidentId: string }[] };
  };
  expect(data.ingestAlerts.alerts).toEqual([{ decision: 'opened', incidentId: expect.stringMatching(/^inc-/) }]);
  const sql = await d.sql();
  await d.until('the worker proposing the playbook action', async () =>
    (await sql.query(`SELECT 1 FROM rampart.events WHERE type = 'incidents.ActionProposed.v1'`)).rowCount ? true : undefined,
  );
  return data.ingestAlerts.alerts[0].incidentId;
};

const metricsOf = async (url: string) => {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
};

describe('tracing on: one trace from the GraphQL request to the worker reaction', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let d: Deployment;

  beforeAll(async () => {
    collector = await startCollector();
    d = await startDeployment('otel_on', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=e2e' });
  }, 60_000);
  afterAll(async () => {
    await d?.dispose();
    await collector?.close();
  });

  it('exports the API, append and reaction spans of one trace, each the child of what caused it', async () => {
    const { apiUrl, workerUrl } = await d.start();
    await alertAnsweredByTheWorker(d, apiUrl);

    const server = await d.until('the ingestAlerts span exported', () => collector.spans.find((s) => s.name === 'mutation Ingest'));
    const inTrace = () => collector.spans.filter((s) => s.traceId === server.traceId);
    const reaction = await d.until('the incident reactor span of the same trace', () => inTrace().find((s) => s.name === 'react incident-reactor'));
    const workerAppend = await d.until("the reaction's append", () => inTrace().find((s) => s.service === 'rampart-worker' && s.name === 'append action'));
    const spans = inTrace();
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const ancestors = (s: ExportedSpan): ExportedSpan[] => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return parent ? [parent, ...ancestors(parent)] : [];
    };

    expect(collector.refused).toEqual([]);
    // the request: a server span named after the operation, with its type and name and nothing of its variables
    expect(server).toMatchObject({ service: 'rampart-api', kind: 2, attributes: { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'Ingest', 'http.route': '/graphql' } });
    expect(JSON.stringify(spans)).not.toContain('payload');
    expect(JSON.stringify(spans)).not.toMatch(/EICAR/i);

    // the API's command and its append, under the request
    const openIncident = spans.find((s) => s.service === 'rampart-api' && s.name === 'command OpenIncident');
    expect(openIncident).toBeDefined();
    expect(ancestors(openIncident!)).toContain(server);
    expect(openIncident!.attributes).toMatchObject({ 'rampart.tenant_id': TENANT, 'rampart.command.outcome': 'appended', 'rampart.stream_id': expect.stringMatching(new RegExp(`^t-${TENANT}:incident-`)) });
    const apiAppend = spans.find((s) => s.service === 'rampart-api' && s.name === 'append incident');
    expect(apiAppend?.parentSpanId).toBe(openIncident!.spanId);
    expect(apiAppend!.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.operation.name': 'append', 'rampart.event_count': expect.any(Number) });

    // the worker's reaction continues the trace from the append that recorded the incident
    expect(reaction).toMatchObject({ service: 'rampart-worker', kind: 5, attributes: { 'rampart.process_manager': 'incident-reactor', 'rampart.tenant_id': TENANT, 'rampart.event_types': ['incidents.IncidentOpened.v1'] } });
    expect(reaction.parentSpanId).toBe(apiAppend!.spanId);
    expect(ancestors(workerAppend)).toContain(reaction);
    expect(ancestors(workerAppend).find((s) => s.name === 'command ProposeAction')).toBeDefined();

    // the event carries the append's trace context, and only that
    const sql = await d.sql();
    const { rows } = await sql.query<{ traceparent: string | null }>(`SELECT metadata->>'traceparent' AS traceparent FROM rampart.events WHERE type = 'incidents.IncidentOpened.v1'`);
    expect(rows).toEqual([{ traceparent: `00-${server.traceId}-${apiAppend!.spanId}-01` }]);

    // the metrics of both processes list what the work moved
    const workerMetrics = await metricsOf(workerUrl);
    expect(workerMetrics).toMatch(/^rampart_commands_total\{command="ProposeAction",outcome="appended"\} [1-9]/m);
    expect(workerMetrics).toMatch(/^rampart_projection_events_behind\{projection="incidents"\}/m);
    const apiMetrics = await metricsOf(apiUrl);
    expect(apiMetrics).toMatch(/^rampart_commands_total\{command="OpenIncident",outcome="appended"\} [1-9]/m);
    expect(apiMetrics).toMatch(/^rampart_graphql_operations_total\{type="mutation",outcome="ok"\} [2-9]/m);
    expect(apiMetrics).toMatch(/^rampart_http_request_duration_seconds_count\{route="graphql",method="POST",status="2xx"\} [2-9]/m);
    expect((await fetch(`${workerUrl}/health`)).status).toBe(200);
    expect((await fetch(`${workerUrl}/graphql`)).status).toBe(404);

    // an alert pushed to the webhook route is traced too, by route (its path names the tenant)
    const customer = token(d.env, '--role', 'customer.admin', '--tenant', TENANT);
    const pushed = await fetch(`${apiUrl}/webhooks/alerts/${TENANT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` },
      body: readFileSync(join(ROOT, 'libs', 'incidents', 'corpus', 'alerts', 'Microsoft.SecurityInsights.incidents.GetIncidentById.json'), 'utf8'),
    });
    expect(pushed.status).toBe(200);
    const webhook = await d.until('the alert webhook span', () => collector.spans.find((s) => s.kind === 2 && s.attributes['http.route'] === '/webhooks/alerts/:tenantId'));
    expect(webhook).toMatchObject({ service: 'rampart-api', name: 'POST /webhooks/alerts/:tenantId', attributes: { 'http.response.status_code': 200 } });
    const opened = await d.until('its command', () => collector.spans.find((s) => s.traceId === webhook.traceId && s.name === 'command OpenIncident'));
    expect(opened.parentSpanId).toBe(webhook.spanId);
  }, 300_000);
});

describe('tracing off (the default)', () => {
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let d: Deployment;

  beforeAll(async () => {
    collector = await startCollector();
    // a collector address alone does not turn tracing on
    d = await startDeployment('otel_off', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
  }, 60_000);
  afterAll(async () => {
    await d?.dispose();
    await collector?.close();
  });

  it('exports nothing and writes no traceparent into events', async () => {
    const { apiUrl } = await d.start();
    await alertAnsweredByTheWorker(d, apiUrl);
    await new Promise((r) => setTimeout(r, 1_500)); // many export intervals
    expect(collector.requests()).toBe(0);
    const sql = await d.sql();
    const { rows } = await sql.query<{ total: string; traced: string }>(`SELECT count(*) AS total, count(*) FILTER (WHERE metadata ? 'traceparent') AS traced FROM rampart.events`);
    expect(Number(rows[0].total)).toBeGreaterThan(2);
    expect(Number(rows[0].traced)).toBe(0);
  }, 300_000);
});
