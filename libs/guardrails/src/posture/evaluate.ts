// Evaluating one resource against a tenant's guardrail policy: every assignment whose scope covers
// the resource, every guardrail of its baseline, then the exemptions in force. Pure: the caller
// brings the resource, the related resources it can find, and the time. A guardrail whose effect is
// Disabled checks nothing: Azure calls that compliant, posture keeps it out of findings and scores.
import type { Catalog, Severity } from '../catalog/guardrail';
import type { PostureState } from '../events';
import type { PolicyResource } from '../rule-engine/resource';
import { describeVerdict } from '../rule-engine/explain';
import type { PolicyAssignment, RelatedResourceQuery } from '../rule-engine/policy';
import { isExemptionInForce, scopeCovers, type Assignment, type TenantGuardrails } from '../tenant-guardrails/tenant-guardrails';

export interface EvaluatedResource extends PolicyResource {
  /** Lowercase ARM id: what scopes and exemptions are matched against. */
  readonly key: string;
}

export interface EvaluationResult {
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly guardrailId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly playbookId: string;
  readonly state: PostureState;
  readonly reason: string;
  readonly exemptionId: string | null;
  /** Present when the guardrail's effect is Disabled (state notApplicable): nothing was checked, nothing opens a finding. */
  readonly disabled?: true;
}

export interface EvaluationEnvironment {
  readonly now: Date;
  /** Related resources for auditIfNotExists/deployIfNotExists, from the tenant's inventory. */
  readonly related?: (query: RelatedResourceQuery) => readonly PolicyResource[];
}

const MAX_REASON = 2_000;

// Parameters are bound once per assignment and guardrail, not per resource.
const boundCache = new WeakMap<Assignment, Map<string, PolicyAssignment | string>>();

const bound = (catalog: Catalog, assignment: Assignment, guardrailId: string): PolicyAssignment | string => {
  let perAssignment = boundCache.get(assignment);
  if (!perAssignment) boundCache.set(assignment, (perAssignment = new Map()));
  let entry = perAssignment.get(guardrailId);
  if (entry === undefined) {
    const compiled = catalog.guardrails.get(guardrailId);
    if (!compiled) entry = `guardrail ${guardrailId} is not in this catalog`;
    else {
      const result = compiled.policy.bind({ ...compiled.guardrail.parameters, ...assignment.parameters[guardrailId] });
      entry = result.ok ? result.assignment : `parameters refused: ${result.refusal.message}`;
    }
    perAssignment.set(guardrailId, entry);
  }
  return entry;
};

const STATE_OF = { compliant: 'compliant', nonCompliant: 'nonCompliant', error: 'error', notApplicable: 'notApplicable' } as const;

export const evaluateResource = (
  catalog: Catalog,
  policy: TenantGuardrails,
  resource: EvaluatedResource,
  env: EvaluationEnvironment,
): EvaluationResult[] => {
  const results: EvaluationResult[] = [];
  for (const assignment of policy.assignments.values()) {
    if (!scopeCovers(assignment.scope, resource.key)) continue;
    const baseline = catalog.baselines.get(assignment.baselineId);
    if (!baseline) continue;
    for (const guardrailId of baseline.guardrailIds) {
      const compiled = catalog.guardrails.get(guardrailId);
      if (!compiled) continue;
      const { guardrail } = compiled;
      const evaluator = bound(catalog, assignment, guardrailId);
      let state: PostureState;
      let reason: string;
      let disabled = false;
      if (typeof evaluator === 'string') {
        // Could not evaluate is never compliant.
        state = 'error';
        reason = evaluator;
      } else {
        const verdict = evaluator.evaluate(resource, { now: env.now, related: env.related });
        // Compliant by default in Azure's eyes, but no check ran: counting it compliant would inflate
        // the score with checks nobody made, so posture treats it as not applicable, and says why.
        disabled = verdict.disabled === true;
        state = disabled ? 'notApplicable' : STATE_OF[verdict.state];
        reason = describeVerdict(verdict).slice(0, MAX_REASON);
      }
      let exemptionId: string | null = null;
      if (state !== 'notApplicable') {
        const exemption = [...policy.exemptions.values()].find(
          (e) => e.guardrailId === guardrailId && isExemptionInForce(e, env.now) && scopeCovers(e.scope, resource.key),
        );
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
