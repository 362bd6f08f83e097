// The standalone verifier as an auditor runs it: built into one file, copied alone into a folder
// outside the checkout, run by Node.js with nothing installed beside it. It is held to every
// tampering case the library's verifier is held to (@rampart/audit/testing), and must give the
// same result as `rampart audit verify`'s code on the same folder: same problems, same words.
import { execFile, spawnSync } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { publicKeyPem, type VerifyResult } from '@rampart/audit';
import { describeExportVerification, type ExportFiles, type VerifierOptions } from '@rampart/audit/testing';
import { verifyAuditExportDir } from './folder';
import { VERIFY_EXIT_CODES } from './report';

const root = join(__dirname, '..', '..', '..');
/** What tools/build/verifier.js makes (run as a release runs it: the build tool is no library of this project). */
const VERIFIER_FILE = 'rampart-audit-verify.js';
const VERIFIER_PACKAGE_NAME = '@rampart-platform/audit-verify';
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

let work: string;
let built: string;
/** The auditor's folder: the verifier alone, nowhere near the repository or its node_modules. */
let auditor: string;
let script: string;
/** Node itself and the system's tools, nothing of the repository. */
let env: Record<string, string>;
let exportsMade = 0;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const run = (args: readonly string[]): Promise<Run> =>
  new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { cwd: auditor, env, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });

const keyRing = (key: VerifierOptions['publicKey']): readonly KeyObject[] => (Array.isArray(key) ? key : [key]) as readonly KeyObject[];

/** An export as an auditor receives it: a folder of files, the public key and the previous manifest beside it. */
const writeExport = (files: ExportFiles, options: VerifierOptions) => {
  const dir = join(auditor, `case-${++exportsMade}`);
  const folder = join(dir, 'export');
  mkdirSync(folder, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(folder, name), bytes);
  // one key as a file; a key ring as a folder of them
  const ring = keyRing(options.publicKey);
  let key = join(dir, 'rampart-audit.pem');
  if (Array.isArray(options.publicKey)) {
    key = join(dir, 'keys');
    mkdirSync(key);
    ring.forEach((k, i) => writeFileSync(join(key, `key-${i}.pem`), publicKeyPem(k)));
  } else writeFileSync(key, publicKeyPem(ring[0]));
  let previous: string | undefined;
  if (options.previousManifest !== undefined) writeFileSync((previous = join(dir, 'previous-manifest.json')), options.previousManifest);
  return { folder, key, previous };
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rampart-verifier-'));
  built = join(work, 'built');
  const build = spawnSync(process.execPath, [join(root, 'tools', 'build', 'verifier.js'), '--out', built], { encoding: 'utf8', timeout: 120_000 });
  if (build.status !== 0) throw new Error(`the verifier did not build:\n${build.stderr}`);
  const file = join(built, VERIFIER_FILE);
  auditor = join(work, 'auditor');
  mkdirSync(auditor);
  script = join(auditor, VERIFIER_FILE);
  copyFileSync(file, script);
  env = { PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter), HOME: auditor };
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describeExportVerification('the standalone verifier, on every tampering case', async (files, options) => {
  const { folder, key, previous } = writeExport(files, options);
  const args = [folder, '--public-key', key, '--json'];
  if (previous) args.push('--previous', previous);
  if (options.maxProblemsPerFile !== undefined) args.push('--max-problems-per-file', String(options.maxProblemsPerFile));
  const { code, stdout, stderr } = await run(args);
  expect({ code, stderr }).toEqual({ code: expect.any(Number), stderr: '' });
  const result = JSON.parse(stdout) as VerifyResult;
  expect(code).toBe(result.ok ? VERIFY_EXIT_CODES.ok : VERIFY_EXIT_CODES.problems);
  // … and exactly what `rampart audit verify` finds in the same folder
  const ring = keyRing(options.publicKey).map((k) => publicKeyPem(k));
  const keys = Array.isArray(options.publicKey) ? ring : ring[0];
  const builtIn = await verifyAuditExportDir(folder, keys, { previousManifestPath: previous, maxProblemsPerFile: options.maxProblemsPerFile });
  expect(result).toEqual(JSON.parse(JSON.stringify(builtIn)));
  return result;
});

