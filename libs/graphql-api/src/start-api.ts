// Boots the API over HTTP. Every route passes the authentication middleware first; only /health
// (and /metrics reached through a private address) answer without a principal, besides the web
// console's static files, its config and its development sign-in (http/console.ts), which hold no data.
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule } from './api.module';
import { tokenLimit } from './http/token-limit';
import { authMiddleware } from './auth/http-auth';
import { consoleRoutes } from './http/console';
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

export const startApi = async (runtime: ApiRuntime, http: { host: string; port: number }): Promise<RunningApi> => {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(runtime), {
    logger: new PinoNestLogger(runtime.log.child({ component: 'nest' })),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  // The console's files, config and development sign-in: no data, so before authentication.
  if (runtime.console) app.use(consoleRoutes(runtime.console));
  app.use(authMiddleware(runtime.authenticator, { rateLimitPerMinute: runtime.rateLimitPerMinute, log: runtime.log }));
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.use('/graphql', tokenLimit(runtime.limits.maxTokens));
  await app.listen(http.port, http.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${address.port}`;
  runtime.log.info({ url: `${url}/graphql`, store: runtime.stores.description }, 'api listening');
  return { url, port: address.port, schema: app.get(GraphQLSchemaHost).schema, close: () => app.close() };
};
