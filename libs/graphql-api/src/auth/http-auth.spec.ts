// Who may read /metrics without a principal — the API's rule, and the worker's whole rule: a peer on
// this machine, or one presenting the metrics token (compared in constant time, whole).
import { isLoopbackPeer, mayScrapeMetrics } from './http-auth';

const TOKEN = 'm'.repeat(32);

describe('scrapers of /metrics', () => {
  it('lets a peer on this machine through, decided by its address', () => {
    for (const peer of ['127.0.0.1', '127.4.5.6', '::1', '::ffff:127.0.0.1']) expect(mayScrapeMetrics(peer, undefined, undefined)).toBe(true);
    for (const peer of ['10.0.0.7', '::ffff:10.0.0.7', '128.0.0.1', 'fe80::1', undefined]) expect(mayScrapeMetrics(peer, undefined, undefined)).toBe(false);
    expect(isLoopbackPeer('0.0.0.0')).toBe(false);
  });

  it('lets a peer elsewhere through only with the whole token', () => {
    expect(mayScrapeMetrics('10.0.0.7', `Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(mayScrapeMetrics('10.0.0.7', `bearer   ${TOKEN}`, TOKEN)).toBe(true);
    expect(mayScrapeMetrics('10.0.0.7', `Bearer ${TOKEN.slice(1)}`, TOKEN)).toBe(false);
    expect(mayScrapeMetrics('10.0.0.7', `Bearer ${TOKEN}x`, TOKEN)).toBe(false);
    expect(mayScrapeMetrics('10.0.0.7', TOKEN, TOKEN)).toBe(false);
    // no token configured: nothing presented opens it
    expect(mayScrapeMetrics('10.0.0.7', 'Bearer ', undefined)).toBe(false);
    expect(mayScrapeMetrics('10.0.0.7', `Bearer ${TOKEN}`, undefined)).toBe(false);
  });
});
