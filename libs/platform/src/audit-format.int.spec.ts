// docs/audit-format.md's recipe, run word for word against real exports: an auditor who trusts none
// of Rampart's software checks an export with openssl, sha256sum and awk. Each step must pass on an
// untouched export and fail on exactly the tampering it exists to catch.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf, MANIFEST_FORMAT, MANIFEST_FORMAT_V1, publicKeyPem, serializeManifest, signManifest, type AuditManifest } from '@rampart/audit';
import { exportAuditTrail } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { handleCommand } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { auditExportPorts } from './audit-catalog';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'audit-format.md');
const TENANT = 'contoso-bank';
const keys = generateKeyPairSync('ed25519');

/** The ```sh block that follows `<!-- recipe: <name> -->` in the doc. */
const recipe = (name: string): string => {
  const found = new RegExp(`<!-- recipe: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\`\\n`).exec(readFileSync(DOC, 'utf8'));
  if (!found) throw new Error(`docs/audit-format.md has no sh block marked <!-- recipe: ${name} -->`);
  return found[1];
};

const available = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
/** `pkeyutl -rawin` (Ed25519 over a file) came with OpenSSL 3.0. */
const openssl3 = () => /^OpenSSL ([3-9]|\d{2,})\./.test(spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout ?? '');
const missing = [...['openssl', 'sha256sum', 'awk'].filter((c) => !available(c)), ...(available('openssl') && !openssl3() ? ['OpenSSL 3 (openssl is older)'] : [])];
if (missing.length) console.warn(`docs/audit-format.md's recipe is not run: ${missing.join(', ')} missing on this machine`);
const withTools = missing.length ? describe.skip : describe;
const withJq = available('jq') ? it : it.skip;

