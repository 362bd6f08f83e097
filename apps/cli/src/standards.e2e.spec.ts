// `rampart baselines list|show|assign` and `rampart posture --standard` as a user runs them: a
// separate process, real arguments, the tables they print and their exit codes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const bin = join(root, 'tools', 'bin', 'rampart.js');
const examples = join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');

describe('standards on the command line', () => {
  let dataDir: string;
  const rampart = (...args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, RAMPART_LOG_LEVEL: 'silent', RAMPART_DATA_DIR: dataDir },
      timeout: 120_000,
    });

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rampart-cli-standards-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the standards with their controls and definitions, and shows one', () => {
    const list = rampart('baselines', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^baseline\s+title\s+guardrails\n/);
    expect(list.stdout).toMatch(/standard\s+title\s+controls\s+definitions\s+initiative\n/);
    expect(list.stdout).toMatch(/\nmcsb\s+Microsoft cloud security benchmark\s+85\s+223\s+1f3afdf9-d0c9-4c3d-847f-89da613e70a8\n/);
    expect(list.stdout).toMatch(/\ncis-azure-2\.0\.0\s+CIS Microsoft Azure Foundations Benchmark v2\.0\.0\s+85\s+108\s+06f19060-9e68-4070-92ca-f15cc126059e\n/);
    expect(list.stdout).toMatch(/\npci-dss-4\.0\.1\s+PCI DSS v4\.0\.1\s+85\s+204\s/);
    expect(list.stdout).toMatch(/guardrail\s+severity\s+title\s+controls/);
    const only = rampart('baselines', 'list', '--standards');
    expect(only.stdout.split('\n')[0]).toMatch(/^standard\s+title/);
    expect(only.stdout.trim().split('\n')).toHaveLength(72); // a header and 71 standards

    const show = rampart('baselines', 'show', 'cis-azure-2.0.0');
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/^cis-azure-2\.0\.0: CIS Microsoft Azure Foundations Benchmark v2\.0\.0 \(version [\d.]+, initiative 06f19060-9e68-4070-92ca-f15cc126059e\)\n85 controls, 108 definitions: \d+ evaluated, \d+ not evaluable, 0 manual, 2 data-plane; Rampart's metadata kept for \d+\. Compiled in \d+ ms\./);
    expect(show.stdout).toMatch(/\n3\.1\s+Storage accounts\s+1\s+0\s+0\s+Secure transfer to storage accounts should be enabled\n/);
    expect(rampart('baselines', 'show', 'nist-everything').stderr).toMatch(/no baseline or standard nist-everything/);
  });

  it('assigns a standard with an initiative parameter overridden, and shows its controls as a table now and as of an instant', () => {
    expect(rampart('tenants', 'onboard', 'bank-co', '--name', 'Bank Co', '--sector', 'finance', '--contact', 'sec@bank.example').status).toBe(0);
    const storage = JSON.parse(readFileSync(join(examples, 'Microsoft.Storage.storageAccounts.StorageAccountGetProperties.json'), 'utf8'));
    const file = join(dataDir, 'estate.ndjson');
    // plain HTTP allowed and TLS 1.0 accepted: CIS 3.1 and 3.15 fail
    writeFileSync(file, `${JSON.stringify({ ...storage, id: storage.id.replace('{subscription-id}', '00000000-0000-0000-0000-0000000000b1'), properties: { ...storage.properties, minimumTlsVersion: 'TLS1_0' } })}\n`);
    expect(rampart('ingest', '--tenant', 'bank-co', '--file', file).status).toBe(0);

    const unknownParameter = rampart('baselines', 'assign', '--tenant', 'bank-co', '--baseline', 'cis-azure-2.0.0', '--initiative-parameters', '{"effect-nope": "Disabled"}');
    expect(unknownParameter.status).toBe(1);
    expect(unknownParameter.stderr).toMatch(/cis-azure-2\.0\.0 has no parameter effect-nope/);
    const beforeAssignment = new Date().toISOString();
    const assigned = rampart('baselines', 'assign', '--tenant', 'bank-co', '--baseline', 'cis-azure-2.0.0', '--initiative-parameters', '{"effect-6fac406b-40ca-413b-bf8e-0bf964659c25": "Disabled"}');
    expect(assigned.stderr).toMatch(/checked against the standard in \d+ ms/);
    expect(assigned.stdout).toBe('assigned cis-azure-2.0.0 to bank-co (*) as cis-azure-2-0-0\n');
    expect(rampart('evaluate', '--tenant', 'bank-co').status).toBe(0);

    const now = rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0');
    expect(now.status).toBe(0);
    expect(now.stdout).toMatch(/^bank-co: CIS Microsoft Azure Foundations Benchmark v2\.0\.0 \(cis-azure-2\.0\.0\), now\n\d+ passed, \d+ failed, \d+ not evaluable, 0 attested, \d+ manual \(need an attestation\), \d+ not applicable; score [\d.]+% of assessable controls; 1 resources in scope \(cis-azure-2-0-0 \*\)\n/);
    expect(now.stdout).toMatch(/control\s+state\s+passed\s+failed\s+n\/a\s+not evaluable\s+title\n/);
    expect(now.stdout).toMatch(/\n3\.1\s+FAILED\s+0\s+1\s+0\s+0\s+Secure transfer to storage accounts should be enabled\n/);
    expect(now.stdout).toMatch(/\n3\.15\s+FAILED\s+0\s+1\s/);
    expect(now.stdout).toMatch(/\n3\.12\s+n\/a\s+0\s+0\s+1\s/); // customer-managed keys: turned off for this assignment
    expect(now.stdout).toMatch(/\n8\.1\s+manual\s/);

    const drill = rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--control', '3.1');
    expect(drill.stdout).toMatch(/failing resources\nresource\s+fails\s+why\n\/subscriptions\/00000000-0000-0000-0000-0000000000b1\/resourceGroups\/res9407\/providers\/Microsoft\.Storage\/storageAccounts\/sto8596\s+cis-azure-2\.0\.0:404c3081/);

    const then = rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--as-of', beforeAssignment);
    expect(then.stdout).toMatch(/as of .*\nnot assigned then/);
    const json = JSON.parse(rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--as-of', new Date(Date.now() + 1_000).toISOString(), '--json').stdout);
    expect(json.controls.find((c: { control: { id: string } }) => c.control.id === '3.1')).toMatchObject({ state: 'failed', resources: { failed: 1 } });

    expect(rampart('posture', '--tenant', 'bank-co', '--standard', 'nist-everything').stderr).toMatch(/no standard nist-everything/);
    expect(rampart('posture', '--tenant', 'bank-co').stderr).toMatch(/say --as-of <time>, or --standard <id>/);
  });

  it('attests a control no rule checks, with an evidence file kept by its digest, and shows it attested; a revocation ends it', () => {
    const minutes = join(dataDir, 'key-expiry-review.md');
    writeFileSync(minutes, '# Key expiry review, Q4\nEvery vault key carries an expiry date.\n');
    const digest = createHash('sha256').update(readFileSync(minutes)).digest('hex');
    const automated = rampart('attestations', 'record', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--control', '3.1', '--statement', 'Secure transfer is enforced by our landing zone.');
    expect(automated.status).toBe(1);
    expect(automated.stderr).toMatch(/control-is-automated/);
    const recorded = rampart('attestations', 'record', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--control', '8.1', '--id', 'cis-8-1', '--statement', 'Every key in our vaults carries an expiry date; the Q4 review is attached.', '--evidence', minutes, '--valid-days', '90');
    expect(recorded.stderr).toBe('');
    expect(recorded.stdout).toMatch(new RegExp(`^stored key-expiry-review\\.md: sha256 ${digest}, \\d+ bytes\\nrecorded attestation cis-8-1 of cis-azure-2\\.0\\.0 8\\.1 until `));
    const drill = rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--control', '8.1');
    expect(drill.stdout).toMatch(/\n8\.1\s+attested\s/);
    expect(drill.stdout).toContain(`evidence key-expiry-review.md, `);
    expect(drill.stdout).toContain(`sha256 ${digest}`);
    const copy = join(dataDir, 'copy.md');
    expect(rampart('attestations', 'evidence', digest, '--tenant', 'bank-co', '--out', copy).status).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe(readFileSync(minutes, 'utf8'));
    expect(rampart('attestations', 'revoke', 'cis-8-1', '--tenant', 'bank-co', '--reason', 'The review missed two vaults.').stdout).toMatch(/cis-8-1 revoked/);
    const list = rampart('attestations', 'list', '--tenant', 'bank-co');
    expect(list.stdout).toMatch(/\ncis-8-1\s+cis-azure-2\.0\.0\s+8\.1\s+revoked\s/);
  });

  it("says how to compare with Azure's own verdicts when the tenant has no cloud connection", () => {
    const none = rampart('agreement', '--tenant', 'bank-co');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/tenant bank-co has no cloud connection: Azure's own states are read through one/);
    expect(rampart('agreement', '--tenant', 'bank-co', '--kind', 'nope').stderr).toMatch(/--kind is differ, azureOnly, rampartOnly, agree or all/);
  });

  it('proves coverage: every resource evaluated within the interval now, none of them ten days on', () => {
    const now = rampart('coverage', '--tenant', 'bank-co');
    expect(now.stderr).toBe('');
    expect(now.stdout).toMatch(/^bank-co, now: coverage 100\.0%, 1 of 1 resources collected and evaluated within 168 h; oldest evidence \S+\n$/);
    expect(rampart('coverage', 'policy', '--tenant', 'bank-co', '--max-age-hours', '0').stderr).toMatch(/invalid-interval/);
    expect(rampart('coverage', 'policy', '--tenant', 'bank-co', '--max-age-hours', '72').stdout).toBe('bank-co: a resource not collected and evaluated within 72 h counts as not evaluated\n');
    const later = rampart('coverage', '--tenant', 'bank-co', '--as-of', new Date(Date.now() + 10 * 86_400_000).toISOString());
    expect(later.stdout).toMatch(/coverage 0\.0%, 0 of 1 resources collected and evaluated within 72 h; 1 not evaluated/);
    expect(later.stdout).toMatch(/\/storageAccounts\/sto8596\s+NOT EVALUATED\s/);
    const standard = rampart('posture', '--tenant', 'bank-co', '--standard', 'cis-azure-2.0.0', '--as-of', new Date(Date.now() + 10 * 86_400_000).toISOString());
    expect(standard.stdout).toMatch(/\ncoverage 0\.0%: 0 of 1 resources collected and evaluated within 72 h; 1 not evaluated/);
    // what passed is no longer known to pass; what failed still fails (the last evidence says so)
    expect(standard.stdout).toMatch(/\n0 passed, 7 failed, 1 not evaluable, /);
    expect(standard.stdout).toMatch(/\n3\.1\s+FAILED\s/);
  });
});
