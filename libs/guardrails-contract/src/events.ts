// The guardrails context's published events: its contract with the other contexts.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';
import type { AttestationPolicySet } from './attestation-events';

/** A guardrail's severity, which its findings carry. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export type ExemptionCategory = 'waiver' | 'mitigated';

/** What a guardrail says about one resource. `exempt`: non-compliant or not, an exemption covers it. */
export type PostureState = 'compliant' | 'nonCompliant' | 'exempt' | 'error' | 'notApplicable';

export type BaselineAssigned = DomainEvent<
  'guardrails.BaselineAssigned.v1',
  {
    assignmentId: string;
    baselineId: string;
    /** `*` (the whole tenant), `/subscriptions/<id>` or `/subscriptions/<id>/resourceGroups/<rg>`. */
    scope: string;
    /** Parameter values per guardrail id, over the guardrail's own defaults. */
    parameters: Record<string, Record<string, unknown>>;
    /**
     * For an initiative (a standard or a library initiative): values of its own parameters, given to
     * every member that takes its value from one, as Azure applies an initiative assignment's
     * parameters. Values per guardrail id (`parameters`) win over these.
     */
    initiativeParameters?: Record<string, unknown>;
    /** Set when the tenant holds it as a member of a tenant group: it comes and goes with the membership. */
    group?: string;
    /** Set when the tenant holds it from a staged rollout (to the rollout's group): it comes with its ring and goes with a rollback. */
    rollout?: string;
    /** Findings it finds when it arrives existed before it: they open no incident (a rollout asked so). */
    quietExisting?: boolean;
    /**
     * For a library definition or initiative assigned to follow its latest version (`baselineId` without `@<n>`):
     * the version in force when assigned. Later versions are adopted by LibraryVersionSet.
     */
    libraryVersion?: number;
  }
>;
/**
 * Which version of a library definition an assignment evaluates from now on: a newer one adopted
 * because the assignment follows the latest, or one a person chose (pinned, e.g. rolled back), or
 * the assignment set to follow the latest again.
 */
export type LibraryVersionSet = DomainEvent<
  'guardrails.LibraryVersionSet.v1',
  { assignmentId: string; baselineId: string; version: number; follow: boolean; change: 'adopted' | 'pinned' | 'followed' }
>;
export type BaselineUnassigned = DomainEvent<'guardrails.BaselineUnassigned.v1', { assignmentId: string; baselineId: string }>;
/** Asked for; in force only once a second person approves it. */
export type ExemptionRequested = DomainEvent<
  'guardrails.ExemptionRequested.v1',
  {
    exemptionId: string;
    guardrailId: string;
    /** A resource key (one resource) or a scope prefix such as `/subscriptions/<id>/resourcegroups/<rg>`. */
    scope: string;
    category: ExemptionCategory;
    justification: string;
    requestedBy: string;
    expiresAt: string;
  }
>;
export type ExemptionGranted = DomainEvent<'guardrails.ExemptionGranted.v1', { exemptionId: string; approvedBy: string }>;
export type ExemptionRevoked = DomainEvent<'guardrails.ExemptionRevoked.v1', { exemptionId: string; reason: string }>;
/** Recorded at the expiry time by the worker: from then on the finding is back by itself. */
export type ExemptionExpired = DomainEvent<'guardrails.ExemptionExpired.v1', { exemptionId: string; expiredAt: string }>;
export type ReportingPolicySet = DomainEvent<
  'guardrails.ReportingPolicySet.v1',
  {
    /**
     * Deprecated: which findings open an incident is the incident policy's choice. Still recorded;
     * incidents follows it for a tenant whose incident policy never named its own.
     */
    incidentSeverities: Severity[];
    notifySeverities: Severity[];
  }
>;

/** How old the evidence behind a verdict may be before the resource counts as not evaluated (proof of coverage). */
export type CoveragePolicySet = DomainEvent<'guardrails.CoveragePolicySet.v1', { maxEvidenceAgeHours: number }>;

export type TenantGuardrailsEvent =
  | BaselineAssigned
  | BaselineUnassigned
  | ExemptionRequested
  | ExemptionGranted
  | ExemptionRevoked
  | ExemptionExpired
  | ReportingPolicySet
  | LibraryVersionSet
  | AttestationPolicySet
  | CoveragePolicySet;

/** The inventory event that made the evaluation happen, when there is one (a finding links its cause). */
export interface EvaluationCause {
  readonly eventId: string;
  readonly type: string;
  readonly position: string;
}

