// Posture's evaluation through the index by type gives exactly what evaluating every guardrail of
// every assignment gives: the same results in the same order, for curated baselines and Azure's
// standards, exemptions and parameters that cannot be bound included. The reference below is the
// evaluation as it was before the index, kept as the oracle.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInCatalog, type Catalog } from '../catalog/guardrail';
import { describeVerdict } from '../rule-engine/explain';
import { isExemptionInForce, scopeCovers, type Assignment, type Exemption, type TenantGuardrails, DEFAULT_REPORTING_POLICY } from '../tenant-guardrails/tenant-guardrails';
import { evaluateResource, type EvaluatedResource, type EvaluationEnvironment, type EvaluationResult } from './evaluate';

const STATE_OF = { compliant: 'compliant', nonCompliant: 'nonCompliant', error: 'error', notApplicable: 'notApplicable' } as const;

/** Every guardrail of every assignment in force, evaluated one by one (posture before the index). */
const everyGuardrail = (catalog: Catalog, policy: TenantGuardrails, resource: EvaluatedResource, env: EvaluationEnvironment): EvaluationResult[] => {
  const results: EvaluationResult[] = [];
  for (const assignment of policy.assignments.values()) {
    if (!scopeCovers(assignment.scope, resource.key)) continue;
    const baseline = catalog.baselines.get(assignment.baselineId);
    if (!baseline) continue;
    for (const guardrailId of baseline.guardrailIds) {
      const compiled = catalog.guardrails.get(guardrailId);
      if (!compiled) continue;
      const { guardrail } = compiled;
      const bound = compiled.policy.bind({ ...compiled.guardrail.parameters, ...assignment.parameters[guardrailId] });
      let state: EvaluationResult['state'];
      let reason: string;
      let disabled = false;
      if (!bound.ok) {
        state = 'error';
        reason = `parameters refused: ${bound.refusal.message}`;
      } else {
        const verdict = bound.assignment.evaluate(resource, { now: env.now, related: env.related, resourceGroup: env.resourceGroup });
        disabled = verdict.disabled === true;
        state = disabled ? 'notApplicable' : STATE_OF[verdict.state];
        reason = describeVerdict(verdict).slice(0, 2_000);
      }
      let exemptionId: string | null = null;
      if (state !== 'notApplicable') {
        const exemption = [...policy.exemptions.values()].find((e) => e.guardrailId === guardrailId && isExemptionInForce(e, env.now) && scopeCovers(e.scope, resource.key));
        if (exemption) {
          exemptionId = exemption.exemptionId;
          reason = `exempt (${exemption.category}) by ${exemption.exemptionId} until ${exemption.expiresAt}, approved by ${exemption.approvedBy}: ${exemption.justification}. Evaluated: ${state}.`;
          state = 'exempt';
        }
      }
      const result: EvaluationResult = {
        assignmentId: assignment.assignmentId,
        baselineId: assignment.baselineId,
        guardrailId,
        title: guardrail.title,
        severity: guardrail.severity,
        playbookId: guardrail.playbookId,
        state,
        reason,
        exemptionId,
      };
      results.push(disabled ? { ...result, disabled: true } : result);
    }
  }
  return results;
};

const examples = join(__dirname, '..', '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const bodies = readdirSync(examples)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(examples, f), 'utf8')) as Record<string, unknown> & { id: string; type?: string });

/** Each example as it is, with its type lowercased (as Resource Graph has it), and without its location. */
const resources: EvaluatedResource[] = bodies.flatMap((body) => {
  const type = typeof body.type === 'string' ? body.type : 'Microsoft.Unknown/unknown';
  const key = body.id.toLowerCase();
  const { location: _location, ...unlocated } = body;
  return [
    { ...body, type, key } as EvaluatedResource,
    { ...body, type: type.toLowerCase(), key } as EvaluatedResource,
    { ...unlocated, type, key } as EvaluatedResource,
  ];
});

const catalog = builtInCatalog();
const now = new Date('2026-12-06T10:00:00Z');
const env: EvaluationEnvironment = { now, related: () => [] };
const assignment = (assignmentId: string, baselineId: string, scope = '*', parameters: Assignment['parameters'] = {}): [string, Assignment] => [assignmentId, { assignmentId, baselineId, scope, parameters }];
const firstSubscription = `/subscriptions/${resources[0].key.split('/')[2]}`;

describe('posture through the index by type', () => {
  it('given curated baselines and two standards assigned, with an exemption and parameters that cannot be bound, then every resource gets the results evaluating every guardrail gives', () => {
    const core = catalog.baselines.get('landing-zone-core');
    const mcsb = catalog.baselines.get('mcsb');
    expect(core && mcsb && catalog.baselines.get('cis-azure-2.0.0')).toBeTruthy();
    const exempted = (core?.guardrailIds ?? [])[0];
    const exemption: Exemption = {
      exemptionId: 'e1',
      guardrailId: exempted,
      scope: '*',
      category: 'mitigated',
      justification: 'tested',
      requestedBy: 'ana@contoso.example',
      expiresAt: '2027-06-01T00:00:00.000Z',
      status: 'active',
      approvedBy: 'ciso@contoso.example',
    } as Exemption;
    const policy: TenantGuardrails = {
      assignments: new Map([
        assignment('core', 'landing-zone-core', '*', { [(core?.guardrailIds ?? [])[1]]: { effect: 'NotAnEffect' } }),
        assignment('fs', 'financial-services', firstSubscription),
        assignment('mcsb', 'mcsb'),
        assignment('cis', 'cis-azure-2.0.0'),
        assignment('gone', 'no-such-baseline'),
      ]),
      exemptions: new Map([['e1', exemption]]),
      reporting: DEFAULT_REPORTING_POLICY,
      attestationApprovalRequired: false,
      maxEvidenceAgeHours: 168,
    };
    const states = new Map<string, number>();
    for (const order of [resources, [...resources].reverse()])
      for (const resource of order) {
        const indexed = evaluateResource(catalog, policy, resource, env);
        expect(indexed).toEqual(everyGuardrail(catalog, policy, resource, env));
        for (const r of indexed) states.set(r.disabled ? 'disabled' : r.state, (states.get(r.disabled ? 'disabled' : r.state) ?? 0) + 1);
      }
    // Every kind of result was compared, not only the ones the type decides.
    for (const state of ['compliant', 'nonCompliant', 'notApplicable', 'error', 'exempt', 'disabled']) expect(states.get(state)).toBeGreaterThan(0);
  });
});
