// `rampart policy test` as a user runs it: real files, real process, exit codes that scripts gate on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'bin', 'rampart.js');
const corpus = join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in');
const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');
const TLS_POLICY = join(corpus, 'Storage', 'StorageAccountMinimumTLSVersion_Audit.json');
const WEBAPP_AUTH_POLICY = join(corpus, 'App Service', 'Authentication_WebApp_Audit.json');
const WEB_APP = join(examples, 'Microsoft.Web.sites.GetWebApp.json');

describe('rampart policy test', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-policy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const policyTest = (...args: string[]) =>
    spawnSync(process.execPath, [bin, 'policy', 'test', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  const storage = (minimumTlsVersion?: string) =>
    file(`storage-${minimumTlsVersion}.json`, { type: 'Microsoft.Storage/storageAccounts', properties: minimumTlsVersion ? { minimumTlsVersion } : {} });

  it('exits 1 for a non-compliant bare resource body and says which condition decided', () => {
    const run = policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^NON-COMPLIANT — effect Audit/);
    expect(run.stdout).toMatch(/minimumTlsVersion/);
    expect(run.stdout).toMatch(/TLS1_0/);
  });

  it('exits 0 when compliant, 3 when the rule does not select the resource', () => {
    expect(policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_2')).status).toBe(0);
    const other = policyTest('--policy', TLS_POLICY, '--resource', WEB_APP);
    expect(other.status).toBe(3);
    expect(other.stdout).toMatch(/^NOT APPLICABLE/);
  });

  it('takes parameter values, in either form, and exits 2 when the effect is Disabled', () => {
    const strict = file('tls11.json', { minimumTlsVersion: 'TLS1_1', effect: 'Deny' });
    const run = policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_1'), '--params', strict);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/effect Deny/);
    const disabled = file('disabled.json', { effect: { value: 'Disabled' } });
    const off = policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'), '--params', disabled);
    expect(off.status).toBe(2);
    expect(off.stdout).toMatch(/NOT EVALUATED/);
    const invalid = file('invalid.json', { minimumTlsVersion: 'TLS9' });
    expect(policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'), '--params', invalid).status).toBe(2);
  });

  it('looks for the related resources given, and finds none when none are given', () => {
    expect(policyTest('--policy', WEBAPP_AUTH_POLICY, '--resource', WEB_APP).status).toBe(1);
    const config = file('web-config.json', [{ type: 'Microsoft.Web/sites/config', name: 'web', properties: { siteAuthEnabled: true } }]);
    const run = policyTest('--policy', WEBAPP_AUTH_POLICY, '--resource', WEB_APP, '--related', config, '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0, verdict: { state: 'compliant', effect: 'AuditIfNotExists' } });
  });

  it('exits 2 with the reason for a definition it refuses, and for input that is not a resource', () => {
    const refused = policyTest('--policy', join(corpus, 'Key Vault', 'Secrets_ExpirationSet.json'), '--resource', storage('TLS1_2'));
    expect(refused.status).toBe(2);
    expect(refused.stdout).toMatch(/refused \(unsupported-mode/);
    const broken = policyTest('--policy', TLS_POLICY, '--resource', file('broken.json', '{ "type": '));
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/is not JSON/);
    const untyped = policyTest('--policy', TLS_POLICY, '--resource', file('untyped.json', { properties: {} }));
    expect(untyped.status).toBe(2);
    expect(untyped.stderr).toMatch(/needs a "type"/);
  });
});
