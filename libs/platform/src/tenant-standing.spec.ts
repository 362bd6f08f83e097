// Every command kind of every context, against every tenant status: what tenancy's standing rule
// answers, written out. A command kind added without being classified fails to compile in its
// context's map and fails here; a change to the rule or a classification must change this table.
import { AUDIT_COMMAND_INTENTS } from '@rampart/audit';
import type { CommandIntent } from '@rampart/event-sourcing';
import { GUARDRAILS_COMMAND_INTENTS } from '@rampart/guardrails';
import { INCIDENT_COMMAND_INTENTS } from '@rampart/incidents';
import { INGESTION_COMMAND_INTENTS } from '@rampart/ingestion';
import { standingOf, TENANCY_COMMAND_INTENTS, type Admission, type StandingStatus } from '@rampart/tenancy';

const STATUSES: readonly StandingStatus[] = ['active', 'suspended', 'offboarded', 'unknown'];
type Row = readonly [active: Admission, suspended: Admission, offboarded: Admission, unknown: Admission];
const A = 'admitted';
const S = 'tenant-suspended';
const O = 'tenant-offboarded';
const N = 'tenant-not-found';

const EXPECTED: Record<string, Record<string, Row>> = {
  tenancy: {
    OnboardTenant: [A, A, O, A],
    SuspendTenant: [A, A, O, A],
    ReinstateTenant: [A, A, O, A],
    OffboardTenant: [A, A, O, A],
    AssignSocTeam: [A, S, O, N],
    AddCloudConnection: [A, S, O, N],
    IssueApiKey: [A, S, O, N],
    UnassignSocTeam: [A, A, O, N],
    RemoveCloudConnection: [A, A, O, N],
    RevokeApiKey: [A, A, A, N],
  },
  incidents: {
    OpenIncident: [A, S, O, N],
    ReopenIncident: [A, S, O, N],
    ProposeAction: [A, S, O, N],
    ApproveAction: [A, S, O, N],
    StartExecution: [A, S, O, N],
    AttachSignal: [A, A, O, N],
    DetachSignal: [A, A, O, N],
    TriageIncident: [A, A, O, N],
    ReassignIncident: [A, A, O, N],
    StartResponse: [A, A, O, N],
    ConfirmContainment: [A, A, O, N],
    ConfirmRemediation: [A, A, O, N],
    ConfirmRecovery: [A, A, O, N],
    CloseIncident: [A, A, O, N],
    MergeIncident: [A, A, O, N],
    AddComment: [A, A, O, N],
    AddTask: [A, A, O, N],
    CompleteTask: [A, A, O, N],
    AddEvidence: [A, A, O, N],
    ChangeLabels: [A, A, O, N],
    RecordSlaBreach: [A, A, O, N],
    RecordSuccess: [A, A, O, N],
    RecordFailure: [A, A, O, N],
    ResolveUncertainOutcome: [A, A, O, N],
    CancelAction: [A, A, O, N],
    ExpireAction: [A, A, O, N],
    VerifyAction: [A, A, O, N],
    SetIncidentPolicy: [A, S, O, N],
  },
  guardrails: {
    AssignBaseline: [A, S, O, N],
    UnassignBaseline: [A, S, O, N],
    RequestExemption: [A, S, O, N],
    ApproveExemption: [A, S, O, N],
    SetReportingPolicy: [A, S, O, N],
    RevokeExemption: [A, A, O, N],
    ExpireExemption: [A, A, O, N],
    RecordEvaluation: [A, A, O, N],
    RecordResourceRemoved: [A, A, O, N],
  },
  ingestion: {
    StartIngestionRun: [A, S, O, N],
    ObserveResource: [A, S, O, N],
    ObserveResourceGone: [A, S, O, N],
    RecordIngestionProgress: [A, A, O, N],
    CompleteIngestionRun: [A, A, O, N],
    FailIngestionRun: [A, A, O, N],
    RecordChangeRecordsRead: [A, A, O, N],
    RecordConnectionSnapshot: [A, A, O, N],
  },
  audit: {
    RecordExport: [A, A, A, N],
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
