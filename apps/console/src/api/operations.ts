// Every GraphQL document the console sends, with the shape of its answer. Checked against the
// committed SDL (libs/graphql-api/schema.graphql) by operations.spec.ts.

export interface PageInfo {
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}
export interface Connection<T> {
  readonly edges: readonly { readonly node: T }[];
  readonly pageInfo: PageInfo;
}

export interface TenantSummary {
  readonly tenantId: string;
  readonly displayName: string;
  readonly status: string;
  readonly sector: string;
  readonly socTeams: readonly string[];
}

export const ME_QUERY = /* GraphQL */ `
  query ConsoleMe {
    me { id displayName kind grants { role tenantId socTeam } tenantIds }
    tenants(first: 100) { edges { node { tenantId displayName status sector socTeams } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface MeQuery {
  readonly me: { id: string; displayName: string | null; kind: string; grants: { role: string; tenantId: string | null; socTeam: string | null }[]; tenantIds: string[] };
  readonly tenants: Connection<TenantSummary>;
}

/** The pages after ME_QUERY's first hundred tenants (an MSSP's SOC looks after hundreds). */
export const TENANTS_PAGE_QUERY = /* GraphQL */ `
  query ConsoleTenantsPage($after: String) {
    tenants(first: 100, after: $after) { edges { node { tenantId displayName status sector socTeams } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface TenantsPageQuery {
  readonly tenants: Connection<TenantSummary>;
}

// Approvals --------------------------------------------------------------------------------------

export interface PendingAction {
  readonly tenantId: string;
  readonly incidentTitle: string;
  readonly incidentSeverity: string;
  readonly incidentStatus: string;
  /** A proposal still waiting: nothing approved, ran or expired it yet, so those fields are not asked (the query stays within the API's cost limit). */
  readonly action: Omit<ResponseAction, 'approvedBy' | 'executor' | 'outcome' | 'uncertain' | 'verified' | 'expiredAt'> & { readonly incidentId: string };
  /** When the proposal expires unapproved (the tenant's approval lifetime after it was proposed). */
  readonly expiresAt: string;
}
export const PENDING_ACTIONS_QUERY = /* GraphQL */ `
  query ConsolePendingActions($after: String) {
    pendingActions(first: 40, after: $after) {
      edges { node { tenantId incidentTitle incidentSeverity incidentStatus expiresAt
        action { actionId incidentId actionKind verb target phase destructive status proposedBy proposedAt playbookId parameters } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
export interface PendingActionsQuery {
  readonly pendingActions: Connection<PendingAction>;
}

// Administration ----------------------------------------------------------------------------------

export interface AdminTenant extends TenantSummary {
  readonly revision: number;
  readonly onboardedAt: string;
  readonly suspendedReason: string | null;
  readonly connections: readonly CloudConnection[];
}
export interface CloudConnection {
  readonly connectionId: string;
  readonly provider: string;
  readonly entraTenantId: string;
  readonly credentialReference: string;
  readonly subscriptions: readonly string[];
  readonly managementGroups: readonly string[];
}
const ADMIN_TENANT_FIELDS = 'tenantId displayName status sector socTeams revision onboardedAt suspendedReason connections { connectionId provider entraTenantId credentialReference subscriptions managementGroups }';

export const ADMIN_TENANTS_QUERY = /* GraphQL */ `
  query ConsoleAdminTenants($after: String) {
    tenants(first: 50, after: $after) { edges { node { ${ADMIN_TENANT_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface AdminTenantsQuery {
  readonly tenants: Connection<AdminTenant>;
}

export interface ApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly issuedBy: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt: string | null;
  readonly revokedReason: string | null;
}
export const ADMIN_TENANT_QUERY = /* GraphQL */ `
  query ConsoleAdminTenant($tenantId: ID!) {
    tenant(tenantId: $tenantId) { ${ADMIN_TENANT_FIELDS} }
    apiKeys(tenantId: $tenantId, first: 100) { edges { node { keyId name roles issuedBy issuedAt expiresAt revokedAt revokedReason } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface AdminTenantQuery {
  readonly tenant: AdminTenant | null;
  readonly apiKeys: Connection<ApiKey>;
}

/** The answer of a tenant change: its new revision, or the domain's refusal. */
export type Refusable<T> = T | { readonly __typename: 'Rejection'; readonly code: string; readonly message: string | null };

export const ONBOARD_TENANT_MUTATION = /* GraphQL */ `
  mutation ConsoleOnboardTenant($input: OnboardTenantInput!) {
    result: onboardTenant(input: $input) { __typename ... on TenantOnboarded { tenantId } ... on Rejection { code message } }
  }
`;
export interface OnboardTenantMutation {
  readonly result: Refusable<{ readonly __typename: 'TenantOnboarded'; readonly tenantId: string }>;
}

const TENANT_CHANGE = '__typename ... on TenantChanged { revision } ... on Rejection { code message }';
export type TenantChangeResult = Refusable<{ readonly __typename: 'TenantChanged'; readonly revision: number }>;
export const OFFBOARD_TENANT_MUTATION = /* GraphQL */ `
  mutation ConsoleOffboardTenant($input: OffboardTenantInput!) { result: offboardTenant(input: $input) { ${TENANT_CHANGE} } }
`;
export const ADD_CLOUD_CONNECTION_MUTATION = /* GraphQL */ `
  mutation ConsoleAddCloudConnection($input: AddCloudConnectionInput!) { result: addCloudConnection(input: $input) { ${TENANT_CHANGE} } }
`;
export const REMOVE_CLOUD_CONNECTION_MUTATION = /* GraphQL */ `
  mutation ConsoleRemoveCloudConnection($input: RemoveCloudConnectionInput!) { result: removeCloudConnection(input: $input) { ${TENANT_CHANGE} } }
`;
export interface TenantChangeMutation {
  readonly result: TenantChangeResult;
}

export const ASSIGN_SOC_TEAM_MUTATION = /* GraphQL */ `
  mutation ConsoleAssignSocTeam($input: AssignSocTeamInput!) {
    result: assignSocTeam(input: $input) { __typename ... on SocTeamAssigned { revision } ... on Rejection { code message } }
  }
`;
export interface AssignSocTeamMutation {
  readonly result: Refusable<{ readonly __typename: 'SocTeamAssigned'; readonly revision: number }>;
}

export const ISSUE_API_KEY_MUTATION = /* GraphQL */ `
  mutation ConsoleIssueApiKey($input: IssueApiKeyInput!) {
    result: issueApiKey(input: $input) { __typename ... on ApiKeyIssued { keyId secret expiresAt } ... on Rejection { code message } }
  }
`;
export interface IssueApiKeyMutation {
  readonly result: Refusable<{ readonly __typename: 'ApiKeyIssued'; readonly keyId: string; readonly secret: string; readonly expiresAt: string }>;
}

export const REVOKE_API_KEY_MUTATION = /* GraphQL */ `
  mutation ConsoleRevokeApiKey($input: RevokeApiKeyInput!) {
    result: revokeApiKey(input: $input) { __typename ... on ApiKeyRevoked { keyId } ... on Rejection { code message } }
  }
`;
export interface RevokeApiKeyMutation {
  readonly result: Refusable<{ readonly __typename: 'ApiKeyRevoked'; readonly keyId: string }>;
}

// Incidents -------------------------------------------------------------------------------------

export interface QueueIncident {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly slaState: string;
  readonly breached: readonly string[];
  readonly assignee: string | null;
  readonly openedAt: string;
  readonly revision: number;
  readonly labels: readonly string[];
  readonly resourceKeys: readonly string[];
  /** The first is what raised the incident: its guardrail's (or alert's) own title groups the queue. */
  readonly signals: readonly { readonly title: string }[];
}
const QUEUE_FIELDS = 'tenantId incidentId title severity status slaState breached assignee openedAt revision labels resourceKeys signals { title }';

export const INCIDENTS_QUERY = /* GraphQL */ `
  query ConsoleIncidents($filter: IncidentFilter, $after: String) {
    incidents(first: 50, filter: $filter, after: $after) { edges { node { ${QUEUE_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface IncidentsQuery {
  readonly incidents: Connection<QueueIncident>;
}

export interface TimelineEntry {
  readonly at: string;
  readonly type: string;
  readonly actorKind: string;
  readonly actorId: string;
  readonly onBehalfOfTenant: string | null;
  readonly data: string;
  readonly position: string;
}
export interface ResponseAction {
  readonly actionId: string;
  readonly actionKind: string;
  readonly verb: string;
  readonly target: string;
  readonly phase: string;
  readonly destructive: boolean;
  readonly status: string;
  readonly proposedBy: string;
  readonly proposedAt: string;
  /** When an expired proposal's approval lifetime ran out. */
  readonly expiredAt: string | null;
  readonly approvedBy: string | null;
  readonly executor: string | null;
  readonly outcome: string | null;
  readonly uncertain: boolean;
  readonly verified: boolean;
  readonly playbookId: string | null;
  readonly parameters: string;
}
export interface IncidentDetail extends QueueIncident {
  readonly triagedAt: string | null;
  readonly containedAt: string | null;
  readonly resolvedAt: string | null;
  readonly closedAt: string | null;
  readonly classification: string | null;
  readonly mergedInto: string | null;
  readonly openTasks: number;
  readonly signals: readonly { kind: string; ref: string; title: string; severity: string; detectedAt: string; resourceKeys: string[]; entities: string[] }[];
  readonly actions: readonly ResponseAction[];
  readonly timeline: readonly TimelineEntry[];
}

export const INCIDENT_QUERY = /* GraphQL */ `
  query ConsoleIncident($tenantId: ID!, $incidentId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    incident(tenantId: $tenantId, incidentId: $incidentId) {
      ${QUEUE_FIELDS} triagedAt containedAt resolvedAt closedAt classification mergedInto openTasks
      signals { kind ref title severity detectedAt resourceKeys entities }
      actions { actionId actionKind verb target phase destructive status proposedBy proposedAt expiredAt approvedBy executor outcome uncertain verified playbookId parameters }
      timeline { at type actorKind actorId onBehalfOfTenant data position }
    }
  }
`;
export interface IncidentQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly incident: IncidentDetail | null;
}

export const INCIDENT_EVENTS_SUBSCRIPTION = /* GraphQL */ `
  subscription ConsoleIncidentEvents($tenantId: ID!) { incidentEvents(tenantId: $tenantId) { type streamId recordedAt } }
`;
export interface IncidentEventsSubscription {
  readonly incidentEvents: { type: string; streamId: string; recordedAt: string };
}

/** The answer of every incident command: the new revision, or the domain's refusal. */
export type CommandResult = { readonly __typename: 'IncidentChanged'; readonly revision: number } | { readonly __typename: 'Rejection'; readonly code: string; readonly message: string | null };
const INCIDENT_RESULT = '__typename ... on IncidentChanged { revision } ... on Rejection { code message }';

const incidentMutation = (field: string, input: string) => /* GraphQL */ `
  mutation Console_${field}($input: ${input}!) { result: ${field}(input: $input) { ${INCIDENT_RESULT} } }
`;
export const INCIDENT_MUTATIONS = {
  triageIncident: incidentMutation('triageIncident', 'TriageIncidentInput'),
  reassignIncident: incidentMutation('reassignIncident', 'ReassignIncidentInput'),
  advanceIncident: incidentMutation('advanceIncident', 'AdvanceIncidentInput'),
  commentOnIncident: incidentMutation('commentOnIncident', 'IncidentTextInput'),
  closeIncident: incidentMutation('closeIncident', 'CloseIncidentInput'),
  reopenIncident: incidentMutation('reopenIncident', 'IncidentTextInput'),
  approveAction: incidentMutation('approveAction', 'ActionRefInput'),
  cancelAction: incidentMutation('cancelAction', 'CancelActionInput'),
  recordActionOutcome: incidentMutation('recordActionOutcome', 'RecordActionOutcomeInput'),
  resolveUncertainAction: incidentMutation('resolveUncertainAction', 'ResolveUncertainActionInput'),
  proposeAction: incidentMutation('proposeAction', 'ProposeActionInput'),
  changeIncidentLabels: incidentMutation('changeIncidentLabels', 'ChangeIncidentLabelsInput'),
  mergeIncident: incidentMutation('mergeIncident', 'MergeIncidentInput'),
  addIncidentTask: incidentMutation('addIncidentTask', 'AddIncidentTaskInput'),
  completeIncidentTask: incidentMutation('completeIncidentTask', 'CompleteIncidentTaskInput'),
  addIncidentEvidence: incidentMutation('addIncidentEvidence', 'AddIncidentEvidenceInput'),
} as const;

/** People to assign a tenant's incidents to: those holding its SOC teams' incidents, fewest open first. */
export const ASSIGNEES_QUERY = /* GraphQL */ `
  query ConsoleAssignees($tenantId: ID!) { assignees(tenantId: $tenantId) { id openIncidents lastAssignedAt } }
`;
export interface Assignee {
  readonly id: string;
  readonly openIncidents: number;
  readonly lastAssignedAt: string;
}
export interface AssigneesQuery {
  readonly assignees: readonly Assignee[];
}

/** The response actions that can be proposed, and the open incidents of the tenant one may merge into. */
export const INCIDENT_WORK_QUERY = /* GraphQL */ `
  query ConsoleIncidentWork($tenantId: ID!) {
    actionCatalog { id title verb destructive parameters { name description } }
    incidents(first: 50, filter: { tenantId: $tenantId, open: true }) { edges { node { incidentId title openedAt } } }
  }
`;
export interface ActionKind {
  readonly id: string;
  readonly title: string;
  readonly verb: string;
  readonly destructive: boolean;
  readonly parameters: readonly { name: string; description: string }[];
}
export interface IncidentWorkQuery {
  readonly actionCatalog: readonly ActionKind[];
  readonly incidents: { readonly edges: readonly { node: { incidentId: string; title: string; openedAt: string } }[] };
}
export interface CommandMutation {
  readonly result: CommandResult;
}

// SOC overview ----------------------------------------------------------------------------------

export interface Tally {
  readonly score: number | null;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly error: number;
  readonly exempt: number;
}
const TALLY = 'score compliant nonCompliant error exempt';

/**
 * Proof of coverage beside a score: how many resources' verdicts rest on evidence collected and
 * evaluated within the tenant's interval. The rest count as not evaluable, never as passing.
 */
export interface CoverageSummary {
  readonly resources: number;
  readonly evaluated: number;
  readonly notEvaluated: number;
  /** evaluated / resources, 0..1; null without resources. */
  readonly score: number | null;
  readonly oldestEvidenceAt: string | null;
  readonly maxEvidenceAgeHours: number;
  /** The evaluator had handled everything recorded before this instant; null: not behind. */
  readonly evaluatedThrough: string | null;
}
const COVERAGE_SUMMARY = 'resources evaluated notEvaluated score oldestEvidenceAt maxEvidenceAgeHours evaluatedThrough';

export interface ComplianceScore {
  readonly overall: Tally;
  readonly baselines: readonly (Tally & { baselineId: string })[];
  readonly frameworks: readonly (Tally & { framework: string; controls: readonly (Tally & { control: string })[] })[];
  readonly coverage: CoverageSummary;
}
const SCORE = `overall { ${TALLY} } baselines { baselineId ${TALLY} } frameworks { framework ${TALLY} controls { control ${TALLY} } } coverage { ${COVERAGE_SUMMARY} }`;

/** Compliance scores of several tenants in one request (aliases t0, t1, …; at most 10 to stay under the alias limit). */
export const tenantScoresQuery = (count: number) => /* GraphQL */ `
  query ConsoleTenantScores(${Array.from({ length: count }, (_, i) => `$t${i}: ID!`).join(', ')}) {
    ${Array.from({ length: count }, (_, i) => `t${i}: complianceScore(tenantId: $t${i}) { tenantId overall { ${TALLY} } }`).join('\n    ')}
  }
`;
export type TenantScoresQuery = Record<string, { tenantId: string; overall: Tally }>;

/** Daily overall scores of several tenants (aliases s0, s1, …; at most 8). */
export const tenantSeriesQuery = (count: number) => /* GraphQL */ `
  query ConsoleTenantSeries($from: String!, $to: String!, ${Array.from({ length: count }, (_, i) => `$t${i}: ID!`).join(', ')}) {
    ${Array.from({ length: count }, (_, i) => `s${i}: complianceSeries(tenantId: $t${i}, from: $from, to: $to, bucket: DAY) { at overall { score } }`).join('\n    ')}
  }
`;
export type TenantSeriesQuery = Record<string, { at: string; overall: { score: number | null } }[]>;

export const METRICS_BY_TENANT_QUERY = /* GraphQL */ `
  query ConsoleMetricsByTenant($from: String!, $to: String!) {
    incidentMetricsBy(groupBy: TENANT, from: $from, to: $to) { key incidents mttaSeconds mttcSeconds mttrSeconds }
  }
`;
/** Response times over a period, grouped by tenant, SOC team, severity or assignee. */
export const RESPONSE_TIMES_QUERY = /* GraphQL */ `
  query ConsoleResponseTimes($from: String!, $to: String!, $groupBy: MetricsGrouping!) {
    incidentMetricsBy(groupBy: $groupBy, from: $from, to: $to) { key incidents mttaSeconds mttcSeconds mttrSeconds }
  }
`;
export interface ResponseTimesQuery {
  readonly incidentMetricsBy: readonly { key: string; incidents: number; mttaSeconds: number | null; mttcSeconds: number | null; mttrSeconds: number | null }[];
}
export interface MetricsByTenantQuery {
  readonly incidentMetricsBy: readonly { key: string; incidents: number; mttaSeconds: number | null; mttcSeconds: number | null; mttrSeconds: number | null }[];
}

// Posture ---------------------------------------------------------------------------------------

export interface Finding {
  readonly findingId: string;
  readonly tenantId: string;
  readonly guardrailId: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly reason: string;
  readonly openedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
  /** How to fix it (the findings page asks for it; posture does not). */
  readonly remediation?: string;
}
const FINDING = 'findingId tenantId guardrailId title severity status resourceId resourceType reason openedAt resolvedAt resolution';
/** A finding as the findings page lists it: with what to do about it. */
const FINDING_WITH_GUIDANCE = `${FINDING} remediation`;

export interface ScorePoint {
  readonly at: string;
  readonly overall: { score: number | null };
  readonly baselines: readonly { baselineId: string; score: number | null }[];
  readonly frameworks: readonly { framework: string; score: number | null }[];
}
const SERIES = 'complianceSeries(tenantId: $tenantId, from: $from, to: $to, bucket: $bucket) { at overall { score } baselines { baselineId score } frameworks { framework score } }';

export const POSTURE_NOW_QUERY = /* GraphQL */ `
  query ConsolePostureNow($tenantId: ID!, $from: String!, $to: String!, $bucket: SeriesBucket!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    complianceScore(tenantId: $tenantId) { ${SCORE} }
    ${SERIES}
  }
`;
export interface PostureNowQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly complianceScore: ComplianceScore;
  readonly complianceSeries: readonly ScorePoint[];
}

export const POSTURE_AS_OF_QUERY = /* GraphQL */ `
  query ConsolePostureAsOf($tenantId: ID!, $asOf: String!, $from: String!, $to: String!, $bucket: SeriesBucket!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    postureAsOf(tenantId: $tenantId, asOf: $asOf) {
      asOf position events resourceCount
      score { ${SCORE} }
      openFindings { ${FINDING} }
      openIncidents { incidentId title severity status assignee slaState }
    }
    ${SERIES}
  }
`;
export interface PostureAsOfQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly postureAsOf: {
    asOf: string;
    position: string | null;
    events: number;
    resourceCount: number;
    score: ComplianceScore;
    openFindings: Finding[];
    openIncidents: { incidentId: string; title: string; severity: string; status: string; assignee: string | null; slaState: string }[];
  };
  readonly complianceSeries: readonly ScorePoint[];
}

export interface GuardrailInfo {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly remediation: string;
  readonly controls: readonly { framework: string; control: string }[];
}
export const CATALOG_QUERY = /* GraphQL */ `
  query ConsoleCatalog { guardrails { id title severity remediation controls { framework control } } baselines { id title } standards { id title } }
`;
export interface CatalogQuery {
  readonly guardrails: readonly GuardrailInfo[];
  readonly baselines: readonly { id: string; title: string }[];
  /** Azure's regulatory standards: baselines too, by id. */
  readonly standards: readonly { id: string; title: string }[];
}

// Regulatory standards --------------------------------------------------------------------------

export interface StandardSummary {
  readonly id: string;
  readonly title: string;
  readonly initiativeName: string;
  readonly version: string | null;
  readonly controlCount: number;
  readonly definitionCount: number;
}

export const STANDARDS_QUERY = /* GraphQL */ `
  query ConsoleStandards($tenantId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    standards { id title initiativeName version controlCount definitionCount }
    tenantGuardrails(tenantId: $tenantId) { assignments { assignmentId baselineId scope } attestationApprovalRequired }
  }
`;
export interface StandardsQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly standards: readonly StandardSummary[];
  readonly tenantGuardrails: { assignments: readonly { assignmentId: string; baselineId: string; scope: string }[]; attestationApprovalRequired: boolean };
}

export type ControlState = 'failed' | 'passed' | 'attested' | 'manual' | 'notApplicable' | 'notEvaluable';
export type ControlStateCounts = Readonly<Record<ControlState, number>>;
const CONTROL_STATES = 'failed passed attested manual notApplicable notEvaluable';

/** An evidence file of an attestation, by content: GET downloadPath with the person's token. */
export interface EvidenceFile {
  readonly sha256: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly downloadPath: string;
}
const EVIDENCE = 'evidence { sha256 name mediaType size downloadPath }';

/** The attestation holding for a control now (or at the as-of instant). */
export interface ControlAttestation {
  readonly attestationId: string;
  readonly statement: string;
  readonly attestedBy: string;
  readonly approvedBy: string | null;
  readonly validUntil: string;
  readonly evidence: readonly EvidenceFile[];
}

export interface ControlCompliance {
  readonly controlId: string;
  readonly title: string;
  readonly titleFrom: string;
  readonly domain: string | null;
  readonly state: ControlState;
  readonly resources: { passed: number; failed: number; notApplicable: number; notEvaluable: number; exempt: number };
  readonly definitions: { total: number; automated: number; refused: number; manual: number; dataPlane: number };
  readonly members: readonly { guardrailId: string; displayName: string; kind: string; evaluable: boolean; refusal: string | null; compliant: number; nonCompliant: number; error: number; exempt: number }[];
  readonly failingResources: readonly { resourceId: string; resourceType: string; failures: readonly { guardrailId: string; title: string; reason: string }[] }[];
  readonly attestation: ControlAttestation | null;
}

export interface StandardScorePoint {
  readonly at: string;
  readonly assigned: boolean;
  readonly score: number | null;
  readonly controlStates: ControlStateCounts;
}

export const STANDARD_COMPLIANCE_QUERY = /* GraphQL */ `
  query ConsoleStandardCompliance($tenantId: ID!, $standardId: ID!, $asOf: String, $from: String!, $to: String!, $bucket: SeriesBucket!) {
    standardCompliance(tenantId: $tenantId, standardId: $standardId, asOf: $asOf) {
      standardId assigned asOf score resourcesInScope
      coverage { ${COVERAGE_SUMMARY} }
      standard { id title initiativeName version controlCount definitionCount }
      assignments { assignmentId scope }
      controlStates { ${CONTROL_STATES} }
      controls {
        controlId title titleFrom domain state
        resources { passed failed notApplicable notEvaluable exempt }
        definitions { total automated refused manual dataPlane }
        members { guardrailId displayName kind evaluable refusal compliant nonCompliant error exempt }
        failingResources { resourceId resourceType failures { guardrailId title reason } }
        attestation { attestationId statement attestedBy approvedBy validUntil ${EVIDENCE} }
      }
    }
    standardComplianceSeries(tenantId: $tenantId, standardId: $standardId, from: $from, to: $to, bucket: $bucket) { at assigned score controlStates { ${CONTROL_STATES} } }
  }
`;
export interface StandardComplianceQuery {
  readonly standardCompliance: {
    standardId: string;
    assigned: boolean;
    asOf: string | null;
    score: number | null;
    resourcesInScope: number;
    /** Over the resources in scope; null when the standard is not assigned. */
    coverage: CoverageSummary | null;
    standard: StandardSummary;
    assignments: readonly { assignmentId: string; scope: string }[];
    controlStates: ControlStateCounts;
    controls: readonly ControlCompliance[];
  };
  readonly standardComplianceSeries: readonly StandardScorePoint[];
}

// Proof of coverage -----------------------------------------------------------------------------

/** A resource whose evidence is older than the interval: what its verdicts rest on, and since when. */
export interface ResourceCoverage {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly lastCollectedAt: string;
  readonly evaluatedAt: string;
}
/**
 * The tenant's coverage now or as of an instant (past or ahead: what goes stale if nothing is
 * collected), and the interval in force now, which the setting changes.
 */
export const COVERAGE_QUERY = /* GraphQL */ `
  query ConsoleCoverage($tenantId: ID!, $asOf: String) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    coverage(tenantId: $tenantId, asOf: $asOf) {
      tenantId at ${COVERAGE_SUMMARY}
      notEvaluatedResources { resourceId resourceType lastCollectedAt evaluatedAt }
    }
    tenantGuardrails(tenantId: $tenantId) { maxEvidenceAgeHours }
  }
`;
export interface CoverageQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly coverage: CoverageSummary & {
    readonly tenantId: string;
    readonly at: string;
    /** Oldest evidence first; at most 200 (notEvaluated counts them all). */
    readonly notEvaluatedResources: readonly ResourceCoverage[];
  };
  readonly tenantGuardrails: { readonly maxEvidenceAgeHours: number };
}
export const SET_COVERAGE_POLICY_MUTATION = /* GraphQL */ `
  mutation ConsoleSetCoveragePolicy($input: SetCoveragePolicyInput!) {
    result: setCoveragePolicy(input: $input) { __typename ... on GuardrailPolicyChanged { revision } ... on Rejection { code message } }
  }
`;

// Agreement with Azure ----------------------------------------------------------------------------

export type AgreementKind = 'agree' | 'differ' | 'azureOnly' | 'rampartOnly';
export interface AgreementCounts {
  readonly agree: number;
  /** Both judged the resource, differently (an evaluation error counts as different). */
  readonly differ: number;
  readonly azureOnly: number;
  readonly rampartOnly: number;
  /** agree / (agree + differ); null when no resource was judged by both. */
  readonly rate: number | null;
}
export interface AgreementRow {
  readonly guardrailId: string;
  readonly resourceId: string;
  /** compliant | nonCompliant | exempt | unknown; null: Azure has no state for it. */
  readonly azure: string | null;
  /** compliant | nonCompliant | exempt | error; null: Rampart has no verdict. */
  readonly rampart: string | null;
  readonly kind: AgreementKind;
}
const AGREEMENT_COUNTS = 'agree differ azureOnly rampartOnly rate';
/**
 * Azure Policy's own states beside Rampart's verdicts, read from the customer's Azure on each ask
 * (seconds): every kind of row at once, so the page filters them without asking Azure again.
 */
export const AZURE_AGREEMENT_QUERY = /* GraphQL */ `
  query ConsoleAzureAgreement($tenantId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    azureAgreement(tenantId: $tenantId) {
      tenantId
      connections { connectionId subscriptions states }
      totals { ${AGREEMENT_COUNTS} }
      guardrails { guardrailId title ${AGREEMENT_COUNTS} }
      rows { guardrailId resourceId azure rampart kind }
      notComparable malformed failures
    }
  }
`;
export interface AzureAgreement {
  readonly tenantId: string;
  /** Empty: the tenant has no cloud connection, so nothing was compared. */
  readonly connections: readonly { readonly connectionId: string; readonly subscriptions: readonly string[]; readonly states: number }[];
  readonly totals: AgreementCounts;
  /** Most differences first. */
  readonly guardrails: readonly (AgreementCounts & { readonly guardrailId: string; readonly title: string })[];
  /** Differences first; at most 500 (the totals count them all). */
  readonly rows: readonly AgreementRow[];
  readonly notComparable: number;
  readonly malformed: number;
  /** "<subscription>: <why>" for each subscription (or management group) Azure refused. */
  readonly failures: readonly string[];
}
export interface AzureAgreementQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly azureAgreement: AzureAgreement;
}

// Attestations ----------------------------------------------------------------------------------

export type AttestationStatus = 'pending' | 'active' | 'rejected' | 'revoked' | 'expired';
/** A named person's statement that a control no rule checks is met, with evidence, until validUntil. */
export interface Attestation {
  readonly tenantId: string;
  readonly attestationId: string;
  readonly standardId: string;
  readonly controlId: string;
  readonly statement: string;
  readonly evidence: readonly EvidenceFile[];
  readonly attestedBy: string;
  readonly attestedAt: string;
  readonly validUntil: string;
  /** The tenant's policy asked for a second person when it was recorded. */
  readonly approvalRequired: boolean;
  readonly status: AttestationStatus;
  /** Active and before validUntil: it counts for its control now. */
  readonly holdsNow: boolean;
  readonly approvedBy: string | null;
  readonly holdsFrom: string | null;
  /** Who rejected or revoked it, when and why. */
  readonly endedBy: string | null;
  readonly endedAt: string | null;
  readonly reason: string | null;
}
/** The tenant's attestations newest first (at most 500), its policy, and the standards' titles. */
export const ATTESTATIONS_QUERY = /* GraphQL */ `
  query ConsoleAttestations($tenantId: ID!, $status: String) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    attestations(tenantId: $tenantId, status: $status) {
      tenantId attestationId standardId controlId statement attestedBy attestedAt validUntil approvalRequired status holdsNow approvedBy holdsFrom endedBy endedAt reason ${EVIDENCE}
    }
    tenantGuardrails(tenantId: $tenantId) { attestationApprovalRequired }
    standards { id title }
  }
`;
export interface AttestationsQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly attestations: readonly Attestation[];
  readonly tenantGuardrails: { readonly attestationApprovalRequired: boolean };
  readonly standards: readonly { id: string; title: string }[];
}
const ATTESTATION_RESULT = '__typename ... on AttestationChanged { tenantId attestationId status } ... on Rejection { code message }';
/** Evidence files are uploaded first (PUT /evidence/<tenant>) and named here by their digest. */
export const RECORD_ATTESTATION_MUTATION = /* GraphQL */ `
  mutation ConsoleRecordAttestation($input: RecordAttestationInput!) { result: recordAttestation(input: $input) { ${ATTESTATION_RESULT} } }
`;
export const APPROVE_ATTESTATION_MUTATION = /* GraphQL */ `
  mutation ConsoleApproveAttestation($input: AttestationRefInput!) { result: approveAttestation(input: $input) { ${ATTESTATION_RESULT} } }
`;
export const REJECT_ATTESTATION_MUTATION = /* GraphQL */ `
  mutation ConsoleRejectAttestation($input: EndAttestationInput!) { result: rejectAttestation(input: $input) { ${ATTESTATION_RESULT} } }
`;
export const REVOKE_ATTESTATION_MUTATION = /* GraphQL */ `
  mutation ConsoleRevokeAttestation($input: EndAttestationInput!) { result: revokeAttestation(input: $input) { ${ATTESTATION_RESULT} } }
`;
export interface AttestationMutation {
  /** status: the attestation's after the change (pending, active, rejected, revoked). */
  readonly result: Refusable<{ readonly __typename: 'AttestationChanged'; readonly tenantId: string; readonly attestationId: string; readonly status: string }>;
}
/** From the next attestation recorded on: whether it holds only once a second person approves it. */
export const SET_ATTESTATION_POLICY_MUTATION = /* GraphQL */ `
  mutation ConsoleSetAttestationPolicy($input: SetAttestationPolicyInput!) {
    result: setAttestationPolicy(input: $input) { __typename ... on GuardrailPolicyChanged { revision } ... on Rejection { code message } }
  }
`;

// Findings and exemptions -----------------------------------------------------------------------

export interface Exemption {
  readonly exemptionId: string;
  readonly guardrailId: string;
  readonly scope: string;
  readonly category: string;
  readonly justification: string;
  readonly status: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly approvedBy: string | null;
  readonly expiresAt: string;
}
export const FINDINGS_QUERY = /* GraphQL */ `
  query ConsoleFindings($tenantId: ID!, $filter: FindingFilter, $after: String) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    findings(tenantId: $tenantId, first: 50, filter: $filter, after: $after) { edges { node { ${FINDING_WITH_GUIDANCE} } } pageInfo { hasNextPage endCursor } }
    tenantGuardrails(tenantId: $tenantId) { revision exemptions { exemptionId guardrailId scope category justification status requestedBy requestedAt approvedBy expiresAt } }
  }
`;
export interface FindingsQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly findings: Connection<Finding>;
  readonly tenantGuardrails: { revision: number; exemptions: readonly Exemption[] };
}

const POLICY_RESULT = '__typename ... on GuardrailPolicyChanged { revision } ... on Rejection { code message }';
export const REQUEST_EXEMPTION_MUTATION = /* GraphQL */ `
  mutation ConsoleRequestExemption($input: RequestExemptionInput!) { result: requestExemption(input: $input) { ${POLICY_RESULT} } }
`;
export const APPROVE_EXEMPTION_MUTATION = /* GraphQL */ `
  mutation ConsoleApproveExemption($input: ExemptionRefInput!) { result: approveExemption(input: $input) { ${POLICY_RESULT} } }
`;
export interface PolicyMutation {
  readonly result: { __typename: 'GuardrailPolicyChanged'; revision: number } | { __typename: 'Rejection'; code: string; message: string | null };
}

// A tenant's guardrails and incident policy (administration) -------------------------------------

export interface BaselineAssignment {
  readonly assignmentId: string;
  /** What it evaluates; for a library definition, the version in force (`lib-definition:<name>@<n>`, `tenant-definition:<name>@<n>`). */
  readonly baselineId: string;
  /** The library definition it follows (`lib-definition:<name>`, `tenant-definition:<name>`: each new version adopted); null when pinned or no library definition. */
  readonly follows: string | null;
  readonly scope: string;
  /** Parameter values per guardrail id, as JSON. */
  readonly parameters: string;
  /** For a standard or a library initiative: values of its parameters by name, as JSON ({} when none). */
  readonly initiativeParameters: string;
  readonly assignedAt: string;
  /** The tenant group it comes with (held as `grp-<group>-<assignment>` while the tenant is a member): the group's to take away, not the tenant's. */
  readonly group: string | null;
}
export interface SlaTargets {
  readonly severity: string;
  readonly acknowledgeMinutes: number;
  readonly containMinutes: number;
  readonly resolveMinutes: number;
}
export interface IncidentPolicy {
  readonly findingSeverities: readonly string[];
  readonly findingSeveritiesFrom: string;
  readonly correlationWindowMinutes: number;
  readonly approvalExpiryMinutes: number;
  readonly preApprovedActions: readonly string[];
  readonly sla: readonly SlaTargets[];
}
export const TENANT_POLICIES_QUERY = /* GraphQL */ `
  query ConsoleTenantPolicies($tenantId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    tenantGuardrails(tenantId: $tenantId) {
      revision
      assignments { assignmentId baselineId follows scope parameters initiativeParameters assignedAt group }
      exemptions { exemptionId guardrailId scope category justification status requestedBy requestedAt approvedBy expiresAt }
      reporting { notifySeverities }
    }
    incidentPolicy(tenantId: $tenantId) { findingSeverities findingSeveritiesFrom correlationWindowMinutes approvalExpiryMinutes preApprovedActions sla { severity acknowledgeMinutes containMinutes resolveMinutes } }
    baselines { id title description guardrailIds version parameters }
    tenantPolicyLibrary(tenantId: $tenantId) { kind name displayName version retired }
    standards { id title version controlCount definitionCount }
    guardrails { id title severity }
    actionCatalog { id title verb destructive }
  }
`;
export interface TenantPoliciesQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly tenantGuardrails: {
    readonly revision: number;
    readonly assignments: readonly BaselineAssignment[];
    readonly exemptions: readonly Exemption[];
    readonly reporting: { readonly notifySeverities: readonly string[] };
  };
  readonly incidentPolicy: IncidentPolicy;
  /** Rampart's built-in baselines, then the provider's library definitions and initiatives (with the version in force), each under the id that follows the latest. */
  readonly baselines: readonly { id: string; title: string; description: string; guardrailIds: readonly string[]; version: number | null; parameters: readonly string[] | null }[];
  /** The tenant's own definitions and initiatives (the baselines list none of them): assigned as `tenant-definition:<name>`, `tenant-initiative:<name>`. */
  readonly tenantPolicyLibrary: readonly Pick<PolicyLibraryArtifact, 'kind' | 'name' | 'displayName' | 'version' | 'retired'>[];
  readonly standards: readonly { id: string; title: string; version: string | null; controlCount: number; definitionCount: number }[];
  readonly guardrails: readonly { id: string; title: string; severity: string }[];
  readonly actionCatalog: readonly { id: string; title: string; verb: string; destructive: boolean }[];
}
/** A standard's initiative parameters with their defaults and allowed values: what an assignment may set. */
export const STANDARD_PARAMETERS_QUERY = /* GraphQL */ `
  query ConsoleStandardParameters($id: ID!) { standard(id: $id) { id parametersJson } }
`;
export interface StandardParametersQuery {
  readonly standard: { id: string; parametersJson: string } | null;
}
export const ASSIGN_BASELINE_MUTATION = /* GraphQL */ `
  mutation ConsoleAssignBaseline($input: AssignBaselineInput!) { result: assignBaseline(input: $input) { ${POLICY_RESULT} } }
`;
export const UNASSIGN_BASELINE_MUTATION = /* GraphQL */ `
  mutation ConsoleUnassignBaseline($input: UnassignBaselineInput!) { result: unassignBaseline(input: $input) { ${POLICY_RESULT} } }
`;
/** Pins an assignment of a library definition or initiative (the provider's or the tenant's own) to a version, or (version null) makes it follow the latest again. */
export const SET_LIBRARY_VERSION_MUTATION = /* GraphQL */ `
  mutation ConsoleSetLibraryVersion($input: SetLibraryVersionInput!) { result: setLibraryVersion(input: $input) { ${POLICY_RESULT} } }
`;
export const REVOKE_EXEMPTION_MUTATION = /* GraphQL */ `
  mutation ConsoleRevokeExemption($input: RevokeExemptionInput!) { result: revokeExemption(input: $input) { ${POLICY_RESULT} } }
`;
export const SET_REPORTING_POLICY_MUTATION = /* GraphQL */ `
  mutation ConsoleSetReportingPolicy($input: SetReportingPolicyInput!) { result: setReportingPolicy(input: $input) { ${POLICY_RESULT} } }
`;
export const SET_INCIDENT_POLICY_MUTATION = /* GraphQL */ `
  mutation ConsoleSetIncidentPolicy($input: SetIncidentPolicyInput!) { result: setIncidentPolicy(input: $input) { __typename ... on IncidentChanged { revision } ... on Rejection { code message } } }
`;

// Resources -------------------------------------------------------------------------------------

export interface ResourceDetail {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location: string | null;
  readonly resourceGroup: string | null;
  readonly subscriptionId: string | null;
  readonly tags: readonly { name: string; value: string }[];
  readonly discoveredAt: string;
  readonly changedAt: string;
  readonly changes: number;
  readonly configuration: string;
  readonly compliance: readonly { assignmentId: string; guardrailId: string; baselineId: string; state: string; since: string; reason: string; exemptionId: string | null }[];
  readonly complianceHistory: readonly { assignmentId: string; baselineId: string; guardrailId: string; from: string | null; to: string; recordedAt: string; reason: string; exemptionId: string | null }[];
  readonly history: readonly {
    kind: string;
    recordedAt: string;
    detail: string;
    actorKind: string;
    actorId: string;
    onBehalfOfTenant: string | null;
    runId: string;
    revision: number;
    /** Who made the change in the cloud, with which client and operation, when (from Azure's change records; null when seen by a snapshot). */
    changedBy: string | null;
    clientType: string | null;
    operation: string | null;
    changedAt: string | null;
  }[];
}
export const RESOURCE_QUERY = /* GraphQL */ `
  query ConsoleResource($tenantId: ID!, $id: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    resource(tenantId: $tenantId, id: $id) {
      id name type location resourceGroup subscriptionId tags { name value } discoveredAt changedAt changes configuration
      compliance { assignmentId guardrailId baselineId state since reason exemptionId }
      complianceHistory { assignmentId baselineId guardrailId from to recordedAt reason exemptionId }
      history { kind recordedAt detail actorKind actorId onBehalfOfTenant runId revision changedBy clientType operation changedAt }
    }
  }
`;
export interface ResourceQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly resource: ResourceDetail | null;
}

/** Findings of the tenant a page at a time (the posture dashboard's open ones; the resource page keeps the resource's own). */
export const FINDINGS_PAGE_QUERY = /* GraphQL */ `
  query ConsoleFindingsPage($tenantId: ID!, $filter: FindingFilter, $after: String) {
    findings(tenantId: $tenantId, first: 50, filter: $filter, after: $after) { edges { node { ${FINDING_WITH_GUIDANCE} } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface FindingsPageQuery {
  readonly findings: Connection<Finding>;
}

// The tenant's incidents and the SOC's work on its behalf ----------------------------------------

export interface TrailEntry {
  readonly eventId: string;
  readonly recordedAt: string;
  readonly type: string;
  readonly actorKind: string;
  readonly actorId: string;
  readonly onBehalfOfTenant: string | null;
  readonly streamId: string;
  readonly data: string;
}
export const TENANT_INCIDENTS_QUERY = /* GraphQL */ `
  query ConsoleTenantIncidents($tenantId: ID!, $after: String) {
    tenant(tenantId: $tenantId) { tenantId displayName socTeams }
    incidents(first: 50, filter: { tenantId: $tenantId }, after: $after) { edges { node { ${QUEUE_FIELDS} } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface TenantIncidentsQuery {
  readonly tenant: { tenantId: string; displayName: string; socTeams: string[] } | null;
  readonly incidents: Connection<QueueIncident>;
}
export const AUDIT_TRAIL_QUERY = /* GraphQL */ `
  query ConsoleAuditTrail($tenantId: ID!, $after: String) {
    auditTrail(tenantId: $tenantId, first: 100, after: $after, onBehalfOnly: true) { edges { node { eventId recordedAt type actorKind actorId onBehalfOfTenant streamId data } } pageInfo { hasNextPage endCursor } }
  }
`;
export interface AuditTrailQuery {
  readonly auditTrail: Connection<TrailEntry>;
}

// Audit exports ---------------------------------------------------------------------------------

export interface AuditExport {
  readonly exportId: string;
  readonly tenantId: string;
  readonly status: string;
  readonly from: string;
  readonly to: string;
  readonly requestedAt: string;
  readonly requestedBy: string;
  readonly eventsWritten: number;
  readonly manifestSha256: string | null;
  readonly error: string | null;
  readonly links: readonly { file: string; url: string; expiresAt: string }[];
}
const EXPORT = 'exportId tenantId status from to requestedAt requestedBy eventsWritten manifestSha256 error links { file url expiresAt }';
export const AUDIT_PAGE_QUERY = /* GraphQL */ `
  query ConsoleAuditPage($tenantId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName }
    auditPublicKey { algorithm keyId publicKeyPem }
    auditExports(tenantId: $tenantId) { exportId from to requestedBy recordedAt eventCount manifestSha256 previousManifestSha256 downloadable }
  }
`;
/** An export as the trail recorded it (every instance's and the CLI's). */
export interface AuditExportRecord {
  readonly exportId: string;
  readonly from: string;
  readonly to: string;
  readonly requestedBy: string;
  readonly recordedAt: string;
  readonly eventCount: number;
  readonly manifestSha256: string;
  readonly previousManifestSha256: string | null;
  readonly downloadable: boolean;
}
export interface AuditPageQuery {
  readonly tenant: { tenantId: string; displayName: string } | null;
  readonly auditPublicKey: { algorithm: string; keyId: string; publicKeyPem: string };
  readonly auditExports: readonly AuditExportRecord[];
}
export const REQUEST_AUDIT_EXPORT_MUTATION = /* GraphQL */ `
  mutation ConsoleRequestAuditExport($input: RequestAuditExportInput!) { requestAuditExport(input: $input) { ${EXPORT} } }
`;
export interface RequestAuditExportMutation {
  readonly requestAuditExport: AuditExport;
}
export const AUDIT_EXPORT_QUERY = /* GraphQL */ `
  query ConsoleAuditExport($tenantId: ID!, $exportId: ID!) { auditExport(tenantId: $tenantId, exportId: $exportId) { ${EXPORT} } }
`;
export interface AuditExportQuery {
  readonly auditExport: AuditExport | null;
}

/** An artifact of a policy library, the provider's (platform admins) or a tenant's own, at its latest version. */
export interface PolicyLibraryArtifact {
  readonly kind: string;
  readonly name: string;
  readonly displayName: string;
  readonly version: number;
  readonly sha256: string;
  readonly retired: boolean;
  readonly source: string | null;
  readonly recordedAt: string | null;
  readonly recordedBy: string | null;
}
const LIBRARY_ARTIFACT = 'kind name displayName version sha256 retired source recordedAt recordedBy';
export const POLICY_LIBRARY_QUERY = /* GraphQL */ `
  query ConsolePolicyLibrary {
    policyLibrary { ${LIBRARY_ARTIFACT} }
  }
`;
export interface PolicyLibraryQuery {
  readonly policyLibrary: readonly PolicyLibraryArtifact[];
}
/** A tenant's own library (tenants.read on it), with the tenant it belongs to. */
export const TENANT_POLICY_LIBRARY_QUERY = /* GraphQL */ `
  query ConsoleTenantPolicyLibrary($tenantId: ID!) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    tenantPolicyLibrary(tenantId: $tenantId) { ${LIBRARY_ARTIFACT} }
  }
`;
export interface TenantPolicyLibraryQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly tenantPolicyLibrary: readonly PolicyLibraryArtifact[];
}

export interface PolicyImportItem {
  readonly kind: string;
  readonly name: string | null;
  readonly path: string;
  readonly at: string;
  readonly action: 'add' | 'change' | 'unchanged' | 'refused' | 'skipped';
  readonly version: number | null;
  readonly reasons: readonly string[];
}
export interface PolicyImportPlan {
  readonly applicable: boolean;
  readonly applied: boolean;
  readonly recorded: number;
  readonly counts: { readonly add: number; readonly change: number; readonly unchanged: number; readonly refused: number; readonly skipped: number };
  readonly items: readonly PolicyImportItem[];
  /** With apply, when the library policy asks for a second person: the change proposed instead of recorded. */
  readonly proposedChangeId: string | null;
}
const IMPORT_PLAN = 'applicable applied recorded proposedChangeId counts { add change unchanged refused skipped } items { kind name path at action version reasons }';
// The provider's import and a tenant's answer alike (`plan`), so one form sends either.
export const IMPORT_POLICY_LIBRARY_MUTATION = /* GraphQL */ `
  mutation ConsoleImportPolicyLibrary($input: ImportPolicyLibraryInput!) {
    plan: importPolicyLibrary(input: $input) { ${IMPORT_PLAN} }
  }
`;
/** Into a tenant's own library (guardrails.manage on it): recorded at once, no second person. */
export const IMPORT_TENANT_POLICY_LIBRARY_MUTATION = /* GraphQL */ `
  mutation ConsoleImportTenantPolicyLibrary($input: ImportTenantPolicyLibraryInput!) {
    plan: importTenantPolicyLibrary(input: $input) { ${IMPORT_PLAN} }
  }
`;
export interface PolicyImportMutation {
  readonly plan: PolicyImportPlan;
}

/** What each definition an import adds or changes (or an initiative's member) would find in a tenant, replayed over its recorded history. */
export interface PolicyWhatIf {
  /** The definition, or the initiative whose member this is. */
  readonly definition: string;
  /** For an initiative's member: its reference id. */
  readonly member: string | null;
  readonly version: number | null;
  readonly tenantId: string;
  /** `follows` (the tenant's assignment follows the definition) or `named`. */
  readonly reason: string;
  readonly nonCompliantNow: number;
  readonly nonCompliantEver: number;
  readonly errors: number;
  readonly since: string | null;
  readonly refusal: string | null;
}
const WHAT_IF = 'whatIf { definition member version tenantId reason nonCompliantNow nonCompliantEver errors since refusal }';
/** The plan with whatIf: true (never with apply): nothing is recorded. */
export const IMPORT_POLICY_LIBRARY_WHAT_IF_MUTATION = /* GraphQL */ `
  mutation ConsoleImportPolicyLibraryWhatIf($input: ImportPolicyLibraryInput!) {
    plan: importPolicyLibrary(input: $input) { ${IMPORT_PLAN} ${WHAT_IF} }
  }
`;
/** A tenant's own import replayed over that tenant's history only. */
export const IMPORT_TENANT_POLICY_LIBRARY_WHAT_IF_MUTATION = /* GraphQL */ `
  mutation ConsoleImportTenantPolicyLibraryWhatIf($input: ImportTenantPolicyLibraryInput!) {
    plan: importTenantPolicyLibrary(input: $input) { ${IMPORT_PLAN} ${WHAT_IF} }
  }
`;
export interface PolicyImportWhatIfMutation {
  readonly plan: PolicyImportPlan & { readonly whatIf: readonly PolicyWhatIf[] | null };
}

export interface PolicyLibraryVersion {
  readonly version: number;
  readonly sha256: string;
  readonly displayName: string;
  readonly source: string;
  /** The definition or initiative as imported (JSON text). */
  readonly content: string;
  readonly recordedAt: string;
  readonly recordedBy: string;
}
const LIBRARY_ARTIFACT_DETAIL = `kind name retired
      versions { version sha256 displayName source content recordedAt recordedBy members { referenceId source name version } }
      retirements { version reason recordedAt recordedBy }
      assignments { tenantId assignmentId baselineId follows scope }`;
export const POLICY_LIBRARY_ARTIFACT_QUERY = /* GraphQL */ `
  query ConsolePolicyLibraryArtifact($kind: String!, $name: String!) {
    policyLibraryArtifact(kind: $kind, name: $name) {
      ${LIBRARY_ARTIFACT_DETAIL}
    }
  }
`;
/** One artifact of a tenant's own library, with the tenant it belongs to. */
export const TENANT_POLICY_LIBRARY_ARTIFACT_QUERY = /* GraphQL */ `
  query ConsoleTenantPolicyLibraryArtifact($tenantId: ID!, $kind: String!, $name: String!) {
    tenant(tenantId: $tenantId) { tenantId displayName status }
    tenantPolicyLibraryArtifact(tenantId: $tenantId, kind: $kind, name: $name) {
      ${LIBRARY_ARTIFACT_DETAIL}
    }
  }
`;
/**
 * An initiative's member: one of Azure's built-ins, or a library definition at the version that
 * initiative version holds (a tenant's initiative: its own, or the provider's).
 */
export interface PolicyLibraryMember {
  readonly referenceId: string;
  /** `built-in`, `library` (the provider's) or `tenant` (the tenant's own). */
  readonly source: string;
  /** A built-in's GUID, or the library definition's name. */
  readonly name: string;
  readonly version: number | null;
}
/** A tenant assignment of a library artifact, of any of its versions. */
export interface PolicyLibraryAssignment {
  readonly tenantId: string;
  readonly assignmentId: string;
  /** The version it evaluates (`lib-definition:<name>@<n>`, `tenant-definition:<name>@<n>`). */
  readonly baselineId: string;
  /** Set when it follows the latest version. */
  readonly follows: string | null;
  readonly scope: string;
}
/** A library artifact with every version it has had, where it is assigned and its retirements. */
export interface PolicyLibraryArtifactDetail {
  readonly kind: string;
  readonly name: string;
  readonly retired: boolean;
  readonly versions: readonly (PolicyLibraryVersion & { readonly members: readonly PolicyLibraryMember[] | null })[];
  readonly retirements: readonly { readonly version: number; readonly reason: string; readonly recordedAt: string; readonly recordedBy: string }[];
  readonly assignments: readonly PolicyLibraryAssignment[];
}
export interface PolicyLibraryArtifactQuery {
  readonly policyLibraryArtifact: PolicyLibraryArtifactDetail | null;
}
export interface TenantPolicyLibraryArtifactQuery {
  readonly tenant: { tenantId: string; displayName: string; status: string } | null;
  readonly tenantPolicyLibraryArtifact: PolicyLibraryArtifactDetail | null;
}

const RETIRED = '__typename ... on PolicyLibraryRetired { kind name version } ... on Rejection { code message }';
/** Retires a library definition or initiative: kept for history, no longer offered to new assignments. */
export const RETIRE_POLICY_LIBRARY_ARTIFACT_MUTATION = /* GraphQL */ `
  mutation ConsoleRetirePolicyLibraryArtifact($input: RetirePolicyLibraryArtifactInput!) {
    result: retirePolicyLibraryArtifact(input: $input) { ${RETIRED} }
  }
`;
export const RETIRE_TENANT_POLICY_LIBRARY_ARTIFACT_MUTATION = /* GraphQL */ `
  mutation ConsoleRetireTenantPolicyLibraryArtifact($input: RetireTenantPolicyLibraryArtifactInput!) {
    result: retireTenantPolicyLibraryArtifact(input: $input) { ${RETIRED} }
  }
`;
export interface RetirePolicyLibraryArtifactMutation {
  readonly result: Refusable<{ readonly __typename: 'PolicyLibraryRetired'; readonly kind: string; readonly name: string; readonly version: number }>;
}

/** What a proposed library change publishes once approved. */
export interface ProposedLibraryArtifact {
  readonly kind: string;
  /** `add` or `change`. */
  readonly action: string;
  readonly name: string;
  /** The version it will have. */
  readonly version: number;
  /** The version the library held when it was proposed (0: none); approving refuses if that moved. */
  readonly basis: number;
  readonly reasons: readonly string[];
  readonly source: string;
}
/** A library change waiting for, or past, its second person. */
export interface LibraryChange {
  readonly changeId: string;
  /** `proposed`, `approved` (being applied), `applied` or `rejected`. */
  readonly status: string;
  /** Proposed, unapproved and past its expiry: it can no longer be approved. */
  readonly expired: boolean;
  readonly proposedBy: string;
  readonly proposedAt: string;
  readonly expiresAt: string;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
  /** Once applied: the artifacts it published. */
  readonly recorded: number | null;
  /** Set when the change sets the library policy: whether approval is required after it. */
  readonly approvalRequired: boolean | null;
  readonly artifacts: readonly ProposedLibraryArtifact[];
}
const LIBRARY_CHANGE = 'changeId status expired proposedBy proposedAt expiresAt decidedBy decidedAt reason recorded approvalRequired artifacts { kind action name version basis reasons source }';
/** The provider's library policy, and its changes newest first (platform admins: library.manage). */
export const LIBRARY_CHANGES_QUERY = /* GraphQL */ `
  query ConsoleLibraryChanges {
    libraryPolicy { approvalRequired }
    libraryChanges { ${LIBRARY_CHANGE} }
  }
`;
export interface LibraryChangesQuery {
  readonly libraryPolicy: { readonly approvalRequired: boolean };
  readonly libraryChanges: readonly LibraryChange[];
}
/** Asking for a second person takes effect at once; turning it off while on is proposed (proposedChangeId). */
export const SET_LIBRARY_POLICY_MUTATION = /* GraphQL */ `
  mutation ConsoleSetLibraryPolicy($approvalRequired: Boolean!) {
    result: setLibraryPolicy(approvalRequired: $approvalRequired) { __typename ... on LibraryPolicyType { approvalRequired proposedChangeId } ... on Rejection { code message } }
  }
`;
export interface SetLibraryPolicyMutation {
  readonly result: Refusable<{ readonly __typename: 'LibraryPolicyType'; readonly approvalRequired: boolean; readonly proposedChangeId: string | null }>;
}
const LIBRARY_CHANGE_RESULT = `__typename ... on LibraryChangeType { ${LIBRARY_CHANGE} } ... on Rejection { code message }`;
export const APPROVE_LIBRARY_CHANGE_MUTATION = /* GraphQL */ `
  mutation ConsoleApproveLibraryChange($changeId: ID!) { result: approveLibraryChange(changeId: $changeId) { ${LIBRARY_CHANGE_RESULT} } }
`;
export const REJECT_LIBRARY_CHANGE_MUTATION = /* GraphQL */ `
  mutation ConsoleRejectLibraryChange($input: RejectLibraryChangeInput!) { result: rejectLibraryChange(input: $input) { ${LIBRARY_CHANGE_RESULT} } }
`;
export interface LibraryChangeMutation {
  readonly result: Refusable<LibraryChange & { readonly __typename: 'LibraryChangeType' }>;
}

/** The versions of a library definition, to pin an assignment to one (platform admins: the library's library.manage). */
export const POLICY_LIBRARY_VERSIONS_QUERY = /* GraphQL */ `
  query ConsolePolicyLibraryVersions($kind: String!, $name: String!) {
    artifact: policyLibraryArtifact(kind: $kind, name: $name) { kind name retired versions { version recordedAt } }
  }
`;
/** The versions of a tenant's own definition or initiative (anyone who reads the tenant). */
export const TENANT_POLICY_LIBRARY_VERSIONS_QUERY = /* GraphQL */ `
  query ConsoleTenantPolicyLibraryVersions($tenantId: ID!, $kind: String!, $name: String!) {
    artifact: tenantPolicyLibraryArtifact(tenantId: $tenantId, kind: $kind, name: $name) { kind name retired versions { version recordedAt } }
  }
`;
export interface PolicyLibraryVersionsQuery {
  readonly artifact: {
    readonly kind: string;
    readonly name: string;
    readonly retired: boolean;
    readonly versions: readonly { readonly version: number; readonly recordedAt: string }[];
  } | null;
}
/** A tenant initiative's versions as imported: its parameters are read from the latest (the baselines query lists no tenant's own). */
export const TENANT_INITIATIVE_CONTENT_QUERY = /* GraphQL */ `
  query ConsoleTenantInitiativeContent($tenantId: ID!, $name: String!) {
    artifact: tenantPolicyLibraryArtifact(tenantId: $tenantId, kind: "initiative", name: $name) { versions { version content } }
  }
`;
export interface TenantInitiativeContentQuery {
  readonly artifact: { readonly versions: readonly { readonly version: number; readonly content: string }[] } | null;
}

// Tenant groups (platform admins: groups.manage) -----------------------------------------------

/** A baseline a group gives every member, held by each as `grp-<group>-<assignment>`. */
export interface GroupAssignment {
  readonly assignmentId: string;
  /** A library artifact without a version follows its latest. */
  readonly baselineId: string;
  readonly scope: string;
  /** Values per guardrail id, as JSON. */
  readonly parameters: string;
  /** An initiative's parameters, as JSON ({} when none). */
  readonly initiativeParameters: string;
}
/** A named set of the provider's customers (by sector, contract tier, region); a tenant may be in several. */
export interface TenantGroup {
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly members: readonly { readonly tenantId: string; readonly joinedAt: string }[];
  readonly assignments: readonly GroupAssignment[];
}
const TENANT_GROUP = 'groupId name description createdAt members { tenantId joinedAt } assignments { assignmentId baselineId scope parameters initiativeParameters }';
/** Every group, with the titles of what their assignments evaluate. */
export const TENANT_GROUPS_QUERY = /* GraphQL */ `
  query ConsoleTenantGroups {
    tenantGroups { ${TENANT_GROUP} }
    baselines { id title }
    standards { id title }
  }
`;
export interface TenantGroupsQuery {
  readonly tenantGroups: readonly TenantGroup[];
  readonly baselines: readonly { id: string; title: string }[];
  readonly standards: readonly { id: string; title: string }[];
}
/** One group, and what may be assigned to it: Rampart's baselines, the provider's library and Azure's standards (never a tenant's own library). */
export const TENANT_GROUP_QUERY = /* GraphQL */ `
  query ConsoleTenantGroup($groupId: ID!) {
    tenantGroup(groupId: $groupId) { ${TENANT_GROUP} }
    baselines { id title description guardrailIds version parameters }
    standards { id title version controlCount definitionCount }
  }
`;
export interface TenantGroupQuery {
  readonly tenantGroup: TenantGroup | null;
  readonly baselines: TenantPoliciesQuery['baselines'];
  readonly standards: TenantPoliciesQuery['standards'];
}
/** The groups' names, for the policies page to say which group an assignment comes with. */
export const TENANT_GROUP_NAMES_QUERY = /* GraphQL */ `
  query ConsoleTenantGroupNames { tenantGroups { groupId name } }
`;
export interface TenantGroupNamesQuery {
  readonly tenantGroups: readonly { readonly groupId: string; readonly name: string }[];
}

const GROUP_RESULT = '__typename ... on TenantGroupChanged { groupId recorded } ... on Rejection { code message }';
export const CREATE_TENANT_GROUP_MUTATION = /* GraphQL */ `
  mutation ConsoleCreateTenantGroup($input: CreateTenantGroupInput!) { result: createTenantGroup(input: $input) { ${GROUP_RESULT} } }
`;
/** A tenant joins: it gains every assignment of the group once the worker has applied them. */
export const ADD_TENANT_TO_GROUP_MUTATION = /* GraphQL */ `
  mutation ConsoleAddTenantToGroup($input: TenantGroupMemberInput!) { result: addTenantToGroup(input: $input) { ${GROUP_RESULT} } }
`;
/** A tenant leaves, with a reason: it loses what the group gave it. */
export const REMOVE_TENANT_FROM_GROUP_MUTATION = /* GraphQL */ `
  mutation ConsoleRemoveTenantFromGroup($input: TenantGroupMemberInput!) { result: removeTenantFromGroup(input: $input) { ${GROUP_RESULT} } }
`;
export const ASSIGN_BASELINE_TO_GROUP_MUTATION = /* GraphQL */ `
  mutation ConsoleAssignBaselineToGroup($input: AssignBaselineToGroupInput!) { result: assignBaselineToGroup(input: $input) { ${GROUP_RESULT} } }
`;
export const UNASSIGN_BASELINE_FROM_GROUP_MUTATION = /* GraphQL */ `
  mutation ConsoleUnassignBaselineFromGroup($input: UnassignBaselineFromGroupInput!) { result: unassignBaselineFromGroup(input: $input) { ${GROUP_RESULT} } }
`;
export interface TenantGroupMutation {
  /** recorded: the events recorded (0: it already was so). */
  readonly result: Refusable<{ readonly __typename: 'TenantGroupChanged'; readonly groupId: string; readonly recorded: number }>;
}

/** A member's compliance now: the SOC's ranking of who fails most. */
export interface GroupMemberCompliance {
  readonly tenantId: string;
  readonly compliant: number;
  readonly nonCompliant: number;
  /** Resource/guardrail pairs that could not be evaluated. */
  readonly error: number;
  /** compliant / (compliant + nonCompliant + error); null when nothing applicable was evaluated. */
  readonly score: number | null;
}
/** A framework control across the members: in how many it fails. */
export interface GroupControlCompliance {
  readonly framework: string;
  readonly control: string;
  /** Members with at least one non-compliant pair for it. */
  readonly failingTenants: number;
  /** Members it is evaluated in. */
  readonly tenants: number;
  readonly nonCompliant: number;
}
/** A group's compliance at the end of a day: the members counted then (each from when it joined). */
export interface GroupCompliancePoint {
  readonly at: string;
  readonly compliance: { readonly members: readonly Pick<GroupMemberCompliance, 'tenantId' | 'nonCompliant'>[] };
}
/** A group's compliance across its members now (members failing most first, controls failing in the most members first), and per day over a period. */
export const TENANT_GROUP_COMPLIANCE_QUERY = /* GraphQL */ `
  query ConsoleTenantGroupCompliance($groupId: ID!, $from: String!, $to: String!) {
    tenantGroup(groupId: $groupId) {
      groupId
      compliance {
        members { tenantId compliant nonCompliant error score }
        controls { framework control failingTenants tenants nonCompliant }
      }
    }
    tenantGroupComplianceSeries(groupId: $groupId, from: $from, to: $to, bucket: DAY) { at compliance { members { tenantId nonCompliant } } }
  }
`;
export interface TenantGroupComplianceQuery {
  readonly tenantGroup: {
    readonly groupId: string;
    readonly compliance: { readonly members: readonly GroupMemberCompliance[]; readonly controls: readonly GroupControlCompliance[] };
  } | null;
  readonly tenantGroupComplianceSeries: readonly GroupCompliancePoint[];
}

// Staged rollouts (platform admins: groups.manage) ---------------------------------------------

/** A breach (or an evaluation error) replaying the baseline found in one tenant. */
export interface RolloutWhatIfResource {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly guardrailId: string;
  /** nonCompliant | error */
  readonly state: string;
  readonly since: string;
  /** Still so at the end of the replay. */
  readonly now: boolean;
}
/** What the baseline would find in one tenant's recorded history (a recorded plan keeps the counts only). */
export interface RolloutTenantWhatIf {
  readonly tenantId: string;
  readonly nonCompliantNow: number;
  readonly nonCompliantEver: number;
  readonly errors: number;
  readonly since: string | null;
  readonly resources?: readonly RolloutWhatIfResource[];
  /** Guardrails the engine could not replay, as "<guardrail>: <why>". */
  readonly refused?: readonly string[];
}
export interface RolloutRing {
  readonly index: number;
  readonly name: string;
  readonly tenants: readonly string[];
  /** Its tenants hold the baseline (until a rollback). */
  readonly approved: boolean;
  readonly approvedBy: string | null;
}
/** A baseline rolled out to a tenant group ring by ring; read from its own stream, so a change shows at once. */
export interface Rollout {
  readonly rolloutId: string;
  /** planned | rolling-out | complete | rolled-back */
  readonly status: string;
  readonly groupId: string;
  /** Tenants hold it as rol-<rollout>-<assignment>. */
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly scope: string;
  readonly raiseIncidentsForExisting: boolean;
  readonly plannedBy: string;
  readonly rings: readonly RolloutRing[];
  readonly whatIf: readonly RolloutTenantWhatIf[];
  readonly rolledBackBy: string | null;
  readonly rollbackReason: string | null;
}
const ROLLOUT = 'rolloutId status groupId assignmentId baselineId scope raiseIncidentsForExisting plannedBy rings { index name tenants approved approvedBy } whatIf { tenantId nonCompliantNow nonCompliantEver errors since } rolledBackBy rollbackReason';
/** Every rollout, newest first, with the names and titles its rows show. */
export const ROLLOUTS_QUERY = /* GraphQL */ `
  query ConsoleRollouts {
    rollouts { ${ROLLOUT} }
    tenantGroups { groupId name }
    baselines { id title }
    standards { id title }
  }
`;
export interface RolloutsQuery {
  readonly rollouts: readonly Rollout[];
  readonly tenantGroups: readonly { readonly groupId: string; readonly name: string }[];
  readonly baselines: readonly { id: string; title: string }[];
  readonly standards: readonly { id: string; title: string }[];
}
export const ROLLOUT_QUERY = /* GraphQL */ `
  query ConsoleRollout($rolloutId: ID!) {
    rollout(rolloutId: $rolloutId) { ${ROLLOUT} }
    tenantGroups { groupId name }
    baselines { id title }
    standards { id title }
  }
`;
export interface RolloutQuery extends Omit<RolloutsQuery, 'rollouts'> {
  readonly rollout: Rollout | null;
}
/** What planning one offers: the groups with their members, what may be rolled out (as a group is offered it), the ids taken. */
export const NEW_ROLLOUT_QUERY = /* GraphQL */ `
  query ConsoleNewRollout {
    tenantGroups { groupId name members { tenantId } }
    baselines { id title version }
    standards { id title version }
    rollouts { rolloutId }
  }
`;
export interface NewRolloutQuery {
  readonly tenantGroups: readonly { readonly groupId: string; readonly name: string; readonly members: readonly { readonly tenantId: string }[] }[];
  readonly baselines: readonly { id: string; title: string; version: number | null }[];
  readonly standards: readonly { id: string; title: string; version: string | null }[];
  readonly rollouts: readonly { readonly rolloutId: string }[];
}
/** The baseline replayed over each member's recorded history; records nothing. */
export const ROLLOUT_WHAT_IF_QUERY = /* GraphQL */ `
  query ConsoleRolloutWhatIf($input: RolloutWhatIfInput!) {
    rolloutWhatIf(input: $input) { tenantId nonCompliantNow nonCompliantEver errors since resources { resourceId resourceType guardrailId state since now } refused }
  }
`;
export interface RolloutWhatIfQuery {
  readonly rolloutWhatIf: readonly RolloutTenantWhatIf[];
}
const ROLLOUT_RESULT = '__typename ... on RolloutChanged { rolloutId status } ... on Rejection { code message }';
export const PLAN_ROLLOUT_MUTATION = /* GraphQL */ `
  mutation ConsolePlanRollout($input: PlanRolloutInput!) { result: planRollout(input: $input) { ${ROLLOUT_RESULT} } }
`;
export const APPROVE_ROLLOUT_RING_MUTATION = /* GraphQL */ `
  mutation ConsoleApproveRolloutRing($input: ApproveRolloutRingInput!) { result: approveRolloutRing(input: $input) { ${ROLLOUT_RESULT} } }
`;
export const ROLL_BACK_ROLLOUT_MUTATION = /* GraphQL */ `
  mutation ConsoleRollBackRollout($input: RollBackRolloutInput!) { result: rollBackRollout(input: $input) { ${ROLLOUT_RESULT} } }
`;
export interface RolloutMutation {
  readonly result: Refusable<{ readonly __typename: 'RolloutChanged'; readonly rolloutId: string; readonly status: string }>;
}
