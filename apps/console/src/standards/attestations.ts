// What the attestation form and the attestations page derive: whether a control is one to attest,
// the validity an attester picks (days, or a date) as the instant the API takes, what the API would
// refuse said before anything is sent, evidence files in words, who may decide what, and a refusal
// with its code. Pure: the limits mirror libs/guardrails' attestation rules, the API decides.
import { ApiError, describeError } from '../api/errors';
import type { Attestation, AttestationStatus, ControlCompliance } from '../api/operations';
import { isMe, type Me } from '../auth/roles';

/** An attestation is re-examined at least once a year. */
export const MAX_ATTESTATION_DAYS = 366;
export const DEFAULT_VALIDITY_DAYS = 90;
export const MAX_EVIDENCE_FILES = 20;
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const STATEMENT_MIN = 20;
export const STATEMENT_MAX = 8_000;
const DAY_MS = 86_400_000;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const ATTESTATION_STATUSES: readonly AttestationStatus[] = ['pending', 'active', 'rejected', 'revoked', 'expired'];

export const ATTESTATION_STATUS_LABELS: Readonly<Record<AttestationStatus, string>> = {
  pending: 'Waiting for approval',
  active: 'Active',
  rejected: 'Rejected',
  revoked: 'Revoked',
  expired: 'Expired',
};

/**
 * A control no rule checks in full: all of it manual or data-plane (state manual, or attested once
 * an attestation holds: renewed the same way), or some of its definitions manual. One that rules
 * check in full is evidenced by the evaluation; the API refuses to attest it.
 */
export const attestable = (control: Pick<ControlCompliance, 'state' | 'definitions'>): boolean =>
  control.state === 'manual' || control.state === 'attested' || control.definitions.manual > 0;

export type Validity = { readonly kind: 'days'; readonly days: string } | { readonly kind: 'date'; readonly date: string };

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The dates a "valid until" picker offers: today (UTC) to the last day whose end is within the limit. */
export const validityDateBounds = (now: number): { min: string; max: string } => ({ min: isoDate(now), max: isoDate(now + (MAX_ATTESTATION_DAYS - 1) * DAY_MS) });

/**
 * When the attestation stops holding: N days from now, or the end of the chosen day (UTC, the zone
 * every time in the console is in). Or why the choice cannot be sent.
 */
export const validUntilOf = (validity: Validity, now: number): { readonly ok: true; readonly validUntil: string } | { readonly ok: false; readonly problem: string } => {
  if (validity.kind === 'days') {
    const days = validity.days.trim();
    if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > MAX_ATTESTATION_DAYS) {
      return { ok: false, problem: `Valid for 1 to ${MAX_ATTESTATION_DAYS} days, in whole days: an attestation is re-examined at least once a year.` };
    }
    return { ok: true, validUntil: new Date(now + Number(days) * DAY_MS).toISOString() };
  }
  const end = /^\d{4}-\d{2}-\d{2}$/.test(validity.date) ? Date.parse(`${validity.date}T23:59:59Z`) : NaN;
  if (Number.isNaN(end) || isoDate(end) !== validity.date) return { ok: false, problem: 'Pick the date it holds until.' };
  if (end <= now) return { ok: false, problem: `${validity.date} has passed: pick a day ahead.` };
  if (end - now > MAX_ATTESTATION_DAYS * DAY_MS) return { ok: false, problem: `At most ${MAX_ATTESTATION_DAYS} days ahead: until ${validityDateBounds(now).max} at the latest.` };
  return { ok: true, validUntil: new Date(end).toISOString() };
};

/** Why a statement would be refused, before it is sent. */
export const statementProblem = (statement: string): string | undefined => {
  const length = statement.trim().length;
  if (length < STATEMENT_MIN) return `Say how the control is met, in at least ${STATEMENT_MIN} characters (${length} so far).`;
  if (length > STATEMENT_MAX) return `At most ${STATEMENT_MAX.toLocaleString('en')} characters (${length.toLocaleString('en')}): put the rest in an evidence file.`;
  return undefined;
};

/** 79 B, 1.5 KB, 10 MB (1,024 to the KB, as the API's 10 MB limit counts). */
export const formatBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / (1024 * 1024), 'MB'];
  return `${Number(value.toFixed(1))} ${unit}`;
};

