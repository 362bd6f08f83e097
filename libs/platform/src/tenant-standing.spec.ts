// Every command kind of every context, against every tenant status: what tenancy's standing rule
// answers, written out. A command kind added without being classified fails to compile in its
// context's map and fails here; a change to the rule or a classification must change this table.
import { AUDIT_COMMAND_INTENTS } from '@rampart/audit';
import type { CommandIntent } from '@rampart/event-sourcing';
import { GUARDRAILS_COMMAND_INTENTS } from '@rampart/guardrails';
import { INCIDENT_COMMAND_INTENTS } from '@rampart/incidents';
import { INGESTION_COMMAND_INTENTS } from '@rampart/ingestion';
import { standingOf, TENANCY_COMMAND_INTENTS, type Admission, type StandingStatus } from '@rampart/tenancy';

const STATUSES: readonly StandingStatus[] = ['active', 'suspended', 'offboarded', 'unknown', 'provider'];
/** The provider's scope (its policy library's records) is read and exported, and takes no tenant command. */
type Row = readonly [active: Admission, suspended: Admission, offboarded: Admission, unknown: Admission, provider: Admission];
const A = 'admitted';
const S = 'tenant-suspended';
const O = 'tenant-offboarded';
const N = 'tenant-not-found';

const EXPECTED: Record<string, Record<string, Row>> = {
  tenancy: {
    OnboardTenant: [A, A, O, A, N],
    SuspendTenant: [A, A, O, A, N],
    ReinstateTenant: [A, A, O, A, N],
    OffboardTenant: [A, A, O, A, N],
    AssignSocTeam: [A, S, O, N, N],
    AddCloudConnection: [A, S, O, N, N],
    IssueApiKey: [A, S, O, N, N],
    UnassignSocTeam: [A, A, O, N, N],
    RemoveCloudConnection: [A, A, O, N, N],
    RevokeApiKey: [A, A, A, N, N],
  },
  incidents: {
    OpenIncident: [A, S, O, N, N],
    ReopenIncident: [A, S, O, N, N],
    ProposeAction: [A, S, O, N, N],
    ApproveAction: [A, S, O, N, N],
    StartExecution: [A, S, O, N, N],
    AttachSignal: [A, A, O, N, N],
    DetachSignal: [A, A, O, N, N],
    TriageIncident: [A, A, O, N, N],
    ReassignIncident: [A, A, O, N, N],
    StartResponse: [A, A, O, N, N],
    ConfirmContainment: [A, A, O, N, N],
    ConfirmRemediation: [A, A, O, N, N],
    ConfirmRecovery: [A, A, O, N, N],
    CloseIncident: [A, A, O, N, N],
    MergeIncident: [A, A, O, N, N],
    AddComment: [A, A, O, N, N],
    AddTask: [A, A, O, N, N],
    CompleteTask: [A, A, O, N, N],
    AddEvidence: [A, A, O, N, N],
    ChangeLabels: [A, A, O, N, N],
    RecordSlaBreach: [A, A, O, N, N],
    RecordSuccess: [A, A, O, N, N],
    RecordFailure: [A, A, O, N, N],
    ResolveUncertainOutcome: [A, A, O, N, N],
    CancelAction: [A, A, O, N, N],
    ExpireAction: [A, A, O, N, N],
    VerifyAction: [A, A, O, N, N],
    SetIncidentPolicy: [A, S, O, N, N],
  },
  guardrails: {
    AssignBaseline: [A, S, O, N, N],
    UnassignBaseline: [A, S, O, N, N],
    RequestExemption: [A, S, O, N, N],
    ApproveExemption: [A, S, O, N, N],
    SetReportingPolicy: [A, S, O, N, N],
    PinLibraryVersion: [A, S, O, N, N],
    SetAttestationPolicy: [A, S, O, N, N],
    SetCoveragePolicy: [A, S, O, N, N],
    RecordAttestation: [A, S, O, N, N],
    ApproveAttestation: [A, S, O, N, N],
    AdoptLibraryVersion: [A, A, O, N, N],
    RejectAttestation: [A, A, O, N, N],
    RevokeAttestation: [A, A, O, N, N],
    ExpireAttestation: [A, A, O, N, N],
    RevokeExemption: [A, A, O, N, N],
    ExpireExemption: [A, A, O, N, N],
    RecordEvaluation: [A, A, O, N, N],
    RecordResourceRemoved: [A, A, O, N, N],
  },
  ingestion: {
    StartIngestionRun: [A, S, O, N, N],
    ObserveResource: [A, S, O, N, N],
    ObserveResourceGone: [A, S, O, N, N],
    RecordIngestionProgress: [A, A, O, N, N],
    CompleteIngestionRun: [A, A, O, N, N],
    FailIngestionRun: [A, A, O, N, N],
    RecordChangeRecordsRead: [A, A, O, N, N],
    RecordConnectionSnapshot: [A, A, O, N, N],
  },
  audit: {
    RecordExport: [A, A, A, N, A],
  },
};

const CLASSIFIED: Record<string, Readonly<Record<string, CommandIntent>>> = {
  tenancy: TENANCY_COMMAND_INTENTS,
  incidents: INCIDENT_COMMAND_INTENTS,
  guardrails: GUARDRAILS_COMMAND_INTENTS,
  ingestion: INGESTION_COMMAND_INTENTS,
  audit: AUDIT_COMMAND_INTENTS,
};

describe("a tenant's standing, for every command of every context", () => {
  it.each(Object.keys(CLASSIFIED))('%s: every command kind it classifies has its expected row here, and no other', (context) => {
    expect(Object.keys(CLASSIFIED[context]).sort()).toEqual(Object.keys(EXPECTED[context]).sort());
  });

  const cases = Object.entries(EXPECTED).flatMap(([context, rows]) =>
    Object.entries(rows).flatMap(([kind, row]) => STATUSES.map((status, i) => [context, kind, status, row[i]] as const)),
  );
  it.each(cases)('%s %s for a tenant %s: %s', (context, kind, status, expected) => {
    const intent = CLASSIFIED[context][kind];
    const refusal = standingOf('contoso', status, intent);
    expect(refusal?.code ?? 'admitted').toBe(expected);
    if (refusal) expect(refusal.message).toMatch(/^(no tenant "contoso"|tenant "contoso")/);
  });
});