withTools('the standard-tools recipe of docs/audit-format.md', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let work: string;

  /** Runs a step of the recipe as an auditor's shell would, in the export folder. */
  const step = (name: string, cwd: string) => {
    const run = spawnSync('sh', ['-e', '-c', recipe(name)], { cwd, encoding: 'utf8', timeout: 30_000 });
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  };
  /** A fresh copy of the auditor's folder (key, previous export, export) to tamper with. */
  const auditorFolder = () => {
    const dir = mkdtempSync(join(work, 'auditor-'));
    for (const name of ['rampart-audit.pem', '2026-q1', '2026-q2']) cpSync(join(work, 'exports', name), join(dir, name), { recursive: true });
    return { q1: join(dir, '2026-q1'), q2: join(dir, '2026-q2') };
  };
  const flipByte = (file: string) => {
    const content = readFileSync(file);
    content[Math.floor(content.length / 2)] ^= 0x01;
    writeFileSync(file, content);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rampart-audit-recipe-'));
    db = await pgliteTestDatabase('audit_recipe');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    const ctx = () => ({ tenantId: TENANT, actor: { kind: 'user' as const, id: 'ana@soc.example' }, correlationId: 'c', now: new Date() });
    const start = new Date(Date.now() - 1_000);
    await handleCommand(store, tenantDecider, tenantStreamId(TENANT), { kind: 'OnboardTenant', tenantId: TENANT, displayName: 'Contoso Bank', sector: 'finance', contactEmail: 'soc@contoso-bank.example' }, ctx());
    await handleCommand(store, tenantDecider, tenantStreamId(TENANT), { kind: 'AssignSocTeam', tenantId: TENANT, socTeam: 'team-1' }, ctx());
    const exportTo = (name: string, from: Date, to: Date) =>
      exportAuditTrail({ eventStore: store }, { ...auditExportPorts({ eventStore: store }), tenantId: TENANT, from, to, outDir: join(work, 'exports', name), signingKey: keys.privateKey, actor: { kind: 'user', id: 'auditor-liaison@soc.example' }, settleMs: 0 });
    const middle = new Date();
    await exportTo('2026-q1', start, middle);
    await new Promise((r) => setTimeout(r, 5));
    // its period holds the first export's own AuditExported event
    await exportTo('2026-q2', middle, new Date());
    writeFileSync(join(work, 'exports', 'rampart-audit.pem'), publicKeyPem(keys.publicKey));
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('verifies untouched exports at every step, as `rampart audit verify` does', async () => {
    const { q1, q2 } = auditorFolder();
    expect(readdirSync(q2).sort()).toEqual(['events.csv', 'events.ndjson', 'manifest.json', 'manifest.json.sig', 'ocsf.ndjson', 'oscal-assessment-results.json']);
    expect(JSON.parse(readFileSync(join(q2, 'manifest.json'), 'utf8')).format).toBe(MANIFEST_FORMAT);

    const keyId = step('key-id', q2);
    expect(keyId).toEqual({ status: 0, out: `${keyIdOf(keys.publicKey)}  -\n    "keyId": "${keyIdOf(keys.publicKey)}"\n` });
    for (const dir of [q1, q2]) {
      expect(step('signature', dir)).toEqual({ status: 0, out: 'Signature Verified Successfully\n' });
      const files = step('files', dir);
      expect(files.out).toBe('events.ndjson: OK\nevents.csv: OK\noscal-assessment-results.json: OK\nocsf.ndjson: OK\n');
      expect(files.status).toBe(0);
      const events = step('events', dir);
      expect(events.out).toMatch(/^events\.ndjson: [1-9]\d* events, as the manifest says\n$/);
      expect(events.status).toBe(0);
    }
    const chain = step('chain', q2);
    expect(chain.out).toMatch(/^chain: follows \.\.\/2026-q1\/manifest\.json \([0-9a-f]{64}\)\n$/);
    expect(chain.status).toBe(0);

    expect((await verifyAuditExportDir(q2, publicKeyPem(keys.publicKey), { previousManifestPath: join(q1, 'manifest.json') })).problems).toEqual([]);
  });

  it('verifies with the standalone verifier as the doc says, and fails it on a changed byte', async () => {
    const { q2 } = auditorFolder();
    const auditor = join(q2, '..');
    // Built as a release builds it (run, not imported: the build tool is no library of this project).
    const built = join(work, `verifier-${Date.now()}`);
    const build = spawnSync(process.execPath, [join(__dirname, '..', '..', '..', 'tools', 'build', 'verifier.js'), '--out', built], { encoding: 'utf8', timeout: 120_000 });
    expect({ status: build.status, stderr: build.status === 0 ? '' : build.stderr }).toEqual({ status: 0, stderr: '' });
    for (const name of ['rampart-audit-verify.js', 'rampart-audit-verify.js.sha256']) cpSync(join(built, name), join(auditor, name));
    const intact = step('standalone', auditor);
    expect(intact.out).toMatch(/^rampart-audit-verify\.js: OK\nOK: 2026-q2 is intact\n[\s\S]*\n {2}chain {4}follows the previous manifest given \([0-9a-f]{64}\)\n$/);
    expect(intact.status).toBe(0);

    flipByte(join(q2, 'events.ndjson'));
    const tampered = step('standalone', auditor);
    expect(tampered.out).toMatch(/^FAILED: 2026-q2 does not verify \(\d+ problems?\):\n {2}- events\.ndjson: SHA-256 is [0-9a-f]{64}, the manifest lists [0-9a-f]{64}: the content was changed/m);
    expect(tampered.status).toBe(1);
  });

  it('fails the sha256 step when one byte of a file changed, and only that step', () => {
    const { q2 } = auditorFolder();
    flipByte(join(q2, 'events.csv'));
    const files = step('files', q2);
    expect(files.status).not.toBe(0);
    expect(files.out).toContain('events.csv: FAILED');
    expect(files.out).toContain('events.ndjson: OK');
    expect(step('signature', q2).status).toBe(0);
  });

  it('fails the openssl step when the manifest changed, or its signature is another', () => {
    const { q1, q2 } = auditorFolder();
    const manifest = join(q2, 'manifest.json');
    const text = readFileSync(manifest, 'utf8');
    // a digest made to match a changed file: the manifest no longer is what was signed
    const csv = (JSON.parse(text) as AuditManifest).files.find((f) => f.name === 'events.csv')!.sha256;
    writeFileSync(manifest, text.replace(csv, csv.replace(/^./, (c) => (c === '0' ? '1' : '0'))));
    const changed = step('signature', q2);
    expect(changed.status).not.toBe(0);
    expect(changed.out).toContain('Signature Verification Failure');

    writeFileSync(manifest, text.replace(/\n/g, '\r\n')); // same content, other bytes
    expect(step('signature', q2).status).not.toBe(0);

    writeFileSync(manifest, text);
    writeFileSync(join(q2, 'manifest.json.sig'), readFileSync(join(q1, 'manifest.json.sig')));
    expect(step('signature', q2).status).not.toBe(0);
  });

  it('fails the chain step against the wrong previous manifest', () => {
    const { q1, q2 } = auditorFolder();
    const previous = join(q1, 'manifest.json');
    const genuine = readFileSync(previous);
    writeFileSync(previous, readFileSync(join(q2, 'manifest.json')));
    const other = step('chain', q2);
    expect(other.out).toMatch(/^chain: BROKEN: manifest\.json follows [0-9a-f]{64}, \.\.\/2026-q1\/manifest\.json has SHA-256 [0-9a-f]{64}\n$/);
    expect(other.status).not.toBe(0);

    writeFileSync(previous, Buffer.concat([genuine, Buffer.from(' ')]));
    expect(step('chain', q2).status).not.toBe(0);
    // the first export follows nothing
    expect(step('chain', q1).out).toMatch(/follows nothing \(the tenant's first export\)/);
  });

  withJq('checks an export of format 1 with its own signature step, and the same file steps', async () => {
    const { q1 } = auditorFolder();
    // what exports made before format 2 look like: the same files, the signature inside the manifest
    const current = JSON.parse(readFileSync(join(q1, 'manifest.json'), 'utf8')) as AuditManifest;
    const v1 = signManifest({ ...current, format: MANIFEST_FORMAT_V1 }, keys.privateKey);
    writeFileSync(join(q1, 'manifest.json'), serializeManifest(v1));
    unlinkSync(join(q1, 'manifest.json.sig'));
    expect((await verifyAuditExportDir(q1, publicKeyPem(keys.publicKey))).problems).toEqual([]);

    expect(step('signature-v1', q1)).toEqual({ status: 0, out: 'Signature Verified Successfully\n' });
    expect(step('files', q1).status).toBe(0);
    expect(step('events', q1).status).toBe(0);

    writeFileSync(join(q1, 'manifest.json'), serializeManifest({ ...v1, generatedAt: new Date(Date.parse(v1.generatedAt) + 1).toISOString() }));
    const changed = step('signature-v1', q1);
    expect(changed.status).not.toBe(0);
    expect(changed.out).toContain('Signature Verification Failure');
  });
});

// Where the tools are missing the recipe is not run, but its steps must still be found.
describe('docs/audit-format.md', () => {
  it('marks every step the test runs', () => {
    for (const name of ['key-id', 'signature', 'files', 'events', 'chain', 'signature-v1', 'standalone']) expect(recipe(name).length).toBeGreaterThan(0);
  });
});
