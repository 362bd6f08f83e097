// ocsf.ndjson: the tenant's findings, attestations, incidents and response actions as OCSF 1.8.0
// records, shaped by the class definitions vendored in `libs/audit/corpus/ocsf` (Compliance Finding
// 2003, Incident Finding 2005, Remediation Activity 7001). Events of other kinds (assignments,
// exemptions, policies, the library, tenancy, inventory) have no OCSF record: a setting such as the
// coverage interval is no finding, and coverage itself is a state at an instant, which the OSCAL
// document reports.
//
// Most events carry what their record needs; later incident, action and attestation events only name
// their incident, action or attestation. `OcsfMemory` remembers the few facts those records repeat
// (an incident's title, severity, assignee and signals; an action's verb and target; an attestation's
// standard and control; the tenant's SOC teams), fed with the events before the period (`seed`) and
// then with each mapped event. It holds one small entry per incident, per unfinished action and per
// attestation in force or pending, never the events themselves.
import { formatPosition, type Actor, type RecordedEvent } from '@rampart/event-sourcing';
import { isAttestationEvent, type AttestationEvent, type PostureState } from '@rampart/guardrails-contract';
import type { IncidentStatus, RemediationVerb, Severity, Signal } from '@rampart/incidents-contract';
import ocsfVersion from '../../corpus/ocsf/version.json';
import { isEvent } from './event-views';
import { summarize } from './summary';
import type { AuditGuardrail, ExportContext } from './types';

export const OCSF_VERSION: string = ocsfVersion.version;

export type OcsfRecord = Record<string, unknown>;

interface OcsfClass {
  readonly uid: number;
  readonly name: string;
  readonly category: { readonly uid: number; readonly name: string };
  readonly activities: Readonly<Record<number, string>>;
}

const FINDINGS = { uid: 2, name: 'Findings' };
const FINDING_ACTIVITIES = { 1: 'Create', 2: 'Update', 3: 'Close' };
const COMPLIANCE_FINDING: OcsfClass = { uid: 2003, name: 'Compliance Finding', category: FINDINGS, activities: FINDING_ACTIVITIES };
const INCIDENT_FINDING: OcsfClass = { uid: 2005, name: 'Incident Finding', category: FINDINGS, activities: FINDING_ACTIVITIES };
const REMEDIATION_ACTIVITY: OcsfClass = {
  uid: 7001,
  name: 'Remediation Activity',
  category: { uid: 7, name: 'Remediation' },
  activities: { 0: 'Unknown', 1: 'Isolate', 2: 'Evict', 3: 'Restore', 4: 'Harden' },
};

const CREATE = 1;
const UPDATE = 2;
const CLOSE = 3;

/** Rampart's response verbs are the D3FEND tactics the class's activities name. */
const VERB_ACTIVITY: Readonly<Record<RemediationVerb, number>> = { Isolate: 1, Evict: 2, Restore: 3, Harden: 4 };

type Enum = readonly [id: number, caption: string];

const SEVERITY: Readonly<Record<Severity, Enum>> = { low: [2, 'Low'], medium: [3, 'Medium'], high: [4, 'High'], critical: [5, 'Critical'] };
const UNKNOWN: Enum = [0, 'Unknown'];
const INFORMATIONAL: Enum = [1, 'Informational'];
const severityOf = (s: Severity | undefined): Enum => (s ? SEVERITY[s] : UNKNOWN);

const COMPLIANCE_PASS: Enum = [1, 'Pass'];
const COMPLIANCE_WARNING: Enum = [2, 'Warning'];
const COMPLIANCE_FAIL: Enum = [3, 'Fail'];
const complianceOther = (status: string): Enum => [99, status];

/** Posture states as the Compliance object's status: exempt and not applicable are neither pass nor fail. */
const POSTURE_COMPLIANCE: Readonly<Record<PostureState, Enum>> = {
  compliant: COMPLIANCE_PASS,
  nonCompliant: COMPLIANCE_FAIL,
  error: COMPLIANCE_WARNING,
  exempt: complianceOther('Exempt'),
  notApplicable: complianceOther('Not Applicable'),
};

