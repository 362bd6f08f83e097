// SLA targets per severity, the breaches that are due (the worker records them as events at the
// moment they happen) and MTTA / MTTC / MTTR over any set of incidents, all from event times.
import type { Severity, SlaPolicy, SlaTarget } from '../events';

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  critical: { acknowledgeMinutes: 15, containMinutes: 60, resolveMinutes: 4 * 60 },
  high: { acknowledgeMinutes: 30, containMinutes: 4 * 60, resolveMinutes: 24 * 60 },
  medium: { acknowledgeMinutes: 4 * 60, containMinutes: 24 * 60, resolveMinutes: 3 * 24 * 60 },
  low: { acknowledgeMinutes: 24 * 60, containMinutes: 3 * 24 * 60, resolveMinutes: 7 * 24 * 60 },
};

/** An incident's milestones (ISO times), as its events recorded them. */
export interface IncidentTimes {
  readonly severity: Severity;
  readonly openedAt: string;
  readonly triagedAt: string | null;
  readonly containedAt: string | null;
  readonly resolvedAt: string | null;
  readonly breached: readonly SlaTarget[];
}

const MILESTONE: Record<SlaTarget, keyof IncidentTimes> = { acknowledge: 'triagedAt', contain: 'containedAt', resolve: 'resolvedAt' };
const MINUTES: Record<SlaTarget, 'acknowledgeMinutes' | 'containMinutes' | 'resolveMinutes'> = {
  acknowledge: 'acknowledgeMinutes',
  contain: 'containMinutes',
  resolve: 'resolveMinutes',
};

export const dueAt = (times: IncidentTimes, target: SlaTarget, policy: SlaPolicy = DEFAULT_SLA_POLICY): string =>
  new Date(Date.parse(times.openedAt) + policy[times.severity][MINUTES[target]] * 60_000).toISOString();

/** Targets whose time has passed without their milestone, not yet recorded as breached. */
export const dueBreaches = (times: IncidentTimes, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): { target: SlaTarget; dueAt: string }[] =>
  (['acknowledge', 'contain', 'resolve'] as const)
    .filter((target) => !times.breached.includes(target) && times[MILESTONE[target]] === null)
    .map((target) => ({ target, dueAt: dueAt(times, target, policy) }))
    .filter((b) => Date.parse(b.dueAt) <= now.getTime());

export type SlaState = 'ok' | 'at-risk' | 'breached';

/** For queues: breached once any target was missed; at risk within the last fifth of a running target. */
export const slaState = (times: IncidentTimes, now: Date, policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaState => {
  if (times.breached.length || dueBreaches(times, now, policy).length) return 'breached';
  const running = (['acknowledge', 'contain', 'resolve'] as const).find((t) => times[MILESTONE[t]] === null);
  if (!running) return 'ok';
  const total = policy[times.severity][MINUTES[running]] * 60_000;
  const left = Date.parse(dueAt(times, running, policy)) - now.getTime();
  return left < total / 5 ? 'at-risk' : 'ok';
};

export interface MeanTimes {
  readonly incidents: number;
  /** Mean seconds from opened to triaged / contained / resolved, over the incidents that got there; null when none did. */
  readonly mttaSeconds: number | null;
  readonly mttcSeconds: number | null;
  readonly mttrSeconds: number | null;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const since = (times: IncidentTimes, milestone: string | null) => (milestone === null ? null : (Date.parse(milestone) - Date.parse(times.openedAt)) / 1000);

/** MTTA / MTTC / MTTR over incidents opened in [from, to). */
export const meanTimes = (incidents: readonly IncidentTimes[], from: Date, to: Date): MeanTimes => {
  const inPeriod = incidents.filter((i) => Date.parse(i.openedAt) >= from.getTime() && Date.parse(i.openedAt) < to.getTime());
  const collect = (key: 'triagedAt' | 'containedAt' | 'resolvedAt') => inPeriod.map((i) => since(i, i[key])).filter((v): v is number => v !== null);
  return { incidents: inPeriod.length, mttaSeconds: mean(collect('triagedAt')), mttcSeconds: mean(collect('containedAt')), mttrSeconds: mean(collect('resolvedAt')) };
};

/**
 * MTTA / MTTC / MTTR per group over incidents opened in [from, to): an incident counts in every
 * group `groupsOf` names (a tenant served by two SOC teams counts for both), and in none when it
 * names none. Groups come out sorted by key.
 */
export const meanTimesBy = <T extends IncidentTimes>(
  incidents: readonly T[],
  from: Date,
  to: Date,
  groupsOf: (incident: T) => readonly string[],
): { key: string; times: MeanTimes }[] => {
  const groups = new Map<string, T[]>();
  for (const incident of incidents) {
    for (const key of new Set(groupsOf(incident))) {
      const members = groups.get(key);
      if (members) members.push(incident);
      else groups.set(key, [incident]);
    }
  }
  return [...groups.entries()]
    .map(([key, members]) => ({ key, times: meanTimes(members, from, to) }))
    .filter((g) => g.times.incidents > 0)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
};
