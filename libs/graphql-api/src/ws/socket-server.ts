// GraphQL over WebSocket (graphql-ws protocol) with the same protections as HTTP, because a socket
// is not a session that outlives its credential:
// - connection_init authenticates through the AccessGate (failed attempts throttled like HTTP's);
// - every operation re-checks the credential (a revoked API key or an expired token closes the
//   socket with 4401), counts against the principal's per-minute budget, and is held to the same
//   document limits (tokens, depth, cost, aliases) and error masking as HTTP;
// - live subscriptions end within REVALIDATE_EVERY_MS of a revocation (a sweep re-checks every
//   socket's credential) and exactly at a token's expiry (a timer);
// - messages are capped at the HTTP body limit, subscriptions per socket and per principal are capped.
// Close codes are documented in docs/security.md.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { CloseCode, handleProtocols, makeServer, type Context, type ServerOptions } from 'graphql-ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AccessGate, principalKey } from '../auth/access-gate';
import { credentialsFrom, type AuthenticatedSession } from '../auth/authenticator';
import { createRequestContext } from '../context';
import { countTokens } from '../http/token-limit';
import { maskError } from '../graphql/mask-error';
import { invalidTextError, unstorableArgument } from '../graphql/text-guard';
import type { ApiRuntime } from '../runtime';

/** Close codes this server uses besides graphql-ws's own (4400, 4406, 4408, 4409, 4500). */
export const WS_CLOSE = {
  /** The credential stopped holding during the session: revoked or expired. */
  credentialEnded: CloseCode.Unauthorized, // 4401
  /** connection_init without a valid credential. */
  unauthenticated: CloseCode.Forbidden, // 4403
  /** Too many failed connection_init attempts from this address or with this credential. */
  throttled: 4429,
  /** The server is shutting down. */
  goingAway: 1001,
} as const;

export const WS_LIMITS = {
  revalidateEveryMs: 5_000,
  subscriptionsPerSocket: 20,
  subscriptionsPerPrincipal: 100,
} as const;

interface Session {
  readonly socket: WebSocket;
  auth: AuthenticatedSession;
  readonly correlationId: string;
  readonly subscriptions: Set<string>;
  expiryTimer?: NodeJS.Timeout;
}

interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  session?: Session;
}

type WsContext = Context<Record<string, unknown> | undefined, Extra>;

/** Idle sockets are pinged this often, and dropped when the pong does not come back in as long. */
const KEEP_ALIVE_MS = 12_000;

const MAX_TIMER_MS = 2 ** 31 - 1;

const clientError = (message: string, code: string, extra: Record<string, unknown> = {}) => new GraphQLError(message, { extensions: { code, ...extra } });

const endedBecause = (reason: string | undefined) =>
  reason === 'revoked' ? 'API key revoked' : reason === 'expired' ? 'credential expired' : `credential refused (${reason ?? 'unknown'})`;

