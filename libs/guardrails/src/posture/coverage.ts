// Proof of coverage: a verdict is only as fresh as the configuration it was decided on. A resource
// whose configuration was last collected (and evaluated) longer ago than the tenant's interval —
// FedRAMP 20x asks for 3 days — is reported as not evaluated, never as passing; the coverage score
// is the share of resources in scope whose evidence is within the interval. Pure: the caller
// brings when each resource was last collected and how far the evaluator had got.
import { reject } from '@rampart/event-sourcing';

/** Until a tenant says otherwise: evidence older than a week is stale (a weekly snapshot is the least continuous compliance asks). */
export const DEFAULT_MAX_EVIDENCE_AGE_HOURS = 168;
export const MAX_EVIDENCE_AGE_HOURS_LIMIT = 90 * 24;

export const checkMaxEvidenceAge = (hours: number) =>
  Number.isInteger(hours) && hours >= 1 && hours <= MAX_EVIDENCE_AGE_HOURS_LIMIT ? null : reject('invalid-interval', `a whole number of hours from 1 to ${MAX_EVIDENCE_AGE_HOURS_LIMIT} (90 days)`);

export interface CollectedResource {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  /** Its last change, or the last complete snapshot of a scope holding it, whichever is later. */
  readonly lastCollectedAt: string;
}

export interface ResourceCoverage extends CollectedResource {
  /** What its verdicts rest on: its last collection, or less when the evaluator had not caught up with it. */
  readonly evaluatedAt: string;
  readonly evaluated: boolean;
}

export interface CoverageOptions {
  readonly at: Date;
  readonly maxEvidenceAgeHours: number;
  /**
   * The evaluator had handled everything of the tenant recorded before this instant; null when it
   * is not known to lag (caught up, or evaluation ran in the command that recorded the change).
   */
  readonly evaluatedThrough: string | null;
}

export interface CoverageSummary {
  readonly resources: number;
  readonly evaluated: number;
  readonly notEvaluated: number;
  /** evaluated / resources, 0..1; null without resources. */
  readonly score: number | null;
  /** The oldest evidence among them, null without resources. */
  readonly oldestEvidenceAt: string | null;
}

export interface Coverage extends CoverageSummary {
  readonly at: string;
  readonly maxEvidenceAgeHours: number;
  readonly evaluatedThrough: string | null;
  /** Every resource, not evaluated first (oldest evidence first), then by key. */
  readonly perResource: readonly ResourceCoverage[];
}

export const resourceCoverage = (resource: CollectedResource, options: CoverageOptions): ResourceCoverage => {
  const evaluatedAt = options.evaluatedThrough !== null && options.evaluatedThrough < resource.lastCollectedAt ? options.evaluatedThrough : resource.lastCollectedAt;
  const evaluated = options.at.getTime() - Date.parse(evaluatedAt) <= options.maxEvidenceAgeHours * 3_600_000;
  return { ...resource, evaluatedAt, evaluated };
};

export const summarizeCoverage = (resources: Iterable<ResourceCoverage>): CoverageSummary => {
  let total = 0;
  let evaluated = 0;
  let oldest: string | null = null;
  for (const r of resources) {
    total++;
    if (r.evaluated) evaluated++;
    if (oldest === null || r.evaluatedAt < oldest) oldest = r.evaluatedAt;
  }
  return { resources: total, evaluated, notEvaluated: total - evaluated, score: total === 0 ? null : evaluated / total, oldestEvidenceAt: oldest };
};

export const coverageOf = (resources: readonly CollectedResource[], options: CoverageOptions): Coverage => {
  const perResource = resources
    .map((r) => resourceCoverage(r, options))
    .sort((a, b) => Number(a.evaluated) - Number(b.evaluated) || (a.evaluatedAt < b.evaluatedAt ? -1 : a.evaluatedAt > b.evaluatedAt ? 1 : a.resourceKey < b.resourceKey ? -1 : 1));
  return { at: options.at.toISOString(), maxEvidenceAgeHours: options.maxEvidenceAgeHours, evaluatedThrough: options.evaluatedThrough, ...summarizeCoverage(perResource), perResource };
};

/** The keys of the resources whose evidence is stale: their verdicts are reported as not evaluated. */
export const notEvaluatedKeys = (coverage: Pick<Coverage, 'perResource'>): Set<string> => new Set(coverage.perResource.filter((r) => !r.evaluated).map((r) => r.resourceKey));

/**
 * The first instant at which a resource now evaluated stops being so if nothing is collected or
 * evaluated meanwhile: until then the coverage (and what it demotes) stays as it is. Undefined when
 * no resource is evaluated (time can change nothing).
 */
export const coverageHoldsUntil = (coverage: Pick<Coverage, 'perResource' | 'maxEvidenceAgeHours'>): number | undefined => {
  let first: number | undefined;
  for (const r of coverage.perResource) {
    if (!r.evaluated) continue;
    const ends = Date.parse(r.evaluatedAt) + coverage.maxEvidenceAgeHours * 3_600_000 + 1;
    if (first === undefined || ends < first) first = ends;
  }
  return first;
};

/** What a verdict on a resource with stale evidence says instead of passing. */
export const staleReason = (r: Pick<ResourceCoverage, 'evaluatedAt'>, maxEvidenceAgeHours: number): string =>
  `not evaluated within ${maxEvidenceAgeHours} h: its configuration was last collected and evaluated at ${r.evaluatedAt}`;
