// One fixture per GraphQL operation: a document aimed at a tenant, used by the authorization
// matrix (every outsider role must be refused) and as a positive control (an insider must not
// be). A new operation without a fixture fails the matrix test: add it here.
/**
 * catalog: product data that is no tenant's (the guardrail catalog): every authenticated principal reads it.
 * provider: the provider's own records (its policy library): platform admins only, SOC staff refused too.
 */
export type FixtureScope = 'tenant' | 'global' | 'self' | 'catalog' | 'provider';

export interface OperationFixture {
  readonly scope: FixtureScope;
  readonly document: string;
  readonly variables: (tenantId: string) => Record<string, unknown>;
}

const tenantOnly = (tenantId: string) => ({ tenantId });

/** A minimal Defender for Cloud alert (export shape) for the alert-intake probe. */
const PROBE_ALERT = JSON.stringify({ VendorName: 'Microsoft', AlertType: 'VM_EICAR', SystemAlertId: 'probe-alert', StartTimeUtc: '2026-11-29T10:00:00Z', TimeGenerated: '2026-11-29T10:00:00Z', Severity: 'Low', AlertDisplayName: 'Probe alert', Description: 'authorization probe', ProductName: 'Azure Security Center', CompromisedEntity: 'probe', Status: 'Active' });

