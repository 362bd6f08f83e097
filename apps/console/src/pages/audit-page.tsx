// The auditor's page: ask for a signed export of the tenant's audit trail over a period, download
// its files (links need the same sign-in), and verify it offline with the published key.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { useQuery } from '../api/hooks';
import {
  AUDIT_EXPORT_QUERY,
  AUDIT_PAGE_QUERY,
  REQUEST_AUDIT_EXPORT_MUTATION,
  type AuditExport,
  type AuditExportQuery,
  type AuditExportRecord,
  type AuditPageQuery,
  type RequestAuditExportMutation,
} from '../api/operations';
import {
  AUDIT_FORMAT_DOC,
  RAMPART_VERIFY_COMMAND,
  STANDALONE_VERIFY_COMMANDS,
  VERIFIER_DIGEST_PATH,
  VERIFIER_PATH,
  VERIFY_FILES_COMMAND,
  VERIFY_SIGNATURE_COMMAND,
} from '../audit/verify-commands';
import { saveBlob } from '../components/save';
import { Badge, ErrorPanel, Field, Loading, PageHeader, Stat } from '../components/ui';
import { formatDateTime, relativeTime } from '../format';
import { useApi } from '../session';

const dateInput = (t: number) => new Date(t).toISOString().slice(0, 10);

