// The guardrails context's read models, as pure key + evolve pairs; the platform turns each into a
// SQL document projection. Queries (findings lists, compliance scores) read these, never streams.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import {
  TENANT_GUARDRAILS_EVENT_TYPES,
  type EvaluationCause,
  type FindingResolution,
  type PostureEvent,
  type PostureState,
  type Severity,
  type TenantGuardrailsEvent,
} from '../events';
import { assignmentOf, DEFAULT_REPORTING_POLICY, withLibraryVersion, type Assignment, type Exemption, type ReportingPolicy } from '../tenant-guardrails/tenant-guardrails';

/** One document per tenant: its assignments, exemptions (all, with status) and reporting policy. */
export interface TenantGuardrailsEntry {
  readonly tenantId: string;
  readonly assignments: (Assignment & { readonly assignedAt: string })[];
  readonly exemptions: (Exemption & { readonly requestedAt: string; readonly decidedAt: string | null })[];
  readonly reporting: ReportingPolicy;
  /** Set once the tenant chose; absent: attestations hold without a second person. */
  readonly attestationApprovalRequired?: boolean;
  /** Set once the tenant chose; absent: DEFAULT_MAX_EVIDENCE_AGE_HOURS. */
  readonly maxEvidenceAgeHours?: number;
  readonly revision: number;
}

export const tenantGuardrailsDirectory = {
  name: 'tenant-guardrails',
  version: 1,
  table: 'tenant_guardrails',
  eventTypes: TENANT_GUARDRAILS_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => event.metadata.tenantId,
  evolve: (entry: TenantGuardrailsEntry | undefined, raw: ProjectedEvent): TenantGuardrailsEntry | null => {
    const event = raw as unknown as TenantGuardrailsEvent;
    const doc: TenantGuardrailsEntry = entry ?? { tenantId: raw.metadata.tenantId, assignments: [], exemptions: [], reporting: DEFAULT_REPORTING_POLICY, revision: -1 };
    const next = { ...doc, revision: raw.revision };
    const decided = (exemptionId: string, change: Partial<TenantGuardrailsEntry['exemptions'][number]>) => ({
      ...next,
      exemptions: doc.exemptions.map((e) => (e.exemptionId === exemptionId ? { ...e, ...change, decidedAt: raw.recordedAt } : e)),
    });
    switch (event.type) {
      // as the tenant's policy folds them (one rule: assignmentOf, withLibraryVersion)
      case 'guardrails.BaselineAssigned.v1':
        return { ...next, assignments: [...doc.assignments, { ...assignmentOf(event.data), assignedAt: raw.recordedAt }] };
      case 'guardrails.LibraryVersionSet.v1':
        return { ...next, assignments: doc.assignments.map((a) => (a.assignmentId === event.data.assignmentId ? withLibraryVersion(a, event.data) : a)) };
      case 'guardrails.BaselineUnassigned.v1':
        return { ...next, assignments: doc.assignments.filter((a) => a.assignmentId !== event.data.assignmentId) };
      case 'guardrails.ExemptionRequested.v1':
        return { ...next, exemptions: [...doc.exemptions, { ...event.data, status: 'requested', approvedBy: null, requestedAt: raw.recordedAt, decidedAt: null }] };
      case 'guardrails.ExemptionGranted.v1':
        return decided(event.data.exemptionId, { status: 'active', approvedBy: event.data.approvedBy });
      case 'guardrails.ExemptionRevoked.v1':
        return decided(event.data.exemptionId, { status: 'revoked' });
      case 'guardrails.ExemptionExpired.v1':
        return decided(event.data.exemptionId, { status: 'expired' });
      case 'guardrails.ReportingPolicySet.v1':
        return { ...next, reporting: event.data };
      case 'guardrails.AttestationPolicySet.v1':
        return { ...next, attestationApprovalRequired: event.data.approvalRequired };
      case 'guardrails.CoveragePolicySet.v1':
        return { ...next, maxEvidenceAgeHours: event.data.maxEvidenceAgeHours };
      default:
        return entry ?? null;
    }
  },
};

/** One document per (tenant, resource, assignment, guardrail) that is evaluated and applicable. */
export interface ComplianceEntry {
  readonly tenantId: string;
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly guardrailId: string;
  readonly state: Exclude<PostureState, 'notApplicable'>;
  readonly since: string;
  readonly reason: string;
  readonly exemptionId: string | null;
}

export const complianceStates = {
  name: 'compliance',
  version: 1,
  table: 'compliance',
  eventTypes: ['guardrails.ComplianceStateChanged.v1'] as const,
  keyOf: (event: ProjectedEvent): string => {
    const d = event.data as { resourceKey: string; assignmentId: string; guardrailId: string };
    return `${event.metadata.tenantId}|${d.resourceKey}|${d.assignmentId}|${d.guardrailId}`;
  },
  evolve: (_entry: ComplianceEntry | undefined, raw: ProjectedEvent): ComplianceEntry | null => {
    const event = raw as unknown as PostureEvent;
    if (event.type !== 'guardrails.ComplianceStateChanged.v1') return _entry ?? null;
    const d = event.data;
    if (d.to === 'notApplicable') return null;
    return {
      tenantId: raw.metadata.tenantId,
      resourceKey: d.resourceKey,
      resourceId: d.resourceId,
      resourceType: d.resourceType,
      assignmentId: d.assignmentId,
      baselineId: d.baselineId,
      guardrailId: d.guardrailId,
      state: d.to,
      since: raw.recordedAt,
      reason: d.reason,
      exemptionId: d.exemptionId,
    };
  },
};

export interface FindingEntry {
  readonly tenantId: string;
  readonly findingId: string;
  readonly status: 'open' | 'resolved';
  readonly severity: Severity;
  readonly guardrailId: string;
  readonly title: string;
  readonly assignmentId: string;
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly reason: string;
  readonly playbookId: string;
  /** Only findings of before the incidents context judged this from its own policy carry it. */
  readonly raiseIncident?: boolean;
  /** Found when a staged rollout's baseline arrived: it existed before, and opens no incident. */
  readonly existing?: boolean;
  readonly notify: boolean;
  readonly openedAt: string;
  readonly causedBy: EvaluationCause | null;
  readonly resolvedAt: string | null;
  readonly resolution: FindingResolution | null;
}

export const findings = {
  name: 'findings',
  version: 1,
  table: 'findings',
  eventTypes: ['guardrails.FindingOpened.v1', 'guardrails.FindingResolved.v1'] as const,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { findingId: string }).findingId}`,
  evolve: (entry: FindingEntry | undefined, raw: ProjectedEvent): FindingEntry | null => {
    const event = raw as unknown as PostureEvent;
    switch (event.type) {
      case 'guardrails.FindingOpened.v1': {
        const { findingId, severity, guardrailId, title, assignmentId, resourceKey, resourceId, resourceType, reason, playbookId, raiseIncident, existing, notify, causedBy } = event.data;
        return {
          tenantId: raw.metadata.tenantId,
          findingId,
          status: 'open',
          severity,
          guardrailId,
          title,
          assignmentId,
          resourceKey,
          resourceId,
          resourceType,
          reason,
          playbookId,
          ...(raiseIncident === undefined ? {} : { raiseIncident }),
          ...(existing ? { existing } : {}),
          notify,
          openedAt: raw.recordedAt,
          causedBy,
          resolvedAt: null,
          resolution: null,
        };
      }
      case 'guardrails.FindingResolved.v1':
        return entry ? { ...entry, status: 'resolved', resolvedAt: raw.recordedAt, resolution: event.data.resolution } : null;
      default:
        return entry ?? null;
    }
  },
};

