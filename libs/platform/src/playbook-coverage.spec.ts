// Two contexts meet here: every guardrail names the playbook to propose when it fails, and the
// incidents context must ship that playbook.
import { BUILT_IN_GUARDRAILS } from '@rampart/guardrails';
import { shippedPlaybooks } from '@rampart/incidents';

describe('every guardrail names a shipped playbook that answers it', () => {
  it.each(BUILT_IN_GUARDRAILS.map((g) => [g.id, g.playbookId]))('%s -> %s', (guardrailId, playbookId) => {
    const playbook = shippedPlaybooks().get(playbookId);
    expect(playbook).toBeDefined();
    expect(playbook?.triggers.guardrails).toContain(guardrailId);
  });
});
