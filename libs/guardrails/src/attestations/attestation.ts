// An attestation: a named person states that a control of a standard which no rule can check is
// met, with evidence files (by content hash) and a time it stops holding. When the tenant's policy
// asks for it, a second person approves it before it holds. It ends by expiring (recorded by the
// worker once its time has passed), by being revoked (with a reason), or by being rejected while it
// waits. One stream per attestation: `t-<tenant>:attestation-<id>`.
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { AttestationEvent, AttestationRecorded, EvidenceFileRef } from '../events';
import type { Standard, StandardControl } from '../standards/standard';

/** An attestation is re-examined at least once a year: one that never ends is one nobody re-reads. */
export const MAX_ATTESTATION_DAYS = 366;
export const MAX_EVIDENCE_FILES = 20;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Whether a string can name an attestation (and so its stream). */
export const isAttestationId = (id: string): boolean => ID.test(id);
const SHA256 = /^[0-9a-f]{64}$/;

export const attestationStreamId = (tenantId: string, attestationId: string): string => streamIdFor(tenantId, 'attestation', attestationId);

export type AttestationStatus = 'none' | 'pending' | 'active' | 'rejected' | 'revoked' | 'expired';

export interface Attestation {
  readonly status: AttestationStatus;
  readonly recorded: AttestationRecorded['data'] | null;
  readonly approvedBy: string | null;
  /** Who ended it and why (rejected or revoked). */
  readonly endedBy: string | null;
  readonly reason: string | null;
}

/** Finds a standard by id (the catalog's standards in production). */
export interface StandardsLookup {
  get(standardId: string): Standard | undefined;
}

export type AttestationCommand =
  | {
      readonly kind: 'RecordAttestation';
      readonly attestationId: string;
      readonly standardId: string;
      readonly controlId: string;
      readonly statement: string;
      /** Each file already stored for the tenant (the use case checks; the decider checks the refs). */
      readonly evidence: readonly EvidenceFileRef[];
      readonly attestedBy: string;
      readonly validUntil: string;
      /** The tenant's attestation policy, read by the use case. */
      readonly approvalRequired: boolean;
      readonly now: Date;
    }
  | { readonly kind: 'ApproveAttestation'; readonly approvedBy: string; readonly now: Date }
  | { readonly kind: 'RejectAttestation'; readonly rejectedBy: string; readonly reason: string }
  | { readonly kind: 'RevokeAttestation'; readonly revokedBy: string; readonly reason: string }
  | { readonly kind: 'ExpireAttestation'; readonly now: Date };

export const initialAttestation = (): Attestation => ({ status: 'none', recorded: null, approvedBy: null, endedBy: null, reason: null });

/**
 * Whether a control of a standard is one to attest: it exists, and part of it is no rule's to check
 * (a manual or Static member), or none of it is (no automated member). A control that rules check
 * in full is evidenced by the evaluation; an attestation would only hide its failures.
 */
export const attestableControl = (standards: StandardsLookup, standardId: string, controlId: string): StandardControl | ReturnType<typeof reject> => {
  const standard = standards.get(standardId);
  if (!standard) return reject('unknown-standard', `no standard ${standardId}`);
  const control = standard.controls.find((c) => c.id.toLowerCase() === controlId.toLowerCase());
  if (!control) return reject('unknown-control', `${standardId} has no control ${controlId}`);
  const kinds = new Map(standard.members.map((m) => [m.guardrailId, m.kind]));
  const memberKinds = control.memberIds.map((id) => kinds.get(id) ?? 'automated');
  if (memberKinds.length > 0 && memberKinds.every((k) => k !== 'manual') && memberKinds.some((k) => k === 'automated')) {
    return reject('control-is-automated', `${standardId} ${control.id} is checked by its policies: its state comes from their evaluation, not an attestation`);
  }
  return control;
};

/** Why a file name cannot name evidence, or null: people read it, and an export may write a file by it. */
export const evidenceFileNameProblem = (name: string): string | null =>
  !name.trim() || name.length > 255 || /[/\\]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 0x20)
    ? 'a file name of 1 to 255 characters, no slashes or control characters'
    : null;

const samePerson = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const checkReason = (reason: string, what: string) => {
  const text = reason.trim();
  if (!text) return reject('reason-required', `say why the attestation ${what}: the customer and the auditor read it`);
  if (text.length > 2_000) return reject('reason-too-long', 'at most 2,000 characters');
  return text;
};

const checkEvidence = (evidence: readonly EvidenceFileRef[]) => {
  if (evidence.length > MAX_EVIDENCE_FILES) return reject('too-much-evidence', `at most ${MAX_EVIDENCE_FILES} files`);
  const seen = new Set<string>();
  for (const file of evidence) {
    if (!SHA256.test(file.sha256)) return reject('invalid-evidence', `${file.sha256} is not a lowercase hex SHA-256`);
    if (seen.has(file.sha256)) return reject('invalid-evidence', `the file ${file.sha256} is named twice`);
    seen.add(file.sha256);
    const nameProblem = evidenceFileNameProblem(file.name);
    if (nameProblem) return reject('invalid-evidence', nameProblem);
    if (!Number.isSafeInteger(file.size) || file.size < 0) return reject('invalid-evidence', `${file.name}: its size is not a byte count`);
  }
  return null;
};

