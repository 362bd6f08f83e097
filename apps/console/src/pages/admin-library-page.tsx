// The provider's policy library, for platform admins: what it holds, and an import of the folder the
// library is kept in, as `rampart policy import` does it: the plan first (added, changed, unchanged,
// refused with the reasons), recorded only when the admin confirms it, and nothing while anything
// is refused. The files are read in the browser and sent as they are; the API judges them.
import { useState, type ChangeEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { useQuery } from '../api/hooks';
import {
  IMPORT_POLICY_LIBRARY_MUTATION,
  POLICY_LIBRARY_QUERY,
  type ImportPolicyLibraryMutation,
  type PolicyImportPlan,
  type PolicyLibraryQuery,
} from '../api/operations';
import { importPathOf, planSummary } from '../admin/library';
import { OutcomeMessage, type Outcome } from '../components/forms';
import { Badge, ErrorPanel, Loading, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { useApi } from '../session';

interface PolicyFile {
  readonly path: string;
  readonly content: string;
}

const ACTION_TONES: Record<PolicyImportPlan['items'][number]['action'], string> = { add: 'ok', change: 'at-risk', unchanged: 'closed', refused: 'failed', skipped: 'closed' };

const readPicked = async (list: FileList | null): Promise<PolicyFile[]> => {
  const files: PolicyFile[] = [];
  for (const file of Array.from(list ?? [])) {
    const path = importPathOf(file);
    if (path) files.push({ path, content: await file.text() });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
};

const PlanTable = ({ plan }: { plan: PolicyImportPlan }) => (
  <div className="table-scroll">
    <table className="table table-cards">
      <caption className="visually-hidden">Import plan</caption>
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col" className="num">
            Version
          </th>
          <th scope="col">File</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {plan.items.map((item, i) => (
          <tr key={`${item.path}#${item.at}#${i}`} data-action={item.action}>
            <td data-label="Action">
              <Badge value={ACTION_TONES[item.action]} label={item.action} prefix="Action" />
            </td>
            <th scope="row" data-label="Name">
              {item.name ?? <span className="muted">—</span>}
            </th>
            <td data-label="Kind">{item.kind}</td>
            <td data-label="Version" className="num">
              {item.version === null ? '' : `v${item.version}`}
            </td>
            <td data-label="File">
              <code className="break">{item.at ? `${item.path} ${item.at}` : item.path}</code>
            </td>
            <td data-label="Why">{item.reasons.join('; ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

const ImportFolder = ({ onRecorded }: { onRecorded: () => void }) => {
  const { client } = useApi();
  const [files, setFiles] = useState<PolicyFile[]>([]);
  const [plan, setPlan] = useState<PolicyImportPlan>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const send = async (picked: PolicyFile[], apply: boolean): Promise<PolicyImportPlan | undefined> => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const { importPolicyLibrary } = await client.request<ImportPolicyLibraryMutation>(IMPORT_POLICY_LIBRARY_MUTATION, { input: { files: picked, apply } });
      return importPolicyLibrary;
    } catch (error) {
      setOutcome({ ok: false, message: error instanceof ApiError ? describeError(error) : (error as Error).message });
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = await readPicked(event.target.files);
    event.target.value = '';
    setPlan(undefined);
    setFiles(picked);
    if (picked.length === 0) {
      setOutcome({ ok: false, message: 'No .json or .jsonc file was picked: choose the folder your policy files are kept in.' });
      return;
    }
    setPlan(await send(picked, false));
  };

  const record = async () => {
    const applied = await send(files, true);
    if (!applied) return;
    setPlan(applied);
    if (applied.applied) {
      setOutcome({ ok: true, message: `Recorded ${applied.recorded} in the library; the provider's trail shows each version.` });
      onRecorded();
    } else setOutcome({ ok: false, message: 'Nothing was recorded: the plan refuses something (see the table).' });
  };

  const changes = plan ? plan.counts.add + plan.counts.change : 0;
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import a folder</h2>
      <p>
        Pick the folder your library is kept in: plain Azure Policy JSON, ARM templates, the Azure Landing Zones layout or an EPAC <code>Definitions</code> folder (
        <code>.json</code> and <code>.jsonc</code> files). You see the plan first; nothing is recorded until you confirm it. Larger libraries:{' '}
        <code>rampart policy import &lt;folder&gt; --apply</code>.
      </p>
      <div className="button-row">
        <label className="button" htmlFor="library-folder">
          Choose a folder…
        </label>
        {/* webkitdirectory is not in React's attribute types; every current browser supports it */}
        <input id="library-folder" className="visually-hidden" type="file" multiple onChange={pick} disabled={busy} {...{ webkitdirectory: '' }} />
        <label className="button button-quiet" htmlFor="library-files">
          or files…
        </label>
        <input id="library-files" className="visually-hidden" type="file" multiple accept=".json,.jsonc,application/json" onChange={pick} disabled={busy} />
      </div>
      {busy && !plan ? <Loading what="the plan" /> : null}
      {plan ? (
        <>
          <h3>
            Plan for {files.length} file{files.length === 1 ? '' : 's'}: {planSummary(plan.counts)}
          </h3>
          <PlanTable plan={plan} />
          {plan.applied ? null : !plan.applicable ? (
            <p className="small">Nothing can be recorded while anything is refused: fix or remove those files, then pick the folder again.</p>
          ) : changes === 0 ? (
            <p className="small">The library already holds all of it.</p>
          ) : (
            <div className="button-row">
              <button type="button" className="button button-primary" disabled={busy} onClick={record}>
                Record this plan ({changes} change{changes === 1 ? '' : 's'})
              </button>
            </div>
          )}
        </>
      ) : null}
      <OutcomeMessage outcome={outcome} />
    </section>
  );
};

export const AdminLibraryPage = () => {
  const query = useQuery('policy-library', (client, signal) => client.request<PolicyLibraryQuery>(POLICY_LIBRARY_QUERY, {}, { signal }));
  const artifacts = query.data?.policyLibrary ?? [];
  return (
    <>
      <PageHeader title="Policy library" subtitle="The provider's custom Azure Policy definitions and initiatives, imported as code and kept in every version" />
      <ImportFolder onRecorded={query.reload} />
      <section className="panel" aria-labelledby="library-title">
        <h2 id="library-title">In the library</h2>
        {query.error ? (
          <ErrorPanel error={query.error} onRetry={query.reload} />
        ) : !query.data ? (
          <Loading what="the library" />
        ) : artifacts.length === 0 ? (
          <p className="empty">
            The library is empty: import a folder above, or run <code>rampart policy import &lt;folder&gt; --apply</code>.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Policy library</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Version
                  </th>
                  <th scope="col">From</th>
                  <th scope="col">Recorded</th>
                </tr>
              </thead>
              <tbody>
                {artifacts.map((a) => (
                  <tr key={`${a.kind}:${a.name}`} data-artifact={a.name}>
                    <th scope="row" data-label="Name">
                      {a.displayName}
                      <span className="muted small block">
                        {a.name}
                        {a.retired ? ' (retired)' : ''}
                      </span>
                    </th>
                    <td data-label="Kind">{a.kind}</td>
                    <td data-label="Version" className="num">
                      v{a.version}
                    </td>
                    <td data-label="From">{a.source ? <code className="break">{a.source}</code> : <span className="muted">—</span>}</td>
                    <td data-label="Recorded">
                      {formatDateTime(a.recordedAt)}
                      {a.recordedBy ? <span className="muted small block">by {a.recordedBy}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
};
