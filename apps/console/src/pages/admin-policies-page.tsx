// A tenant's guardrails and incident policy: which baselines and regulatory standards it is assessed
// against (with their parameters and scope), the exemptions asked for or in force, which findings
// notify and which open incidents, SLA targets, the correlation window and the actions that run
// without a second approval. Every change goes through the same mutations as the CLI; the API
// decides and the page shows its refusal next to the form that caused it. An assignment of a library
// definition or initiative, the provider's or the tenant's own, follows its latest version or is
// pinned to one (setLibraryVersion); one of a standard or a library initiative sets values of the
// initiative's parameters. The tenant's own artifacts are offered from its library. An assignment a
// tenant group gives its members says so, and is the group's to take away (assign-parts.tsx holds
// the assign form, which a group's page shares).
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { describeError } from '../api/errors';
import { useQuery } from '../api/hooks';
import {
  APPROVE_EXEMPTION_MUTATION,
  ASSIGN_BASELINE_MUTATION,
  POLICY_LIBRARY_VERSIONS_QUERY,
  REVOKE_EXEMPTION_MUTATION,
  SET_INCIDENT_POLICY_MUTATION,
  SET_LIBRARY_VERSION_MUTATION,
  SET_REPORTING_POLICY_MUTATION,
  TENANT_GROUP_NAMES_QUERY,
  TENANT_INITIATIVE_CONTENT_QUERY,
  TENANT_POLICIES_QUERY,
  TENANT_POLICY_LIBRARY_VERSIONS_QUERY,
  UNASSIGN_BASELINE_MUTATION,
  type BaselineAssignment,
  type CommandMutation,
  type Exemption,
  type PolicyLibraryVersionsQuery,
  type PolicyMutation,
  type SlaTargets,
  type TenantGroupNamesQuery,
  type TenantInitiativeContentQuery,
  type TenantPoliciesQuery,
} from '../api/operations';
import { groupOrigin } from '../admin/groups';
import {
  assignedTitle,
  followingMessage,
  libraryVersionOf,
  ownLibraryBaselines,
  parseVersion,
  pinnedMessage,
  suggestedPin,
  versionLabel,
  versionTag,
  type LibraryVersion,
} from '../admin/library-version';
import { boundProblem, incidentPolicyInput, initiativeParameterNames, minutesInWords, slaProblems, slaRows } from '../admin/policies';
import { isMe, isPlatformAdmin, offers } from '../auth/roles';
import { ConfirmStep, OutcomeMessage, useSubmit } from '../components/forms';
import { Badge, ErrorPanel, Field, Loading, LiveMessage, NotFound, PageHeader } from '../components/ui';
import { formatDateTime, SEVERITY_ORDER } from '../format';
import { Link } from '../router/router';
import { useApi, useSignedIn } from '../session';
import { AssignedParameters, AssignForm, type AssignCatalog } from './assign-parts';

type Policies = TenantPoliciesQuery;

export const AdminPoliciesPage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const query = useQuery(`admin-policies:${tenantId}`, (client, signal) => client.request<TenantPoliciesQuery>(TENANT_POLICIES_QUERY, { tenantId }, { signal }));
  if (query.error) return <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />;
  if (!query.data) return <Loading what="the tenant's guardrails and policies" />;
  const data = query.data;
  if (!data.tenant) return <NotFound what={`tenant ${tenantId}`} />;
  const offboarded = data.tenant.status === 'offboarded';
  const manage = !offboarded && offers(me, 'managePolicies', tenantId);
  return (
    <>
      <PageHeader
        title={`Guardrails and policies of ${data.tenant.displayName}`}
        subtitle={
          <>
            What Rampart assesses <code>{tenantId}</code> against, what it reports, and how the SOC answers ·{' '}
            <Link to={{ name: 'admin-tenant', tenantId }}>Tenant settings</Link>
          </>
        }
      />
      {manage ? null : (
        <p className="notice">{offboarded ? 'This tenancy has ended: its policies stay readable, nothing more changes.' : 'You may read these settings; a customer admin, a SOC lead or a platform admin changes them.'}</p>
      )}
      <Assignments data={data} tenantId={tenantId} disabled={!manage} onDone={query.reload} />
      <Exemptions data={data} tenantId={tenantId} mayApprove={!offboarded && offers(me, 'approveExemption', tenantId)} onDone={query.reload} />
      <Notifications data={data} tenantId={tenantId} disabled={!manage} onDone={query.reload} />
      <IncidentPolicyForm data={data} tenantId={tenantId} disabled={!manage} onDone={query.reload} />
    </>
  );
};

