// Evaluating one resource against a tenant's guardrail policy: every assignment whose scope covers
// the resource, every guardrail of its baseline, then the exemptions in force. Pure: the caller
// brings the resource, the related resources and the resource group it can find, and the time. A guardrail whose effect is
// Disabled checks nothing: Azure calls that compliant, posture keeps it out of findings and scores.
// A baseline of hundreds of guardrails (a regulatory standard) is indexed by resource type: only
// the guardrails that can apply to the resource's type are evaluated (rule-engine/assignment-index.ts).
import { memberValuesFrom, type Catalog, type CompiledGuardrail } from '../catalog/guardrail';
import type { PostureState, Severity } from '../events';
import type { PolicyResource } from '../rule-engine/resource';
import { describeVerdict } from '../rule-engine/explain';
import { type AssignmentIndex, type AssignmentRoute, indexAssignments } from '../rule-engine/assignment-index';
import type { ResourceGroupInfo } from '../rule-engine/expressions';
import type { PolicyAssignment, RelatedResourceQuery, Verdict } from '../rule-engine/policy';
import { isExemptionInForce, scopeCovers, type Assignment, type TenantGuardrails } from '../tenant-guardrails/tenant-guardrails';
import { mayReadResourceGroup } from './resource-group';

export { indexAssignments, type AssignmentIndex, type AssignmentRoute } from '../rule-engine/assignment-index';

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
  /** The assignment asked that findings found on its arrival open no incident (a staged rollout's). */
  readonly quietExisting?: true;
}

export interface EvaluationEnvironment {
  readonly now: Date;
  /** Related resources for auditIfNotExists/deployIfNotExists, from the tenant's inventory. */
  readonly related?: (query: RelatedResourceQuery) => readonly PolicyResource[];
  /**
   * The resource group the resource lives in, from the tenant's inventory (resource-group.ts), for
   * `resourceGroup()`. Absent when the inventory does not hold it: then only its name is known
   * (from the resource's id), and reading anything else is the state `error`, never a guess.
   */
  readonly resourceGroup?: ResourceGroupInfo;
}

const MAX_REASON = 2_000;

const STATE_OF = { compliant: 'compliant', nonCompliant: 'nonCompliant', error: 'error', notApplicable: 'notApplicable' } as const;

/** One guardrail of an assigned baseline: its parameters bound once (or why they could not be). */
interface Entry {
  readonly guardrailId: string;
  readonly compiled: CompiledGuardrail;
  readonly evaluator: PolicyAssignment | string;
}

/**
 * An assignment's baseline, bound and indexed. `results` holds, per route of the index, the result
 * each guardrail gives every resource of the route when the type decides it (undefined: evaluate
 * it), and the guardrails to evaluate.
 */
interface Plan {
  readonly baselineId: string;
  readonly entries: readonly Entry[];
  readonly index: AssignmentIndex;
  /** The entry of each indexed assignment. */
  readonly entryOf: readonly number[];
  readonly routes: WeakMap<AssignmentRoute, Routed>;
}

interface Routed {
  readonly results: readonly (EvaluationResult | undefined)[];
  readonly evaluate: readonly number[];
}

// Parameters are bound and baselines indexed once per assignment (and catalog), not per resource.
const plans = new WeakMap<Catalog, WeakMap<Assignment, Plan>>();

const bind = (assignment: Assignment, compiled: CompiledGuardrail, guardrailId: string): PolicyAssignment | string => {
  const result = compiled.policy.bind({ ...compiled.guardrail.parameters, ...memberValuesFrom(compiled.guardrail, assignment.initiativeParameters), ...assignment.parameters[guardrailId] });
  return result.ok ? result.assignment : `parameters refused: ${result.refusal.message}`;
};

const planOf = (catalog: Catalog, assignment: Assignment): Plan | undefined => {
  let byAssignment = plans.get(catalog);
  if (!byAssignment) plans.set(catalog, (byAssignment = new WeakMap()));
  const known = byAssignment.get(assignment);
  if (known && known.baselineId === assignment.baselineId) return known;
  const baseline = catalog.baselines.get(assignment.baselineId);
  if (!baseline) return undefined;
  const entries: Entry[] = [];
  for (const guardrailId of baseline.guardrailIds) {
    const compiled = catalog.guardrails.get(baseline.guardrailKeys?.[guardrailId] ?? guardrailId);
    if (compiled) entries.push({ guardrailId, compiled, evaluator: bind(assignment, compiled, guardrailId) });
  }
  const entryOf: number[] = [];
  const indexed: PolicyAssignment[] = [];
  entries.forEach((e, i) => {
    if (typeof e.evaluator === 'string') return;
    entryOf.push(i);
    indexed.push(e.evaluator);
  });
  const plan: Plan = { baselineId: assignment.baselineId, entries, index: indexAssignments(indexed), entryOf, routes: new WeakMap() };
  byAssignment.set(assignment, plan);
  return plan;
};

