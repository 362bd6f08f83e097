// A resource's compliance over time (Resource.complianceHistory: every change of what a guardrail
// says about it) as periods per guardrail, for the timeline chart: when it failed, could not be
// evaluated, or was exempted.

export interface ComplianceChange {
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly guardrailId: string;
  /** null: first evaluation */
  readonly from: string | null;
  /** compliant | nonCompliant | exempt | error | notApplicable */
  readonly to: string;
  readonly recordedAt: string;
  readonly reason: string;
}

export type NotableState = 'nonCompliant' | 'error' | 'exempt';

export interface StatePeriod {
  readonly state: NotableState;
  readonly from: number;
  /** null: still so */
  readonly to: number | null;
  readonly reason: string;
}

export interface GuardrailTimeline {
  readonly key: string;
  readonly guardrailId: string;
  readonly baselineId: string;
  readonly periods: readonly StatePeriod[];
  /** The state after the last change. */
  readonly current: string;
}

const NOTABLE: readonly string[] = ['nonCompliant', 'error', 'exempt'];

/** One timeline per (assignment, guardrail), in order of first evaluation. */
export const complianceTimelines = (changes: readonly ComplianceChange[]): GuardrailTimeline[] => {
  const timelines = new Map<string, { guardrailId: string; baselineId: string; periods: StatePeriod[]; current: string; open?: { state: NotableState; from: number; reason: string } }>();
  const sorted = [...changes].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt));
  for (const change of sorted) {
    const key = `${change.assignmentId}/${change.guardrailId}`;
    const t = timelines.get(key) ?? { guardrailId: change.guardrailId, baselineId: change.baselineId, periods: [], current: 'notApplicable' };
    const at = Date.parse(change.recordedAt);
    if (t.open) {
      t.periods.push({ ...t.open, to: at });
      t.open = undefined;
    }
    if (NOTABLE.includes(change.to)) t.open = { state: change.to as NotableState, from: at, reason: change.reason };
    t.current = change.to;
    timelines.set(key, t);
  }
  return [...timelines].map(([key, t]) => ({
    key,
    guardrailId: t.guardrailId,
    baselineId: t.baselineId,
    current: t.current,
    periods: t.open ? [...t.periods, { ...t.open, to: null }] : t.periods,
  }));
};
