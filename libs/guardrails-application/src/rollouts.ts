// Staged rollouts' use cases and reaction. A plan is checked against the group's members now (and
// the baseline as a tenant assignment would be); each ring goes in by a person's decision; the
// reaction reconciles, as the group assignments' does: every tenant of the plan is made to hold
// exactly what the rollout gives it now (its ring in, not rolled back, still a member of the group),
// through the tenant policy's use case, so a batch handled twice records nothing twice.
import { handleCommand, PROVIDER_SCOPE, providerStreamPrefix, reject, START, type CommandContext, type CommandOutcome, type EventStore, type TenantStanding } from '@rampart/event-sourcing';
import {
  evolveRollout,
  evolveTenantGuardrails,
  initialRollout,
  initialTenantGuardrails,
  isRolloutEvent,
  isRolloutId,
  ROLLOUT_EVENT_TYPES,
  rolloutAssignmentId,
  rolloutDecider,
  rolloutReconciliation,
  rolloutStreamId,
  tenantGuardrailsStreamId,
  type Rollout,
  type RolloutCommand,
  type RolloutEvent,
  type RolloutRing,
  type TenantGuardrailsEvent,
} from '@rampart/guardrails';
import { GROUP_ID, groupMembersOf, isTenantGroupEvent, tenantGroupStreamId, type TenantGroupEvent } from '@rampart/tenancy-contract';
import { catalogWithLibrary } from './library-catalog';
import { changeTenantGuardrails } from './tenant-guardrails';

/** A ring of `['*']`: every member of the group the other rings do not name ("the rest"). */
export const REST_OF_GROUP = '*';

/** The rollout of that id (none recorded, or an id no rollout can have: the initial state). */
export const rolloutOf = async (store: Pick<EventStore, 'readStream'>, rolloutId: string): Promise<Rollout> =>
  isRolloutId(rolloutId) ? ((await store.readStream(rolloutStreamId(rolloutId))).filter(isRolloutEvent) as unknown as RolloutEvent[]).reduce(evolveRollout, initialRollout()) : initialRollout();

/** The group's members now, or undefined when there is no such group. */
export const groupMembersNow = async (store: Pick<EventStore, 'readStream'>, groupId: string): Promise<Set<string> | undefined> => {
  if (!GROUP_ID.test(groupId)) return undefined;
  const events = (await store.readStream(tenantGroupStreamId(groupId))).filter(isTenantGroupEvent) as unknown as TenantGroupEvent[];
  return events.some((e) => e.type === 'tenancy.TenantGroupCreated.v1') ? groupMembersOf(events) : undefined;
};

/** Rings as written, with a `*` ring made the members no other ring names. */
export const resolveRings = (rings: readonly RolloutRing[], members: ReadonlySet<string>): RolloutRing[] => {
  const named = new Set(rings.flatMap((r) => r.tenants.filter((t) => t !== REST_OF_GROUP)));
  const rest = [...members].filter((m) => !named.has(m)).sort();
  return rings.map((r) => (r.tenants.length === 1 && r.tenants[0] === REST_OF_GROUP ? { name: r.name, tenants: rest } : r));
};

type PlanInput = Omit<Extract<RolloutCommand, { kind: 'PlanRollout' }>, 'members'>;

/** Plans, approves a ring of, or rolls back a rollout: the group must exist; tenants follow through the reaction. */
export const changeRollout = async (
  store: EventStore,
  rolloutId: string,
  command: PlanInput | Exclude<RolloutCommand, { kind: 'PlanRollout' }>,
  context: Omit<CommandContext, 'tenantId'>,
): Promise<CommandOutcome<RolloutEvent>> => {
  // an id no rollout can have names no stream: refused before one is read
  if (!isRolloutId(rolloutId)) {
    return { ok: false, rejection: command.kind === 'PlanRollout' ? reject('invalid-rollout-id', 'lowercase letters, digits and dashes, up to 24') : reject('unknown-rollout', `no rollout ${rolloutId.slice(0, 40)}`), attempts: 0 };
  }
  let full: RolloutCommand = command as RolloutCommand;
  if (command.kind === 'PlanRollout') {
    const members = await groupMembersNow(store, command.groupId);
    if (!members) return { ok: false, rejection: reject('unknown-group', `no tenant group ${command.groupId.slice(0, 40)}`), attempts: 0 };
    full = { ...command, rings: resolveRings(command.rings, members), members: [...members] };
  }
  // the catalog every tenant shares: Rampart's, Azure's standards, the provider's library
  const catalog = await catalogWithLibrary(store);
  return handleCommand(store, rolloutDecider(catalog), rolloutStreamId(rolloutId), full, { ...context, tenantId: PROVIDER_SCOPE });
};

