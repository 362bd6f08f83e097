// Azure's standards at tenant size: every automated member of a standard (MCSB, CIS Microsoft Azure
// Foundations Benchmark v2.0.0), bound with the parameters the standard assigns by default (the
// initiative's defaults, as standards/standard.ts resolves them), over every resource of the
// tenant. Each resource's verdicts come either from evaluating every member, or from the index by
// type (indexAssignments), which evaluates only the members the type can select; both give the same
// verdicts (checked here at the benchmark's size, and exactly on a small tenant in
// libs/guardrails/src/standards/standards-index.spec.ts).
import { isDeepStrictEqual } from 'node:util';
import { azureStandards, builtInDefinition, compilePolicy, indexAssignments, type CompiledPolicy, type EvaluationContext, type PolicyAssignment, type PolicyResource, type Verdict } from '@rampart/guardrails';

/** The standards measured: their ids in the standards catalog. */
export const MEASURED_STANDARDS = ['mcsb', 'cis-azure-2.0.0'] as const;

export interface StandardSet {
  readonly id: string;
  readonly title: string;
  readonly members: number;
  /** Members that are not evaluated offline: data-plane modes and manual (attested) controls. */
  readonly notAutomated: number;
  readonly refused: number;
  readonly effects: Readonly<Record<string, number>>;
  readonly compileMs: number;
  /** Bound assignments, one per automated member that compiles and binds. */
  readonly bind: () => PolicyAssignment[];
}

/** A standard's automated members, compiled once; `bind()` gives fresh assignments (nothing remembered yet). */
export const loadStandard = (id: string): StandardSet => {
  const standard = azureStandards([]).get(id);
  if (!standard) throw new Error(`no standard ${id} in the standards catalog`);
  const started = performance.now();
  const compiled: { policy: CompiledPolicy; parameters: Readonly<Record<string, unknown>> }[] = [];
  let refused = 0;
  for (const member of standard.members) {
    if (member.kind !== 'automated') continue;
    const result = compilePolicy(builtInDefinition(member.definitionName));
    if (!result.ok || !result.policy.bind(member.parameters).ok) refused++;
    else compiled.push({ policy: result.policy, parameters: member.parameters });
  }
  const compileMs = performance.now() - started;
  const bind = () =>
    compiled.map(({ policy, parameters }) => {
      const bound = policy.bind(parameters);
      if (!bound.ok) throw new Error(bound.refusal.message);
      return bound.assignment;
    });
  const effects: Record<string, number> = {};
  for (const a of bind()) effects[a.effect] = (effects[a.effect] ?? 0) + 1;
  return {
    id,
    title: standard.title,
    members: standard.members.length,
    notAutomated: standard.members.filter((m) => m.kind !== 'automated').length,
    refused,
    effects,
    compileMs,
    bind,
  };
};

/** Every member over every resource, one after the other: what posture did before the index. */
export const fullPass = (assignments: readonly PolicyAssignment[], resources: readonly PolicyResource[], context: EvaluationContext): number => {
  let nonCompliant = 0;
  for (const resource of resources) for (const a of assignments) if (a.evaluate(resource, context).state === 'nonCompliant') nonCompliant++;
  return nonCompliant;
};

/** The same verdicts through the index: only the members the resource's type can select are evaluated. */
export const indexedPass = (index: ReturnType<typeof indexAssignments>, resources: readonly PolicyResource[], context: EvaluationContext): number => {
  let nonCompliant = 0;
  for (const resource of resources) for (const v of index.evaluate(resource, context)) if (v.state === 'nonCompliant') nonCompliant++;
  return nonCompliant;
};

export interface IndexCoverage {
  /** (member, resource) pairs the index evaluated; the rest it answered from the type. */
  readonly evaluated: number;
  readonly pairs: number;
  /** Distinct routes (type spelling, location class) the tenant needed. */
  readonly routes: number;
}

