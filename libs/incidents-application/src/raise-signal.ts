// One use case for every signal the incidents context takes: a guardrail finding opened or resolved
// (the incident reactor), an external alert (the ingestAlerts mutation and the alerts webhook), an
// incident opened (the reactor, for the playbook answering an alert). It loads what the incident
// process needs to decide — the tenant's standing and incident policy, the incidents a signal may
// join, and the streams of the incident and actions the trigger's own ids name — asks the decider,
// and carries out its commands in order. Every edge calls this; none repeats a rule.
import {
  handleCommand,
  isRejection,
  type Actor,
  type CommandIntent,
  type EventStore,
  type Rejection,
  type TenantStanding,
} from '@rampart/event-sourcing';
import {
  actionDecider,
  actionStreamId,
  incidentDecider,
  incidentPolicyStreamId,
  incidentProcess,
  incidentStreamId,
  intentOf,
  openIncidentView,
  placeSignal,
  readsFor,
  signalOf,
  STANDING_COMMAND,
  withSignal,
  type ActionEntry,
  type IncidentEntry,
  type IncidentProcessCommand,
  type IncidentProcessFact,
  type IncidentProcessState,
  type IncidentTrigger,
  type OpenIncidentView,
  type Placement,
  type Severity,
} from '@rampart/incidents';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

/**
 * The finding severities a tenant named for incidents in guardrails' (deprecated) reporting policy,
 * if it ever recorded one. The composition answers it from guardrails' published events.
 */
export type ReportingChoice = (tenantId: string) => Promise<readonly Severity[] | undefined>;

export interface IncidentsDeps {
  readonly stores: Pick<Stores, 'eventStore' | 'readModels'>;
  /** Tenancy's standing rule. */
  readonly standing: TenantStanding;
  /** Without it, a tenant whose incident policy names no finding severities gets the default. */
  readonly reportingChoice?: ReportingChoice;
  readonly schema?: string;
}

/** Who takes the commands, and what caused them. */
export interface CommandCause {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
  readonly now: Date;
}

export type RaiseOutcome =
  | {
      readonly ok: true;
      /** Where a finding or alert went; null for what places no signal (or a finding that opens no incident). */
      readonly placed: Placement | null;
      readonly commands: readonly IncidentProcessCommand[];
    }
  | {
      readonly ok: false;
      readonly rejection: Rejection;
      /** The command refused: by the tenant's standing (`intent` set), or by its stream's decider. */
      readonly command: string;
      readonly intent?: CommandIntent;
    };

/**
 * What a run of signals (a reactor's batch, an alert payload) remembers between them: the tenant's
 * policy, standing and reporting choice are asked once, and each signal's incident is known to the
 * next one before any read model shows it.
 */
export class SignalBatch {
  readonly views = new Map<string, OpenIncidentView[]>();
  readonly facts = new Map<string, Promise<unknown>>();

  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.facts.get(key) as Promise<T> | undefined;
    if (!value) this.facts.set(key, (value = load()));
    return value;
  }
}

/** A tenant's incident policy stream, folded with the process's own fold (a policy never set is the default). */
const policyFacts = (store: Pick<EventStore, 'readStream'>, tenantId: string) => store.readStream(incidentPolicyStreamId(tenantId), { direction: 'backwards', maxCount: 1 });

/** The tenant's incidents a signal may belong to: open ones, and closed ones of the last 30 days (the same alert again is a duplicate). */
const candidateIncidents = async (deps: IncidentsDeps, tenantId: string): Promise<OpenIncidentView[]> => {
  const { rows } = await deps.stores.readModels.query<{ doc: IncidentEntry }>(
    `SELECT doc FROM "${deps.schema ?? READ_MODEL_SCHEMA}".incidents
      WHERE tenant_id = $1 AND (doc->>'status' NOT IN ('closed', 'merged') OR (doc->>'openedAt')::timestamptz > now() - interval '30 days')`,
    [tenantId],
  );
  return rows.map(({ doc }) => openIncidentView(doc));
};

