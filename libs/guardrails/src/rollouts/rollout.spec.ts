// A staged rollout, given/when/then: planned for the group's members in rings (checked as a tenant
// assignment would be), each ring in by a named person's decision and in order, rolled back once;
// and what each tenant should hold of it.
import { givenWhenThen } from '@rampart/event-sourcing';
import { builtInCatalog } from '../catalog/guardrail';
import type { RolloutEvent, TenantGuardrailsEvent } from '../events';
import { evolveTenantGuardrails, initialTenantGuardrails, tenantGuardrailsDecider } from '../tenant-guardrails/tenant-guardrails';
import { evolveRollout, initialRollout, rolloutAssignmentId, rolloutDecider, rolloutHolders, rolloutReconciliation, type RolloutCommand } from './rollout';

const catalog = builtInCatalog();
const MEMBERS = ['contoso-bank', 'woodgrove-bank', 'fabrikam-bank'];
const plan = (over: Partial<Extract<RolloutCommand, { kind: 'PlanRollout' }>> = {}): RolloutCommand => ({
  kind: 'PlanRollout',
  rolloutId: 'tls-2026',
  groupId: 'eu-banks',
  assignmentId: 'core',
  baselineId: 'landing-zone-core',
  scope: '*',
  rings: [
    { name: 'canary', tenants: ['contoso-bank'] },
    { name: 'rest', tenants: ['woodgrove-bank', 'fabrikam-bank'] },
  ],
  raiseIncidentsForExisting: false,
  plannedBy: 'lead@soc.example',
  members: MEMBERS,
  whatIf: [{ tenantId: 'contoso-bank', nonCompliantNow: 3, nonCompliantEver: 4, errors: 0, since: '2026-11-01T00:00:00.000Z' }],
  ...over,
});
const planned: RolloutEvent = {
  type: 'guardrails.RolloutPlanned.v1',
  data: {
    rolloutId: 'tls-2026',
    groupId: 'eu-banks',
    assignmentId: 'core',
    baselineId: 'landing-zone-core',
    scope: '*',
    parameters: {},
    rings: [
      { name: 'canary', tenants: ['contoso-bank'] },
      { name: 'rest', tenants: ['woodgrove-bank', 'fabrikam-bank'] },
    ],
    raiseIncidentsForExisting: false,
    plannedBy: 'lead@soc.example',
    whatIf: [{ tenantId: 'contoso-bank', nonCompliantNow: 3, nonCompliantEver: 4, errors: 0, since: '2026-11-01T00:00:00.000Z' }],
  },
};
const canaryIn: RolloutEvent = { type: 'guardrails.RolloutRingApproved.v1', data: { rolloutId: 'tls-2026', ring: 0, name: 'canary', approvedBy: 'ciso@soc.example' } };

