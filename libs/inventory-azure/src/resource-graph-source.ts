import { ResourceGraphClient, type QueryRequest, type QueryResponse } from '@azure/arm-resourcegraph';
import type { TokenCredential } from '@azure/core-auth';
import { isRestError, type HttpClient, type HttpHeaders } from '@azure/core-rest-pipeline';

/** The ARG tables a scan reads unless told otherwise. */
export const DEFAULT_TABLES = ['resources', 'resourcecontainers', 'authorizationresources', 'securityresources'];

/**
 * What of a table a scan reads, when not all of it: of Defender for Cloud's `securityresources`, the
 * assessments of subscriptions themselves (guest owners, owner count, MFA…), which guardrails read
 * as Azure's built-in definitions do; the per-resource assessments repeat what Rampart evaluates.
 */
export const TABLE_FILTERS: Readonly<Record<string, string>> = {
  securityresources: "where type =~ 'microsoft.security/assessments' and id !contains '/resourcegroups/'",
  // Azure Policy's own verdicts (read to compare with Rampart's, never ingested as inventory)
  policyresources: "where type =~ 'microsoft.policyinsights/policystates'",
};

/** ARG returns at most 1000 rows per page (`$top` maximum). */
export const MAX_PAGE_SIZE = 1000;

/**
 * Subscriptions per query. Microsoft's throttling guidance recommends grouping subscriptions into queries
 * rather than querying each one, with groups under 300; 100 stays well inside that, keeps request bodies
 * small, and bounds the extra requests needed when a failing batch is split to find the bad subscription.
 */
export const DEFAULT_SUBSCRIPTION_BATCH_SIZE = 100;

export const DEFAULT_MAX_RETRIES = 5;

export interface ResourceGraphProgress {
  table: string;
  subscriptions: string[];
  rows: number;
  page: number;
}

export interface ResourceGraphSourceOptions {
  credential: TokenCredential;
  /** ARM endpoint; default https://management.azure.com. */
  endpoint?: string;
  /** Replaces the SDK's HTTP client (tests inject one that rewrites the URL to a local server). */
  httpClient?: HttpClient;
  /** Rows per page (`$top`), 1..1000; default 1000. */
  pageSize?: number;
  /** Subscriptions per query; default 100 (see DEFAULT_SUBSCRIPTION_BATCH_SIZE). */
  subscriptionBatchSize?: number;
  /** Retries of one request after 429, 5xx or a network error; default 5. */
  maxRetries?: number;
  /** Waits (throttling, back-off); injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (e: ResourceGraphProgress) => void;
}

export interface SubscriptionFailure {
  subscriptionId: string;
  table: string;
  error: string;
}

export interface ResourceGraphPage {
  table: string;
  rows: Record<string, unknown>[];
}

export interface ResourceGraphScan {
  /** Pages in order: per table, per subscription batch, ARG page order. Single use. */
  pages: AsyncIterable<ResourceGraphPage>;
  /** Filled while `pages` is consumed; complete once iteration has finished. */
  failures: SubscriptionFailure[];
}

/** Longest single wait honoured from a server hint (Retry-After, quota reset). */
const MAX_WAIT_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

/**
 * Streams every row of `tables` for `subscriptions` from Azure Resource Graph.
 *
 * Each table is queried as `<table> | order by id asc` (a stable order, which ARG asks for when paging)
 * with `resultFormat: 'objectArray'`, in batches of subscriptions, following `$skipToken` until the
 * last page. When a batch fails, it is retried subscription by subscription so that one bad
 * subscription is isolated and recorded in `failures` while the others' rows still arrive; rows
 * already delivered from the failed batch are not delivered twice.
 */
