// `rampart audit` as an operator and an auditor run it: export a tenant's trail, hand over the public
// key, verify offline; a changed file makes verification exit 1 and say what changed, and the next
// export chains to the first.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'bin', 'rampart.js');

describe('rampart audit', () => {
  let work: string;
  let env: Record<string, string>;
  const rampart = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, RAMPART_LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });
  const firstDir = () => join(work, 'first');
  const pem = () => join(work, 'rampart-audit.pem');

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rampart-audit-cli-'));
    env = { RAMPART_DATA_DIR: join(work, 'data') };
    expect(rampart('tenants', 'onboard', 'woodgrove', '--name', 'Woodgrove', '--sector', 'finance', '--contact', 'soc@woodgrove.example').status).toBe(0);
    const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
    const file = join(work, 'inventory.ndjson');
    const bodies = ['Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json', 'Microsoft.Web.sites.GetWebApp.json'].map((f) => JSON.stringify(JSON.parse(readFileSync(join(examples, f), 'utf8'))));
    writeFileSync(file, `${bodies.join('\n')}\n`);
    expect(rampart('ingest', '--tenant', 'woodgrove', '--file', file).status).toBe(0);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('exports with progress and a summary, and hands out the public key', () => {
    const exported = rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01', '--to', new Date().toISOString(), '--out', firstDir());
    expect(exported.stderr).toMatch(/exporting: \d+ events read, \d+ exported/);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/^export [0-9a-f-]{36} of woodgrove, \[2020-01-01T00:00:00\.000Z, [^)]+\): [5-9] events \(\d+ read\) in [\d.]+ s\n/);
    expect(exported.stdout).toMatch(/chain\s+the tenant's first export/);
    expect(exported.stdout).toMatch(/events\.ndjson\s+\d+ bytes\s+[0-9a-f]{64}/);
    // the key generated for it stays private to the data folder's owner
    expect(statSync(join(env['RAMPART_DATA_DIR'], 'audit', 'signing-key.pem')).mode & 0o077).toBe(0);

    const key = rampart('audit', 'public-key');
    expect(key.status).toBe(0);
    expect(key.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(key.stderr).toMatch(/key id \(SHA-256 of the SPKI DER\): [0-9a-f]{64}/);
    writeFileSync(pem(), key.stdout);
  });

  it('verifies the export offline with the public key (exit 0)', () => {
    const ok = rampart('audit', 'verify', firstDir(), '--public-key', pem());
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^OK: .* is intact\n/);
    expect(ok.stdout).toMatch(/events\s+[5-9] in \d+ streams, global positions \d+\/\d+ to \d+\/\d+/);
  });

  it('exits 1 and says what changed when a byte of the export was changed', () => {
    const tampered = join(work, 'tampered');
    rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01', '--to', new Date().toISOString(), '--out', tampered);
    const csv = join(tampered, 'events.csv');
    writeFileSync(csv, readFileSync(csv, 'utf8').replace('woodgrove', 'woodgrovf'));
    const failed = rampart('audit', 'verify', tampered, '--public-key', pem());
    expect(failed.status).toBe(1);
    expect(failed.stdout).toMatch(/^FAILED: .* does not verify \(1 problem\):\n {2}- events\.csv: SHA-256 is [0-9a-f]{64}, the manifest lists [0-9a-f]{64}: the content was changed \(same size: bytes were altered in place\)\n$/);
  });

  it('chains the next export to the previous one, and checks the chain when given', () => {
    const second = join(work, 'second');
    const exported = rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01', '--to', new Date().toISOString(), '--out', second);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toMatch(/chain\s+follows manifest [0-9a-f]{64}/);
    // the previous exports are events of the tenant's trail, so they are in this one
    expect(readFileSync(join(second, 'events.ndjson'), 'utf8')).toContain('"type":"audit.AuditExported.v1"');
    const chained = rampart('audit', 'verify', second, '--public-key', pem(), '--previous', join(work, 'tampered', 'manifest.json'));
    expect(chained.status).toBe(0);
    expect(chained.stdout).toMatch(/chain\s+follows the previous manifest given/);
    const wrong = rampart('audit', 'verify', second, '--public-key', pem(), '--previous', join(firstDir(), 'manifest.json'));
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/- manifest\.json follows the manifest with SHA-256 [0-9a-f]{64}, but the previous manifest given has SHA-256 [0-9a-f]{64}/);
  });

  it('exits 2 on usage errors', () => {
    const missing = rampart('audit', 'verify', join(work, 'nowhere'), '--public-key', pem());
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nowhere is not a folder/);
    expect(rampart('audit', 'verify').status).toBe(2);
    const badKey = rampart('audit', 'verify', firstDir(), '--public-key', join(firstDir(), 'events.csv'));
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toMatch(/events\.csv is not an Ed25519 public key/);
    const future = rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01', '--to', '2999-01-01', '--out', join(work, 'future'));
    expect(future.status).toBe(1);
    expect(future.stderr).toMatch(/is in the future/);
    const zoneless = rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01T00:00', '--to', '2021-01-01', '--out', join(work, 'zoneless'));
    expect(zoneless.stderr).toMatch(/a date-time with its zone/);
  });
});