export interface RolloutReconciliation {
  readonly assigned: number;
  readonly unassigned: number;
  readonly refused: readonly { readonly tenantId: string; readonly code: string }[];
}

/** Makes every tenant of the plan hold exactly what the rollout gives it now. */
export const reconcileRollout = async (
  deps: { readonly eventStore: EventStore; readonly standing: TenantStanding },
  rolloutId: string,
  context: { readonly correlationId: string; readonly causationId?: string | null },
): Promise<RolloutReconciliation> => {
  const state = await rolloutOf(deps.eventStore, rolloutId);
  const plan = state.plan;
  if (!plan) return { assigned: 0, unassigned: 0, refused: [] };
  const members = (await groupMembersNow(deps.eventStore, plan.groupId)) ?? new Set<string>();
  let assigned = 0;
  let unassigned = 0;
  const refused: { tenantId: string; code: string }[] = [];
  for (const tenantId of [...new Set(plan.rings.flatMap((r) => r.tenants))].sort()) {
    const policy = ((await deps.eventStore.readStream(tenantGuardrailsStreamId(tenantId))) as unknown as TenantGuardrailsEvent[]).reduce(evolveTenantGuardrails, initialTenantGuardrails());
    // a tenant that left the group leaves the rollout too
    const wanted = members.has(tenantId) ? state : { ...state, approved: [] };
    const { assign, unassign } = rolloutReconciliation(wanted, tenantId, [...policy.assignments.values()]);
    const ctx: CommandContext = { tenantId, actor: { kind: 'system', id: 'rollouts' }, correlationId: context.correlationId, causationId: context.causationId ?? null, now: new Date() };
    const note = (outcome: CommandOutcome<TenantGuardrailsEvent>, count: () => void, settled: string) => {
      if (outcome.ok) return outcome.events.length > 0 && count();
      if (outcome.rejection.code !== settled) refused.push({ tenantId, code: outcome.rejection.code });
    };
    for (const assignmentId of unassign) note(await changeTenantGuardrails(deps, ctx, { kind: 'UnassignBaseline', assignmentId, rollout: rolloutId }), () => unassigned++, 'unknown-assignment');
    if (assign) {
      const command = {
        kind: 'AssignBaseline' as const,
        assignmentId: rolloutAssignmentId(rolloutId, plan.assignmentId),
        baselineId: plan.baselineId,
        scope: plan.scope,
        parameters: plan.parameters,
        ...(plan.initiativeParameters ? { initiativeParameters: plan.initiativeParameters } : {}),
        rollout: rolloutId,
        quietExisting: !plan.raiseIncidentsForExisting,
      };
      note(await changeTenantGuardrails(deps, ctx, command), () => assigned++, 'duplicate-assignment');
    }
  }
  return { assigned, unassigned, refused };
};

/** Every rollout, newest plan first. */
export const listRollouts = async (store: Pick<EventStore, 'readAll'>): Promise<(Rollout & { readonly rolloutId: string })[]> => {
  const byId = new Map<string, Rollout>();
  const order: string[] = [];
  let from = START;
  for (;;) {
    const page = await store.readAll({ from, filter: { streamPrefixes: [`${providerStreamPrefix()}rollout-`], eventTypes: ROLLOUT_EVENT_TYPES }, maxCount: 1_000 });
    for (const e of page.events) {
      const id = (e.data as { rolloutId: string }).rolloutId;
      if (!byId.has(id)) order.push(id);
      byId.set(id, evolveRollout(byId.get(id) ?? initialRollout(), e as unknown as RolloutEvent));
    }
    from = page.position;
    if (page.isEnd || page.events.length === 0) break;
  }
  return order.reverse().map((rolloutId) => ({ rolloutId, ...(byId.get(rolloutId) as Rollout) }));
};

/** The rollouts of a group (what a change of its members may change). */
export const rolloutsOfGroup = async (store: Pick<EventStore, 'readAll'>, groupId: string): Promise<string[]> =>
  (await listRollouts(store)).filter((r) => r.plan?.groupId === groupId).map((r) => r.rolloutId);
