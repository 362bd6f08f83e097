// OpenTelemetry traces at Rampart's own seams: a GraphQL request, the commands it takes, the
// appends they make and, in a worker, the reactions to what was appended. Off unless
// OTEL_TRACES_EXPORTER names an exporter: then no SDK is loaded, no span is made and nothing is
// added to events. When on, an append writes its span's W3C `traceparent` into each event's
// metadata, so a reaction in another process (at another time) continues the trace.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from '@opentelemetry/semantic-conventions';
import {
  ConcurrencyRetriesExhaustedError,
  isRejection,
  TRACEPARENT,
  type CommandObserver,
  type CommandOutcome,
  type DomainEvent,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@rampart/event-sourcing';
import type { TracingConfig } from './config';
import type { Logger } from './logger';
import { instruments, type CommandOutcomeLabel } from './metrics';

const TRACER = 'rampart';
let on = false;

/** Whether this process exports spans (OTEL_TRACES_EXPORTER set to an exporter). */
export const tracingOn = (): boolean => on;

export interface Tracing {
  /** Exports what is still buffered and switches tracing off. */
  stop(): Promise<void>;
}

/**
 * Loads the SDK and registers it for the process when `config` is given; otherwise does nothing.
 * The packages are imported here only, so a process with tracing off never loads them.
 */
export const startTracing = async (config: TracingConfig | undefined, service: { name: string; version: string }, log: Logger): Promise<Tracing> => {
  if (!config || on) return { stop: async () => undefined };
  const [sdk, { resourceFromAttributes }, { AsyncLocalStorageContextManager }, { W3CTraceContextPropagator }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  const exporter =
    config.exporter === 'console'
      ? new sdk.ConsoleSpanExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: config.tracesUrl });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName ?? service.name, [ATTR_SERVICE_VERSION]: service.version }),
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: config.scheduleDelayMs })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  on = true;
  log.info({ exporter: config.exporter, endpoint: config.exporter === 'otlp' ? config.tracesUrl : undefined, service: config.serviceName ?? service.name }, 'tracing on');
  return {
    async stop() {
      on = false;
      await provider.shutdown().catch((error: unknown) => log.warn({ err: error }, 'tracing: spans could not be exported at shutdown'));
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
};

export interface SpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  /** The parent; default the active context. */
  readonly parent?: Context;
  readonly links?: Link[];
}

/** Runs `work` in a span named `name` (when tracing is on; otherwise just runs it). A throw marks the span as failed. */
export const inSpan = async <T>(name: string, options: SpanOptions, work: (span: Span | undefined) => Promise<T>): Promise<T> => {
  if (!on) return work(undefined);
  const tracer = trace.getTracer(TRACER);
  return tracer.startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, links: options.links }, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
};

/** Marks a span failed with the error's name only: messages may quote tenant data. */
export const failed = (span: Span, error: unknown): void => {
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
};

/** The active span's W3C trace context, for an event's metadata; undefined when tracing is off or no span is active. */
export const activeTraceparent = (): string | undefined => {
  if (!on) return undefined;
  const ctx = trace.getSpanContext(context.active());
  if (!ctx || !trace.isSpanContextValid(ctx)) return undefined;
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
};

/** The span context a `traceparent` names, or undefined when it is absent or malformed. */
export const spanContextOf = (traceparent: unknown): SpanContext | undefined => {
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) return undefined;
  const [, traceId, spanId, flags] = traceparent.split('-');
  return { traceId, spanId, traceFlags: parseInt(flags, 16), isRemote: true };
};

/** The context a request's `traceparent` header continues (the caller's trace), or the root. */
export const contextOfHeaders = (headers: Record<string, string | string[] | undefined>): Context =>
  on ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;

const MAX_LINKS = 32;

/**
 * A span over one batch of a process manager or projection. The events carry the trace contexts
 * of the appends that recorded them: when those all belong to one trace (the usual case: a
 * request's events, reacted to soon after) the span is a child of the first and links the others;
 * a batch mixing traces starts its own trace and links each (the OpenTelemetry messaging
 * convention for batches).
 */
export const inBatchSpan = async <T>(name: string, events: readonly RecordedEvent[], attributes: Attributes, work: () => Promise<T>): Promise<T> => {
  if (!on) return work();
  const contexts = new Map<string, SpanContext>();
  for (const e of events) {
    const parsed = spanContextOf(e.metadata.traceparent);
    if (parsed && !contexts.has(parsed.spanId)) contexts.set(parsed.spanId, parsed);
  }
  const all = [...contexts.values()];
  const oneTrace = all.length > 0 && all.every((c) => c.traceId === all[0].traceId);
  const parent = oneTrace ? trace.setSpanContext(ROOT_CONTEXT, all[0]) : ROOT_CONTEXT;
  const links = (oneTrace ? all.slice(1) : all).slice(0, MAX_LINKS).map((c) => ({ context: c }));
  const types = [...new Set(events.map((e) => e.type))];
  const tenants = [...new Set(events.map((e) => e.metadata.tenantId))];
  return inSpan(
    name,
    {
      kind: SpanKind.CONSUMER,
      parent,
      links,
      attributes: {
        ...attributes,
        'messaging.batch.message_count': events.length,
        'rampart.event_types': types.slice(0, 20),
        ...(tenants.length === 1 ? { 'rampart.tenant_id': tenants[0] } : { 'rampart.tenant_count': tenants.length }),
      },
    },
    () => work(),
  );
};