const FINDING_STATUS = { new: [1, 'New'], suppressed: [3, 'Suppressed'], resolved: [4, 'Resolved'], archived: [5, 'Archived'] } as const satisfies Record<string, Enum>;

const RESOLUTION: Readonly<Record<string, { status: Enum; compliance: Enum }>> = {
  compliant: { status: FINDING_STATUS.resolved, compliance: COMPLIANCE_PASS },
  // An exemption is a reviewed decision to accept the finding: OCSF's "Suppressed".
  exempted: { status: FINDING_STATUS.suppressed, compliance: complianceOther('Exempt') },
  'resource-removed': { status: FINDING_STATUS.resolved, compliance: complianceOther('Not Applicable') },
  // No longer evaluated (baseline unassigned, resource out of scope): kept, but no longer worked.
  unassigned: { status: FINDING_STATUS.archived, compliance: complianceOther('Not Applicable') },
  'not-applicable': { status: FINDING_STATUS.archived, compliance: complianceOther('Not Applicable') },
};

const INCIDENT_STATUS: Readonly<Record<IncidentStatus, Enum>> = {
  new: [1, 'New'],
  triaged: [2, 'In Progress'],
  responding: [2, 'In Progress'],
  remediating: [2, 'In Progress'],
  recovering: [2, 'In Progress'],
  resolved: [4, 'Resolved'],
  closed: [5, 'Closed'],
  merged: [5, 'Closed'],
};

const VERDICT: Readonly<Record<string, Enum>> = {
  'true-positive': [2, 'True Positive'],
  'false-positive': [1, 'False Positive'],
  'benign-positive': [5, 'Benign'],
  undetermined: [7, 'Insufficient Data'],
  merged: [10, 'Duplicate'],
};

const ACTOR_TYPE: Readonly<Record<Actor['kind'], Enum>> = { user: [1, 'User'], service: [4, 'Service'], 'api-key': [4, 'Service'], system: [3, 'System'] };

// --- what later records need from earlier events ------------------------------------------------

interface IncidentFacts {
  title?: string;
  severity?: Severity;
  status?: IncidentStatus;
  assignee?: string;
  signals: Signal[];
}

interface ActionFacts {
  readonly incidentId: string;
  readonly actionKind: string;
  readonly verb: RemediationVerb;
  readonly phase: string;
  readonly target: string;
  readonly destructive: boolean;
}

interface AttestationFacts {
  readonly standardId: string;
  readonly controlId: string;
  readonly attestedBy: string;
  readonly validUntil: string;
}

const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const moreSevere = (a: Severity | undefined, b: Severity): Severity => (a && SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b);

/** Status each lifecycle event moves an incident to (the incidents context's `evolve`). */
const INCIDENT_STATUS_AFTER: Readonly<Record<string, IncidentStatus>> = {
  'incidents.IncidentOpened.v1': 'new',
  'incidents.IncidentTriaged.v1': 'triaged',
  'incidents.IncidentResponseStarted.v1': 'responding',
  'incidents.IncidentContained.v1': 'remediating',
  'incidents.IncidentRemediated.v1': 'recovering',
  'incidents.IncidentRecovered.v1': 'resolved',
  'incidents.IncidentClosed.v1': 'closed',
  'incidents.IncidentReopened.v1': 'triaged',
  'incidents.IncidentMerged.v1': 'merged',
};

export class OcsfMemory {
  private readonly incidents = new Map<string, IncidentFacts>();
  private readonly actions = new Map<string, ActionFacts>();
  private readonly attestations = new Map<string, AttestationFacts>();
  private readonly socTeams: string[] = [];

  /** Feed events from before the period here, in log order; they produce no records. */
  seed(e: RecordedEvent): void {
    this.remember(e);
  }

