import { parsePlaybook, shippedPlaybooks, stepsFor } from './playbook';

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
});
