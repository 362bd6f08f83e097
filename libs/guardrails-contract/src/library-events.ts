// The policy library's events: custom Azure Policy definitions and initiatives a provider brings
// (its landing zone's, its own), each version kept. They are recorded in the provider's scope
// (`t-provider:library-…`), so its trail shows every library change, who made it and from which file.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';
import type { Severity } from './events';

/** A framework control a definition evidences, as the extension block names it. */
export interface LibraryControlRef {
  readonly framework: string;
  readonly control: string;
}

/**
 * Rampart's own metadata about a definition, carried in the file as `properties.metadata.rampart`,
 * which Azure ignores: the same file deploys to Azure unchanged.
 */
export interface LibraryExtension {
  readonly severity?: Severity;
  readonly remediation?: string;
  readonly playbookId?: string;
  readonly controls?: readonly LibraryControlRef[];
}

/**
 * What an initiative member points at: one of Azure's built-ins, a definition of the provider's
 * library, or (for an initiative of a tenant's own library) a definition of that tenant's library.
 */
export interface LibraryMemberRef {
  readonly referenceId: string;
  readonly source: 'built-in' | 'library' | 'tenant';
  /** The definition's name: a built-in's GUID (lowercase), or the library definition's name. */
  readonly name: string;
  /**
   * For a library definition: the version this version of the initiative evaluates. An initiative
   * version is a fixed set of definition versions, so pinning or rolling back one is exact; a new
   * version of a member makes a new version of the initiative. Absent in initiatives recorded before
   * versions were kept: the member's latest version applies.
   */
  readonly version?: number;
}

export type LibraryDefinitionPublished = DomainEvent<
  'guardrails.LibraryDefinitionPublished.v1',
  {
    /** As the file names it (Azure's `name`); the library knows names case-insensitively, as Azure does. */
    name: string;
    /** 1 for the first, then one more for each changed content: older versions stay readable. */
    version: number;
    /** SHA-256 of the definition's canonical JSON (keys sorted, no whitespace): a reformatted file is no new version. */
    sha256: string;
    displayName: string;
    mode: string;
    /** The effects it can have (its effect parameter's allowed values, or the literal effect). */
    effects: string[];
    extension: LibraryExtension;
    /** The definition as imported, ARM template form and `[[` escaping included. */
    definition: Record<string, unknown>;
    /** Where it came from: the file's path within the imported folder. */
    source: string;
  }
>;

export type LibraryInitiativePublished = DomainEvent<
  'guardrails.LibraryInitiativePublished.v1',
  {
    name: string;
    version: number;
    sha256: string;
    displayName: string;
    members: LibraryMemberRef[];
    initiative: Record<string, unknown>;
    source: string;
  }
>;

export type LibraryArtifactRetired = DomainEvent<
  'guardrails.LibraryArtifactRetired.v1',
  { kind: 'definition' | 'initiative'; name: string; version: number; reason: string }
>;

export type LibraryEvent = LibraryDefinitionPublished | LibraryInitiativePublished | LibraryArtifactRetired;

export const LIBRARY_EVENT_TYPES: readonly LibraryEvent['type'][] = [
  'guardrails.LibraryDefinitionPublished.v1',
  'guardrails.LibraryInitiativePublished.v1',
  'guardrails.LibraryArtifactRetired.v1',
];

export const isLibraryEvent = eventGuard<LibraryEvent>(...LIBRARY_EVENT_TYPES);

// Four-eyes for the library: when the provider's library policy asks for it, an import is proposed,
// not recorded, and takes effect only once a second person approves it. The proposal carries what
// it would publish, so what is approved is exactly what was proposed (`t-provider:policy-change-<id>`).

/** The provider's library policy (`t-provider:policy-settings-library`). */
export type LibraryPolicySet = DomainEvent<'guardrails.LibraryPolicySet.v1', { approvalRequired: boolean }>;

/** One artifact a proposed change publishes: the content, and the version it was planned against. */
export interface ProposedLibraryArtifact {
  readonly kind: 'definition' | 'initiative';
  readonly name: string;
  readonly action: 'add' | 'change';
  /** The version it will have. */
  readonly version: number;
  /** The version the library held when it was proposed (0: none); approving refuses if that moved. */
  readonly basis: number;
  readonly reasons: readonly string[];
  readonly source: string;
  readonly content: Record<string, unknown>;
  /** For an initiative: its members, resolved when proposed. */
  readonly members?: readonly LibraryMemberRef[];
}

export type LibraryChangeProposed = DomainEvent<
  'guardrails.LibraryChangeProposed.v1',
  {
    changeId: string;
    proposedBy: string;
    /** Unapproved by then, it can no longer be approved. */
    expiresAt: string;
    artifacts: ProposedLibraryArtifact[];
    /** A change of the library policy itself (turning approval off needs a second person too). */
    policy?: { approvalRequired: boolean };
  }
>;
export type LibraryChangeApproved = DomainEvent<'guardrails.LibraryChangeApproved.v1', { changeId: string; approvedBy: string }>;
/** What the approved change recorded: artifacts published (the same content again records nothing). */
export type LibraryChangeApplied = DomainEvent<'guardrails.LibraryChangeApplied.v1', { changeId: string; recorded: number }>;
/** Declined by a reviewer, or withdrawn by its proposer. */
export type LibraryChangeRejected = DomainEvent<'guardrails.LibraryChangeRejected.v1', { changeId: string; rejectedBy: string; reason: string }>;

export type LibraryChangeEvent = LibraryChangeProposed | LibraryChangeApproved | LibraryChangeApplied | LibraryChangeRejected;
export type LibraryGovernanceEvent = LibraryPolicySet | LibraryChangeEvent;

export const LIBRARY_CHANGE_EVENT_TYPES: readonly LibraryChangeEvent['type'][] = [
  'guardrails.LibraryChangeProposed.v1',
  'guardrails.LibraryChangeApproved.v1',
  'guardrails.LibraryChangeApplied.v1',
  'guardrails.LibraryChangeRejected.v1',
];
export const isLibraryChangeEvent = eventGuard<LibraryChangeEvent>(...LIBRARY_CHANGE_EVENT_TYPES);
export const isLibraryPolicySet = eventGuard<LibraryPolicySet>('guardrails.LibraryPolicySet.v1');