  remember(e: RecordedEvent): void {
    if (isEvent(e, 'tenancy.SocTeamAssigned.v1')) {
      if (!this.socTeams.includes(e.data.socTeam)) this.socTeams.push(e.data.socTeam);
    } else if (isEvent(e, 'tenancy.SocTeamUnassigned.v1')) {
      const i = this.socTeams.indexOf(e.data.socTeam);
      if (i >= 0) this.socTeams.splice(i, 1);
    } else if (isEvent(e, 'guardrails.AttestationRecorded.v1')) {
      const { attestationId, standardId, controlId, attestedBy, validUntil } = e.data;
      this.attestations.set(attestationId, { standardId, controlId, attestedBy, validUntil });
    } else if (isAttestationEvent(e) && e.type !== 'guardrails.AttestationApproved.v1') {
      // Rejected, revoked or expired: nothing follows, so its facts are not needed again.
      this.attestations.delete(e.data.attestationId);
    } else if (e.type.startsWith('incidents.Action')) {
      this.rememberAction(e);
    } else if (e.type.startsWith('incidents.')) {
      this.rememberIncident(e);
    }
  }

  incident(incidentId: string): Readonly<IncidentFacts> | undefined {
    return this.incidents.get(incidentId);
  }

  action(actionId: string): ActionFacts | undefined {
    return this.actions.get(actionId);
  }

  attestation(attestationId: string): AttestationFacts | undefined {
    return this.attestations.get(attestationId);
  }

  /** The SOC team working the tenant's incidents, when one is assigned. */
  socTeam(): string | undefined {
    return this.socTeams[0];
  }

  private rememberIncident(e: RecordedEvent): void {
    const incidentId = (e.data as { incidentId?: unknown } | null)?.incidentId;
    if (typeof incidentId !== 'string') return;
    const facts = this.incidents.get(incidentId) ?? { signals: [] };
    const status = INCIDENT_STATUS_AFTER[e.type];
    if (status) facts.status = status;
    if (isEvent(e, 'incidents.IncidentOpened.v1')) {
      Object.assign(facts, { title: e.data.title, severity: e.data.severity, signals: [e.data.signal] });
    } else if (isEvent(e, 'incidents.SignalAttached.v1')) {
      facts.signals.push(e.data.signal);
      // A more severe signal raises the severity until an analyst triages the incident.
      if (facts.status === 'new') facts.severity = moreSevere(facts.severity, e.data.signal.severity);
    } else if (isEvent(e, 'incidents.SignalDetached.v1')) {
      facts.signals = facts.signals.filter((s) => s.ref !== e.data.ref);
    } else if (isEvent(e, 'incidents.IncidentTriaged.v1')) {
      Object.assign(facts, { severity: e.data.severity, assignee: e.data.assignee });
    } else if (isEvent(e, 'incidents.IncidentReassigned.v1')) {
      facts.assignee = e.data.assignee;
    }
    this.incidents.set(incidentId, facts);
  }

  private rememberAction(e: RecordedEvent): void {
    if (isEvent(e, 'incidents.ActionProposed.v1')) {
      const { actionId, incidentId, actionKind, verb, phase, target, destructive } = e.data;
      this.actions.set(actionId, { incidentId, actionKind, verb, phase, target, destructive });
      return;
    }
    const actionId = (e.data as { actionId?: unknown } | null)?.actionId;
    if (typeof actionId !== 'string') return;
    // Nothing follows these, so the action's facts are not needed again.
    const finished =
      e.type === 'incidents.ActionVerified.v1' ||
      e.type === 'incidents.ActionCancelled.v1' ||
      e.type === 'incidents.ActionExpired.v1' ||
      (isEvent(e, 'incidents.ActionFailed.v1') && e.data.uncertain !== true) ||
      (isEvent(e, 'incidents.ActionOutcomeResolved.v1') && e.data.outcome === 'failed');
    if (finished) this.actions.delete(actionId);
  }
}

// --- the parts every record shares --------------------------------------------------------------

const ms = (iso: string): number => Date.parse(iso);
const eventTime = (e: RecordedEvent): number => {
  const t = ms(e.metadata.occurredAt);
  return Number.isNaN(t) ? ms(e.recordedAt) : t;
};

const actorOf = (actor: Actor): OcsfRecord => {
  const [typeId, type] = ACTOR_TYPE[actor.kind] ?? [99, actor.kind];
  return { user: { uid: actor.id, type_id: typeId, type } };
};

