// The console's only way to data: POST /graphql with the signed-in user's bearer token.
import { ApiError, interpretResponse, type GraphqlResponseBody } from './errors';

export interface GraphqlClient {
  request<T>(query: string, variables?: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<T>;
  /** GET a file of the API (audit exports, evidence) with the same credentials. */
  download(path: string): Promise<Blob>;
  /**
   * PUT a file's bytes to the API (evidence) with the same credentials, its media type as
   * content-type; `onProgress` hears the share of the bytes sent (0 to 1). Resolves to the JSON answer.
   */
  upload<T>(path: string, body: Blob, options?: { contentType?: string; onProgress?: (sent: number) => void; signal?: AbortSignal }): Promise<T>;
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
        // Never text/html: outside the API's own prefixes the console's index.html answers whatever
        // accepts HTML, and a browser's fetch accepts anything by default.
        res = await fetch(`${base}${path}`, { headers: { accept: 'application/octet-stream, application/json', ...(await headers()) } });
      } catch (error) {
        throw new ApiError('network', (error as Error).message);
      }
      if (res.ok) return res.blob();
      const body = (await res.json().catch(() => undefined)) as GraphqlResponseBody<never> | undefined;
      const result = interpretResponse(res.status, body ?? { errors: [{ message: `download failed (${res.status})` }] });
      return fail(result.ok ? new ApiError('server', 'download failed') : result.error);
    },
    async upload<T>(path: string, body: Blob, { contentType, onProgress, signal }: { contentType?: string; onProgress?: (sent: number) => void; signal?: AbortSignal } = {}) {
      const auth = await headers();
      // XMLHttpRequest rather than fetch: only it reports how much of a request body has been sent.
      const answer = await new Promise<{ status: number; text: string; retryAfter: string | null }>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', `${base}${path}`);
        for (const [name, value] of Object.entries({ 'content-type': contentType || 'application/octet-stream', accept: 'application/json', ...auth })) xhr.setRequestHeader(name, value);
        xhr.upload.onprogress = (e) => {
          if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
        };
        xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, retryAfter: xhr.getResponseHeader('retry-after') });
        xhr.onerror = () => reject(new ApiError('network', 'the upload did not reach the API'));
        xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
        signal?.addEventListener('abort', () => xhr.abort(), { once: true });
        xhr.send(body);
      });
      let parsed: unknown;
      try {
        parsed = answer.text ? JSON.parse(answer.text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (answer.status >= 200 && answer.status < 300 && parsed !== undefined) return parsed as T;
      const result = interpretResponse(answer.status, (parsed as GraphqlResponseBody<never> | undefined) ?? { errors: [{ message: `upload failed (${answer.status})` }] }, answer.retryAfter);
      return fail(result.ok ? new ApiError('server', 'upload failed') : result.error);
    },
  };
};