describe('the standalone verifier as a program', () => {
  /** A real export: the suite's cases are built the same way; any verified folder will do here. */
  let intact: { folder: string; key: string };
  beforeAll(async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { EXPORT_FILES, MANIFEST_FORMAT, serializeManifest, sha256Hex, signManifest, signatureFileOf } = await import('@rampart/audit');
    const keys = generateKeyPairSync('ed25519');
    const files: ExportFiles = new Map(EXPORT_FILES.map((name) => [name, Buffer.from(name.endsWith('.json') ? '{}' : '')]));
    const manifest = signManifest(
      {
        format: MANIFEST_FORMAT,
        exportId: 'export-quiet',
        tenantId: 'contoso-bank',
        from: '2026-01-01T00:00:00.000Z',
        to: '2026-02-01T00:00:00.000Z',
        generatedAt: '2026-02-01T00:10:00.000Z',
        files: EXPORT_FILES.map((name) => ({ name, bytes: files.get(name)!.length, sha256: sha256Hex(files.get(name)!) })),
        eventCount: 0,
        firstPosition: null,
        lastPosition: null,
        previousManifestSha256: null,
      },
      keys.privateKey,
    );
    files.set('manifest.json', Buffer.from(serializeManifest(manifest)));
    files.set('manifest.json.sig', signatureFileOf(manifest));
    intact = writeExport(files, { publicKey: keys.publicKey });
  });

  it('is one file that needs nothing but Node.js built-ins', () => {
    const source = readFileSync(script, 'utf8');
    const required = [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !name.startsWith('node:'))).toEqual([]);
    expect(source).not.toMatch(/\bimport\(/);
    expect(readdirSync(auditor).filter((name) => name.endsWith('.js'))).toEqual([VERIFIER_FILE]);
  });

  it('says the export is intact in words, with exit code 0', async () => {
    const { code, stdout, stderr } = await run([intact.folder, '--public-key', intact.key]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^OK: .*export is intact\n {2}export {3}export-quiet of tenant contoso-bank, /);
    expect(stdout).toMatch(/\n {2}signed {3}Ed25519 by key [0-9a-f]{64}\n {2}chain {4}the tenant's first export\n$/);
  });

  it('lists every problem of a tampered export, with exit code 1', async () => {
    writeFileSync(join(intact.folder, 'events.csv'), 'eventId,type\r\n');
    try {
      const { code, stdout } = await run([intact.folder, '--public-key', intact.key]);
      expect(code).toBe(VERIFY_EXIT_CODES.problems);
      expect(stdout).toMatch(/^FAILED: .* does not verify \(2 problems\):\n {2}- events\.csv: 14 bytes, the manifest lists 0 \(14 bytes were added\)\n {2}- events\.csv: SHA-256 is [0-9a-f]{64}, the manifest lists [0-9a-f]{64}: the content was changed\n$/);
    } finally {
      writeFileSync(join(intact.folder, 'events.csv'), '');
    }
  });

  it.each([
    ['no public key', () => [intact.folder], /--public-key <pem-file> is required/],
    ['no folder', () => ['--public-key', intact.key], /expected one export folder, got 0/],
    ['a folder that is not there', () => [join(auditor, 'nowhere'), '--public-key', intact.key], /nowhere is not a folder/],
    ['a key file that is not there', () => [intact.folder, '--public-key', join(auditor, 'missing.pem')], /cannot read the public key .*missing\.pem: ENOENT/],
    ['a key that is not a public key', () => [intact.folder, '--public-key', join(intact.folder, 'manifest.json')], /is not an Ed25519 public key \(PEM\)/],
    ['a previous manifest that is not there', () => [intact.folder, '--public-key', intact.key, '--previous', join(auditor, 'gone.json')], /cannot read the previous manifest .*gone\.json: ENOENT/],
    ['an unknown option', () => [intact.folder, '--public-key', intact.key, '--trust-me'], /Unknown option '--trust-me'/],
  ])('refuses %s as a usage error (exit code 2), checking nothing', async (_case, args, message) => {
    const { code, stdout, stderr } = await run(args());
    expect(code).toBe(VERIFY_EXIT_CODES.usage);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^rampart-audit-verify: /);
    expect(stderr).toMatch(message);
  });

  it('prints its help and its version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: rampart-audit-verify <export-folder> --public-key <pem-file|folder>');
    expect(help.stdout).toContain('Exit codes: 0 the export is intact, 1 problems found');
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('comes with its SHA-256 in sha256sum format, and as an npm package with no dependencies', () => {
    const check = spawnSync('sha256sum', ['-c', `${VERIFIER_FILE}.sha256`], { cwd: built, encoding: 'utf8' });
    expect({ status: check.status, stdout: check.stdout }).toEqual({ status: 0, stdout: `${VERIFIER_FILE}: OK\n` });
    const pkg = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: VERIFIER_PACKAGE_NAME, version, bin: { 'rampart-audit-verify': VERIFIER_FILE }, files: [VERIFIER_FILE] });
    expect(pkg['dependencies']).toBeUndefined();
  });

  it('installs with npm install -g from its packed tarball, offline, and runs from the PATH', async () => {
    const packed = spawnSync('npm', ['pack', built, '--pack-destination', work, '--silent'], { cwd: work, encoding: 'utf8', timeout: 60_000 });
    expect(packed.status).toBe(0);
    const tarball = join(work, packed.stdout.trim().split('\n').at(-1)!);
    const prefix = join(work, 'prefix');
    const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--no-update-notifier', tarball], {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ status: install.status, stderr: install.status === 0 ? '' : install.stderr }).toEqual({ status: 0, stderr: '' });
    const installed = spawnSync('rampart-audit-verify', [intact.folder, '--public-key', intact.key], {
      cwd: auditor,
      env: { ...env, PATH: [join(prefix, 'bin'), env['PATH']].join(delimiter) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: installed.status, stdout: installed.stdout.split('\n')[0] }).toEqual({ status: 0, stdout: expect.stringMatching(/^OK: /) });
  }, 180_000);
});