/**
 * The classification, time, severity, actor and metadata of a record. `actor` comes with the host
 * profile in OCSF 1.8, so every record names that profile (and the incident profile for 2005, as
 * the class asks).
 */
const header = (cls: OcsfClass, activityId: number, severity: Enum, e: RecordedEvent, ctx: ExportContext, profiles: readonly string[]): OcsfRecord => ({
  category_uid: cls.category.uid,
  category_name: cls.category.name,
  class_uid: cls.uid,
  class_name: cls.name,
  activity_id: activityId,
  activity_name: cls.activities[activityId],
  type_uid: cls.uid * 100 + activityId,
  type_name: `${cls.name}: ${cls.activities[activityId]}`,
  time: eventTime(e),
  severity_id: severity[0],
  severity: severity[1],
  message: summarize(e),
  actor: actorOf(e.metadata.actor),
  metadata: {
    version: OCSF_VERSION,
    product: { name: ctx.product.name, vendor_name: ctx.product.vendor ?? ctx.product.name, version: ctx.product.version },
    uid: e.eventId,
    tenant_uid: e.metadata.tenantId,
    correlation_uid: e.metadata.correlationId,
    event_code: e.type,
    log_name: e.streamId,
    logged_time: ms(e.recordedAt),
    profiles: [...profiles, 'host'],
  },
});

/** Envelope fields OCSF has no attribute for; on-behalf-of is what a customer looks for in SOC work. */
const envelopeExtras = (e: RecordedEvent): OcsfRecord => ({
  revision: e.revision,
  log_position: formatPosition(e.globalPosition),
  causation_uid: e.metadata.causationId,
  ...(e.metadata.actor.onBehalfOfTenant ? { on_behalf_of_tenant: e.metadata.actor.onBehalfOfTenant } : {}),
  // An API key's work is answered for by the person who issued it (the actor chain).
  ...(e.metadata.actor.issuedBy ? { actor_issued_by: e.metadata.actor.issuedBy.id } : {}),
});

const status = ([id, caption]: Enum): OcsfRecord => ({ status_id: id, status: caption });

// --- Compliance Finding (2003) ------------------------------------------------------------------

/**
 * A guardrail is a check in the sense of AWS Security Hub's controls: `control` names it, and the
 * framework controls it maps to are the `requirements` of their `standards`.
 */
const complianceOf = (guardrailId: string, guardrail: AuditGuardrail | undefined, [statusId, statusCaption]: Enum): OcsfRecord => {
  const controls = guardrail?.controls ?? [];
  return {
    control: guardrailId,
    ...(controls.length
      ? { standards: [...new Set(controls.map((c) => c.framework))], requirements: controls.map((c) => `${c.framework} ${c.control}`) }
      : {}),
    status_id: statusId,
    status: statusCaption,
  };
};

const lastSegment = (id: string): string => id.split('/').filter(Boolean).pop() ?? id;

const resourceOf = (uid: string, type?: string): OcsfRecord => ({
  uid,
  name: lastSegment(uid),
  ...(type ? { type } : {}),
  role_id: 1,
  role: 'Target',
});

const remediationOf = (guardrail: AuditGuardrail | undefined): OcsfRecord => (guardrail?.remediation ? { remediation: { desc: guardrail.remediation } } : {});

