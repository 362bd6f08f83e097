import { ApiError } from '../api/errors';
import {
  attestable,
  attestationDecisions,
  attestationRefusal,
  evidenceFileProblem,
  evidenceRefs,
  formatBytes,
  newAttestationId,
  shortDigest,
  statementProblem,
  uploadFailure,
  validityDateBounds,
  validUntilOf,
} from './attestations';

const now = Date.parse('2026-12-07T10:30:00Z');

describe('attesting a control', () => {
  it('offers it for controls no rule checks in full, and renews an attested one', () => {
    const definitions = (manual: number, automated: number) => ({ total: manual + automated, automated, refused: 0, manual, dataPlane: 0 });
    expect(attestable({ state: 'manual', definitions: definitions(0, 0) })).toBe(true);
    expect(attestable({ state: 'attested', definitions: definitions(1, 0) })).toBe(true);
    expect(attestable({ state: 'failed', definitions: definitions(1, 3) })).toBe(true);
    expect(attestable({ state: 'passed', definitions: definitions(0, 3) })).toBe(false);
    expect(attestable({ state: 'notApplicable', definitions: definitions(0, 2) })).toBe(false);
  });

  it('reads the validity as days from now, 90 by default, at most 366', () => {
    expect(validUntilOf({ kind: 'days', days: '90' }, now)).toEqual({ ok: true, validUntil: '2027-03-07T10:30:00.000Z' });
    expect(validUntilOf({ kind: 'days', days: ' 366 ' }, now)).toEqual({ ok: true, validUntil: '2027-12-08T10:30:00.000Z' });
    for (const days of ['0', '367', '1.5', '', 'ninety']) expect(validUntilOf({ kind: 'days', days }, now)).toMatchObject({ ok: false, problem: expect.stringMatching(/^Valid for 1 to 366 days/) });
  });

  it('reads a date as the end of that day (UTC), ahead and within the limit', () => {
    expect(validUntilOf({ kind: 'date', date: '2027-06-30' }, now)).toEqual({ ok: true, validUntil: '2027-06-30T23:59:59.000Z' });
    expect(validUntilOf({ kind: 'date', date: '2026-12-07' }, now)).toEqual({ ok: true, validUntil: '2026-12-07T23:59:59.000Z' });
    expect(validUntilOf({ kind: 'date', date: '2026-12-06' }, now)).toEqual({ ok: false, problem: '2026-12-06 has passed: pick a day ahead.' });
    expect(validUntilOf({ kind: 'date', date: '2027-12-08' }, now)).toEqual({ ok: false, problem: 'At most 366 days ahead: until 2027-12-07 at the latest.' });
    expect(validUntilOf({ kind: 'date', date: '2027-02-30' }, now)).toEqual({ ok: false, problem: 'Pick the date it holds until.' });
    expect(validUntilOf({ kind: 'date', date: '' }, now)).toMatchObject({ ok: false });
    // the picker's bounds are dates the API takes
    const { min, max } = validityDateBounds(now);
    expect([min, max]).toEqual(['2026-12-07', '2027-12-07']);
    expect(validUntilOf({ kind: 'date', date: max }, now).ok).toBe(true);
  });

  it('says what the API would refuse of a statement before it is sent', () => {
    expect(statementProblem('  too short  ')).toBe('Say how the control is met, in at least 20 characters (9 so far).');
    expect(statementProblem('Every key in our vaults carries an expiry date.')).toBeUndefined();
    expect(statementProblem('x'.repeat(8_001))).toBe('At most 8,000 characters (8,001): put the rest in an evidence file.');
  });

  it('names evidence by size and the first 12 hex digits of its digest', () => {
    expect([formatBytes(0), formatBytes(79), formatBytes(1536), formatBytes(2048), formatBytes(10 * 1024 * 1024), formatBytes(1_250_000)]).toEqual(['0 B', '79 B', '1.5 KB', '2 KB', '10 MB', '1.2 MB']);
    expect(shortDigest('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08')).toBe('9f86d081884c');
  });

  it('refuses an empty or too large file before uploading it, and says why an upload failed', () => {
    expect(evidenceFileProblem({ name: 'review.pdf', size: 1 })).toBeUndefined();
    expect(evidenceFileProblem({ name: 'review.pdf', size: 0 })).toBe('The file is empty.');
    expect(evidenceFileProblem({ name: 'scan.tiff', size: 10 * 1024 * 1024 + 1 })).toBe('10 MB: the API takes files of up to 10 MB.');
    expect(evidenceFileProblem({ name: 'x'.repeat(256), size: 10 })).toBe('A file name of 1 to 255 characters.');
    expect(uploadFailure(new ApiError('bad-input', 'request entity too large', { status: 413 }))).toBe('Too large: the API takes files of up to 10 MB.');
    expect(uploadFailure(new ApiError('forbidden', 'not allowed', { status: 403 }))).toBe('You may not store evidence for this tenant.');
    expect(uploadFailure(new ApiError('bad-input', 'the file is empty', { status: 400 }))).toBe('The request was refused: the file is empty');
    expect(uploadFailure(new ApiError('network', 'failed'))).toMatch(/cannot be reached/);
  });

  it('names the attestation once per form, as the API takes ids', () => {
    const id = newAttestationId('cis-azure-2.0.0', '8.1', now);
    expect(id).toBe(`cis-azure-2-0-0-8-1-${now.toString(36)}`);
    expect(id).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    expect(newAttestationId('Some Very Long Standard Name With Many Words In It', 'Control 1.2.3 (a)', now)).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
    expect(newAttestationId('--', '..', now)).toBe(`attestation-${now.toString(36)}`);
  });

  it('tells the API of each stored file once', () => {
    expect(
      evidenceRefs([
        { sha256: 'a'.repeat(64), name: 'review.pdf' },
        { sha256: 'b'.repeat(64), name: 'scan.png' },
        { sha256: 'a'.repeat(64), name: 'review (copy).pdf' },
      ]),
    ).toEqual([
      { sha256: 'a'.repeat(64), name: 'review.pdf' },
      { sha256: 'b'.repeat(64), name: 'scan.png' },
    ]);
  });
});

