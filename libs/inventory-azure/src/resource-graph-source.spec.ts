import { RestError } from '@azure/core-rest-pipeline';
import {
  DEFAULT_TABLES,
  describeError,
  parseQuotaReset,
  parseRetryAfter,
  queryFor,
  scanResourceGraph,
} from './resource-graph-source';
import { staticTokenCredential } from './testing';

describe('resource graph source helpers', () => {
  it('queries each table in a stable id order', () => {
    expect(DEFAULT_TABLES.map(queryFor)).toEqual([
      'resources | order by id asc',
      'resourcecontainers | order by id asc',
      'authorizationresources | order by id asc',
      "securityresources | where type =~ 'microsoft.security/assessments' and id !contains '/resourcegroups/' | order by id asc",
    ]);
    expect(() => queryFor('resources | take 1')).toThrow(RangeError);
  });

  it('reads x-ms-user-quota-resets-after as hh:mm:ss', () => {
    expect(parseQuotaReset('00:00:03')).toBe(3000);
    expect(parseQuotaReset('00:01:02.5')).toBe(62_500);
    expect(parseQuotaReset('1:00:00')).toBe(300_000); // capped at 5 minutes
    expect(parseQuotaReset('soon')).toBeUndefined();
    expect(parseQuotaReset(undefined)).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 01 Jan 2025 00:00:10 GMT', now)).toBe(0);
    expect(parseRetryAfter('')).toBeUndefined();
  });

  it('describes ARM errors by code, status and message', () => {
    const error = new RestError('raw', { statusCode: 403, code: 'Forbidden' });
    (error as RestError & { details?: unknown }).details = { error: { code: 'AuthorizationFailed', message: 'no access' } };
    expect(describeError(error)).toBe('AuthorizationFailed: HTTP 403: no access');
    expect(describeError(new Error('boom'))).toBe('boom');
  });

  it('validates options before any request', () => {
    const credential = staticTokenCredential();
    expect(() => scanResourceGraph(['s'], ['resources'], { credential, pageSize: 1001 })).toThrow(RangeError);
    expect(() => scanResourceGraph(['s'], ['resources'], { credential, subscriptionBatchSize: 0 })).toThrow(RangeError);
    expect(() => scanResourceGraph(['s'], ['resources'], { credential, maxRetries: -1 })).toThrow(RangeError);
    expect(() => scanResourceGraph(['s'], ['bad table'], { credential })).toThrow(RangeError);
  });
});
