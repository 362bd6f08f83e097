// The attestation pieces the standards page and the attestations page share: evidence files to
// download (fetched with the person's token and saved from memory: a plain link would carry none),
// what an attestation says, and the form that attests a control — each evidence file uploaded on
// its own as it is chosen (PUT /evidence/<tenant>, progress and refusal per file), then
// recordAttestation naming the files by digest.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { RECORD_ATTESTATION_MUTATION, type AttestationMutation, type ControlAttestation, type EvidenceFile } from '../api/operations';
import { OutcomeMessage, useSubmit } from '../components/forms';
import { saveBlob } from '../components/save';
import { Field, Stat } from '../components/ui';
import { formatDateTime } from '../format';
import {
  attestationRefusal,
  DEFAULT_VALIDITY_DAYS,
  evidenceFileProblem,
  evidenceRefs,
  formatBytes,
  MAX_ATTESTATION_DAYS,
  MAX_EVIDENCE_BYTES,
  MAX_EVIDENCE_FILES,
  newAttestationId,
  shortDigest,
  statementProblem,
  uploadFailure,
  validityDateBounds,
  validUntilOf,
  type Validity,
} from '../standards/attestations';
import { useApi } from '../session';

const domId = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-');

/** Each file with a download button: its name, size and the start of its digest (the whole one on hover). */
export const EvidenceList = ({ files, label }: { files: readonly EvidenceFile[]; label: string }) => {
  const { client } = useApi();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  if (files.length === 0) return <p className="small muted">No evidence file.</p>;
  const download = async (file: EvidenceFile) => {
    setError(undefined);
    setBusy(file.sha256);
    try {
      saveBlob(await client.download(file.downloadPath), file.name);
    } catch (e) {
      setError(`${file.name}: ${e instanceof ApiError ? describeError(e) : (e as Error).message}`);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      <ul className="plain-list evidence-list" aria-label={label}>
        {files.map((f) => (
          <li key={f.sha256}>
            <button type="button" className="button button-small" disabled={busy === f.sha256} onClick={() => void download(f)} title={`SHA-256 ${f.sha256}`}>
              Download {f.name}{' '}
              <span className="evidence-meta">
                ({formatBytes(f.size)}, SHA-256 <code>{shortDigest(f.sha256)}</code>…)
              </span>
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
};

/** What the attestation holding for a control says: who, who approved it, until when, on what. */
export const AttestationFacts = ({ attestation: a, controlId }: { attestation: ControlAttestation; controlId: string }) => (
  <>
    <dl className="facts">
      <Stat label="Attested by" value={a.attestedBy} />
      <Stat label="Approved by" value={a.approvedBy ?? 'no second person asked'} />
      <Stat label="Holds until" value={formatDateTime(a.validUntil)} />
      <Stat label="Attestation" value={<code>{a.attestationId}</code>} />
    </dl>
    <blockquote className="statement">{a.statement}</blockquote>
    <EvidenceList files={a.evidence} label={`Evidence of control ${controlId}`} />
  </>
);

type Upload =
  | { readonly key: string; readonly file: File; readonly state: 'uploading'; readonly sent: number }
  | { readonly key: string; readonly file: File; readonly state: 'stored'; readonly sha256: string }
  | { readonly key: string; readonly file: File; readonly state: 'failed'; readonly error: string };

const UploadRow = ({ upload: u, onRetry, onRemove }: { upload: Upload; onRetry: () => void; onRemove: () => void }) => (
  <li data-upload={u.file.name}>
    <span className="upload-name">{u.file.name}</span> <span className="small muted">({formatBytes(u.file.size)})</span>{' '}
    {u.state === 'uploading' ? (
      <>
        <progress max={1} value={u.sent} aria-label={`Uploading ${u.file.name}`} /> <span className="small">{Math.round(u.sent * 100)} %</span>
      </>
    ) : u.state === 'stored' ? (
      <span className="small">
        stored · SHA-256 <code>{shortDigest(u.sha256)}</code>…
      </span>
    ) : (
      <span className="form-error small" role="alert">
        not stored: {u.error}
      </span>
    )}{' '}
    {u.state === 'failed' && !evidenceFileProblem(u.file) ? (
      <button type="button" className="button button-small" onClick={onRetry}>
        Try again<span className="visually-hidden"> to upload {u.file.name}</span>
      </button>
    ) : null}{' '}
    {u.state !== 'uploading' ? (
      <button type="button" className="button button-small button-quiet" onClick={onRemove}>
        Remove<span className="visually-hidden"> {u.file.name}</span>
      </button>
    ) : null}
  </li>
);

/**
 * Attests a control: a statement, evidence files, and how long it holds (days, or until a date).
 * Files upload as they are chosen; recording waits for them and names them by digest.
 */
export const AttestForm = ({
  tenantId,
  standardId,
  controlId,
  controlTitle,
  approvalRequired,
  onDone,
  onCancel,
}: {
  tenantId: string;
  standardId: string;
  controlId: string;
  controlTitle: string;
  /** The tenant's policy as the page last read it: the API applies the one in force. */
  approvalRequired: boolean | undefined;
  onDone: (result: { attestationId: string; status: string; message: string }) => void;
  onCancel: () => void;
}) => {
  const { client } = useApi();
  const submit = useSubmit(attestationRefusal);
  const id = `attest-${domId(controlId)}`;
  const [statement, setStatement] = useState('');
  const [validity, setValidity] = useState<Validity>({ kind: 'days', days: String(DEFAULT_VALIDITY_DAYS) });
  const [days, setDays] = useState(String(DEFAULT_VALIDITY_DAYS));
  const [until, setUntil] = useState(() => validityDateBounds(Date.now() + DEFAULT_VALIDITY_DAYS * 86_400_000).min);
  const [uploads, setUploads] = useState<readonly Upload[]>([]);
  // What stopped the last submit; said until the form is changed.
  const [problem, setProblem] = useState<string>();
  // One id per form: a retry after a lost answer is refused as a duplicate, not recorded twice.
  const [attestationId] = useState(() => newAttestationId(standardId, controlId, Date.now()));
  const heading = useRef<HTMLHeadingElement>(null);
  const aborts = useRef(new Map<string, AbortController>());
  useEffect(() => {
    heading.current?.focus();
    const running = aborts.current;
    return () => running.forEach((controller) => controller.abort());
  }, []);

  const update = (key: string, next: Upload | undefined) => setUploads((list) => (next ? list.map((u) => (u.key === key ? next : u)) : list.filter((u) => u.key !== key)));
  const upload = async (key: string, file: File) => {
    const refused = evidenceFileProblem(file);
    if (refused) {
      update(key, { key, file, state: 'failed', error: refused });
      return;
    }
    const controller = new AbortController();
    aborts.current.set(key, controller);
    update(key, { key, file, state: 'uploading', sent: 0 });
    try {
      const stored = await client.upload<{ sha256: string }>(`/evidence/${encodeURIComponent(tenantId)}?name=${encodeURIComponent(file.name)}`, file, {
        contentType: file.type,
        signal: controller.signal,
        onProgress: (sent) => update(key, { key, file, state: 'uploading', sent }),
      });
      update(key, { key, file, state: 'stored', sha256: stored.sha256 });
    } catch (error) {
      if ((error as Error).name !== 'AbortError') update(key, { key, file, state: 'failed', error: uploadFailure(error) });
    } finally {
      aborts.current.delete(key);
    }
  };
  const choose = (files: FileList | null) => {
    setProblem(undefined);
    const chosen = [...(files ?? [])].slice(0, Math.max(0, MAX_EVIDENCE_FILES - uploads.length));
    const added = chosen.map((file, i): Upload => ({ key: `${Date.now()}-${i}-${file.name}`, file, state: 'uploading', sent: 0 }));
    setUploads((list) => [...list, ...added]);
    for (const u of added) void upload(u.key, u.file);
  };
  const pickValidity = (next: Validity) => {
    setProblem(undefined);
    setValidity(next);
  };
  const remove = (key: string) => {
    setProblem(undefined);
    aborts.current.get(key)?.abort();
    update(key, undefined);
  };

  const now = Date.now();
  const computed = validUntilOf(validity, now);
  const bounds = validityDateBounds(now);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const problems = [
      statementProblem(statement),
      computed.ok ? undefined : computed.problem,
      uploads.some((u) => u.state === 'uploading') ? 'Wait until every file is uploaded.' : undefined,
      uploads.some((u) => u.state === 'failed') ? 'A file was not stored: try it again, or remove it.' : undefined,
    ].filter((p): p is string => p !== undefined);
    setProblem(problems.join(' ') || undefined);
    if (problems.length || !computed.ok) return;
    const evidence = evidenceRefs(uploads.flatMap((u) => (u.state === 'stored' ? [{ sha256: u.sha256, name: u.file.name }] : [])));
    const result = await submit.run<AttestationMutation>(
      RECORD_ATTESTATION_MUTATION,
      { tenantId, attestationId, standardId, controlId, statement: statement.trim(), evidence, validUntil: computed.validUntil },
      () => '',
    );
    if (result && result.__typename === 'AttestationChanged') {
      onDone({
        attestationId: result.attestationId,
        status: result.status,
        message:
          result.status === 'pending'
            ? `Attestation ${result.attestationId} recorded for control ${controlId}: it waits for a second person to approve it (Attestations page), then holds until ${formatDateTime(computed.validUntil)}.`
            : `Attestation ${result.attestationId} recorded: control ${controlId} reads attested until ${formatDateTime(computed.validUntil)}.`,
      });
    }
  };
  const uploading = uploads.some((u) => u.state === 'uploading');
  return (
    <form className="inline-form" onSubmit={(e) => void onSubmit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Attest control {controlId}: {controlTitle}
      </h3>
      <p className="hint">
        You state, under your name, that the control is met, on the evidence attached. It counts as met in the score until it ends.
        {approvalRequired ? ' This tenant asks for a second person: it holds once someone other than you approves it.' : ''}
      </p>
      <Field id={`${id}-statement`} label="Statement: how the control is met" hint="20 to 8,000 characters. The customer and the auditor read it.">
        <textarea
          id={`${id}-statement`}
          rows={4}
          value={statement}
          onChange={(e) => {
            setProblem(undefined);
            setStatement(e.target.value);
          }}
          aria-describedby={`${id}-statement-hint`}
          required
        />
      </Field>
      <Field id={`${id}-files`} label="Evidence files" hint={`Up to ${MAX_EVIDENCE_FILES} files of up to ${formatBytes(MAX_EVIDENCE_BYTES)} each; each is uploaded as you choose it, and kept by its SHA-256.`}>
        <input
          id={`${id}-files`}
          type="file"
          multiple
          aria-describedby={`${id}-files-hint`}
          disabled={uploads.length >= MAX_EVIDENCE_FILES}
          onChange={(e) => {
            choose(e.target.files);
            // the same file may be chosen again after a removal
            e.target.value = '';
          }}
        />
      </Field>
      {uploads.length ? (
        <ul className="plain-list uploads" aria-label="Evidence files to attach">
          {uploads.map((u) => (
            <UploadRow key={u.key} upload={u} onRetry={() => void upload(u.key, u.file)} onRemove={() => remove(u.key)} />
          ))}
        </ul>
      ) : null}
      <fieldset>
        <legend>How long it holds (at most {MAX_ATTESTATION_DAYS} days)</legend>
        <div className="radio">
          <input type="radio" id={`${id}-for-days`} name={`${id}-validity`} checked={validity.kind === 'days'} onChange={() => pickValidity({ kind: 'days', days })} />
          <label htmlFor={`${id}-for-days`}>For a number of days</label>
          <label htmlFor={`${id}-days`} className="visually-hidden">
            Days it holds
          </label>
          <input
            id={`${id}-days`}
            className="input-narrow"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_ATTESTATION_DAYS}
            value={days}
            onChange={(e) => {
              setDays(e.target.value);
              pickValidity({ kind: 'days', days: e.target.value });
            }}
          />
        </div>
        <div className="radio">
          <input type="radio" id={`${id}-until-date`} name={`${id}-validity`} checked={validity.kind === 'date'} onChange={() => pickValidity({ kind: 'date', date: until })} />
          <label htmlFor={`${id}-until-date`}>Until the end of a day (UTC)</label>
          <label htmlFor={`${id}-date`} className="visually-hidden">
            Last day it holds
          </label>
          <input
            id={`${id}-date`}
            type="date"
            min={bounds.min}
            max={bounds.max}
            value={until}
            onChange={(e) => {
              setUntil(e.target.value);
              pickValidity({ kind: 'date', date: e.target.value });
            }}
          />
        </div>
        <p className="hint" aria-live="polite">
          {computed.ok ? `Holds until ${formatDateTime(computed.validUntil)}.` : computed.problem}
        </p>
      </fieldset>
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
      <OutcomeMessage outcome={submit.outcome} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={submit.busy || uploading}>
          {uploading ? 'Uploading…' : 'Record attestation'}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};
