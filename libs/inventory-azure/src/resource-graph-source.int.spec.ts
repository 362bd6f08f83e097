// End to end with the real @azure/arm-resourcegraph client against a local replay of ARG:
// the SDK builds, signs and sends the requests; only the last hop is rewritten to 127.0.0.1.
import {
  FAKE_ACCESS_TOKEN,
  rewritingHttpClient,
  startReplayServer,
  staticTokenCredential,
  type RecordedRequest,
  type ReplayServer,
  type ReplayServerOptions,
} from './testing';
import {
  DEFAULT_TABLES,
  queryFor,
  scanResourceGraph,
  type ResourceGraphPage,
  type ResourceGraphProgress,
  type ResourceGraphSourceOptions,
} from './resource-graph-source';

const SUB_A = '11111111-aaaa-4000-8000-000000000001';
const SUB_B = '22222222-bbbb-4000-8000-000000000002';
const SUB_C = '33333333-cccc-4000-8000-000000000003';
const SUB_DENIED = '44444444-dddd-4000-8000-000000000004';
const ENDPOINT = 'https://resourcegraph.test';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  server = await startReplayServer({ subscriptions: [SUB_A, SUB_B, SUB_C, SUB_DENIED], ...options });
  return server;
}

function sourceOptions(replay: ReplayServer, extra: Partial<ResourceGraphSourceOptions> = {}) {
  const sleeps: { ms: number; requestsSoFar: number }[] = [];
  const credential = staticTokenCredential();
  const options: ResourceGraphSourceOptions = {
    credential,
    endpoint: ENDPOINT,
    httpClient: rewritingHttpClient(replay.url),
    sleep: async (ms) => {
      sleeps.push({ ms, requestsSoFar: replay.requests.length });
    },
    ...extra,
  };
  return { options, sleeps, credential };
}

