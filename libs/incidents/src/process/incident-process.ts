// The incidents context's process manager as a decider: what a signal — a guardrail finding opened
// or resolved, an external alert received, an incident opened — asks of the incidents and actions it
// touches. Pure: the use case (`raiseSignal` in incidents-application) loads the state, asks, and
// carries out the commands in order. Its progress is the facts in the streams it writes: the incident
// a signal opens and the actions its playbook proposes have ids derived from the signal, so the state
// folded from those streams says what was already done, and a trigger delivered again after a crash
// between two steps decides only the missing one.
import type { Rejection, Workflow } from '@rampart/event-sourcing';
import type { FindingOpened, FindingResolved } from '@rampart/guardrails-contract';
import { parseArmId } from '@rampart/resource-model';
import type { ActionCommand, ActionStatus } from '../actions/action';
import type { ExternalAlert } from '../alerts/external-alert';
import { correlate, type OpenIncidentView } from '../correlation/correlation';
import type { ActionEvent, ExecutorKind, IncidentEvent, IncidentOpened, IncidentPolicy, IncidentPolicySet, IncidentStatus, Severity, Signal } from '../events';
import { incidentIdFor, type IncidentCommand } from '../incident/incident';
import { INCIDENT_COMMAND_INTENTS } from '../intents';
import { playbookForAlertType, shippedPlaybooks, stepsFor, type Playbook, type PlaybookContext } from '../playbooks/playbook';
import { DEFAULT_FINDING_SEVERITIES, DEFAULT_INCIDENT_POLICY, incidentPolicyFrom } from '../policy/incident-policy';

export type IncidentTrigger =
  /** `detectedAt`: when the finding was recorded. */
  | { readonly kind: 'FindingOpened'; readonly tenantId: string; readonly finding: FindingOpened['data']; readonly detectedAt: string }
  /** `position`: where the resolution stands in the log, the evidence a verification cites. */
  | { readonly kind: 'FindingResolved'; readonly tenantId: string; readonly resolved: FindingResolved['data']; readonly position: string }
  | { readonly kind: 'AlertReceived'; readonly tenantId: string; readonly signal: Signal }
  | { readonly kind: 'IncidentOpened'; readonly tenantId: string; readonly opened: IncidentOpened['data'] };

/** What the process knows of an action it proposed or may verify. */
export interface ActionProgress {
  readonly incidentId: string;
  readonly target: string;
  readonly status: ActionStatus;
  readonly executor: ExecutorKind | null;
  readonly verified: boolean;
}

export interface IncidentProcessState {
  readonly policy: IncidentPolicy;
  /**
   * The finding severities the tenant's guardrails reporting policy named for incidents, when it
   * recorded one: what holds while the incident policy has not named its own (deprecated path).
   */
  readonly reportingChoice: readonly Severity[] | undefined;
  /** Tenancy's answer for what the trigger would start: a refusal and nothing is taken. */
  readonly standing: Rejection | undefined;
  /** The tenant's incidents a signal may belong to, and those the trigger's own ids name. */
  readonly incidents: ReadonlyMap<string, OpenIncidentView>;
  /** The actions the trigger would propose or verify, as their streams say. */
  readonly actions: ReadonlyMap<string, ActionProgress>;
  readonly playbooks: ReadonlyMap<string, Playbook>;
}

/** The facts the state is folded from: the incidents', the actions' and the policy's streams. */
export type IncidentProcessFact = IncidentEvent | ActionEvent | IncidentPolicySet;

export type IncidentProcessCommand =
  | { readonly stream: 'incident'; readonly incidentId: string; readonly command: IncidentCommand }
  | { readonly stream: 'action'; readonly actionId: string; readonly command: ActionCommand };

/** Where a new signal goes: into a new incident, into an open one, or nowhere (it is in one already). */
export type Placement = { readonly decision: 'open' | 'attach' | 'duplicate'; readonly incidentId: string };

/**
 * The command whose intent a trigger is judged by (tenancy's standing rule). A signal opens or joins
 * an incident: new work, judged as opening one whichever it does.
 */
