// Live updates benchmark: a thousand screens following their tenants over GraphQL subscriptions
// (graphql-ws) while guardrail verdicts and incident comments are written at a steady rate. The
// standalone platform (API + projection worker) runs in this process's main thread; the clients run in a
// child process (clients.ts), so they share neither its event loop nor its memory. Reports connect
// time, append→delivery latency, whether every screen got exactly its tenants' events (it fails
// loudly if not), the API's memory per connection, and its HTTP throughput (autocannon on the
// tenants page) while fanning out against with nobody subscribed. See docs/performance-api.md,
// "Live updates: 1,000 subscribers".
//
//   npm run bench:live                                  1,000 clients, 50 tenants, PGlite and PostgreSQL
//   npm run bench:live -- --quick --no-postgres         smoke run
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import type { RoleGrant } from '@rampart/auth';
import { comparePositions, handleCommand, parsePosition, toNewEvents, type EventStore, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { throwawayPostgresDatabase } from '@rampart/event-store/testing';
import { postureStreamId } from '@rampart/guardrails';
import { ACTION_EVENT_TYPES, INCIDENT_EVENT_TYPES, incidentStreamId } from '@rampart/incidents';
import { startHarness, type Harness } from '@rampart/server/testing';
import { SECTORS, tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { measure, stopLoad, type LoadResult } from '../api/load';
import { alignedTable, cleanUpOnInterrupt, cpuBusyFraction, cpuSecondsOf, errorText, finishRun, machineHeader } from '../shared';
import type { ChildMessage, ClientSpec, LiveOperation, ParentMessage, SubscriptionResult } from './protocol';

const INCIDENT_TYPES = new Set<string>([...INCIDENT_EVENT_TYPES, ...ACTION_EVENT_TYPES]);
const RATE_LIMIT_PER_MINUTE = '1000000';
/** The HTTP load beside the fan-out: a small query, the first page of the tenant directory. */
const TENANTS_QUERY = 'query { tenants(first: 20) { edges { node { tenantId displayName status } } } }';
const SOC_TEAMS = 5;
const PLATFORM_ADMINS = 5;
const SOC_STAFF = 50;
const CONNECT_CONCURRENCY = 100;
const PROBE_TIMEOUT_MS = 180_000;
const DELIVERY_TIMEOUT_MS = 60_000;

const log = (target: string) => (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] [${target}] ${message}\n`);

interface Settings {
  readonly clients: number;
  readonly tenants: number;
  readonly rate: number;
  /** Appending with nothing else running (CPU, log reads), then as long again under HTTP load. */
  readonly phaseSeconds: number;
  /** Rounds of connect, fan out, disconnect, quiet: req/s and memory are their medians. */
  readonly rounds: number;
}

// --- the platform's tenants and the screens ---------------------------------------------------

const tenantIds = (count: number) => Array.from({ length: count }, (_, i) => `live-${String(i + 1).padStart(3, '0')}`);
const teamOf = (index: number) => `live-team-${index % SOC_TEAMS}`;
const INCIDENT_ID = 'live-bench-incident';
const SYSTEM = { kind: 'system', id: 'live-bench' } as const;

/** Onboards the tenants, assigns each a SOC team, opens one incident each (what the comments go to). */
const seed = async (store: EventStore, tenants: readonly string[]): Promise<void> => {
  for (const [i, tenantId] of tenants.entries()) {
    const context = { tenantId, actor: SYSTEM, correlationId: randomUUID(), now: new Date() };
    const streamId = tenantStreamId(tenantId);
    const onboarded = await handleCommand(store, tenantDecider, streamId, { kind: 'OnboardTenant', tenantId, displayName: `Live ${tenantId}`, sector: SECTORS[i % SECTORS.length], contactEmail: `secops@${tenantId}.example` }, context);
    const assigned = await handleCommand(store, tenantDecider, streamId, { kind: 'AssignSocTeam', tenantId, socTeam: teamOf(i) }, context);
    for (const outcome of [onboarded, assigned]) if (!outcome.ok) throw new Error(`seeding ${tenantId}: ${outcome.rejection.code}`);
    const signal = { kind: 'manual', ref: 'live-bench', title: 'Suspicious sign-ins', severity: 'medium', resourceKeys: [], entities: [], detectedAt: new Date().toISOString() };
    await store.appendToStream(
      incidentStreamId(tenantId, INCIDENT_ID),
      toNewEvents([{ type: 'incidents.IncidentOpened.v1', data: { incidentId: INCIDENT_ID, title: 'Suspicious sign-ins', severity: 'medium', signal } }], context),
      { expectedRevision: 'no_stream' },
    );
  }
};

/** Mostly customers watching their own tenant; SOC staff each following their team's tenants; a few platform admins. */
const screens = async (harness: Harness, tenants: readonly string[], count: number): Promise<ClientSpec[]> => {
  const specs: ClientSpec[] = [];
  const add = async (id: string, grant: RoleGrant, subscriptions: ClientSpec['subscriptions']) =>
    specs.push({ id, role: grant.role, token: await harness.token(grant, `${id}@live-bench.example`), subscriptions });
  const admins = Math.min(PLATFORM_ADMINS, count);
  const soc = Math.min(SOC_STAFF, count - admins);
  for (let k = 0; k < admins; k++) {
    const watched = Array.from({ length: Math.min(10, tenants.length) }, (_, j) => tenants[(k * 10 + j) % tenants.length]);
    await add(`admin-${k}`, { role: 'platform.admin' }, watched.map((tenantId) => ({ op: 'tenantEvents' as const, tenantId })));
  }
  for (let k = 0; k < soc; k++) {
    const team = teamOf(k);
    const ofTeam = tenants.filter((_, i) => teamOf(i) === team).slice(0, 20);
    await add(`soc-${k}`, { role: k % 4 === 0 ? 'soc.lead' : 'soc.analyst', socTeam: team }, ofTeam.map((tenantId) => ({ op: 'incidentEvents' as const, tenantId })));
  }
  for (let k = 0; k < count - admins - soc; k++) {
    const tenantId = tenants[k % tenants.length];
    const op: LiveOperation = k % 5 < 3 ? 'tenantEvents' : 'incidentEvents';
    await add(`customer-${k}`, { role: k % 10 < 7 ? 'customer.viewer' : 'customer.admin', tenantId }, [{ op, tenantId }]);
  }
  return specs;
};

// --- writing -------------------------------------------------------------------------------------

/** A comment on the tenant's incident: an incident event (both subscriptions see it). */
const comment = (tenantId: string, extra: Record<string, unknown>) => ({
  streamId: incidentStreamId(tenantId, INCIDENT_ID),
  event: { type: 'incidents.CommentAdded.v1', data: { incidentId: INCIDENT_ID, commentId: randomUUID(), text: 'Containment confirmed on the affected storage account.', ...extra } },
});

/** A guardrail verdict that changed: a posture event (only tenantEvents sees it). */
const verdict = (tenantId: string, n: number, extra: Record<string, unknown>) => {
  const resourceKey = `/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/rg-live/providers/microsoft.storage/storageaccounts/st${n % 5}`;
  return {
    streamId: postureStreamId(tenantId, resourceKey),
    event: {
      type: 'guardrails.ComplianceStateChanged.v1',
      data: {
        resourceKey,
        resourceId: resourceKey,
        resourceType: 'Microsoft.Storage/storageAccounts',
        assignmentId: 'core',
        baselineId: 'landing-zone-core',
        guardrailId: 'storage-min-tls',
        from: n % 2 ? 'compliant' : 'non-compliant',
        to: n % 2 ? 'non-compliant' : 'compliant',
        reason: 'minimumTlsVersion is TLS1_0',
        exemptionId: null,
        causedBy: null,
        ...extra,
      },
    },
  };
};

const appendOne = async (store: EventStore, tenantId: string, write: { streamId: string; event: { type: string; data: unknown } }): Promise<string> => {
  const [event] = toNewEvents([write.event], { tenantId, actor: SYSTEM, correlationId: randomUUID(), now: new Date() });
  await store.appendToStream(write.streamId, [event]);
  return event.eventId;
};

/** Appends in flight at most: appends are started on schedule, not after the previous one ended. */
const MAX_IN_FLIGHT = 16;

/**
 * Appends at `rate` per second until stopped, on a fixed schedule (a slow append does not delay the
 * next, up to MAX_IN_FLIGHT): tenants in turn, half incident comments, half guardrail verdicts, each
 * stamped with the time its append started.
 */
const startAppender = (store: EventStore, tenants: readonly string[], rate: number) => {
  let stopped = false;
  let appended = 0;
  let appendMs = 0;
  let failed: unknown;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const done = (async () => {
    let nextAt = performance.now();
    for (let i = 0; !stopped; i++) {
      const tenantId = tenants[i % tenants.length];
      const stamp = { benchAppendedAt: Date.now() };
      const write = Math.floor(i / tenants.length) % 2 === 0 ? comment(tenantId, stamp) : verdict(tenantId, i, stamp);
      const t0 = performance.now();
      const append = appendOne(store, tenantId, write).then(
        () => {
          appendMs += performance.now() - t0;
          appended++;
        },
        (error: unknown) => void (failed ??= error),
      );
      inFlight.add(append);
      void append.finally(() => inFlight.delete(append));
      if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      nextAt += 1000 / rate;
      const wait = nextAt - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(inFlight);
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      if (failed) throw failed;
      const seconds = (performance.now() - started) / 1000;
      return { appended, perSecond: appended / seconds, meanAppendMs: appended ? appendMs / appended : 0 };
    },
  };
};

/** Until every projection has applied the whole log (SOC teams reach their tenants through the tenant directory). */
const settled = async (worker: { statuses(): Promise<{ eventsBehind: number }[]> }, timeoutSeconds: number): Promise<void> => {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while ((await worker.statuses()).some((s) => s.eventsBehind > 0)) {
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutSeconds} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

// --- the clients' process ------------------------------------------------------------------------

const startClients = async () => {
  const child: ChildProcess = fork(path.join(__dirname, '..', '..', 'bin', 'run-ts.js'), [path.join(__dirname, 'clients.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const waiters: { type: ChildMessage['type']; resolve: (m: ChildMessage) => void }[] = [];
  let failure: Error | undefined;
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'failed') failure = new Error(`clients process: ${message.error}`);
    const i = waiters.findIndex((w) => w.type === message.type || message.type === 'failed');
    if (i >= 0) waiters.splice(i, 1)[0].resolve(message);
  });
  child.on('exit', (code) => (failure ??= new Error(`the clients process exited (${code})`)));
  const ask = <T extends ChildMessage['type']>(type: T, message?: ParentMessage): Promise<Extract<ChildMessage, { type: T }>> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      waiters.push({
        type,
        resolve: (m) => (m.type === 'failed' ? reject(new Error(`clients process: ${m.error}`)) : resolve(m as Extract<ChildMessage, { type: T }>)),
      });
      if (message) child.send(message);
    });
  await ask('ready');
  let exited = child.exitCode !== null || child.signalCode !== null;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    child,
    ask,
    stop: async () => {
      if (!exited) child.kill();
      await gone;
    },
  };
};

// --- measuring -----------------------------------------------------------------------------------

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const memory = () => {
  gc();
  const m = process.memoryUsage();
  // heapUsed is the JS objects; external holds ws's and Node's buffers. RSS also moves with PGlite and freed pages.
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
};

type Distribution = ReturnType<typeof distribution>;
const distribution = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN, count: sorted.length };
};

const percentile = (sorted: readonly number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : Number.NaN);

/** Server-process CPU (all its threads: API, worker, PGlite) and log reads over `seconds`. */
const sampleWindow = async (seconds: number, reads: { count: number }) => {
  const cpu0 = process.cpuUsage();
  const reads0 = reads.count;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { cpuPercent: ((cpu.user + cpu.system) / 1e6 / wall) * 100, readsPerSecond: (reads.count - reads0) / wall };
};

const readLogAfter = async (store: EventStore, from: GlobalPosition): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  let position = from;
  for (;;) {
    const page = await store.readAll({ from: position, maxCount: 5_000 });
    events.push(...page.events);
    position = page.position;
    if (page.isEnd) return events;
  }
};

interface Verification {
  readonly subscriptions: number;
  readonly expected: number;
  readonly received: number;
  readonly missing: number;
  readonly unexpected: number;
  readonly crossTenant: number;
  readonly outOfOrder: number;
  readonly ended: number;
  readonly examples: string[];
}

/** Each subscription must have received exactly its tenant's events after `from` that its operation selects, in log order. */
const verify = (results: readonly SubscriptionResult[], log: readonly RecordedEvent[], from: GlobalPosition): Verification => {
  const byTenant = new Map<string, RecordedEvent[]>();
  for (const e of log) {
    const events = byTenant.get(e.metadata.tenantId);
    if (events) events.push(e);
    else byTenant.set(e.metadata.tenantId, [e]);
  }
  const v = { subscriptions: results.length, expected: 0, received: 0, missing: 0, unexpected: 0, crossTenant: 0, outOfOrder: 0, ended: 0, examples: [] as string[] };
  const example = (text: string) => v.examples.length < 8 && v.examples.push(text);
  for (const r of results) {
    const label = `${r.clientId} ${r.op}(${r.tenantId})`;
    if (r.ended) {
      v.ended++;
      example(`${label} ended: ${r.ended}`);
    }
    for (const e of r.received) {
      if (e.tenantId !== r.tenantId) {
        v.crossTenant++;
        example(`${label} received ${e.type} of tenant ${e.tenantId}`);
      }
    }
    const after = r.received.filter((e) => comparePositions(parsePosition(e.position), from) > 0);
    const positions = after.map((e) => parsePosition(e.position));
    if (positions.some((p, i) => i > 0 && comparePositions(positions[i - 1], p) >= 0)) {
      v.outOfOrder++;
      example(`${label} received events out of log order (or twice)`);
    }
    const expected = (byTenant.get(r.tenantId) ?? []).filter((e) => r.op === 'tenantEvents' || INCIDENT_TYPES.has(e.type)).map((e) => e.eventId);
    const got = new Set(after.map((e) => e.eventId));
    const wanted = new Set(expected);
    const missing = expected.filter((id) => !got.has(id)).length;
    const unexpected = after.filter((e) => !wanted.has(e.eventId)).length;
    if (missing) example(`${label} missed ${missing} of ${expected.length} events`);
    if (unexpected) example(`${label} received ${unexpected} events it should not have`);
    v.expected += expected.length;
    v.received += after.length;
    v.missing += missing;
    v.unexpected += unexpected;
  }
  return v;
};

interface Phase {
  readonly appended: number;
  readonly perSecond: number;
  readonly meanAppendMs: number;
  readonly cpuPercent: number;
  readonly readsPerSecond: number;
  readonly load: LoadResult & { readonly machineBusy: number };
}

interface Round {
  readonly connectSeconds: number;
  readonly subscribedSeconds: number;
  /** Append→delivery ms, of the events delivered before the HTTP load began, and during or after it. */
  readonly latencies: { readonly alone: number[]; readonly underLoad: number[] };
  readonly verification: Verification;
  readonly memory: { readonly before: Memory; readonly connected: Memory };
  readonly fanOut: Phase;
  readonly quiet: Phase;
  readonly clientsCpuSeconds: number;
}

type Memory = ReturnType<typeof memory>;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The round with the median req/s stands for the phase (its other figures with it). */
const medianPhase = (phases: readonly Phase[]): Phase => [...phases].sort((a, b) => a.load.requestsPerSecond - b.load.requestsPerSecond)[Math.floor((phases.length - 1) / 2)];

const sumVerifications = (all: readonly Verification[]): Verification =>
  all.reduce((a, b) => ({
    subscriptions: a.subscriptions,
    expected: a.expected + b.expected,
    received: a.received + b.received,
    missing: a.missing + b.missing,
    unexpected: a.unexpected + b.unexpected,
    crossTenant: a.crossTenant + b.crossTenant,
    outOfOrder: a.outOfOrder + b.outOfOrder,
    ended: a.ended + b.ended,
    examples: [...a.examples, ...b.examples].slice(0, 8),
  }));

const cpuTimes = () => os.cpus().reduce((acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((x, y) => x + y, 0) }), { idle: 0, total: 0 });

/** HTTP load, and how busy the whole machine was meanwhile (others' work on a shared machine shows here). */
const loadWithMachineBusy = async (url: string, headers: Record<string, string>, settings: { connections: number; warmupSeconds: number; seconds: number }) => {
  const before = cpuTimes();
  const result = await measure(url, headers, { query: TENANTS_QUERY }, settings);
  const after = cpuTimes();
  return { ...result, machineBusy: 1 - (after.idle - before.idle) / (after.total - before.total) };
};

// --- one target ----------------------------------------------------------------------------------

interface TargetReport {
  readonly target: string;
  readonly skipped?: string;
  /** Events per second asked of the appender. */
  readonly rate?: number;
  readonly clients?: number;
  readonly subscriptions?: number;
  readonly roles?: Record<string, number>;
  readonly connectSeconds?: number;
  readonly connectFailed?: number;
  readonly subscribedSeconds?: number;
  /** Append→delivery, with nothing else running; and of the deliveries made under (or just after) the HTTP load. */
  readonly latencyMs?: Distribution;
  readonly latencyUnderLoadMs?: Distribution;
  readonly verification?: Verification;
  readonly memory?: { before: Memory; connected: Memory; heapPerConnection: number; externalPerConnection: number; rssPerConnection: number };
  readonly fanOut?: Phase;
  readonly quiet?: Phase;
  readonly rounds?: Omit<Round, 'latencies'>[];
  readonly cpuBusyBefore?: number;
  readonly clientsCpuSeconds?: number;
}

const runTarget = async (target: 'pglite' | 'postgres', env: Record<string, string>, settings: Settings, cleanups: (() => Promise<void>)[]): Promise<TargetReport> => {
  const say = log(target);
  say('booting the standalone platform (API + projection worker)');
  const harness = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: RATE_LIMIT_PER_MINUTE, RAMPART_LOG_LEVEL: 'silent', ...env });
  let stopping: Promise<void> | undefined;
  const stopHarness = () => (stopping ??= harness.stop());
  cleanups.push(stopHarness);
  let clients: Awaited<ReturnType<typeof startClients>> | undefined;
  const clientsStops: (() => Promise<void>)[] = [];
  try {
    const store = harness.server.stores.eventStore;
    // Every read of the log through the process's store (the API's live reader(s), projections).
    const reads = { count: 0 };
    const readAll = store.readAll.bind(store);
    (store as { readAll: EventStore['readAll'] }).readAll = (options) => {
      reads.count++;
      return readAll(options);
    };
    const worker = harness.server.worker;
    if (!worker) throw new Error('the standalone platform has no projection worker');
    const tenants = tenantIds(settings.tenants);
    say(`seeding ${tenants.length} tenants (onboarded, SOC team assigned, one incident open)`);
    await seed(store, tenants);
    await settled(worker, 120);
    const specs = await screens(harness, tenants, settings.clients);
    const subscriptions = specs.reduce((n, s) => n + s.subscriptions.length, 0);
    const roles = specs.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.role]: (acc[s.role] ?? 0) + 1 }), {});
    const adminToken = await harness.token({ role: 'platform.admin' }, 'load@live-bench.example');
    const headers = { authorization: `Bearer ${adminToken}` };
    const loadSettings = { connections: 10, warmupSeconds: 1, seconds: settings.phaseSeconds };

    const cpuBusyBefore = await cpuBusyFraction(1_000);
    say(`CPU busy before: ${Math.round(cpuBusyBefore * 100)}%`);
    const wsUrl = `${harness.url.replace(/^http/, 'ws')}/graphql`;

    /** Connect everyone, fan out (alone, then under HTTP load), check, disconnect; then the same load with nobody subscribed. */
    const round = async (n: number): Promise<Round> => {
      const before = memory();
      clients = await startClients();
      clientsStops.push(clients.stop);
      cleanups.push(clients.stop);
      say(`round ${n}: connecting ${specs.length} clients (${subscriptions} subscriptions; ${JSON.stringify(roles)}) from a child process, ${CONNECT_CONCURRENCY} at a time`);
      const connected = await clients.ask('connected', { type: 'connect', url: wsUrl, clients: specs, concurrency: CONNECT_CONCURRENCY });
      say(`${connected.connected} connected in ${(connected.ms / 1000).toFixed(1)} s, ${connected.failed} failed ${connected.failures.join('; ')}`);
      if (connected.failed > 0) throw new Error(`${connected.failed} clients could not connect: ${connected.failures.join('; ')}`);

      // No subscription is acknowledged in graphql-ws: probe each tenant until every subscription has seen one.
      const probeStarted = performance.now();
      const probeIds: string[] = [];
      for (;;) {
        for (const tenantId of tenants) probeIds.push(await appendOne(store, tenantId, comment(tenantId, { benchProbe: true })));
        await new Promise((r) => setTimeout(r, 500));
        const progress = await clients.ask('progress', { type: 'progress', probeIds });
        if (progress.endedCount > 0) throw new Error(`${progress.endedCount} subscriptions ended: ${progress.ended.join('; ')}`);
        if (progress.probed === progress.subscriptions) break;
        if (performance.now() - probeStarted > PROBE_TIMEOUT_MS) throw new Error(`only ${progress.probed} of ${progress.subscriptions} subscriptions live after ${PROBE_TIMEOUT_MS / 1000} s`);
        say(`${progress.probed}/${progress.subscriptions} subscriptions live`);
      }
      const subscribedSeconds = (performance.now() - probeStarted) / 1000 + connected.ms / 1000;
      say(`all ${subscriptions} subscriptions live ${subscribedSeconds.toFixed(1)} s after the first connect`);
      const connectedMemory = memory();
      const from = await store.headPosition();

      say(`fanning out: ${settings.rate} events/s for ${settings.phaseSeconds} s, then ${loadSettings.warmupSeconds} + ${settings.phaseSeconds} s more under HTTP load`);
      const clientsCpu0 = cpuSecondsOf(clients.child.pid ?? -1);
      let appender = startAppender(store, tenants, settings.rate);
      const fanWindow = await sampleWindow(settings.phaseSeconds, reads);
      const loadStartedAt = Date.now();
      const fanLoad = await loadWithMachineBusy(harness.url, headers, loadSettings);
      const fanAppends = await appender.stop();
      const clientsCpuSeconds = cpuSecondsOf(clients.child.pid ?? -1) - clientsCpu0;
      say(`fan-out: ${fanAppends.appended} appended (${fanAppends.perSecond.toFixed(1)}/s), server CPU ${fanWindow.cpuPercent.toFixed(0)}%, ${fanWindow.readsPerSecond.toFixed(0)} log reads/s, ${Math.round(fanLoad.requestsPerSecond)} req/s under load (machine ${Math.round(fanLoad.machineBusy * 100)}% busy)`);

      const logAfter = await readLogAfter(store, from);
      const measuredEvents = logAfter.filter((e) => typeof (e.data as { benchAppendedAt?: unknown }).benchAppendedAt === 'number');
      const wantedDeliveries = measuredEvents.reduce(
        (sum, e) => sum + specs.reduce((m, s) => m + s.subscriptions.filter((x) => x.tenantId === e.metadata.tenantId && (x.op === 'tenantEvents' || INCIDENT_TYPES.has(e.type))).length, 0),
        0,
      );
      const waitStarted = performance.now();
      let lastSaid = waitStarted;
      for (;;) {
        const progress = await clients.ask('progress', { type: 'progress', probeIds: [] });
        if (progress.measured >= wantedDeliveries || performance.now() - waitStarted > DELIVERY_TIMEOUT_MS) break;
        if (performance.now() - lastSaid > 5_000) {
          lastSaid = performance.now();
          say(`waiting for deliveries: ${progress.measured}/${wantedDeliveries}`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      const { results, latencies: received } = await clients.ask('results', { type: 'finish' });
      const latencies = { alone: received.filter(([at]) => at < loadStartedAt).map(([, ms]) => ms), underLoad: received.filter(([at]) => at >= loadStartedAt).map(([, ms]) => ms) };
      const verification = verify(results, logAfter, from);
      say(`delivered ${verification.received}/${verification.expected}`);

      await clients.ask('disconnected', { type: 'disconnect' });
      await clients.stop();
      clients = undefined;
      await new Promise((r) => setTimeout(r, 1_000));

      say(`nobody subscribed: ${settings.rate} events/s for ${settings.phaseSeconds} s, then under HTTP load`);
      appender = startAppender(store, tenants, settings.rate);
      const quietWindow = await sampleWindow(settings.phaseSeconds, reads);
      const quietLoad = await loadWithMachineBusy(harness.url, headers, loadSettings);
      const quietAppends = await appender.stop();
      say(`quiet: server CPU ${quietWindow.cpuPercent.toFixed(0)}%, ${quietWindow.readsPerSecond.toFixed(0)} log reads/s, ${Math.round(quietLoad.requestsPerSecond)} req/s (machine ${Math.round(quietLoad.machineBusy * 100)}% busy)`);
      return {
        connectSeconds: connected.ms / 1000,
        subscribedSeconds,
        latencies,
        verification,
        memory: { before, connected: connectedMemory },
        fanOut: { ...fanAppends, ...fanWindow, load: fanLoad },
        quiet: { ...quietAppends, ...quietWindow, load: quietLoad },
        clientsCpuSeconds,
      };
    };

    const rounds: Round[] = [];
    for (let n = 1; n <= settings.rounds; n++) rounds.push(await round(n));
    const latencyMs = distribution(rounds.flatMap((r) => r.latencies.alone));
    const latencyUnderLoadMs = distribution(rounds.flatMap((r) => r.latencies.underLoad));
    say(`latency over ${rounds.length} round(s): p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms, max ${latencyMs.max} ms; under HTTP load p50 ${latencyUnderLoadMs.p50} ms, p99 ${latencyUnderLoadMs.p99} ms`);
    const perConnection = (key: 'heapUsed' | 'external' | 'rss') => median(rounds.map((r) => (r.memory.connected[key] - r.memory.before[key]) / specs.length));
    return {
      target,
      rate: settings.rate,
      clients: specs.length,
      subscriptions,
      roles,
      connectSeconds: median(rounds.map((r) => r.connectSeconds)),
      subscribedSeconds: median(rounds.map((r) => r.subscribedSeconds)),
      latencyMs,
      latencyUnderLoadMs,
      verification: sumVerifications(rounds.map((r) => r.verification)),
      memory: { before: rounds[0].memory.before, connected: rounds[0].memory.connected, heapPerConnection: perConnection('heapUsed'), externalPerConnection: perConnection('external'), rssPerConnection: perConnection('rss') },
      fanOut: medianPhase(rounds.map((r) => r.fanOut)),
      quiet: medianPhase(rounds.map((r) => r.quiet)),
      rounds: rounds.map(({ latencies: _latencies, ...r }) => r),
      cpuBusyBefore,
      clientsCpuSeconds: median(rounds.map((r) => r.clientsCpuSeconds)),
    };
  } finally {
    say('stopping');
    await clients?.stop();
    await stopHarness();
    for (let i = cleanups.length - 1; i >= 0; i--) if (cleanups[i] === stopHarness || clientsStops.includes(cleanups[i])) cleanups.splice(i, 1);
  }
};

// --- report --------------------------------------------------------------------------------------

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const formatReports = (reports: readonly TargetReport[]): string => {
  const rows = reports
    .filter((r) => !r.skipped)
    .map((r) => [
      r.target,
      `${r.rate} → ${r.fanOut?.perSecond.toFixed(1)}`,
      `${r.clients} / ${r.subscriptions}`,
      `${r.connectSeconds?.toFixed(1)} s`,
      `${r.subscribedSeconds?.toFixed(1)} s`,
      `${r.latencyMs?.p50} / ${r.latencyMs?.p95} / ${r.latencyMs?.p99} / ${r.latencyMs?.max}`,
      `${r.latencyUnderLoadMs?.p50} / ${r.latencyUnderLoadMs?.p99}`,
      `${r.verification?.received} / ${r.verification?.expected}`,
      `${r.verification ? r.verification.missing + r.verification.unexpected + r.verification.crossTenant + r.verification.outOfOrder + r.verification.ended : '?'}`,
      `${kb(r.memory?.heapPerConnection ?? 0)} / ${kb(r.memory?.externalPerConnection ?? 0)}`,
      `${r.fanOut?.cpuPercent.toFixed(0)}% / ${r.quiet?.cpuPercent.toFixed(0)}%`,
      `${r.fanOut?.readsPerSecond.toFixed(0)} / ${r.quiet?.readsPerSecond.toFixed(0)}`,
      `${Math.round(r.fanOut?.load.requestsPerSecond ?? 0)} / ${Math.round(r.quiet?.load.requestsPerSecond ?? 0)} (${((r.fanOut?.load.requestsPerSecond ?? 0) / (r.quiet?.load.requestsPerSecond || 1)).toFixed(2)}x)`,
      `${r.fanOut?.load.latencyP99Ms} / ${r.quiet?.load.latencyP99Ms} ms`,
      `${Math.round((r.fanOut?.load.machineBusy ?? 0) * 100)}% / ${Math.round((r.quiet?.load.machineBusy ?? 0) * 100)}%`,
    ]);
  return alignedTable(
    ['store', 'events/s', 'clients / subs', 'connect', 'all live', 'delivery ms p50/p95/p99/max', 'under HTTP load p50/p99', 'delivered / expected', 'wrong', 'heap / external per conn', 'server CPU fan-out / none', 'log reads/s fan-out / none', 'req/s fan-out / none', 'HTTP p99 fan-out / none', 'machine busy under load'],
    [false, false, true, true, true, true, true, true, true, true, true, true, true, true, true, true],
    rows,
  );
};

/** Servers, the clients' process and the PostgreSQL database, newest first; also on failure and Ctrl-C. */
const cleanups: (() => Promise<void>)[] = [];
const cleanUpAll = async () => {
  stopLoad();
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await fn().catch((error: unknown) => process.stderr.write(`cleanup: ${errorText(error)}\n`));
};

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-live')
    .description('A thousand GraphQL subscriptions following their tenants while events are appended')
    .option('--quick', 'short phases, for a smoke run', false)
    .option('--no-postgres', 'only PGlite')
    .option('--no-pglite', 'only PostgreSQL')
    .option('--clients <n>', 'WebSocket clients', '1000')
    .option('--tenants <n>', 'tenants they watch', '50')
    .option('--rate <n>', 'events appended per second (PostgreSQL)', '50')
    .option('--pglite-rate <n>', 'events appended per second on PGlite, whose one process also runs the database and the worker', '20')
    .option('--seconds <n>', 'length of each phase (appending alone, then under HTTP load)')
    .option('--rounds <n>', 'rounds of connect, fan out, disconnect, quiet (default 2, quick 1)')
    .option('--json <file>', 'also write the results as JSON to this file')
    .parse(process.argv);
  const opts = program.opts<{ quick: boolean; postgres: boolean; pglite: boolean; clients: string; tenants: string; rate: string; pgliteRate: string; seconds?: string; rounds?: string; json?: string }>();
  const mode = opts.quick ? 'quick' : 'full';
  const settings: Settings = {
    clients: Number(opts.clients),
    tenants: Number(opts.tenants),
    rate: Number(opts.rate),
    phaseSeconds: Number(opts.seconds ?? (opts.quick ? 4 : 15)),
    rounds: Number(opts.rounds ?? (opts.quick ? 1 : 2)),
  };
  if (!(settings.clients >= 1 && settings.tenants >= SOC_TEAMS && settings.rate > 0 && Number(opts.pgliteRate) > 0 && settings.phaseSeconds >= 1 && settings.rounds >= 1)) throw new Error(`invalid settings ${JSON.stringify(settings)}`);
  const started = new Date();
  cleanUpOnInterrupt(cleanUpAll, log('bench'));

  const { machine, busyAtStart, loadAtStart } = await machineHeader('Live updates benchmark', mode, started);
  console.log(
    `${settings.clients} graphql-ws clients in a child process over ${settings.tenants} tenants; ${settings.rate} events/s on PostgreSQL, ${opts.pgliteRate} on PGlite (half incident comments, half guardrail verdicts); phases of ${settings.phaseSeconds} s; ${settings.rounds} round(s)`,
  );
  console.log(`HTTP load: autocannon, 10 connections, in a worker thread: ${TENANTS_QUERY}`);
  if (!(globalThis as { gc?: unknown }).gc) console.log('NOTE: run with node --expose-gc (npm run bench:live does) for steadier memory figures.');

  const reports: TargetReport[] = [];
  if (opts.pglite) reports.push(await runTarget('pglite', {}, { ...settings, rate: Number(opts.pgliteRate) }, cleanups));
  if (!opts.postgres) reports.push({ target: 'postgres', skipped: '--no-postgres was given' });
  else {
    let database: Awaited<ReturnType<typeof throwawayPostgresDatabase>> | undefined;
    try {
      database = await throwawayPostgresDatabase('bench_live');
    } catch (error) {
      reports.push({ target: 'postgres', skipped: errorText(error) });
    }
    if (database) {
      const db = database;
      cleanups.push(() => db.dispose());
      reports.push(await runTarget('postgres', { RAMPART_STORE: 'postgres', DATABASE_URL: db.url }, settings, cleanups));
    }
  }
  await cleanUpAll();

  console.log('');
  console.log(formatReports(reports));
  console.log('');
  let wrong = 0;
  for (const r of reports) {
    const { verification: v, memory: m, fanOut, quiet } = r;
    if (r.skipped || !v || !m || !fanOut || !quiet) {
      console.log(`SKIPPED: ${r.target}: ${r.skipped}`);
      continue;
    }
    console.log(
      `${r.target}: ${v.subscriptions} subscriptions expected ${v.expected} deliveries, received ${v.received}; missing ${v.missing}, unexpected ${v.unexpected}, other tenants' ${v.crossTenant}, out of order ${v.outOfOrder}, ended ${v.ended}. ` +
        `Memory before connecting: heap ${mb(m.before.heapUsed)}, external ${mb(m.before.external)}, RSS ${mb(m.before.rss)}; connected: heap ${mb(m.connected.heapUsed)}, external ${mb(m.connected.external)}, RSS ${mb(m.connected.rss)} (RSS per connection ${kb(m.rssPerConnection)}: noisy, it moves with PGlite and pages freed by GC). ` +
        `Appended ${fanOut.perSecond.toFixed(1)}/s (mean append ${fanOut.meanAppendMs.toFixed(1)} ms); clients' process used ${r.clientsCpuSeconds?.toFixed(1)} CPU s while fanning out.`,
    );
    for (const e of v.examples) console.log(`  (!) ${e}`);
    wrong += v.missing + v.unexpected + v.crossTenant + v.outOfOrder + v.ended;
    for (const [label, load] of [['fan-out', fanOut.load], ['none', quiet.load]] as const) {
      if (load.non2xx + load.otherErrors > 0) console.log(`  (!) WARNING: HTTP load (${label}) had ${load.non2xx} non-2xx and ${load.otherErrors} other errors`);
    }
  }
  console.log(
    'delivery: append→receipt in the client (same clock), over every delivery of the measured events made before the HTTP load (under HTTP load: those made during it or after, while the load saturates the API); wrong: missing + unexpected + other tenants\' + out of order + ended subscriptions (must be 0); ' +
      'memory: the server process (API, worker and PGlite), after GC, before connecting vs with every client connected and subscribed; server CPU (of one core; every thread of the server process) and log reads over the phase without HTTP load; req/s: autocannon, 10 connections, tenants page as platform.admin; ' +
      'with several rounds, req/s, CPU and log reads are those of the median round by req/s, memory the median per connection, latency over every round; machine busy: both CPUs, everything on the machine, during the HTTP load.',
  );
  finishRun(started, opts.json, (loadAtEnd) => ({ date: started.toISOString(), mode, settings, machine, busyAtStart, loadAtStart, loadAtEnd, targets: reports }));
  if (wrong > 0) throw new Error(`${wrong} wrong deliveries or ended subscriptions: live updates are broken`);
};

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`benchmark FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUpAll();
    process.exit(1);
  },
);
