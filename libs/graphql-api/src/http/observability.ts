// What the API records of each request: its duration by route (Prometheus) and, when tracing is
// on, a server span for GraphQL requests (named after their operation) and alert webhooks, under
// which the request's commands and appends are traced. The span is the active context for the rest
// of the request (the request and response emitters included, whose callbacks would otherwise run
// in the context the socket was opened in), continuing the caller's `traceparent` when it sends one.
import type { ApolloServerPlugin } from '@apollo/server';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import type { NextFunction, Request, Response } from 'express';
import { contextOfHeaders, instruments, secondsSince, tracingOn } from '@rampart/runtime';

/** A route label from a small, fixed set: paths carry tenant ids and export ids. */
const routeOf = (path: string): string =>
  path === '/graphql'
    ? 'graphql'
    : path === '/health'
      ? 'health'
      : path === '/metrics'
        ? 'metrics'
        : path.startsWith('/webhooks/')
          ? 'webhooks'
          : path.startsWith('/audit/')
            ? 'audit'
            : path.startsWith('/auth/')
              ? 'auth'
              : 'other';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export const observeRequests = () => (req: Request, res: Response, next: NextFunction): void => {
  const started = performance.now();
  const route = routeOf(req.path);
  const method = METHODS.has(req.method) ? req.method : 'other';
  res.once('finish', () => instruments.httpRequest(route, method, res.statusCode, secondsSince(started)));
  // The routes that write: GraphQL, and alerts pushed to their webhook (whose path names a tenant: the route, not the path, is recorded).
  const traced = route === 'graphql' ? '/graphql' : route === 'webhooks' && req.path.startsWith('/webhooks/alerts/') ? '/webhooks/alerts/:tenantId' : undefined;
  if (!traced || !tracingOn()) return next();
  const parent = contextOfHeaders(req.headers);
  const span = trace.getTracer('rampart').startSpan(
    `${method} ${traced}`,
    { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_HTTP_ROUTE]: traced, ...(traced === '/graphql' ? { [ATTR_URL_PATH]: traced } : {}) } },
    parent,
  );
  const active = trace.setSpan(parent, span);
  context.bind(active, req);
  context.bind(active, res);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(active, next);
};

/**
 * Names the request's span after its operation (`mutation ingestAlerts`, as OpenTelemetry's GraphQL
 * conventions do) and counts operations by type and outcome. Never the document or its variables.
 */
export const observabilityPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    let type = 'unknown';
    return {
      async didResolveOperation({ operation, operationName }) {
        type = operation?.operation ?? 'unknown';
        const span = trace.getActiveSpan();
        if (!span) return;
        span.updateName(operationName ? `${type} ${operationName}` : type);
        span.setAttributes({ 'graphql.operation.type': type, ...(operationName ? { 'graphql.operation.name': operationName } : {}) });
      },
      async willSendResponse({ errors, response }) {
        const failed = Boolean(errors?.length) || (response.body.kind === 'single' && Boolean(response.body.singleResult.errors?.length));
        instruments.graphqlOperation(type, !failed);
        if (failed) trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: 'graphql errors' });
      },
    };
  },
};