export const STANDING_COMMAND = {
  FindingOpened: 'OpenIncident',
  AlertReceived: 'OpenIncident',
  IncidentOpened: 'ProposeAction',
  FindingResolved: 'VerifyAction',
} as const satisfies Record<IncidentTrigger['kind'], keyof typeof INCIDENT_COMMAND_INTENTS>;

export const intentOf = (trigger: IncidentTrigger) => INCIDENT_COMMAND_INTENTS[STANDING_COMMAND[trigger.kind]];

const TERMINAL = new Set<IncidentStatus>(['closed', 'merged']);

/** Which finding severities open an incident for the tenant, and whose choice that is. */
export const findingSeverities = (
  state: Pick<IncidentProcessState, 'policy' | 'reportingChoice'>,
): { readonly severities: readonly Severity[]; readonly from: 'incident-policy' | 'reporting-policy' | 'default' } =>
  state.policy.findingSeverities
    ? { severities: state.policy.findingSeverities, from: 'incident-policy' }
    : state.reportingChoice
      ? { severities: state.reportingChoice, from: 'reporting-policy' }
      : { severities: DEFAULT_FINDING_SEVERITIES, from: 'default' };

/**
 * Whether a finding opens (or joins) an incident. A finding recorded while guardrails still judged
 * this carries its `raiseIncident`: the judgment of its time is kept, so a replay does what was done.
 * One found when a staged rollout's baseline arrived (`existing`: the resource broke it before it was
 * enforced) opens none: the rollout asked so, and the what-if had shown it.
 */
export const opensIncident = (finding: Pick<FindingOpened['data'], 'severity' | 'raiseIncident' | 'existing'>, severities: readonly Severity[]): boolean =>
  !finding.existing && (finding.raiseIncident ?? severities.includes(finding.severity));

const opens = (finding: FindingOpened['data'], state: Pick<IncidentProcessState, 'policy' | 'reportingChoice'>) => opensIncident(finding, findingSeverities(state).severities);

const findingSignal = (trigger: Extract<IncidentTrigger, { kind: 'FindingOpened' }>): Signal => ({
  kind: 'finding',
  ref: trigger.finding.findingId,
  title: trigger.finding.title,
  severity: trigger.finding.severity,
  resourceKeys: [trigger.finding.resourceKey],
  entities: [],
  detectedAt: trigger.detectedAt,
});

/**
 * An incident a finding opens is named after the guardrail and the resource: a queue holding the
 * same guardrail's incidents on twenty resources tells them apart, and a search for the resource
 * finds its incident. The signal keeps the finding's own title.
 */
export const findingIncidentTitle = (finding: Pick<FindingOpened['data'], 'title' | 'resourceId' | 'resourceKey'>): string => {
  const name = parseArmId(finding.resourceId)?.name ?? finding.resourceKey.split('/').filter(Boolean).pop();
  return name ? `${finding.title} on ${name}` : finding.title;
};

/** The signal a trigger brings to an incident, if it brings one (a finding opened, an alert). */
export const signalOf = (trigger: IncidentTrigger): Signal | undefined =>
  trigger.kind === 'FindingOpened' ? findingSignal(trigger) : trigger.kind === 'AlertReceived' ? trigger.signal : undefined;

/** An external alert as the trigger it is: the signal it brings, entities as `kind:name`. */
export const alertReceived = (tenantId: string, alert: ExternalAlert): IncidentTrigger => ({
  kind: 'AlertReceived',
  tenantId,
  signal: {
    kind: 'alert',
    ref: `${alert.source}:${alert.externalId}`,
    title: alert.title,
    severity: alert.severity,
    resourceKeys: alert.resourceIds,
    entities: alert.entities.map((e) => `${e.kind.toLowerCase()}:${e.name}`.slice(0, 200)),
    detectedAt: alert.detectedAt,
    ...(alert.alertType ? { detectionType: alert.alertType.slice(0, 200) } : {}),
  },
});

/**
 * The action a playbook's step becomes for an incident: derived, so proposing it twice is proposing it
 * once. A proposal that expired (or was cancelled) keeps its id: the process sees its stream and does
 * not propose the step again, so a playbook nobody approves is not proposed anew every time its
 * signal is redelivered. A person who still wants it proposes it again (a new action id).
 */
