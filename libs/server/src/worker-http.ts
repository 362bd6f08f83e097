// The worker's own /metrics and /health (RAMPART_WORKER_METRICS_PORT): a worker serves no API, yet
// its counters (evaluations, webhooks, actions) and projection lag are its own. /metrics answers a
// scraper on this machine or one presenting RAMPART_METRICS_TOKEN, as the API's does; a worker
// authenticates no people, so everyone else is refused. Nothing else is served.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KEEP_ALIVE_TIMEOUT_MS, keepIdleConnectionsOpen, mayScrapeMetrics } from '@rampart/graphql-api';
import type { Logger, Stores } from '@rampart/runtime';
import type { Registry } from 'prom-client';

export interface WorkerHttp {
  readonly url: string;
  close(): Promise<void>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

export const startWorkerHttp = async (
  options: { readonly host: string; readonly port: number; readonly metrics: Registry; readonly metricsToken?: string; readonly stores: Stores; readonly version: string },
  log: Logger,
): Promise<WorkerHttp> => {
  const check = async (probe: () => Promise<unknown>) => {
    try {
      await withTimeout(probe(), 2_000);
      return 'up' as const;
    } catch (error) {
      log.warn({ err: error }, 'health check failed');
      return 'down' as const;
    }
  };
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const server: HttpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'only GET' } });
    if (path === '/health') {
      void Promise.all([check(() => options.stores.eventStore.headPosition()), check(() => options.stores.readModels.query('SELECT 1'))]).then(([eventStore, readModels]) => {
        const up = eventStore === 'up' && readModels === 'up';
        json(res, up ? 200 : 503, { status: up ? 'ok' : 'unavailable', version: options.version, store: options.stores.eventStore.kind, checks: { eventStore, readModels } });
      });
      return;
    }
    if (path === '/metrics') {
      if (!mayScrapeMetrics(req.socket.remoteAddress, req.headers.authorization, options.metricsToken)) {
        return json(res, options.metricsToken ? 401 : 403, {
          error: { code: options.metricsToken ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: "the worker's metrics are for a scraper on this machine or one presenting RAMPART_METRICS_TOKEN" },
        });
      }
      options.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' }).end(text),
        (error: unknown) => {
          log.error({ err: error }, 'metrics could not be collected');
          json(res, 500, { error: { code: 'INTERNAL', message: 'metrics could not be collected' } });
        },
      );
      return;
    }
    json(res, 404, { error: { code: 'NOT_FOUND', message: 'the worker serves /health and /metrics only' } });
  });
  // As the API's: idle connections are the scraper's to close (see keepIdleConnectionsOpen).
  keepIdleConnectionsOpen(server);
  server.requestTimeout = KEEP_ALIVE_TIMEOUT_MS + 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log.info({ url: `${url}/metrics` }, 'worker metrics listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