const closeReason = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString()}…`);

export interface SocketServerOptions {
  readonly schema: GraphQLSchema;
  readonly runtime: ApiRuntime;
  readonly gate: AccessGate;
  /** Depth, cost, alias and directive limits, the same rules as HTTP's. */
  readonly validationRules: readonly ValidationRule[];
  readonly maxPayloadBytes: number;
  readonly path?: string;
  readonly limits?: Partial<typeof WS_LIMITS>;
}

export interface SocketServer {
  /** Open sockets, for tests and metrics. */
  readonly openSockets: () => number;
  close(): Promise<void>;
}

export const attachSocketServer = (httpServer: HttpServer, options: SocketServerOptions): SocketServer => {
  const { runtime, gate, schema } = options;
  const limits = { ...WS_LIMITS, ...options.limits };
  const path = options.path ?? '/graphql';
  const rules = [...specifiedRules, ...options.validationRules];
  const mask = maskError(runtime);
  const sessions = new Set<Session>();
  const subscriptionsByPrincipal = new Map<string, number>();

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, handleProtocols: (protocols) => handleProtocols(protocols) });
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (pathname !== path) return; // not ours: other upgrade handlers (none today) or a 404 by timeout
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  httpServer.on('upgrade', onUpgrade);

  const end = (session: Session, code: number, reason: string) => {
    runtime.log.info({ correlationId: session.correlationId, principal: principalKey(session.auth.principal), code, reason }, 'websocket closed by the server');
    session.socket.close(code, closeReason(reason));
  };

  const armExpiry = (session: Session) => {
    clearTimeout(session.expiryTimer);
    const ms = session.auth.expiresAt.getTime() - Date.now();
    if (ms <= 0) return end(session, WS_CLOSE.credentialEnded, 'credential expired');
    session.expiryTimer = setTimeout(() => end(session, WS_CLOSE.credentialEnded, 'credential expired'), Math.min(ms, MAX_TIMER_MS));
    session.expiryTimer.unref();
  };

  /** The same check HTTP makes, for a session's credential; false when the socket was closed. */
  const recheck = async (session: Session): Promise<boolean | GraphQLError> => {
    const admission = await gate.revalidate(session.auth.credentials, session.correlationId);
    if (admission.ok) {
      session.auth = admission.session;
      armExpiry(session);
      return true;
    }
    if (admission.status === 503) return clientError(admission.message, admission.code);
    end(session, WS_CLOSE.credentialEnded, endedBecause(admission.reason));
    return false;
  };

  // Revocation reaches live subscriptions within one sweep: each distinct credential is checked once.
  const sweep = setInterval(() => {
    const byCredential = new Map<string, Session[]>();
    for (const session of sessions) {
      const key = `${session.auth.credentials.kind}\0${session.auth.credentials.token}`;
      byCredential.set(key, [...(byCredential.get(key) ?? []), session]);
    }
    for (const group of byCredential.values()) {
      void (async () => {
        const [first, ...rest] = group;
        const admission = await gate.revalidate(first.auth.credentials, first.correlationId);
        if (admission.ok || admission.status === 503) return; // unavailable: try again next sweep
        for (const session of [first, ...rest]) {
          end(session, WS_CLOSE.credentialEnded, endedBecause(admission.reason));
        }
      })().catch((error) => runtime.log.error({ err: error }, 'websocket credential sweep failed'));
    }
  }, limits.revalidateEveryMs);
  sweep.unref();

  const operationOf = (document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined => {
    const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
  };

  const release = (session: Session, id: string) => {
    if (!session.subscriptions.delete(id)) return;
    const key = principalKey(session.auth.principal);
    const left = (subscriptionsByPrincipal.get(key) ?? 1) - 1;
    if (left <= 0) subscriptionsByPrincipal.delete(key);
    else subscriptionsByPrincipal.set(key, left);
  };

  const formatErrors = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => {
      const formatted = error.toJSON();
      const masked = mask(formatted, error.originalError ?? error);
      return runtime.production && masked.message.includes('Did you mean') ? { ...masked, message: masked.message.replace(/ ?Did you mean .*$/, '') } : masked;
    });

  const serverOptions: ServerOptions<Record<string, unknown> | undefined, Extra> = {
    schema,
    onConnect: async (ctx: WsContext) => {
      const params = Object.fromEntries(
        Object.entries(ctx.connectionParams ?? {}).map(([k, v]) => [k.toLowerCase(), typeof v === 'string' ? v : undefined]),
      );
      const correlationId = randomUUID();
      const admission = await gate.admit(() => credentialsFrom(params), ctx.extra.request.socket.remoteAddress ?? 'unknown', correlationId);
      if (!admission.ok) {
        if (admission.status === 429) ctx.extra.socket.close(WS_CLOSE.throttled, closeReason(admission.message));
        return false; // graphql-ws closes with 4403 Forbidden
      }
      // A token past its `exp` that verification still accepts (clock-skew tolerance) opens no session.
      if (admission.session.expiresAt.getTime() <= Date.now()) {
        ctx.extra.socket.close(WS_CLOSE.credentialEnded, 'credential expired');
        return false;
      }
      const session: Session = { socket: ctx.extra.socket, auth: admission.session, correlationId, subscriptions: new Set() };
      ctx.extra.session = session;
      sessions.add(session);
      armExpiry(session);
      return true;
    },
    onClose: (ctx: WsContext) => {
      const session = ctx.extra.session;
      if (!session) return;
      clearTimeout(session.expiryTimer);
      for (const id of [...session.subscriptions]) release(session, id);
      sessions.delete(session);
    },
    onSubscribe: async (ctx: WsContext, id, payload): Promise<ExecutionArgs | readonly GraphQLError[] | void> => {
      const session = ctx.extra.session;
      if (!session) return [clientError('authentication required', 'UNAUTHENTICATED')];
      const checked = await recheck(session);
      if (checked === false) return [clientError('the credential no longer holds', 'UNAUTHENTICATED')];
      if (checked instanceof GraphQLError) return [checked];
      const allowance = await gate.consume(session.auth.principal);
      if (!allowance.ok) return [clientError(allowance.message, 'RATE_LIMITED', { retryAfterSeconds: allowance.retryAfterSeconds })];

      if (typeof payload.query !== 'string') return [clientError('the subscribe message needs a query', 'BAD_REQUEST')];
      if (countTokens(payload.query, runtime.limits.maxTokens) > runtime.limits.maxTokens) {
        return [clientError(`the document has more than ${runtime.limits.maxTokens} tokens`, 'GRAPHQL_VALIDATION_FAILED')];
      }
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [clientError((error as GraphQLError).message, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document, rules);
      // As Apollo answers over HTTP: every validation failure, a query limit included, is GRAPHQL_VALIDATION_FAILED.
      if (invalid.length > 0) return invalid.map((e) => clientError(e.message, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = operationOf(document, payload.operationName);
      if (!operation) return [clientError('name the operation to run (operationName)', 'OPERATION_RESOLUTION_FAILURE')];
      const unstorable = unstorableArgument(document, payload.variables);
      if (unstorable) return [invalidTextError(unstorable)];

      if (operation.operation === 'subscription') {
        const key = principalKey(session.auth.principal);
        if (session.subscriptions.size >= limits.subscriptionsPerSocket) {
          return [clientError(`at most ${limits.subscriptionsPerSocket} subscriptions per connection`, 'TOO_MANY_SUBSCRIPTIONS')];
        }
        if ((subscriptionsByPrincipal.get(key) ?? 0) >= limits.subscriptionsPerPrincipal) {
          return [clientError(`at most ${limits.subscriptionsPerPrincipal} subscriptions per principal across connections`, 'TOO_MANY_SUBSCRIPTIONS')];
        }
        session.subscriptions.add(id);
        subscriptionsByPrincipal.set(key, (subscriptionsByPrincipal.get(key) ?? 0) + 1);
      }
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables,
        contextValue: await createRequestContext(session.auth.principal, session.correlationId, runtime.stores),
      };
    },
    onComplete: (ctx: WsContext, id) => {
      if (ctx.extra.session) release(ctx.extra.session, id);
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: formatErrors(result.errors) } : undefined),
    onError: (_ctx, _id, _payload, errors) => formatErrors(errors),
  };
  const protocol = makeServer(serverOptions);

  // graphql-ws's own `ws` adapter, with what a server of ours needs instead of console output: a
  // frame over the size limit or a broken frame is the client's fault (ws has already closed the
  // socket with 1009 / 1002), logged as such; a message our handling fails on closes with 4500.
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (error) => runtime.log.info({ err: error.message, peer: request.socket.remoteAddress }, 'websocket closed: protocol error'));
    let pongWait: NodeJS.Timeout | undefined;
    const ping = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), KEEP_ALIVE_MS);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, KEEP_ALIVE_MS);
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => {
              runtime.log.error({ err: error }, 'websocket message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(ping);
      clearTimeout(pongWait);
      void closed(code, String(reason));
    });
  });

  return {
    openSockets: () => sessions.size,
    async close() {
      clearInterval(sweep);
      httpServer.off('upgrade', onUpgrade);
      for (const session of sessions) clearTimeout(session.expiryTimer);
      for (const client of wss.clients) client.close(WS_CLOSE.goingAway, 'server shutting down');
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
};