export const playbookActionId = (incidentId: string, phase: string, index: number): string => `act-${incidentId.slice(4)}-${phase}-${index + 1}`;

/** The signal's own incident first (its id is derived from the signal), then correlation. */
export const placeSignal = (tenantId: string, signal: Signal, state: Pick<IncidentProcessState, 'incidents' | 'policy'>): Placement => {
  const own = incidentIdFor(tenantId, signal.ref);
  if (state.incidents.has(own)) return { decision: 'duplicate', incidentId: own };
  const correlation = correlate(signal, [...state.incidents.values()], state.policy.correlationWindowMinutes);
  return correlation.decision === 'open' ? { decision: 'open', incidentId: own } : { decision: correlation.decision, incidentId: correlation.incidentId };
};

interface PlaybookPlan {
  readonly playbook: Playbook;
  readonly incidentId: string;
  readonly target: string;
  readonly context: PlaybookContext;
}

/** The playbook a trigger proposes, on which incident and target, when it proposes one. */
const planOf = (trigger: IncidentTrigger, state: Pick<IncidentProcessState, 'playbooks'>): PlaybookPlan | undefined => {
  if (trigger.kind === 'FindingOpened') {
    const { finding } = trigger;
    const playbook = state.playbooks.get(finding.playbookId);
    const incidentId = incidentIdFor(trigger.tenantId, finding.findingId);
    return playbook && { playbook, incidentId, target: finding.resourceKey, context: { guardrailId: finding.guardrailId, resourceId: finding.resourceId, incidentId } };
  }
  if (trigger.kind === 'IncidentOpened') {
    const { signal, incidentId } = trigger.opened;
    if (signal.kind !== 'alert' || !signal.detectionType) return undefined;
    const playbook = playbookForAlertType(state.playbooks, signal.detectionType);
    // An alert about no resource and no entity gives an action nothing to act on: people decide.
    const target = signal.resourceKeys[0] ?? signal.entities[0];
    if (!playbook || !target) return undefined;
    const principalId = signal.entities.find((entity) => entity.startsWith('account:'))?.slice('account:'.length);
    return { playbook, incidentId, target, context: { resourceId: signal.resourceKeys[0], principalId, incidentId } };
  }
  return undefined;
};

/** The playbook's respond-phase actions, proposed for people to approve (or approved by the tenant's policy). */
const stepsOf = (plan: PlaybookPlan) => stepsFor(plan.playbook, 'respond', plan.context).map((step, i) => ({ step, actionId: playbookActionId(plan.incidentId, step.phase, i) }));

/** The proposals not yet in the log. */
const missingProposals = (plan: PlaybookPlan | undefined, state: IncidentProcessState): IncidentProcessCommand[] =>
  plan
    ? stepsOf(plan)
        .filter(({ actionId }) => !state.actions.has(actionId))
        .map(({ step, actionId }) => ({
          stream: 'action' as const,
          actionId,
          command: {
            kind: 'ProposeAction' as const,
            actionId,
            incidentId: plan.incidentId,
            actionKind: step.actionKind,
            phase: step.phase,
            target: plan.target,
            parameters: step.parameters,
            proposedBy: `playbook:${plan.playbook.id}@${plan.playbook.version}`,
            playbookId: plan.playbook.id,
            preApproved: state.policy.preApprovedActions.includes(step.actionKind),
          },
        }))
    : [];

/**
 * What the decision depends on, for the use case to read: the correlation candidates (the read model
 * of the tenant's incidents), the streams of the incident and actions the trigger's ids name, and the
 * actions on a resource that may now be verified.
 */
export interface ProcessReads {
  readonly openIncidents: boolean;
  readonly incidentIds: readonly string[];
  readonly actionIds: readonly string[];
  /** A resource whose succeeded, unverified actions to read. */
  readonly actionsTargeting: string | null;
}

const NOTHING: ProcessReads = { openIncidents: false, incidentIds: [], actionIds: [], actionsTargeting: null };

