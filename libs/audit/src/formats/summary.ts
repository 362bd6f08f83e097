// One short line per event for people reading the CSV in a spreadsheet: what happened, to what, by
// which type's own words. Unknown types (and payloads that do not have the expected shape) fall back
// to the payload's compact JSON, cut to a readable length.
import type { RecordedEvent } from '@rampart/event-sourcing';
import type { AuditExported } from '../trail';
import type { KnownType } from './event-views';

export const SUMMARY_MAX_LENGTH = 300;
const FALLBACK_JSON_LENGTH = 200;

type Data = Record<string, unknown>;

const s = (value: unknown): string => (value === null || value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value));
const list = (value: unknown): string => (Array.isArray(value) && value.length ? value.map(s).join(', ') : 'none');

/** One per published event type (a type added to a contract without its line here fails to compile). */
const SUMMARIES: Readonly<Record<KnownType | AuditExported['type'], (d: Data) => string>> = {
  'tenancy.TenantOnboarded.v1': (d) => `tenant onboarded: ${s(d['displayName'])} (${s(d['sector'])})`,
  'tenancy.TenantSuspended.v1': (d) => `tenant suspended: ${s(d['reason'])}`,
  'tenancy.TenantReinstated.v1': () => 'tenant reinstated',
  'tenancy.TenantOffboarded.v1': (d) => `tenant offboarded: ${s(d['reason'])}`,
  'tenancy.SocTeamAssigned.v1': (d) => `SOC team ${s(d['socTeam'])} assigned`,
  'tenancy.SocTeamUnassigned.v1': (d) => `SOC team ${s(d['socTeam'])} unassigned`,
  'tenancy.CloudConnectionAdded.v1': (d) => `cloud connection ${s(d['connectionId'])} added (${s(d['provider'])}, ${list(d['subscriptions'])})`,
  'tenancy.CloudConnectionRemoved.v1': (d) => `cloud connection ${s(d['connectionId'])} removed`,
  'tenancy.ApiKeyIssued.v1': (d) => `API key issued: ${s(d['name'])} (${s(d['keyId'])}) with ${list(d['roles'])}, expires ${s(d['expiresAt'])}`,
  'tenancy.ApiKeyRevoked.v1': (d) => `API key ${s(d['keyId'])} revoked: ${s(d['reason'])}`,

  'inventory.ResourceDiscovered.v1': (d) => `resource discovered: ${s(d['type'])} ${s(d['id'])}`,
  'inventory.ResourceConfigurationChanged.v1': (d) =>
    `resource changed: ${s(d['id'])} (${Array.isArray(d['patch']) ? d['patch'].length : '?'} patch operations)`,
  'inventory.ResourceRemoved.v1': (d) => `resource removed: ${s(d['type'])} ${s(d['id'])}`,
  'inventory.IngestionRunStarted.v1': (d) => `ingestion run ${s(d['runId'])} started: ${s(d['source'])} ${s(d['scope'])}`,
  'inventory.IngestionRunProgressed.v1': (d) => `ingestion run ${s(d['runId'])} progressed: ${s((d['counts'] as Data | undefined)?.['seen'])} seen`,
  'inventory.IngestionRunCompleted.v1': (d) => {
    const c = (d['counts'] ?? {}) as Data;
    return `ingestion run ${s(d['runId'])} completed: ${s(c['discovered'])} discovered, ${s(c['changed'])} changed, ${s(c['removed'])} removed`;
  },
  'inventory.IngestionRunFailed.v1': (d) => `ingestion run ${s(d['runId'])} failed: ${s(d['reason'])}`,

  'guardrails.BaselineAssigned.v1': (d) =>
    `baseline ${s(d['baselineId'])} assigned to ${s(d['scope'])} (assignment ${s(d['assignmentId'])}${d['group'] ? `, as a member of the tenant group ${s(d['group'])}` : ''}${
      d['rollout'] ? `, by the staged rollout ${s(d['rollout'])}${d['quietExisting'] ? '; what it finds on arrival opens no incident' : ''}` : ''
    })`,
  'guardrails.GroupBaselineAssigned.v1': (d) => `baseline ${s(d['baselineId'])} assigned to the tenant group ${s(d['groupId'])} (assignment ${s(d['assignmentId'])}), for every member`,
  'guardrails.GroupBaselineUnassigned.v1': (d) => `baseline ${s(d['baselineId'])} taken from the tenant group ${s(d['groupId'])} (assignment ${s(d['assignmentId'])})`,
  'tenancy.TenantGroupCreated.v1': (d) => `tenant group ${s(d['groupId'])} created: ${s(d['name'])}`,
  'tenancy.TenantJoinedGroup.v1': (d) => `${s(d['tenantId'])} joined the tenant group ${s(d['groupId'])}`,
  'tenancy.TenantLeftGroup.v1': (d) => `${s(d['tenantId'])} left the tenant group ${s(d['groupId'])}: ${s(d['reason'])}`,
  'guardrails.BaselineUnassigned.v1': (d) => `baseline ${s(d['baselineId'])} unassigned (assignment ${s(d['assignmentId'])})`,
  'guardrails.ExemptionRequested.v1': (d) =>
    `exemption requested (${s(d['category'])}) for ${s(d['guardrailId'])} on ${s(d['scope'])} until ${s(d['expiresAt'])}: ${s(d['justification'])}`,
  'guardrails.ExemptionGranted.v1': (d) => `exemption ${s(d['exemptionId'])} granted by ${s(d['approvedBy'])}`,
  'guardrails.ExemptionRevoked.v1': (d) => `exemption ${s(d['exemptionId'])} revoked: ${s(d['reason'])}`,
  'guardrails.ExemptionExpired.v1': (d) => `exemption ${s(d['exemptionId'])} expired at ${s(d['expiredAt'])}`,
  'guardrails.LibraryVersionSet.v1': (d) =>
    `assignment ${s(d['assignmentId'])} ${d['change'] === 'adopted' ? 'adopted' : d['change'] === 'pinned' ? 'pinned to' : 'follows the latest again:'} ${s(d['baselineId'])}`,
  'guardrails.RolloutPlanned.v1': (d) =>
    `staged rollout ${s(d['rolloutId'])} of ${s(d['baselineId'])} to the tenant group ${s(d['groupId'])} planned by ${s(d['plannedBy'])}: rings ${
      Array.isArray(d['rings']) ? d['rings'].map((r) => `${s((r as Data)['name'])} (${Array.isArray((r as Data)['tenants']) ? ((r as Data)['tenants'] as unknown[]).length : '?'})`).join(', ') : '?'
    }; findings that existed before it ${d['raiseIncidentsForExisting'] ? 'raise incidents' : 'raise no incident'}`,
  'guardrails.RolloutRingApproved.v1': (d) => `staged rollout ${s(d['rolloutId'])}: ring ${s(d['name'])} goes in, decided by ${s(d['approvedBy'])}`,
  'guardrails.RolloutRolledBack.v1': (d) => `staged rollout ${s(d['rolloutId'])} rolled back by ${s(d['rolledBackBy'])}: ${s(d['reason'])}`,
  'guardrails.CoveragePolicySet.v1': (d) => `coverage policy set: a resource whose configuration was not collected and evaluated within ${s(d['maxEvidenceAgeHours'])} h counts as not evaluated`,
  'guardrails.AttestationPolicySet.v1': (d) => (d['approvalRequired'] ? 'attestations need a second person from now on' : 'attestations no longer need a second person'),
  'guardrails.AttestationRecorded.v1': (d) =>
    `attestation ${s(d['attestationId'])} of ${s(d['standardId'])} ${s(d['controlId'])} by ${s(d['attestedBy'])} until ${s(d['validUntil'])}${d['approvalRequired'] ? ', awaiting a second person' : ''}: ${
      Array.isArray(d['evidence']) ? d['evidence'].length : '?'
    } evidence file(s); ${s(d['statement'])}`,
  'guardrails.AttestationApproved.v1': (d) => `attestation ${s(d['attestationId'])} approved by ${s(d['approvedBy'])}`,
  'guardrails.AttestationRejected.v1': (d) => `attestation ${s(d['attestationId'])} rejected by ${s(d['rejectedBy'])}: ${s(d['reason'])}`,
  'guardrails.AttestationRevoked.v1': (d) => `attestation ${s(d['attestationId'])} revoked by ${s(d['revokedBy'])}: ${s(d['reason'])}`,
  'guardrails.AttestationExpired.v1': (d) => `attestation ${s(d['attestationId'])} expired at ${s(d['expiredAt'])}`,
  'guardrails.ReportingPolicySet.v1': (d) => `reporting policy set: incidents for ${list(d['incidentSeverities'])}; notify for ${list(d['notifySeverities'])}`,
  'guardrails.ComplianceStateChanged.v1': (d) => `${s(d['guardrailId'])} on ${s(d['resourceId'])}: ${d['from'] === null ? 'unevaluated' : s(d['from'])} -> ${s(d['to'])}`,
  'guardrails.FindingOpened.v1': (d) => `finding opened: ${s(d['title'])} on ${s(d['resourceId'])} (${s(d['severity'])})`,
  'guardrails.LibraryDefinitionPublished.v1': (d) => `policy definition ${s(d['name'])} version ${s(d['version'])} published from ${s(d['source'])} (sha256 ${s(d['sha256'])})`,
  'guardrails.LibraryInitiativePublished.v1': (d) =>
    `initiative ${s(d['name'])} version ${s(d['version'])} published from ${s(d['source'])}: ${Array.isArray(d['members']) ? d['members'].length : '?'} members (sha256 ${s(d['sha256'])})`,
  'guardrails.LibraryArtifactRetired.v1': (d) => `${s(d['kind'])} ${s(d['name'])} retired at version ${s(d['version'])}: ${s(d['reason'])}`,
  'guardrails.LibraryPolicySet.v1': (d) => (d['approvalRequired'] ? 'library changes need a second person from now on' : 'library changes no longer need a second person'),
  'guardrails.LibraryChangeProposed.v1': (d) =>
    `library change ${s(d['changeId'])} proposed by ${s(d['proposedBy'])}: ${Array.isArray(d['artifacts']) ? d['artifacts'].map((a) => `${s((a as Data)['kind'])} ${s((a as Data)['name'])} v${s((a as Data)['version'])}`).join(', ') || 'no artifact' : '?'}${
      d['policy'] ? `; approval ${(d['policy'] as Data)['approvalRequired'] ? 'required' : 'no longer required'}` : ''
    } (until ${s(d['expiresAt'])})`,
  'guardrails.LibraryChangeApproved.v1': (d) => `library change ${s(d['changeId'])} approved by ${s(d['approvedBy'])}`,
  'guardrails.LibraryChangeApplied.v1': (d) => `library change ${s(d['changeId'])} applied: ${s(d['recorded'])} published`,
  'guardrails.LibraryChangeRejected.v1': (d) => `library change ${s(d['changeId'])} rejected by ${s(d['rejectedBy'])}: ${s(d['reason'])}`,
  'guardrails.FindingResolved.v1': (d) => `finding resolved (${s(d['resolution'])}): ${s(d['guardrailId'])} on ${s(d['resourceKey'])}`,

  'incidents.IncidentOpened.v1': (d) => `incident opened: ${s(d['title'])} (${s(d['severity'])})`,
  'incidents.SignalAttached.v1': (d) => `signal attached to ${s(d['incidentId'])}: ${s((d['signal'] as Data | undefined)?.['title'])}`,
  'incidents.SignalDetached.v1': (d) => `signal ${s(d['ref'])} moved from ${s(d['incidentId'])} to ${s(d['movedTo'])}`,
  'incidents.IncidentTriaged.v1': (d) => `incident ${s(d['incidentId'])} triaged: ${s(d['severity'])}, assigned to ${s(d['assignee'])}`,
  'incidents.IncidentReassigned.v1': (d) => `incident ${s(d['incidentId'])} reassigned to ${s(d['assignee'])}`,
  'incidents.IncidentResponseStarted.v1': (d) => `response started on ${s(d['incidentId'])}: ${s(d['summary'])}`,
  'incidents.IncidentContained.v1': (d) => `incident ${s(d['incidentId'])} contained: ${s(d['summary'])}`,
  'incidents.IncidentRemediated.v1': (d) => `incident ${s(d['incidentId'])} remediated: ${s(d['summary'])}`,
  'incidents.IncidentRecovered.v1': (d) => `incident ${s(d['incidentId'])} recovered: ${s(d['summary'])}`,
  'incidents.IncidentClosed.v1': (d) => `incident ${s(d['incidentId'])} closed as ${s(d['classification'])}: ${s(d['reason'])}`,
  'incidents.PreventionProposed.v1': (d) => `prevention proposed from ${s(d['incidentId'])}: ${s(d['change'])}`,
  'incidents.IncidentReopened.v1': (d) => `incident ${s(d['incidentId'])} reopened: ${s(d['reason'])}`,
  'incidents.IncidentMerged.v1': (d) => `incident ${s(d['incidentId'])} merged into ${s(d['into'])}`,
  'incidents.CommentAdded.v1': (d) => `comment on ${s(d['incidentId'])}: ${s(d['text'])}`,
  'incidents.TaskAdded.v1': (d) => `task added to ${s(d['incidentId'])}: ${s(d['title'])} (${s(d['owner'])}, due ${s(d['dueAt'])})`,
  'incidents.TaskCompleted.v1': (d) => `task ${s(d['taskId'])} of ${s(d['incidentId'])} completed`,
  'incidents.EvidenceAdded.v1': (d) => `evidence added to ${s(d['incidentId'])}: ${s(d['uri'])}`,
  'incidents.LabelsChanged.v1': (d) => `labels of ${s(d['incidentId'])}: added ${list(d['added'])}; removed ${list(d['removed'])}`,
  'incidents.SlaBreached.v1': (d) => `SLA breached on ${s(d['incidentId'])}: ${s(d['target'])} was due ${s(d['dueAt'])}`,
  'incidents.IncidentPolicySet.v1': () => 'incident policy set',

  'incidents.ActionProposed.v1': (d) => `action proposed: ${s(d['actionKind'])} (${s(d['verb'])}) on ${s(d['target'])} for ${s(d['incidentId'])}`,
  'incidents.ActionApproved.v1': (d) => `action ${s(d['actionId'])} approved by ${s(d['approvedBy'])}${d['preApproved'] === true ? ' (pre-approved by policy)' : ''}`,
  'incidents.ActionExecutionStarted.v1': (d) => `action ${s(d['actionId'])} executing (${s(d['executor'])})`,
  'incidents.ActionSucceeded.v1': (d) => `action ${s(d['actionId'])} succeeded: ${s(d['outcome'])}`,
  'incidents.ActionFailed.v1': (d) => `action ${s(d['actionId'])} failed${d['uncertain'] === true ? ' (outcome uncertain)' : ''}: ${s(d['reason'])}`,
  'incidents.ActionOutcomeResolved.v1': (d) => `action ${s(d['actionId'])} outcome resolved as ${s(d['outcome'])} by ${s(d['resolvedBy'])}: ${s(d['note'])}`,
  'incidents.ActionCancelled.v1': (d) => `action ${s(d['actionId'])} cancelled: ${s(d['reason'])}`,
  'incidents.ActionExpired.v1': (d) => `action ${s(d['actionId'])} expired unapproved at ${s(d['expiredAt'])} (approval lifetime ${s(d['approvalExpiryMinutes'])} min)`,
  'incidents.ActionVerified.v1': (d) => `action ${s(d['actionId'])} verified: ${s(d['evidence'])}`,

  'audit.AuditExported.v1': (d) => `audit export ${s(d['exportId'])}: ${s(d['from'])} to ${s(d['to'])}, ${s(d['eventCount'])} events`,
};

const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export const summarize = (e: Pick<RecordedEvent, 'type' | 'data'>): string => {
  const known = (SUMMARIES as Readonly<Record<string, ((d: Data) => string) | undefined>>)[e.type];
  if (known && typeof e.data === 'object' && e.data !== null && !Array.isArray(e.data)) {
    return oneLine(known(e.data as Data), SUMMARY_MAX_LENGTH);
  }
  return oneLine(JSON.stringify(e.data) ?? '', FALLBACK_JSON_LENGTH);
};
