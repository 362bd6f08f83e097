// Four-eyes for the provider's policy library. The library policy (one stream in the provider's
// scope) says whether a change needs a second person; when it does, an import is recorded as a
// proposal holding exactly what it would publish, and takes effect only when someone other than the
// proposer approves it before it expires, and only if the artifacts it changes are still at the
// versions it was planned against. Turning approval off is itself such a change: one person alone
// cannot switch the rule off and then act alone.
import { PROVIDER_SCOPE, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { LibraryChangeEvent, LibraryPolicySet, ProposedLibraryArtifact } from '../events';
import type { LibraryCommand } from './library';

/** How long a proposal waits for its second person. */
export const LIBRARY_CHANGE_TTL_DAYS = 7;
const CHANGE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const libraryPolicyStreamId = (): string => streamIdFor(PROVIDER_SCOPE, 'policy-settings', 'library');
export const libraryChangeStreamId = (changeId: string): string => streamIdFor(PROVIDER_SCOPE, 'policy-change', changeId);

// ---- the library policy ---------------------------------------------------------------------

export interface LibraryPolicy {
  readonly approvalRequired: boolean;
}

export type LibraryPolicyCommand = {
  readonly kind: 'SetLibraryPolicy';
  readonly approvalRequired: boolean;
  /** Set only when an approved change applies it: what turning approval off takes. */
  readonly approvedChangeId?: string;
};

export const libraryPolicyDecider: Decider<LibraryPolicyCommand, LibraryPolicy, LibraryPolicySet> = {
  initialState: () => ({ approvalRequired: false }),
  evolve: (_state, event) => ({ approvalRequired: event.data.approvalRequired }),
  decide: (command, state) => {
    if (command.approvalRequired === state.approvalRequired) return [];
    if (!command.approvalRequired && !command.approvedChangeId) {
      return reject('approval-required', 'library changes need a second person: turning that off is a change a second person approves');
    }
    return [{ type: 'guardrails.LibraryPolicySet.v1', data: { approvalRequired: command.approvalRequired } }];
  },
};

// ---- a proposed change ----------------------------------------------------------------------

export type LibraryChangeStatus = 'none' | 'proposed' | 'approved' | 'applied' | 'rejected';

export interface LibraryChange {
  readonly changeId: string | null;
  readonly status: LibraryChangeStatus;
  readonly proposedBy: string | null;
  readonly expiresAt: string | null;
  readonly artifacts: readonly ProposedLibraryArtifact[];
  readonly policy: { readonly approvalRequired: boolean } | null;
  readonly decidedBy: string | null;
  readonly reason: string | null;
  readonly recorded: number | null;
}

export type LibraryChangeCommand =
  | {
      readonly kind: 'ProposeLibraryChange';
      readonly changeId: string;
      readonly proposedBy: string;
      readonly artifacts: readonly ProposedLibraryArtifact[];
      readonly policy?: { readonly approvalRequired: boolean };
      readonly now: Date;
    }
  | {
      readonly kind: 'ApproveLibraryChange';
      readonly approvedBy: string;
      readonly now: Date;
      /** Artifacts the library no longer holds at the proposal's basis version, found by the caller. */
      readonly moved: readonly string[];
    }
  | { readonly kind: 'RecordLibraryChangeApplied'; readonly recorded: number }
  | { readonly kind: 'RejectLibraryChange'; readonly rejectedBy: string; readonly reason: string };

const sameperson = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const initial = (): LibraryChange => ({ changeId: null, status: 'none', proposedBy: null, expiresAt: null, artifacts: [], policy: null, decidedBy: null, reason: null, recorded: null });

const evolve = (state: LibraryChange, event: LibraryChangeEvent): LibraryChange => {
  switch (event.type) {
    case 'guardrails.LibraryChangeProposed.v1':
      return { ...state, changeId: event.data.changeId, status: 'proposed', proposedBy: event.data.proposedBy, expiresAt: event.data.expiresAt, artifacts: event.data.artifacts, policy: event.data.policy ?? null };
    case 'guardrails.LibraryChangeApproved.v1':
      return { ...state, status: 'approved', decidedBy: event.data.approvedBy };
    case 'guardrails.LibraryChangeApplied.v1':
      return { ...state, status: 'applied', recorded: event.data.recorded };
    case 'guardrails.LibraryChangeRejected.v1':
      return { ...state, status: 'rejected', decidedBy: event.data.rejectedBy, reason: event.data.reason };
    default:
      return state;
  }
};

const decide = (command: LibraryChangeCommand, state: LibraryChange): Decision<LibraryChangeEvent> => {
  if (command.kind === 'ProposeLibraryChange') {
    if (state.status !== 'none') return reject('change-exists', `change ${command.changeId} exists`);
    if (!CHANGE_ID.test(command.changeId)) return reject('invalid-change-id', 'lowercase letters, digits and dashes, up to 63');
    if (command.artifacts.length === 0 && !command.policy) return reject('nothing-to-change', 'the change publishes nothing and sets no policy');
    const expiresAt = new Date(command.now.getTime() + LIBRARY_CHANGE_TTL_DAYS * 86_400_000).toISOString();
    return [
      {
        type: 'guardrails.LibraryChangeProposed.v1',
        data: { changeId: command.changeId, proposedBy: command.proposedBy, expiresAt, artifacts: [...command.artifacts], ...(command.policy ? { policy: { ...command.policy } } : {}) },
      },
    ];
  }
  if (state.status === 'none' || !state.changeId) return reject('unknown-change');
  const changeId = state.changeId;
  switch (command.kind) {
    case 'ApproveLibraryChange': {
      // approved already (a retry after a crash between approving and applying): nothing new
      if (state.status === 'approved' || state.status === 'applied') return [];
      if (state.status !== 'proposed') return reject('change-not-proposed', `it was ${state.status}`);
      if (state.expiresAt && command.now.getTime() >= Date.parse(state.expiresAt)) return reject('proposal-expired', `it expired at ${state.expiresAt}, unapproved; propose it again`);
      if (sameperson(command.approvedBy, state.proposedBy ?? '')) return reject('approver-must-differ', 'a library change needs a second person: the approver cannot be the proposer');
      if (command.moved.length) return reject('library-changed', `the library changed since it was proposed (${command.moved.join(', ')}): propose it again`);
      return [{ type: 'guardrails.LibraryChangeApproved.v1', data: { changeId, approvedBy: command.approvedBy } }];
    }
    case 'RecordLibraryChangeApplied':
      if (state.status === 'applied') return [];
      if (state.status !== 'approved') return reject('change-not-approved', `it is ${state.status}`);
      return [{ type: 'guardrails.LibraryChangeApplied.v1', data: { changeId, recorded: command.recorded } }];
    case 'RejectLibraryChange': {
      if (state.status !== 'proposed') return reject('change-not-proposed', `it is ${state.status}`);
      const reason = command.reason.trim();
      if (reason.length < 3 || reason.length > 500) return reject('reason-required', 'say why, in 3-500 characters');
      return [{ type: 'guardrails.LibraryChangeRejected.v1', data: { changeId, rejectedBy: command.rejectedBy, reason } }];
    }
  }
};

export const libraryChangeDecider: Decider<LibraryChangeCommand, LibraryChange, LibraryChangeEvent> = { decide, evolve, initialState: initial };

/** What applying a proposed artifact runs: the same library command an import would. */
export const publishCommandOf = (artifact: ProposedLibraryArtifact): LibraryCommand =>
  artifact.kind === 'definition'
    ? { kind: 'PublishDefinition', name: artifact.name, definition: artifact.content, source: artifact.source }
    : { kind: 'PublishInitiative', name: artifact.name, initiative: artifact.content, members: artifact.members ?? [], source: artifact.source };
