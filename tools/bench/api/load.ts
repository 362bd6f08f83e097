// Drives one GraphQL endpoint with autocannon. The load runs in a worker thread so that the
// server under test (in this process's main thread) keeps its event loop to itself.
import path from 'node:path';
import autocannon from 'autocannon';

/** The list query every target answers: the first page of the tenant directory. */
export const TENANTS_QUERY = 'query { tenants(first: 50) { edges { node { tenantId displayName sector status } } pageInfo { hasNextPage endCursor } } }';

/** One request body sent over and over: a query and its variables. */
export interface RequestShape {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

export interface LoadSettings {
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly latencyMeanMs: number;
  readonly requests: number;
  readonly non2xx: number;
  /** Socket errors, timeouts and 2xx answers without data or with GraphQL errors. */
  readonly otherErrors: number;
  readonly statusCodes: Record<string, number>;
  readonly bytesPerSecond: number;
}

let running: autocannon.Instance | undefined;

/** Ctrl-C: stop the load in flight (its promise never settles; the caller exits). */
export const stopLoad = (): void => {
  running?.stop();
  running = undefined;
};

const VERIFY_BODY = path.join(__dirname, 'verify-body.cjs');

const once = (url: string, headers: Record<string, string>, body: string, connections: number, seconds: number): Promise<autocannon.Result> =>
  new Promise((resolve, reject) => {
    running = autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        workers: 1,
        verifyBody: VERIFY_BODY,
      },
      (error, result) => {
        running = undefined;
        if (error) reject(error);
        else resolve(result);
      },
    );
  });

export const measure = async (url: string, headers: Record<string, string>, shape: RequestShape, settings: LoadSettings): Promise<LoadResult> => {
  const body = JSON.stringify(shape);
  await once(url, headers, body, settings.connections, settings.warmupSeconds);
  const r = await once(url, headers, body, settings.connections, settings.seconds);
  return {
    requestsPerSecond: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMeanMs: r.latency.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    otherErrors: r.errors + r.timeouts + r.mismatches,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    bytesPerSecond: r.throughput.average,
  };
};
