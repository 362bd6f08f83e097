// An attestation's life, given/when/then: recorded for a control no rule can check, with evidence
// by digest and a bounded validity; a second person where the tenant's policy asks; ended by
// rejection, revocation or expiry, each once.
import { givenWhenThen } from '@rampart/event-sourcing';
import type { AttestationEvent } from '../events';
import type { MemberKind, Standard } from '../standards/standard';
import { attestationDecider, attestationHolds, attestableControl, evolveAttestation, initialAttestation, MAX_ATTESTATION_DAYS, type AttestationCommand } from './attestation';

const member = (id: string, kind: MemberKind) => ({
  guardrailId: id,
  referenceId: id,
  definitionName: id,
  displayName: id,
  description: '',
  category: 'General',
  kind,
  effect: kind === 'manual' ? 'Manual' : 'Audit',
  parameters: {},
  initiativeParameters: {},
  unresolvedParameters: [],
  controlIds: [],
  source: 'test',
});
const control = (id: string, memberIds: string[]) => ({ id, group: id, title: id, titleFrom: 'id' as const, description: null, domain: null, memberIds });
const standard: Standard = {
  id: 'nist-test',
  title: 'A test standard',
  description: '',
  initiativeName: 'x',
  initiativeId: 'x',
  version: null,
  category: 'Regulatory Compliance',
  controlCount: 4,
  definitionCount: 3,
  members: [member('policy-review', 'manual'), member('storage-tls', 'automated'), member('kv-secrets', 'data-plane')],
  parameters: {},
  controls: [control('AC-1', ['policy-review']), control('SC-8', ['storage-tls']), control('PL-2', []), control('SC-12', ['storage-tls', 'policy-review'])],
};
const standards = { get: (id: string) => (id === standard.id ? standard : undefined) };

const NOW = new Date('2026-12-07T10:00:00Z');
const EVIDENCE = { sha256: 'a'.repeat(64), name: 'access-review-2026-q4.pdf', mediaType: 'application/pdf', size: 48_213 };
const record = (over: Partial<Extract<AttestationCommand, { kind: 'RecordAttestation' }>> = {}): AttestationCommand => ({
  kind: 'RecordAttestation',
  attestationId: 'att-ac1',
  standardId: 'nist-test',
  controlId: 'ac-1',
  statement: 'Access control policy reviewed and approved by the board on 2026-11-30.',
  evidence: [EVIDENCE],
  attestedBy: 'ciso@contoso.example',
  validUntil: '2027-06-30T00:00:00Z',
  approvalRequired: false,
  now: NOW,
  ...over,
});
const recorded = (approvalRequired = false): AttestationEvent => ({
  type: 'guardrails.AttestationRecorded.v1',
  data: {
    attestationId: 'att-ac1',
    standardId: 'nist-test',
    controlId: 'AC-1',
    statement: 'Access control policy reviewed and approved by the board on 2026-11-30.',
    evidence: [EVIDENCE],
    attestedBy: 'ciso@contoso.example',
    validUntil: '2027-06-30T00:00:00.000Z',
    approvalRequired,
  },
});
const approved: AttestationEvent = { type: 'guardrails.AttestationApproved.v1', data: { attestationId: 'att-ac1', approvedBy: 'auditor@contoso.example' } };

