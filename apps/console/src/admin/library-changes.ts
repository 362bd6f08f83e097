// The provider's library under four-eyes, as the library page shows it: whether a change needs a
// second person, which proposed changes wait for one and what each would publish, what became of
// the others, and the domain's refusals in words (the API decides; the page says why).
import type { LibraryChange, PolicyImportPlan, ProposedLibraryArtifact } from '../api/operations';
import { formatDateTime } from '../format';
import { PROVIDER_LIBRARY, trailOf, type LibraryScope } from './library-scope';

/** How many decided changes the page lists (the provider's trail keeps them all). */
export const HISTORY_LENGTH = 10;

const LIBRARY_REFUSALS: Readonly<Record<string, (message: string | null) => string>> = {
  'approver-must-differ': () => 'You proposed it: someone else approves it.',
  'proposal-expired': () => 'It expired unapproved: nothing of it was published. Import the folder again to propose it anew.',
  'library-changed': (m) => `Not published: ${m ?? 'the library changed since it was proposed'}. Import the folder again to propose it anew.`,
  'held-by-initiative': (m) => `Not retired: ${m ?? 'an initiative of the library holds it'}.`,
  'already-retired': () => 'It is retired already.',
  'reason-required': () => "Say why, in 3 to 500 characters: the provider's trail keeps it.",
};

/** A refusal of a library change or retirement, as a person reads it. */
export const libraryRefusal = (code: string, message: string | null): string => LIBRARY_REFUSALS[code]?.(message) ?? `Refused (${code})${message ? `: ${message}` : ''}`;

/** Mirrors the API's bound on the reason of a rejection or a retirement. */
export const reasonProblem = (reason: string, scope: LibraryScope = PROVIDER_LIBRARY): string | undefined => {
  const length = reason.trim().length;
  return length >= 3 && length <= 500 ? undefined : `Say why, in 3 to 500 characters: ${trailOf(scope)} keeps it.`;
};

/** Still waiting for a second person: proposed, and not past its expiry. */
export const isWaiting = (change: LibraryChange): boolean => change.status === 'proposed' && !change.expired;

/** The changes waiting, oldest first: the one that expires first is the one to look at first. */
export const waitingChanges = (changes: readonly LibraryChange[]): LibraryChange[] => changes.filter(isWaiting).sort((a, b) => a.proposedAt.localeCompare(b.proposedAt));

/** What became of the others (decided, or expired unapproved), newest first, the latest few. */
export const decidedChanges = (changes: readonly LibraryChange[], length = HISTORY_LENGTH): LibraryChange[] =>
  changes
    .filter((c) => !isWaiting(c))
    .sort((a, b) => (b.decidedAt ?? b.expiresAt).localeCompare(a.decidedAt ?? a.expiresAt))
    .slice(0, length);

/** The library policy a change sets, in words; undefined when it sets none. */
export const policyLine = (change: Pick<LibraryChange, 'approvalRequired'>): string | undefined =>
  change.approvalRequired === null ? undefined : change.approvalRequired ? 'require a second person for each library change' : 'stop requiring a second person for library changes';

/** One artifact a change publishes: `change definition Deny-Sql-minTLS v3`. */
export const artifactLine = (a: Pick<ProposedLibraryArtifact, 'action' | 'kind' | 'name' | 'version'>): string => `${a.action} ${a.kind} ${a.name} v${a.version}`;

/** What a change publishes once approved, one line each: the library policy it sets, then its artifacts. */
export const publishedLines = (change: LibraryChange): string[] => {
  const policy = policyLine(change);
  return [...(policy ? [policy] : []), ...change.artifacts.map(artifactLine)];
};

/** What became of a decided change, in words. */
export const changeOutcome = (change: LibraryChange): string => {
  switch (change.status) {
    case 'applied':
      return change.artifacts.length === 0
        ? 'approved and in force'
        : `published ${change.recorded ?? 0} of ${change.artifacts.length}${change.recorded === change.artifacts.length ? '' : ' (the rest the library held already)'}`;
    case 'approved':
      return 'approved, being published';
    case 'rejected':
      return change.reason ? `rejected: ${change.reason}` : 'rejected';
    default:
      return change.expired ? `expired unapproved on ${formatDateTime(change.expiresAt)}` : change.status;
  }
};

/** The sentence after a change was approved. */
export const approvedMessage = (change: LibraryChange): string =>
  change.approvalRequired === false && change.artifacts.length === 0
    ? `Change ${change.changeId} approved: library changes no longer need a second person.`
    : `Change ${change.changeId} approved and published: ${change.recorded ?? 0} new version${change.recorded === 1 ? '' : 's'} in the library; tenants that follow them adopt them.`;

/** The sentence after a change was rejected, or withdrawn by its proposer. */
export const rejectedMessage = (change: LibraryChange, withdrawn: boolean): string =>
  `Change ${change.changeId} ${withdrawn ? 'withdrawn' : 'rejected'}: nothing of it was published.`;

/** A proposal to stop requiring a second person is waiting: proposing another would only add to the queue. */
export const turningOffProposed = (changes: readonly LibraryChange[]): LibraryChange | undefined =>
  changes.find((c) => isWaiting(c) && c.approvalRequired === false);

/** The sentence after the library policy was set: in force, or proposed for someone else to approve. */
export const policySetMessage = (result: { readonly approvalRequired: boolean; readonly proposedChangeId: string | null }): string =>
  result.proposedChangeId
    ? `Proposed as change ${result.proposedChangeId}: a second person stays required until another platform admin approves turning it off.`
    : result.approvalRequired
      ? 'A second person is now required: each library change is proposed, and published once another platform admin approves it.'
      : 'Library changes are published at once again.';

/** What applying an import did: recorded, proposed for a second person (the provider's), or nothing because something is refused. */
export const importOutcome = (
  plan: Pick<PolicyImportPlan, 'applied' | 'recorded' | 'proposedChangeId'>,
  scope: LibraryScope = PROVIDER_LIBRARY,
): { ok: boolean; message: string; recorded: boolean } => {
  if (plan.proposedChangeId) {
    return {
      ok: true,
      recorded: false,
      message: `Proposed as change ${plan.proposedChangeId}, waiting for another platform admin: nothing is published until someone else approves it.`,
    };
  }
  if (plan.applied) {
    const where = scope.owner === 'provider' ? 'the library' : "the tenant's own library";
    return { ok: true, recorded: true, message: `Recorded ${plan.recorded} in ${where}; ${trailOf(scope)} shows each version.` };
  }
  return { ok: false, recorded: false, message: 'Nothing was recorded: the plan refuses something (see the table).' };
};
