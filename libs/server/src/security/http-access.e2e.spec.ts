// Who gets in over HTTP when something fails: failing credentials are throttled without locking
// out valid ones from the same address (one NAT for a whole company), and /metrics is decided by
// who connects (the peer), not by which address the server listens on.
import { networkInterfaces } from 'node:os';
import { startHarness, type Harness } from '../testing/harness';

const TENANT = 'contoso-bank';
const METRICS_TOKEN = 'metrics-token-for-the-e2e-test-0123456789';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('failed authentication throttle', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.stop());

  const me = (headers: Record<string, string>) =>
    fetch(`${h.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me { id } }' }) });

  it('answers failures from a busy address with 429, yet admits a valid token from it that it never saw before', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await me(bearer(`forged.token.${i}`))).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);

    const colleague = await h.token({ role: 'customer.viewer', tenantId: TENANT }, 'colleague-behind-the-same-nat@contoso-bank.example');
    const admitted = await me(bearer(colleague));
    expect(admitted.status).toBe(200);
  });

  it('refuses the same failing credential without verifying it again after a few tries', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await me({ 'x-api-key': `rmp_aaaaaaaaaaaa_${'B'.repeat(43)}` })).status);
    // The address is already over its failure budget from the test above; each answer is a refusal.
    const bodies = (await (await me({ 'x-api-key': `rmp_aaaaaaaaaaaa_${'B'.repeat(43)}` })).json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    expect(bodies.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', reason: 'credential-throttled' });
  });
});

describe('/metrics', () => {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && (i.family === 'IPv4' || !i.address.startsWith('fe80')));
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_HOST: '::', RAMPART_METRICS_TOKEN: METRICS_TOKEN });
  });
  afterAll(async () => h?.stop());

  const metricsVia = (host: string, headers: Record<string, string> = {}) => {
    const port = new URL(h.url).port;
    return fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`, { headers });
  };

  it('answers a scraper on this machine without credentials', async () => {
    const res = await metricsVia('127.0.0.1');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/rampart_projection_events_behind/);
  });

  // The machine's own non-loopback address makes the server see a non-loopback peer: what a
  // scraper on another host is. Machines without one cannot run this case.
  (external ? it : it.skip)(`refuses a peer that is not this machine unless it holds the metrics token or is staff (via ${external?.address})`, async () => {
    const address = external!.address;
    expect((await metricsVia(address)).status).toBe(401);
    expect((await metricsVia(address, bearer('wrong-metrics-token-of-the-right-length-00'))).status).toBe(401);
    expect((await metricsVia(address, bearer(METRICS_TOKEN))).status).toBe(200);
    const customer = await h.token({ role: 'customer.admin', tenantId: TENANT });
    expect((await metricsVia(address, bearer(customer))).status).toBe(403);
    const staff = await h.token({ role: 'platform.admin' });
    expect((await metricsVia(address, bearer(staff))).status).toBe(200);
  });
});
