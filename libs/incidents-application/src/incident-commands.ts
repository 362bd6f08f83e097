// The incidents use cases a person (or an integration) takes on one incident or action: triage,
// advance, close, comment, tasks, evidence, labels, merge, propose, approve, cancel, record an
// outcome. Each asks tenancy's standing rule first, then the stream's decider; the GraphQL API, the
// demo and the tests call these, so no edge repeats or skips a rule. An approval is judged at the
// command's time against the tenant's approval lifetime, which the use case reads, not the edge.
import { fold, handleCommand, reject, type CommandContext, type CommandOutcome, type EventStore, type RecordedEvent } from '@rampart/event-sourcing';
import {
  actionDecider,
  actionStreamId,
  approvalExpiryMinutesOf,
  incidentDecider,
  incidentStreamId,
  INCIDENT_COMMAND_INTENTS,
  type ActionCommand,
  type ActionEvent,
  type Incident,
  type IncidentCommand,
  type IncidentEvent,
} from '@rampart/incidents';
import { incidentPolicyOf } from './incident-policy';
import type { IncidentsDeps } from './raise-signal';

type Deps = Pick<IncidentsDeps, 'stores' | 'standing'>;

const refusedBy = async (deps: Deps, tenantId: string, kind: keyof typeof INCIDENT_COMMAND_INTENTS) => {
  const rejection = await deps.standing(tenantId, INCIDENT_COMMAND_INTENTS[kind]);
  return rejection ? ({ ok: false, rejection, attempts: 0 } as const) : undefined;
};

const incidentNow = async (store: Pick<EventStore, 'readStream'>, tenantId: string, incidentId: string) => {
  const events = (await store.readStream(incidentStreamId(tenantId, incidentId))) as unknown as (IncidentEvent & RecordedEvent)[];
  return { events, state: fold(incidentDecider, events) };
};

/** A command on one incident (optionally only at the revision the caller saw). */
export const changeIncident = async (
  deps: Deps,
  context: CommandContext,
  incidentId: string,
  command: IncidentCommand,
  options: { readonly expectedRevision?: number } = {},
): Promise<CommandOutcome<IncidentEvent>> =>
  (await refusedBy(deps, context.tenantId, command.kind)) ??
  handleCommand(deps.stores.eventStore, incidentDecider, incidentStreamId(context.tenantId, incidentId), command, context, { expectedRevision: options.expectedRevision });

type Approval = Extract<ActionCommand, { kind: 'ApproveAction' }>;

/**
 * An action command as an edge gives it: an approval names only who approves; when it is given
 * (the context's `now`) and how long the tenant lets a proposal wait are added here.
 */
export type ActionRequest = Exclude<ActionCommand, Approval> | Omit<Approval, 'now' | 'approvalExpiryMinutes'>;

/** A command on one response action; proposing one needs its incident to exist, approving one a proposal still in its lifetime. */
export const changeAction = async (deps: Deps, context: CommandContext, actionId: string, request: ActionRequest): Promise<CommandOutcome<ActionEvent>> => {
  const refused = await refusedBy(deps, context.tenantId, request.kind);
  if (refused) return refused;
  if (request.kind === 'ProposeAction' && !(await incidentNow(deps.stores.eventStore, context.tenantId, request.incidentId)).state.exists) {
    return { ok: false, rejection: reject('unknown-incident', `no incident ${request.incidentId}`), attempts: 0 };
  }
  const command: ActionCommand =
    request.kind === 'ApproveAction'
      ? { ...request, now: context.now, approvalExpiryMinutes: approvalExpiryMinutesOf(await incidentPolicyOf(deps.stores, context.tenantId)) }
      : request;
  return handleCommand(deps.stores.eventStore, actionDecider, actionStreamId(context.tenantId, actionId), command, context);
};

const isOpen = (incident: Incident) => incident.exists && incident.status !== 'closed' && incident.status !== 'merged';

/**
 * Merges one incident into another: the source is marked merged, then each of its signals is attached
 * to the target (attaching is idempotent by signal). Two streams change, so a crash in between is
 * completed by running the same merge again: a source already merged into this target only has its
 * signals attached.
 */
export const mergeIncident = async (
  deps: Deps,
  context: CommandContext,
  merge: { readonly incidentId: string; readonly into: string; readonly expectedRevision?: number },
): Promise<CommandOutcome<IncidentEvent>> => {
  const refused = await refusedBy(deps, context.tenantId, 'MergeIncident');
  if (refused) return refused;
  const store = deps.stores.eventStore;
  const target = await incidentNow(store, context.tenantId, merge.into);
  if (!target.state.exists) return { ok: false, rejection: reject('unknown-incident', `no incident ${merge.into}`), attempts: 0 };
  if (!isOpen(target.state)) return { ok: false, rejection: reject('incident-closed', `${merge.into} is ${target.state.status}`), attempts: 0 };
  const source = await incidentNow(store, context.tenantId, merge.incidentId);
  const lastMerge = source.events.filter((e) => e.type === 'incidents.IncidentMerged.v1').at(-1) as { data: { into: string } } | undefined;
  const alreadyMerged = source.state.exists && source.state.status === 'merged' && lastMerge?.data.into === merge.into;
  const merged: CommandOutcome<IncidentEvent> = alreadyMerged
    ? { ok: true, events: [], append: null, attempts: 0 }
    : await handleCommand(store, incidentDecider, incidentStreamId(context.tenantId, merge.incidentId), { kind: 'MergeIncident', into: merge.into }, context, {
        expectedRevision: merge.expectedRevision,
      });
  if (!merged.ok || !source.state.exists) return merged;
  for (const signal of source.state.signals) {
    const attached = await handleCommand(store, incidentDecider, incidentStreamId(context.tenantId, merge.into), { kind: 'AttachSignal', signal }, context);
    if (!attached.ok) {
      const why = attached.rejection.message ? `: ${attached.rejection.message}` : '';
      return { ok: false, rejection: reject(attached.rejection.code, `${merge.incidentId} is merged into ${merge.into}, but its signal ${signal.ref} was not attached there${why}`), attempts: attached.attempts };
    }
  }
  return merged;
};