/** The first 12 hex digits of a digest: enough to tell files apart and to check one by eye. */
export const shortDigest = (sha256: string): string => sha256.slice(0, 12);

/** Why a chosen file cannot be sent (the API would refuse it, or cut it off while it uploads). */
export const evidenceFileProblem = (file: { readonly name: string; readonly size: number }): string | undefined => {
  if (file.size === 0) return 'The file is empty.';
  if (file.size > MAX_EVIDENCE_BYTES) return `${formatBytes(file.size)}: the API takes files of up to ${formatBytes(MAX_EVIDENCE_BYTES)}.`;
  if (file.name.trim().length === 0 || file.name.length > 255) return 'A file name of 1 to 255 characters.';
  return undefined;
};

/** An upload the API refused, in words. */
export const uploadFailure = (error: unknown): string => {
  if (!(error instanceof ApiError)) return (error as Error)?.message ?? String(error);
  if (error.details.status === 413) return `Too large: the API takes files of up to ${formatBytes(MAX_EVIDENCE_BYTES)}.`;
  if (error.kind === 'forbidden') return 'You may not store evidence for this tenant.';
  return describeError(error);
};

/**
 * An id for the attestation, made once per form: a retried request (after a lost answer) is then
 * refused as a duplicate instead of recorded twice.
 */
export const newAttestationId = (standardId: string, controlId: string, now: number): string => {
  const stem = `${standardId}-${controlId}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const id = `${stem || 'attestation'}-${now.toString(36)}`;
  return ID.test(id) ? id : `attestation-${now.toString(36)}`;
};

/** The evidence the API is told of: each stored file once (the same bytes chosen twice are one file). */
export const evidenceRefs = (stored: readonly { readonly sha256: string; readonly name: string }[]): { sha256: string; name: string }[] => {
  const seen = new Set<string>();
  return stored.filter((f) => !seen.has(f.sha256) && seen.add(f.sha256)).map((f) => ({ sha256: f.sha256, name: f.name }));
};

/** What the signed-in person may do with an attestation, as the page offers it (the API decides). */
export const attestationDecisions = (
  a: Pick<Attestation, 'status' | 'attestedBy'>,
  me: Pick<Me, 'id'>,
  may: { readonly approve: boolean; readonly record: boolean },
): { readonly approve: boolean; readonly ownPending: boolean; readonly reject: boolean; readonly revoke: boolean } => {
  const pending = a.status === 'pending';
  const own = isMe(me, a.attestedBy);
  return {
    // the attester is never the second person (the API refuses: approver-must-differ)
    approve: may.approve && pending && !own,
    ownPending: may.approve && pending && own,
    reject: may.approve && pending,
    revoke: may.record && (pending || a.status === 'active'),
  };
};

const EXPLAINED: Readonly<Record<string, string>> = {
  'approver-must-differ': 'someone other than the attester must approve it',
  'control-is-automated': 'its policies check this control: its state comes from their evaluation, not an attestation',
  'duplicate-attestation': 'this attestation was recorded already (a retried request): reload to see it',
  'unknown-evidence': 'an evidence file is not stored for this tenant: upload it again',
  'validity-too-long': `an attestation holds at most ${MAX_ATTESTATION_DAYS} days: attest again when it ends`,
  'reason-required': 'say why: the customer and the auditor read it',
};

/** A domain refusal as the forms show it: its code, always, and what it means. */
export const attestationRefusal = (code: string, message: string | null | undefined): string => {
  const meaning = EXPLAINED[code] ?? message ?? '';
  return `Refused (${code})${meaning ? `: ${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}` : ''}.`.replace(/\.\.$/, '.');
};

/** "pending: …" — what a status means, for the filter and the legend. */
export const ATTESTATION_STATUS_MEANINGS: Readonly<Record<AttestationStatus, string>> = {
  pending: 'recorded where the tenant asks for a second person: it holds once someone other than the attester approves it',
  active: 'it holds for its control until its validity ends',
  rejected: 'the second person refused it: it never held',
  revoked: 'ended before its time, with a reason: its control needs evidence again',
  expired: 'its validity ended: attest the control again',
};
