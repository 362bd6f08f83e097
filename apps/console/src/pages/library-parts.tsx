// The pieces both policy library pages are made of, the provider's (admin-library-page.tsx) and a
// tenant's own (tenant-library-page.tsx): an import of the folder the library is kept in, as `rampart
// policy import` does it (the plan first, what its new and changed definitions would find, recorded
// only when confirmed and nothing while anything is refused), what the library holds, and an
// artifact's page: its versions and what changed between two, where it is assigned, an initiative's
// members, and its retirement. The files are read in the browser and sent as they are; the API judges them.
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import {
  IMPORT_POLICY_LIBRARY_MUTATION,
  IMPORT_POLICY_LIBRARY_WHAT_IF_MUTATION,
  IMPORT_TENANT_POLICY_LIBRARY_MUTATION,
  IMPORT_TENANT_POLICY_LIBRARY_WHAT_IF_MUTATION,
  RETIRE_POLICY_LIBRARY_ARTIFACT_MUTATION,
  RETIRE_TENANT_POLICY_LIBRARY_ARTIFACT_MUTATION,
  type PolicyImportMutation,
  type PolicyImportPlan,
  type PolicyImportWhatIfMutation,
  type PolicyLibraryArtifact,
  type PolicyLibraryArtifactDetail,
  type PolicyWhatIf,
  type RetirePolicyLibraryArtifactMutation,
} from '../api/operations';
import { importPathOf, planSummary, versionChanges } from '../admin/library';
import { assignmentRows, assignmentSummary, memberSource, memberSummary, retiredMessage } from '../admin/library-artifact';
import { importOutcome, libraryRefusal, reasonProblem } from '../admin/library-changes';
import { trailOf, type LibraryScope } from '../admin/library-scope';
import { parseTenantList, sinceText, whatIfRows, whatIfSubject, whatIfSummary, whyReplayed } from '../admin/what-if';
import { isPlatformAdmin } from '../auth/roles';
import { OutcomeMessage, useSubmit, type Outcome } from '../components/forms';
import { Badge, Field, LiveMessage, Loading, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { formatValue } from '../resources/configuration-history';
import { Link } from '../router/router';
import type { Route } from '../router/routes';
import { useApi, useSignedIn } from '../session';

interface PolicyFile {
  readonly path: string;
  readonly content: string;
}

const ACTION_TONES: Record<PolicyImportPlan['items'][number]['action'], string> = { add: 'ok', change: 'at-risk', unchanged: 'closed', refused: 'failed', skipped: 'closed' };

/** An artifact's page in the scope's library. */
const artifactRoute = (scope: LibraryScope, kind: string, name: string): Route => {
  const k = kind === 'initiative' ? 'initiative' : 'definition';
  return scope.owner === 'provider' ? { name: 'admin-library-artifact', kind: k, artifact: name } : { name: 'tenant-library-artifact', tenantId: scope.tenantId, kind: k, artifact: name };
};

/** How the CLI does the same, for libraries larger than a browser request. */
const importCommand = (scope: LibraryScope, flag: string): string =>
  `rampart policy import <folder>${scope.owner === 'tenant' ? ` --for-tenant ${scope.tenantId}` : ''} ${flag}`;

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

/** Each definition replayed, an initiative's member named after it; a tenant's own import has one tenant, so no tenant column. */
const WhatIfTable = ({ rows, scope }: { rows: readonly PolicyWhatIf[]; scope: LibraryScope }) => (
  <div className="table-scroll">
    <table className="table table-cards">
      <caption className="visually-hidden">What the import would find</caption>
      <thead>
        <tr>
          <th scope="col">Definition</th>
          {scope.owner === 'provider' ? <th scope="col">Tenant</th> : null}
          <th scope="col">Why</th>
          <th scope="col" className="num">
            Resources found now
          </th>
          <th scope="col" className="num">
            Found ever
          </th>
          <th scope="col">Since</th>
          <th scope="col" className="num">
            Not evaluable
          </th>
        </tr>
      </thead>
      <tbody>
        {whatIfRows(rows).map((row) => (
          <tr key={`${row.definition}#${row.member ?? ''}#${row.tenantId}`} data-definition={row.definition} data-member={row.member ?? undefined} data-tenant={row.tenantId}>
            <th scope="row" data-label="Definition">
              {whatIfSubject(row)}
              {row.version === null ? null : <span className="muted small block">{row.member ? `initiative as v${row.version}` : `as v${row.version}`}</span>}
            </th>
            {scope.owner === 'provider' ? (
              <td data-label="Tenant">
                <code>{row.tenantId}</code>
              </td>
            ) : null}
            <td data-label="Why">{whyReplayed(row.reason, scope)}</td>
            {row.refusal ? (
              <td data-label="Not replayed" colSpan={4}>
                <Badge value="notEvaluable" label="not replayed" /> {row.refusal}
              </td>
            ) : (
              <>
                <td data-label="Resources found now" className="num">
                  {row.nonCompliantNow}
                </td>
                <td data-label="Found ever" className="num">
                  {row.nonCompliantEver}
                </td>
                <td data-label="Since">{sinceText(row)}</td>
                <td data-label="Not evaluable" className="num">
                  {row.errors}
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

/**
 * Import a folder into the scope's library. The provider's asks for a second person when its policy
 * says so (`approvalRequired`: the confirmed plan is proposed); a tenant's own is recorded at once.
 */
export const ImportFolder = ({
  scope,
  approvalRequired = false,
  onRecorded,
  onProposed,
}: {
  scope: LibraryScope;
  approvalRequired?: boolean;
  onRecorded: () => void;
  onProposed?: () => void;
}) => {
  const { client } = useApi();
  const [files, setFiles] = useState<PolicyFile[]>([]);
  const [plan, setPlan] = useState<PolicyImportPlan>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [whatIf, setWhatIf] = useState<readonly PolicyWhatIf[]>();
  const [whatIfTenants, setWhatIfTenants] = useState('');
  const [whatIfOutcome, setWhatIfOutcome] = useState<Outcome>();
  const [replaying, setReplaying] = useState(false);
  const provider = scope.owner === 'provider';
  const owner = provider ? {} : { tenantId: scope.tenantId };

  const request = async <T,>(document: string, input: Record<string, unknown>, fail: (outcome: Outcome) => void): Promise<T | undefined> => {
    setBusy(true);
    setOutcome(undefined);
    setWhatIfOutcome(undefined);
    try {
      return await client.request<T>(document, { input: { ...owner, ...input } });
    } catch (error) {
      fail({ ok: false, message: error instanceof ApiError ? describeError(error) : (error as Error).message });
      return undefined;
    } finally {
      setBusy(false);
    }
  };

  const send = async (picked: PolicyFile[], apply: boolean): Promise<PolicyImportPlan | undefined> =>
    (await request<PolicyImportMutation>(provider ? IMPORT_POLICY_LIBRARY_MUTATION : IMPORT_TENANT_POLICY_LIBRARY_MUTATION, { files: picked, apply }, setOutcome))?.plan;

  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = await readPicked(event.target.files);
    event.target.value = '';
    setPlan(undefined);
    setWhatIf(undefined);
    setWhatIfOutcome(undefined);
    setFiles(picked);
    if (picked.length === 0) {
      setOutcome({ ok: false, message: 'No .json or .jsonc file was picked: choose the folder your policy files are kept in.' });
      return;
    }
    setPlan(await send(picked, false));
  };

  // Replayed over the recorded history of the tenants that follow each added or changed definition,
  // and of those named (a tenant's own: over that tenant's); never with apply, so nothing is recorded.
  const findWhat = async (event: FormEvent) => {
    event.preventDefault();
    const named = provider ? parseTenantList(whatIfTenants) : { ok: true as const, tenants: [] };
    if (!named.ok) return setWhatIfOutcome({ ok: false, message: named.message });
    setWhatIf(undefined);
    setReplaying(true);
    const answer = await request<PolicyImportWhatIfMutation>(
      provider ? IMPORT_POLICY_LIBRARY_WHAT_IF_MUTATION : IMPORT_TENANT_POLICY_LIBRARY_WHAT_IF_MUTATION,
      { files, whatIf: true, ...(named.tenants.length ? { whatIfTenants: named.tenants } : {}) },
      setWhatIfOutcome,
    );
    setReplaying(false);
    if (!answer) return;
    const { whatIf: rows, ...answered } = answer.plan;
    setPlan(answered);
    setWhatIf(rows ?? []);
    setWhatIfOutcome({ ok: true, message: `${whatIfSummary(rows ?? [], scope)}. Nothing was recorded.` });
  };

  const record = async () => {
    const applied = await send(files, true);
    if (!applied) return;
    setWhatIf(undefined);
    setWhatIfOutcome(undefined);
    setPlan(applied);
    const { recorded, ...said } = importOutcome(applied, scope);
    setOutcome(said);
    if (recorded) onRecorded();
    else if (applied.proposedChangeId) onProposed?.();
  };

  const changes = plan ? plan.counts.add + plan.counts.change : 0;
  // recorded, or proposed for a second person: either way this plan is done with
  const settled = plan ? plan.applied || Boolean(plan.proposedChangeId) : false;
  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import a folder</h2>
      <p>
        Pick the folder your library is kept in: plain Azure Policy JSON, ARM templates, the Azure Landing Zones layout or an EPAC <code>Definitions</code> folder (
        <code>.json</code> and <code>.jsonc</code> files).
        {provider ? null : " Its initiatives may hold the tenant's own definitions, the provider's library definitions and Azure's built-ins."} You see the plan first; nothing is
        recorded until you confirm it. Larger libraries: <code>{importCommand(scope, '--apply')}</code>.
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
          {settled || changes === 0 ? null : (
            <form className="inline-form" onSubmit={findWhat} aria-labelledby="what-if-title">
              <h3 id="what-if-title">What would it find?</h3>
              {provider ? (
                <p className="hint">
                  Each definition this plan adds or changes, and each member of an initiative it adds or changes, is replayed over the recorded history of the tenants whose
                  assignments follow it, and of the tenants you name: the resources that would break it now, those that ever did, and since when. Nothing is recorded — not in the
                  library, not for any tenant. As <code>{importCommand(scope, '--what-if')}</code>.
                </p>
              ) : (
                <p className="hint">
                  Each definition this plan adds or changes, and each member of an initiative it adds or changes, is replayed over the tenant's recorded history, assigned or not: the
                  resources that would break it now, those that ever did, and since when. Nothing is recorded. As <code>{importCommand(scope, '--what-if')}</code>.
                </p>
              )}
              {provider ? (
                <Field id="what-if-tenants" label="More tenants to replay for (optional)" hint="Tenant ids, comma separated: a new definition is followed by no tenant yet.">
                  <input
                    id="what-if-tenants"
                    value={whatIfTenants}
                    onChange={(e) => setWhatIfTenants(e.target.value)}
                    placeholder="contoso-bank, fabrikam-retail"
                    aria-describedby="what-if-tenants-hint"
                    autoComplete="off"
                  />
                </Field>
              ) : null}
              <button type="submit" className="button" disabled={busy}>
                What would it find?
              </button>
              {replaying ? <Loading what="what it would find" /> : null}
              {whatIf?.length ? <WhatIfTable rows={whatIf} scope={scope} /> : null}
              <OutcomeMessage outcome={whatIfOutcome} />
            </form>
          )}
          {settled ? null : !plan.applicable ? (
            <p className="small">Nothing can be recorded while anything is refused: fix or remove those files, then pick the folder again.</p>
          ) : changes === 0 ? (
            <p className="small">The library already holds all of it.</p>
          ) : approvalRequired ? (
            <>
              <p className="small">The library policy requires a second person: the plan is proposed, and published only once another platform admin approves it.</p>
              <div className="button-row">
                <button type="button" className="button button-primary" disabled={busy} onClick={record}>
                  Propose this plan ({changes} change{changes === 1 ? '' : 's'})
                </button>
              </div>
            </>
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

/** What the library holds, each artifact at its latest version and linked to its page. */
export const LibraryTable = ({ scope, artifacts, caption }: { scope: LibraryScope; artifacts: readonly PolicyLibraryArtifact[]; caption: string }) => (
  <div className="table-scroll">
    <table className="table table-cards">
      <caption className="visually-hidden">{caption}</caption>
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
              <Link to={artifactRoute(scope, a.kind, a.name)}>{a.displayName}</Link>
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
);

const WhereAssigned = ({ artifact, scope }: { artifact: PolicyLibraryArtifactDetail; scope: LibraryScope }) => {
  const rows = assignmentRows(artifact.assignments);
  const acrossTenants = scope.owner === 'provider';
  return (
    <section className="panel" aria-labelledby="assigned-title">
      <h2 id="assigned-title">Where it is assigned</h2>
      <p className={rows.length ? undefined : 'empty'}>{assignmentSummary(rows, scope)}</p>
      {rows.length ? (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Where it is assigned</caption>
            <thead>
              <tr>
                {acrossTenants ? <th scope="col">Tenant</th> : null}
                <th scope="col">Assignment</th>
                <th scope="col">Scope</th>
                <th scope="col" className="num">
                  Version in force
                </th>
                <th scope="col">Follows or pinned</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.tenantId}/${row.assignmentId}`} data-tenant={row.tenantId} data-assignment={row.assignmentId}>
                  {acrossTenants ? (
                    <th scope="row" data-label="Tenant">
                      <Link to={{ name: 'admin-policies', tenantId: row.tenantId }}>{row.tenantId}</Link>
                    </th>
                  ) : null}
                  {acrossTenants ? (
                    <td data-label="Assignment">
                      <code>{row.assignmentId}</code>
                    </td>
                  ) : (
                    <th scope="row" data-label="Assignment">
                      <Link to={{ name: 'admin-policies', tenantId: row.tenantId }}>
                        <code>{row.assignmentId}</code>
                      </Link>
                    </th>
                  )}
                  <td data-label="Scope">{row.scope === '*' ? 'whole tenant' : <code className="break">{row.scope}</code>}</td>
                  <td data-label="Version in force" className="num">
                    {row.inForce === undefined ? '—' : `v${row.inForce}`}
                  </td>
                  <td data-label="Follows or pinned">
                    <Badge value={row.following ? 'active' : 'requested'} label={row.following ? 'follows the latest' : 'pinned'} prefix="Library version" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
};

const Members = ({ artifact, scope }: { artifact: PolicyLibraryArtifactDetail; scope: LibraryScope }) => {
  const { me } = useSignedIn();
  const versions = artifact.versions.filter((v) => v.members);
  const [chosen, setChosen] = useState<number>();
  const shown = versions.find((v) => v.version === chosen) ?? versions.at(-1);
  if (!shown?.members) return null;
  // the provider's library is read by platform admins only: elsewhere its definitions are named, not linked
  const linkProviders = scope.owner === 'provider' || isPlatformAdmin(me);
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {versions.length > 1 ? (
        <Field id="members-version" label="Of version">
          <select id="members-version" value={shown.version} onChange={(e) => setChosen(Number(e.target.value))}>
            {[...versions].reverse().map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      <p>
        Version {shown.version}: {memberSummary(shown.members, scope)}.{' '}
        {scope.owner === 'provider'
          ? 'It holds each library definition at the version shown: a new version of one publishes the initiative again.'
          : "It holds each library definition at the version shown: a new version of one of the tenant's own publishes the initiative again; for a newer one of the provider's, import the initiative again."}
      </p>
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="visually-hidden">Members of version {shown.version}</caption>
          <thead>
            <tr>
              <th scope="col">Reference id</th>
              <th scope="col">From</th>
              <th scope="col">Definition</th>
              <th scope="col" className="num">
                Version
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.members.map((m) => (
              <tr key={m.referenceId} data-reference={m.referenceId}>
                <th scope="row" data-label="Reference id">
                  <code className="break">{m.referenceId}</code>
                </th>
                <td data-label="From">{memberSource(m, scope)}</td>
                <td data-label="Definition">
                  {m.source === 'tenant' ? (
                    <Link to={artifactRoute(scope, 'definition', m.name)}>{m.name}</Link>
                  ) : m.source === 'library' && linkProviders ? (
                    <Link to={{ name: 'admin-library-artifact', kind: 'definition', artifact: m.name }}>{m.name}</Link>
                  ) : (
                    <code className="break">{m.name}</code>
                  )}
                </td>
                <td data-label="Version" className="num">
                  {m.version === null ? <span className="muted">—</span> : `v${m.version}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
};

const Retire = ({ artifact, scope, mayRetire, onRetired }: { artifact: PolicyLibraryArtifactDetail; scope: LibraryScope; mayRetire: boolean; onRetired: () => void }) => {
  const submit = useSubmit(libraryRefusal);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  if (!artifact.retired && !mayRetire) return null;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = reasonProblem(reason, scope);
    setProblem(invalid);
    if (invalid) return;
    const input = { ...(scope.owner === 'tenant' ? { tenantId: scope.tenantId } : {}), kind: artifact.kind, name: artifact.name, reason: reason.trim() };
    const done = await submit.run<RetirePolicyLibraryArtifactMutation>(
      scope.owner === 'provider' ? RETIRE_POLICY_LIBRARY_ARTIFACT_MUTATION : RETIRE_TENANT_POLICY_LIBRARY_ARTIFACT_MUTATION,
      input,
      (r) => (r.__typename === 'PolicyLibraryRetired' ? retiredMessage(r) : ''),
    );
    if (done) {
      setReason('');
      onRetired();
    }
  };
  return (
    <section className="panel" aria-labelledby="retire-title">
      <h2 id="retire-title">Retire</h2>
      {artifact.retired ? (
        <p>
          <Badge value="closed" label="Retired" prefix="State" /> No longer offered to new assignments; kept for history and as-of, and the assignments already made keep the version they
          evaluate until changed.
        </p>
      ) : (
        <form className="inline-form" onSubmit={onSubmit} aria-labelledby="retire-title">
          <p className="hint">
            Retiring keeps every version for history and as-of, and stops offering the {artifact.kind} to new assignments; the assignments already made keep the version they evaluate until
            changed. A definition an initiative of the library holds is refused: retire the initiative first, or publish it without the definition.
          </p>
          <Field id="retire-reason" label="Why retire it" hint={`3 to 500 characters: ${trailOf(scope)} keeps it.`}>
            <input id="retire-reason" value={reason} onChange={(e) => setReason(e.target.value)} required aria-describedby="retire-reason-hint" />
          </Field>
          <button type="submit" className="button button-danger" disabled={submit.busy || !reason.trim()}>
            Retire {artifact.name}
          </button>
        </form>
      )}
      {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
    </section>
  );
};

/**
 * One artifact's page: every version, what changed between two of them, each as imported, where it
 * is assigned, an initiative's members, and its retirement (offered when `mayRetire`).
 */
export const ArtifactPage = ({
  scope,
  artifact,
  whose,
  back,
  mayRetire,
  onChanged,
}: {
  scope: LibraryScope;
  artifact: PolicyLibraryArtifactDetail;
  /** The library as the subtitle names it: "the provider's policy library". */
  whose: string;
  back: { readonly to: Route; readonly label: string };
  mayRetire: boolean;
  onChanged: () => void;
}) => {
  const versions = artifact.versions;
  const latest = versions.at(-1)?.version ?? 0;
  const [from, setFrom] = useState<number>();
  const [to, setTo] = useState<number>();
  const fromVersion = from ?? Math.max(1, latest - 1);
  const toVersion = to ?? latest;
  const before = versions.find((v) => v.version === fromVersion);
  const after = versions.find((v) => v.version === toVersion);
  const changes = before && after ? versionChanges(before.content, after.content) : [];
  const current = versions.at(-1);
  return (
    <>
      <PageHeader
        title={current?.displayName ?? artifact.name}
        subtitle={`${artifact.kind} ${artifact.name} in ${whose}: version ${latest}${artifact.retired ? ', retired' : ''}`}
        actions={<Link to={back.to}>{back.label}</Link>}
      />
      <section className="panel" aria-labelledby="versions-title">
        <h2 id="versions-title">Versions</h2>
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Versions of {artifact.name}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Recorded</th>
                <th scope="col">From</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <th scope="row" data-label="Version">
                    v{v.version}
                  </th>
                  <td data-label="Recorded">
                    {formatDateTime(v.recordedAt)}
                    <span className="muted small block">by {v.recordedBy}</span>
                  </td>
                  <td data-label="From">
                    <code className="break">{v.source}</code>
                  </td>
                  <td data-label="SHA-256">
                    <code className="break small">{v.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {artifact.retirements.map((r) => (
          <p key={`${r.version}-${r.recordedAt}`} className="small">
            Retired at version {r.version} on {formatDateTime(r.recordedAt)} by {r.recordedBy}: {r.reason}
          </p>
        ))}
      </section>
      <section className="panel" aria-labelledby="compare-title">
        <h2 id="compare-title">What changed</h2>
        {versions.length < 2 ? (
          <p className="empty">One version so far: importing changed content records the next one, and this shows what changed.</p>
        ) : (
          <>
            <div className="form-row">
              <Field id="compare-from" label="From version">
                <select id="compare-from" value={fromVersion} onChange={(e) => setFrom(Number(e.target.value))}>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="compare-to" label="To version">
                <select id="compare-to" value={toVersion} onChange={(e) => setTo(Number(e.target.value))}>
                  {versions.map((v) => (
                    <option key={v.version} value={v.version}>
                      v{v.version}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            {changes.length === 0 ? (
              <p className="empty">No difference between v{fromVersion} and v{toVersion}.</p>
            ) : (
              <div className="table-scroll">
                <table className="table table-cards">
                  <caption className="visually-hidden">
                    Changes from v{fromVersion} to v{toVersion}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Path</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {changes.map((c) => (
                      <tr key={`${c.op}${c.path}`} data-path={c.path}>
                        <th scope="row" data-label="Path">
                          <code className="break">{c.path}</code>
                        </th>
                        <td data-label="Before">
                          <code className="break">{formatValue(c.before)}</code>
                        </td>
                        <td data-label="After">
                          <code className="break">{formatValue(c.after)}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>
      <WhereAssigned artifact={artifact} scope={scope} />
      <Members artifact={artifact} scope={scope} />
      {current ? (
        <section className="panel" aria-labelledby="content-title">
          <h2 id="content-title">As imported (v{current.version})</h2>
          <details>
            <summary>The {artifact.kind} as JSON</summary>
            <pre className="code" tabIndex={0}>
              {JSON.stringify(JSON.parse(current.content), null, 2)}
            </pre>
          </details>
        </section>
      ) : null}
      <Retire artifact={artifact} scope={scope} mayRetire={mayRetire} onRetired={onChanged} />
    </>
  );
};
