// A tenant group's assignments: recorded once for the group, and held by each member in its own
// policy for as long as it is a member. The reaction reconciles instead of replaying: on any change
// of a group's members or assignments it makes each tenant that ever was a member hold exactly what
// the group gives it now, through the tenant policy's use case (tenancy's standing rule included).
// So a batch handled twice (a worker died before its checkpoint), or two changes in either order,
// converge on the same assignments, each recorded once.
import { randomUUID } from 'node:crypto';
import { handleCommand, PROVIDER_SCOPE, reject, type CommandContext, type CommandOutcome, type EventStore, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import {
  evolveGroupGuardrails,
  evolveTenantGuardrails,
  GROUP_GUARDRAILS_EVENT_TYPES,
  ROLLOUT_EVENT_TYPES,
  groupGuardrailsDecider,
  groupGuardrailsStreamId,
  initialGroupGuardrails,
  initialTenantGuardrails,
  isGroupGuardrailsEvent,
  memberAssignmentId,
  memberReconciliation,
  tenantGuardrailsStreamId,
  type GroupGuardrails,
  type GroupGuardrailsCommand,
  type GroupGuardrailsEvent,
  type TenantGuardrailsEvent,
} from '@rampart/guardrails';
import { GROUP_ID, groupMembersOf, isTenantGroupEvent, tenantGroupStreamId, type TenantGroupEvent } from '@rampart/tenancy-contract';
import { followLog, type Background, type Logger, type Stores } from '@rampart/runtime';
import { catalogWithLibrary } from './library-catalog';
import { reconcileRollout, rolloutsOfGroup } from './rollouts';
import { changeTenantGuardrails } from './tenant-guardrails';

const groupEvents = async (store: Pick<EventStore, 'readStream'>, groupId: string): Promise<TenantGroupEvent[]> =>
  (await store.readStream(tenantGroupStreamId(groupId))).filter(isTenantGroupEvent) as unknown as TenantGroupEvent[];

export const groupGuardrailsOf = async (store: Pick<EventStore, 'readStream'>, groupId: string): Promise<GroupGuardrails> =>
  ((await store.readStream(groupGuardrailsStreamId(groupId))).filter(isGroupGuardrailsEvent) as unknown as GroupGuardrailsEvent[]).reduce(evolveGroupGuardrails, initialGroupGuardrails());

/** Assigns a baseline to a group, or takes one away: the group must exist; members follow through the reaction. */
export const changeGroupGuardrails = async (
  store: EventStore,
  command: GroupGuardrailsCommand,
  context: Omit<CommandContext, 'tenantId'>,
): Promise<CommandOutcome<GroupGuardrailsEvent>> => {
  if (!GROUP_ID.test(command.groupId) || !(await groupEvents(store, command.groupId)).some((e) => e.type === 'tenancy.TenantGroupCreated.v1')) {
    return { ok: false, rejection: reject('unknown-group', `no tenant group ${command.groupId.slice(0, 40)}`), attempts: 0 };
  }
  // the catalog every tenant shares: Rampart's, Azure's standards, the provider's library
  const catalog = await catalogWithLibrary(store);
  return handleCommand(store, groupGuardrailsDecider(catalog), groupGuardrailsStreamId(command.groupId), command, { ...context, tenantId: PROVIDER_SCOPE });
};

export interface GroupReconciliation {
  readonly assigned: number;
  readonly unassigned: number;
  /** Tenants whose policy refused (an offboarded tenant keeps what it held). */
  readonly refused: readonly { readonly tenantId: string; readonly code: string }[];
}

/** Makes every tenant that ever was in the group hold exactly what the group gives it now. */
export const reconcileGroup = async (
  deps: { readonly eventStore: EventStore; readonly standing: TenantStanding },
  groupId: string,
  context: { readonly correlationId: string; readonly causationId?: string | null },
): Promise<GroupReconciliation> => {
  const events = await groupEvents(deps.eventStore, groupId);
  const members = groupMembersOf(events);
  const everMembers = [...new Set(events.flatMap((e) => (e.type === 'tenancy.TenantJoinedGroup.v1' ? [e.data.tenantId] : [])))].sort();
  const group = await groupGuardrailsOf(deps.eventStore, groupId);
  let assigned = 0;
  let unassigned = 0;
  const refused: { tenantId: string; code: string }[] = [];
  for (const tenantId of everMembers) {
    const policy = ((await deps.eventStore.readStream(tenantGuardrailsStreamId(tenantId))) as unknown as TenantGuardrailsEvent[]).reduce(evolveTenantGuardrails, initialTenantGuardrails());
    const { assign, unassign } = memberReconciliation(groupId, members.has(tenantId), group, [...policy.assignments.values()]);
    const ctx: CommandContext = { tenantId, actor: { kind: 'system', id: 'group-assignments' }, correlationId: context.correlationId, causationId: context.causationId ?? null, now: new Date() };
    const note = (outcome: CommandOutcome<TenantGuardrailsEvent>, count: () => void, settled: string) => {
      if (outcome.ok) return outcome.events.length > 0 && count();
      if (outcome.rejection.code !== settled) refused.push({ tenantId, code: outcome.rejection.code });
    };
    for (const assignmentId of unassign) {
      note(await changeTenantGuardrails(deps, ctx, { kind: 'UnassignBaseline', assignmentId, group: groupId }), () => unassigned++, 'unknown-assignment');
    }
    for (const a of assign) {
      const command = {
        kind: 'AssignBaseline' as const,
        assignmentId: memberAssignmentId(groupId, a.assignmentId),
        baselineId: a.baselineId,
        scope: a.scope,
        parameters: a.parameters,
        ...(a.initiativeParameters ? { initiativeParameters: a.initiativeParameters } : {}),
        group: groupId,
      };
      note(await changeTenantGuardrails(deps, ctx, command), () => assigned++, 'duplicate-assignment');
    }
  }
  return { assigned, unassigned, refused };
};

export const GROUP_ASSIGNMENTS_SUBSCRIPTION = 'group-assignments';
/** What changes what a group (or a staged rollout to it) gives its members. */
export const GROUP_ASSIGNMENT_EVENT_TYPES: readonly string[] = ['tenancy.TenantJoinedGroup.v1', 'tenancy.TenantLeftGroup.v1', ...GROUP_GUARDRAILS_EVENT_TYPES, ...ROLLOUT_EVENT_TYPES];

/** One batch: each group and each rollout it touches reconciled once (a change of members reaches the group's rollouts too). */
export const handleGroupEvents = async (deps: { readonly eventStore: EventStore; readonly standing: TenantStanding }, events: readonly RecordedEvent[], log?: Logger): Promise<void> => {
  const groups = new Map<string, RecordedEvent>();
  const rollouts = new Map<string, RecordedEvent>();
  for (const e of events) {
    const { groupId, rolloutId } = e.data as { groupId?: unknown; rolloutId?: unknown };
    if (typeof rolloutId === 'string') rollouts.set(rolloutId, e);
    else if (typeof groupId === 'string') groups.set(groupId, e);
  }
  for (const [groupId, last] of groups) {
    const outcome = await reconcileGroup(deps, groupId, { correlationId: last.metadata.correlationId ?? randomUUID(), causationId: last.eventId });
    for (const r of outcome.refused) log?.warn({ groupId, tenantId: r.tenantId, code: r.code }, 'group assignment refused by the tenant policy');
    if (last.type.startsWith('tenancy.')) for (const rolloutId of await rolloutsOfGroup(deps.eventStore, groupId)) if (!rollouts.has(rolloutId)) rollouts.set(rolloutId, last);
  }
  for (const [rolloutId, last] of rollouts) {
    const outcome = await reconcileRollout(deps, rolloutId, { correlationId: last.metadata.correlationId ?? randomUUID(), causationId: last.eventId });
    for (const r of outcome.refused) log?.warn({ rolloutId, tenantId: r.tenantId, code: r.code }, 'rollout assignment refused by the tenant policy');
  }
};

/** Runs the group assignments reaction from its checkpoint until stopped (every worker; one holds the provider's partition). */
export const startGroupAssignments = (stores: Stores, log: Logger, standing: TenantStanding, options: { leaseMs?: number; partitions?: number } = {}): Promise<Background> =>
  followLog(stores, log, {
    leaseMs: options.leaseMs,
    partitions: options.partitions,
    subscriptionId: GROUP_ASSIGNMENTS_SUBSCRIPTION,
    eventTypes: GROUP_ASSIGNMENT_EVENT_TYPES,
    batchSize: 100,
    handle: (events) => handleGroupEvents({ eventStore: stores.eventStore, standing }, events, log),
  });
