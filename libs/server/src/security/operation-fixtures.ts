// One fixture per GraphQL operation: a document aimed at a tenant, used by the authorization
// matrix (every outsider role must be refused) and as a positive control (an insider must not
// be). A new operation without a fixture fails the matrix test: add it here.
/** catalog: product data that is no tenant's (the guardrail catalog): every authenticated principal reads it. */
export type FixtureScope = 'tenant' | 'global' | 'self' | 'catalog';

export interface OperationFixture {
  readonly scope: FixtureScope;
  readonly document: string;
  readonly variables: (tenantId: string) => Record<string, unknown>;
}

const tenantOnly = (tenantId: string) => ({ tenantId });

export const OPERATION_FIXTURES: Record<string, OperationFixture> = {
  'Query.me': { scope: 'self', document: '{ me { id grants { role } } }', variables: () => ({}) },
  'Query.platform': { scope: 'global', document: '{ platform { version store } }', variables: () => ({}) },
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
  'Subscription.tenantEvents': {
    scope: 'tenant',
    document: 'subscription($tenantId: ID!) { tenantEvents(tenantId: $tenantId) { eventId type } }',
    variables: tenantOnly,
  },
  'Query.guardrails': { scope: 'catalog', document: '{ guardrails { id severity controls { framework control } } }', variables: () => ({}) },
  'Query.baselines': { scope: 'catalog', document: '{ baselines { id guardrailIds } }', variables: () => ({}) },
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
  'Mutation.setReportingPolicy': {
    scope: 'tenant',
    document:
      'mutation($tenantId: ID!) { setReportingPolicy(input: { tenantId: $tenantId, incidentSeverities: ["bogus"], notifySeverities: [] }) { __typename ... on Rejection { code } } }',
    variables: tenantOnly,
  },
};
