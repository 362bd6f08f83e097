// `rampart groups` as a provider runs it in the embedded store: a group of two tenants, a baseline
// assigned to it and held by both at once, one leaving loses it, and the list says who holds what.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rampart } from './testing/cli';

describe('rampart groups', () => {
  let work: string;
  let env: Record<string, string>;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'rampart-groups-'));
    env = { RAMPART_DATA_DIR: join(work, 'data'), RAMPART_STORE: 'pglite' };
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('gives a group’s baseline to its members as they join, and takes it as they leave', () => {
    for (const t of ['northwind', 'tailspin']) expect(rampart(['tenants', 'onboard', t, '--name', t, '--sector', 'finance', '--contact', `sec@${t}.example`], env).status).toBe(0);
    expect(rampart(['groups', 'create', 'banks', '--name', 'Banks'], env).stdout).toBe('created tenant group banks\n');
    expect(rampart(['groups', 'add', 'banks', '--tenant', 'northwind'], env).stdout).toBe("northwind joined banks; members' policies: 0 assigned, 0 unassigned\n");
    expect(rampart(['groups', 'assign', 'banks', '--id', 'core', '--baseline', 'landing-zone-core'], env).stdout).toBe("assigned landing-zone-core to banks as core; members' policies: 1 assigned, 0 unassigned\n");
    expect(rampart(['groups', 'add', 'banks', '--tenant', 'tailspin'], env).stdout).toBe("tailspin joined banks; members' policies: 1 assigned, 0 unassigned\n");
    const list = rampart(['groups', 'list'], env).stdout;
    expect(list).toMatch(/^banks +Banks +northwind, tailspin +core: landing-zone-core$/m);
    expect(rampart(['groups', 'remove', 'banks', '--tenant', 'tailspin', '--reason', 'not a bank after all'], env).stdout).toBe("tailspin left banks; members' policies: 0 assigned, 1 unassigned\n");
    const nope = rampart(['groups', 'assign', 'banks', '--id', 'x', '--baseline', 'no-such-baseline'], env);
    expect({ status: nope.status, stderr: nope.stderr }).toEqual({ status: 1, stderr: expect.stringContaining('not assigned: unknown-baseline') });
  });

  it('rolls a baseline out to the group in rings: the what-if first, the canary, then back from everyone', () => {
    expect(rampart(['groups', 'add', 'banks', '--tenant', 'tailspin'], env).status).toBe(0);
    const whatIf = rampart(['rollouts', 'what-if', '--group', 'banks', '--baseline', 'financial-services'], env);
    expect(whatIf.stdout).toMatch(/^tenant +non-compliant now +ever +errors +since +not replayable\nnorthwind +\d+ +\d+ +\d+ +\S+ +\d+\ntailspin +/);
    const outsider = rampart(['rollouts', 'plan', 'fs-2027', '--group', 'banks', '--baseline', 'financial-services', '--ring', 'canary=northwind,contoso'], env);
    expect(outsider.stderr).toMatch(/not planned: not-a-member/);
    const plan = rampart(['rollouts', 'plan', 'fs-2027', '--group', 'banks', '--baseline', 'financial-services', '--id', 'fs', '--ring', 'canary=northwind', '--ring', 'rest=*'], env);
    expect(plan.stdout).toMatch(/planned rollout fs-2027: nothing is enforced yet/);
    expect(rampart(['rollouts', 'approve', 'fs-2027', '--ring', '1'], env).stderr).toMatch(/ring-out-of-order/);
    expect(rampart(['rollouts', 'approve', 'fs-2027', '--ring', '0'], env).stdout).toBe("ring 0 of fs-2027 goes in; tenants' policies: 1 assigned, 0 unassigned\n");
    expect(rampart(['rollouts', 'list'], env).stdout).toMatch(/^fs-2027 +rolling-out +banks +financial-services +canary \(1\) in, rest \(1\)$/m);
    expect(rampart(['rollouts', 'rollback', 'fs-2027', '--reason', 'the canary found too much'], env).stdout).toBe("rolled fs-2027 back; tenants' policies: 0 assigned, 1 unassigned\n");
  });
});