const resultOf = (assignment: Assignment, entry: Entry, state: PostureState, reason: string, exemptionId: string | null, disabled: boolean): EvaluationResult => {
  const { guardrail } = entry.compiled;
  const result: EvaluationResult = {
    assignmentId: assignment.assignmentId,
    baselineId: assignment.baselineId,
    guardrailId: entry.guardrailId,
    title: guardrail.title,
    severity: guardrail.severity,
    playbookId: guardrail.playbookId,
    state,
    reason,
    exemptionId,
  };
  const quiet = assignment.quietExisting ? { ...result, quietExisting: true as const } : result;
  return disabled ? { ...quiet, disabled: true } : quiet;
};

/**
 * What posture makes of a verdict. Compliant by default in Azure's eyes, a Disabled one checked
 * nothing: counting it compliant would inflate the score with checks nobody made, so posture treats
 * it as not applicable, and says why.
 */
const postureOf = (verdict: Verdict): { state: PostureState; reason: string; disabled: boolean } => {
  const disabled = verdict.disabled === true;
  return { state: disabled ? 'notApplicable' : STATE_OF[verdict.state], reason: describeVerdict(verdict).slice(0, MAX_REASON), disabled };
};

/**
 * The results a route's resources share: a verdict the type decided that posture reads as not
 * applicable needs no exemption looked up, so its result is the same for each of them.
 */
const routed = (plan: Plan, assignment: Assignment, route: AssignmentRoute): Routed => {
  let known = plan.routes.get(route);
  if (known) return known;
  const results: (EvaluationResult | undefined)[] = plan.entries.map(() => undefined);
  route.fixed.forEach((verdict, i) => {
    if (verdict === undefined) return;
    const { state, reason, disabled } = postureOf(verdict);
    if (state === 'notApplicable') results[plan.entryOf[i]] = resultOf(assignment, plan.entries[plan.entryOf[i]], state, reason, null, disabled);
  });
  const evaluate: number[] = [];
  results.forEach((r, i) => {
    if (r === undefined) evaluate.push(i);
  });
  known = { results, evaluate };
  plan.routes.set(route, known);
  return known;
};

/**
 * Every result for the resource: one per guardrail of each assignment in force, in the baseline's
 * order. Results of guardrails the resource's type decides are shared by the resources of that type:
 * treat results as immutable.
 */
export const evaluateResource = (
  catalog: Catalog,
  policy: TenantGuardrails,
  resource: EvaluatedResource,
  env: EvaluationEnvironment,
): EvaluationResult[] => {
  const results: EvaluationResult[] = [];
  // The resource group is per resource: verdicts shared by a route (routed above) are those the
  // type alone decides, which never read it.
  const context = { now: env.now, related: env.related, resourceGroup: env.resourceGroup };
  for (const assignment of policy.assignments.values()) {
    if (!scopeCovers(assignment.scope, resource.key)) continue;
    const plan = planOf(catalog, assignment);
    if (!plan) continue;
    const { results: shared, evaluate } = routed(plan, assignment, plan.index.route(resource));
    const own = shared.slice();
    for (const i of evaluate) {
      const entry = plan.entries[i];
      let state: PostureState;
      let reason: string;
      let disabled = false;
      if (typeof entry.evaluator === 'string') {
        // Could not evaluate is never compliant.
        state = 'error';
        reason = entry.evaluator;
      } else {
        ({ state, reason, disabled } = postureOf(entry.evaluator.evaluate(resource, context)));
      }
      let exemptionId: string | null = null;
      if (state !== 'notApplicable') {
        const exemption = [...policy.exemptions.values()].find(
          (e) => e.guardrailId === entry.guardrailId && isExemptionInForce(e, env.now) && scopeCovers(e.scope, resource.key),
        );
        if (exemption) {
          exemptionId = exemption.exemptionId;
          reason = `exempt (${exemption.category}) by ${exemption.exemptionId} until ${exemption.expiresAt}, approved by ${exemption.approvedBy}: ${exemption.justification}. Evaluated: ${state}.`;
          state = 'exempt';
        }
      }
      own[i] = resultOf(assignment, entry, state, reason, exemptionId, disabled);
    }
    for (const r of own) results.push(r as EvaluationResult);
  }
  return results;
};

const readsGroup = new WeakMap<CompiledGuardrail, boolean>();

/**
 * Whether a guardrail assigned in the policy may call `resourceGroup()`: if none does, a change of a
 * resource group changes no verdict of the resources in it, and they need no re-evaluation.
 */
export const policyMayReadResourceGroup = (catalog: Catalog, policy: TenantGuardrails): boolean => {
  for (const assignment of policy.assignments.values()) {
    for (const entry of planOf(catalog, assignment)?.entries ?? []) {
      let reads = readsGroup.get(entry.compiled);
      if (reads === undefined) readsGroup.set(entry.compiled, (reads = mayReadResourceGroup(entry.compiled.guardrail.definition)));
      if (reads) return true;
    }
  }
  return false;
};
