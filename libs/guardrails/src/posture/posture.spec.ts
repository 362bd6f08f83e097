// From a resource to findings: evaluation against the tenant's policy, then only changes recorded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fold, givenWhenThen, isRejection, type Decision } from '@rampart/event-sourcing';
import { BUILT_IN_GUARDRAILS } from '../catalog/built-in';
import { BUILT_IN_BASELINES, builtInCatalog, FRAMEWORKS } from '../catalog/guardrail';
import type { PostureEvent, TenantGuardrailsEvent } from '../events';
import { evolveTenantGuardrails, initialTenantGuardrails, DEFAULT_REPORTING_POLICY, type TenantGuardrails } from '../tenant-guardrails/tenant-guardrails';
import { evaluateResource, type EvaluatedResource } from './evaluate';
import { relatedFinder } from './related';
import { complianceScore } from './score';
import { postureDecider, type PostureCommand } from './posture';

const catalog = builtInCatalog();
const now = new Date('2026-11-29T10:00:00Z');
const examples = join(__dirname, '..', '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
// HTTPS-only, so that authentication is the one guardrail of the core baseline it fails.
const webApp: EvaluatedResource = { ...webAppBody, properties: { ...webAppBody.properties, httpsOnly: true }, key: webAppBody.id.toLowerCase() };
const authConfig = (enabled: boolean) => ({ id: `${webAppBody.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: enabled, httpsOnly: true } });

const policyOf = (...events: TenantGuardrailsEvent[]): TenantGuardrails => events.reduce(evolveTenantGuardrails, initialTenantGuardrails());
const core: TenantGuardrailsEvent = {
  type: 'guardrails.BaselineAssigned.v1',
  data: { assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*', parameters: {} },
};
const exemptionRequested: TenantGuardrailsEvent = {
  type: 'guardrails.ExemptionRequested.v1',
  data: {
    exemptionId: 'intranet-app',
    guardrailId: 'web-app-without-authentication',
    scope: webApp.key,
    category: 'mitigated',
    justification: 'Only reachable through the corporate proxy, which authenticates',
    requestedBy: 'ana@contoso.example',
    expiresAt: '2027-01-01T00:00:00.000Z',
  },
};
const exemptionGranted: TenantGuardrailsEvent = { type: 'guardrails.ExemptionGranted.v1', data: { exemptionId: 'intranet-app', approvedBy: 'ciso@contoso.example' } };

const evaluate = (policy: TenantGuardrails, related: unknown[] = [], at = now) =>
  evaluateResource(catalog, policy, webApp, { now: at, related: () => related as never });
const record = (policy: TenantGuardrails, related: unknown[] = [], at = now): PostureCommand => ({
  kind: 'RecordEvaluation',
  tenantId: 'contoso-bank',
  resource: { key: webApp.key, id: webApp.id as string, type: webApp.type },
  results: evaluate(policy, related, at),
  reporting: DEFAULT_REPORTING_POLICY,
  cause: { eventId: '5e0f5a2e-8f43-4a57-9a53-8f3f2b0b6f01', type: 'inventory.ResourceDiscovered.v1', position: '10/1' },
});
const events = (decision: Decision<PostureEvent>): PostureEvent[] => {
  if (isRejection(decision)) throw new Error(decision.code);
  return [...decision];
};
const decideAfter = (history: PostureEvent[], cmd: PostureCommand) => events(postureDecider.decide(cmd, fold(postureDecider, history)));

describe('the built-in catalog', () => {
  it('compiles every guardrail, maps each to MCSB and ISO 27001 controls, and every baseline names known guardrails', () => {
    expect(catalog.guardrails.size).toBe(BUILT_IN_GUARDRAILS.length);
    for (const g of BUILT_IN_GUARDRAILS) {
      expect(g.controls.some((c) => c.framework === 'MCSB')).toBe(true);
      expect(g.controls.some((c) => c.framework === 'ISO27001')).toBe(true);
      expect(g.controls.every((c) => FRAMEWORKS.includes(c.framework))).toBe(true);
    }
    expect(BUILT_IN_BASELINES.map((b) => b.id)).toEqual(['landing-zone-core', 'financial-services']);
    // The seed's cases are all there.
    for (const id of ['web-app-without-authentication', 'storage-public-network-access', 'management-ports-open-to-internet', 'storage-keys-not-rotated', 'subnet-without-network-security-group', 'storage-weak-tls', 'sql-database-not-encrypted']) {
      expect(catalog.guardrails.has(id)).toBe(true);
    }
  });
});

describe('the privileged-access guardrail (a Rampart definition in the Azure Policy language)', () => {
  const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
  const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
  const UAA = '18d7d88d-d35e-4fb5-a5c3-7773c4a72741';
  // As Resource Graph's authorizationresources table returns role assignments (type lowercased).
  const assignment = (role: string, principalType: string) => ({
    id: `/subscriptions/s1/providers/Microsoft.Authorization/roleAssignments/${role.slice(0, 8)}-${principalType}`,
    name: 'a',
    type: 'microsoft.authorization/roleassignments',
    properties: { roleDefinitionId: `/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/${role}`, principalId: 'p', principalType, scope: '/subscriptions/s1' },
  });
  const verdictOf = (resource: ReturnType<typeof assignment>) => {
    const compiled = catalog.guardrails.get('privileged-role-assigned-directly')!;
    const bound = compiled.policy.bind({});
    if (!bound.ok) throw new Error(bound.refusal.message);
    return bound.assignment.evaluate(resource).state;
  };

  it('flags Owner or User Access Administrator held directly by a user or a foreign group', () => {
    expect(verdictOf(assignment(OWNER, 'User'))).toBe('nonCompliant');
    expect(verdictOf(assignment(UAA, 'ForeignGroup'))).toBe('nonCompliant');
    expect(verdictOf(assignment(OWNER, 'Group'))).toBe('compliant');
    expect(verdictOf(assignment(OWNER, 'ServicePrincipal'))).toBe('compliant');
    expect(verdictOf(assignment(READER, 'User'))).toBe('compliant');
  });
});

describe('the subscription-owner guardrails (Defender for Cloud assessments read as Azure built-ins do)', () => {
  const GUESTS = '20606e75-05c4-48c0-9d97-add6daa2109a';
  const MAX_THREE = '6f90a6d6-d4d6-0794-0ec1-98fa77878c2e';
  // As Resource Graph returns them: the subscription from resourcecontainers, assessments from securityresources.
  const subscription = { id: '/subscriptions/s1', name: 's1', type: 'microsoft.resources/subscriptions', properties: { state: 'Enabled' }, tags: {} };
  const assessment = (name: string, code: string, on = '/subscriptions/s1') => ({
    id: `${on}/providers/Microsoft.Security/assessments/${name}`,
    name,
    type: 'microsoft.security/assessments',
    properties: { displayName: 'Defender for Cloud recommendation', status: { code } },
    key: `${on}/providers/microsoft.security/assessments/${name}`.toLowerCase(),
  });
  const verdictOf = (guardrailId: string, related: ReturnType<typeof assessment>[]) => {
    const bound = catalog.guardrails.get(guardrailId)!.policy.bind({});
    if (!bound.ok) throw new Error(bound.refusal.message);
    const find = relatedFinder((type) => related.filter((r) => r.type === type) as never);
    return bound.assignment.evaluate({ ...subscription, key: subscription.id } as never, { related: find as never }).state;
  };

  it('flag guest owners and more than three owners as Defender assessed them, and nothing else', () => {
    expect(verdictOf('guest-owner-accounts', [assessment(GUESTS, 'Unhealthy')])).toBe('nonCompliant');
    expect(verdictOf('guest-owner-accounts', [assessment(GUESTS, 'Healthy')])).toBe('compliant');
    expect(verdictOf('guest-owner-accounts', [assessment(GUESTS, 'NotApplicable')])).toBe('compliant');
    expect(verdictOf('too-many-subscription-owners', [assessment(MAX_THREE, 'Unhealthy'), assessment(GUESTS, 'Healthy')])).toBe('nonCompliant');
    expect(verdictOf('too-many-subscription-owners', [assessment(MAX_THREE, 'Healthy'), assessment(GUESTS, 'Unhealthy')])).toBe('compliant');
  });

  it('count an assessment only on the subscription itself, and its absence as not compliant (as Azure does)', () => {
    // the same assessment key on a resource inside the subscription says nothing about its owners
    expect(verdictOf('guest-owner-accounts', [assessment(GUESTS, 'Healthy', '/subscriptions/s1/resourcegroups/rg/providers/microsoft.web/sites/app')])).toBe('nonCompliant');
    expect(verdictOf('guest-owner-accounts', [assessment(GUESTS, 'Healthy', '/subscriptions/s2')])).toBe('nonCompliant');
    expect(verdictOf('too-many-subscription-owners', [])).toBe('nonCompliant');
  });
});

describe('related resources from the inventory', () => {
  it('are offered only where Azure looks, whatever the casing of ids and keys', () => {
    const keyed = (id: string) => ({ id, key: id.toLowerCase(), name: 'default', type: 'microsoft.sql/servers/auditingsettings' });
    const servers = '/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Sql/servers';
    const own = keyed(`${servers}/prod/auditingSettings/default`);
    const find = relatedFinder(() => [own, keyed(`${servers}/test/auditingSettings/default`), keyed(`${servers}/prod2/auditingSettings/default`)]);
    expect(find({ type: 'Microsoft.Sql/servers/auditingSettings', scope: 'children', resourceId: `${servers}/prod` })).toEqual([own]);
    expect(find({ type: 'Microsoft.Sql/servers/auditingSettings', scope: 'resourceGroup', subscriptionId: 's1', resourceGroup: 'rg' })).toHaveLength(3);
    expect(find({ type: 'Microsoft.Sql/servers/auditingSettings', scope: 'children' })).toEqual([]);
  });
});

describe('evaluating a resource against a tenant policy', () => {
  it('evaluates only what an assignment in force covers', () => {
    expect(evaluate(policyOf())).toEqual([]);
    const elsewhere = policyOf({ ...core, data: { ...core.data, scope: '/subscriptions/other' } } as TenantGuardrailsEvent);
    expect(evaluate(elsewhere)).toEqual([]);
    const results = evaluate(policyOf(core));
    expect(results).toHaveLength(catalog.baselines.get('landing-zone-core')!.guardrailIds.length);
    expect(results.find((r) => r.guardrailId === 'web-app-without-authentication')).toMatchObject({ state: 'nonCompliant', severity: 'high' });
    expect(results.find((r) => r.guardrailId === 'storage-weak-tls')?.state).toBe('notApplicable');
  });

  it('an app with authentication configured is compliant; an exemption in force makes a failing one exempt', () => {
    // requested but not yet approved: not in force
    expect(evaluate(policyOf(core, exemptionRequested)).find((r) => r.guardrailId === 'web-app-without-authentication')?.state).toBe('nonCompliant');
    expect(evaluate(policyOf(core), [authConfig(true)]).find((r) => r.guardrailId === 'web-app-without-authentication')?.state).toBe('compliant');
    const withExemption = evaluate(policyOf(core, exemptionRequested, exemptionGranted)).find((r) => r.guardrailId === 'web-app-without-authentication')!;
    expect(withExemption).toMatchObject({ state: 'exempt', exemptionId: 'intranet-app' });
    expect(withExemption.reason).toMatch(/corporate proxy/);
    const afterExpiry = evaluate(policyOf(core, exemptionRequested, exemptionGranted), [], new Date('2027-01-02T00:00:00Z')).find((r) => r.guardrailId === 'web-app-without-authentication');
    expect(afterExpiry?.state).toBe('nonCompliant');
  });
});

describe('a resource posture', () => {
  const given = givenWhenThen(postureDecider);

  it('records the first evaluation and opens a finding for what fails, flagged for notification by the reporting policy', () => {
    const first = decideAfter([], record(policyOf(core)));
    const changed = first.filter((e) => e.type === 'guardrails.ComplianceStateChanged.v1');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((e) => e.data.from === null && e.data.to !== 'notApplicable')).toBe(true);
    const opened = first.filter((e) => e.type === 'guardrails.FindingOpened.v1');
    expect(opened).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ guardrailId: 'web-app-without-authentication', severity: 'high', notify: false, playbookId: 'restrict-public-api', causedBy: expect.objectContaining({ position: '10/1' }) }),
      }),
    ]);
    // Whether it opens an incident is the incidents context's choice, from its own policy.
    expect(opened[0].data).not.toHaveProperty('raiseIncident');
  });

  it('records nothing when nothing changed', () => {
    const history = decideAfter([], record(policyOf(core)));
    given(...history).when(record(policyOf(core))).then();
  });

  it('resolves the finding when the resource complies, and opens a new one if it fails again', () => {
    const h1 = decideAfter([], record(policyOf(core)));
    const firstFinding = h1.find((e) => e.type === 'guardrails.FindingOpened.v1')!.data;
    const h2 = decideAfter(h1, record(policyOf(core), [authConfig(true)]));
    expect(h2.map((e) => e.type)).toEqual(['guardrails.ComplianceStateChanged.v1', 'guardrails.FindingResolved.v1']);
    expect(h2[1].data).toMatchObject({ findingId: firstFinding.findingId, resolution: 'compliant' });
    const h3 = decideAfter([...h1, ...h2], record(policyOf(core)));
    const reopened = h3.find((e) => e.type === 'guardrails.FindingOpened.v1')!.data;
    expect(reopened.findingId).not.toBe(firstFinding.findingId);
  });

  it('keeps the finding open when the guardrail cannot be evaluated: not knowing is not compliant', () => {
    const h1 = decideAfter([], record(policyOf(core)));
    const cmd = record(policyOf(core));
    if (cmd.kind !== 'RecordEvaluation') throw new Error('unexpected');
    const broken = { ...cmd, results: cmd.results.map((r) => (r.guardrailId === 'web-app-without-authentication' ? { ...r, state: 'error' as const, reason: 'template function failed' } : r)) };
    const h2 = decideAfter(h1, broken);
    expect(h2.map((e) => [e.type, 'to' in e.data ? e.data.to : undefined])).toEqual([['guardrails.ComplianceStateChanged.v1', 'error']]);
  });

  it('an exemption resolves the finding as exempted; its expiry brings the finding back by itself', () => {
    const h1 = decideAfter([], record(policyOf(core)));
    const h2 = decideAfter(h1, record(policyOf(core, exemptionRequested, exemptionGranted)));
    expect(h2.find((e) => e.type === 'guardrails.FindingResolved.v1')?.data).toMatchObject({ resolution: 'exempted' });
    const h3 = decideAfter([...h1, ...h2], record(policyOf(core, exemptionRequested, exemptionGranted), [], new Date('2027-01-02T00:00:00Z')));
    expect(h3.map((e) => e.type)).toEqual(['guardrails.ComplianceStateChanged.v1', 'guardrails.FindingOpened.v1']);
  });

  it('a guardrail whose effect is Disabled opens no finding, and closing one says it was disabled, not fixed', () => {
    const disabled = policyOf({ ...core, data: { ...core.data, parameters: { 'web-app-without-authentication': { effect: 'Disabled' } } } } as TenantGuardrailsEvent);
    const result = evaluate(disabled).find((r) => r.guardrailId === 'web-app-without-authentication')!;
    // Azure calls it compliant by default; posture keeps a check that never ran out of findings and scores.
    expect(result).toMatchObject({ state: 'notApplicable', disabled: true, reason: expect.stringMatching(/not evaluated: the effect is Disabled/) });
    expect(evaluate(policyOf(core)).find((r) => r.guardrailId === 'web-app-without-authentication')).not.toHaveProperty('disabled');
    const first = decideAfter([], record(disabled));
    expect(first.filter((e) => e.data.guardrailId === 'web-app-without-authentication')).toEqual([]);
    // Opened while it ran, then disabled: resolved, and the recorded change says why.
    const h1 = decideAfter([], record(policyOf(core)));
    const h2 = decideAfter(h1, record(disabled));
    expect(h2.map((e) => e.type)).toEqual(['guardrails.ComplianceStateChanged.v1', 'guardrails.FindingResolved.v1']);
    expect(h2[0].data).toMatchObject({ to: 'notApplicable', reason: expect.stringMatching(/effect is Disabled/) });
    expect(h2[1].data).toMatchObject({ resolution: 'not-applicable' });
  });

  it('unassigning a baseline or removing the resource resolves its findings', () => {
    const h1 = decideAfter([], record(policyOf(core)));
    const unassigned = decideAfter(h1, record(policyOf()));
    expect(unassigned.filter((e) => e.type === 'guardrails.FindingResolved.v1').map((e) => e.data)).toEqual([expect.objectContaining({ resolution: 'unassigned' })]);
    expect(unassigned.filter((e) => e.type === 'guardrails.ComplianceStateChanged.v1').every((e) => e.data.to === 'notApplicable' && e.data.baselineId === 'landing-zone-core')).toBe(true);
    const removed = decideAfter(h1, { kind: 'RecordResourceRemoved', tenantId: 'contoso-bank', resource: { key: webApp.key, id: webApp.id as string, type: webApp.type }, cause: null });
    expect(removed.filter((e) => e.type === 'guardrails.FindingResolved.v1').map((e) => e.data)).toEqual([expect.objectContaining({ resolution: 'resource-removed' })]);
    given(...h1, ...removed).when({ kind: 'RecordResourceRemoved', tenantId: 'contoso-bank', resource: { key: webApp.key, id: webApp.id as string, type: webApp.type }, cause: null }).then();
  });
});

describe('compliance scores', () => {
  it('score compliant over evaluated, keep exemptions out, and count errors against', () => {
    const score = complianceScore(catalog, [
      { baselineId: 'landing-zone-core', guardrailId: 'storage-weak-tls', state: 'compliant', count: 6 },
      { baselineId: 'landing-zone-core', guardrailId: 'storage-weak-tls', state: 'nonCompliant', count: 2 },
      { baselineId: 'landing-zone-core', guardrailId: 'web-app-without-authentication', state: 'error', count: 2 },
      { baselineId: 'landing-zone-core', guardrailId: 'web-app-without-authentication', state: 'exempt', count: 5 },
    ]);
    expect(score.overall).toEqual({ compliant: 6, nonCompliant: 2, error: 2, exempt: 5, score: 0.6 });
    expect(score.baselines).toEqual([expect.objectContaining({ baselineId: 'landing-zone-core', score: 0.6 })]);
    const cis = score.frameworks.find((f) => f.framework === 'CIS-Azure')!;
    // storage-weak-tls maps to CIS 3.15, web-app-without-authentication to 9.1
    expect(cis.controls.map((c) => [c.control, c.score])).toEqual([
      ['3.15', 0.75],
      ['9.1', 0],
    ]);
    expect(complianceScore(catalog, []).overall.score).toBeNull();
  });
});