const ExportJob = ({ job }: { job: AuditExport }) => {
  const { client } = useApi();
  const [error, setError] = useState<string>();
  const download = async (link: AuditExport['links'][number]) => {
    setError(undefined);
    try {
      saveBlob(await client.download(link.url), link.file);
    } catch (e) {
      setError(e instanceof ApiError ? describeError(e) : (e as Error).message);
    }
  };
  return (
    <section className="panel" aria-labelledby={`job-${job.exportId}`}>
      <h2 id={`job-${job.exportId}`}>
        Export {job.exportId} <Badge value={job.status} prefix="Status" />
      </h2>
      <dl className="facts">
        <Stat label="Period" value={`${formatDateTime(job.from)} – ${formatDateTime(job.to)}`} />
        <Stat label="Requested" value={`${job.requestedBy}, ${formatDateTime(job.requestedAt)}`} />
        <Stat label="Events written" value={job.eventsWritten} />
        {job.manifestSha256 ? <Stat label="manifest.json SHA-256" value={<code className="break">{job.manifestSha256}</code>} /> : null}
      </dl>
      {job.status === 'running' ? (
        <p role="status" className="loading">
          Writing the export…
        </p>
      ) : null}
      {job.error ? (
        <p className="form-error" role="alert">
          The export failed: {job.error}
        </p>
      ) : null}
      {job.links.length ? (
        <>
          <h3>Files</h3>
          <p className="small muted">
            Links are valid until {formatDateTime(job.links[0].expiresAt)} ({relativeTime(job.links[0].expiresAt)}); after that, get new links from the list of past exports.
          </p>
          <ul className="downloads" aria-label="Export files">
            {job.links.map((link) => (
              <li key={link.file}>
                <button type="button" className="button" onClick={() => download(link)}>
                  Download {link.file}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
};

/**
 * Every export the trail recorded, newest first, each with its manifest digest and the one it
 * chains to: the auditor's list of what exists, after a reload too. Files are downloadable while
 * the instance that wrote them keeps them.
 */
const PastExports = ({ records, open }: { records: readonly AuditExportRecord[]; open: (exportId: string) => Promise<void> }) => {
  const [error, setError] = useState<string>();
  if (records.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="past-title">
      <h2 id="past-title">Past exports</h2>
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="visually-hidden">Past exports of the audit trail, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Export</th>
              <th scope="col">Period (UTC)</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col">Manifest SHA-256 (previous)</th>
              <th scope="col">
                <span className="visually-hidden">Files</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.exportId} data-export={r.exportId}>
                <th scope="row">
                  {r.exportId}
                  <span className="muted small block">
                    {r.requestedBy}, {formatDateTime(r.recordedAt)}
                  </span>
                </th>
                <td data-label="Period">
                  {formatDateTime(r.from)} – {formatDateTime(r.to)}
                </td>
                <td data-label="Events" className="num">
                  {r.eventCount}
                </td>
                <td data-label="Manifest">
                  <code className="break small">{r.manifestSha256}</code>
                  <span className="muted small block">{r.previousManifestSha256 ? <>after <code className="break">{r.previousManifestSha256.slice(0, 16)}…</code></> : 'the first of the chain'}</span>
                </td>
                <td data-label="Files">
                  {r.downloadable ? (
                    <button
                      type="button"
                      className="button button-small"
                      onClick={() => open(r.exportId).catch((e: unknown) => setError(e instanceof ApiError ? describeError(e) : (e as Error).message))}
                    >
                      Get download links
                    </button>
                  ) : (
                    <span className="muted small">files kept by another instance or removed; the digests above still verify a copy</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
};

/**
 * The standalone verifier, when this deployment's console was built with it: its download and its
 * SHA-256, which the auditor compares with the one the release names (a digest from the same place
 * as the file only shows the download was whole).
 */
const StandaloneVerifier = () => {
  const [digest, setDigest] = useState<string | null>();
  useEffect(() => {
    const controller = new AbortController();
    fetch(VERIFIER_DIGEST_PATH, { signal: controller.signal })
      .then(async (res) => {
        const found = res.ok ? /^([0-9a-f]{64}) {2}/.exec(await res.text()) : null;
        setDigest(found ? found[1] : null);
      })
      .catch(() => controller.signal.aborted || setDigest(null));
    return () => controller.abort();
  }, []);
  if (digest === undefined) return null;
  if (digest === null) {
    return (
      <p className="small muted">
        The standalone verifier is not served by this deployment: build it with <code>npm run build</code> (<code>dist/audit-verifier/</code>) or ask your provider for it.
      </p>
    );
  }
  return (
    <>
      <h3>Or one command: the standalone verifier</h3>
      <p>
        One JavaScript file that makes every check above and those of every event line, with Node.js 18 or later and nothing else installed. It is Rampart&apos;s own verification code,
        unminified, so it can be read first. Save it and its digest next to the export folders, compare the digest with the one your provider&apos;s release names, and run:
      </p>
      <pre className="code" tabIndex={0}>
        {STANDALONE_VERIFY_COMMANDS}
      </pre>
      <dl className="facts">
        <Stat label="Verifier SHA-256" value={<code className="break">{digest}</code>} />
      </dl>
      <div className="button-row">
        <a className="button" href={VERIFIER_PATH} download="rampart-audit-verify.js">
          Download the verifier
        </a>
        <a className="button" href={VERIFIER_DIGEST_PATH} download="rampart-audit-verify.js.sha256">
          Download its SHA-256
        </a>
      </div>
    </>
  );
};

export const AuditPage = ({ tenantId }: { tenantId: string }) => {
  const { client } = useApi();
  const query = useQuery(tenantId, (c, signal) => c.request<AuditPageQuery>(AUDIT_PAGE_QUERY, { tenantId }, { signal }));
  const [from, setFrom] = useState(dateInput(Date.now() - 90 * 86_400_000));
  const [to, setTo] = useState(dateInput(Date.now()));
  const [jobs, setJobs] = useState<AuditExport[]>([]);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const running = jobs.filter((j) => j.status === 'running').map((j) => j.exportId);
  const runningKey = running.join(',');

  // Poll the running exports until they end.
  useEffect(() => {
    if (!runningKey) return;
    const timer = setInterval(async () => {
      for (const exportId of runningKey.split(',')) {
        const { auditExport } = await client.request<AuditExportQuery>(AUDIT_EXPORT_QUERY, { tenantId, exportId }).catch(() => ({ auditExport: null }));
        if (auditExport) setJobs((js) => js.map((j) => (j.exportId === exportId ? auditExport : j)));
      }
    }, 1_000);
    return () => clearInterval(timer);
  }, [client, tenantId, runningKey]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // The end is exclusive and may not lie in the future: "today" means up to now.
      const end = Math.min(Date.parse(`${to}T00:00:00Z`) + 86_400_000, Date.now() - 1_000);
      const { requestAuditExport } = await client.request<RequestAuditExportMutation>(REQUEST_AUDIT_EXPORT_MUTATION, {
        input: { tenantId, from: new Date(`${from}T00:00:00Z`).toISOString(), to: new Date(end).toISOString() },
      });
      setJobs((js) => [requestAuditExport, ...js]);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('server', (e as Error).message));
    } finally {
      setBusy(false);
    }
  };

  const data = query.data;
  if (query.error) {
    return (
      <>
        <PageHeader title="Audit export" />
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      </>
    );
  }
  if (!data) return <Loading what="the audit page" />;
  const key = data.auditPublicKey;
  return (
    <>
      <PageHeader title={`Audit export of ${data.tenant?.displayName ?? tenantId}`} subtitle="A signed, chained copy of the tenant's audit trail for a period" />
      <section className="panel" aria-labelledby="request-title">
        <h2 id="request-title">Request an export</h2>
        <form className="inline-form" onSubmit={submit}>
          <div className="form-row">
            <Field id="export-from" label="From (UTC, inclusive)">
              <input id="export-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} required />
            </Field>
            <Field id="export-to" label="To (UTC, inclusive; today means up to now)">
              <input id="export-to" type="date" value={to} min={from} max={dateInput(Date.now())} onChange={(e) => setTo(e.target.value)} required />
            </Field>
          </div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Requesting…' : 'Request export'}
          </button>
        </form>
        {error ? <ErrorPanel error={error} tenantId={tenantId} /> : null}
        <p className="small muted">The export is itself recorded in the trail; each export&apos;s manifest names the previous one&apos;s digest, so gaps and edits show.</p>
      </section>
      {jobs.map((job) => (
        <ExportJob key={job.exportId} job={job} />
      ))}
      <PastExports
        records={data.auditExports.filter((r) => !jobs.some((j) => j.exportId === r.exportId))}
        open={async (exportId) => {
          const { auditExport } = await client.request<AuditExportQuery>(AUDIT_EXPORT_QUERY, { tenantId, exportId });
          if (auditExport) setJobs((js) => [auditExport, ...js.filter((j) => j.exportId !== exportId)]);
        }}
      />
      <section className="panel" aria-labelledby="verify-title">
        <h2 id="verify-title">How to verify an export</h2>
        <p>
          Standard tools are enough (OpenSSL 3, <code>sha256sum</code>, <code>awk</code>), nothing from Rampart. The format and every check are specified in{' '}
          <code>{AUDIT_FORMAT_DOC}</code> in the Rampart project repository.
        </p>
        <ol className="steps">
          <li>Download every file of one export into an empty folder, under the names given, and leave their bytes as they are.</li>
          <li>
            Save the public key below as <code>rampart-audit.pem</code> next to that folder, and check its id against the one your provider gave you through another channel.
          </li>
          <li>
            In the export&apos;s folder, check the signature of <code>manifest.json</code> (it prints &ldquo;Signature Verified Successfully&rdquo;):
            {/* focusable: the line may scroll sideways, and keyboards must reach it */}
            <pre className="code" tabIndex={0}>
              {VERIFY_SIGNATURE_COMMAND}
            </pre>
          </li>
          <li>
            Check every file against the manifest (each one prints OK):
            <pre className="code" tabIndex={0}>
              {VERIFY_FILES_COMMAND}
            </pre>
          </li>
          <li>
            Check the chain: the SHA-256 of the previous export&apos;s <code>manifest.json</code> equals this manifest&apos;s <code>previousManifestSha256</code>.
          </li>
        </ol>
        <StandaloneVerifier />
        <p className="small muted">
          Inside a Rampart installation, <code>{RAMPART_VERIFY_COMMAND}</code> makes the same checks.
        </p>
        <dl className="facts">
          <Stat label="Algorithm" value={key.algorithm} />
          <Stat label="Key id (SHA-256 of the key)" value={<code className="break">{key.keyId}</code>} />
        </dl>
        <div className="button-row">
          <button type="button" className="button" onClick={() => saveBlob(new Blob([key.publicKeyPem], { type: 'application/x-pem-file' }), 'rampart-audit.pem')}>
            Download public key
          </button>
        </div>
        <details>
          <summary>Public key (PEM)</summary>
          <pre className="code">{key.publicKeyPem}</pre>
        </details>
      </section>
    </>
  );
};