// --- baselines and standards ------------------------------------------------------------------------

const Assignments = ({ data, tenantId, disabled, onDone }: { data: Policies; tenantId: string; disabled: boolean; onDone: () => void }) => {
  const { client } = useApi();
  const { me } = useSignedIn();
  const unassign = useSubmit();
  const [removing, setRemoving] = useState<string>();
  const titles = useMemo(() => new Map([...data.baselines, ...ownLibraryBaselines(data.tenantPolicyLibrary), ...data.standards].map((b) => [b.id, b.title])), [data]);
  const assignments = data.tenantGuardrails.assignments;
  // The groups are the provider's (groups.manage): a platform admin reads their names, others their ids.
  const namesAsked = isPlatformAdmin(me) && assignments.some((a) => a.group);
  const groupNames = useQuery(`tenant-group-names:${namesAsked}`, async (c, signal) =>
    namesAsked ? new Map((await c.request<TenantGroupNamesQuery>(TENANT_GROUP_NAMES_QUERY, {}, { signal })).tenantGroups.map((g) => [g.groupId, g.name])) : new Map<string, string>(),
  );
  const catalog = useMemo<AssignCatalog>(
    () => ({
      baselines: data.baselines,
      standards: data.standards,
      own: ownLibraryBaselines(data.tenantPolicyLibrary).filter((b) => !b.retired),
      // The baselines list no tenant's own initiative: its parameters are named in its latest version as imported.
      ownParameters: async (name) => {
        const answer = await client.request<TenantInitiativeContentQuery>(TENANT_INITIATIVE_CONTENT_QUERY, { tenantId, name });
        const latest = answer.artifact?.versions.at(-1);
        return latest ? initiativeParameterNames(latest.content) : [];
      },
    }),
    [data, client, tenantId],
  );
  const onUnassign = async (assignmentId: string) => {
    const done = await unassign.run<PolicyMutation>(UNASSIGN_BASELINE_MUTATION, { tenantId, assignmentId }, () => `Assignment ${assignmentId} removed; the tenant is re-evaluated without it.`);
    if (done) {
      setRemoving(undefined);
      onDone();
    }
  };
  return (
    <section className="panel" aria-labelledby="assignments-title">
      <h2 id="assignments-title">Baselines and standards</h2>
      {assignments.length === 0 ? (
        <p className="empty">Nothing is assigned: no guardrail is evaluated for this tenant, so its posture shows no findings at all — not a clean bill of health.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Baselines and standards assigned to the tenant</caption>
            <thead>
              <tr>
                <th scope="col">Assignment</th>
                <th scope="col">Baseline or standard</th>
                <th scope="col">Scope</th>
                <th scope="col">Parameters</th>
                <th scope="col">Assigned</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => {
                const library = libraryVersionOf(a);
                const title = assignedTitle(a, titles);
                const origin = a.group ? groupOrigin(a.group, groupNames.data) : undefined;
                return (
                  <tr key={a.assignmentId} data-assignment={a.assignmentId}>
                    <th scope="row" data-label="Assignment">
                      <code>{a.assignmentId}</code>
                      {a.group && origin ? (
                        <span className="block small">{namesAsked ? <Link to={{ name: 'admin-group', groupId: a.group }}>{origin}</Link> : origin}</span>
                      ) : null}
                    </th>
                    <td data-label="Baseline or standard">
                      {title} <span className="muted small">({a.baselineId})</span>
                      {library ? (
                        <span className="block">
                          <Badge value={library.following ? 'active' : 'requested'} label={versionTag(library)} prefix="Library version" />
                        </span>
                      ) : null}
                    </td>
                    <td data-label="Scope">{a.scope === '*' ? 'whole tenant' : <code className="break">{a.scope}</code>}</td>
                    <td data-label="Parameters">
                      <AssignedParameters parameters={a.parameters} initiativeParameters={a.initiativeParameters} />
                    </td>
                    <td data-label="Assigned">{formatDateTime(a.assignedAt)}</td>
                    <td data-label="Actions">
                      {disabled ? null : a.group ? (
                        // the API refuses (assigned-by-group): it goes when the group stops assigning it, or the tenant leaves the group
                        <span className="small muted">Comes with the group: it goes when the group unassigns it or the tenant leaves the group.</span>
                      ) : (
                        <ConfirmStep
                          confirming={removing === a.assignmentId}
                          startLabel="Unassign…"
                          onStart={() => setRemoving(a.assignmentId)}
                          question={`Stop assessing the tenant against ${title} (${a.scope === '*' ? 'whole tenant' : a.scope})? It is re-evaluated without it: findings only this assignment raised are resolved; their history stays.`}
                          confirmLabel={`Unassign ${a.assignmentId}`}
                          busy={unassign.busy}
                          onConfirm={() => onUnassign(a.assignmentId)}
                          onCancel={() => setRemoving(undefined)}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeMessage outcome={unassign.outcome} />
      <LibraryVersions data={data} tenantId={tenantId} disabled={disabled} onDone={onDone} />
      {disabled ? null : (
        <AssignForm
          catalog={catalog}
          taken={assignments.map((a) => a.assignmentId)}
          target={{ tenantId }}
          mutation={ASSIGN_BASELINE_MUTATION}
          title="Assign a baseline or standard"
          assigned={(id) => `Assigned as ${id}; the worker evaluates what it covers.`}
          onDone={onDone}
        />
      )}
    </section>
  );
};

// --- versions of library definitions and initiatives ---------------------------------------------------

const LibraryVersions = ({ data, tenantId, disabled, onDone }: { data: Policies; tenantId: string; disabled: boolean; onDone: () => void }) => {
  const { me } = useSignedIn();
  const library = data.tenantGuardrails.assignments.flatMap((assignment) => {
    const version = libraryVersionOf(assignment);
    return version ? [{ assignment, version }] : [];
  });
  if (library.length === 0) return null;
  return (
    <div className="inline-form">
      <h3>Versions of library definitions and initiatives</h3>
      <p className="hint">
        An assignment of a definition or initiative from the provider's policy library or the tenant's own follows its latest version, adopting each new one as it is recorded, or is
        pinned to one version — a rollback — until it follows the latest again. Either way the tenant is evaluated again.
      </p>
      {library.map(({ assignment, version }, i) => (
        <LibraryVersionForm
          key={assignment.assignmentId}
          separated={i > 0}
          assignment={assignment}
          version={version}
          tenantId={tenantId}
          shownRevision={data.tenantGuardrails.revision}
          // the provider's library is listed for those who manage it; the tenant's own for whoever reads the tenant
          listed={version.owner === 'tenant' || isPlatformAdmin(me)}
          // a group's assignment follows what the group gives: not pinned for one member (assigned-by-group)
          disabled={disabled || assignment.group !== null}
          onDone={onDone}
        />
      ))}
    </div>
  );
};

const LibraryVersionForm = ({
  separated,
  assignment,
  version,
  tenantId,
  shownRevision,
  listed,
  disabled,
  onDone,
}: {
  separated: boolean;
  assignment: BaselineAssignment;
  version: LibraryVersion;
  tenantId: string;
  shownRevision: number;
  listed: boolean;
  disabled: boolean;
  onDone: () => void;
}) => {
  const submit = useSubmit();
  const [text, setText] = useState(String(suggestedPin(version)));
  const [latest, setLatest] = useState<number>();
  const [problem, setProblem] = useState<string>();
  // The page reads a read model the worker updates after the change: reloaded until it shows the change.
  const [awaiting, setAwaiting] = useState<{ revision: number; tries: number }>();
  useEffect(() => {
    if (!awaiting) return undefined;
    if (shownRevision >= awaiting.revision || awaiting.tries >= 20) {
      setAwaiting(undefined);
      return undefined;
    }
    const timer = setTimeout(() => {
      setAwaiting({ ...awaiting, tries: awaiting.tries + 1 });
      onDone();
    }, 500);
    return () => clearTimeout(timer);
  }, [awaiting, shownRevision, onDone]);

  const id = assignment.assignmentId;
  const chosen = parseVersion(text);
  const change = async (to: number | null) => {
    setProblem(undefined);
    const result = await submit.run<PolicyMutation>(SET_LIBRARY_VERSION_MUTATION, { tenantId, assignmentId: id, version: to }, () => (to === null ? followingMessage(id) : pinnedMessage(id, to)));
    if (result?.__typename === 'GuardrailPolicyChanged') {
      setAwaiting({ revision: result.revision, tries: 0 });
      onDone();
    }
  };
  const onPin = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen.ok) return setProblem(chosen.message);
    void change(chosen.version);
  };
  const state = (
    <p>
      <code>{id}</code> ({version.name}
      {version.owner === 'tenant' ? ", the tenant's own" : ''}
      {assignment.group ? `, ${groupOrigin(assignment.group)}` : ''}): <strong>{versionLabel(version, latest)}</strong>
    </p>
  );
  if (disabled) return state;
  return (
    <form className={separated ? 'inline-form' : undefined} onSubmit={onPin} aria-label={`Library version of ${id}`}>
      {state}
      <div className="form-row version-choice">
        {listed ? (
          <ListedVersions id={`pin-${id}`} version={version} tenantId={tenantId} value={text} onChange={setText} onLatest={setLatest} />
        ) : (
          <TypedVersion id={`pin-${id}`} value={text} onChange={setText} hint="The provider's library lists its versions for platform admins; the API says whether it has the one you type." />
        )}
        <div className="button-row">
          <button type="submit" className="button" disabled={submit.busy}>
            {chosen.ok ? `Pin to version ${chosen.version}` : 'Pin to this version'}
          </button>
          <button type="button" className="button button-quiet" disabled={submit.busy || version.following} onClick={() => void change(null)}>
            Follow the latest version
          </button>
        </div>
      </div>
      {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
    </form>
  );
};

const TypedVersion = ({ id, value, onChange, hint }: { id: string; value: string; onChange: (text: string) => void; hint: string }) => (
  <Field id={id} label="Version to pin" hint={hint}>
    <input id={id} className="input-narrow" type="number" min={1} step={1} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${id}-hint`} />
  </Field>
);

/** The artifact's versions from its library (the provider's or the tenant's own); typed in when the library is not the person's to read. */
const ListedVersions = ({
  id,
  version: { owner, kind, name },
  tenantId,
  value,
  onChange,
  onLatest,
}: {
  id: string;
  version: LibraryVersion;
  tenantId: string;
  value: string;
  onChange: (text: string) => void;
  onLatest: (latest: number) => void;
}) => {
  const query = useQuery(`policy-library-versions/${owner === 'tenant' ? tenantId : ''}/${kind}/${name}`, (client, signal) =>
    owner === 'tenant'
      ? client.request<PolicyLibraryVersionsQuery>(TENANT_POLICY_LIBRARY_VERSIONS_QUERY, { tenantId, kind, name }, { signal })
      : client.request<PolicyLibraryVersionsQuery>(POLICY_LIBRARY_VERSIONS_QUERY, { kind, name }, { signal }),
  );
  const versions = query.data?.artifact?.versions ?? [];
  const latest = versions.at(-1)?.version;
  useEffect(() => {
    if (latest !== undefined) onLatest(latest);
  }, [latest, onLatest]);
  const whose = owner === 'tenant' ? "The tenant's own library" : "The provider's library";
  if (query.error) {
    const hint = query.error.kind === 'forbidden' ? `${whose} is not yours to list: type the version.` : `The library's versions could not be read (${describeError(query.error)}): type the version.`;
    return <TypedVersion id={id} value={value} onChange={onChange} hint={hint} />;
  }
  if (!query.data) return <Loading what="the library's versions" />;
  if (versions.length === 0) return <TypedVersion id={id} value={value} onChange={onChange} hint={`${whose} does not hold the ${kind} ${name}: type the version.`} />;
  return (
    <Field id={id} label="Version to pin">
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {versions.some((v) => String(v.version) === value) ? null : <option value="">Choose…</option>}
        {[...versions].reverse().map((v) => (
          <option key={v.version} value={String(v.version)}>
            v{v.version}
            {v.version === latest ? ' (latest)' : ''}, recorded {formatDateTime(v.recordedAt)}
          </option>
        ))}
      </select>
    </Field>
  );
};

// --- exemptions -----------------------------------------------------------------------------------

const Exemptions = ({ data, tenantId, mayApprove, onDone }: { data: Policies; tenantId: string; mayApprove: boolean; onDone: () => void }) => {
  const { me } = useSignedIn();
  const approve = useSubmit();
  const revoke = useSubmit();
  const [revoking, setRevoking] = useState<string>();
  const [reason, setReason] = useState('');
  const titles = useMemo(() => new Map(data.guardrails.map((g) => [g.id, g.title])), [data]);
  const exemptions = [...data.tenantGuardrails.exemptions].sort((a, b) => rankOf(a) - rankOf(b) || a.expiresAt.localeCompare(b.expiresAt));
  const onApprove = async (e: Exemption) => {
    if (await approve.run<PolicyMutation>(APPROVE_EXEMPTION_MUTATION, { tenantId, exemptionId: e.exemptionId }, () => `Exemption ${e.exemptionId} approved: in force until ${formatDateTime(e.expiresAt)}.`)) onDone();
  };
  const onRevoke = async (e: Exemption) => {
    const done = await revoke.run<PolicyMutation>(REVOKE_EXEMPTION_MUTATION, { tenantId, exemptionId: e.exemptionId, reason }, () => `Exemption ${e.exemptionId} revoked; what it covered is reported again.`);
    if (done) {
      setRevoking(undefined);
      setReason('');
      onDone();
    }
  };
  return (
    <section className="panel" aria-labelledby="policy-exemptions-title">
      <h2 id="policy-exemptions-title">Exemptions</h2>
      <p className="hint">
        An exemption is asked for from a finding (<Link to={{ name: 'findings', tenantId }}>Findings</Link>) and is in force once someone other than the requester approves it, until it expires or is revoked.
      </p>
      {exemptions.length === 0 ? (
        <p className="empty">No exemption asked for or in force.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Exemptions of the tenant</caption>
            <thead>
              <tr>
                <th scope="col">Guardrail</th>
                <th scope="col">Scope</th>
                <th scope="col">Status</th>
                <th scope="col">Why</th>
                <th scope="col">Requested</th>
                <th scope="col">Expires (UTC)</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {exemptions.map((e) => {
                const own = isMe(me, e.requestedBy);
                return (
                  <tr key={e.exemptionId}>
                    <th scope="row" data-label="Guardrail">
                      {titles.get(e.guardrailId) ?? e.guardrailId}
                      <span className="block muted small">
                        <code>{e.exemptionId}</code>
                      </span>
                    </th>
                    <td data-label="Scope">{e.scope === '*' ? 'whole tenant' : <code className="break small">{e.scope}</code>}</td>
                    <td data-label="Status">
                      <Badge value={e.status} />
                    </td>
                    <td data-label="Why">
                      <span className="small">
                        {e.category}: {e.justification}
                      </span>
                    </td>
                    <td data-label="Requested">
                      <span className="small">
                        {e.requestedBy}, {formatDateTime(e.requestedAt)}
                        {e.approvedBy ? <span className="block">approved by {e.approvedBy}</span> : null}
                      </span>
                    </td>
                    <td data-label="Expires (UTC)">{formatDateTime(e.expiresAt)}</td>
                    <td data-label="Actions">
                      {!mayApprove ? null : e.status === 'requested' ? (
                        own ? (
                          <span className="small muted">You asked for it: someone else approves.</span>
                        ) : (
                          <button type="button" className="button button-small" disabled={approve.busy} onClick={() => void onApprove(e)}>
                            Approve<span className="visually-hidden"> exemption {e.exemptionId}</span>
                          </button>
                        )
                      ) : e.status === 'active' ? (
                        <ConfirmStep
                          confirming={revoking === e.exemptionId}
                          startLabel={
                            <>
                              Revoke…<span className="visually-hidden"> exemption {e.exemptionId}</span>
                            </>
                          }
                          onStart={() => setRevoking(e.exemptionId)}
                          question={`End exemption ${e.exemptionId}? What it covers is reported again at the next evaluation.`}
                          confirmLabel={`Revoke ${e.exemptionId}`}
                          busy={revoke.busy}
                          onConfirm={() => void onRevoke(e)}
                          onCancel={() => setRevoking(undefined)}
                          reason={{ id: `revoke-${e.exemptionId}`, label: 'Reason (the customer and the auditor read it)', value: reason, onChange: setReason }}
                        />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeMessage outcome={approve.outcome ?? revoke.outcome} />
    </section>
  );
};

const EXEMPTION_RANK: Record<string, number> = { requested: 0, active: 1 };
const rankOf = (e: Exemption) => EXEMPTION_RANK[e.status] ?? 2;

// --- notifications ----------------------------------------------------------------------------------

const SeverityChoice = ({ name, legend, hint, chosen, onChange, disabled }: { name: string; legend: string; hint: string; chosen: readonly string[]; onChange: (next: string[]) => void; disabled: boolean }) => (
  <fieldset disabled={disabled}>
    <legend>{legend}</legend>
    <p className="hint">{hint}</p>
    {SEVERITY_ORDER.map((s) => (
      <label key={s} className="checkbox">
        <input type="checkbox" name={name} value={s} checked={chosen.includes(s)} onChange={(e) => onChange(e.target.checked ? [...chosen, s] : chosen.filter((x) => x !== s))} /> {s}
      </label>
    ))}
  </fieldset>
);

const Notifications = ({ data, tenantId, disabled, onDone }: { data: Policies; tenantId: string; disabled: boolean; onDone: () => void }) => {
  const submit = useSubmit();
  const [notify, setNotify] = useState<string[]>([...data.tenantGuardrails.reporting.notifySeverities]);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await submit.run<PolicyMutation>(SET_REPORTING_POLICY_MUTATION, { tenantId, notifySeverities: notify }, () => 'Notifications saved.')) onDone();
  };
  return (
    <section className="panel" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <form onSubmit={onSubmit}>
        <SeverityChoice
          name="notify"
          legend="Findings that send a notification"
          hint="Sent to the tenant's notification channels when such a finding opens; which findings open an incident is the incident policy's choice, below."
          chosen={notify}
          onChange={setNotify}
          disabled={disabled}
        />
        {disabled ? null : (
          <button type="submit" className="button" disabled={submit.busy}>
            Save notifications
          </button>
        )}
        <OutcomeMessage outcome={submit.outcome} />
      </form>
    </section>
  );
};

// --- incident policy ----------------------------------------------------------------------------------

const SLA_TARGETS = [
  ['acknowledgeMinutes', 'Acknowledge'],
  ['containMinutes', 'Contain'],
  ['resolveMinutes', 'Resolve'],
] as const;

const IncidentPolicyForm = ({ data, tenantId, disabled, onDone }: { data: Policies; tenantId: string; disabled: boolean; onDone: () => void }) => {
  const submit = useSubmit();
  const policy = data.incidentPolicy;
  const [severities, setSeverities] = useState<string[]>([...policy.findingSeverities]);
  const [windowMinutes, setWindowMinutes] = useState(String(policy.correlationWindowMinutes));
  const [expiryMinutes, setExpiryMinutes] = useState(String(policy.approvalExpiryMinutes));
  const [preApproved, setPreApproved] = useState<string[]>([...policy.preApprovedActions]);
  const [sla, setSla] = useState<SlaTargets[]>(slaRows(policy.sla));
  const [problem, setProblem] = useState<string>();
  const problems = sla.flatMap(slaProblems);
  const setTarget = (severity: string, key: (typeof SLA_TARGETS)[number][0], text: string) =>
    setSla((rows) => rows.map((r) => (r.severity === severity ? { ...r, [key]: text === '' ? Number.NaN : Number(text) } : r)));
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    if (problems.length) return setProblem(problems.join('; '));
    const correlationWindowMinutes = Number(windowMinutes);
    const approvalExpiryMinutes = Number(expiryMinutes);
    const outOfBounds = boundProblem('correlationWindowMinutes', correlationWindowMinutes) ?? boundProblem('approvalExpiryMinutes', approvalExpiryMinutes);
    if (outOfBounds) return setProblem(outOfBounds);
    const input = incidentPolicyInput(tenantId, policy, { findingSeverities: severities, correlationWindowMinutes, approvalExpiryMinutes, preApprovedActions: preApproved, sla });
    if (!input) return setProblem('Nothing changed.');
    if (await submit.run<CommandMutation>(SET_INCIDENT_POLICY_MUTATION, input, () => 'Incident policy saved: it applies to what happens from now on.')) onDone();
  };
  return (
    <section className="panel" aria-labelledby="incident-policy-title">
      <h2 id="incident-policy-title">Incident policy</h2>
      <form onSubmit={onSubmit}>
        <SeverityChoice
          name="finding-severities"
          legend="Findings that open an incident"
          hint={
            policy.findingSeveritiesFrom === 'incident-policy'
              ? 'A finding of these severities opens an incident, or joins the open one on the same resource.'
              : `Not chosen for this tenant yet: it follows the ${policy.findingSeveritiesFrom === 'default' ? "platform's default" : 'earlier reporting policy'}. Saving a change makes it the tenant's own.`
          }
          chosen={severities}
          onChange={setSeverities}
          disabled={disabled}
        />
        <div className="form-row">
          <Field id="correlation-window" label="Correlation window (minutes)" hint={`Alerts and findings on the same resource or entity within ${minutesInWords(Number(windowMinutes))} join one incident.`}>
            <input id="correlation-window" className="input-narrow" type="number" min={5} max={10080} step={1} value={windowMinutes} onChange={(e) => setWindowMinutes(e.target.value)} disabled={disabled} aria-describedby="correlation-window-hint" />
          </Field>
          <Field id="approval-expiry" label="Approval lifetime (minutes)" hint={`A proposed action not approved within ${minutesInWords(Number(expiryMinutes))} expires: the resource may have changed since; propose it again if still needed.`}>
            <input id="approval-expiry" className="input-narrow" type="number" min={5} max={43200} step={1} value={expiryMinutes} onChange={(e) => setExpiryMinutes(e.target.value)} disabled={disabled} aria-describedby="approval-expiry-hint" />
          </Field>
        </div>
        <div className="table-scroll">
          <table className="table table-cards">
            <caption>SLA targets, in minutes from the incident's opening</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                {SLA_TARGETS.map(([key, label]) => (
                  <th key={key} scope="col">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sla.map((row) => (
                <tr key={row.severity}>
                  <th scope="row" data-label="Severity">
                    <Badge value={row.severity} />
                  </th>
                  {SLA_TARGETS.map(([key, label]) => {
                    const id = `sla-${row.severity}-${key}`;
                    return (
                      <td key={key} data-label={label}>
                        <label htmlFor={id} className="visually-hidden">
                          {label} {row.severity} incidents within (minutes)
                        </label>
                        <input
                          id={id}
                          className="input-narrow"
                          type="number"
                          min={1}
                          step={1}
                          value={Number.isNaN(row[key]) ? '' : row[key]}
                          onChange={(e) => setTarget(row.severity, key, e.target.value)}
                          disabled={disabled}
                          aria-describedby={`${id}-words`}
                        />
                        <span id={`${id}-words`} className="block muted small">
                          {minutesInWords(row[key])}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <fieldset disabled={disabled}>
          <legend>Actions that run without a second approval</legend>
          <p className="hint">Proposed by the playbooks or an analyst, these execute at once. Actions that cut access or delete always wait for a person's approval.</p>
          {data.actionCatalog.map((a) => (
            <label key={a.id} className="checkbox">
              <input
                type="checkbox"
                value={a.id}
                checked={preApproved.includes(a.id)}
                disabled={a.destructive}
                onChange={(e) => setPreApproved((p) => (e.target.checked ? [...p, a.id] : p.filter((x) => x !== a.id)))}
              />{' '}
              {a.title} <span className="muted small">({a.verb.toLowerCase()}{a.destructive ? ', always approved by a person' : ''})</span>
            </label>
          ))}
        </fieldset>
        {disabled ? null : (
          <button type="submit" className="button" disabled={submit.busy}>
            Save incident policy
          </button>
        )}
        {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
      </form>
    </section>
  );
};