const complianceFindings = (e: RecordedEvent, ctx: ExportContext): OcsfRecord[] => {
  const catalog = ctx.catalog;
  if (isEvent(e, 'guardrails.FindingOpened.v1')) {
    const d = e.data;
    const guardrail = catalog.guardrail(d.guardrailId);
    return [
      {
        ...header(COMPLIANCE_FINDING, CREATE, severityOf(d.severity), e, ctx, []),
        ...status(FINDING_STATUS.new),
        finding_info: { uid: d.findingId, title: d.title, desc: d.reason, created_time: eventTime(e), first_seen_time: eventTime(e) },
        compliance: complianceOf(d.guardrailId, guardrail, COMPLIANCE_FAIL),
        resources: [resourceOf(d.resourceId, d.resourceType)],
        ...remediationOf(guardrail),
        unmapped: {
          ...envelopeExtras(e),
          assignment_id: d.assignmentId,
          resource_key: d.resourceKey,
          playbook_id: d.playbookId,
          raise_incident: d.raiseIncident,
          caused_by_event_uid: d.causedBy?.eventId ?? null,
          caused_by_log_position: d.causedBy?.position ?? null,
        },
      },
    ];
  }
  if (isEvent(e, 'guardrails.FindingResolved.v1')) {
    const d = e.data;
    const guardrail = catalog.guardrail(d.guardrailId);
    const outcome = RESOLUTION[d.resolution] ?? { status: FINDING_STATUS.resolved, compliance: complianceOther(d.resolution) };
    return [
      {
        ...header(COMPLIANCE_FINDING, CLOSE, severityOf(guardrail?.severity), e, ctx, []),
        ...status(outcome.status),
        status_detail: d.resolution,
        finding_info: { uid: d.findingId, title: guardrail?.title ?? d.guardrailId, modified_time: eventTime(e) },
        compliance: complianceOf(d.guardrailId, guardrail, outcome.compliance),
        resources: [resourceOf(d.resourceKey)],
        unmapped: { ...envelopeExtras(e), assignment_id: d.assignmentId, caused_by_event_uid: d.causedBy?.eventId ?? null },
      },
    ];
  }
  if (isEvent(e, 'guardrails.ComplianceStateChanged.v1')) {
    const d = e.data;
    // Findings report non-compliance opening and closing; an evaluation error is the one posture
    // change no finding reports ("not knowing is not compliant"), and an auditor needs to see the
    // checks that could not run. Its episode is a finding of its own, Warning while it lasts.
    if (d.to !== 'error' && d.from !== 'error') return [];
    const guardrail = catalog.guardrail(d.guardrailId);
    const opening = d.to === 'error';
    return [
      {
        ...header(COMPLIANCE_FINDING, opening ? CREATE : CLOSE, severityOf(guardrail?.severity), e, ctx, []),
        ...status(opening ? FINDING_STATUS.new : FINDING_STATUS.resolved),
        status_detail: d.reason,
        finding_info: {
          uid: `evaluation-error:${d.assignmentId}:${d.guardrailId}:${d.resourceKey}`,
          title: `Could not evaluate: ${guardrail?.title ?? d.guardrailId}`,
          desc: d.reason,
          ...(opening ? { created_time: eventTime(e) } : { modified_time: eventTime(e) }),
        },
        compliance: complianceOf(d.guardrailId, guardrail, POSTURE_COMPLIANCE[d.to] ?? complianceOther(d.to)),
        resources: [resourceOf(d.resourceId, d.resourceType)],
        unmapped: { ...envelopeExtras(e), assignment_id: d.assignmentId, baseline_id: d.baselineId, posture_from: d.from, posture_to: d.to },
      },
    ];
  }
  return [];
};

// --- Attestations as Compliance Findings (2003) -------------------------------------------------

/**
 * An attestation is a compliance result a person gives instead of a rule: the control of a standard
 * passes for as long as it holds. Its life is one finding, keyed by the attestation id: created when
 * recorded, updated when approved, closed when rejected, revoked or expired. While it holds the
 * finding is Resolved with compliance Pass (AWS Security Hub's convention for passed controls);
 * pending a second person it is New (to be reviewed) and not yet a result; once ended it is Archived,
 * and the compliance status says how it ended (not Fail: an unattested control is not a failed one).
 */
