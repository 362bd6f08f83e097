// The API's composition: HTTP endpoints, GraphQL (Apollo, code first) with authorization applied
// to the whole schema, query limits, subscriptions over graphql-ws, and the CQRS handlers.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { randomUUID } from 'node:crypto';
import { AuthenticationError } from './auth/authenticator';
import type { AuthenticatedRequest } from './auth/http-auth';
import { applyAuthorization } from './authorization/apply-authorization';
import { createRequestContext, type RequestContext } from './context';
import { maskError } from './graphql/mask-error';
import { textGuardPlugin } from './graphql/text-guard';
import { DecideCommandHandler } from './graphql/commands';
import { AlertsWebhookController } from './http/alerts-webhook.controller';
import { AuditDownloadController } from './http/audit-download.controller';
import { EvidenceController } from './http/evidence.controller';
import { RESOLVERS } from './schema/build-schema';
import { GetPlatformHandler } from './graphql/queries';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { RUNTIME, type ApiRuntime } from './runtime';
import { observabilityPlugin } from './http/observability';

/** Depth, cost, alias and directive limits: Apollo's plugins and rules for HTTP, the rules for WebSocket too. */
export const queryArmor = (runtime: ApiRuntime) =>
  new ApolloArmor({
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

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
    const armor = queryArmor(runtime);
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
          // No automatic persisted queries: nothing of ours sends them, and they are one more cache
          // a caller could fill; a request that tries gets PERSISTED_QUERY_NOT_SUPPORTED.
          persistedQueries: false,
          // Authenticated answers are never cacheable (the middleware sends Cache-Control: no-store),
          // so Apollo's per-field cache-hint bookkeeping is pure overhead.
          plugins: [observabilityPlugin, ...armor.plugins, textGuardPlugin, ApolloServerPluginCacheControlDisabled()],
          validationRules: [...armor.validationRules],
          formatError: maskError(runtime),
          transformSchema: applyAuthorization,
          // HTTP requests were authenticated by the middleware in front of every route; WebSocket
          // operations bring their context from ws/socket-server.ts, which authenticates each one.
          context: async (arg: { req?: AuthenticatedRequest }): Promise<RequestContext> => {
            if (arg.req?.principal) return createRequestContext(arg.req.principal, arg.req.correlationId ?? randomUUID(), runtime.stores);
            throw new AuthenticationError('missing', 'authentication required');
          },
        }),
      ],
      controllers: [HealthController, MetricsController, AlertsWebhookController, AuditDownloadController, EvidenceController],
      providers: [
        { provide: RUNTIME, useValue: runtime },
        ...RESOLVERS,
        GetPlatformHandler,
        DecideCommandHandler,
      ],
    };
  }
}
