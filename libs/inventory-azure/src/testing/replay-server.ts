import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { changeRecordsQuery, resourcesByIdQuery } from '../resource-changes';
import { queryFor, SUBSCRIPTIONS_OF_GROUP_QUERY } from '../resource-graph-source';
import { buildArgTables } from './arg-rows';

/**
 * A local stand-in for `POST /providers/Microsoft.ResourceGraph/resources` answering from recorded rows,
 * with ARG's paging (`$top`, opaque `$skipToken` bound to query and scopes), throttling headers, scripted
 * 429s and subscriptions that always fail with an ARM `AuthorizationFailed` error. Changes made with
 * `applyChange` update `resources` and append to `resourcechanges` in Azure's documented shape, or
 * leave no record (lost) or hold it back (delayed), as Azure warns records can be.
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

/** A change in the replayed Azure: the resource as it is after it (or the id it had, for a Delete). */
export interface ReplayChange {
  changeType: 'Create' | 'Update' | 'Delete';
  /** Create and Update: the full `resources` row after the change. */
  resource?: Record<string, unknown>;
  /** Delete: the id of the resource deleted. */
  id?: string;
  /** When it happened (ISO-8601): the record's `changeAttributes.timestamp`. */
  at: string;
  changedBy?: string;
  changedByType?: string;
  clientType?: string;
  operation?: string;
  correlationId?: string;
  /** kept (default): the record is queryable at once; lost: no record ever appears; delayed: held until `releaseDelayedChanges`. */
  record?: 'kept' | 'lost' | 'delayed';
}

export interface ReplayServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: RecordedRequest[];
  tables: Record<string, Record<string, unknown>[]>;
  /** What ARG would return for the query: rows of `table` in `subscriptions`, ordered by id. */
  expectedRows(table: string, subscriptions: string[]): Record<string, unknown>[];
  /** Makes a change: `resources` holds the result, and `resourcechanges` its record (unless lost or delayed). Returns the record. */
  applyChange(change: ReplayChange): Record<string, unknown>;
  /** Delayed records become queryable (with their original timestamps); returns how many. */
  releaseDelayedChanges(): number;
  close(): Promise<void>;
}

export const REPLAY_TENANT_ID = '72f988bf-0000-4000-8000-000000000001';
/** ARG's page size when `$top` is not given. */
const ARG_DEFAULT_TOP = 100;
const ARG_MAX_TOP = 1000;

