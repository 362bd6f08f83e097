// Attestations: manual evidence for a control of a standard that no rule can check (the standard's
// manual policies, its process controls). A named person states the control is met, with evidence
// files named by their SHA-256 (the files themselves are kept by content hash, never in an event),
// for a bounded time. Each attestation is its own stream (`t-<tenant>:attestation-<id>`); expiry
// and revocation are events, so the trail shows when a control stopped being attested and why.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';

/** An evidence file an attestation rests on, by content: the digest is what an auditor checks the file against. */
export interface EvidenceFileRef {
  /** Lowercase hex SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** The name it was uploaded with (for people; the digest identifies it). */
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
}

export type AttestationRecorded = DomainEvent<
  'guardrails.AttestationRecorded.v1',
  {
    attestationId: string;
    /** The standard (`nist-sp-800-53-r5`, `mcsb`, …) and its control (`AC-1`). */
    standardId: string;
    controlId: string;
    statement: string;
    evidence: EvidenceFileRef[];
    attestedBy: string;
    /** The attestation no longer holds from this instant, whatever else happens. */
    validUntil: string;
    /** The tenant's policy asked for a second person: it holds only once approved. */
    approvalRequired: boolean;
  }
>;
export type AttestationApproved = DomainEvent<'guardrails.AttestationApproved.v1', { attestationId: string; approvedBy: string }>;
export type AttestationRejected = DomainEvent<'guardrails.AttestationRejected.v1', { attestationId: string; rejectedBy: string; reason: string }>;
export type AttestationRevoked = DomainEvent<'guardrails.AttestationRevoked.v1', { attestationId: string; revokedBy: string; reason: string }>;
/** Recorded by the worker once `validUntil` has passed (the attestation stopped holding at `expiredAt`, not when this was written). */
export type AttestationExpired = DomainEvent<'guardrails.AttestationExpired.v1', { attestationId: string; expiredAt: string }>;

export type AttestationEvent = AttestationRecorded | AttestationApproved | AttestationRejected | AttestationRevoked | AttestationExpired;

export const ATTESTATION_EVENT_TYPES: readonly AttestationEvent['type'][] = [
  'guardrails.AttestationRecorded.v1',
  'guardrails.AttestationApproved.v1',
  'guardrails.AttestationRejected.v1',
  'guardrails.AttestationRevoked.v1',
  'guardrails.AttestationExpired.v1',
];
export const isAttestationEvent = eventGuard<AttestationEvent>(...ATTESTATION_EVENT_TYPES);

/** On the tenant's guardrail policy stream: whether an attestation needs a second person before it holds. */
export type AttestationPolicySet = DomainEvent<'guardrails.AttestationPolicySet.v1', { approvalRequired: boolean }>;
