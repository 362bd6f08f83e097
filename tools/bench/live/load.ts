// HTTP load beside the live subscriptions: autocannon on a small query (the first page of the tenant
// directory), in a worker thread so that the API under test keeps this process's main thread.
import path from 'node:path';
import autocannon from 'autocannon';

export const TENANTS_QUERY = 'query { tenants(first: 20) { edges { node { tenantId displayName status } } } }';

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  /** Socket errors, timeouts and 2xx answers without a page of tenants (GraphQL errors). */
  readonly otherErrors: number;
}

let running: autocannon.Instance | undefined;

/** Ctrl-C: stop the load in flight. */
export const stopLoad = (): void => {
  running?.stop();
  running = undefined;
};

const once = (url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<autocannon.Result> =>
  new Promise((resolve, reject) => {
    running = autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: TENANTS_QUERY }),
        connections,
        duration: seconds,
        pipelining: 1,
        timeout: 10,
        workers: 1,
        verifyBody: path.join(__dirname, 'verify-body.cjs'),
      },
      (error, result) => {
        running = undefined;
        if (error) reject(error);
        else resolve(result);
      },
    );
  });

/** A warm-up, then `seconds` measured. */
export const measure = async (url: string, headers: Record<string, string>, settings: { connections: number; warmupSeconds: number; seconds: number }): Promise<LoadResult> => {
  await once(url, headers, settings.connections, settings.warmupSeconds);
  const r = await once(url, headers, settings.connections, settings.seconds);
  return {
    requestsPerSecond: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    otherErrors: r.errors + r.timeouts + r.mismatches,
  };
};