const attestationOutcome = (e: AttestationEvent): { activity: number; status: Enum; compliance: Enum; detail?: string; extras: OcsfRecord } => {
  switch (e.type) {
    case 'guardrails.AttestationRecorded.v1': {
      const d = e.data;
      return {
        activity: CREATE,
        ...(d.approvalRequired ? { status: FINDING_STATUS.new, compliance: complianceOther('Pending Approval') } : { status: FINDING_STATUS.resolved, compliance: COMPLIANCE_PASS }),
        extras: {
          approval_required: d.approvalRequired,
          // The files are kept by content, never in an event: the digests are what an auditor checks them against.
          evidence: d.evidence.map((f) => ({ sha256: f.sha256, name: f.name, media_type: f.mediaType, size: f.size })),
        },
      };
    }
    case 'guardrails.AttestationApproved.v1':
      return { activity: UPDATE, status: FINDING_STATUS.resolved, compliance: COMPLIANCE_PASS, extras: { approved_by: e.data.approvedBy } };
    case 'guardrails.AttestationRejected.v1':
      return { activity: CLOSE, status: FINDING_STATUS.archived, compliance: complianceOther('Rejected'), detail: e.data.reason, extras: { rejected_by: e.data.rejectedBy } };
    case 'guardrails.AttestationRevoked.v1':
      return { activity: CLOSE, status: FINDING_STATUS.archived, compliance: complianceOther('Revoked'), detail: e.data.reason, extras: { revoked_by: e.data.revokedBy } };
    case 'guardrails.AttestationExpired.v1':
      return { activity: CLOSE, status: FINDING_STATUS.archived, compliance: complianceOther('Expired'), detail: `expired at ${e.data.expiredAt}`, extras: { expired_at: e.data.expiredAt } };
  }
};

const attestationFinding = (e: RecordedEvent & AttestationEvent, ctx: ExportContext, facts: AttestationFacts | undefined): OcsfRecord[] => {
  const outcome = attestationOutcome(e);
  const { attestationId } = e.data;
  const [complianceId, complianceCaption] = outcome.compliance;
  return [
    {
      ...header(COMPLIANCE_FINDING, outcome.activity, INFORMATIONAL, e, ctx, []),
      ...status(outcome.status),
      ...(outcome.detail ? { status_detail: outcome.detail } : {}),
      finding_info: {
        uid: attestationId,
        // Without remembered facts (recorded before an unseeded export) the record names the attestation only.
        title: facts ? `${facts.standardId} ${facts.controlId} attested by ${facts.attestedBy}` : `Attestation ${attestationId}`,
        ...(isEvent(e, 'guardrails.AttestationRecorded.v1') ? { desc: e.data.statement } : {}),
        types: ['Attestation'],
        ...(outcome.activity === CREATE ? { created_time: eventTime(e) } : { modified_time: eventTime(e) }),
      },
      compliance: {
        ...(facts ? { control: facts.controlId, standards: [facts.standardId], requirements: [`${facts.standardId} ${facts.controlId}`] } : {}),
        status_id: complianceId,
        status: complianceCaption,
      },
      unmapped: {
        ...envelopeExtras(e),
        attestation_id: attestationId,
        ...(facts ? { standard_id: facts.standardId, control_id: facts.controlId, attested_by: facts.attestedBy, valid_until: facts.validUntil } : {}),
        ...outcome.extras,
      },
    },
  ];
};

// --- Incident Finding (2005) --------------------------------------------------------------------

const INCIDENT_ACTIVITY: Readonly<Record<string, number>> = {
  'incidents.IncidentOpened.v1': CREATE,
  'incidents.SignalAttached.v1': UPDATE,
  'incidents.SignalDetached.v1': UPDATE,
  'incidents.IncidentTriaged.v1': UPDATE,
  'incidents.IncidentReassigned.v1': UPDATE,
  'incidents.IncidentResponseStarted.v1': UPDATE,
  'incidents.IncidentContained.v1': UPDATE,
  'incidents.IncidentRemediated.v1': UPDATE,
  'incidents.IncidentRecovered.v1': UPDATE,
  'incidents.IncidentReopened.v1': UPDATE,
  'incidents.IncidentClosed.v1': CLOSE,
  'incidents.IncidentMerged.v1': CLOSE,
};

const signalInfo = (s: Signal): OcsfRecord => ({
  uid: s.ref,
  title: s.title,
  types: [s.kind],
  first_seen_time: ms(s.detectedAt),
});

/** An incident's analyst-facing words on this change, when it has some. */
const incidentComment = (e: RecordedEvent): string | undefined => {
  if (isEvent(e, 'incidents.IncidentClosed.v1')) {
    return `${e.data.reason} Root cause: ${e.data.rootCause} Lessons learned: ${e.data.lessonsLearned}`;
  }
  if (isEvent(e, 'incidents.IncidentReopened.v1')) return e.data.reason;
  const summary = (e.data as { summary?: unknown }).summary;
  return typeof summary === 'string' ? summary : undefined;
};