async function collect(pages: AsyncIterable<ResourceGraphPage>): Promise<ResourceGraphPage[]> {
  const out: ResourceGraphPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

const ids = (rows: Record<string, unknown>[]) => rows.map((row) => String(row['id']));
const rowsOf = (pages: ResourceGraphPage[], table: string) => pages.filter((p) => p.table === table).flatMap((p) => p.rows);

/** Requests grouped into conversations: one per (query, subscriptions), in order. */
function conversations(requests: RecordedRequest[]): RecordedRequest[][] {
  const groups = new Map<string, RecordedRequest[]>();
  for (const request of requests) {
    const key = `${request.query}|${request.subscriptions.join(',')}`;
    groups.set(key, [...(groups.get(key) ?? []), request]);
  }
  return [...groups.values()];
}

describe('scanResourceGraph against the ARG replay server', () => {
  it('streams every row of every table once, in order, paging with $skipToken', async () => {
    const replay = await start();
    const progress: ResourceGraphProgress[] = [];
    const { options, sleeps, credential } = sourceOptions(replay, {
      pageSize: 10,
      subscriptionBatchSize: 2,
      onProgress: (e) => progress.push(e),
    });

    const scan = scanResourceGraph([SUB_A, SUB_B, SUB_C], DEFAULT_TABLES, options);
    const pages = await collect(scan.pages);

    expect(scan.failures).toEqual([]);
    expect(sleeps).toEqual([]);
    for (const table of DEFAULT_TABLES) {
      const expected = [...replay.expectedRows(table, [SUB_A, SUB_B]), ...replay.expectedRows(table, [SUB_C])];
      expect(expected.length).toBeGreaterThan(0);
      expect(rowsOf(pages, table)).toEqual(expected);
    }
    const resourceIds = ids(rowsOf(pages, 'resources'));
    expect(new Set(resourceIds).size).toBe(resourceIds.length);
    // 34 distinct corpus ids per subscription (two storage examples share one), so several pages per batch
    expect(resourceIds).toHaveLength(3 * 34);
    expect(rowsOf(pages, 'resources')[0]).toMatchObject({
      type: expect.stringMatching(/^[a-z0-9./]+$/),
      subscriptionId: SUB_A,
      tenantId: expect.any(String),
    });

    // the conversation: same body on every page except $skipToken, which is the one the server handed out
    for (const request of replay.requests) {
      expect(request).toMatchObject({
        method: 'POST',
        path: '/providers/Microsoft.ResourceGraph/resources',
        top: 10,
        resultFormat: 'objectArray',
        status: 200,
        authorization: `Bearer ${FAKE_ACCESS_TOKEN}`,
      });
      expect(request.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(DEFAULT_TABLES.map(queryFor)).toContain(request.query);
    }
    const talks = conversations(replay.requests);
    expect(talks.map((t) => [t[0].query.split(' ')[0], t[0].subscriptions])).toEqual(
      DEFAULT_TABLES.flatMap((table) => [
        [table, [SUB_A, SUB_B]],
        [table, [SUB_C]],
      ]),
    );
    for (const talk of talks) {
      expect(talk[0].skipToken).toBeUndefined();
      talk.slice(1).forEach((request, i) => expect(request.skipToken).toBe(talk[i].nextSkipToken));
      expect(talk[talk.length - 1].nextSkipToken).toBeUndefined();
    }
    expect(talks.find((t) => t[0].query.startsWith('resources '))!.length).toBe(7); // 68 rows / 10

    expect(progress).toHaveLength(replay.requests.length);
    expect(progress[0]).toEqual({ table: 'resources', subscriptions: [SUB_A, SUB_B], rows: 10, page: 1 });
    expect(credential.scopes[0]).toEqual(['https://management.azure.com/.default']);
  });

  it('waits out a 429 for its Retry-After and retries the same page', async () => {
    const replay = await start({ throttledRequests: [2], retryAfterSeconds: 7 });
    const { options, sleeps } = sourceOptions(replay, { pageSize: 10 });

    const scan = scanResourceGraph([SUB_A], ['resources'], options);
    const pages = await collect(scan.pages);

    expect(scan.failures).toEqual([]);
    expect(ids(rowsOf(pages, 'resources'))).toEqual(ids(replay.expectedRows('resources', [SUB_A])));
    expect(sleeps).toEqual([{ ms: 7000, requestsSoFar: 2 }]);
    const [first, throttled, retried] = replay.requests;
    expect(throttled.status).toBe(429);
    expect(throttled.skipToken).toBe(first.nextSkipToken);
    expect(retried).toMatchObject({ status: 200, skipToken: first.nextSkipToken });
    expect(replay.requests).toHaveLength(5); // 4 pages + the throttled attempt
  });

  it('backs off exponentially on 5xx without Retry-After', async () => {
    const replay = await start({ unavailableRequests: [1, 2] });
    const { options, sleeps } = sourceOptions(replay);

    const scan = scanResourceGraph([SUB_A], ['resourcecontainers'], options);
    const pages = await collect(scan.pages);

    expect(scan.failures).toEqual([]);
    expect(rowsOf(pages, 'resourcecontainers')).toEqual(replay.expectedRows('resourcecontainers', [SUB_A]));
    expect(sleeps.map((s) => s.ms)).toEqual([1000, 2000]);
    expect(replay.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it('gives up on a page after maxRetries throttled attempts and reports the subscription', async () => {
    const replay = await start({ throttledRequests: [1, 2, 3], retryAfterSeconds: 1 });
    const { options, sleeps } = sourceOptions(replay, { maxRetries: 2 });

    const scan = scanResourceGraph([SUB_A], ['resources'], options);
    const pages = await collect(scan.pages);

    expect(pages).toEqual([]);
    expect(sleeps.map((s) => s.ms)).toEqual([1000, 1000]);
    expect(replay.requests).toHaveLength(3);
    expect(scan.failures).toEqual([
      { subscriptionId: SUB_A, table: 'resources', error: expect.stringContaining('RateLimiting: HTTP 429') },
    ]);
  });

  it('pauses for x-ms-user-quota-resets-after when the quota is used up, before the next request', async () => {
    const replay = await start({ quotaExhaustedRequests: [1], quotaResetsAfter: '00:00:04' });
    const { options, sleeps } = sourceOptions(replay, { pageSize: 20 });

    const scan = scanResourceGraph([SUB_A], ['resources'], options);
    const pages = await collect(scan.pages);

    expect(ids(rowsOf(pages, 'resources'))).toEqual(ids(replay.expectedRows('resources', [SUB_A])));
    expect(sleeps).toEqual([{ ms: 4000, requestsSoFar: 1 }]);
    expect(replay.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('isolates a failing subscription: its ARM error is reported, the others still arrive', async () => {
    const replay = await start({ failingSubscriptions: [SUB_DENIED] });
    const { options } = sourceOptions(replay, { pageSize: 25, subscriptionBatchSize: 3 });

    const scan = scanResourceGraph([SUB_A, SUB_DENIED, SUB_B], ['resources', 'resourcecontainers'], options);
    const pages = await collect(scan.pages);

    for (const table of ['resources', 'resourcecontainers']) {
      expect(rowsOf(pages, table)).toEqual([
        ...replay.expectedRows(table, [SUB_A]),
        ...replay.expectedRows(table, [SUB_B]),
      ]);
    }
    expect(scan.failures).toEqual([
      { subscriptionId: SUB_DENIED, table: 'resources', error: expect.stringMatching(/^AuthorizationFailed: HTTP 403: /) },
      { subscriptionId: SUB_DENIED, table: 'resourcecontainers', error: expect.stringMatching(/^AuthorizationFailed: HTTP 403: /) },
    ]);
    // whole batch first, then one subscription at a time
    const resourceRequests = replay.requests.filter((r) => r.query.startsWith('resources '));
    expect(resourceRequests[0]).toMatchObject({ subscriptions: [SUB_A, SUB_DENIED, SUB_B], status: 403 });
    expect(resourceRequests.slice(1).map((r) => r.subscriptions[0])).toEqual([SUB_A, SUB_A, SUB_DENIED, SUB_B, SUB_B]);
  });

  it('does not deliver rows twice when a batch fails after some pages', async () => {
    // page 2 of the batch is throttled and retries are off: the batch fails mid-way and is re-read per subscription
    const replay = await start({ throttledRequests: [2] });
    const { options } = sourceOptions(replay, { pageSize: 30, subscriptionBatchSize: 2, maxRetries: 0 });

    const scan = scanResourceGraph([SUB_A, SUB_B], ['resources'], options);
    const pages = await collect(scan.pages);

    const delivered = ids(rowsOf(pages, 'resources'));
    const expected = ids(replay.expectedRows('resources', [SUB_A, SUB_B]));
    expect(scan.failures).toEqual([]);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect([...delivered].sort()).toEqual([...expected].sort());
    expect(delivered.slice(0, 30)).toEqual(expected.slice(0, 30));
  });
});
