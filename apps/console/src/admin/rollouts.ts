// What the staged rollout pages compute, pure: ids as the domain accepts them (and the defaults the
// form suggests), the rings a plan sends — a canary set, then "the rest" as `*` so a tenant joining
// the group before the plan is recorded is not left out — and which tenants each reaches, the
// what-if in one sentence, where a rollout stands ring by ring, and the domain's refusals in words.
import type { Rollout, RolloutRing, RolloutTenantWhatIf } from '../api/operations';
import { formatDateTime } from '../format';
import { groupRefusal } from './groups';

/** Mirrors libs/guardrails: `rol-<rollout>-<assignment>` stays within a tenant assignment id's 63. */
export const ROLLOUT_ID_LENGTH = 24;
export const ROLLOUT_ASSIGNMENT_ID_LENGTH = 28;
export const RING_NAME_LENGTH = 31;
/** The API's RolloutRingInput: a ring of just this is every member the other rings do not name. */
export const REST_OF_GROUP = '*';

const idPattern = (length: number) => new RegExp(`^[a-z0-9][a-z0-9-]{0,${length - 1}}$`);
export const isRolloutId = (id: string): boolean => idPattern(ROLLOUT_ID_LENGTH).test(id);
export const isRolloutAssignmentId = (id: string): boolean => idPattern(ROLLOUT_ASSIGNMENT_ID_LENGTH).test(id);

/** The assignment id each tenant holds the rollout's baseline under (libs/guardrails rolloutAssignmentId). */
export const heldAs = (rolloutId: string, assignmentId: string): string => `rol-${rolloutId}-${assignmentId}`;

const slug = (s: string) =>
  s
    .replace(/^lib-(definition|initiative):/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * The rollout id the form suggests: the baseline's (a library artifact's name without its prefix),
 * numbered when taken; room is left for the number.
 */
export const rolloutIdFor = (baselineId: string, taken: readonly string[]): string => {
  const base = slug(baselineId).slice(0, ROLLOUT_ID_LENGTH - 3).replace(/-+$/, '') || 'rollout';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
};

/** The assignment id the form suggests: the baseline's, as the tenants' policies will list it. */
export const rolloutAssignmentIdFor = (baselineId: string): string => slug(baselineId).slice(0, ROLLOUT_ASSIGNMENT_ID_LENGTH).replace(/-+$/, '') || 'baseline';

export interface RingInput {
  readonly name: string;
  readonly tenants: readonly string[];
}

export const CANARY_RING = 'canary';
export const REST_RING = 'rest';
/** The one ring of a rollout without a canary. */
export const ALL_RING = 'all';

/**
 * The rings a plan sends: the canary tenants picked (members only, once each, in the members'
 * order), then every other member as `*`. No canary: one ring of all; a canary of every member: that
 * ring alone (the domain refuses a ring that reaches nobody).
 */
export const buildRings = (canary: readonly string[], members: readonly string[]): RingInput[] => {
  const picked = new Set(canary);
  const first = members.filter((m, i) => picked.has(m) && members.indexOf(m) === i);
  if (first.length === 0) return [{ name: ALL_RING, tenants: [REST_OF_GROUP] }];
  if (first.length === new Set(members).size) return [{ name: CANARY_RING, tenants: first }];
  return [
    { name: CANARY_RING, tenants: first },
    { name: REST_RING, tenants: [REST_OF_GROUP] },
  ];
};

/** Which members each ring reaches, `*` read as the API reads it (the members no other ring names, sorted). */
export const resolveRings = (rings: readonly RingInput[], members: readonly string[]): RingInput[] => {
  const named = new Set(rings.flatMap((r) => r.tenants.filter((t) => t !== REST_OF_GROUP)));
  const rest = [...new Set(members)].filter((m) => !named.has(m)).sort();
  return rings.map((r) => (r.tenants.length === 1 && r.tenants[0] === REST_OF_GROUP ? { name: r.name, tenants: rest } : r));
};

