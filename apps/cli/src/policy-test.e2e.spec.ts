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
const SQL_AUDITING_POLICY = join(corpus, 'SQL', 'SqlServerAuditing_Audit.json');
const WEB_APP = join(examples, 'Microsoft.Web.sites.GetWebApp.json');
const WEB_APP_ID = '/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141';
const SERVERS = '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-sql/providers/Microsoft.Sql/servers';

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

  it('takes parameter values, in either form; with the effect Disabled it is compliant by default and says nothing was checked', () => {
    const strict = file('tls11.json', { minimumTlsVersion: 'TLS1_1', effect: 'Deny' });
    const run = policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_1'), '--params', strict);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/effect Deny/);
    const disabled = file('disabled.json', { effect: { value: 'Disabled' } });
    const off = policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'), '--params', disabled);
    // As Azure reports a Disabled definition: compliant, though the TLS 1.0 account would fail the rule.
    expect(off.status).toBe(0);
    expect(off.stdout).toMatch(/^COMPLIANT BY DEFAULT, NOT EVALUATED \(effect Disabled\)/);
    expect(off.stdout).toMatch(/nothing was checked/);
    const json = JSON.parse(policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'), '--params', disabled, '--json').stdout);
    expect(json).toMatchObject({ exitCode: 0, verdict: { state: 'compliant', effect: 'Disabled', disabled: true, explanation: { reason: 'effect-disabled' } } });
    const invalid = file('invalid.json', { minimumTlsVersion: 'TLS9' });
    expect(policyTest('--policy', TLS_POLICY, '--resource', storage('TLS1_0'), '--params', invalid).status).toBe(2);
  });

  it('looks for the related resources given, and finds none when none are given', () => {
    expect(policyTest('--policy', WEBAPP_AUTH_POLICY, '--resource', WEB_APP).status).toBe(1);
    const config = file('web-config.json', [{ id: `${WEB_APP_ID}/config/web`, type: 'Microsoft.Web/sites/config', name: 'web', properties: { siteAuthEnabled: true } }]);
    const run = policyTest('--policy', WEBAPP_AUTH_POLICY, '--resource', WEB_APP, '--related', config, '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0, verdict: { state: 'compliant', effect: 'AuditIfNotExists' } });
  });

  it("does not take another SQL server's audit settings as proof that this one is audited", () => {
    const server = file('server.json', { id: `${SERVERS}/sql-prod`, name: 'sql-prod', type: 'Microsoft.Sql/servers', location: 'westeurope', kind: 'v12.0', properties: {} });
    const auditing = (serverName: string) => ({ id: `${SERVERS}/${serverName}/auditingSettings/default`, name: 'default', type: 'Microsoft.Sql/servers/auditingSettings', properties: { state: 'Enabled' } });
    const elsewhere = policyTest('--policy', SQL_AUDITING_POLICY, '--resource', server, '--related', file('other-auditing.json', auditing('sql-test')));
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.stdout).toMatch(/^NON-COMPLIANT — effect AuditIfNotExists/);
    expect(elsewhere.stdout).toMatch(/0 found; 1 elsewhere, not counted \(Azure looks under \/subscriptions\/.*\/servers\/sql-prod\)/);
    const own = policyTest('--policy', SQL_AUDITING_POLICY, '--resource', server, '--related', file('auditing.json', [auditing('sql-test'), auditing('sql-prod')]));
    expect(own.status).toBe(0);
    expect(own.stdout).toMatch(/^COMPLIANT — effect AuditIfNotExists/);
  });

  it('reads resourceGroup() from the resource group among the related resources, and says so when it is not given', () => {
    const inheritTag = join(corpus, 'Tags', 'InheritTag_Add_Modify.json');
    const params = file('tag-name.json', { tagName: 'costCenter' });
    const account = (tags: Record<string, string>) =>
      file(`account-${Object.keys(tags).length}.json`, {
        id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/RG-Finance/providers/Microsoft.Storage/storageAccounts/stfinance',
        type: 'Microsoft.Storage/storageAccounts',
        location: 'westeurope',
        tags,
        properties: {},
      });
    const group = file('group.json', {
      id: '/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-finance',
      name: 'rg-finance',
      type: 'Microsoft.Resources/resourceGroups',
      location: 'westeurope',
      tags: { costCenter: 'CC-42' },
      properties: { provisioningState: 'Succeeded' },
    });
    const missing = policyTest('--policy', inheritTag, '--resource', account({}), '--params', params);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toMatch(/resourceGroup\(\)\.tags/);
    const inherits = policyTest('--policy', inheritTag, '--resource', account({}), '--params', params, '--related', group);
    expect(inherits.status).toBe(1);
    expect(inherits.stdout).toMatch(/^NON-COMPLIANT — effect Modify/);
    expect(policyTest('--policy', inheritTag, '--resource', account({ costCenter: 'CC-42' }), '--params', params, '--related', group).status).toBe(0);
  });

  it('exits 2 for a related resource without an id: where it is cannot be told', () => {
    const config = file('web-config-no-id.json', [{ type: 'Microsoft.Web/sites/config', name: 'web', properties: { siteAuthEnabled: true } }]);
    const run = policyTest('--policy', WEBAPP_AUTH_POLICY, '--resource', WEB_APP, '--related', config);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/related resource .*web-config-no-id\.json\[0\] needs an "id"/);
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
