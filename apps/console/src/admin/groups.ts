// What the tenant groups pages compute, pure: ids as the domain accepts them, which tenants may
// still join, what a group assigns in words, whether the page (read models the worker updates)
// shows a change yet, where a member's assignment comes from, the domain's refusals in words, and
// the group's compliance across its members (now, and per day) as the page shows it.
import type { LineSeries } from '../charts/charts';
import { formatScore } from '../charts/scale';
import { formatDateTime } from '../format';
import type { GroupCompliancePoint, GroupControlCompliance, TenantGroup } from '../api/operations';

/** Mirrors libs/tenancy-contract GROUP_ID. */
const GROUP_ID = /^[a-z0-9][a-z0-9-]{0,29}$/;

/** A group's assignment ids stay within 28, so a member's (`grp-<group>-<id>`) stays within a tenant's 63 (libs/guardrails). */
export const GROUP_ASSIGNMENT_ID_LENGTH = 28;

export const isGroupId = (id: string): boolean => GROUP_ID.test(id);

/** The assignment id a member holds a group's assignment under (libs/guardrails memberAssignmentId). */
export const memberAssignmentId = (groupId: string, assignmentId: string): string => `grp-${groupId}-${assignmentId}`;

const INVALID_GROUP_ID = 'A group id takes lowercase letters, digits and dashes (not first), up to 30: it names the group for good.';
const LEAVE_REASON = "Say why it leaves, in 3 to 500 characters: the provider's trail keeps it.";

const GROUP_REFUSALS: Readonly<Record<string, (message: string | null) => string>> = {
  'invalid-group-id': () => INVALID_GROUP_ID,
  'group-exists': () => 'A group with this id exists already: choose another id, or open that group from the list.',
  'invalid-name': () => 'A group needs a name of 1 to 100 characters.',
  'description-too-long': () => 'A description takes at most 500 characters.',
  'unknown-group': () => 'There is no such group (yet): it is listed once the worker has recorded it.',
  'not-a-member': () => 'That tenant is not in the group (any more).',
  'reason-required': () => LEAVE_REASON,
  'tenant-not-found': () => 'No tenant was onboarded under that id.',
  'tenant-offboarded': () => 'That tenancy has ended: an offboarded tenant joins no group.',
  'tenant-suspended': () => 'That tenant is suspended: it joins a group once it is reinstated.',
  'unknown-baseline': () => "There is no such baseline, standard or library artifact: a group is offered Rampart's baselines, Azure's standards and the provider's library, never a tenant's own.",
  'duplicate-assignment': () => 'The group has an assignment with this id already: choose another id.',
  'invalid-assignment-id': () => `A group's assignment id takes lowercase letters, digits and dashes, up to ${GROUP_ASSIGNMENT_ID_LENGTH}.`,
  'invalid-scope': () => 'The scope is *, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>.',
  'invalid-parameters': (m) => `A parameter value does not fit${m ? ` (${m})` : ''}: nothing was assigned.`,
  'unknown-parameter': (m) => `${m ? `Refused: ${m}` : 'Refused: a parameter it does not take'}. Leave that one out.`,
  'unknown-guardrail': (m) => `${m ? `Refused: ${m}` : 'Refused: a guardrail it does not hold'}. Parameters per guardrail name the baseline's own guardrails.`,
  'not-an-initiative': () => 'Initiative parameters are for a standard or a library initiative only.',
  'unknown-assignment': () => 'The group has no such assignment (any more).',
};

/** A refusal of a group change, as a person reads it. */
export const groupRefusal = (code: string, message: string | null): string => GROUP_REFUSALS[code]?.(message) ?? `Refused (${code})${message ? `: ${message}` : ''}`;

/** What the form says before anything is sent (the API decides again). */
export const groupIdProblem = (id: string): string | undefined => (isGroupId(id) ? undefined : INVALID_GROUP_ID);

/** Mirrors the domain's bound on the reason a tenant leaves. */
export const leaveReasonProblem = (reason: string): string | undefined => {
  const length = reason.trim().length;
  return length >= 3 && length <= 500 ? undefined : LEAVE_REASON;
};

/** The tenants that may still join: known to the admin, not offboarded, not members yet; by name. */
export const joinableTenants = <T extends { readonly tenantId: string; readonly displayName: string; readonly status: string }>(
  tenants: Iterable<T>,
  group: Pick<TenantGroup, 'members'>,
): T[] => {
  const members = new Set(group.members.map((m) => m.tenantId));
  return [...tenants].filter((t) => t.status !== 'offboarded' && !members.has(t.tenantId)).sort((a, b) => a.displayName.localeCompare(b.displayName) || a.tenantId.localeCompare(b.tenantId));
};