/** Actions the read model shows succeeded and unverified on a resource: their streams say for sure. */
const actionsTargeting = async (deps: IncidentsDeps, tenantId: string, target: string): Promise<string[]> => {
  const { rows } = await deps.stores.readModels.query<{ doc: ActionEntry }>(
    `SELECT doc FROM "${deps.schema ?? READ_MODEL_SCHEMA}".response_actions WHERE tenant_id = $1 AND doc->>'target' = $2 AND doc->>'status' = 'succeeded' AND NOT (doc->>'verified')::boolean`,
    [tenantId, target],
  );
  return rows.map(({ doc }) => doc.actionId);
};

/** The state the incident process decides a trigger from. */
export const loadProcessState = async (deps: IncidentsDeps, trigger: IncidentTrigger, batch = new SignalBatch()): Promise<IncidentProcessState> => {
  const { tenantId } = trigger;
  const store = deps.stores.eventStore;
  const intent = intentOf(trigger);
  let state: IncidentProcessState = {
    ...incidentProcess.initialState(),
    standing: await batch.once(`standing|${tenantId}|${intent}`, () => deps.standing(tenantId, intent)),
  };
  for (const e of await batch.once(`policy|${tenantId}`, () => policyFacts(store, tenantId))) state = incidentProcess.evolve(state, e as unknown as IncidentProcessFact);
  if (!state.policy.findingSeverities && trigger.kind === 'FindingOpened' && deps.reportingChoice) {
    const choice = deps.reportingChoice;
    state = { ...state, reportingChoice: await batch.once(`reporting|${tenantId}`, () => choice(tenantId)) };
  }
  const reads = readsFor(trigger, state);
  if (reads.openIncidents) {
    let views = batch.views.get(tenantId);
    if (!views) batch.views.set(tenantId, (views = await candidateIncidents(deps, tenantId)));
    state = { ...state, incidents: new Map(views.map((v) => [v.incidentId, v])) };
  }
  const actionIds = [...reads.actionIds, ...(reads.actionsTargeting ? await actionsTargeting(deps, tenantId, reads.actionsTargeting) : [])];
  // What was already done for this trigger: the facts in the streams it writes, never a read model that may lag.
  const streams = [...reads.incidentIds.map((id) => incidentStreamId(tenantId, id)), ...actionIds.map((id) => actionStreamId(tenantId, id))];
  for (const streamId of streams) {
    for (const e of await store.readStream(streamId)) state = incidentProcess.evolve(state, e as unknown as IncidentProcessFact);
  }
  return state;
};

/** Already there: a concurrent writer (another request with the same alert) did the step. */
const DONE = new Set(['incident-exists', 'action-exists']);

/** Decides what the trigger asks and carries it out, in order: a crash between two steps is finished when it comes again. */
export const raiseSignal = async (deps: IncidentsDeps, trigger: IncidentTrigger, cause: CommandCause, batch = new SignalBatch()): Promise<RaiseOutcome> => {
  const { tenantId } = trigger;
  const state = await loadProcessState(deps, trigger, batch);
  const decision = incidentProcess.decide(trigger, state);
  // The process refuses only what the tenant's standing refuses.
  if (isRejection(decision)) return { ok: false, rejection: decision, command: STANDING_COMMAND[trigger.kind], intent: intentOf(trigger) };
  const commands = decision;
  const signal = signalOf(trigger);
  // Placed before the commands are taken: the answer is where the signal went by this decision.
  const placed = signal && readsFor(trigger, state).openIncidents ? placeSignal(tenantId, signal, state) : null;
  const ctx = { tenantId, actor: cause.actor, correlationId: cause.correlationId, causationId: cause.causationId, now: cause.now };
  for (const c of commands) {
    const outcome =
      c.stream === 'incident'
        ? await handleCommand(deps.stores.eventStore, incidentDecider, incidentStreamId(tenantId, c.incidentId), c.command, ctx)
        : await handleCommand(deps.stores.eventStore, actionDecider, actionStreamId(tenantId, c.actionId), c.command, ctx);
    if (!outcome.ok && !DONE.has(outcome.rejection.code)) return { ok: false, rejection: outcome.rejection, command: c.command.kind };
  }
  if (signal && placed && placed.decision !== 'duplicate') batch.views.set(tenantId, withSignal(batch.views.get(tenantId) ?? [], placed.incidentId, signal));
  return { ok: true, placed, commands };
};