/** How much of the tenant the index answers from the type alone (explained routes). */
export const indexCoverage = (index: ReturnType<typeof indexAssignments>, resources: readonly PolicyResource[]): IndexCoverage => {
  let evaluated = 0;
  const routes = new Set<unknown>();
  for (const resource of resources) {
    const route = index.route(resource);
    routes.add(route);
    evaluated += route.evaluate.length;
  }
  return { evaluated, pairs: resources.length * index.assignments.length, routes: routes.size };
};

export type StateCounts = Record<'compliant' | 'nonCompliant' | 'notApplicable' | 'error' | 'disabled', number>;

/**
 * The verdicts of both ways for every (member, resource) pair, on fresh assignments: the same state,
 * effect and reason everywhere (explained verdicts deep-equal for the first `deep` resources). The
 * exact check of every verdict on a small tenant is standards-index.spec.ts; this one runs at the
 * benchmark's size.
 */
export const verifyIndexed = (set: StandardSet, resources: readonly PolicyResource[], context: EvaluationContext, deep: number): StateCounts => {
  const full = set.bind();
  const index = indexAssignments(set.bind());
  const counts: StateCounts = { compliant: 0, nonCompliant: 0, notApplicable: 0, error: 0, disabled: 0 };
  const same = (a: Verdict, b: Verdict, exact: boolean) =>
    exact ? isDeepStrictEqual(a, b) : a.state === b.state && a.effect === b.effect && a.explanation.reason === b.explanation.reason && a.disabled === b.disabled;
  resources.forEach((resource, r) => {
    const indexed = index.evaluate(resource, context);
    full.forEach((a, i) => {
      const expected = a.evaluate(resource, context);
      if (!same(indexed[i], expected, r < deep))
        throw new Error(`${set.id}: member ${i} on ${resource.id}: indexed ${JSON.stringify(indexed[i])}, every member evaluated ${JSON.stringify(expected)}`);
      counts[expected.disabled ? 'disabled' : expected.state]++;
    });
  });
  return counts;
};

/** One way of evaluating a standard over the tenant, timed. */
export interface StandardTiming {
  readonly seconds: number;
  /** (member, resource) verdicts per second. */
  readonly perSecond: number;
  readonly nonCompliant: number;
}

export interface StandardRun {
  readonly explain: boolean;
  readonly pairs: number;
  readonly unindexed: StandardTiming;
  readonly indexed: StandardTiming;
  readonly coverage: IndexCoverage;
}

const secondsOf = (pass: () => number, pairs: number): StandardTiming => {
  const started = performance.now();
  const nonCompliant = pass();
  const seconds = (performance.now() - started) / 1000;
  return { seconds, perSecond: pairs / seconds, nonCompliant };
};

/**
 * A full evaluation of the tenant (every member over every resource), explained or state-only,
 * both ways: each on its own fresh assignments, warmed up on the first `warmUp` resources (types
 * planned, routes worked out), then timed over all of them once. Both must count the same
 * non-compliant verdicts.
 */
export const timeStandard = (set: StandardSet, resources: readonly PolicyResource[], context: EvaluationContext, explain: boolean, warmUp: number): StandardRun => {
  const ctx = { ...context, explain };
  const every = set.bind();
  const pairs = resources.length * every.length;
  const index = indexAssignments(set.bind());
  const first = resources.slice(0, warmUp);
  fullPass(every, first, ctx);
  indexedPass(index, first, ctx);
  const unindexed = secondsOf(() => fullPass(every, resources, ctx), pairs);
  const indexed = secondsOf(() => indexedPass(index, resources, ctx), pairs);
  if (unindexed.nonCompliant !== indexed.nonCompliant)
    throw new Error(`${set.id}: ${unindexed.nonCompliant} non-compliant verdicts evaluating every member, ${indexed.nonCompliant} through the index`);
  return { explain, pairs, unindexed, indexed, coverage: indexCoverage(index, resources) };
};
