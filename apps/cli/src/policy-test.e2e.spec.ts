// `rampart policy test` as a user runs it: real files, real process, exit codes that scripts gate on.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const REFUSED_POLICY = join(corpus, 'Key Vault', 'Secrets_ExpirationSet.json');
const SUBNET_WITHOUT_NSG_POLICY = join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'alz', 'policyDefinitions', 'Deny-Subnet-Without-Nsg.json');
/** A child resource's ARM GET body: no `type` field, only its id says what it is. */
const SUBNET = join(examples, 'Microsoft.Network.virtualNetworks-subnets.SubnetGet.json');

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

  it('reads the type of a child resource from its id when the ARM body has none', () => {
    const run = policyTest('--policy', SUBNET_WITHOUT_NSG_POLICY, '--resource', SUBNET);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^NON-COMPLIANT — effect Deny/);
    expect(run.stdout).toMatch(/networkSecurityGroup\.id is missing/);
  });

  describe('in a batch: a folder of definitions against many resources, in one run', () => {
    let policies: string;
    let resources: string;
    beforeAll(() => {
      policies = join(dir, 'policies');
      mkdirSync(join(policies, 'web'), { recursive: true });
      copyFileSync(TLS_POLICY, join(policies, 'tls.json'));
      copyFileSync(WEBAPP_AUTH_POLICY, join(policies, 'web', 'auth.json'));
      resources = file('resources.json', [
        { name: 'st-old', type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_0' } },
        { name: 'st-new', type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_2' } },
        JSON.parse(readFileSync(WEB_APP, 'utf8')),
      ]);
    });

    it('prints a row per result that applies and a summary, and exits 1 when a resource is non-compliant', () => {
      const run = policyTest('--policy', policies, '--resource', resources);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      const rows = run.stdout.split('\n');
      expect(rows[0]).toMatch(/^definition\s+resource\s+result\s+effect\s+why$/);
      expect(rows).toContainEqual(expect.stringMatching(/^tls\s+st-old\s+NON-COMPLIANT\s+Audit\s+.*TLS1_0/));
      expect(rows).toContainEqual(expect.stringMatching(/^tls\s+st-new\s+compliant\s+Audit/));
      expect(rows).toContainEqual(expect.stringMatching(/^web\/auth\s+sitef6141\s+NON-COMPLIANT\s+AuditIfNotExists/));
      // the web app is not a storage account, nor the accounts web apps: counted, not listed
      expect(rows.slice(1, rows.indexOf(''))).toHaveLength(3);
      expect(run.stdout).toMatch(/^2 definitions \(0 refused\) × 3 resources: 6 evaluations — 2 non-compliant, 1 compliant, 0 errors, 3 not applicable \(not listed\)$/m);
    });

    it('lists the definitions it refuses and exits 2; --json gives every result and the summary', () => {
      copyFileSync(REFUSED_POLICY, join(policies, 'secrets.json'));
      try {
        const run = policyTest('--policy', policies, '--resource', resources);
        expect(run.status).toBe(2);
        expect(run.stdout).toMatch(/^secrets\s+unsupported-mode at mode: /m);
        const json = JSON.parse(policyTest('--policy', policies, '--resource', resources, '--json').stdout);
        expect(json).toMatchObject({
          exitCode: 2,
          summary: { definitions: 3, refused: 1, resources: 3, evaluations: 6, nonCompliant: 2, compliant: 1, error: 0, notApplicable: 3 },
          refused: [{ definition: 'secrets', refusal: { reason: 'unsupported-mode' } }],
        });
        expect(json.results).toHaveLength(6);
        expect(json.results[0]).toMatchObject({ definition: 'tls', resource: 'st-old', exitCode: 1, verdict: { state: 'nonCompliant' } });
      } finally {
        rmSync(join(policies, 'secrets.json'));
      }
    });

    it('gives each definition the parameters it declares, and refuses a value that none declares', () => {
      const lenient = policyTest('--policy', policies, '--resource', resources, '--params', file('tls10.json', { minimumTlsVersion: 'TLS1_0' }));
      expect(lenient.status).toBe(1);
      expect(lenient.stdout).toMatch(/^tls\s+st-old\s+compliant/m);
      expect(lenient.stdout).toMatch(/^web\/auth\s+sitef6141\s+NON-COMPLIANT/m);
      const typo = policyTest('--policy', policies, '--resource', resources, '--params', file('typo.json', { minimumTlsVersoin: 'TLS1_0' }));
      expect(typo.status).toBe(2);
      expect(typo.stderr).toMatch(/no definition given declares the parameter "minimumTlsVersoin"/);
    });

    it("reads an ARM list's value and `az graph query`'s data, and a folder of resources", () => {
      const bodies = JSON.parse(readFileSync(resources, 'utf8')) as unknown[];
      const list = policyTest('--policy', TLS_POLICY, '--resource', file('list.json', { value: bodies }));
      expect(list.status).toBe(1);
      expect(list.stdout).toMatch(/1 definition \(0 refused\) × 3 resources/);
      const graph = policyTest('--policy', TLS_POLICY, '--resource', file('graph.json', { count: 3, data: bodies, skip_token: null }));
      expect(graph.stdout).toMatch(/1 definition \(0 refused\) × 3 resources/);
      const folder = join(dir, 'examples');
      mkdirSync(folder);
      copyFileSync(WEB_APP, join(folder, 'web-app.json'));
      writeFileSync(join(folder, 'storage.json'), JSON.stringify(bodies[0]));
      const run = policyTest('--policy', TLS_POLICY, '--resource', folder);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(/^StorageAccountMinimumTLSVersion_Audit\s+storage\s+NON-COMPLIANT/m);
      expect(run.stdout).toMatch(/1 definition \(0 refused\) × 2 resources: 2 evaluations — 1 non-compliant, 0 compliant, 0 errors, 1 not applicable/);
    });
  });
});