export type ComplianceStateChanged = DomainEvent<
  'guardrails.ComplianceStateChanged.v1',
  {
    resourceKey: string;
    resourceId: string;
    resourceType: string;
    assignmentId: string;
    baselineId: string;
    guardrailId: string;
    from: PostureState | null;
    to: PostureState;
    /** Why, in words: the deciding conditions, the exemption, or the error. */
    reason: string;
    exemptionId: string | null;
    causedBy: EvaluationCause | null;
  }
>;
export type FindingOpened = DomainEvent<
  'guardrails.FindingOpened.v1',
  {
    findingId: string;
    resourceKey: string;
    resourceId: string;
    resourceType: string;
    assignmentId: string;
    guardrailId: string;
    severity: Severity;
    title: string;
    playbookId: string;
    reason: string;
    causedBy: EvaluationCause | null;
    /**
     * Recorded only by findings of before the incidents context decided, from its own incident
     * policy, which findings open an incident: kept optional so those events still read as they were.
     */
    raiseIncident?: boolean;
    /**
     * Found when an assignment arrived that asked for quiet (a staged rollout's): the resource broke
     * the rule before it was enforced, so this finding opens no incident.
     */
    existing?: boolean;
    /** The tenant's reporting policy at the time: notifications act on it. */
    notify: boolean;
  }
>;
export type FindingResolution = 'compliant' | 'exempted' | 'resource-removed' | 'unassigned' | 'not-applicable';
export type FindingResolved = DomainEvent<
  'guardrails.FindingResolved.v1',
  { findingId: string; resourceKey: string; guardrailId: string; assignmentId: string; resolution: FindingResolution; causedBy: EvaluationCause | null }
>;

export type PostureEvent = ComplianceStateChanged | FindingOpened | FindingResolved;

export const TENANT_GUARDRAILS_EVENT_TYPES: readonly TenantGuardrailsEvent['type'][] = [
  'guardrails.BaselineAssigned.v1',
  'guardrails.BaselineUnassigned.v1',
  'guardrails.ExemptionRequested.v1',
  'guardrails.ExemptionGranted.v1',
  'guardrails.ExemptionRevoked.v1',
  'guardrails.ExemptionExpired.v1',
  'guardrails.ReportingPolicySet.v1',
  'guardrails.LibraryVersionSet.v1',
  'guardrails.AttestationPolicySet.v1',
  'guardrails.CoveragePolicySet.v1',
];

export const POSTURE_EVENT_TYPES: readonly PostureEvent['type'][] = [
  'guardrails.ComplianceStateChanged.v1',
  'guardrails.FindingOpened.v1',
  'guardrails.FindingResolved.v1',
];

/** What incidents (a finding opens or joins an incident, a resolution verifies actions) and notifications follow. */
export const isFindingOpened = eventGuard<FindingOpened>('guardrails.FindingOpened.v1');
export const isFindingResolved = eventGuard<FindingResolved>('guardrails.FindingResolved.v1');
export const isComplianceStateChanged = eventGuard<ComplianceStateChanged>('guardrails.ComplianceStateChanged.v1');
export const isPostureEvent = eventGuard<PostureEvent>(...POSTURE_EVENT_TYPES);
export const isTenantGuardrailsEvent = eventGuard<TenantGuardrailsEvent>(...TENANT_GUARDRAILS_EVENT_TYPES);

/**
 * A tenant group's assignments (`t-provider:group-guardrails-<group>`): each member holds each of
 * them, as `grp-<group>-<assignment>` in its own policy, for as long as it is a member.
 */
export type GroupBaselineAssigned = DomainEvent<
  'guardrails.GroupBaselineAssigned.v1',
  {
    groupId: string;
    assignmentId: string;
    /** As a member receives it: a library artifact's id without a version follows its latest. */
    baselineId: string;
    scope: string;
    parameters: Record<string, Record<string, unknown>>;
    initiativeParameters?: Record<string, unknown>;
  }
>;
export type GroupBaselineUnassigned = DomainEvent<'guardrails.GroupBaselineUnassigned.v1', { groupId: string; assignmentId: string; baselineId: string }>;
export type GroupGuardrailsEvent = GroupBaselineAssigned | GroupBaselineUnassigned;
export const GROUP_GUARDRAILS_EVENT_TYPES: readonly GroupGuardrailsEvent['type'][] = ['guardrails.GroupBaselineAssigned.v1', 'guardrails.GroupBaselineUnassigned.v1'];
export const isGroupGuardrailsEvent = eventGuard<GroupGuardrailsEvent>(...GROUP_GUARDRAILS_EVENT_TYPES);
