// Compliance scores from counts of evaluated (resource, guardrail) pairs. Exempt pairs are accepted
// risk: counted, shown, but outside the score. Errors count against it: what could not be
// evaluated is not known to be compliant.
import type { Catalog, Framework } from '../catalog/guardrail';
import type { PostureState } from '../events';

export interface StateCount {
  readonly baselineId: string;
  readonly guardrailId: string;
  readonly state: Exclude<PostureState, 'notApplicable'>;
  readonly count: number;
}

export interface Tally {
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly error: number;
  readonly exempt: number;
  /** compliant / (compliant + nonCompliant + error), 0..1; null when nothing applicable was evaluated. */
  readonly score: number | null;
}

export interface ComplianceScore {
  readonly overall: Tally;
  readonly baselines: readonly (Tally & { readonly baselineId: string })[];
  readonly frameworks: readonly (Tally & { readonly framework: Framework; readonly controls: readonly (Tally & { readonly control: string })[] })[];
}

const EMPTY = { compliant: 0, nonCompliant: 0, error: 0, exempt: 0 };
type Counts = typeof EMPTY;

const add = (into: Counts, c: StateCount): void => {
  into[c.state] += c.count;
};
const tally = (c: Counts): Tally => {
  const denominator = c.compliant + c.nonCompliant + c.error;
  return { ...c, score: denominator === 0 ? null : c.compliant / denominator };
};

/** The counts kept under `key` in `map`, created empty on first use. */
const countsIn = <K>(map: Map<K, Counts>, key: K): Counts => {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = { ...EMPTY }));
  return counts;
};

export const complianceScore = (catalog: Catalog, counts: readonly StateCount[]): ComplianceScore => {
  const overall = { ...EMPTY };
  const baselines = new Map<string, Counts>();
  const frameworks = new Map<Framework, Counts>();
  const controls = new Map<string, Counts>(); // by `framework|control`
  for (const c of counts) {
    add(overall, c);
    add(countsIn(baselines, c.baselineId), c);
    for (const ref of catalog.guardrails.get(c.guardrailId)?.guardrail.controls ?? []) {
      add(countsIn(frameworks, ref.framework), c);
      add(countsIn(controls, `${ref.framework}|${ref.control}`), c);
    }
  }
  const byName = <T extends string>(a: [T, unknown], b: [T, unknown]) => a[0].localeCompare(b[0], 'en', { numeric: true });
  return {
    overall: tally(overall),
    baselines: [...baselines].sort(byName).map(([baselineId, c]) => ({ baselineId, ...tally(c) })),
    frameworks: [...frameworks].sort(byName).map(([framework, c]) => ({
      framework,
      ...tally(c),
      controls: [...controls]
        .filter(([key]) => key.startsWith(`${framework}|`))
        .map(([key, cc]): [string, Counts] => [key.slice(framework.length + 1), cc])
        .sort(byName)
        .map(([control, cc]) => ({ control, ...tally(cc) })),
    })),
  };
};
