// Many assignments over one resource (a standard of hundreds of definitions): for a resource, only
// the assignments whose verdict may depend on more than its type are evaluated. The others give
// every resource of that type spelling and location class the same verdict (a mode exclusion, type
// conditions that cannot select it, the Disabled effect: PolicyAssignment.fixedVerdict); those are
// worked out once per route, on its first resource, and handed out again. An assignment whose
// applicability the type does not settle (a `field: type` compared with a pattern, no type
// condition at all, name or kind conditions beside it) is evaluated for every resource.
import { locationClass, type PolicyAssignment, type EvaluationContext, type Verdict } from './policy';
import type { PolicyResource } from './resource';

/** What the index says about the resources of one type spelling and location class. */
export interface AssignmentRoute {
  /** Per assignment, in the index's order: the verdict every resource of the route gets, or undefined (evaluate it). */
  readonly fixed: readonly (Verdict | undefined)[];
  /** The assignments to evaluate for a resource of the route, in order. */
  readonly evaluate: readonly number[];
}

export interface AssignmentIndex {
  readonly assignments: readonly PolicyAssignment[];
  /** The route of this resource: explained verdicts (the default) or state-only ones (`explain: false`). */
  route(resource: PolicyResource, explain?: boolean): AssignmentRoute;
  /** Every assignment's verdict for the resource, in order: what `assignments[i].evaluate(resource, context)` gives. */
  evaluate(resource: PolicyResource, context?: Omit<EvaluationContext, 'parameters'>): Verdict[];
}

/** Type spellings an index keeps routes for; beyond them every assignment is evaluated (as without an index). */
const MAX_ROUTED_TYPES = 4_096;

export const indexAssignments = (assignments: readonly PolicyAssignment[]): AssignmentIndex => {
  const everything: AssignmentRoute = { fixed: assignments.map(() => undefined), evaluate: assignments.map((_, i) => i) };
  // By type spelling; six routes each: three location classes, explained or not.
  const routes = new Map<string, (AssignmentRoute | undefined)[]>();

  const routeOf = (resource: PolicyResource, explain: boolean): AssignmentRoute => {
    const fixed = assignments.map((a) => a.fixedVerdict(resource, explain));
    const evaluate: number[] = [];
    fixed.forEach((v, i) => {
      if (v === undefined) evaluate.push(i);
    });
    return { fixed, evaluate };
  };

  const route = (resource: PolicyResource, explain = true): AssignmentRoute => {
    const type = resource.type;
    if (typeof type !== 'string') return everything;
    let byClass = routes.get(type);
    if (byClass === undefined) {
      if (routes.size >= MAX_ROUTED_TYPES) return everything;
      byClass = [undefined, undefined, undefined, undefined, undefined, undefined];
      routes.set(type, byClass);
    }
    const slot = locationClass(resource) * 2 + (explain ? 1 : 0);
    return (byClass[slot] ??= routeOf(resource, explain));
  };

  return {
    assignments,
    route,
    evaluate: (resource, context = {}) => {
      const { fixed, evaluate } = route(resource, context.explain !== false);
      const verdicts = fixed.slice() as Verdict[];
      for (const i of evaluate) verdicts[i] = assignments[i].evaluate(resource, context);
      return verdicts;
    },
  };
};
