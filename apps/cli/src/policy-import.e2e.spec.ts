// `rampart policy import` as a provider runs it on its library folder: the plan, a refusal that
// records nothing, --apply, and the same folder again (nothing new), in the embedded store.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rampart, root } from './testing/cli';

const ALZ = join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'alz');

describe('rampart policy import', () => {
  let work: string;
  let env: Record<string, string>;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rampart-import-'));
    env = { RAMPART_DATA_DIR: join(work, 'data'), RAMPART_STORE: 'pglite' };
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('plans the ALZ library, refuses the initiative with a missing member, and records nothing', () => {
    const plan = rampart(['policy', 'import', ALZ], env);
    expect(plan.status).toBe(1);
    expect(plan.stdout).toMatch(/^add {6}definition {2}Deny-Sql-minTLS +v1 +policyDefinitions\/Deny-Sql-minTLS\.json$/m);
    expect(plan.stdout).toMatch(/^REFUSED +initiative +Deny-PublicPaaSEndpoints .*references the definition Deny-LogicApp-Public-Network, which is neither/m);
    expect(plan.stdout).toContain('13 files: 12 to add, 0 to change, 0 unchanged, 1 refused, 0 skipped\nnothing was recorded');
    const applied = rampart(['policy', 'import', ALZ, '--apply', '--json'], env);
    expect(applied.status).toBe(1);
    expect(JSON.parse(applied.stdout)).toMatchObject({ applicable: false, applied: false, counts: { add: 12, refused: 1 } });
  });

  it('records the folder with --apply, then finds nothing new in it', () => {
    const folder = join(work, 'library');
    cpSync(join(ALZ, 'policyDefinitions'), join(folder, 'policyDefinitions'), { recursive: true });
    cpSync(join(ALZ, 'policySetDefinitions', 'Enforce-Guardrails-KeyVault_20260203.json'), join(folder, 'policySetDefinitions', 'Enforce-Guardrails-KeyVault_20260203.json'));
    const plan = rampart(['policy', 'import', folder], env);
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('12 to add, 0 to change, 0 unchanged, 0 refused, 0 skipped\nthis is the plan: run again with --apply to record it');
    const applied = rampart(['policy', 'import', folder, '--apply'], env);
    expect({ status: applied.status, stderr: applied.stderr }).toEqual({ status: 0, stderr: '' });
    expect(applied.stdout).toContain("recorded 12 in the library (the provider's trail shows each version)");
    const again = rampart(['policy', 'import', folder, '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ applicable: true, counts: { add: 0, change: 0, unchanged: 12 } });

    // and a tenant is held to one of them
    expect(rampart(['tenants', 'onboard', 'northwind', '--name', 'Northwind', '--sector', 'retail', '--contact', 'sec@northwind.example'], env).status).toBe(0);
    const assigned = rampart(['baselines', 'assign', '--tenant', 'northwind', '--baseline', 'lib-definition:Deny-Sql-minTLS'], env);
    expect({ status: assigned.status, stderr: assigned.stderr }).toEqual({ status: 0, stderr: '' });
    expect(assigned.stdout).toBe('assigned lib-definition:Deny-Sql-minTLS to northwind (*) as lib-definition-deny-sql-mintls\n');
    const unknown = rampart(['baselines', 'assign', '--tenant', 'northwind', '--baseline', 'lib-definition:Nope'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown-baseline');

    // a changed definition, replayed for the tenant that follows it before it is recorded
    const tls = join(folder, 'policyDefinitions', 'Deny-Sql-minTLS.json');
    writeFileSync(tls, readFileSync(tls, 'utf8').replace('"defaultValue": "Audit"', '"defaultValue": "Deny"'));
    const whatIf = rampart(['policy', 'import', folder, '--what-if', '--json'], env);
    expect(JSON.parse(whatIf.stdout)).toMatchObject({
      applied: false,
      counts: { change: 1 },
      whatIf: [{ definition: 'Deny-Sql-minTLS', version: 2, tenantId: 'northwind', reason: 'follows', nonCompliantNow: 0, nonCompliantEver: 0 }],
    });
    expect(rampart(['policy', 'import', folder, '--what-if', '--apply'], env).status).toBe(2);
  });

  it("assigns the library's initiative with its parameters, and retires what is no longer wanted", () => {
    const assign = (...extra: string[]) => rampart(['baselines', 'assign', '--tenant', 'northwind', '--baseline', 'lib-initiative:Enforce-Guardrails-KeyVault_20260203', '--id', 'key-vault', ...extra], env);
    const unknown = assign('--initiative-parameters', '{"effectKvNope": "Deny"}');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('not assigned: unknown-parameter (lib-initiative:Enforce-Guardrails-KeyVault_20260203 has no parameter effectKvNope)');
    const assigned = assign('--initiative-parameters', '{"effectKvSoftDelete": "Deny"}');
    expect({ status: assigned.status, stdout: assigned.stdout }).toEqual({ status: 0, stdout: 'assigned lib-initiative:Enforce-Guardrails-KeyVault_20260203 to northwind (*) as key-vault\n' });
    // rolled back to a version, then following the latest again
    const version = (...args: string[]) => rampart(['baselines', 'version', '--tenant', 'northwind', '--id', 'key-vault', ...args], env);
    expect(version('--pin', '1').stdout).toBe('key-vault is pinned to version 1; the worker evaluates northwind again\n');
    expect(version('--pin', '9').stderr).toContain('not changed: unknown-version');
    expect(version('--latest').stdout).toBe('key-vault follows the latest version; the worker evaluates northwind again\n');

    const retired = rampart(['policy', 'retire', 'initiative', 'Enforce-Guardrails-KeyVault_20260203', '--reason', 'replaced by the built-in initiative'], env);
    expect({ status: retired.status, stderr: retired.stderr }).toEqual({ status: 0, stderr: '' });
    expect(retired.stdout).toContain('retired initiative Enforce-Guardrails-KeyVault_20260203');
    const again = rampart(['policy', 'retire', 'initiative', 'Enforce-Guardrails-KeyVault_20260203', '--reason', 'again'], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('not retired: already-retired');
    expect(rampart(['policy', 'retire', 'standard', 'x', '--reason', 'why not'], env).status).toBe(2);
  });

  it('proposes the change instead once the library policy asks for a second person, whom the proposer cannot be', () => {
    expect(rampart(['policy', 'approval', 'required'], env).stdout).toBe('library changes need a second person from now on\n');
    const folder = join(work, 'reviewed');
    cpSync(join(ALZ, 'policyDefinitions', 'Audit-Tags-Mandatory.json'), join(folder, 'Audit-Tags-Mandatory.json'));
    const tags = join(folder, 'Audit-Tags-Mandatory.json');
    writeFileSync(tags, readFileSync(tags, 'utf8').replace('"displayName": "', '"displayName": "Reviewed: '));
    const proposed = rampart(['policy', 'import', folder, '--apply', '--json'], env);
    expect(proposed.status).toBe(0);
    const { proposedChangeId, applied } = JSON.parse(proposed.stdout) as { proposedChangeId: string; applied: boolean };
    expect({ applied, proposedChangeId }).toEqual({ applied: false, proposedChangeId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const own = rampart(['policy', 'approve', proposedChangeId], env);
    expect({ status: own.status, stderr: own.stderr }).toEqual({ status: 1, stderr: expect.stringContaining('approver-must-differ') });
    const listed = rampart(['policy', 'changes', '--status', 'proposed'], env);
    expect(listed.stdout).toMatch(new RegExp(`^${proposedChangeId} +proposed +cli:\\S+ .* change definition Audit-Tags-Mandatory v2$`, 'm'));
    expect(rampart(['policy', 'reject', proposedChangeId, '--reason', 'withdrawn: wrong folder'], env).stdout).toBe(`rejected change ${proposedChangeId}: nothing of it is published\n`);
    expect(rampart(['policy', 'approval', 'off'], env).stdout).toMatch(/^proposed as change [0-9a-f-]{36}: approval stays required until someone else approves turning it off\n$/);
    expect(rampart(['policy', 'approval'], env).stdout).toBe('library changes need a second person\n');
  });

  it("imports into a tenant's own library, assigned to that tenant (the provider's approval rule is for its own library)", () => {
    const folder = join(work, 'northwind-own');
    cpSync(join(ALZ, 'policyDefinitions', 'Deny-Storage-NetworkAclsBypass.json'), join(folder, 'Deny-Storage-NetworkAclsBypass.json'));
    const applied = rampart(['policy', 'import', folder, '--for-tenant', 'northwind', '--apply'], env);
    expect({ status: applied.status, stderr: applied.stderr }).toEqual({ status: 0, stderr: '' });
    expect(applied.stdout).toContain("recorded 1 in northwind's own library (its trail shows each version)");
    const assigned = rampart(['baselines', 'assign', '--tenant', 'northwind', '--baseline', 'tenant-definition:Deny-Storage-NetworkAclsBypass', '--id', 'own-acls'], env);
    expect({ status: assigned.status, stderr: assigned.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('says so when the folder is not there (exit code 2)', () => {
    const missing = rampart(['policy', 'import', join(work, 'nowhere')], env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/rampart policy import: .*nowhere does not exist/);
  });
});
