// Read-only views of the events other contexts publish, keyed by their stable type names. Audit may
// not import those contexts (scope rule), so it restates the fields it reads; the source of truth is
// each context's `events.ts` (guardrails, incidents, incidents/actions, tenancy, inventory).
import type { RecordedEvent } from '@rampart/event-sourcing';

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type PostureState = 'compliant' | 'nonCompliant' | 'exempt' | 'error' | 'notApplicable';
export type IncidentStatus = 'new' | 'triaged' | 'responding' | 'remediating' | 'recovering' | 'resolved' | 'closed' | 'merged';
export type RemediationVerb = 'Isolate' | 'Evict' | 'Restore' | 'Harden';

export interface EvaluationCause {
  readonly eventId: string;
  readonly type: string;
  readonly position: string;
}

export interface SignalView {
  readonly kind: 'finding' | 'alert' | 'manual';
  readonly ref: string;
  readonly title: string;
  readonly severity: Severity;
  readonly resourceKeys: readonly string[];
  readonly detectedAt: string;
}

interface IncidentRef {
  readonly incidentId: string;
}
interface ActionRef {
  readonly actionId: string;
}

export interface EventViews {
  'guardrails.BaselineAssigned.v1': { readonly assignmentId: string; readonly baselineId: string; readonly scope: string };
  'guardrails.BaselineUnassigned.v1': { readonly assignmentId: string; readonly baselineId: string };
  'guardrails.ExemptionRequested.v1': {
    readonly exemptionId: string;
    readonly guardrailId: string;
    readonly scope: string;
    readonly category: 'waiver' | 'mitigated';
    readonly justification: string;
    readonly requestedBy: string;
    readonly expiresAt: string;
  };
  'guardrails.ExemptionGranted.v1': { readonly exemptionId: string; readonly approvedBy: string };
  'guardrails.ExemptionRevoked.v1': { readonly exemptionId: string; readonly reason: string };
  'guardrails.ExemptionExpired.v1': { readonly exemptionId: string; readonly expiredAt: string };
  'guardrails.ReportingPolicySet.v1': { readonly incidentSeverities: readonly Severity[]; readonly notifySeverities: readonly Severity[] };
  'guardrails.ComplianceStateChanged.v1': {
    readonly resourceKey: string;
    readonly resourceId: string;
    readonly resourceType: string;
    readonly assignmentId: string;
    readonly baselineId: string;
    readonly guardrailId: string;
    readonly from: PostureState | null;
    readonly to: PostureState;
    readonly reason: string;
    readonly exemptionId: string | null;
    readonly causedBy: EvaluationCause | null;
  };
  'guardrails.FindingOpened.v1': {
    readonly findingId: string;
    readonly resourceKey: string;
    readonly resourceId: string;
    readonly resourceType: string;
    readonly assignmentId: string;
    readonly guardrailId: string;
    readonly severity: Severity;
    readonly title: string;
    readonly playbookId: string;
    readonly reason: string;
    readonly causedBy: EvaluationCause | null;
    readonly raiseIncident: boolean;
    readonly notify: boolean;
  };
  'guardrails.FindingResolved.v1': {
    readonly findingId: string;
    readonly resourceKey: string;
    readonly guardrailId: string;
    readonly assignmentId: string;
    readonly resolution: 'compliant' | 'exempted' | 'resource-removed' | 'unassigned' | 'not-applicable';
    readonly causedBy: EvaluationCause | null;
  };

  'incidents.IncidentOpened.v1': IncidentRef & { readonly title: string; readonly severity: Severity; readonly signal: SignalView };
  'incidents.SignalAttached.v1': IncidentRef & { readonly signal: SignalView };
  'incidents.SignalDetached.v1': IncidentRef & { readonly ref: string; readonly movedTo: string };
  'incidents.IncidentTriaged.v1': IncidentRef & { readonly severity: Severity; readonly assignee: string };
  'incidents.IncidentReassigned.v1': IncidentRef & { readonly assignee: string };
  'incidents.IncidentResponseStarted.v1': IncidentRef & { readonly summary: string };
  'incidents.IncidentContained.v1': IncidentRef & { readonly summary: string };
  'incidents.IncidentRemediated.v1': IncidentRef & { readonly summary: string };
  'incidents.IncidentRecovered.v1': IncidentRef & { readonly summary: string };
  'incidents.IncidentClosed.v1': IncidentRef & {
    readonly classification: 'true-positive' | 'benign-positive' | 'false-positive' | 'undetermined';
    readonly reason: string;
    readonly rootCause: string;
    readonly lessonsLearned: string;
  };
  'incidents.PreventionProposed.v1': IncidentRef & { readonly guardrailId: string | null; readonly baselineId: string | null; readonly change: string };
  'incidents.IncidentReopened.v1': IncidentRef & { readonly reason: string };
  'incidents.IncidentMerged.v1': IncidentRef & { readonly into: string };
  'incidents.CommentAdded.v1': IncidentRef & { readonly commentId: string; readonly text: string };
  'incidents.TaskAdded.v1': IncidentRef & { readonly taskId: string; readonly title: string; readonly owner: string; readonly dueAt: string };
  'incidents.TaskCompleted.v1': IncidentRef & { readonly taskId: string };
  'incidents.EvidenceAdded.v1': IncidentRef & { readonly uri: string; readonly sha256: string; readonly description: string };
  'incidents.LabelsChanged.v1': IncidentRef & { readonly added: readonly string[]; readonly removed: readonly string[] };
  'incidents.SlaBreached.v1': IncidentRef & { readonly target: 'acknowledge' | 'contain' | 'resolve'; readonly dueAt: string; readonly severity: Severity };

  'incidents.ActionProposed.v1': ActionRef & {
    readonly incidentId: string;
    readonly actionKind: string;
    readonly verb: RemediationVerb;
    readonly phase: 'respond' | 'remediate' | 'recover';
    readonly target: string;
    readonly parameters: Readonly<Record<string, string>>;
    readonly destructive: boolean;
    readonly proposedBy: string;
    readonly playbookId: string | null;
  };
  'incidents.ActionApproved.v1': ActionRef & { readonly approvedBy: string; readonly preApproved: boolean };
  'incidents.ActionExecutionStarted.v1': ActionRef & { readonly executor: 'webhook' | 'manual' | 'dry-run'; readonly idempotencyKey: string };
  'incidents.ActionSucceeded.v1': ActionRef & { readonly outcome: string; readonly evidenceUri: string | null };
  /** `uncertain`: the receiver may have acted (no answer, interrupted call); a person resolves it. */
  'incidents.ActionFailed.v1': ActionRef & { readonly reason: string; readonly uncertain?: boolean };
  'incidents.ActionOutcomeResolved.v1': ActionRef & {
    readonly outcome: 'succeeded' | 'failed';
    readonly note: string;
    readonly evidenceUri: string | null;
    readonly resolvedBy: string;
  };
  'incidents.ActionCancelled.v1': ActionRef & { readonly reason: string };
  'incidents.ActionVerified.v1': ActionRef & { readonly evidence: string };

  'tenancy.SocTeamAssigned.v1': { readonly tenantId: string; readonly socTeam: string };
  'tenancy.SocTeamUnassigned.v1': { readonly tenantId: string; readonly socTeam: string };
}

export type KnownType = keyof EventViews;

/** Narrows an envelope to a known type; the payload is trusted to follow its published contract. */
export const isEvent = <T extends KnownType>(e: RecordedEvent, type: T): e is RecordedEvent<T, EventViews[T]> => e.type === type;