const categoryOf = (streamId: string): string => /^(?:t-[a-z0-9-]+:)?([a-z][a-z0-9]*)/.exec(streamId)?.[1] ?? 'unknown';

// PGlite is PostgreSQL compiled to WebAssembly; EventStoreDB has no value of its own in the conventions.
const DB_SYSTEM: Record<EventStore['kind'], string> = { pglite: DB_SYSTEM_NAME_VALUE_POSTGRESQL, postgres: DB_SYSTEM_NAME_VALUE_POSTGRESQL, eventstoredb: 'eventstoredb' };

/** The events with the active span's trace context in their metadata (when tracing is on). */
const traced = (events: readonly NewEvent[]): readonly NewEvent[] => {
  const traceparent = activeTraceparent();
  return traceparent ? events.map((e) => ({ ...e, metadata: { ...e.metadata, traceparent } })) : events;
};

const outcomeLabel = (outcome: CommandOutcome<DomainEvent>): CommandOutcomeLabel =>
  outcome.ok
    ? outcome.events.length > 0 ? 'appended' : 'unchanged'
    : isRejection(outcome.rejection) && outcome.rejection.code === 'stale-revision' ? 'conflict' : 'rejected';

const commandObserver: CommandObserver = {
  handle: (command, run) =>
    inSpan(
      `command ${command.name}`,
      { attributes: { 'rampart.command': command.name, 'rampart.stream_id': command.streamId, 'rampart.tenant_id': command.tenantId } },
      async (span) => {
        try {
          const outcome = await run();
          const label = outcomeLabel(outcome);
          instruments.command(command.name, label);
          span?.setAttributes({ 'rampart.command.outcome': label, 'rampart.command.attempts': outcome.attempts, ...(outcome.ok ? {} : { 'rampart.rejection': outcome.rejection.code }) });
          return outcome;
        } catch (error) {
          const label = error instanceof ConcurrencyRetriesExhaustedError ? 'conflict' : 'error';
          instruments.command(command.name, label);
          span?.setAttribute('rampart.command.outcome', label);
          throw error;
        }
      },
    ),
  handled: (command, outcome) => instruments.command(command.name, outcomeLabel(outcome)),
};

/**
 * The store as the process uses it: appends in spans (carrying their trace context into the
 * events' metadata) and every command counted (and, when tracing is on, in a span).
 */
export const instrumentEventStore = (store: EventStore): EventStore => {
  const system = DB_SYSTEM[store.kind];
  const appendAttributes = (streams: number, events: number, streamId?: string, tenantId?: string): Attributes => ({
    [ATTR_DB_SYSTEM_NAME]: system,
    [ATTR_DB_OPERATION_NAME]: 'append',
    'rampart.event_store': store.kind,
    'rampart.stream_count': streams,
    'rampart.event_count': events,
    ...(streamId ? { 'rampart.stream_id': streamId, [ATTR_DB_COLLECTION_NAME]: categoryOf(streamId) } : {}),
    ...(tenantId ? { 'rampart.tenant_id': tenantId } : {}),
  });
  return {
    get kind() {
      return store.kind;
    },
    get atomicMultiStreamAppend() {
      return store.atomicMultiStreamAppend;
    },
    commandObserver,
    appendToStream: (streamId, events, options) =>
      on
        ? inSpan(`append ${categoryOf(streamId)}`, { kind: SpanKind.CLIENT, attributes: appendAttributes(1, events.length, streamId, events[0]?.metadata?.tenantId) }, async (span) => {
            const result = await store.appendToStream(streamId, traced(events), options);
            span?.setAttribute('rampart.already_appended', result.alreadyAppended);
            return result;
          })
        : store.appendToStream(streamId, events, options),
    appendToStreams: (appends) =>
      on
        ? inSpan(
            'append streams',
            { kind: SpanKind.CLIENT, attributes: appendAttributes(appends.length, appends.reduce((n, a) => n + a.events.length, 0), appends.length === 1 ? appends[0].streamId : undefined) },
            () => store.appendToStreams(appends.map((a) => ({ ...a, events: traced(a.events) }))),
          )
        : store.appendToStreams(appends),
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    headPosition: () => store.headPosition(),
    waitForAppend: (...args) => store.waitForAppend(...args),
    appendNotifications: () => store.appendNotifications?.() ?? 0,
    close: () => store.close(),
  };
};
