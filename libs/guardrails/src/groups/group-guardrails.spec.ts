// A tenant group's assignments, given/when/then: checked as a tenant's would be, recorded once for
// the group; what each member should hold of them; and a member's group assignment is the group's
// to take away.
import { givenWhenThen } from '@rampart/event-sourcing';
import { builtInCatalog } from '../catalog/guardrail';
import type { GroupGuardrailsEvent, TenantGuardrailsEvent } from '../events';
import { evolveTenantGuardrails, initialTenantGuardrails, tenantGuardrailsDecider } from '../tenant-guardrails/tenant-guardrails';
import { evolveGroupGuardrails, groupGuardrailsDecider, initialGroupGuardrails, memberAssignmentId, memberReconciliation } from './group-guardrails';

const catalog = builtInCatalog();
const core: GroupGuardrailsEvent = {
  type: 'guardrails.GroupBaselineAssigned.v1',
  data: { groupId: 'banks', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*', parameters: {} },
};

describe("a tenant group's assignments", () => {
  const given = givenWhenThen(groupGuardrailsDecider(catalog));

  it('are checked as a tenant assignment would be, and recorded once for the group', () => {
    given().when({ kind: 'AssignBaselineToGroup', groupId: 'banks', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }).then(core);
    given(core).when({ kind: 'AssignBaselineToGroup', groupId: 'banks', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }).thenRejects('duplicate-assignment');
    given().when({ kind: 'AssignBaselineToGroup', groupId: 'banks', assignmentId: 'x', baselineId: 'no-such-baseline', scope: '*' }).thenRejects('unknown-baseline');
    given().when({ kind: 'AssignBaselineToGroup', groupId: 'banks', assignmentId: 'x', baselineId: 'landing-zone-core', scope: 'everywhere' }).thenRejects('invalid-scope');
    given().when({ kind: 'AssignBaselineToGroup', groupId: 'banks', assignmentId: 'an-assignment-id-far-too-long-for-it', baselineId: 'landing-zone-core', scope: '*' }).thenRejects('invalid-assignment-id');
    given(core)
      .when({ kind: 'UnassignBaselineFromGroup', groupId: 'banks', assignmentId: 'core' })
      .then({ type: 'guardrails.GroupBaselineUnassigned.v1', data: { groupId: 'banks', assignmentId: 'core', baselineId: 'landing-zone-core' } });
  });

  it('say what a member should hold: all of them while a member, none after; a changed one again', () => {
    const group = [core].reduce(evolveGroupGuardrails, initialGroupGuardrails());
    const id = memberAssignmentId('banks', 'core');
    expect(id).toBe('grp-banks-core');
    expect(memberReconciliation('banks', true, group, [])).toEqual({ assign: [group.assignments.get('core')], unassign: [] });
    const held = [{ assignmentId: id, baselineId: 'landing-zone-core', scope: '*', parameters: {}, group: 'banks' }];
    expect(memberReconciliation('banks', true, group, held)).toEqual({ assign: [], unassign: [] });
    expect(memberReconciliation('banks', false, group, held)).toEqual({ assign: [], unassign: [id] });
    expect(memberReconciliation('banks', true, group, [{ ...held[0], scope: '/subscriptions/s' }])).toEqual({ assign: [group.assignments.get('core')], unassign: [id] });
    // the tenant's own assignments and other groups' are not this group's business
    expect(memberReconciliation('banks', false, group, [{ ...held[0], group: undefined }, { ...held[0], group: 'eu' }])).toEqual({ assign: [], unassign: [] });
  });
});

describe("a member's group assignment", () => {
  const given = givenWhenThen(tenantGuardrailsDecider(catalog));
  const viaGroup: TenantGuardrailsEvent = { type: 'guardrails.BaselineAssigned.v1', data: { assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', scope: '*', parameters: {}, group: 'banks' } };

  it('says which group it comes with, and is the group’s to take away', () => {
    given().when({ kind: 'AssignBaseline', assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', scope: '*', group: 'banks' }).then(viaGroup);
    expect([viaGroup].reduce(evolveTenantGuardrails, initialTenantGuardrails()).assignments.get('grp-banks-core')).toMatchObject({ group: 'banks' });
    given(viaGroup).when({ kind: 'UnassignBaseline', assignmentId: 'grp-banks-core' }).thenRejects('assigned-by-group');
    // a group's ids are the groups' alone
    given().when({ kind: 'AssignBaseline', assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core', scope: '*' }).thenRejects('reserved-assignment-id');
    given().when({ kind: 'AssignBaseline', assignmentId: 'grp-other-core', baselineId: 'landing-zone-core', scope: '*', group: 'banks' }).thenRejects('reserved-assignment-id');
    given(viaGroup)
      .when({ kind: 'UnassignBaseline', assignmentId: 'grp-banks-core', group: 'banks' })
      .then({ type: 'guardrails.BaselineUnassigned.v1', data: { assignmentId: 'grp-banks-core', baselineId: 'landing-zone-core' } });
  });
});
