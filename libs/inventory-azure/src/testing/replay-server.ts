import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { queryFor, SUBSCRIPTIONS_OF_GROUP_QUERY } from '../resource-graph-source';
import { buildArgTables } from './arg-rows';

/**
 * A local stand-in for `POST /providers/Microsoft.ResourceGraph/resources` answering from recorded rows,
 * with ARG's paging (`$top`, opaque `$skipToken` bound to query and scopes), throttling headers, scripted
 * 429s and subscriptions that always fail with an ARM `AuthorizationFailed` error.
 */
export interface ReplayServerOptions {
  /** Subscriptions to build the default corpus tables for. */
  subscriptions?: string[];
  tenantId?: string;
  /** Rows per table; default: the corpus ARM examples as ARG rows for `subscriptions` (see buildArgTables). */
  tables?: Record<string, Record<string, unknown>[]>;
  /** Any request naming one of these subscriptions gets 403 AuthorizationFailed. */
  failingSubscriptions?: string[];
  /** 1-based request numbers answered with 429 (Retry-After `retryAfterSeconds`). */
  throttledRequests?: number[];
  retryAfterSeconds?: number;
  /** 1-based request numbers answered with 503 ServiceUnavailable (no Retry-After). */
  unavailableRequests?: number[];
  /** 1-based request numbers whose 200 answer carries `x-ms-user-quota-remaining: 0`. */
  quotaExhaustedRequests?: number[];
  /** `x-ms-user-quota-resets-after` (hh:mm:ss) on every answer; default 00:00:05. */
  quotaResetsAfter?: string;
  /** Management group name -> the subscriptions under it (any depth), for management-group-scoped queries. */
  managementGroups?: Record<string, string[]>;
  /** Any request scoped to one of these management groups gets 403 AuthorizationFailed. */
  failingManagementGroups?: string[];
}

export interface RecordedRequest {
  /** 1-based, in arrival order. */
  n: number;
  method: string;
  path: string;
  apiVersion: string | null;
  authorization: string | undefined;
  subscriptions: string[];
  managementGroups: string[];
  query: string;
  top: number | undefined;
  skipToken: string | undefined;
  resultFormat: string | undefined;
  /** Status the server answered with. */
  status: number;
  /** Rows returned (0 for errors). */
  rows: number;
  /** `$skipToken` the server handed out with this answer, if any. */
  nextSkipToken: string | undefined;
}

export interface ReplayServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  tables: Record<string, Record<string, unknown>[]>;
  /** What ARG would return for the query: rows of `table` in `subscriptions`, ordered by id. */
  expectedRows(table: string, subscriptions: string[]): Record<string, unknown>[];
  close(): Promise<void>;
}

export const REPLAY_TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
/** ARG's page size when `$top` is not given. */
const ARG_DEFAULT_TOP = 100;
const ARG_MAX_TOP = 1000;

