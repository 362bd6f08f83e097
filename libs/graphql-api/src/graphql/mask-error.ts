// How GraphQL errors leave the API, over HTTP and WebSocket alike: the client's own mistakes keep
// their message and code; anything else is masked behind a correlation id that the log also holds.
import { randomUUID } from 'node:crypto';
import { InvalidIdError } from '@rampart/event-sourcing';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ApiRuntime } from '../runtime';

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
  'RATE_LIMITED',
  'TOO_MANY_SUBSCRIPTIONS',
  // a live subscription that fell too far behind, or whose reader of the log gave up: the client re-reads and resubscribes
  'SUBSCRIPTION_LAGGED',
  'LIVE_EVENTS_UNAVAILABLE',
  'AUTHENTICATION_UNAVAILABLE',
]);

/** Extensions a client error keeps besides its code: what the client can act on. */
const CLIENT_EXTENSIONS = ['retryAfterSeconds', 'reason'];

/** The error a resolver threw, under GraphQL's wrapping. */
const originalOf = (error: unknown): unknown => (error instanceof GraphQLError && error.originalError ? originalOf(error.originalError) : error);

export const maskError = (runtime: ApiRuntime) => (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
  // An id no stream can be named after is the caller's mistake, wherever the domain found it.
  if (originalOf(error) instanceof InvalidIdError) {
    return { message: (originalOf(error) as Error).message, locations: formatted.locations, path: formatted.path, extensions: { code: 'BAD_USER_INPUT', reason: 'invalid-id' } };
  }
  const code = String(formatted.extensions?.['code'] ?? 'INTERNAL_SERVER_ERROR');
  if (CLIENT_ERROR_CODES.has(code)) {
    const kept = Object.fromEntries(CLIENT_EXTENSIONS.filter((k) => formatted.extensions?.[k] !== undefined).map((k) => [k, formatted.extensions?.[k]]));
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code, ...kept } };
  }
  const correlationId = randomUUID();
  runtime.log.error({ err: error, correlationId, path: formatted.path }, 'GraphQL resolver failed');
  return {
    message: `Internal error; quote correlation id ${correlationId} when reporting it`,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId },
  };
};
