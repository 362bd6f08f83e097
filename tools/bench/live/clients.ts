// The live benchmark's screens: a child process (forked by main.ts) holding every graphql-ws
// client, so the API under test keeps its process and event loop to itself. It connects them,
// subscribes, and records what each subscription receives and how long after the append it came.
// Talks to its parent over IPC only (messages in protocol.ts).
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ClientSpec, ParentMessage, Received, SubscriptionResult } from './protocol';

interface Live {
  readonly spec: ClientSpec;
  readonly client: Client;
  readonly results: SubscriptionResult[];
}

const DOCUMENT = (op: string) => `subscription Live($tenantId: ID!) { ${op}(tenantId: $tenantId) { eventId tenantId type position data } }`;

const send = (message: unknown) => process.send?.(message);

let clients: Live[] = [];
/** [received at, append→delivery ms] of the measured events (those carrying `benchAppendedAt`). */
let latencies: [number, number][] = [];

const connect = async (url: string, specs: readonly ClientSpec[], concurrency: number): Promise<void> => {
  const started = performance.now();
  let connected = 0;
  let failed = 0;
  const failures: string[] = [];
  let next = 0;
  const one = (spec: ClientSpec) =>
    new Promise<void>((resolve) => {
      let settled = false;
      const done = (ok: boolean, why?: string) => {
        if (settled) return;
        settled = true;
        if (ok) connected++;
        else {
          failed++;
          if (failures.length < 5) failures.push(`${spec.id}: ${why}`);
        }
        resolve();
      };
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${spec.token}` },
        lazy: false,
        retryAttempts: 0,
        on: {
          connected: () => done(true),
          closed: (event) => {
            const { code, reason } = event as { code: number; reason: string };
            done(false, `closed ${code} ${reason}`);
            for (const r of live.results) if (!r.ended) r.ended = `socket closed ${code} ${reason}`;
          },
          error: (error) => done(false, String((error as Error)?.message ?? error)),
        },
      });
      const live: Live = { spec, client, results: [] };
      clients.push(live);
      for (const sub of spec.subscriptions) {
        const result: SubscriptionResult = { clientId: spec.id, op: sub.op, tenantId: sub.tenantId, received: [] };
        live.results.push(result);
        client.subscribe<{ [op: string]: { eventId: string; tenantId: string; type: string; position: string; data: string } }>(
          { query: DOCUMENT(sub.op), variables: { tenantId: sub.tenantId }, operationName: 'Live' },
          {
            next: (value) => {
              const event = value.data?.[sub.op];
              if (!event) {
                result.ended ??= `result without data: ${JSON.stringify(value.errors ?? value).slice(0, 200)}`;
                return;
              }
              const data = JSON.parse(event.data) as { benchAppendedAt?: number };
              if (typeof data.benchAppendedAt === 'number') {
                const now = Date.now();
                latencies.push([now, now - data.benchAppendedAt]);
              }
              const received: Received = { eventId: event.eventId, tenantId: event.tenantId, type: event.type, position: event.position };
              result.received.push(received);
            },
            error: (error) => {
              const errors = Array.isArray(error) ? (error as { message: string; extensions?: { code?: string } }[]) : undefined;
              result.ended ??= errors ? errors.map((e) => `${e.extensions?.code ?? ''} ${e.message}`).join('; ') : String((error as Error)?.message ?? error);
            },
            complete: () => {
              result.ended ??= 'completed by the server';
            },
          },
        );
      }
    });
  const lane = async () => {
    while (next < specs.length) await one(specs[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  send({ type: 'connected', connected, failed, failures, ms: performance.now() - started });
};

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case 'connect':
        clients = [];
        latencies = [];
        await connect(message.url, message.clients, message.concurrency);
        return;
      case 'progress': {
        // How many subscriptions have seen an event of `marker` type (the probes), and deliveries so far.
        const all = clients.flatMap((c) => c.results);
        const probed = all.filter((r) => r.received.some((e) => message.probeIds.includes(e.eventId))).length;
        const ended = all.filter((r) => r.ended).map((r) => `${r.clientId} ${r.op}(${r.tenantId}): ${r.ended}`);
        send({ type: 'progress', subscriptions: all.length, probed, deliveries: all.reduce((n, r) => n + r.received.length, 0), measured: latencies.length, ended: ended.slice(0, 5), endedCount: ended.length });
        return;
      }
      case 'finish': {
        const results = clients.flatMap((c) => c.results);
        send({ type: 'results', results, latencies });
        return;
      }
      case 'disconnect':
        await Promise.all(clients.map((c) => c.client.dispose()));
        clients = [];
        send({ type: 'disconnected' });
        return;
    }
  })().catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
});

send({ type: 'ready' });
