// The console's only way to data: POST /graphql with the signed-in user's bearer token.
import { ApiError, interpretResponse, type GraphqlResponseBody } from './errors';

export interface GraphqlClient {
  request<T>(query: string, variables?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<T>;
  /** GET a file of the API (audit exports) with the same credentials. */
  download(path: string): Promise<Blob>;
}

export const createGraphqlClient = (options: {
  getToken: () => Promise<string | undefined>;
  onUnauthenticated: (error: ApiError) => void;
  baseUrl?: string;
}): GraphqlClient => {
  const base = options.baseUrl ?? '';
  const headers = async (): Promise<Record<string, string>> => {
    const token = await options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const fail = (error: ApiError): never => {
    if (error.kind === 'unauthenticated') options.onUnauthenticated(error);
    throw error;
  };
  return {
    async request<T>(query: string, variables?: Record<string, unknown>, { signal }: { signal?: AbortSignal } = {}) {
      let res: Response;
      try {
        res = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json', ...(await headers()) },
          body: JSON.stringify({ query, variables }),
          signal,
        });
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        throw new ApiError('network', (error as Error).message);
      }
      const text = await res.text();
      let body: GraphqlResponseBody<T> | undefined;
      try {
        body = text ? (JSON.parse(text) as GraphqlResponseBody<T>) : undefined;
      } catch {
        body = undefined;
      }
      const result = interpretResponse(res.status, body, res.headers.get('retry-after'));
      return result.ok ? result.data : fail(result.error);
    },
    async download(path: string) {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, { headers: await headers() });
      } catch (error) {
        throw new ApiError('network', (error as Error).message);
      }
      if (res.ok) return res.blob();
      const body = (await res.json().catch(() => undefined)) as GraphqlResponseBody<never> | undefined;
      const result = interpretResponse(res.status, body ?? { errors: [{ message: `download failed (${res.status})` }] });
      return fail(result.ok ? new ApiError('server', 'download failed') : result.error);
    },
  };
};