const incidentFinding = (e: RecordedEvent, ctx: ExportContext, memory: OcsfMemory): OcsfRecord[] => {
  const activity = INCIDENT_ACTIVITY[e.type];
  const incidentId = (e.data as { incidentId?: unknown }).incidentId;
  if (activity === undefined || typeof incidentId !== 'string') return [];
  const facts = memory.incident(incidentId) ?? { signals: [] };
  const team = memory.socTeam();
  const verdict = isEvent(e, 'incidents.IncidentClosed.v1') ? VERDICT[e.data.classification] : e.type === 'incidents.IncidentMerged.v1' ? VERDICT['merged'] : undefined;
  const comment = incidentComment(e);
  const firstSeen = Math.min(...facts.signals.map((s) => ms(s.detectedAt)).filter((t) => !Number.isNaN(t)));
  return [
    {
      ...header(INCIDENT_FINDING, activity, severityOf(facts.severity), e, ctx, ['incident']),
      ...status(facts.status ? INCIDENT_STATUS[facts.status] : UNKNOWN),
      ...(facts.title ? { desc: facts.title } : {}),
      // Without remembered signals (an incident opened before an unseeded export) the incident is
      // its own finding, so the required list still names what the record is about.
      finding_info_list: facts.signals.length ? facts.signals.map(signalInfo) : [{ uid: incidentId, ...(facts.title ? { title: facts.title } : {}) }],
      ...(facts.assignee ? { assignee: { uid: facts.assignee, type_id: 1, type: 'User' } } : {}),
      // The class needs an assignee or a group: until triage the incident is the SOC team's, and
      // without a recorded team it waits in the SOC's queue.
      ...(team
        ? { assignee_group: { uid: team, name: team } }
        : facts.assignee
          ? {}
          : { assignee_group: { name: 'SOC queue', desc: 'Not triaged yet; no SOC team is recorded for the tenant.' } }),
      tickets: [{ uid: incidentId, ...(facts.title ? { title: facts.title } : {}), type_id: 1, type: 'Internal' }],
      ...(verdict ? { verdict_id: verdict[0], verdict: verdict[1] } : {}),
      ...(comment ? { comment } : {}),
      ...(Number.isFinite(firstSeen) ? { start_time: firstSeen } : {}),
      ...(activity === CLOSE ? { end_time: eventTime(e) } : {}),
      unmapped: { ...envelopeExtras(e), incident_id: incidentId, ...(isEvent(e, 'incidents.IncidentMerged.v1') ? { merged_into: e.data.into } : {}) },
    },
  ];
};

// --- Remediation Activity (7001) ----------------------------------------------------------------

const OTHER = (caption: string): Enum => [99, caption];