describe('a staged rollout', () => {
  const given = givenWhenThen(rolloutDecider(catalog));

  it('is planned in rings of the group’s members, every member in one, the baseline checked as a tenant would', () => {
    given().when(plan()).then(planned);
    given(planned).when(plan()).thenRejects('duplicate-rollout');
    given().when(plan({ rings: [{ name: 'canary', tenants: ['contoso-bank'] }] })).thenRejects('invalid-rings');
    given().when(plan({ rings: [{ name: 'canary', tenants: ['contoso-bank', 'northwind-mfg'] }, { name: 'rest', tenants: ['woodgrove-bank', 'fabrikam-bank'] }] })).thenRejects('not-a-member');
    given().when(plan({ rings: [{ name: 'a', tenants: ['contoso-bank'] }, { name: 'a', tenants: ['woodgrove-bank', 'fabrikam-bank'] }] })).thenRejects('invalid-rings');
    given().when(plan({ rings: [{ name: 'a', tenants: ['contoso-bank', 'woodgrove-bank'] }, { name: 'b', tenants: ['woodgrove-bank', 'fabrikam-bank'] }] })).thenRejects('invalid-rings');
    given().when(plan({ baselineId: 'no-such-baseline' })).thenRejects('unknown-baseline');
    given().when(plan({ scope: 'everywhere' })).thenRejects('invalid-scope');
    given().when(plan({ rolloutId: 'A Rollout' })).thenRejects('invalid-rollout-id');
  });

  it('takes each ring in order, by a named person, and is complete with the last', () => {
    given(planned).when({ kind: 'ApproveRolloutRing', ring: 0, approvedBy: 'ciso@soc.example' }).then(canaryIn);
    given(planned).when({ kind: 'ApproveRolloutRing', ring: 1, approvedBy: 'ciso@soc.example' }).thenRejects('ring-out-of-order');
    const restIn: RolloutEvent = { type: 'guardrails.RolloutRingApproved.v1', data: { rolloutId: 'tls-2026', ring: 1, name: 'rest', approvedBy: 'ciso@soc.example' } };
    given(planned, canaryIn).when({ kind: 'ApproveRolloutRing', ring: 1, approvedBy: 'ciso@soc.example' }).then(restIn);
    given(planned, canaryIn, restIn).when({ kind: 'ApproveRolloutRing', ring: 2, approvedBy: 'ciso@soc.example' }).thenRejects('rollout-complete');
    expect([planned, canaryIn, restIn].reduce(evolveRollout, initialRollout()).status).toBe('complete');
    given().when({ kind: 'ApproveRolloutRing', ring: 0, approvedBy: 'x' }).thenRejects('unknown-rollout');
  });

  it('is rolled back once, with a reason, and then takes no ring', () => {
    const back: RolloutEvent = { type: 'guardrails.RolloutRolledBack.v1', data: { rolloutId: 'tls-2026', rolledBackBy: 'lead@soc.example', reason: 'the canary bank saw 40 new findings' } };
    given(planned, canaryIn).when({ kind: 'RollBackRollout', rolledBackBy: 'lead@soc.example', reason: ' the canary bank saw 40 new findings ' }).then(back);
    given(planned).when({ kind: 'RollBackRollout', rolledBackBy: 'lead@soc.example', reason: ' ' }).thenRejects('reason-required');
    given(planned, back).when({ kind: 'RollBackRollout', rolledBackBy: 'lead@soc.example', reason: 'again' }).thenRejects('rolled-back');
    given(planned, back).when({ kind: 'ApproveRolloutRing', ring: 0, approvedBy: 'ciso@soc.example' }).thenRejects('rolled-back');
  });

  it('says what each tenant should hold: the rings that went in, nothing once rolled back', () => {
    const id = rolloutAssignmentId('tls-2026', 'core');
    expect(id).toBe('rol-tls-2026-core');
    const rolling = [planned, canaryIn].reduce(evolveRollout, initialRollout());
    expect([...rolloutHolders(rolling)]).toEqual(['contoso-bank']);
    expect(rolloutReconciliation(rolling, 'contoso-bank', [])).toEqual({ assign: true, unassign: [] });
    expect(rolloutReconciliation(rolling, 'contoso-bank', [{ assignmentId: id, rollout: 'tls-2026' }])).toEqual({ assign: false, unassign: [] });
    expect(rolloutReconciliation(rolling, 'woodgrove-bank', [])).toEqual({ assign: false, unassign: [] });
    const back = evolveRollout(rolling, { type: 'guardrails.RolloutRolledBack.v1', data: { rolloutId: 'tls-2026', rolledBackBy: 'x', reason: 'y' } });
    expect(rolloutReconciliation(back, 'contoso-bank', [{ assignmentId: id, rollout: 'tls-2026' }, { assignmentId: 'own', rollout: undefined }])).toEqual({ assign: false, unassign: [id] });
  });

  it("is held by a tenant under a reserved id, quiet for what it finds on arrival when asked, and is not the tenant's to drop or pin", () => {
    const tenant = givenWhenThen(tenantGuardrailsDecider(catalog));
    const held: TenantGuardrailsEvent = {
      type: 'guardrails.BaselineAssigned.v1',
      data: { assignmentId: 'rol-tls-2026-core', baselineId: 'landing-zone-core', scope: '*', parameters: {}, rollout: 'tls-2026', quietExisting: true },
    };
    tenant().when({ kind: 'AssignBaseline', assignmentId: 'rol-tls-2026-core', baselineId: 'landing-zone-core', scope: '*', rollout: 'tls-2026', quietExisting: true }).then(held);
    expect([held].reduce(evolveTenantGuardrails, initialTenantGuardrails()).assignments.get('rol-tls-2026-core')).toMatchObject({ rollout: 'tls-2026', quietExisting: true });
    tenant().when({ kind: 'AssignBaseline', assignmentId: 'rol-tls-2026-core', baselineId: 'landing-zone-core', scope: '*' }).thenRejects('reserved-assignment-id');
    tenant().when({ kind: 'AssignBaseline', assignmentId: 'rol-other-core', baselineId: 'landing-zone-core', scope: '*', rollout: 'tls-2026' }).thenRejects('reserved-assignment-id');
    tenant().when({ kind: 'AssignBaseline', assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', scope: '*', rollout: 'tls-2026', group: 'banks' }).thenRejects('reserved-assignment-id');
    tenant(held).when({ kind: 'UnassignBaseline', assignmentId: 'rol-tls-2026-core' }).thenRejects('assigned-by-rollout');
    tenant(held).when({ kind: 'UnassignBaseline', assignmentId: 'rol-tls-2026-core', rollout: 'tls-2026' }).then({ type: 'guardrails.BaselineUnassigned.v1', data: { assignmentId: 'rol-tls-2026-core', baselineId: 'landing-zone-core' } });
  });
});
