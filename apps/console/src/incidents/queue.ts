// The queue's triage tools, pure: search over what an analyst remembers of an incident (its title,
// id, tenant, the resources it names), sorting by a column, grouping by guardrail or resource.
import type { QueueIncident } from '../api/operations';
import { resourceName, severityRank } from '../format';

/** What the queue's tools read of an incident (the queue's own rows carry more). */
export type QueueRow = Pick<QueueIncident, 'tenantId' | 'incidentId' | 'title' | 'severity' | 'status' | 'slaState' | 'assignee' | 'openedAt' | 'resourceKeys' | 'signals'>;

const SLA_RANK: Record<string, number> = { breached: 0, 'at-risk': 1, ok: 2 };
const STATUS_ORDER = ['new', 'triaged', 'responding', 'remediating', 'recovering', 'resolved', 'closed', 'merged'];

/** Breached SLAs first, then at risk; within each, the most severe; then the newest. */
export const queueOrder = (a: QueueRow, b: QueueRow): number =>
  (SLA_RANK[a.slaState] ?? 3) - (SLA_RANK[b.slaState] ?? 3) || severityRank(a.severity) - severityRank(b.severity) || b.openedAt.localeCompare(a.openedAt);

export const SORT_KEYS = ['sla', 'severity', 'opened', 'tenant', 'status', 'assignee', 'resource'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Direction = 'asc' | 'desc';

/** The resource an incident is about, by name (the first its signals name), and how many more. */
export const primaryResource = (row: QueueRow): { name: string; key: string; more: number } | undefined =>
  row.resourceKeys.length ? { name: resourceName(row.resourceKeys[0]), key: row.resourceKeys[0], more: row.resourceKeys.length - 1 } : undefined;

/** Every word must appear in the title, id, tenant (id or name), a resource key or the assignee; case does not matter. */
export const matchesSearch = (row: QueueRow, text: string, tenantName: (id: string) => string): boolean => {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [row.title, row.incidentId, row.tenantId, tenantName(row.tenantId), row.assignee ?? '', ...row.resourceKeys].join('\n').toLowerCase();
  return words.every((w) => haystack.includes(w));
};

const compare = (key: SortKey, tenantName: (id: string) => string) => (a: QueueRow, b: QueueRow): number => {
  switch (key) {
    case 'sla':
      return queueOrder(a, b);
    case 'severity':
      return severityRank(a.severity) - severityRank(b.severity);
    case 'opened':
      return b.openedAt.localeCompare(a.openedAt);
    case 'tenant':
      return tenantName(a.tenantId).localeCompare(tenantName(b.tenantId));
    case 'status':
      return STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status);
    case 'assignee':
      // the unassigned first: they are the ones waiting for someone
      return (a.assignee ?? '').localeCompare(b.assignee ?? '');
    case 'resource':
      return (primaryResource(a)?.name ?? '').localeCompare(primaryResource(b)?.name ?? '');
  }
};

/**
 * Sorted by the column, ties broken by queue order. "asc" is each column's natural reading order
 * (most urgent, most severe, newest, A to Z); "desc" reverses it.
 */
export const sortRows = <R extends QueueRow>(rows: readonly R[], key: SortKey, direction: Direction, tenantName: (id: string) => string): R[] => {
  const byKey = compare(key, tenantName);
  const sign = direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => sign * byKey(a, b) || queueOrder(a, b));
};

export type GroupBy = 'guardrail' | 'resource';

/**
 * Groups in order of their first row (so the most urgent group comes first), with counts. A
 * guardrail's group is named by the title of the signal that raised the incident: the incident's own
 * title names its resource too, so twenty resources would make twenty groups.
 */
export const groupRows = <R extends QueueRow>(rows: readonly R[], by: GroupBy): { key: string; label: string; rows: R[] }[] => {
  const groups = new Map<string, { key: string; label: string; rows: R[] }>();
  for (const row of rows) {
    const resource = primaryResource(row);
    const guardrail = row.signals[0]?.title ?? row.title;
    const key = by === 'guardrail' ? guardrail : (resource?.key ?? '(no resource)');
    const label = by === 'guardrail' ? guardrail : (resource?.name ?? 'No resource');
    const group = groups.get(key) ?? { key, label, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
};
