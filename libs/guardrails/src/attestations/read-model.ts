// One document per attestation, with its whole life: what the per-control views, the attestation
// lists and the expiry sweep read. The as-of views fold the same model from the log.
import type { ProjectedEvent } from '@rampart/event-sourcing';
import { ATTESTATION_EVENT_TYPES, type AttestationEvent, type AttestationRecorded } from '../events';
import type { AttestationStatus } from './attestation';

export type AttestationEntry = AttestationRecorded['data'] & {
  readonly tenantId: string;
  readonly status: Exclude<AttestationStatus, 'none'>;
  readonly attestedAt: string;
  readonly approvedBy: string | null;
  /** When it came into force: recorded, or approved where a second person was needed. */
  readonly holdsFrom: string | null;
  /** Who rejected or revoked it, why, and when it ended (also when it expired). */
  readonly endedBy: string | null;
  readonly reason: string | null;
  readonly endedAt: string | null;
};

export const attestations = {
  name: 'attestations',
  version: 1,
  table: 'attestations',
  eventTypes: ATTESTATION_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { attestationId: string }).attestationId}`,
  evolve: (entry: AttestationEntry | undefined, raw: ProjectedEvent): AttestationEntry | null => {
    const event = raw as unknown as AttestationEvent;
    if (event.type === 'guardrails.AttestationRecorded.v1') {
      const pending = event.data.approvalRequired;
      return {
        ...event.data,
        tenantId: raw.metadata.tenantId,
        status: pending ? 'pending' : 'active',
        attestedAt: raw.recordedAt,
        approvedBy: null,
        holdsFrom: pending ? null : raw.recordedAt,
        endedBy: null,
        reason: null,
        endedAt: null,
      };
    }
    if (!entry) return null;
    switch (event.type) {
      case 'guardrails.AttestationApproved.v1':
        return { ...entry, status: 'active', approvedBy: event.data.approvedBy, holdsFrom: raw.recordedAt };
      case 'guardrails.AttestationRejected.v1':
        return { ...entry, status: 'rejected', endedBy: event.data.rejectedBy, reason: event.data.reason, endedAt: raw.recordedAt };
      case 'guardrails.AttestationRevoked.v1':
        return { ...entry, status: 'revoked', endedBy: event.data.revokedBy, reason: event.data.reason, endedAt: raw.recordedAt };
      case 'guardrails.AttestationExpired.v1':
        return { ...entry, status: 'expired', endedAt: event.data.expiredAt };
      default:
        return entry;
    }
  },
};