describe('an attestation', () => {
  const given = givenWhenThen(attestationDecider(standards));

  it('is recorded for a control no rule checks (in full or in part), with the control id as the standard writes it', () => {
    given().when(record()).then(recorded());
    given().when(record({ controlId: 'PL-2', attestationId: 'att-pl2' })).then({ ...recorded(), data: { ...recorded().data, attestationId: 'att-pl2', controlId: 'PL-2' } } as AttestationEvent);
    given().when(record({ controlId: 'SC-12' })).then({ ...recorded(), data: { ...recorded().data, controlId: 'SC-12' } } as AttestationEvent);
  });

  it('is refused for a control its rules check in full, an unknown standard or control, and once recorded', () => {
    given().when(record({ controlId: 'SC-8' })).thenRejects('control-is-automated');
    given().when(record({ standardId: 'pci-everything' })).thenRejects('unknown-standard');
    given().when(record({ controlId: 'ZZ-9' })).thenRejects('unknown-control');
    given(recorded()).when(record()).thenRejects('duplicate-attestation');
    given().when(record({ attestationId: 'Not An Id' })).thenRejects('invalid-attestation-id');
  });

  it('says how the control is met, rests on evidence named by digest, and holds for a bounded time', () => {
    given().when(record({ statement: 'it is fine' })).thenRejects('statement-required');
    given().when(record({ evidence: [{ ...EVIDENCE, sha256: 'not-a-digest' }] })).thenRejects('invalid-evidence');
    given().when(record({ evidence: [EVIDENCE, EVIDENCE] })).thenRejects('invalid-evidence');
    given().when(record({ evidence: [{ ...EVIDENCE, name: '../../etc/passwd' }] })).thenRejects('invalid-evidence');
    given().when(record({ evidence: Array.from({ length: 21 }, (_, i) => ({ ...EVIDENCE, sha256: i.toString(16).padStart(64, '0') })) })).thenRejects('too-much-evidence');
    given().when(record({ validUntil: 'next year' })).thenRejects('invalid-validity');
    given().when(record({ validUntil: '2026-12-01T00:00:00Z' })).thenRejects('validity-in-past');
    given().when(record({ validUntil: new Date(NOW.getTime() + (MAX_ATTESTATION_DAYS + 1) * 86_400_000).toISOString() })).thenRejects('validity-too-long');
    // no evidence file is allowed (a statement of a process can be the evidence), within bounds
    given().when(record({ evidence: [] })).then({ ...recorded(), data: { ...recorded().data, evidence: [] } } as AttestationEvent);
  });

  it("needs a second person where the tenant's policy says so: not the one who attested, and before it would have ended", () => {
    given().when(record({ approvalRequired: true })).then(recorded(true));
    given(recorded(true)).when({ kind: 'ApproveAttestation', approvedBy: 'auditor@contoso.example', now: NOW }).then(approved);
    given(recorded(true)).when({ kind: 'ApproveAttestation', approvedBy: ' CISO@contoso.example ', now: NOW }).thenRejects('approver-must-differ');
    given(recorded(true)).when({ kind: 'ApproveAttestation', approvedBy: 'auditor@contoso.example', now: new Date('2027-07-01T00:00:00Z') }).thenRejects('attestation-expired');
    given(recorded()).when({ kind: 'ApproveAttestation', approvedBy: 'auditor@contoso.example', now: NOW }).thenRejects('attestation-not-pending');
    given(recorded(true))
      .when({ kind: 'RejectAttestation', rejectedBy: 'auditor@contoso.example', reason: 'The review minutes are not attached.' })
      .then({ type: 'guardrails.AttestationRejected.v1', data: { attestationId: 'att-ac1', rejectedBy: 'auditor@contoso.example', reason: 'The review minutes are not attached.' } });
  });

  it('ends by revocation with a reason, or by expiry once its time has passed, and only once', () => {
    const revoked: AttestationEvent = { type: 'guardrails.AttestationRevoked.v1', data: { attestationId: 'att-ac1', revokedBy: 'ciso@contoso.example', reason: 'Policy withdrawn for rewrite.' } };
    given(recorded()).when({ kind: 'RevokeAttestation', revokedBy: 'ciso@contoso.example', reason: 'Policy withdrawn for rewrite.' }).then(revoked);
    given(recorded()).when({ kind: 'RevokeAttestation', revokedBy: 'ciso@contoso.example', reason: '  ' }).thenRejects('reason-required');
    given(recorded(), revoked).when({ kind: 'RevokeAttestation', revokedBy: 'ciso@contoso.example', reason: 'again' }).thenRejects('attestation-ended');
    given(recorded()).when({ kind: 'ExpireAttestation', now: NOW }).thenRejects('not-yet-expired');
    const expired: AttestationEvent = { type: 'guardrails.AttestationExpired.v1', data: { attestationId: 'att-ac1', expiredAt: '2027-06-30T00:00:00.000Z' } };
    given(recorded()).when({ kind: 'ExpireAttestation', now: new Date('2027-07-02T00:00:00Z') }).then(expired);
    given(recorded(true)).when({ kind: 'ExpireAttestation', now: new Date('2027-07-02T00:00:00Z') }).then(expired);
    given(recorded(), expired).when({ kind: 'ExpireAttestation', now: new Date('2027-07-02T00:00:00Z') }).thenRejects('attestation-ended');
    given().when({ kind: 'RevokeAttestation', revokedBy: 'x', reason: 'y' }).thenRejects('unknown-attestation');
  });

  it('holds while active and before its validUntil, recorded expiry or not', () => {
    const fold = (...events: AttestationEvent[]) => {
      const state = events.reduce(evolveAttestation, initialAttestation());
      return { status: state.status, validUntil: state.recorded!.validUntil };
    };
    expect(attestationHolds(fold(recorded()), NOW)).toBe(true);
    expect(attestationHolds(fold(recorded()), new Date('2027-06-30T00:00:00Z'))).toBe(false);
    expect(attestationHolds(fold(recorded(true)), NOW)).toBe(false);
    expect(attestationHolds(fold(recorded(true), approved), NOW)).toBe(true);
  });

  it('finds the control it is for whatever case the caller wrote', () => {
    expect(attestableControl(standards, 'nist-test', 'pl-2')).toMatchObject({ id: 'PL-2' });
  });
});
