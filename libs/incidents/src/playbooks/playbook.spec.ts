import { playbookForAlertType, parsePlaybook, shippedPlaybooks, stepsFor } from './playbook';

describe('playbooks', () => {
  it('ship validated, and the seed story is one of them', () => {
    const books = shippedPlaybooks();
    const seed = books.get('restrict-public-api')!;
    expect(seed.triggers.guardrails).toContain('web-app-without-authentication');
    expect(seed.phases.respond.map((s) => s.action)).toEqual(['restrict-public-network-access']);
    expect(stepsFor(seed, 'recover', { guardrailId: 'web-app-without-authentication' })).toEqual([
      expect.objectContaining({ actionKind: 'switch-guardrail-to-deny', parameters: { guardrailId: 'web-app-without-authentication' } }),
    ]);
  });

  it('refuse, at load, unknown actions, parameters, placeholders and phases, naming each problem', () => {
    const result = parsePlaybook({
      id: 'Bad Id',
      version: '1',
      title: 'x',
      triggers: { guardrails: [], alertTypes: [] },
      phases: {
        respond: [{ action: 'format-the-disk' }, { action: 'rotate-secret', parameters: { secretName: '{{password}}', force: 'yes' } }],
        celebrate: [],
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'id: lowercase letters, digits and dashes',
      'version: major.minor.patch',
      'phases.celebrate: unknown phase (respond, remediate, recover)',
      'phases.respond[0]: unknown action format-the-disk',
      'phases.respond[1].parameters.secretName: unknown placeholder {{password}}',
      'phases.respond[1].parameters.force: rotate-secret takes secretName',
    ]);
    expect(parsePlaybook('nope')).toEqual({ ok: false, errors: ['a playbook is a JSON object'] });
  });

  it('answer external alerts by detection type: exact entries before prefixes, the longest prefix first', () => {
    const shipped = shippedPlaybooks();
    expect(playbookForAlertType(shipped, 'VM_EICAR')?.id).toBe('isolate-workload');
    expect(playbookForAlertType(shipped, 'vm_eicar')?.id).toBe('isolate-workload');
    expect(playbookForAlertType(shipped, 'SQL.DB_BruteForce')?.id).toBe('restrict-public-network');
    expect(playbookForAlertType(shipped, 'KV_SuspiciousAccess')?.id).toBe('rotate-secret');
    expect(playbookForAlertType(shipped, 'myAlert')).toBeUndefined();
    const custom = (id: string, alertTypes: string[]) => {
      const parsed = parsePlaybook({ id, version: '1.0.0', title: id, triggers: { guardrails: [], alertTypes }, phases: { respond: [{ action: 'isolate-workload' }] } });
      if (!parsed.ok) throw new Error(parsed.errors.join('; '));
      return [id, parsed.playbook] as const;
    };
    const mine = new Map([custom('broad', ['VM_*']), custom('narrow', ['VM_Malware*']), custom('exact', ['VM_MalwareX'])]);
    expect(playbookForAlertType(mine, 'VM_Other')?.id).toBe('broad');
    expect(playbookForAlertType(mine, 'VM_MalwareY')?.id).toBe('narrow');
    expect(playbookForAlertType(mine, 'VM_MalwareX')?.id).toBe('exact');
    expect(parsePlaybook({ id: 'bad', version: '1.0.0', title: 'bad', triggers: { alertTypes: ['*', 'VM_*_x*', 'a b'] }, phases: {} })).toEqual({
      ok: false,
      errors: [
        'triggers.alertTypes: "*" is not an alert type (letters, digits, . _ - and one trailing * for a prefix)',
        'triggers.alertTypes: "VM_*_x*" is not an alert type (letters, digits, . _ - and one trailing * for a prefix)',
        'triggers.alertTypes: "a b" is not an alert type (letters, digits, . _ - and one trailing * for a prefix)',
      ],
    });
  });
});
