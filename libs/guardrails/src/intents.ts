// What each guardrails command does, for the tenant-standing rule (`standingOf` in tenancy): what
// a tenant is held to changes only while it is active; an exemption that lapses or is revoked only
// tightens what is already assigned (as does an attestation that ends), and the evaluator records what collected inventory means.
import type { CommandIntent } from '@rampart/event-sourcing';
import type { AttestationCommand } from './attestations/attestation';
import type { PostureCommand } from './posture/posture';
import type { TenantGuardrailsCommand } from './tenant-guardrails/tenant-guardrails';

export const GUARDRAILS_COMMAND_INTENTS: { readonly [K in TenantGuardrailsCommand['kind'] | PostureCommand['kind'] | AttestationCommand['kind']]: CommandIntent } = {
  AssignBaseline: 'changes-posture',
  UnassignBaseline: 'changes-posture',
  RequestExemption: 'changes-posture',
  ApproveExemption: 'changes-posture',
  SetReportingPolicy: 'changes-posture',
  SetAttestationPolicy: 'changes-posture',
  SetCoveragePolicy: 'changes-posture',
  // a new attestation, or one coming into force, is new evidence: only while the tenant is active
  RecordAttestation: 'changes-posture',
  ApproveAttestation: 'changes-posture',
  RejectAttestation: 'wraps-up',
  RevokeAttestation: 'wraps-up',
  ExpireAttestation: 'wraps-up',
  // a person's choice of version changes what the tenant is held to; keeping a following
  // assignment current is the choice it already made, recorded while its record is open
  PinLibraryVersion: 'changes-posture',
  AdoptLibraryVersion: 'wraps-up',
  RevokeExemption: 'wraps-up',
  ExpireExemption: 'wraps-up',
  RecordEvaluation: 'wraps-up',
  RecordResourceRemoved: 'wraps-up',
};