export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const tenantId = options.tenantId ?? REPLAY_TENANT_ID;
  const tables = options.tables ?? buildArgTables(options.subscriptions ?? [], tenantId);
  const failing = new Set((options.failingSubscriptions ?? []).map((s) => s.toLowerCase()));
  const throttled = new Set(options.throttledRequests ?? []);
  const exhausted = new Set(options.quotaExhaustedRequests ?? []);
  const unavailable = new Set(options.unavailableRequests ?? []);
  const resetsAfter = options.quotaResetsAfter ?? '00:00:05';
  const requests: RecordedRequest[] = [];
  const groups = new Map(Object.entries(options.managementGroups ?? {}).map(([g, subs]) => [g.toLowerCase(), subs]));
  const failingGroups = new Set((options.failingManagementGroups ?? []).map((g) => g.toLowerCase()));

  const expectedRows = (table: string, subscriptions: string[]) => {
    const scope = new Set(subscriptions.map((s) => s.toLowerCase()));
    return (tables[table.toLowerCase()] ?? [])
      .filter((row) => scope.has(String(row['subscriptionId']).toLowerCase()))
      .sort((a, b) => compareIds(String(a['id']), String(b['id'])));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://replay');
    const text = await readBody(req);
    let body: { subscriptions?: string[]; managementGroups?: string[]; query?: string; options?: Record<string, unknown> } = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    const opts = body.options ?? {};
    const record: RecordedRequest = {
      n: requests.length + 1,
      method: req.method ?? '',
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      authorization: req.headers.authorization,
      subscriptions: body.subscriptions ?? [],
      managementGroups: body.managementGroups ?? [],
      query: body.query ?? '',
      top: typeof opts['$top'] === 'number' ? opts['$top'] : undefined,
      skipToken: typeof opts['$skipToken'] === 'string' ? opts['$skipToken'] : undefined,
      resultFormat: typeof opts['resultFormat'] === 'string' ? opts['resultFormat'] : undefined,
      status: 0,
      rows: 0,
      nextSkipToken: undefined,
    };
    requests.push(record);
    const quota = (remaining: number) => ({
      'x-ms-user-quota-remaining': String(remaining),
      'x-ms-user-quota-resets-after': resetsAfter,
    });
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    const armError = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      reply(status, { error: { code, message } }, headers);

    if (req.method !== 'POST' || url.pathname.toLowerCase() !== '/providers/microsoft.resourcegraph/resources') {
      return armError(404, 'NotFound', `No route for ${req.method} ${url.pathname}`);
    }
    if (!record.authorization?.startsWith('Bearer ')) {
      return armError(401, 'AuthenticationFailed', 'Authentication failed. The Authorization header is missing.');
    }
    if (throttled.has(record.n)) {
      return armError(
        429,
        'RateLimiting',
        'Please provide below info when asking for support: timestamp, correlationId. Too many requests.',
        { 'retry-after': String(options.retryAfterSeconds ?? 3), ...quota(0) },
      );
    }
    if (unavailable.has(record.n)) {
      return armError(503, 'ServiceUnavailable', 'The service is temporarily unavailable.');
    }
    const authorizationFailed = (scope: string) =>
      armError(
        403,
        'AuthorizationFailed',
        `The client 'replay-client' with object id '00000000-0000-0000-0000-00000000c11e' does not have authorization ` +
          `to perform action 'Microsoft.ResourceGraph/resources/read' over scope '${scope}' or the scope is invalid.`,
        quota(10),
      );
    const denied = record.subscriptions.find((s) => failing.has(s.toLowerCase()));
    if (denied) return authorizationFailed(`/subscriptions/${denied}`);
    const deniedGroup = record.managementGroups.find((g) => failingGroups.has(g.toLowerCase()));
    if (deniedGroup) return authorizationFailed(`/providers/Microsoft.Management/managementGroups/${deniedGroup}`);
    if (record.resultFormat !== 'objectArray') {
      return armError(400, 'BadRequest', 'The replay server only answers resultFormat objectArray.');
    }
    let all: Record<string, unknown>[];
    if (record.managementGroups.length > 0) {
      if (record.query !== SUBSCRIPTIONS_OF_GROUP_QUERY) {
        return armError(400, 'BadRequest', `query '${record.query}' over management groups is not supported by the replay server.`);
      }
      const subscriptions = new Set(record.managementGroups.flatMap((g) => groups.get(g.toLowerCase()) ?? []).map((s) => s.toLowerCase()));
      all = [...subscriptions].sort().map((subscriptionId) => ({ subscriptionId }));
    } else {
      const match = record.query.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\|/);
      const table = match?.[1].toLowerCase();
      // only the queries a scan sends (queryFor): the table's filter, if it has one, is applied by the rows
      if (!table || !(table in tables) || record.query !== queryFor(table)) {
        return armError(400, 'BadRequest', `Please provide below info when asking for support: query '${record.query}' is not supported by the replay server.`);
      }
      all = expectedRows(table, record.subscriptions);
    }
    const key = scopeKey(record.query, [...record.subscriptions, ...record.managementGroups]);
    let offset = 0;
    let top = Math.min(record.top ?? ARG_DEFAULT_TOP, ARG_MAX_TOP);
    if (record.skipToken !== undefined) {
      const token = decodeSkipToken(record.skipToken);
      if (!token || token.key !== key) {
        return armError(400, 'BadRequest', 'The $skipToken does not belong to this query and scope.');
      }
      offset = token.offset;
      top = token.top;
    }
    const data = all.slice(offset, offset + top);
    const next = offset + data.length;
    record.rows = data.length;
    record.nextSkipToken = next < all.length ? encodeSkipToken({ key, offset: next, top }) : undefined;
    return reply(
      200,
      {
        totalRecords: all.length,
        count: data.length,
        data,
        facets: [],
        resultTruncated: 'false',
        ...(record.nextSkipToken ? { $skipToken: record.nextSkipToken } : {}),
      },
      quota(exhausted.has(record.n) ? 0 : 14),
    );
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tables,
    expectedRows,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * An HttpClient for the Azure SDK that sends every request to `localUrl` instead of its https host.
 * The client is configured with an https endpoint (the bearer-token policy refuses http), and only here,
 * below the policies, is the URL rewritten and the insecure connection allowed.
 */
export function rewritingHttpClient(localUrl: string): HttpClient {
  const inner = createDefaultHttpClient();
  const target = new URL(localUrl);
  return {
    sendRequest(request) {
      const url = new URL(request.url);
      url.protocol = target.protocol;
      url.host = target.host;
      request.url = url.toString();
      request.allowInsecureConnection = true;
      request.proxySettings = undefined;
      return inner.sendRequest(request);
    },
  };
}

export const FAKE_ACCESS_TOKEN = 'replay-fake-access-token';

/** A TokenCredential that always returns the same token and records the scopes asked for. */
export function staticTokenCredential(token: string = FAKE_ACCESS_TOKEN): TokenCredential & { scopes: string[][] } {
  const scopes: string[][] = [];
  return {
    scopes,
    async getToken(requested: string | string[]): Promise<AccessToken> {
      scopes.push(Array.isArray(requested) ? requested : [requested]);
      return { token, expiresOnTimestamp: Date.now() + 3_600_000, tokenType: 'Bearer' };
    },
  };
}

function compareIds(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function scopeKey(query: string, subscriptions: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify([query, [...subscriptions].map((s) => s.toLowerCase()).sort()]))
    .digest('hex')
    .slice(0, 16);
}

interface SkipToken {
  key: string;
  offset: number;
  top: number;
}

function encodeSkipToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeSkipToken(raw: string): SkipToken | undefined {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<SkipToken>;
    return typeof token.key === 'string' && typeof token.offset === 'number' && typeof token.top === 'number'
      ? (token as SkipToken)
      : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
