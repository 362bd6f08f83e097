// What the coverage figures say in words: the share of resources whose verdicts rest on evidence
// fresh enough, how old a resource's evidence is, whether the evaluator lags, and the interval a
// tenant picks, checked as libs/guardrails checks it (shown early; the API still decides). Pure.
import type { CoverageSummary } from '../api/operations';
import { formatDateTime } from '../format';

/** Mirrors libs/guardrails: 1 hour to 90 days, a week until the tenant says otherwise. */
export const MAX_INTERVAL_HOURS = 90 * 24;
export const DEFAULT_INTERVAL_HOURS = 168;

/** The intervals people ask for by name: FedRAMP 20x's three days, and the default week. */
export const INTERVAL_PRESETS: readonly { readonly hours: number; readonly label: string }[] = [
  { hours: 72, label: 'FedRAMP 20x' },
  { hours: DEFAULT_INTERVAL_HOURS, label: 'a week' },
];

/** "3 days · FedRAMP 20x": the interval in days, and the name people know it by. */
export const intervalDetail = (hours: number): string => {
  const days = hours / 24;
  const inDays = hours < 24 ? undefined : days === 1 ? '1 day' : `${Number.isInteger(days) ? days : days.toFixed(1)} days`;
  return [inDays, INTERVAL_PRESETS.find((p) => p.hours === hours)?.label].filter(Boolean).join(' · ');
};

/**
 * "3 resources not evaluated within 72 h": what the coverage figure means, in the hours the interval
 * is set in (the reader compares it with a compliance framework's demand). `where` narrows the
 * resources ("in scope" of a standard).
 */
export const coverageSentence = (c: Pick<CoverageSummary, 'resources' | 'notEvaluated' | 'maxEvidenceAgeHours'>, where?: string): string => {
  const within = `within ${c.maxEvidenceAgeHours} h`;
  const noun = (n: number) => `${n === 1 ? 'resource' : 'resources'}${where ? ` ${where}` : ''}`;
  if (c.resources === 0) return `No ${noun(1)} recorded yet`;
  if (c.notEvaluated > 0) return `${c.notEvaluated} ${noun(c.notEvaluated)} not evaluated ${within}`;
  return c.resources === 1 ? `The one ${noun(1)} evaluated ${within}` : `All ${c.resources} ${noun(c.resources)} evaluated ${within}`;
};

/**
 * "40 min", "5 h", "3 days 4 h": how old evidence is at an instant, floored, in hours up to two days
 * (the interval's unit) and in days and hours beyond.
 */
export const evidenceAge = (evidenceAt: string, at: string | number): string => {
  const ms = (typeof at === 'number' ? at : Date.parse(at)) - Date.parse(evidenceAt);
  if (!Number.isFinite(ms)) return '—';
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} days${hours % 24 ? ` ${hours % 24} h` : ''}`;
};

/** "oldest evidence 2026-12-01 09:00 UTC (3 days 4 h old)", or nothing without resources. */
export const oldestEvidenceText = (c: Pick<CoverageSummary, 'oldestEvidenceAt'>, at: string | number): string | undefined =>
  c.oldestEvidenceAt ? `oldest evidence ${formatDateTime(c.oldestEvidenceAt)} (${evidenceAge(c.oldestEvidenceAt, at)} old)` : undefined;

/**
 * When the evaluator lags, what it has not caught up with: resources changed since then keep the
 * verdicts of their earlier configuration, and age as that evidence does.
 */
export const behindText = (evaluatedThrough: string | null): string | undefined =>
  evaluatedThrough
    ? `The evaluator is behind since ${formatDateTime(evaluatedThrough)}: what was collected after then is not evaluated yet, so those resources' verdicts rest on what was collected before.`
    : undefined;

/** The interval typed in, or why the API would refuse it. */
export const intervalOf = (text: string): { readonly ok: true; readonly hours: number } | { readonly ok: false; readonly problem: string } => {
  const trimmed = text.trim();
  const hours = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  return hours >= 1 && hours <= MAX_INTERVAL_HOURS ? { ok: true, hours } : { ok: false, problem: `The interval is a whole number of hours from 1 to ${MAX_INTERVAL_HOURS} (90 days).` };
};

const EXPLAINED: Readonly<Record<string, string>> = {
  'tenant-suspended': 'the tenant is suspended: its policy changes once it is reinstated',
  'tenant-offboarded': 'the tenancy has ended: its policy takes no more changes',
};

/** A refusal of setCoveragePolicy: its code always, and the API's own words for it unless better ones are known. */
export const coverageRefusal = (code: string, message: string | null | undefined): string => {
  const meaning = EXPLAINED[code] ?? message ?? '';
  return `Refused (${code})${meaning ? `: ${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}` : ''}.`.replace(/\.\.$/, '.');
};