export const readsFor = (trigger: IncidentTrigger, state: Pick<IncidentProcessState, 'policy' | 'reportingChoice' | 'playbooks'>): ProcessReads => {
  const plan = planOf(trigger, state);
  const actionIds = plan ? stepsOf(plan).map((s) => s.actionId) : [];
  switch (trigger.kind) {
    case 'FindingOpened':
      if (!opens(trigger.finding, state)) return NOTHING;
      return { openIncidents: true, incidentIds: [incidentIdFor(trigger.tenantId, trigger.finding.findingId)], actionIds, actionsTargeting: null };
    case 'AlertReceived':
      return { openIncidents: true, incidentIds: [incidentIdFor(trigger.tenantId, trigger.signal.ref)], actionIds: [], actionsTargeting: null };
    case 'IncidentOpened':
      return plan ? { openIncidents: false, incidentIds: [trigger.opened.incidentId], actionIds, actionsTargeting: null } : NOTHING;
    case 'FindingResolved':
      return trigger.resolved.resolution === 'compliant' ? { ...NOTHING, actionsTargeting: trigger.resolved.resourceKey } : NOTHING;
  }
};

/** A new signal: opens its own incident (and proposes its playbook), joins an open one, or finishes what its own incident still misses. */
const raise = (tenantId: string, signal: Signal, title: string, plan: PlaybookPlan | undefined, state: IncidentProcessState): IncidentProcessCommand[] => {
  const placed = placeSignal(tenantId, signal, state);
  if (placed.decision === 'attach') return [{ stream: 'incident', incidentId: placed.incidentId, command: { kind: 'AttachSignal', signal } }];
  if (placed.decision === 'open') {
    return [{ stream: 'incident', incidentId: placed.incidentId, command: { kind: 'OpenIncident', incidentId: placed.incidentId, title, signal } }, ...missingProposals(plan, state)];
  }
  // Delivered again. If this signal opened the incident, the worker may have died between opening it
  // and proposing its playbook: what is missing is proposed now, and nothing twice.
  const own = state.incidents.get(placed.incidentId);
  if (placed.incidentId !== incidentIdFor(tenantId, signal.ref) || !own || TERMINAL.has(own.status)) return [];
  return missingProposals(plan, state);
};

const decide = (trigger: IncidentTrigger, state: IncidentProcessState): IncidentProcessCommand[] | Rejection => {
  // What is no business of incidents is decided first: a tenant's standing refuses only work.
  switch (trigger.kind) {
    case 'FindingOpened': {
      if (!opens(trigger.finding, state)) return [];
      if (state.standing) return state.standing;
      return raise(trigger.tenantId, findingSignal(trigger), findingIncidentTitle(trigger.finding), planOf(trigger, state), state);
    }
    case 'AlertReceived': {
      if (state.standing) return state.standing;
      // Its playbook answers the incident it opens (IncidentOpened), in the worker.
      return raise(trigger.tenantId, trigger.signal, trigger.signal.title, undefined, state);
    }
    case 'IncidentOpened': {
      const plan = planOf(trigger, state);
      if (!plan) return [];
      if (state.standing) return state.standing;
      const incident = state.incidents.get(plan.incidentId);
      if (incident && TERMINAL.has(incident.status)) return [];
      return missingProposals(plan, state);
    }
    case 'FindingResolved': {
      const { resolved, position } = trigger;
      if (resolved.resolution !== 'compliant') return [];
      if (state.standing) return state.standing;
      // Closes the loop: the resource complies again after actions that succeeded on it. A dry run
      // changed nothing: the resource complying since is not its doing.
      return [...state.actions.entries()]
        .filter(([, a]) => a.target === resolved.resourceKey && a.status === 'succeeded' && !a.verified && a.executor !== 'dry-run')
        .map(([actionId]) => ({
          stream: 'action' as const,
          actionId,
          command: { kind: 'VerifyAction' as const, evidence: `finding ${resolved.findingId} (${resolved.guardrailId}) resolved as compliant at ${position}` },
        }));
    }
  }
};

