// What a tenant group holds its members to: assignments recorded once for the group, in the
// provider's scope (`t-provider:group-guardrails-<group>`), which each member holds as
// `grp-<group>-<assignment>` in its own policy for as long as it is a member. An assignment is
// checked exactly as a tenant's would be (the tenant policy's own AssignBaseline, on an empty
// policy), against the catalog every tenant shares: Rampart's baselines, Azure's standards and the
// provider's library, never one tenant's own.
import { PROVIDER_SCOPE, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { Catalog } from '../catalog/guardrail';
import type { GroupBaselineAssigned, GroupGuardrailsEvent } from '../events';
import { assignmentAsTenantWould } from '../tenant-guardrails/tenant-guardrails';

export const groupGuardrailsStreamId = (groupId: string): string => streamIdFor(PROVIDER_SCOPE, 'group-guardrails', groupId);

/** The assignment id a member holds a group's assignment under. */
export const memberAssignmentId = (groupId: string, assignmentId: string): string => `grp-${groupId}-${assignmentId}`;

/** Up to 28, so a member's id (`grp-<group up to 30>-<this>`) stays within a tenant's 63. */
const GROUP_ASSIGNMENT_ID = /^[a-z0-9][a-z0-9-]{0,27}$/;

export type GroupAssignment = Omit<GroupBaselineAssigned['data'], 'groupId'>;

export interface GroupGuardrails {
  readonly assignments: ReadonlyMap<string, GroupAssignment>;
}

export type GroupGuardrailsCommand =
  | {
      readonly kind: 'AssignBaselineToGroup';
      readonly groupId: string;
      readonly assignmentId: string;
      readonly baselineId: string;
      readonly scope: string;
      readonly parameters?: Record<string, Record<string, unknown>>;
      readonly initiativeParameters?: Record<string, unknown>;
    }
  | { readonly kind: 'UnassignBaselineFromGroup'; readonly groupId: string; readonly assignmentId: string };

export const initialGroupGuardrails = (): GroupGuardrails => ({ assignments: new Map() });

export const evolveGroupGuardrails = (state: GroupGuardrails, event: GroupGuardrailsEvent): GroupGuardrails => {
  const assignments = new Map(state.assignments);
  if (event.type === 'guardrails.GroupBaselineAssigned.v1') {
    const { groupId: _groupId, ...assignment } = event.data;
    assignments.set(assignment.assignmentId, assignment);
  } else if (event.type === 'guardrails.GroupBaselineUnassigned.v1') assignments.delete(event.data.assignmentId);
  return { assignments };
};

const decide =
  (catalog: Catalog) =>
  (cmd: GroupGuardrailsCommand, state: GroupGuardrails): Decision<GroupGuardrailsEvent> => {
    switch (cmd.kind) {
      case 'AssignBaselineToGroup': {
        if (!GROUP_ASSIGNMENT_ID.test(cmd.assignmentId)) return reject('invalid-assignment-id', 'lowercase letters, digits and dashes, up to 28');
        if (state.assignments.has(cmd.assignmentId)) return reject('duplicate-assignment', `the group has an assignment ${cmd.assignmentId}`);
        // the tenant policy's rule, once: what a member would record is what the group records
        const asMember = assignmentAsTenantWould(catalog, {
          assignmentId: memberAssignmentId(cmd.groupId, cmd.assignmentId),
          baselineId: cmd.baselineId,
          scope: cmd.scope,
          parameters: cmd.parameters,
          initiativeParameters: cmd.initiativeParameters,
          group: cmd.groupId,
        });
        if ('code' in asMember) return asMember;
        const { baselineId, scope, parameters, initiativeParameters } = asMember;
        return [
          {
            type: 'guardrails.GroupBaselineAssigned.v1',
            data: { groupId: cmd.groupId, assignmentId: cmd.assignmentId, baselineId, scope, parameters, ...(initiativeParameters ? { initiativeParameters } : {}) },
          },
        ];
      }
      case 'UnassignBaselineFromGroup': {
        const assignment = state.assignments.get(cmd.assignmentId);
        if (!assignment) return reject('unknown-assignment', `the group has no assignment ${cmd.assignmentId}`);
        return [{ type: 'guardrails.GroupBaselineUnassigned.v1', data: { groupId: cmd.groupId, assignmentId: cmd.assignmentId, baselineId: assignment.baselineId } }];
      }
    }
  };

export const groupGuardrailsDecider = (catalog: Catalog): Decider<GroupGuardrailsCommand, GroupGuardrails, GroupGuardrailsEvent> => ({
  decide: decide(catalog),
  evolve: evolveGroupGuardrails,
  initialState: initialGroupGuardrails,
});

/** What a member should hold of its groups' assignments, against what it holds: the commands that make them agree. */
export const memberReconciliation = (
  groupId: string,
  member: boolean,
  group: GroupGuardrails,
  held: readonly { readonly assignmentId: string; readonly baselineId: string; readonly follows?: string; readonly scope: string; readonly parameters: unknown; readonly initiativeParameters?: unknown; readonly group?: string }[],
): { readonly assign: readonly GroupAssignment[]; readonly unassign: readonly string[] } => {
  const wanted = new Map(member ? [...group.assignments.values()].map((a) => [memberAssignmentId(groupId, a.assignmentId), a] as const) : []);
  const same = (h: (typeof held)[number], a: GroupAssignment) =>
    (h.follows ?? h.baselineId) === a.baselineId && h.scope === a.scope && JSON.stringify(h.parameters) === JSON.stringify(a.parameters) && JSON.stringify(h.initiativeParameters ?? {}) === JSON.stringify(a.initiativeParameters ?? {});
  const unassign: string[] = [];
  const kept = new Set<string>();
  for (const h of held) {
    if (h.group !== groupId) continue;
    const want = wanted.get(h.assignmentId);
    if (want && same(h, want)) kept.add(h.assignmentId);
    else unassign.push(h.assignmentId);
  }
  const assign = [...wanted].filter(([id]) => !kept.has(id)).map(([, a]) => a);
  return { assign, unassign };
};