export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const tenantId = options.tenantId ?? REPLAY_TENANT_ID;
  const tables = options.tables ?? buildArgTables(options.subscriptions ?? [], tenantId);
  tables['resourcechanges'] ??= [];
  const delayed: Record<string, unknown>[] = [];
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
      const changesSince = record.query.startsWith('resourcechanges | extend') ? record.query.match(/> datetime\(([^)]+)\)/)?.[1] : undefined;
      const byId = record.query.startsWith('resources | where id in~ (') ? parseIdList(record.query) : undefined;
      if (changesSince !== undefined && !Number.isNaN(Date.parse(changesSince)) && record.query === changeRecordsQuery(new Date(changesSince))) {
        all = changeRowsAfter(tables['resourcechanges'], record.subscriptions, Date.parse(changesSince));
      } else if (byId && byId.length > 0 && record.query === resourcesByIdQuery(byId)) {
        const wanted = new Set(byId.map((id) => id.toLowerCase()));
        all = expectedRows('resources', record.subscriptions).filter((row) => wanted.has(String(row['id']).toLowerCase()));
      } else {
        const match = record.query.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\|/);
        const table = match?.[1].toLowerCase();
        // only the queries a scan sends (queryFor): the table's filter, if it has one, is applied by the rows
        if (!table || !(table in tables) || record.query !== queryFor(table)) {
          return armError(400, 'BadRequest', `Please provide below info when asking for support: query '${record.query}' is not supported by the replay server.`);
        }
        all = expectedRows(table, record.subscriptions);
      }
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
  let changesMade = 0;
  const applyChange = (change: ReplayChange): Record<string, unknown> => {
    const resources = tables['resources'] ?? (tables['resources'] = []);
    const id = String(change.resource?.['id'] ?? change.id ?? '');
    if (!id) throw new Error('a replayed change needs the resource (Create, Update) or its id (Delete)');
    const at = resources.findIndex((row) => String(row['id']).toLowerCase() === id.toLowerCase());
    const before = at >= 0 ? resources[at] : undefined;
    if (change.changeType === 'Delete') {
      if (at >= 0) resources.splice(at, 1);
    } else if (!change.resource) {
      throw new Error(`a replayed ${change.changeType} needs the resource row after it`);
    } else if (at >= 0) {
      resources[at] = change.resource;
    } else {
      resources.push(change.resource);
    }
    changesMade += 1;
    const snapshot = (n: number) => `${String(Date.parse(change.at)).padStart(20, '0')}_${createHash('sha256').update(`${id}|${n}`).digest('hex').slice(0, 8)}`;
    const changeId = `${String(changesMade).padStart(8, '0')}_${createHash('sha256').update(`${id}|${change.at}|${changesMade}`).digest('hex').slice(0, 12)}`;
    const subscriptionId = id.split('/')[2] ?? '';
    const row: Record<string, unknown> = {
      id: `${id}/providers/Microsoft.Resources/changes/${changeId}`,
      name: changeId,
      type: 'microsoft.resources/changes',
      tenantId,
      kind: '',
      location: '',
      resourceGroup: String(before?.['resourceGroup'] ?? change.resource?.['resourceGroup'] ?? ''),
      subscriptionId,
      managedBy: '',
      sku: null,
      plan: null,
      tags: null,
      identity: null,
      zones: null,
      extendedLocation: null,
      properties: {
        targetResourceId: id,
        targetResourceType: String(change.resource?.['type'] ?? before?.['type'] ?? '').toLowerCase(),
        changeType: change.changeType,
        changeAttributes: {
          // a Create has no snapshot before it; a Delete none after it
          ...(change.changeType !== 'Create' ? { previousResourceSnapshotId: snapshot(changesMade - 1) } : {}),
          ...(change.changeType !== 'Delete' ? { newResourceSnapshotId: snapshot(changesMade) } : {}),
          correlationId: change.correlationId ?? createHash('sha256').update(changeId).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
          changedByType: change.changedByType ?? 'User',
          changesCount: 0,
          clientType: change.clientType ?? 'Unknown',
          changedBy: change.changedBy ?? 'Unknown',
          operation: change.operation ?? `${String(change.resource?.['type'] ?? before?.['type'] ?? '').toLowerCase()}/${change.changeType === 'Delete' ? 'delete' : 'write'}`,
          timestamp: new Date(change.at).toISOString().replace('Z', '+00:00'),
        },
        changes: change.changeType === 'Update' && before ? propertyChanges(before, change.resource ?? {}) : {},
      },
    };
    const attributes = (row['properties'] as { changeAttributes: Record<string, unknown>; changes: Record<string, unknown> });
    attributes.changeAttributes['changesCount'] = Object.keys(attributes.changes).length;
    if (change.record === 'delayed') delayed.push(row);
    else if (change.record !== 'lost') tables['resourcechanges'].push(row);
    return row;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    tables,
    expectedRows,
    applyChange,
    releaseDelayedChanges: () => {
      const released = delayed.splice(0, delayed.length);
      tables['resourcechanges'].push(...released);
      return released.length;
    },
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

/** Change records in scope after `since`, oldest first, then by id (what changeRecordsQuery orders by). */
function changeRowsAfter(rows: Record<string, unknown>[], subscriptions: string[], since: number): Record<string, unknown>[] {
  const scope = new Set(subscriptions.map((s) => s.toLowerCase()));
  const timeOf = (row: Record<string, unknown>) =>
    Date.parse(String((row['properties'] as { changeAttributes?: { timestamp?: string } } | undefined)?.changeAttributes?.timestamp));
  return rows
    .filter((row) => scope.has(String(row['subscriptionId']).toLowerCase()) && timeOf(row) > since)
    .sort((a, b) => timeOf(a) - timeOf(b) || compareIds(String(a['id']), String(b['id'])));
}

/** The columns of a `resources` row Azure's change records describe property by property. */
const DESCRIBED_COLUMNS = ['location', 'kind', 'managedBy', 'sku', 'plan', 'identity', 'zones', 'tags', 'properties'];

/**
 * Leaf paths (`properties.a.b`, `tags.env`, `properties.list[0].x`) whose values differ, with both
 * values as text the way Azure shows them: strings as they are, other values as JSON, `"null"` when absent.
 */
function propertyChanges(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const leaves = (value: unknown, path: string, out: Map<string, unknown>) => {
    if (Array.isArray(value) && value.length > 0) value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, out);
    } else out.set(path, value);
    return out;
  };
  const flat = (row: Record<string, unknown>) => {
    const out = new Map<string, unknown>();
    for (const column of DESCRIBED_COLUMNS) {
      const value = row[column];
      if (value === undefined || value === null || value === '') continue;
      if (typeof value === 'object' && Object.keys(value).length === 0) continue;
      leaves(value, column, out);
    }
    return out;
  };
  const shown = (value: unknown) => (value === undefined ? 'null' : typeof value === 'string' ? value : JSON.stringify(value));
  const was = flat(before);
  const is = flat(after);
  const changes: Record<string, unknown> = {};
  for (const path of [...new Set([...was.keys(), ...is.keys()])].sort()) {
    const previous = was.get(path);
    const next = is.get(path);
    if (JSON.stringify(previous) === JSON.stringify(next)) continue;
    changes[path] = {
      previousValue: shown(previous),
      newValue: shown(next),
      changeCategory: /provisioningState$/i.test(path) ? 'System' : 'User',
      propertyChangeType: !was.has(path) ? 'Insert' : !is.has(path) ? 'Remove' : 'Update',
    };
  }
  return changes;
}

/** The ids of `resources | where id in~ ('a', 'b') | ...`: KQL single-quoted literals with backslash escapes. */
function parseIdList(query: string): string[] | undefined {
  const open = query.indexOf('(');
  const ids: string[] = [];
  let i = open + 1;
  for (;;) {
    while (query[i] === ' ' || query[i] === ',') i++;
    if (query[i] === ')') return ids;
    if (query[i] !== "'") return undefined;
    let value = '';
    for (i++; i < query.length && query[i] !== "'"; i++) value += query[i] === '\\' ? query[++i] : query[i];
    if (i >= query.length) return undefined;
    ids.push(value);
    i++;
  }
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
