// Boots the API over HTTP and WebSocket. Every route passes the authentication middleware first;
// only /health (and /metrics for a scraper on this machine or holding the metrics token) answer
// without a principal, besides the web console's static files, its config and its development
// sign-in (http/console.ts), which hold no data. WebSocket operations pass the same AccessGate.
import express from 'express';
import { NestFactory } from '@nestjs/core';
import { MAX_EVIDENCE_BYTES } from '@rampart/guardrails-application';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule, queryArmor } from './api.module';
import { AccessGate } from './auth/access-gate';
import { attachSocketServer } from './ws/socket-server';
import { tokenLimit } from './http/token-limit';
import { authMiddleware } from './auth/http-auth';
import { observeRequests } from './http/observability';
import { consoleConnectOrigins, consoleRoutes } from './http/console';
import { RefusingExpressAdapter } from './http/errors';
import { securityHeaders } from './http/security-headers';
import { PinoNestLogger } from './nest-logger';
import type { ApiRuntime } from './runtime';

export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface RunningApi {
  readonly url: string;
  readonly port: number;
  /** The executable schema, authorization applied (for schema checks and the SDL file). */
  readonly schema: GraphQLSchema;
  close(): Promise<void>;
}

/**
 * Idle keep-alive connections are closed by the client or the load balancer in front, not by this
 * server first: Node's default (5 s) is shorter than an Azure Application Gateway's or an AWS ALB's
 * idle timeout (60 s), and a request sent on a connection the server is closing at that moment fails
 * ("other side closed", a 502 at the balancer). Headers must still arrive within their own time.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
export const keepIdleConnectionsOpen = (server: import('node:http').Server): void => {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
};

export const startApi = async (runtime: ApiRuntime, http: { host: string; port: number }): Promise<RunningApi> => {
  // Unknown routes and failures in middleware (malformed or oversize bodies) answer in the refusal shape.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(runtime), new RefusingExpressAdapter(runtime.log), {
    logger: new PinoNestLogger(runtime.log.child({ component: 'nest' })),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  app.use(observeRequests());
  app.use(securityHeaders({ connectOrigins: runtime.console ? consoleConnectOrigins(runtime.console) : [] }));
  // The console's files, config and development sign-in: no data, so before authentication.
  if (runtime.console) app.use(consoleRoutes(runtime.console));
  const gate = new AccessGate(runtime.authenticator, { rateLimitPerMinute: runtime.rateLimitPerMinute, log: runtime.log });
  app.use(authMiddleware(gate, { metricsToken: runtime.metricsToken }));
  // an evidence upload is the file's bytes, whatever their type (a JSON file is evidence, not a request)
  app.use('/evidence', express.raw({ type: () => true, limit: MAX_EVIDENCE_BYTES }));
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.use('/graphql', tokenLimit(runtime.limits.maxTokens));
  await app.init();
  const schema = app.get(GraphQLSchemaHost).schema;
  const sockets = attachSocketServer(app.getHttpServer(), {
    schema,
    runtime,
    gate,
    validationRules: queryArmor(runtime).validationRules,
    maxPayloadBytes: MAX_REQUEST_BYTES,
  });
  keepIdleConnectionsOpen(app.getHttpServer());
  await app.listen(http.port, http.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${address.port}`;
  runtime.log.info({ url: `${url}/graphql`, store: runtime.stores.description }, 'api listening');
  return {
    url,
    port: address.port,
    schema,
    close: async () => {
      await sockets.close();
      await app.close();
    },
  };
};