/** The rings in words, each with the members it reaches: "Ring 1 · rest: every other member — Fabrikam Retail (fabrikam-retail)". */
export const ringPreview = (rings: readonly RingInput[], members: readonly string[], nameOf: (tenantId: string) => string): string[] => {
  const reach = resolveRings(rings, members);
  return rings.map((r, i) => {
    const rest = r.tenants.length === 1 && r.tenants[0] === REST_OF_GROUP;
    return `Ring ${i} · ${r.name}: ${rest ? `${i === 0 ? 'every member' : 'every other member'} — ` : ''}${tenantsText(reach[i].tenants, nameOf)}`;
  });
};

/**
 * The canary the form picks first: with two members or more, the one the baseline would trouble
 * least now (fewest breaches and errors, then the fewest ever), so the first ring tests the rollout
 * without being the noisiest; with one member, none (one ring of all).
 */
export const suggestedCanary = (whatIf: readonly RolloutTenantWhatIf[]): string[] => {
  if (whatIf.length < 2) return [];
  const [least] = [...whatIf].sort(
    (a, b) => a.nonCompliantNow + a.errors - (b.nonCompliantNow + b.errors) || a.nonCompliantEver - b.nonCompliantEver || a.tenantId.localeCompare(b.tenantId),
  );
  return [least.tenantId];
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The what-if in one sentence: over how many tenants, what breaks it now and where, what ever did, what could not be judged. */
export const rolloutWhatIfSummary = (rows: readonly RolloutTenantWhatIf[]): string => {
  if (rows.length === 0) return 'The group has no member: there is nothing to replay it over';
  const now = rows.reduce((sum, r) => sum + r.nonCompliantNow, 0);
  const ever = rows.reduce((sum, r) => sum + r.nonCompliantEver, 0);
  const errors = rows.reduce((sum, r) => sum + r.errors, 0);
  const breakingNow = rows.filter((r) => r.nonCompliantNow > 0).length;
  const refusedIn = rows.filter((r) => (r.refused?.length ?? 0) > 0).length;
  return [
    `Replayed over the recorded history of ${plural(rows.length, 'tenant')}`,
    now === 0 ? 'nothing would break it now' : `${plural(now, 'resource')} in ${plural(breakingNow, 'tenant')} would break it now`,
    ...(ever > now ? [`${plural(ever, 'resource')} broke it at some point`] : []),
    ...(errors ? [`${plural(errors, 'resource')} could not be evaluated`] : []),
    ...(refusedIn ? [`some guardrails could not be replayed in ${plural(refusedIn, 'tenant')} (see why)`] : []),
  ].join('; ');
};

/** When the tenant's earliest breach began, or that it never broke it. */
export const whatIfSinceText = (row: Pick<RolloutTenantWhatIf, 'since' | 'nonCompliantEver'>): string => (row.since ? formatDateTime(row.since) : row.nonCompliantEver ? '—' : 'never broken');

/** The ring that goes in next, unless the rollout is complete or rolled back. */
export const nextRing = (rollout: Pick<Rollout, 'status' | 'rings'>): RolloutRing | undefined =>
  rollout.status === 'rolled-back' || rollout.status === 'complete' ? undefined : rollout.rings.find((r) => !r.approved);

export type RingState = 'in' | 'next' | 'waiting' | 'taken-back' | 'never-in';

/** Where one ring stands: in (its tenants hold it), next to decide, waiting its turn; after a rollback, taken back or never in. */
export const ringState = (rollout: Pick<Rollout, 'status' | 'rings'>, ring: Pick<RolloutRing, 'index' | 'approved'>): RingState => {
  if (rollout.status === 'rolled-back') return ring.approved ? 'taken-back' : 'never-in';
  if (ring.approved) return 'in';
  return nextRing(rollout)?.index === ring.index ? 'next' : 'waiting';
};

/** A ring state as a badge: the text says it, the colour repeats it. */
export const RING_STATE_BADGES: Readonly<Record<RingState, { readonly value: string; readonly label: string }>> = {
  in: { value: 'active', label: 'in' },
  next: { value: 'pending', label: 'next to approve' },
  waiting: { value: 'neutral', label: 'waiting' },
  'taken-back': { value: 'neutral', label: 'taken back' },
  'never-in': { value: 'neutral', label: 'never went in' },
};

/** A rollout's status as a badge. */
export const rolloutStatusBadge = (status: string): { readonly value: string; readonly label: string } => {
  switch (status) {
    case 'planned':
      return { value: 'pending', label: 'planned' };
    case 'rolling-out':
      return { value: 'running', label: 'rolling out' };
    case 'complete':
      return { value: 'active', label: 'complete' };
    case 'rolled-back':
      return { value: 'neutral', label: 'rolled back' };
    default:
      return { value: 'neutral', label: status };
  }
};

/** The rings of a rollout in one line each, for the list: `0 · canary (1 tenant): in`. */
export const ringLines = (rollout: Pick<Rollout, 'status' | 'rings'>): string[] =>
  rollout.rings.map((r) => `${r.index} · ${r.name} (${plural(r.tenants.length, 'tenant')}): ${RING_STATE_BADGES[ringState(rollout, r)].label}`);

/** The tenants a ring reaches, by name: "Contoso Bank (contoso-bank) and Fabrikam Retail (fabrikam-retail)". */
export const tenantsText = (tenants: readonly string[], nameOf: (tenantId: string) => string): string => {
  const named = tenants.map((t) => (nameOf(t) === t ? t : `${nameOf(t)} (${t})`));
  return named.length <= 1 ? (named[0] ?? 'no tenant') : `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`;
};

/** The button that approves a ring, and its confirmation's label: "Approve ring 0: canary". */
export const approveLabel = (ring: Pick<RolloutRing, 'index' | 'name'>): string => `Approve ring ${ring.index}: ${ring.name}`;

/** Mirrors the domain's bound on a rollback's reason (it is kept, trimmed, for customers and auditors). */
export const rollbackReasonProblem = (reason: string): string | undefined => {
  const length = reason.trim().length;
  return length === 0 ? ROLLBACK_REASON : length > 2_000 ? 'A reason takes at most 2,000 characters.' : undefined;
};
const ROLLBACK_REASON = 'Say why it is rolled back: the customers and the auditors read it.';

const ROLLOUT_REFUSALS: Readonly<Record<string, (message: string | null) => string>> = {
  'duplicate-rollout': () => 'A rollout with this id exists already: choose another id.',
  'invalid-rollout-id': () => `A rollout id takes lowercase letters, digits and dashes (not first), up to ${ROLLOUT_ID_LENGTH}.`,
  'invalid-assignment-id': () => `The assignment id takes lowercase letters, digits and dashes (not first), up to ${ROLLOUT_ASSIGNMENT_ID_LENGTH}.`,
  'invalid-rings': (m) => `The rings do not fit${m ? `: ${m}` : ''}.`,
  'not-a-member': (m) => (m ? `${m.charAt(0).toUpperCase()}${m.slice(1)}.` : 'A tenant named in a ring is not a member of the group.'),
  'unknown-group': () => 'There is no such tenant group.',
  'unknown-rollout': () => 'There is no such rollout.',
  'rolled-back': (m) => `It is rolled back already${m ? ` (${m})` : ''}: nothing more goes in.`,
  'rollout-complete': () => 'Every ring is in already.',
  'ring-out-of-order': (m) => `Rings go in in order${m ? `: ${m}` : ''}.`,
  'reason-required': () => ROLLBACK_REASON,
  'reason-too-long': () => 'A reason takes at most 2,000 characters.',
};

/** A refusal of a rollout change in words, with its code so it can be quoted (the group's words for what a group assignment shares). */
export const rolloutRefusal = (code: string, message: string | null): string => {
  const words = ROLLOUT_REFUSALS[code]?.(message) ?? groupRefusal(code, message);
  return words.startsWith('Refused (') ? words : `${words} (${code})`;
};