describe('deciding on an attestation', () => {
  const lead = { id: 'lead@soc.example' };
  const may = { approve: true, record: true };
  it('offers approval of a pending one to anyone but its attester; rejection to any approver; revocation while it is pending or active', () => {
    expect(attestationDecisions({ status: 'pending', attestedBy: 'it@contoso-bank.example' }, lead, may)).toEqual({ approve: true, ownPending: false, reject: true, revoke: true });
    expect(attestationDecisions({ status: 'pending', attestedBy: ' Lead@SOC.example' }, lead, may)).toEqual({ approve: false, ownPending: true, reject: true, revoke: true });
    expect(attestationDecisions({ status: 'active', attestedBy: 'it@contoso-bank.example' }, lead, may)).toEqual({ approve: false, ownPending: false, reject: false, revoke: true });
    for (const status of ['rejected', 'revoked', 'expired'] as const) {
      expect(attestationDecisions({ status, attestedBy: 'it@contoso-bank.example' }, lead, may)).toEqual({ approve: false, ownPending: false, reject: false, revoke: false });
    }
  });

  it('offers nothing to whoever may only read (an auditor)', () => {
    expect(attestationDecisions({ status: 'pending', attestedBy: 'it@contoso-bank.example' }, lead, { approve: false, record: false })).toEqual({ approve: false, ownPending: false, reject: false, revoke: false });
  });

  it("says a refusal's code, and what it means", () => {
    expect(attestationRefusal('approver-must-differ', 'an attestation that needs a second person cannot be approved by the person who attested')).toBe(
      'Refused (approver-must-differ): Someone other than the attester must approve it.',
    );
    expect(attestationRefusal('validity-in-past', 'it would hold until 2026-01-01T00:00:00Z, which has passed')).toBe('Refused (validity-in-past): It would hold until 2026-01-01T00:00:00Z, which has passed.');
    expect(attestationRefusal('statement-too-long', 'at most 8,000 characters.')).toBe('Refused (statement-too-long): At most 8,000 characters.');
    expect(attestationRefusal('tenant-offboarded', null)).toBe('Refused (tenant-offboarded).');
  });
});