/** What a group assigns, one line each: the baseline's title, and its scope when not the whole tenant. */
export const assignsLines = (group: Pick<TenantGroup, 'assignments'>, titleOf: (baselineId: string) => string): string[] =>
  [...group.assignments].sort((a, b) => a.assignmentId.localeCompare(b.assignmentId)).map((a) => `${titleOf(a.baselineId)}${a.scope === '*' ? '' : ` (${a.scope})`}`);

export const membersText = (count: number): string => `${count} member${count === 1 ? '' : 's'}`;

/** A change the page waits to see: the worker updates the group's list and members after it is recorded. */
export type GroupChange =
  | { readonly kind: 'created' }
  | { readonly kind: 'joined' | 'left'; readonly tenantId: string }
  | { readonly kind: 'assigned' | 'unassigned'; readonly assignmentId: string };

/** Whether the group as read shows the change (undefined: the group is not listed yet). */
export const groupShows = (group: Pick<TenantGroup, 'members' | 'assignments'> | null | undefined, change: GroupChange): boolean => {
  if (!group) return false;
  switch (change.kind) {
    case 'created':
      return true;
    case 'joined':
    case 'left':
      return group.members.some((m) => m.tenantId === change.tenantId) === (change.kind === 'joined');
    case 'assigned':
    case 'unassigned':
      return group.assignments.some((a) => a.assignmentId === change.assignmentId) === (change.kind === 'assigned');
  }
};

/** Where a member's assignment comes from: the group by name when known (platform admins read the groups), else by id. */
export const groupOrigin = (groupId: string, names?: ReadonlyMap<string, string>): string => {
  const name = names?.get(groupId);
  return name && name !== groupId ? `from group ${name} (${groupId})` : `from group ${groupId}`;
};

/** The days the group's compliance series covers, up to now. */
export const GROUP_SERIES_DAYS = 28;

export const groupSeriesWindow = (end: number): { from: string; to: string } => ({ from: new Date(end - GROUP_SERIES_DAYS * 86_400_000).toISOString(), to: new Date(end).toISOString() });

/** The group's non-compliant resource/guardrail pairs at a point, summed over the members counted then; null before any had joined. */
export const groupNonCompliant = (point: GroupCompliancePoint): number | null =>
  point.compliance.members.length === 0 ? null : point.compliance.members.reduce((sum, m) => sum + m.nonCompliant, 0);

/**
 * The series' points (the ends of whole days) up to `end`, closed by the group's compliance now, so
 * the day so far shows too (and a group whose members joined today is not empty).
 */
export const groupSeriesUntilNow = (points: readonly GroupCompliancePoint[], now: GroupCompliancePoint['compliance'], end: number): GroupCompliancePoint[] => [
  ...points.filter((p) => Date.parse(p.at) < end),
  { at: new Date(end).toISOString(), compliance: now },
];

/** The line to draw: the group's non-compliant pairs per day. */
export const groupNonCompliantLine = (points: readonly GroupCompliancePoint[]): LineSeries => ({
  key: 'non-compliant',
  label: 'Non-compliant pairs',
  points: points.map((p) => ({ x: Date.parse(p.at), y: groupNonCompliant(p) })),
});

/** A member's score as a percentage; a dash when nothing applicable was evaluated. */
export const memberScoreText = (score: number | null): string => (score === null ? '—' : formatScore(score));

/** A count, or a dash where there is none (a day before any member had joined). */
export const countText = (count: number | null): string => (count === null ? '—' : String(count));

/** In how many members a control fails, of those it is evaluated in. */
export const failingInText = (control: Pick<GroupControlCompliance, 'failingTenants' | 'tenants'>): string => `${control.failingTenants} of ${membersText(control.tenants)}`;

/** What the series shows, for the chart's description: the last day with members, and the worst. */
export const groupSeriesSummary = (points: readonly GroupCompliancePoint[]): string => {
  const counted = points.map((p) => ({ at: p.at, count: groupNonCompliant(p) })).filter((p): p is { at: string; count: number } => p.count !== null);
  if (counted.length === 0) return 'No member was in the group in this period.';
  const last = counted[counted.length - 1];
  const worst = counted.reduce((a, b) => (b.count > a.count ? b : a));
  const pairs = (n: number) => `${n} non-compliant pair${n === 1 ? '' : 's'}`;
  return `${pairs(last.count)} across the members at ${formatDateTime(last.at)}; the most was ${pairs(worst.count)}, at ${formatDateTime(worst.at)}.`;
};
