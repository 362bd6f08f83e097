// The API's composition: HTTP endpoints, GraphQL (Apollo, code first) with authorization applied
// to the whole schema, query limits, subscriptions over graphql-ws, and the CQRS handlers.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { AuthenticationError, credentialsFrom } from './auth/authenticator';
import type { AuthenticatedRequest } from './auth/http-auth';
import { applyAuthorization } from './authorization/apply-authorization';
import { createRequestContext, type RequestContext } from './context';
import { DecideCommandHandler } from './graphql/commands';
import { AlertsWebhookController } from './http/alerts-webhook.controller';
import { AuditDownloadController } from './http/audit-download.controller';
import { RESOLVERS } from './schema/build-schema';
import { GetPlatformHandler } from './graphql/queries';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { RUNTIME, type ApiRuntime } from './runtime';

/** Errors the client caused keep their message; anything else is masked behind a correlation id. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

export const maskError = (runtime: ApiRuntime) => (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const code = String(formatted.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
  if (CLIENT_ERROR_CODES.has(code)) return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code } };
  const correlationId = randomUUID();
  runtime.log.error({ err: error, correlationId, path: formatted.path }, 'GraphQL resolver failed');
  return {
    message: `Internal error; quote correlation id ${correlationId} when reporting it`,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
};

interface WsContext {
  connectionParams?: Record<string, unknown>;
  extra: { principal?: RequestContext['principal']; correlationId?: string };
}

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    const armor = new ApolloArmor({
      // Introspection is limited like any query: deep introspection is a known denial of service.
      maxDepth: { n: runtime.limits.maxDepth, ignoreIntrospection: false },
      costLimit: { maxCost: runtime.limits.maxCost, ignoreIntrospection: false },
      maxAliases: { n: runtime.limits.maxAliases },
      // Counted before parsing by the tokenLimit middleware instead: armor's own token plugin turns
      // every syntax error into a 500.
      maxTokens: { enabled: false },
      maxDirectives: { n: 20 },
      blockFieldSuggestion: { enabled: runtime.production },
    }).protect();
    const sql = runtime.stores.readModels;
    return {
      module: ApiModule,
      imports: [
        CqrsModule.forRoot(),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: !runtime.production,
          includeStacktraceInErrorResponses: false,
          allowBatchedHttpRequests: false,
          // Authenticated answers are never cacheable (the middleware sends Cache-Control: no-store),
          // so Apollo's per-field cache-hint bookkeeping is pure overhead.
          plugins: [...armor.plugins, ApolloServerPluginCacheControlDisabled()],
          validationRules: [...armor.validationRules],
          formatError: maskError(runtime),
          transformSchema: applyAuthorization,
          // HTTP requests were authenticated by the middleware in front of every route.
          context: async (arg: { req?: AuthenticatedRequest } | WsContext): Promise<RequestContext> => {
            if ('req' in arg && arg.req?.principal) {
              return createRequestContext(arg.req.principal, arg.req.correlationId ?? randomUUID(), sql);
            }
            const ws = arg as WsContext;
            if (ws.extra?.principal) return createRequestContext(ws.extra.principal, ws.extra.correlationId ?? randomUUID(), sql);
            throw new AuthenticationError('missing', 'authentication required');
          },
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              // The socket is authenticated once, from connection_init's payload
              // ({ "authorization": "Bearer …" } or { "x-api-key": "rmp_…" }); no principal, no socket.
              onConnect: async (raw) => {
                const ctx = raw as unknown as WsContext;
                const params = Object.fromEntries(
                  Object.entries(ctx.connectionParams ?? {}).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v : undefined]),
                );
                try {
                  ctx.extra.principal = await runtime.authenticator.authenticate(credentialsFrom(params));
                  ctx.extra.correlationId = randomUUID();
                  return true;
                } catch (error) {
                  runtime.log.info({ reason: (error as AuthenticationError).reason }, 'websocket refused: not authenticated');
                  return false;
                }
              },
            },
          },
        }),
      ],
      controllers: [HealthController, MetricsController, AlertsWebhookController, AuditDownloadController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        ...RESOLVERS,
        GetPlatformHandler,
        DecideCommandHandler,
      ],
    };
  }
}