const decide =
  (standards: StandardsLookup) =>
  (cmd: AttestationCommand, state: Attestation): Decision<AttestationEvent> => {
    // every command but the first is about a recorded attestation
    if (cmd.kind !== 'RecordAttestation' && !state.recorded) return reject('unknown-attestation');
    const recorded = state.recorded as AttestationRecorded['data'];
    const id = recorded?.attestationId;
    switch (cmd.kind) {
      case 'RecordAttestation': {
        if (state.status !== 'none') return reject('duplicate-attestation', `attestation ${cmd.attestationId} exists`);
        if (!isAttestationId(cmd.attestationId)) return reject('invalid-attestation-id', 'lowercase letters, digits and dashes, up to 63');
        const control = attestableControl(standards, cmd.standardId, cmd.controlId);
        if ('code' in control) return control;
        const statement = cmd.statement.trim();
        if (statement.length < 20) return reject('statement-required', 'say how the control is met, in at least 20 characters');
        if (statement.length > 8_000) return reject('statement-too-long', 'at most 8,000 characters: put the rest in an evidence file');
        const bad = checkEvidence(cmd.evidence);
        if (bad) return bad;
        const until = Date.parse(cmd.validUntil);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(cmd.validUntil) || Number.isNaN(until)) return reject('invalid-validity', 'validUntil must be an ISO-8601 date-time, e.g. 2027-06-30T00:00:00Z');
        if (until <= cmd.now.getTime()) return reject('validity-in-past', `it would hold until ${cmd.validUntil}, which has passed`);
        if (until - cmd.now.getTime() > MAX_ATTESTATION_DAYS * 86_400_000) return reject('validity-too-long', `at most ${MAX_ATTESTATION_DAYS} days: attest again when it ends`);
        return [
          {
            type: 'guardrails.AttestationRecorded.v1',
            data: {
              attestationId: cmd.attestationId,
              standardId: cmd.standardId,
              controlId: control.id,
              statement,
              evidence: cmd.evidence.map((f) => ({ sha256: f.sha256, name: f.name.trim(), mediaType: f.mediaType, size: f.size })),
              attestedBy: cmd.attestedBy,
              validUntil: new Date(until).toISOString(),
              approvalRequired: cmd.approvalRequired,
            },
          },
        ];
      }
      case 'ApproveAttestation': {
        if (state.status !== 'pending') return reject('attestation-not-pending', `it is ${state.status}`);
        if (samePerson(cmd.approvedBy, recorded.attestedBy)) return reject('approver-must-differ', 'an attestation that needs a second person cannot be approved by the person who attested');
        if (Date.parse(recorded.validUntil) <= cmd.now.getTime()) return reject('attestation-expired', `it held until ${recorded.validUntil}`);
        return [{ type: 'guardrails.AttestationApproved.v1', data: { attestationId: id, approvedBy: cmd.approvedBy } }];
      }
      case 'RejectAttestation': {
        if (state.status !== 'pending') return reject('attestation-not-pending', `it is ${state.status}`);
        const reason = checkReason(cmd.reason, 'is rejected');
        if (typeof reason !== 'string') return reason;
        return [{ type: 'guardrails.AttestationRejected.v1', data: { attestationId: id, rejectedBy: cmd.rejectedBy, reason } }];
      }
      case 'RevokeAttestation': {
        if (state.status !== 'active' && state.status !== 'pending') return reject('attestation-ended', `it is ${state.status}`);
        const reason = checkReason(cmd.reason, 'ends');
        if (typeof reason !== 'string') return reason;
        return [{ type: 'guardrails.AttestationRevoked.v1', data: { attestationId: id, revokedBy: cmd.revokedBy, reason } }];
      }
      case 'ExpireAttestation': {
        if (state.status !== 'active' && state.status !== 'pending') return reject('attestation-ended', `it is ${state.status}`);
        if (Date.parse(recorded.validUntil) > cmd.now.getTime()) return reject('not-yet-expired', `it holds until ${recorded.validUntil}`);
        return [{ type: 'guardrails.AttestationExpired.v1', data: { attestationId: id, expiredAt: recorded.validUntil } }];
      }
    }
  };

export const evolveAttestation = (state: Attestation, event: AttestationEvent): Attestation => {
  switch (event.type) {
    case 'guardrails.AttestationRecorded.v1':
      return { ...state, status: event.data.approvalRequired ? 'pending' : 'active', recorded: event.data };
    case 'guardrails.AttestationApproved.v1':
      return { ...state, status: 'active', approvedBy: event.data.approvedBy };
    case 'guardrails.AttestationRejected.v1':
      return { ...state, status: 'rejected', endedBy: event.data.rejectedBy, reason: event.data.reason };
    case 'guardrails.AttestationRevoked.v1':
      return { ...state, status: 'revoked', endedBy: event.data.revokedBy, reason: event.data.reason };
    case 'guardrails.AttestationExpired.v1':
      return { ...state, status: 'expired' };
    default:
      return state;
  }
};

export const attestationDecider = (standards: StandardsLookup): Decider<AttestationCommand, Attestation, AttestationEvent> => ({
  decide: decide(standards),
  evolve: evolveAttestation,
  initialState: initialAttestation,
});

/** Holds at `at`: approved where it had to be, not ended, and before its time runs out (whether or not the expiry is recorded yet). */
export const attestationHolds = (a: { readonly status: AttestationStatus; readonly validUntil: string }, at: Date): boolean =>
  a.status === 'active' && Date.parse(a.validUntil) > at.getTime();
