// The incidents context's read models (pure key + evolve; the platform projects them into SQL):
// the incident queue with its milestones, and the response actions.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import type { ActionStatus } from '../actions/action';
import type { OpenIncidentView } from '../correlation/correlation';
import {
  ACTION_EVENT_TYPES,
  INCIDENT_EVENT_TYPES,
  moreSevere,
  type ActionEvent,
  type Classification,
  type ExecutorKind,
  type IncidentEvent,
  type IncidentStatus,
  type Phase,
  type RemediationVerb,
  type Severity,
  type Signal,
  type SlaTarget,
} from '../events';

export interface IncidentEntry {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly assignee: string | null;
  readonly signals: readonly Signal[];
  readonly resourceKeys: readonly string[];
  readonly entities: readonly string[];
  readonly labels: readonly string[];
  readonly openedAt: string;
  readonly lastSignalAt: string;
  readonly triagedAt: string | null;
  readonly containedAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly classification: Classification | null;
  readonly mergedInto: string | null;
  readonly breached: readonly SlaTarget[];
  readonly openTasks: number;
  readonly revision: number;
  readonly updatedAt: string;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

export const incidentQueue = {
  name: 'incidents',
  version: 1,
  table: 'incidents',
  eventTypes: INCIDENT_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { incidentId: string }).incidentId}`,
  evolve: (entry: IncidentEntry | undefined, raw: ProjectedEvent): IncidentEntry | null => {
    const event = raw as unknown as IncidentEvent;
    const at = raw.recordedAt;
    if (event.type === 'incidents.IncidentOpened.v1') {
      const s = event.data.signal;
      return {
        tenantId: raw.metadata.tenantId,
        incidentId: event.data.incidentId,
        title: event.data.title,
        severity: event.data.severity,
        status: 'new',
        assignee: null,
        signals: [s],
        resourceKeys: [...s.resourceKeys],
        entities: [...s.entities],
        labels: [],
        openedAt: at,
        lastSignalAt: s.detectedAt,
        triagedAt: null,
        containedAt: null,
        resolvedAt: null,
        closedAt: null,
        classification: null,
        mergedInto: null,
        breached: [],
        openTasks: 0,
        revision: raw.revision,
        updatedAt: at,
      };
    }
    if (!entry) return null;
    const next = { ...entry, revision: raw.revision, updatedAt: at };
    switch (event.type) {
      case 'incidents.SignalAttached.v1': {
        const s = event.data.signal;
        const severity = entry.status === 'new' ? moreSevere(entry.severity, s.severity) : entry.severity;
        return {
          ...next,
          severity,
          signals: [...entry.signals, s],
          resourceKeys: union(entry.resourceKeys, s.resourceKeys),
          entities: union(entry.entities, s.entities),
          lastSignalAt: Date.parse(s.detectedAt) > Date.parse(entry.lastSignalAt) ? s.detectedAt : entry.lastSignalAt,
        };
      }
      case 'incidents.SignalDetached.v1':
        return { ...next, signals: entry.signals.filter((s) => s.ref !== event.data.ref) };
      case 'incidents.IncidentTriaged.v1':
        return { ...next, status: 'triaged', severity: event.data.severity, assignee: event.data.assignee, triagedAt: entry.triagedAt ?? at };
      case 'incidents.IncidentReassigned.v1':
        return { ...next, assignee: event.data.assignee };
      case 'incidents.IncidentResponseStarted.v1':
        return { ...next, status: 'responding' };
      case 'incidents.IncidentContained.v1':
        return { ...next, status: 'remediating', containedAt: entry.containedAt ?? at };
      case 'incidents.IncidentRemediated.v1':
        return { ...next, status: 'recovering' };
      case 'incidents.IncidentRecovered.v1':
        return { ...next, status: 'resolved', resolvedAt: at };
      case 'incidents.IncidentClosed.v1':
        return { ...next, status: 'closed', closedAt: at, classification: event.data.classification };
      case 'incidents.IncidentReopened.v1':
        return { ...next, status: 'triaged', resolvedAt: null, closedAt: null, classification: null };
      case 'incidents.IncidentMerged.v1':
        return { ...next, status: 'merged', mergedInto: event.data.into };
      case 'incidents.TaskAdded.v1':
        return { ...next, openTasks: entry.openTasks + 1 };
      case 'incidents.TaskCompleted.v1':
        return { ...next, openTasks: Math.max(0, entry.openTasks - 1) };
      case 'incidents.LabelsChanged.v1':
        return { ...next, labels: entry.labels.filter((l) => !event.data.removed.includes(l)).concat(event.data.added) };
      case 'incidents.SlaBreached.v1':
        return { ...next, breached: union(entry.breached, [event.data.target]) as SlaTarget[] };
      default:
        return next;
    }
  },
};

/** What correlation needs to know of an incident. */
export const openIncidentView = (doc: IncidentEntry): OpenIncidentView => ({
  incidentId: doc.incidentId,
  status: doc.status,
  signalRefs: doc.signals.map((s) => s.ref),
  resourceKeys: doc.resourceKeys,
  entities: doc.entities,
  lastSignalAt: doc.lastSignalAt,
});

export interface ActionEntry {
  readonly tenantId: string;
  readonly actionId: string;
  readonly incidentId: string;
  readonly actionKind: string;
  readonly verb: RemediationVerb;
  readonly phase: Phase;
  readonly target: string;
  readonly parameters: Record<string, string>;
  readonly destructive: boolean;
  readonly status: ActionStatus;
  readonly proposedBy: string;
  readonly approvedBy: string | null;
  readonly executor: ExecutorKind | null;
  readonly outcome: string | null;
  /** Failed without knowing whether the receiver acted: waits for a person to resolve it. */
  readonly uncertain: boolean;
  readonly verified: boolean;
  readonly playbookId: string | null;
  /** When the proposal was recorded: its approval lifetime runs from here. */
  readonly proposedAt: string;
  /** When an unapproved proposal's lifetime ran out (status expired); absent from entries projected before proposals expired. */
  readonly expiredAt?: string | null;
  readonly updatedAt: string;
}

export const responseActions = {
  name: 'response-actions',
  version: 2,
  table: 'response_actions',
  eventTypes: ACTION_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { actionId: string }).actionId}`,
  evolve: (entry: ActionEntry | undefined, raw: ProjectedEvent): ActionEntry | null => {
    const event = raw as unknown as ActionEvent;
    const at = raw.recordedAt;
    if (event.type === 'incidents.ActionProposed.v1') {
      const d = event.data;
      return {
        tenantId: raw.metadata.tenantId,
        actionId: d.actionId,
        incidentId: d.incidentId,
        actionKind: d.actionKind,
        verb: d.verb,
        phase: d.phase,
        target: d.target,
        parameters: d.parameters,
        destructive: d.destructive,
        status: 'proposed',
        proposedBy: d.proposedBy,
        approvedBy: null,
        executor: null,
        outcome: null,
        uncertain: false,
        verified: false,
        playbookId: d.playbookId,
        proposedAt: at,
        expiredAt: null,
        updatedAt: at,
      };
    }
    if (!entry) return null;
    const next = { ...entry, updatedAt: at };
    switch (event.type) {
      case 'incidents.ActionApproved.v1':
        return { ...next, status: 'approved', approvedBy: event.data.approvedBy };
      case 'incidents.ActionExecutionStarted.v1':
        return { ...next, status: 'executing', executor: event.data.executor };
      case 'incidents.ActionSucceeded.v1':
        return { ...next, status: 'succeeded', outcome: event.data.outcome };
      case 'incidents.ActionFailed.v1':
        return { ...next, status: 'failed', outcome: event.data.reason, uncertain: event.data.uncertain === true };
      case 'incidents.ActionOutcomeResolved.v1':
        return { ...next, status: event.data.outcome, outcome: `${event.data.note} (resolved by ${event.data.resolvedBy})`, uncertain: false };
      case 'incidents.ActionCancelled.v1':
        return { ...next, status: 'cancelled', outcome: event.data.reason };
      case 'incidents.ActionExpired.v1':
        return { ...next, status: 'expired', expiredAt: event.data.expiredAt, outcome: `not approved within ${event.data.approvalExpiryMinutes} minutes` };
      case 'incidents.ActionVerified.v1':
        return { ...next, verified: true };
      default:
        return next;
    }
  },
};
