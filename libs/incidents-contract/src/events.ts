// The incidents context's published events: incidents' own here, response actions' and the tenant's
// incident policy beside it (actions.ts, policy.ts).
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export const moreSevere = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(b) > SEVERITIES.indexOf(a) ? b : a);

export type IncidentStatus = 'new' | 'triaged' | 'responding' | 'remediating' | 'recovering' | 'resolved' | 'closed' | 'merged';

/** What raised or joined an incident: a guardrail finding, an external alert, or an analyst. */
export interface Signal {
  readonly kind: 'finding' | 'alert' | 'manual';
  /** findingId, the alert's external id, or the analyst's note id. */
  readonly ref: string;
  readonly title: string;
  readonly severity: Severity;
  /** Lowercase ARM ids (or other resource keys) the signal is about: correlation joins on them. */
  readonly resourceKeys: readonly string[];
  /** Compromised entities (accounts, hosts, IPs) as `kind:name`: correlation joins on them too. */
  readonly entities: readonly string[];
  readonly detectedAt: string;
  /** An alert's detection type (Defender alertType, Sentinel rule id): which playbook answers it. */
  readonly detectionType?: string;
}

export type Classification = 'true-positive' | 'benign-positive' | 'false-positive' | 'undetermined';
export const CLASSIFICATIONS: readonly Classification[] = ['true-positive', 'benign-positive', 'false-positive', 'undetermined'];

export type IncidentOpened = DomainEvent<'incidents.IncidentOpened.v1', { incidentId: string; title: string; severity: Severity; signal: Signal }>;
export type SignalAttached = DomainEvent<'incidents.SignalAttached.v1', { incidentId: string; signal: Signal }>;
export type SignalDetached = DomainEvent<'incidents.SignalDetached.v1', { incidentId: string; ref: string; movedTo: string }>;
export type IncidentTriaged = DomainEvent<'incidents.IncidentTriaged.v1', { incidentId: string; severity: Severity; assignee: string }>;
export type IncidentReassigned = DomainEvent<'incidents.IncidentReassigned.v1', { incidentId: string; assignee: string }>;
export type IncidentResponseStarted = DomainEvent<'incidents.IncidentResponseStarted.v1', { incidentId: string; summary: string }>;
export type IncidentContained = DomainEvent<'incidents.IncidentContained.v1', { incidentId: string; summary: string }>;
export type IncidentRemediated = DomainEvent<'incidents.IncidentRemediated.v1', { incidentId: string; summary: string }>;
export type IncidentRecovered = DomainEvent<'incidents.IncidentRecovered.v1', { incidentId: string; summary: string }>;
export type IncidentClosed = DomainEvent<
  'incidents.IncidentClosed.v1',
  { incidentId: string; classification: Classification; reason: string; rootCause: string; lessonsLearned: string }
>;
/** Root cause feeds prevention: the guardrails context may act on it (assign a baseline, switch to deny). */
export type PreventionProposed = DomainEvent<
  'incidents.PreventionProposed.v1',
  { incidentId: string; guardrailId: string | null; baselineId: string | null; change: string }
>;
export type IncidentReopened = DomainEvent<'incidents.IncidentReopened.v1', { incidentId: string; reason: string }>;
export type IncidentMerged = DomainEvent<'incidents.IncidentMerged.v1', { incidentId: string; into: string }>;
export type CommentAdded = DomainEvent<'incidents.CommentAdded.v1', { incidentId: string; commentId: string; text: string }>;
export type TaskAdded = DomainEvent<'incidents.TaskAdded.v1', { incidentId: string; taskId: string; title: string; owner: string; dueAt: string }>;
export type TaskCompleted = DomainEvent<'incidents.TaskCompleted.v1', { incidentId: string; taskId: string }>;
export type EvidenceAdded = DomainEvent<'incidents.EvidenceAdded.v1', { incidentId: string; uri: string; sha256: string; description: string }>;
export type LabelsChanged = DomainEvent<'incidents.LabelsChanged.v1', { incidentId: string; added: string[]; removed: string[] }>;
export type SlaBreached = DomainEvent<'incidents.SlaBreached.v1', { incidentId: string; target: SlaTarget; dueAt: string; severity: Severity }>;

export type SlaTarget = 'acknowledge' | 'contain' | 'resolve';

export type IncidentEvent =
  | IncidentOpened
  | SignalAttached
  | SignalDetached
  | IncidentTriaged
  | IncidentReassigned
  | IncidentResponseStarted
  | IncidentContained
  | IncidentRemediated
  | IncidentRecovered
  | IncidentClosed
  | PreventionProposed
  | IncidentReopened
  | IncidentMerged
  | CommentAdded
  | TaskAdded
  | TaskCompleted
  | EvidenceAdded
  | LabelsChanged
  | SlaBreached;

export const INCIDENT_EVENT_TYPES: readonly IncidentEvent['type'][] = [
  'incidents.IncidentOpened.v1',
  'incidents.SignalAttached.v1',
  'incidents.SignalDetached.v1',
  'incidents.IncidentTriaged.v1',
  'incidents.IncidentReassigned.v1',
  'incidents.IncidentResponseStarted.v1',
  'incidents.IncidentContained.v1',
  'incidents.IncidentRemediated.v1',
  'incidents.IncidentRecovered.v1',
  'incidents.IncidentClosed.v1',
  'incidents.PreventionProposed.v1',
  'incidents.IncidentReopened.v1',
  'incidents.IncidentMerged.v1',
  'incidents.CommentAdded.v1',
  'incidents.TaskAdded.v1',
  'incidents.TaskCompleted.v1',
  'incidents.EvidenceAdded.v1',
  'incidents.LabelsChanged.v1',
  'incidents.SlaBreached.v1',
];

/** What audit reads of an incident's life. */
export const isIncidentEvent = eventGuard<IncidentEvent>(...INCIDENT_EVENT_TYPES);
/** Root cause turned into prevention: what the guardrails context may act on (assign a baseline, switch to deny). */
export const isPreventionProposed = eventGuard<PreventionProposed>('incidents.PreventionProposed.v1');