export const OPERATION_FIXTURES: Record<string, OperationFixture> = {
  'Query.me': { scope: 'self', document: '{ me { id grants { role } } }', variables: () => ({}) },
  'Query.platform': { scope: 'global', document: '{ platform { version store } }', variables: () => ({}) },
  'Query.policyLibrary': { scope: 'provider', document: '{ policyLibrary { kind name version sha256 } }', variables: () => ({}) },
  'Query.policyLibraryArtifact': {
    scope: 'provider',
    document: '{ policyLibraryArtifact(kind: "definition", name: "Deny-Sql-minTLS") { name versions { version content } } }',
    variables: () => ({}),
  },
  // a plan only: nothing is recorded, even for the admin's positive control
  'Mutation.importPolicyLibrary': {
    scope: 'provider',
    document: 'mutation { importPolicyLibrary(input: { files: [{ path: "probe.json", content: "{}" }] }) { applicable applied counts { refused } } }',
    variables: () => ({}),
  },
  // an artifact the library never held: refused, nothing recorded
  'Mutation.retirePolicyLibraryArtifact': {
    scope: 'provider',
    document: 'mutation { retirePolicyLibraryArtifact(input: { kind: "definition", name: "probe-never-imported", reason: "matrix probe" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Query.libraryPolicy': { scope: 'provider', document: '{ libraryPolicy { approvalRequired } }', variables: () => ({}) },
  'Query.libraryChanges': { scope: 'provider', document: '{ libraryChanges { changeId status } }', variables: () => ({}) },
  // off while it is off: nothing to record
  'Mutation.setLibraryPolicy': {
    scope: 'provider',
    document: 'mutation { setLibraryPolicy(approvalRequired: false) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.approveLibraryChange': {
    scope: 'provider',
    document: 'mutation { approveLibraryChange(changeId: "probe-no-such-change") { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.rejectLibraryChange': {
    scope: 'provider',
    document: 'mutation { rejectLibraryChange(input: { changeId: "probe-no-such-change", reason: "matrix probe" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  // a plan only: nothing is recorded, even for the positive control
  'Mutation.importTenantPolicyLibrary': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { importTenantPolicyLibrary(input: { tenantId: $tenantId, files: [{ path: "probe.json", content: "{}" }] }) { applicable applied } }',
    variables: tenantOnly,
  },
  'Query.tenantPolicyLibrary': { scope: 'tenant', document: 'query($tenantId: ID!) { tenantPolicyLibrary(tenantId: $tenantId) { name version } }', variables: tenantOnly },
  'Query.tenantPolicyLibraryArtifact': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { tenantPolicyLibraryArtifact(tenantId: $tenantId, kind: "definition", name: "probe") { name } }',
    variables: tenantOnly,
  },
  'Mutation.retireTenantPolicyLibraryArtifact': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { retireTenantPolicyLibraryArtifact(input: { tenantId: $tenantId, kind: "definition", name: "probe-never-imported", reason: "matrix probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  // SOC staff read groups, each seeing the members in its reach only (groups.e2e.spec.ts proves the filter)
  'Query.tenantGroups': { scope: 'global', document: '{ tenantGroups { groupId members { tenantId } } }', variables: () => ({}) },
  'Query.tenantGroup': { scope: 'global', document: '{ tenantGroup(groupId: "probe") { groupId } }', variables: () => ({}) },
  'Query.tenantGroupComplianceSeries': {
    scope: 'global',
    document: '{ tenantGroupComplianceSeries(groupId: "probe", from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { at } }',
    variables: () => ({}),
  },
  'Query.rollouts': { scope: 'provider', document: '{ rollouts { rolloutId status rings { name tenants } } }', variables: () => ({}) },
  'Query.rollout': { scope: 'provider', document: '{ rollout(rolloutId: "probe-no-such-rollout") { rolloutId } }', variables: () => ({}) },
  // a group that does not exist: nothing replayed, nothing recorded
  'Query.rolloutWhatIf': {
    scope: 'provider',
    document: '{ rolloutWhatIf(input: { groupId: "probe-no-such-group", baselineId: "landing-zone-core" }) { tenantId nonCompliantNow } }',
    variables: () => ({}),
  },
  'Mutation.planRollout': {
    scope: 'provider',
    document:
      'mutation { planRollout(input: { rolloutId: "probe", groupId: "probe-no-such-group", assignmentId: "probe", baselineId: "landing-zone-core", rings: [{ name: "all", tenants: ["*"] }] }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.approveRolloutRing': {
    scope: 'provider',
    document: 'mutation { approveRolloutRing(input: { rolloutId: "probe-no-such-rollout", ring: 0 }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.rollBackRollout': {
    scope: 'provider',
    document: 'mutation { rollBackRollout(input: { rolloutId: "probe-no-such-rollout", reason: "matrix probe" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  // refused by the domain for the admin's positive control: nothing is recorded
  'Mutation.createTenantGroup': {
    scope: 'provider',
    document: 'mutation { createTenantGroup(input: { groupId: "probe", name: "" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.addTenantToGroup': {
    scope: 'provider',
    document: 'mutation { addTenantToGroup(input: { groupId: "probe-no-such-group", tenantId: "contoso" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.removeTenantFromGroup': {
    scope: 'provider',
    document: 'mutation { removeTenantFromGroup(input: { groupId: "probe-no-such-group", tenantId: "contoso", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.assignBaselineToGroup': {
    scope: 'provider',
    document: 'mutation { assignBaselineToGroup(input: { groupId: "probe-no-such-group", assignmentId: "core", baselineId: "landing-zone-core" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Mutation.unassignBaselineFromGroup': {
    scope: 'provider',
    document: 'mutation { unassignBaselineFromGroup(input: { groupId: "probe-no-such-group", assignmentId: "core" }) { __typename ... on Rejection { code } } }',
    variables: () => ({}),
  },
  'Query.tenants': {
    scope: 'tenant',
    document: 'query($tenantId: ID) { tenants(filter: { tenantId: $tenantId }) { edges { node { tenantId displayName } } } }',
    variables: tenantOnly,
  },
  'Query.tenant': { scope: 'tenant', document: 'query($tenantId: ID!) { tenant(tenantId: $tenantId) { tenantId displayName } }', variables: tenantOnly },
  'Query.apiKeys': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { apiKeys(tenantId: $tenantId) { edges { node { keyId name } } } }',
    variables: tenantOnly,
  },
  'Query.auditTrail': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { auditTrail(tenantId: $tenantId, first: 5) { edges { node { type actorId } } } }',
    variables: tenantOnly,
  },
  'Query.resources': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { resources(tenantId: $tenantId, first: 5) { edges { node { id type } } } }',
    variables: tenantOnly,
  },
  'Query.resource': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { resource(tenantId: $tenantId, id: "/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z") { id history { kind } } }',
    variables: tenantOnly,
  },
  'Mutation.pushResources': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { pushResources(input: { tenantId: $tenantId, resourcesJson: "[]" }) { runId seen } }',
    variables: tenantOnly,
  },
  'Mutation.addCloudConnection': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { addCloudConnection(input: { tenantId: $tenantId, connectionId: "probe", entraTenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", subscriptions: ["00000000-0000-0000-0000-00000000000a"], credentialReference: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.removeCloudConnection': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { removeCloudConnection(input: { tenantId: $tenantId, connectionId: "nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.offboardTenant': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { offboardTenant(input: { tenantId: $tenantId, reason: "" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Query.ingestionRuns': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { ingestionRuns(tenantId: $tenantId) { runId status } }',
    variables: tenantOnly,
  },
  'Mutation.onboardTenant': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { onboardTenant(input: { tenantId: $tenantId, displayName: "X", sector: "finance", contactEmail: "x@x.example" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.assignSocTeam': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { assignSocTeam(input: { tenantId: $tenantId, socTeam: "green" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.issueApiKey': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!, $expiresAt: String!) { issueApiKey(input: { tenantId: $tenantId, name: "probe", roles: ["customer.viewer"], expiresAt: $expiresAt }) { __typename ... on ApiKeyIssued { keyId } ... on Rejection { code } } }',
    variables: (tenantId) => ({ tenantId, expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
  },
  'Mutation.revokeApiKey': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { revokeApiKey(input: { tenantId: $tenantId, keyId: "aaaaaaaaaaaa", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Subscription.incidentEvents': {
    scope: 'tenant',
    document: 'subscription($tenantId: ID!) { incidentEvents(tenantId: $tenantId) { eventId type } }',
    variables: tenantOnly,
  },
  'Subscription.tenantEvents': {
    scope: 'tenant',
    document: 'subscription($tenantId: ID!) { tenantEvents(tenantId: $tenantId) { eventId type } }',
    variables: tenantOnly,
  },
  'Query.guardrails': { scope: 'catalog', document: '{ guardrails { id severity controls { framework control } } }', variables: () => ({}) },
  'Query.baselines': { scope: 'catalog', document: '{ baselines { id guardrailIds } }', variables: () => ({}) },
  'Query.standards': { scope: 'catalog', document: '{ standards { id title controlCount definitionCount } }', variables: () => ({}) },
  'Query.standard': { scope: 'catalog', document: '{ standard(id: "iso-27001-2022") { id controls { id title } members { guardrailId kind evaluable } } }', variables: () => ({}) },
  'Query.standardCompliance': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { standardCompliance(tenantId: $tenantId, standardId: "iso-27001-2022") { tenantId assigned score controls { controlId state resources { failed } failingResources { resourceId } } } }',
    variables: tenantOnly,
  },
  'Query.standardComplianceSeries': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { standardComplianceSeries(tenantId: $tenantId, standardId: "iso-27001-2022", from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", bucket: DAY) { at score controlStates { failed } } }',
    variables: tenantOnly,
  },
  'Query.tenantGuardrails': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { tenantGuardrails(tenantId: $tenantId) { tenantId assignments { assignmentId } exemptions { exemptionId } } }',
    variables: tenantOnly,
  },
  'Query.findings': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { findings(tenantId: $tenantId, first: 5) { edges { node { findingId severity } } } }',
    variables: tenantOnly,
  },
  'Query.complianceScore': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { complianceScore(tenantId: $tenantId) { tenantId overall { score } } }',
    variables: tenantOnly,
  },
  'Mutation.assignBaseline': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { assignBaseline(input: { tenantId: $tenantId, assignmentId: "probe", baselineId: "no-such-baseline" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.setLibraryVersion': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { setLibraryVersion(input: { tenantId: $tenantId, assignmentId: "nope", version: 1 }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.unassignBaseline': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { unassignBaseline(input: { tenantId: $tenantId, assignmentId: "nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.requestExemption': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { requestExemption(input: { tenantId: $tenantId, exemptionId: "probe", guardrailId: "no-such-guardrail", scope: "*", category: "waiver", justification: "probing the authorization matrix", expiresAt: "2099-01-01T00:00:00Z" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.approveExemption': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { approveExemption(input: { tenantId: $tenantId, exemptionId: "nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.revokeExemption': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { revokeExemption(input: { tenantId: $tenantId, exemptionId: "nope", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  // the probe tenant has no cloud connection: an empty report, and Azure is not called
  'Query.azureAgreement': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { azureAgreement(tenantId: $tenantId) { tenantId totals { agree differ rate } rows { kind } } }',
    variables: tenantOnly,
  },
  'Query.coverage': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { coverage(tenantId: $tenantId) { resources evaluated score maxEvidenceAgeHours notEvaluatedResources { resourceId evaluatedAt } } }',
    variables: tenantOnly,
  },
  // out of bounds: refused by the domain, nothing recorded
  'Mutation.setCoveragePolicy': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { setCoveragePolicy(input: { tenantId: $tenantId, maxEvidenceAgeHours: 0 }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Query.attestations': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { attestations(tenantId: $tenantId) { attestationId controlId status evidence { sha256 downloadPath } } }',
    variables: tenantOnly,
  },
  // a control the standard does not have: refused by the domain, nothing recorded
  'Mutation.recordAttestation': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { recordAttestation(input: { tenantId: $tenantId, standardId: "iso-27001-2022", controlId: "probe-no-such-control", statement: "probing the authorization matrix for attestations", validUntil: "2099-01-01T00:00:00Z" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.approveAttestation': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { approveAttestation(input: { tenantId: $tenantId, attestationId: "probe-nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.rejectAttestation': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { rejectAttestation(input: { tenantId: $tenantId, attestationId: "probe-nope", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.revokeAttestation': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { revokeAttestation(input: { tenantId: $tenantId, attestationId: "probe-nope", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  // what every tenant starts with: nothing is recorded
  'Mutation.setAttestationPolicy': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { setAttestationPolicy(input: { tenantId: $tenantId, approvalRequired: false }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.setReportingPolicy': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { setReportingPolicy(input: { tenantId: $tenantId, incidentSeverities: ["bogus"], notifySeverities: [] }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Query.incidents': {
    scope: 'tenant',
    document: 'query($tenantId: ID) { incidents(filter: { tenantId: $tenantId }) { edges { node { incidentId title } } } }',
    variables: tenantOnly,
  },
  'Query.actionCatalog': { scope: 'catalog', document: '{ actionCatalog { id destructive parameters { name } } }', variables: () => ({}) },
  'Query.pendingActions': {
    scope: 'tenant',
    document: 'query($tenantId: ID) { pendingActions(tenantId: $tenantId) { edges { node { tenantId incidentTitle action { actionId target } } } } }',
    variables: tenantOnly,
  },
  'Query.incident': { scope: 'tenant', document: 'query($tenantId: ID!) { incident(tenantId: $tenantId, incidentId: "nope") { incidentId } }', variables: tenantOnly },
  'Query.postureAsOf': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { postureAsOf(tenantId: $tenantId, asOf: "2026-11-01T00:00:00Z") { asOf resourceCount resources(first: 5) { id } compliance(first: 5) { state } openFindings { title } } }',
    variables: tenantOnly,
  },
  'Query.complianceSeries': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { complianceSeries(tenantId: $tenantId, from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z", bucket: DAY) { at overall { score } } }',
    variables: tenantOnly,
  },
  'Query.replayPolicy': {
    scope: 'tenant',
    document:
      'query($tenantId: ID!) { replayPolicy(tenantId: $tenantId, definitionJson: "{\\"policyRule\\": {\\"if\\": {\\"field\\": \\"type\\", \\"equals\\": \\"Microsoft.Web/sites\\"}, \\"then\\": {\\"effect\\": \\"audit\\"}}}") { eventsRead intervals { resourceId } } }',
    variables: tenantOnly,
  },
  'Query.auditPublicKey': { scope: 'catalog', document: '{ auditPublicKey { algorithm keyId } }', variables: () => ({}) },
  'Mutation.requestAuditExport': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { requestAuditExport(input: { tenantId: $tenantId, from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z" }) { exportId status } }',
    variables: tenantOnly,
  },
  'Query.auditExports': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { auditExports(tenantId: $tenantId) { exportId manifestSha256 } }',
    variables: tenantOnly,
  },
  'Query.auditExport': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { auditExport(tenantId: $tenantId, exportId: "00000000-0000-4000-8000-000000000000") { status } }',
    variables: tenantOnly,
  },
  'Query.incidentMetricsBy': {
    scope: 'tenant',
    document: 'query($tenantId: ID) { incidentMetricsBy(tenantId: $tenantId, groupBy: TENANT, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { key incidents mttaSeconds } }',
    variables: tenantOnly,
  },
  'Query.assignees': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { assignees(tenantId: $tenantId) { id openIncidents lastAssignedAt } }',
    variables: tenantOnly,
  },
  'Query.incidentMetrics': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { incidentMetrics(tenantId: $tenantId, from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z") { incidents mttaSeconds } }',
    variables: tenantOnly,
  },
  'Mutation.openIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { openIncident(input: { tenantId: $tenantId, title: "Authorization probe", severity: "low" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.triageIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { triageIncident(input: { tenantId: $tenantId, incidentId: "nope", severity: "low", assignee: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.reassignIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { reassignIncident(input: { tenantId: $tenantId, incidentId: "nope", assignee: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.advanceIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { advanceIncident(input: { tenantId: $tenantId, incidentId: "nope", step: START_RESPONSE, summary: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.closeIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { closeIncident(input: { tenantId: $tenantId, incidentId: "nope", classification: "undetermined", reason: "probe", rootCause: "authorization probe", lessonsLearned: "authorization probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.reopenIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { reopenIncident(input: { tenantId: $tenantId, incidentId: "nope", text: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.commentOnIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { commentOnIncident(input: { tenantId: $tenantId, incidentId: "nope", text: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.addIncidentTask': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { addIncidentTask(input: { tenantId: $tenantId, incidentId: "nope", title: "probe", owner: "probe", dueAt: "2027-01-01T00:00:00Z" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.completeIncidentTask': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { completeIncidentTask(input: { tenantId: $tenantId, incidentId: "nope", taskId: "nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.addIncidentEvidence': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { addIncidentEvidence(input: { tenantId: $tenantId, incidentId: "nope", uri: "https://evidence.example/x", sha256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.changeIncidentLabels': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { changeIncidentLabels(input: { tenantId: $tenantId, incidentId: "nope", add: ["probe"] }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.mergeIncident': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { mergeIncident(input: { tenantId: $tenantId, incidentId: "nope", into: "nope-2" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.proposeAction': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { proposeAction(input: { tenantId: $tenantId, incidentId: "nope", actionKind: "rotate-secret", target: "/subscriptions/s", phase: "respond" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.approveAction': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { approveAction(input: { tenantId: $tenantId, actionId: "nope" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.cancelAction': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { cancelAction(input: { tenantId: $tenantId, actionId: "nope", reason: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.recordActionOutcome': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { recordActionOutcome(input: { tenantId: $tenantId, actionId: "nope", succeeded: false, outcome: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.resolveUncertainAction': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!) { resolveUncertainAction(input: { tenantId: $tenantId, actionId: "nope", succeeded: true, note: "probe" }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Query.incidentPolicy': {
    scope: 'tenant',
    document: 'query($tenantId: ID!) { incidentPolicy(tenantId: $tenantId) { preApprovedActions sla { severity acknowledgeMinutes } } }',
    variables: tenantOnly,
  },
  'Mutation.setIncidentPolicy': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { setIncidentPolicy(input: { tenantId: $tenantId, preApprovedActions: ["isolate-workload"] }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
  'Mutation.ingestAlerts': {
    scope: 'tenant',
    document: 'mutation($tenantId: ID!, $payload: String!) { ingestAlerts(input: { tenantId: $tenantId, payloadJson: $payload }) { alerts { decision incidentId } } }',
    variables: (tenantId) => ({ tenantId, payload: PROBE_ALERT }),
  },
};