export function scanResourceGraph(
  subscriptions: string[],
  tables: string[],
  options: ResourceGraphSourceOptions,
): ResourceGraphScan {
  const failures: SubscriptionFailure[] = [];
  const settings = resolveSettings(options);
  for (const table of tables) queryFor(table);
  const unique = [...new Set(subscriptions.map((s) => s.trim()).filter((s) => s !== ''))];

  const send = requestSender(options, settings);

  async function* run(): AsyncGenerator<ResourceGraphPage> {
    for (const table of tables) {
      for (const batch of chunk(unique, settings.batchSize)) {
        const delivered = new Set<string>();
        try {
          yield* queryBatch(table, batch, delivered);
        } catch (error) {
          if (batch.length === 1) {
            failures.push({ subscriptionId: batch[0], table, error: describeError(error) });
            continue;
          }
          for (const subscriptionId of batch) {
            try {
              yield* queryBatch(table, [subscriptionId], delivered);
            } catch (single) {
              failures.push({ subscriptionId, table, error: describeError(single) });
            }
          }
        }
      }
    }
  }

  async function* queryBatch(
    table: string,
    batch: string[],
    delivered: Set<string>,
  ): AsyncGenerator<ResourceGraphPage> {
    const query = queryFor(table);
    let skipToken: string | undefined;
    let page = 0;
    do {
      const request: QueryRequest = {
        subscriptions: batch,
        query,
        options: { top: settings.pageSize, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      };
      const response = await send(request);
      const rows = rowsOf(response);
      page += 1;
      settings.onProgress?.({ table, subscriptions: batch, rows: rows.length, page });
      const fresh = rows.filter((row) => {
        const id = typeof row['id'] === 'string' ? row['id'] : undefined;
        if (id === undefined) return true;
        if (delivered.has(id)) return false;
        delivered.add(id);
        return true;
      });
      if (fresh.length > 0) yield { table, rows: fresh };
      if (!response.skipToken && isTruncated(response)) {
        throw new Error(
          `ResultTruncated: ARG reported truncated results without a $skipToken (${response.count} of ${response.totalRecords} rows)`,
        );
      }
      skipToken = response.skipToken || undefined;
    } while (skipToken);
  }

  return { pages: run(), failures };
}


/**
 * One Resource Graph request with our retry and throttling rules around the real SDK client.
 */
function requestSender(options: ResourceGraphSourceOptions, settings: ReturnType<typeof resolveSettings>): (request: QueryRequest) => Promise<QueryResponse> {
  // The SDK's own retry policy is switched off (maxRetries: 0): it would retry 429 and 5xx itself
  // (3 times by default, honouring Retry-After) underneath our loop, multiplying attempts and waits
  // and hiding the throttling headers from us. All retrying and waiting happens here, once.
  const client = new ResourceGraphClient(options.credential, {
    endpoint: options.endpoint ?? 'https://management.azure.com',
    retryOptions: { maxRetries: 0 },
    ...(options.httpClient ? { httpClient: options.httpClient } : {}),
  });
  const throttle = new Throttle(settings.sleep);

  return async function send(request: QueryRequest): Promise<QueryResponse> {
    for (let attempt = 0; ; attempt++) {
      await throttle.beforeRequest();
      let headers: HttpHeaders | undefined;
      try {
        const response = await client.resources(request, {
          onResponse: (raw) => {
            headers = raw.headers;
          },
        });
        throttle.afterResponse(headers);
        return response;
      } catch (error) {
        const status = isRestError(error) ? error.statusCode : undefined;
        const retriable = isRestError(error) && (status === undefined || status === 429 || status >= 500);
        const errorHeaders = isRestError(error) ? error.response?.headers : undefined;
        if (!retriable || attempt >= settings.maxRetries) throw error;
        const hinted =
          status === 429
            ? (parseRetryAfter(errorHeaders?.get('retry-after')) ??
              parseQuotaReset(errorHeaders?.get('x-ms-user-quota-resets-after')))
            : parseRetryAfter(errorHeaders?.get('retry-after'));
        await settings.sleep(hinted ?? backoff(attempt));
      }
    }
  };
}

/** Rows of one query over some subscriptions, page by page (`$skipToken` followed to the end). */
export type ResourceGraphQuery = (query: string, subscriptions: string[]) => AsyncGenerator<Record<string, unknown>[]>;

/**
 * One client for many queries with the scan's retry and throttling rules (a quota exhausted by one
 * query is waited out before the next). Used for the change records and for resources by id.
 */
export function resourceGraphQuery(options: ResourceGraphSourceOptions): ResourceGraphQuery {
  const settings = resolveSettings(options);
  const send = requestSender(options, settings);
  return async function* rows(query, subscriptions) {
    let skipToken: string | undefined;
    do {
      const response = await send({
        subscriptions,
        query,
        options: { top: settings.pageSize, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
      });
      yield rowsOf(response);
      if (!response.skipToken && isTruncated(response)) {
        throw new Error(`ResultTruncated: ARG reported truncated results without a $skipToken (${response.count} of ${response.totalRecords} rows)`);
      }
      skipToken = response.skipToken || undefined;
    } while (skipToken);
  };
}

/** Subscriptions under a management group: Resource Graph's `resourcecontainers` scoped to the group. */
export const SUBSCRIPTIONS_OF_GROUP_QUERY =
  "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project subscriptionId | order by subscriptionId asc";

/** What expanding management groups into subscriptions found. */
export interface ManagementGroupExpansion {
  /** Subscriptions under the groups (any depth), each once, sorted. */
  subscriptions: string[];
  failures: { managementGroup: string; error: string }[];
}

/**
 * The subscriptions under each management group, asked of Resource Graph's `resourcecontainers`
 * table with the group as the query scope. A group that cannot be read is reported on its own;
 * its subscriptions are then unknown, so a caller must not treat them as gone.
 */
export async function subscriptionsOfManagementGroups(
  managementGroups: string[],
  options: ResourceGraphSourceOptions,
): Promise<ManagementGroupExpansion> {
  const settings = resolveSettings(options);
  const send = requestSender(options, settings);
  const found = new Set<string>();
  const failures: ManagementGroupExpansion['failures'] = [];
  for (const managementGroup of [...new Set(managementGroups)]) {
    try {
      let skipToken: string | undefined;
      do {
        const response = await send({
          managementGroups: [managementGroup],
          query: SUBSCRIPTIONS_OF_GROUP_QUERY,
          options: { top: settings.pageSize, resultFormat: 'objectArray', ...(skipToken ? { skipToken } : {}) },
        });
        for (const row of rowsOf(response)) if (typeof row['subscriptionId'] === 'string') found.add(row['subscriptionId'].toLowerCase());
        skipToken = response.skipToken || undefined;
      } while (skipToken);
    } catch (error) {
      failures.push({ managementGroup, error: describeError(error) });
    }
  }
  return { subscriptions: [...found].sort(), failures };
}

/** Waits out an exhausted user quota before the next request (`x-ms-user-quota-remaining: 0`). */
class Throttle {
  private pendingWaitMs = 0;

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  async beforeRequest(): Promise<void> {
    if (this.pendingWaitMs > 0) {
      const wait = this.pendingWaitMs;
      this.pendingWaitMs = 0;
      await this.sleep(wait);
    }
  }

  afterResponse(headers: HttpHeaders | undefined): void {
    const remaining = headers?.get('x-ms-user-quota-remaining');
    if (remaining === undefined || Number(remaining) > 0) return;
    this.pendingWaitMs = parseQuotaReset(headers?.get('x-ms-user-quota-resets-after')) ?? BACKOFF_BASE_MS;
  }
}

function resolveSettings(options: ResourceGraphSourceOptions) {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const batchSize = options.subscriptionBatchSize ?? DEFAULT_SUBSCRIPTION_BATCH_SIZE;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('subscriptionBatchSize must be a positive integer');
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError('maxRetries must be a non-negative integer');
  return {
    pageSize,
    batchSize,
    maxRetries,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    onProgress: options.onProgress,
  };
}

/** The KQL for one table; table names are identifiers, never interpolated free text. */
export function queryFor(table: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(table)) throw new RangeError(`invalid Resource Graph table name '${table}'`);
  const filter = TABLE_FILTERS[table.toLowerCase()];
  return filter ? `${table} | ${filter} | order by id asc` : `${table} | order by id asc`;
}

function rowsOf(response: QueryResponse): Record<string, unknown>[] {
  if (!Array.isArray(response.data)) {
    throw new Error('Resource Graph answered without an object array (resultFormat objectArray expected)');
  }
  return response.data as Record<string, unknown>[];
}

function isTruncated(response: QueryResponse): boolean {
  return String(response.resultTruncated).toLowerCase() === 'true';
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function backoff(attempt: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
}

/** `Retry-After`: delay in seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return clampWait(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : clampWait(date - now);
}

/** `x-ms-user-quota-resets-after`: `hh:mm:ss` (fractions of a second allowed). */
export function parseQuotaReset(value: string | undefined): number | undefined {
  const match = value?.trim().match(/^(\d+):(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/);
  if (!match) return undefined;
  const [, h, m, s] = match;
  return clampWait((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
}

function clampWait(ms: number): number {
  return Math.min(Math.max(Math.ceil(ms), 0), MAX_WAIT_MS);
}

/** A short, secret-free description: ARM error code, HTTP status and message. */
export function describeError(error: unknown): string {
  if (isRestError(error)) {
    const details = (error as { details?: unknown }).details as { error?: { code?: string; message?: string } } | undefined;
    const code = details?.error?.code ?? error.code;
    const message = details?.error?.message ?? error.message;
    return [code, error.statusCode !== undefined ? `HTTP ${error.statusCode}` : undefined, message]
      .filter((part) => part !== undefined && part !== '')
      .join(': ');
  }
  return error instanceof Error ? error.message : String(error);
}