/** Each action event as the class's status; the steps before execution are "Other" with their name. */
const actionOutcome = (e: RecordedEvent): { status: Enum; detail?: string; severity: Enum; extras: OcsfRecord } | undefined => {
  if (isEvent(e, 'incidents.ActionProposed.v1')) {
    return { status: OTHER('Proposed'), severity: INFORMATIONAL, extras: { proposed_by: e.data.proposedBy, playbook_id: e.data.playbookId, parameters: e.data.parameters } };
  }
  if (isEvent(e, 'incidents.ActionApproved.v1')) {
    return { status: OTHER('Approved'), severity: INFORMATIONAL, extras: { approved_by: e.data.approvedBy, pre_approved: e.data.preApproved } };
  }
  if (isEvent(e, 'incidents.ActionExecutionStarted.v1')) {
    return { status: OTHER('Executing'), severity: INFORMATIONAL, extras: { executor: e.data.executor, idempotency_key: e.data.idempotencyKey } };
  }
  if (isEvent(e, 'incidents.ActionSucceeded.v1')) {
    return { status: [1, 'Success'], detail: e.data.outcome, severity: INFORMATIONAL, extras: { evidence_uri: e.data.evidenceUri } };
  }
  if (isEvent(e, 'incidents.ActionFailed.v1')) {
    // An uncertain failure may have acted on the target (possibly destructively): someone must check.
    return e.data.uncertain === true
      ? { status: UNKNOWN, detail: e.data.reason, severity: SEVERITY.high, extras: { uncertain: true } }
      : { status: [2, 'Failure'], detail: e.data.reason, severity: SEVERITY.medium, extras: {} };
  }
  if (isEvent(e, 'incidents.ActionOutcomeResolved.v1')) {
    const ok = e.data.outcome === 'succeeded';
    return {
      status: ok ? [1, 'Success'] : [2, 'Failure'],
      detail: e.data.note,
      severity: ok ? INFORMATIONAL : SEVERITY.medium,
      extras: { resolved_by: e.data.resolvedBy, evidence_uri: e.data.evidenceUri },
    };
  }
  if (isEvent(e, 'incidents.ActionCancelled.v1')) return { status: OTHER('Cancelled'), detail: e.data.reason, severity: INFORMATIONAL, extras: {} };
  // Nothing ran: an "Other" ending like a cancellation, saying when the lifetime ran out and which applied.
  if (isEvent(e, 'incidents.ActionExpired.v1')) {
    return {
      status: OTHER('Expired'),
      detail: `not approved within ${e.data.approvalExpiryMinutes} minutes`,
      severity: INFORMATIONAL,
      extras: { expired_at: e.data.expiredAt, approval_expiry_minutes: e.data.approvalExpiryMinutes },
    };
  }
  if (isEvent(e, 'incidents.ActionVerified.v1')) return { status: [1, 'Success'], detail: `verified: ${e.data.evidence}`, severity: INFORMATIONAL, extras: {} };
  return undefined;
};

const remediationActivity = (e: RecordedEvent, ctx: ExportContext, facts: ActionFacts | undefined): OcsfRecord[] => {
  const outcome = actionOutcome(e);
  const actionId = (e.data as { actionId?: unknown }).actionId;
  if (!outcome || typeof actionId !== 'string') return [];
  const activity = facts ? VERB_ACTIVITY[facts.verb] : 0;
  return [
    {
      ...header(REMEDIATION_ACTIVITY, activity, outcome.severity, e, ctx, []),
      ...status(outcome.status),
      ...(outcome.detail ? { status_detail: outcome.detail } : {}),
      command_uid: actionId,
      ...(facts ? { remediation: { desc: `${facts.actionKind} (${facts.phase}) on ${facts.target}` } } : {}),
      unmapped: {
        ...envelopeExtras(e),
        ...(facts ? { incident_id: facts.incidentId, action_kind: facts.actionKind, target: facts.target, destructive: facts.destructive } : {}),
        ...outcome.extras,
      },
    },
  ];
};

// --- entry point --------------------------------------------------------------------------------

/**
 * The OCSF records of one event of the export (none for most kinds). Pass the same `memory` for every
 * event of an export, seeded with the events before the period; without it, records of later
 * incident and action events lack what only earlier events say (title, verb, signals).
 */
export const ocsfRecords = (e: RecordedEvent, ctx: ExportContext, memory: OcsfMemory = new OcsfMemory()): OcsfRecord[] => {
  if (e.metadata.tenantId !== ctx.tenantId) {
    throw new Error(`event ${e.eventId} belongs to tenant ${e.metadata.tenantId}, not to the exported tenant ${ctx.tenantId}`);
  }
  if (isAttestationEvent(e)) {
    // Facts as they were before this event: an attestation's end also makes memory forget it.
    const before = memory.attestation(e.data.attestationId);
    memory.remember(e);
    return attestationFinding(e, ctx, before ?? memory.attestation(e.data.attestationId));
  }
  if (e.type.startsWith('guardrails.')) return complianceFindings(e, ctx);
  if (e.type.startsWith('incidents.Action')) {
    // Facts as they were before this event: the last event of an action also makes memory forget it.
    const actionId = String((e.data as { actionId?: unknown }).actionId);
    const before = memory.action(actionId);
    memory.remember(e);
    return remediationActivity(e, ctx, before ?? memory.action(actionId));
  }
  memory.remember(e);
  if (e.type.startsWith('incidents.')) return incidentFinding(e, ctx, memory);
  return [];
};
