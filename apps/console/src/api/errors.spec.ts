import { ApiError, describeError, interpretResponse } from './errors';

describe('GraphQL answers as the console reads them', () => {
  it('passes data through', () => {
    expect(interpretResponse(200, { data: { me: { id: 'ana' } } })).toEqual({ ok: true, data: { me: { id: 'ana' } } });
  });

  it('turns a refusal for a tenant into a forbidden error, whatever else came back', () => {
    const result = interpretResponse(200, {
      data: null,
      errors: [{ message: 'not allowed to tenants.read for tenant "fabrikam-retail"', path: ['complianceScore'], extensions: { code: 'FORBIDDEN' } }],
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ kind: 'forbidden', details: { code: 'FORBIDDEN', status: 200 } });
  });

  it('fails the whole answer when part of it was refused (no partial tenant data on a page)', () => {
    const result = interpretResponse(200, { data: { tenant: { displayName: 'Fabrikam' }, findings: null }, errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] });
    expect(result.ok).toBe(false);
  });

  it('reads authentication failures with their reason', () => {
    const result = interpretResponse(401, { errors: [{ message: 'token expired', extensions: { code: 'UNAUTHENTICATED', reason: 'expired' } }] });
    expect(!result.ok && result.error).toMatchObject({ kind: 'unauthenticated', details: { reason: 'expired', status: 401 } });
    expect(describeError((result as { error: ApiError }).error)).toMatch(/expired/);
  });

  it('prefers the error that decides the page: unauthenticated, then forbidden, then the rest', () => {
    const result = interpretResponse(200, {
      errors: [
        { message: 'bad cursor', extensions: { code: 'BAD_USER_INPUT' } },
        { message: 'no', extensions: { code: 'FORBIDDEN' } },
      ],
    });
    expect(!result.ok && result.error.kind).toBe('forbidden');
  });

  it('says when to retry after the rate limit', () => {
    const result = interpretResponse(429, { errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] }, '12');
    expect(!result.ok && result.error).toMatchObject({ kind: 'rate-limited', details: { retryAfterSeconds: 12 } });
    expect(describeError((result as { error: ApiError }).error)).toBe('Too many requests. Try again in 12 s.');
  });

  it('quotes the correlation id of a fault', () => {
    const result = interpretResponse(200, { data: null, errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR', correlationId: 'c-42' } }] });
    expect(describeError((result as { error: ApiError }).error)).toMatch(/c-42/);
  });

  it('maps query-limit and validation failures to bad input, and an empty 5xx to a server error', () => {
    const limit = interpretResponse(400, { errors: [{ message: 'Query Cost limit of 5000 exceeded', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    expect(!limit.ok && limit.error.kind).toBe('bad-input');
    const empty = interpretResponse(502, undefined);
    expect(!empty.ok && empty.error).toMatchObject({ kind: 'server', details: { status: 502 } });
    const unknownCode = interpretResponse(403, { errors: [{ message: 'nope' }] });
    expect(!unknownCode.ok && unknownCode.error.kind).toBe('forbidden');
  });
});