const STATUS_AFTER: Partial<Record<IncidentEvent['type'], IncidentStatus>> = {
  'incidents.IncidentTriaged.v1': 'triaged',
  'incidents.IncidentResponseStarted.v1': 'responding',
  'incidents.IncidentContained.v1': 'remediating',
  'incidents.IncidentRemediated.v1': 'recovering',
  'incidents.IncidentRecovered.v1': 'resolved',
  'incidents.IncidentClosed.v1': 'closed',
  'incidents.IncidentReopened.v1': 'triaged',
  'incidents.IncidentMerged.v1': 'merged',
};

const ACTION_STATUS_AFTER: Partial<Record<ActionEvent['type'], ActionStatus>> = {
  'incidents.ActionApproved.v1': 'approved',
  'incidents.ActionExecutionStarted.v1': 'executing',
  'incidents.ActionSucceeded.v1': 'succeeded',
  'incidents.ActionFailed.v1': 'failed',
  'incidents.ActionCancelled.v1': 'cancelled',
  'incidents.ActionExpired.v1': 'expired',
};

const withIncident = (state: IncidentProcessState, view: OpenIncidentView): IncidentProcessState => ({ ...state, incidents: new Map(state.incidents).set(view.incidentId, view) });
const withAction = (state: IncidentProcessState, actionId: string, action: ActionProgress): IncidentProcessState => ({ ...state, actions: new Map(state.actions).set(actionId, action) });

const evolve = (state: IncidentProcessState, event: IncidentProcessFact): IncidentProcessState => {
  if (event.type === 'incidents.IncidentPolicySet.v1') return { ...state, policy: incidentPolicyFrom(event.data) };
  if (event.type === 'incidents.IncidentOpened.v1') {
    const { incidentId, signal } = event.data;
    return withIncident(state, { incidentId, status: 'new', signalRefs: [signal.ref], resourceKeys: [...signal.resourceKeys], entities: [...signal.entities], lastSignalAt: signal.detectedAt });
  }
  if (event.type === 'incidents.ActionProposed.v1') {
    const { actionId, incidentId, target } = event.data;
    return withAction(state, actionId, { incidentId, target, status: 'proposed', executor: null, verified: false });
  }
  if (event.type.startsWith('incidents.Action')) {
    const { actionId } = event.data as { actionId: string };
    const action = state.actions.get(actionId);
    if (!action) return state;
    const e = event as ActionEvent;
    if (e.type === 'incidents.ActionVerified.v1') return withAction(state, actionId, { ...action, verified: true });
    if (e.type === 'incidents.ActionOutcomeResolved.v1') return withAction(state, actionId, { ...action, status: e.data.outcome });
    if (e.type === 'incidents.ActionExecutionStarted.v1') return withAction(state, actionId, { ...action, status: 'executing', executor: e.data.executor });
    const status = ACTION_STATUS_AFTER[e.type];
    return status ? withAction(state, actionId, { ...action, status }) : state;
  }
  const e = event as IncidentEvent;
  const incident = state.incidents.get((e.data as { incidentId: string }).incidentId);
  if (!incident) return state;
  if (e.type === 'incidents.SignalAttached.v1') {
    const s = e.data.signal;
    return withIncident(state, {
      ...incident,
      signalRefs: [...incident.signalRefs, s.ref],
      resourceKeys: [...new Set([...incident.resourceKeys, ...s.resourceKeys])],
      entities: [...new Set([...incident.entities, ...s.entities])],
      lastSignalAt: Date.parse(s.detectedAt) > Date.parse(incident.lastSignalAt) ? s.detectedAt : incident.lastSignalAt,
    });
  }
  if (e.type === 'incidents.SignalDetached.v1') return withIncident(state, { ...incident, signalRefs: incident.signalRefs.filter((r) => r !== e.data.ref) });
  const status = STATUS_AFTER[e.type];
  return status ? withIncident(state, { ...incident, status }) : state;
};

export const incidentProcess: Workflow<IncidentTrigger, IncidentProcessState, IncidentProcessCommand, IncidentProcessFact> = {
  decide,
  evolve,
  initialState: () => ({
    policy: DEFAULT_INCIDENT_POLICY,
    reportingChoice: undefined,
    standing: undefined,
    incidents: new Map(),
    actions: new Map(),
    playbooks: shippedPlaybooks(),
  }),
};

