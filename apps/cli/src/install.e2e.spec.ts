// The CLI as an auditor or a policy author installs it: `npm pack` of the build, `npm install -g`
// into a fresh prefix, then `rampart` from that prefix's PATH in a folder outside any checkout. The
// registry npm installs from is a local one serving the packed tarball and, from the npm cache
// `npm ci` filled, the dependencies its lock names: no network, the same install path as a user's.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ensureBuilt, root } from './testing/cli';
import { startLocalRegistry } from './testing/local-registry';

const dist = join(root, 'dist', 'cli');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

describe('the installable CLI (@rampart-platform/cli)', () => {
  let work: string;
  let prefix: string;
  let cwd: string;
  /** Only the prefix's bin and Node itself: nothing of the repository is on the PATH. */
  let env: Record<string, string>;
  const rampart = (...args: string[]) => spawnSync('rampart', args, { cwd, env, encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'rampart-install-'));
    const packed = spawnSync('npm', ['pack', dist, '--pack-destination', work, '--silent'], { cwd: work, encoding: 'utf8' });
    expect(packed.status).toBe(0);
    const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')) ?? '');
    const npmCacheDir = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
    const registry = await startLocalRegistry({
      tarball,
      packageJson: JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')),
      shrinkwrap: JSON.parse(readFileSync(join(dist, 'npm-shrinkwrap.json'), 'utf8')),
      npmCacheDir,
    });
    prefix = join(work, 'prefix');
    try {
      const install = await new Promise<{ status: number | null; output: string }>((resolve) => {
        // asynchronous: the registry answers from this process while npm runs
        const child = spawn(
          'npm',
          ['install', '-g', '--prefix', prefix, '--registry', registry.url, '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--no-update-notifier', `@rampart-platform/cli@${version}`],
          { cwd: work },
        );
        let output = '';
        child.stdout.on('data', (c) => (output += String(c)));
        child.stderr.on('data', (c) => (output += String(c)));
        child.on('exit', (status) => resolve({ status, output }));
      });
      expect({ status: install.status, misses: registry.misses, output: install.status === 0 ? '' : install.output }).toEqual({ status: 0, misses: [], output: '' });
    } finally {
      await registry.close();
    }
    cwd = join(work, 'elsewhere');
    mkdirSync(cwd);
    env = { PATH: [join(prefix, 'bin'), dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), HOME: work, RAMPART_DATA_DIR: join(cwd, 'data'), RAMPART_LOG_LEVEL: 'silent' };
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('puts `rampart` on the PATH of the prefix, and it answers --version', () => {
    const which = spawnSync('sh', ['-c', 'command -v rampart'], { env, encoding: 'utf8' });
    expect(which.stdout.trim()).toBe(join(prefix, 'bin', 'rampart'));
    const run = rampart('--version');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(version);
  });

  it('tests a policy offline, one resource and a batch', () => {
    const policy = join(cwd, 'tls.json');
    copyFileSync(join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'Storage', 'StorageAccountMinimumTLSVersion_Audit.json'), policy);
    const resources = join(cwd, 'storage.json');
    writeFileSync(resources, JSON.stringify([
      { name: 'st-old', type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_0' } },
      { name: 'st-new', type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_2' } },
    ]));
    const batch = rampart('policy', 'test', '--policy', policy, '--resource', resources);
    expect(batch.stderr).toBe('');
    expect(batch.status).toBe(1);
    expect(batch.stdout).toMatch(/st-old\s+NON-COMPLIANT/);
    expect(batch.stdout).toMatch(/1 non-compliant, 1 compliant/);
  });

  it("exports a tenant's audit trail and verifies it with the public key alone", () => {
    expect(rampart('tenants', 'onboard', 'woodgrove', '--name', 'Woodgrove', '--sector', 'finance', '--contact', 'soc@woodgrove.example').status).toBe(0);
    const exportDir = join(cwd, 'woodgrove-export');
    const exported = rampart('audit', 'export', '--tenant', 'woodgrove', '--from', '2020-01-01', '--to', new Date().toISOString(), '--out', exportDir);
    expect(exported.status).toBe(0);
    const key = rampart('audit', 'public-key');
    expect(key.status).toBe(0);
    writeFileSync(join(cwd, 'rampart-audit.pem'), key.stdout);
    const verified = rampart('audit', 'verify', exportDir, '--public-key', join(cwd, 'rampart-audit.pem'));
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/^OK: .* is intact\n/);
    // a changed byte is found by the installed command too
    const ndjson = join(exportDir, 'events.ndjson');
    writeFileSync(ndjson, readFileSync(ndjson, 'utf8').replace('Woodgrove', 'Woodgrovf'));
    expect(rampart('audit', 'verify', exportDir, '--public-key', join(cwd, 'rampart-audit.pem')).status).toBe(1);
  });
});
