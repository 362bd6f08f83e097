// A staged rollout: a baseline rolled out to a tenant group ring by ring. The plan names the rings
// (a canary set first, then the rest; every tenant a member of the group, in one ring) and records
// the what-if that informed it; each ring goes in by a named person's decision, in order; a rollback
// takes the baseline from every tenant, at any time. The baseline is checked as a tenant assignment
// would be (the tenant policy's own AssignBaseline), against the catalog every tenant shares.
import { PROVIDER_SCOPE, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { Catalog } from '../catalog/guardrail';
import type { RolloutEvent, RolloutPlanned, RolloutRing, RolloutTenantWhatIf } from '../events';
import { assignmentAsTenantWould } from '../tenant-guardrails/tenant-guardrails';

export const rolloutStreamId = (rolloutId: string): string => streamIdFor(PROVIDER_SCOPE, 'rollout', rolloutId);

/** The assignment id a tenant holds a rollout's baseline under. */
export const rolloutAssignmentId = (rolloutId: string, assignmentId: string): string => `rol-${rolloutId}-${assignmentId}`;

/** Up to 24 and 28, so `rol-<rollout>-<assignment>` stays within a tenant assignment id's 63. */
const ROLLOUT_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;
/** Whether a string can name a rollout (and so its stream). */
export const isRolloutId = (id: string): boolean => ROLLOUT_ID.test(id);
const ASSIGNMENT_ID = /^[a-z0-9][a-z0-9-]{0,27}$/;
const RING_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
export const MAX_RINGS = 10;

export type RolloutStatus = 'none' | 'planned' | 'rolling-out' | 'complete' | 'rolled-back';

export interface Rollout {
  readonly status: RolloutStatus;
  readonly plan: RolloutPlanned['data'] | null;
  /** Rings that went in, in order: the first `approved.length` rings of the plan. */
  readonly approved: readonly { readonly ring: number; readonly approvedBy: string }[];
  readonly rolledBack: { readonly by: string; readonly reason: string } | null;
}

export type RolloutCommand =
  | {
      readonly kind: 'PlanRollout';
      readonly rolloutId: string;
      readonly groupId: string;
      readonly assignmentId: string;
      readonly baselineId: string;
      readonly scope: string;
      readonly parameters?: Record<string, Record<string, unknown>>;
      readonly initiativeParameters?: Record<string, unknown>;
      readonly rings: readonly RolloutRing[];
      readonly raiseIncidentsForExisting: boolean;
      readonly plannedBy: string;
      /** The group's members now, read by the use case. */
      readonly members: readonly string[];
      /** What replaying the baseline over each tenant's history found (the composition computes it). */
      readonly whatIf: readonly RolloutTenantWhatIf[];
    }
  | { readonly kind: 'ApproveRolloutRing'; readonly ring: number; readonly approvedBy: string }
  | { readonly kind: 'RollBackRollout'; readonly rolledBackBy: string; readonly reason: string };

export const initialRollout = (): Rollout => ({ status: 'none', plan: null, approved: [], rolledBack: null });

export const evolveRollout = (state: Rollout, event: RolloutEvent): Rollout => {
  switch (event.type) {
    case 'guardrails.RolloutPlanned.v1':
      return { ...state, status: 'planned', plan: event.data };
    case 'guardrails.RolloutRingApproved.v1': {
      const approved = [...state.approved, { ring: event.data.ring, approvedBy: event.data.approvedBy }];
      return { ...state, approved, status: approved.length === (state.plan?.rings.length ?? 0) ? 'complete' : 'rolling-out' };
    }
    case 'guardrails.RolloutRolledBack.v1':
      return { ...state, status: 'rolled-back', rolledBack: { by: event.data.rolledBackBy, reason: event.data.reason } };
    default:
      return state;
  }
};

/** The tenants that hold the rollout's baseline now: those of the rings that went in, unless rolled back. */
export const rolloutHolders = (state: Rollout): Set<string> =>
  new Set(state.status === 'rolled-back' || !state.plan ? [] : state.approved.flatMap(({ ring }) => state.plan?.rings[ring]?.tenants ?? []));

const checkRings = (rings: readonly RolloutRing[], members: ReadonlySet<string>) => {
  if (rings.length === 0 || rings.length > MAX_RINGS) return reject('invalid-rings', `1 to ${MAX_RINGS} rings`);
  const names = new Set<string>();
  const tenants = new Set<string>();
  for (const ring of rings) {
    if (!RING_NAME.test(ring.name)) return reject('invalid-rings', `ring name ${ring.name.slice(0, 40)}: lowercase letters, digits and dashes, up to 31`);
    if (names.has(ring.name)) return reject('invalid-rings', `two rings are called ${ring.name}`);
    names.add(ring.name);
    if (ring.tenants.length === 0) return reject('invalid-rings', `ring ${ring.name} has no tenant`);
    for (const t of ring.tenants) {
      if (!members.has(t)) return reject('not-a-member', `${t.slice(0, 64)} is not a member of the group: a rollout reaches the group's tenants only`);
      if (tenants.has(t)) return reject('invalid-rings', `${t} is in two rings`);
      tenants.add(t);
    }
  }
  const left = [...members].filter((m) => !tenants.has(m));
  if (left.length) return reject('invalid-rings', `every member is in a ring; not placed: ${left.slice(0, 5).join(', ')}${left.length > 5 ? ', …' : ''}`);
  return null;
};

const decide =
  (catalog: Catalog) =>
  (cmd: RolloutCommand, state: Rollout): Decision<RolloutEvent> => {
    switch (cmd.kind) {
      case 'PlanRollout': {
        if (state.status !== 'none') return reject('duplicate-rollout', `rollout ${cmd.rolloutId} exists`);
        if (!ROLLOUT_ID.test(cmd.rolloutId)) return reject('invalid-rollout-id', 'lowercase letters, digits and dashes, up to 24');
        if (!ASSIGNMENT_ID.test(cmd.assignmentId)) return reject('invalid-assignment-id', 'lowercase letters, digits and dashes, up to 28');
        const badRings = checkRings(cmd.rings, new Set(cmd.members));
        if (badRings) return badRings;
        // the tenant policy's rule, once: what each tenant would record is what the plan records
        const asTenant = assignmentAsTenantWould(catalog, {
          assignmentId: rolloutAssignmentId(cmd.rolloutId, cmd.assignmentId),
          baselineId: cmd.baselineId,
          scope: cmd.scope,
          parameters: cmd.parameters,
          initiativeParameters: cmd.initiativeParameters,
          rollout: cmd.rolloutId,
        });
        if ('code' in asTenant) return asTenant;
        const { baselineId, scope, parameters, initiativeParameters } = asTenant;
        const planned = new Set(cmd.rings.flatMap((r) => r.tenants));
        return [
          {
            type: 'guardrails.RolloutPlanned.v1',
            data: {
              rolloutId: cmd.rolloutId,
              groupId: cmd.groupId,
              assignmentId: cmd.assignmentId,
              baselineId,
              scope,
              parameters,
              ...(initiativeParameters ? { initiativeParameters } : {}),
              rings: cmd.rings.map((r) => ({ name: r.name, tenants: [...r.tenants] })),
              raiseIncidentsForExisting: cmd.raiseIncidentsForExisting,
              plannedBy: cmd.plannedBy,
              whatIf: cmd.whatIf.filter((w) => planned.has(w.tenantId)).map((w) => ({ ...w })),
            },
          },
        ];
      }
      case 'ApproveRolloutRing': {
        if (!state.plan) return reject('unknown-rollout');
        if (state.status === 'rolled-back') return reject('rolled-back', `rolled back by ${state.rolledBack?.by}`);
        if (state.status === 'complete') return reject('rollout-complete', 'every ring is in');
        const next = state.approved.length;
        if (cmd.ring !== next) return reject('ring-out-of-order', `ring ${next} (${state.plan.rings[next].name}) goes in next`);
        return [{ type: 'guardrails.RolloutRingApproved.v1', data: { rolloutId: state.plan.rolloutId, ring: next, name: state.plan.rings[next].name, approvedBy: cmd.approvedBy } }];
      }
      case 'RollBackRollout': {
        if (!state.plan) return reject('unknown-rollout');
        if (state.status === 'rolled-back') return reject('rolled-back', `rolled back by ${state.rolledBack?.by}`);
        const reason = cmd.reason.trim();
        if (!reason) return reject('reason-required', 'say why it is rolled back: the customers and the auditors read it');
        if (reason.length > 2_000) return reject('reason-too-long', 'at most 2,000 characters');
        return [{ type: 'guardrails.RolloutRolledBack.v1', data: { rolloutId: state.plan.rolloutId, rolledBackBy: cmd.rolledBackBy, reason } }];
      }
    }
  };

export const rolloutDecider = (catalog: Catalog): Decider<RolloutCommand, Rollout, RolloutEvent> => ({
  decide: decide(catalog),
  evolve: evolveRollout,
  initialState: initialRollout,
});

/** What a tenant should hold of a rollout, against what it holds: the commands that make them agree. */
export const rolloutReconciliation = (
  state: Rollout,
  tenantId: string,
  held: readonly { readonly assignmentId: string; readonly rollout?: string }[],
): { readonly assign: boolean; readonly unassign: readonly string[] } => {
  if (!state.plan) return { assign: false, unassign: [] };
  const id = rolloutAssignmentId(state.plan.rolloutId, state.plan.assignmentId);
  const holds = held.some((h) => h.assignmentId === id);
  const should = rolloutHolders(state).has(tenantId);
  const unassign = held.filter((h) => h.rollout === state.plan?.rolloutId && (!should || h.assignmentId !== id)).map((h) => h.assignmentId);
  return { assign: should && !holds, unassign };
};
