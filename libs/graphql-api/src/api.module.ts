// The API's composition: HTTP endpoints, GraphQL (Apollo, code first) and the query handlers,
// all given the process runtime through one provider.
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { PlatformResolver } from './graphql/platform.resolver';
import { GetPlatformHandler, ListTenantsHandler } from './graphql/queries';
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
]);

export const maskError = (runtime: ApiRuntime) => (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  const code = String(formatted.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
  if (CLIENT_ERROR_CODES.has(code)) return { message: formatted.message, locations: formatted.locations, extensions: { code } };
  const correlationId = randomUUID();
  runtime.log.error({ err: error, correlationId, path: formatted.path }, 'GraphQL resolver failed');
  return {
    message: `Internal error; quote correlation id ${correlationId} when reporting it`,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
};

@Module({})
export class ApiModule {
  static forRoot(runtime: ApiRuntime): DynamicModule {
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
          formatError: maskError(runtime),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: RUNTIME, useValue: runtime }, PlatformResolver, GetPlatformHandler, ListTenantsHandler],
    };
  }
}
