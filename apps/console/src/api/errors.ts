// What a GraphQL answer means for the console: data, or one error the page can explain. The API
// reports authorization as GraphQL errors (HTTP 200, `extensions.code` FORBIDDEN, the field null),
// authentication as 401, limits as 429 and faults with a correlation id (docs/api.md, "Errors").

export type ApiErrorKind = 'unauthenticated' | 'forbidden' | 'bad-input' | 'rate-limited' | 'server' | 'network';

export interface GraphqlErrorBody {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: string; reason?: string; correlationId?: string; [key: string]: unknown };
}

export interface GraphqlResponseBody<T> {
  data?: T | null;
  errors?: readonly GraphqlErrorBody[];
}

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly details: { code?: string; reason?: string; correlationId?: string; retryAfterSeconds?: number; status?: number } = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const KIND_BY_CODE: Record<string, ApiErrorKind> = {
  UNAUTHENTICATED: 'unauthenticated',
  FORBIDDEN: 'forbidden',
  BAD_USER_INPUT: 'bad-input',
  GRAPHQL_VALIDATION_FAILED: 'bad-input',
  GRAPHQL_PARSE_FAILED: 'bad-input',
  RATE_LIMITED: 'rate-limited',
  INTERNAL_SERVER_ERROR: 'server',
};

/** When several errors come back, the one that decides what the page shows. */
const PRECEDENCE: readonly ApiErrorKind[] = ['unauthenticated', 'forbidden', 'rate-limited', 'bad-input', 'server'];

const kindOfStatus = (status: number): ApiErrorKind | undefined =>
  status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 429 ? 'rate-limited' : status >= 500 ? 'server' : status >= 400 ? 'bad-input' : undefined;

export type Interpreted<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/**
 * Turns an HTTP answer of /graphql into data or an ApiError. Any error fails the whole answer: a
 * page never shows the part of a tenant's data next to a refusal for the rest.
 */
export const interpretResponse = <T>(status: number, body: GraphqlResponseBody<T> | undefined, retryAfter?: string | null): Interpreted<T> => {
  const errors = body?.errors ?? [];
  if (errors.length === 0 && status >= 200 && status < 300 && body?.data) return { ok: true, data: body.data };
  const candidates = errors.map((e) => ({ error: e, kind: KIND_BY_CODE[e.extensions?.code ?? ''] ?? kindOfStatus(status) ?? 'server' }));
  const chosen = [...candidates].sort((a, b) => PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind))[0];
  const retryAfterSeconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  if (!chosen) {
    const kind = kindOfStatus(status) ?? 'server';
    return { ok: false, error: new ApiError(kind, `The API answered ${status} without data`, { status, retryAfterSeconds }) };
  }
  const { extensions } = chosen.error;
  return {
    ok: false,
    error: new ApiError(chosen.kind, chosen.error.message, {
      code: extensions?.code,
      reason: extensions?.reason,
      correlationId: extensions?.correlationId,
      retryAfterSeconds,
      status,
    }),
  };
};

/** A sentence for people, by kind (the page adds what it was about, e.g. the tenant). */
export const describeError = (error: ApiError): string => {
  switch (error.kind) {
    case 'unauthenticated':
      return error.details.reason === 'expired' ? 'Your session has expired. Sign in again.' : 'You are not signed in (or your sign-in is no longer accepted).';
    case 'forbidden':
      return 'You are not allowed to do this.';
    case 'rate-limited':
      return `Too many requests. Try again${error.details.retryAfterSeconds ? ` in ${error.details.retryAfterSeconds} s` : ' shortly'}.`;
    case 'bad-input':
      return `The request was refused: ${error.message}`;
    case 'network':
      return 'The API cannot be reached. Check your connection and try again.';
    case 'server':
      return error.details.correlationId
        ? `Something went wrong on our side. Quote correlation id ${error.details.correlationId} when you report it.`
        : `Something went wrong on our side: ${error.message}`;
  }
};
