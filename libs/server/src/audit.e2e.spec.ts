// Audit exports over the API: an auditor asks for the tenant's trail of a period, downloads every
// file through the short-lived links, and verifies the export offline with the published key. The
// links are no way around authentication or tenant isolation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { startHarness, type Harness } from './testing/harness';

const TENANT = 'contoso-bank';

interface Job {
  exportId: string;
  status: string;
  eventsWritten: number;
  manifestSha256: string | null;
  error: string | null;
  links: { file: string; url: string; expiresAt: string }[];
}
const JOB_FIELDS = 'exportId status eventsWritten manifestSha256 error links { file url expiresAt }';

describe('audit exports over the API', () => {
  let h: Harness;
  let auditor: string;
  let dir: string;
  let first: Job;
  beforeAll(async () => {
    h = await startHarness();
    auditor = await h.token({ role: 'auditor', tenantId: TENANT }, 'auditor@kpmg.example');
    const admin = await h.token({ role: 'customer.admin', tenantId: TENANT });
    await h.gql('mutation { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "core", baselineId: "landing-zone-core" }) { __typename } }', { token: admin });
    await h.settled();
    dir = mkdtempSync(join(tmpdir(), 'rampart-audit-e2e-'));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = async (token: string, from: string, to: string) =>
    h.gql<{ requestAuditExport: Job }>(`mutation { requestAuditExport(input: { tenantId: "${TENANT}", from: "${from}", to: "${to}" }) { ${JOB_FIELDS} } }`, { token });
  const finished = (exportId: string) =>
    h.eventually(
      'the export finished',
      async () => (await h.gql<{ auditExport: Job }>(`{ auditExport(tenantId: "${TENANT}", exportId: "${exportId}") { ${JOB_FIELDS} } }`, { token: auditor })).body.data?.auditExport,
      (job) => job?.status !== 'running',
      30_000,
    );
  const download = (url: string, token?: string) => fetch(`${h.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('exports, downloads and verifies the trail with the published key', async () => {
    const to = new Date().toISOString(); // the export waits for appends in flight by itself
    const asked = await request(auditor, '2000-01-01T00:00:00Z', to);
    expect(asked.body.errors).toBeUndefined();
    expect(asked.body.data?.requestAuditExport.status).toBe('running');
    first = (await finished(asked.body.data!.requestAuditExport.exportId))!;
    expect(first).toMatchObject({ status: 'succeeded', error: null, manifestSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(first.eventsWritten).toBeGreaterThan(0);
    expect(first.links.map((l) => l.file).sort()).toEqual(['events.csv', 'events.ndjson', 'manifest.json', 'manifest.json.sig', 'ocsf.ndjson', 'oscal-assessment-results.json']);

    for (const link of first.links) {
      const res = await download(link.url, auditor);
      expect(res.status).toBe(200);
      writeFileSync(join(dir, link.file), Buffer.from(await res.arrayBuffer()));
    }
    const key = await h.gql<{ auditPublicKey: { algorithm: string; keyId: string; publicKeyPem: string } }>('{ auditPublicKey { algorithm keyId publicKeyPem } }', { token: auditor });
    expect(key.body.data?.auditPublicKey).toMatchObject({ algorithm: 'Ed25519', publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY') });
    const verified = await verifyAuditExportDir(dir, key.body.data!.auditPublicKey.publicKeyPem);
    expect(verified.problems).toEqual([]);
    expect(verified.ok).toBe(true);
  });

  it('records each export in the trail, and chains the next manifest to it', async () => {
    // the first export was recorded before it reported success: a period ending now holds it
    const asked = await request(auditor, '2000-01-01T00:00:00Z', new Date().toISOString());
    const second = (await finished(asked.body.data!.requestAuditExport.exportId))!;
    expect(second.status).toBe('succeeded');
    const manifest = (await (await download(second.links.find((l) => l.file === 'manifest.json')!.url, auditor)).json()) as { previousManifestSha256: string };
    expect(manifest.previousManifestSha256).toBe(first.manifestSha256);
    const ndjson = await (await download(second.links.find((l) => l.file === 'events.ndjson')!.url, auditor)).text();
    expect(ndjson).toContain('"type":"audit.AuditExported.v1"');
    expect(ndjson).toContain(first.exportId);
    const { body } = await h.gql<{ auditExports: { exportId: string; manifestSha256: string; previousManifestSha256: string | null; requestedBy: string; downloadable: boolean }[] }>(
      `{ auditExports(tenantId: "${TENANT}") { exportId manifestSha256 previousManifestSha256 requestedBy downloadable } }`,
      { token: auditor },
    );
    expect(body.data?.auditExports).toEqual([
      { exportId: second.exportId, manifestSha256: second.manifestSha256, previousManifestSha256: first.manifestSha256, requestedBy: 'auditor@kpmg.example', downloadable: true },
      { exportId: first.exportId, manifestSha256: first.manifestSha256, previousManifestSha256: null, requestedBy: 'auditor@kpmg.example', downloadable: true },
    ]);
  });

  it('gives the links to nobody but who may export the trail', async () => {
    const link = first.links.find((l) => l.file === 'events.ndjson')!;
    expect((await download(link.url)).status).toBe(401);
    const viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    expect((await download(link.url, viewer)).status).toBe(403);
    const otherAuditor = await h.token({ role: 'auditor', tenantId: 'fabrikam-retail' });
    expect((await download(link.url, otherAuditor)).status).toBe(403);
    // the same signature does not open another file, another tenant's folder, or a later expiry
    expect((await download(link.url.replace('events.ndjson', 'events.csv'), auditor)).status).toBe(403);
    expect((await download(link.url.replace(`/${TENANT}/`, '/fabrikam-retail/'), otherAuditor)).status).toBe(403);
    expect((await download(link.url.replace(/expires=\d+/, `expires=${Date.now() + 86_400_000}`), auditor)).status).toBe(403);
    expect((await download(link.url.replace('events.ndjson', '..%2F..%2Fsigning-key.pem'), auditor)).status).toBe(404);

    const analyst = await h.token({ role: 'soc.analyst', socTeam: 'blue' });
    const refused = await request(analyst, '2000-01-01T00:00:00Z', new Date().toISOString());
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const future = await request(auditor, '2000-01-01T00:00:00Z', new Date(Date.now() + 3_600_000).toISOString());
    expect(future.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/in the future/), extensions: { code: 'BAD_USER_INPUT' } });
  });
});
