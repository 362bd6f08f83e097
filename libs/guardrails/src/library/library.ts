// One policy library artifact (a custom definition or initiative), one stream each in the provider's
// scope: `t-provider:library-definition-<name>`. Publishing new content makes a new version; the old
// ones stay in the stream, readable for history and as-of. Publishing the same content again changes
// nothing, so an import can be run again and again. Retiring keeps the history; publishing after it
// brings the artifact back as a new version. An initiative's version also fixes the version of each
// library definition it holds: a member's new version is a new version of the initiative.
import { PROVIDER_SCOPE, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { LibraryEvent, LibraryMemberRef } from '../events';
import { compilePolicy } from '../rule-engine/policy';
import { contentSha256, displayNameOf, extensionOf, initiativeMembersOf, isValidArtifactName, type ArtifactKind } from './artifacts';

export interface LibraryArtifactState {
  readonly name: string | null;
  readonly version: number;
  readonly sha256: string | null;
  readonly retired: boolean;
  /** An initiative's members and the definition versions they evaluate (membersKey), null for a definition. */
  readonly members: string | null;
}

/** What an initiative version evaluates besides its content: each member's definition, and its version. */
export const membersKey = (members: readonly LibraryMemberRef[]): string =>
  members.map((m) => `${m.referenceId.toLowerCase()}=${m.source}:${m.name.toLowerCase()}@${m.version ?? ''}`).join('|');

export type LibraryCommand =
  | { readonly kind: 'PublishDefinition'; readonly name: string; readonly definition: Record<string, unknown>; readonly source: string }
  | {
      readonly kind: 'PublishInitiative';
      readonly name: string;
      readonly initiative: Record<string, unknown>;
      /** Every member resolved by the caller, which sees the rest of the library and Azure's built-ins. */
      readonly members: readonly LibraryMemberRef[];
      readonly source: string;
    }
  | {
      readonly kind: 'RetireArtifact';
      readonly artifactKind: ArtifactKind;
      readonly name: string;
      readonly reason: string;
      /** For a definition: the live initiatives that hold it, found by the caller, which sees the whole library. */
      readonly heldBy?: readonly string[];
    };

/** One stream per artifact, in the provider's scope or, for a tenant's own library, the tenant's. */
export const libraryStreamId = (kind: ArtifactKind, name: string, scope: string = PROVIDER_SCOPE): string => streamIdFor(scope, `library-${kind}`, name.toLowerCase());

const initial = (): LibraryArtifactState => ({ name: null, version: 0, sha256: null, retired: false, members: null });

const evolve = (state: LibraryArtifactState, event: LibraryEvent): LibraryArtifactState => {
  switch (event.type) {
    case 'guardrails.LibraryDefinitionPublished.v1':
      return { name: event.data.name, version: event.data.version, sha256: event.data.sha256, retired: false, members: null };
    case 'guardrails.LibraryInitiativePublished.v1':
      return { name: event.data.name, version: event.data.version, sha256: event.data.sha256, retired: false, members: membersKey(event.data.members) };
    case 'guardrails.LibraryArtifactRetired.v1':
      return { ...state, retired: true };
    default:
      return state;
  }
};

/** Unchanged content (and, for an initiative, members' versions) of a live artifact: nothing to record. */
const unchanged = (state: LibraryArtifactState, sha256: string, members: string | null = null): boolean =>
  state.version > 0 && !state.retired && state.sha256 === sha256 && state.members === members;

const decide = (command: LibraryCommand, state: LibraryArtifactState): Decision<LibraryEvent> => {
  if (!isValidArtifactName(command.name)) return reject('invalid-name', 'up to 128 characters, none of <>*%&:\\?.+/ and no spaces');
  switch (command.kind) {
    case 'PublishDefinition': {
      const compiled = compilePolicy(command.definition);
      if (!compiled.ok) {
        const where = compiled.refusal.path ? ` (at ${compiled.refusal.path})` : '';
        return reject('invalid-definition', `${compiled.refusal.message}${where}`);
      }
      const extension = extensionOf({ kind: 'definition', name: command.name, content: command.definition, at: '' });
      if ('problems' in extension) return reject('invalid-extension', extension.problems.join('; '));
      const sha256 = contentSha256(command.definition);
      if (unchanged(state, sha256)) return [];
      return [
        {
          type: 'guardrails.LibraryDefinitionPublished.v1',
          data: {
            name: command.name,
            version: state.version + 1,
            sha256,
            displayName: displayNameOf({ kind: 'definition', name: command.name, content: command.definition, at: '' }),
            mode: compiled.policy.mode,
            effects: [...compiled.policy.effects],
            extension: extension.extension,
            definition: command.definition,
            source: command.source,
          },
        },
      ];
    }
    case 'PublishInitiative': {
      const artifact = { kind: 'initiative' as const, name: command.name, content: command.initiative, at: '' };
      const shape = initiativeMembersOf(artifact);
      if (shape.problems.length) return reject('invalid-initiative', shape.problems.join('; '));
      const resolved = new Map(command.members.map((m) => [m.referenceId.toLowerCase(), m]));
      const missing = shape.members.filter((m) => !resolved.has(m.referenceId.toLowerCase()));
      if (missing.length) return reject('unresolved-member', `members not resolved: ${missing.map((m) => m.referenceId).join(', ')}`);
      const sha256 = contentSha256(command.initiative);
      const members = shape.members.map((m) => resolved.get(m.referenceId.toLowerCase()) as LibraryMemberRef);
      if (unchanged(state, sha256, membersKey(members))) return [];
      return [
        {
          type: 'guardrails.LibraryInitiativePublished.v1',
          data: {
            name: command.name,
            version: state.version + 1,
            sha256,
            displayName: displayNameOf(artifact),
            members,
            initiative: command.initiative,
            source: command.source,
          },
        },
      ];
    }
    case 'RetireArtifact': {
      if (state.version === 0) return reject('unknown-artifact', `the library has no ${command.artifactKind} ${command.name}`);
      if (state.retired) return reject('already-retired', `${command.artifactKind} ${command.name} was retired at version ${state.version}`);
      if (command.heldBy?.length) return reject('held-by-initiative', `the initiatives ${command.heldBy.join(', ')} hold ${command.name}: retire them first, or publish them without it`);
      const reason = command.reason.trim();
      if (reason.length < 3 || reason.length > 500) return reject('reason-required', 'say why, in 3-500 characters');
      return [{ type: 'guardrails.LibraryArtifactRetired.v1', data: { kind: command.artifactKind, name: state.name ?? command.name, version: state.version, reason } }];
    }
  }
};

export const libraryDecider: Decider<LibraryCommand, LibraryArtifactState, LibraryEvent> = { decide, evolve, initialState: initial };
