// What the standards page derives from the API's answers: the standards to offer (assigned ones
// first), the controls grouped by domain and filtered by state, and the score line to draw. Pure.
import type { LineSeries } from '../charts/charts';
import type { ControlCompliance, ControlState, StandardScorePoint, StandardSummary } from '../api/operations';

export const CONTROL_STATES: readonly ControlState[] = ['failed', 'notEvaluable', 'passed', 'attested', 'manual', 'notApplicable'];

export const STATE_LABELS: Readonly<Record<ControlState, string>> = {
  failed: 'Failed',
  notEvaluable: 'Not evaluable',
  passed: 'Passed',
  attested: 'Attested',
  manual: 'Manual',
  notApplicable: 'Not applicable',
};

/** What each state means, for the page's legend. */
export const STATE_MEANINGS: Readonly<Record<ControlState, string>> = {
  failed: 'a resource fails one of its definitions',
  notEvaluable: 'a definition could not be evaluated: not known to pass',
  passed: 'its definitions were evaluated and none fails',
  attested: 'no rule can check it, and a named person attests it is met: counts as met until the attestation ends',
  manual: 'only manual or data-plane definitions (or none), and no attestation holds: needs one, never passed',
  notApplicable: 'nothing it checks applies to a resource in scope',
};

/** The standards a tenant has assigned (by assignment order), then every other one. */
export const standardChoices = (
  standards: readonly StandardSummary[],
  assignments: readonly { baselineId: string }[],
): { assigned: StandardSummary[]; others: StandardSummary[] } => {
  const byId = new Map(standards.map((s) => [s.id, s]));
  const assignedIds = [...new Set(assignments.map((a) => a.baselineId).filter((id) => byId.has(id)))];
  return { assigned: assignedIds.flatMap((id) => byId.get(id) ?? []), others: standards.filter((s) => !assignedIds.includes(s.id)) };
};

export type StateFilter = ControlState | 'all';

/** Controls in the standard's order, grouped by domain (consecutive controls of one domain together). */
export const controlsByDomain = (controls: readonly ControlCompliance[], filter: StateFilter = 'all'): { domain: string; controls: ControlCompliance[] }[] => {
  const groups: { domain: string; controls: ControlCompliance[] }[] = [];
  const byDomain = new Map<string, ControlCompliance[]>();
  for (const c of controls) {
    if (filter !== 'all' && c.state !== filter) continue;
    const domain = c.domain ?? 'Controls';
    let list = byDomain.get(domain);
    if (!list) {
      byDomain.set(domain, (list = []));
      groups.push({ domain, controls: list });
    }
    list.push(c);
  }
  return groups;
};

/**
 * The standard's score (passed among assessable controls) over time; `current` (the score at
 * `end`: now, or the as-of instant) closes the line, as on the posture page.
 */
export const standardScoreLine = (points: readonly StandardScorePoint[], current: number | null, end: number, label: string): LineSeries[] => [
  {
    key: 'standard',
    label,
    points: [...points.filter((p) => Date.parse(p.at) < end).map((p) => ({ x: Date.parse(p.at), y: p.assigned ? p.score : null })), { x: end, y: current }],
  },
];
