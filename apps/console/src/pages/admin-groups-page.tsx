// The provider's tenant groups, for platform admins: named sets of customers (by sector, contract
// tier, region; a tenant may be in several), each with the baselines it gives every member. A member
// holds them in its own policy as `grp-<group>-<assignment>`, gained when it joins and lost when it
// leaves: the worker applies that, and updates the groups' list and members, after the change is
// recorded, so each form reloads the page until it shows the change. The assign form is the
// policies page's (assign-parts.tsx), offered Rampart's baselines, Azure's standards and the
// provider's library, never a tenant's own.
import { useMemo, useState, type FormEvent } from 'react';
import { useQuery, useReloadUntil } from '../api/hooks';
import {
  ADD_TENANT_TO_GROUP_MUTATION,
  ASSIGN_BASELINE_TO_GROUP_MUTATION,
  CREATE_TENANT_GROUP_MUTATION,
  REMOVE_TENANT_FROM_GROUP_MUTATION,
  TENANT_GROUP_COMPLIANCE_QUERY,
  TENANT_GROUP_QUERY,
  TENANT_GROUPS_QUERY,
  UNASSIGN_BASELINE_FROM_GROUP_MUTATION,
  type TenantGroup,
  type TenantGroupComplianceQuery,
  type TenantGroupMutation,
  type TenantGroupQuery,
  type TenantGroupsQuery,
} from '../api/operations';
import {
  assignsLines,
  countText,
  failingInText,
  GROUP_ASSIGNMENT_ID_LENGTH,
  GROUP_SERIES_DAYS,
  groupIdProblem,
  groupNonCompliantLine,
  groupRefusal,
  groupSeriesSummary,
  groupSeriesUntilNow,
  groupSeriesWindow,
  groupShows,
  joinableTenants,
  leaveReasonProblem,
  memberAssignmentId,
  memberScoreText,
  membersText,
} from '../admin/groups';
import { assignedTitle } from '../admin/library-version';
import { LineChart } from '../charts/charts';
import { countDomain } from '../charts/scale';
import { ConfirmStep, OutcomeMessage, useSubmit } from '../components/forms';
import { ErrorPanel, Field, LiveMessage, Loading, NotFound, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { Link } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';
import { AssignedParameters, AssignForm } from './assign-parts';

const titlesOf = (data: { baselines: readonly { id: string; title: string }[]; standards: readonly { id: string; title: string }[] }): Map<string, string> =>
  new Map([...data.baselines, ...data.standards].map((b) => [b.id, b.title]));

/** Says the page waits for the worker, so a change not shown yet is not taken for a lost one. */
const Waiting = ({ waiting }: { waiting: boolean }) => (waiting ? <p className="small muted">Waiting for the worker to apply it…</p> : null);

// --- every group ------------------------------------------------------------------------------------

export const AdminGroupsPage = () => {
  const query = useQuery('tenant-groups', (client, signal) => client.request<TenantGroupsQuery>(TENANT_GROUPS_QUERY, {}, { signal }));
  const settle = useReloadUntil(query);
  const titles = useMemo(() => (query.data ? titlesOf(query.data) : new Map<string, string>()), [query.data]);
  const groups = query.data?.tenantGroups ?? [];
  return (
    <>
      <PageHeader title="Tenant groups" subtitle="Named sets of the provider's customers — by sector, contract tier or region — and the baselines each group gives its members" />
      <CreateGroup onCreated={(groupId) => settle.until((data) => groupShows(data.tenantGroups.find((g) => g.groupId === groupId), { kind: 'created' }))} waiting={settle.waiting} />
      <section className="panel" aria-labelledby="groups-title">
        <h2 id="groups-title">Groups</h2>
        {query.error ? (
          <ErrorPanel error={query.error} onRetry={query.reload} />
        ) : !query.data ? (
          <Loading what="the tenant groups" />
        ) : groups.length === 0 ? (
          <p className="empty">No tenant group yet: create one above, or run <code>rampart groups create &lt;group-id&gt; --name &lt;name&gt;</code>.</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Tenant groups</caption>
              <thead>
                <tr>
                  <th scope="col">Group</th>
                  <th scope="col" className="num">
                    Members
                  </th>
                  <th scope="col">Assigns to each member</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => {
                  const assigns = assignsLines(g, (id) => assignedTitle({ baselineId: id }, titles));
                  return (
                    <tr key={g.groupId} data-group={g.groupId}>
                      <th scope="row" data-label="Group">
                        <Link to={{ name: 'admin-group', groupId: g.groupId }}>{g.name}</Link>
                        <span className="muted small block">{g.groupId}</span>
                        {g.description ? <span className="small block">{g.description}</span> : null}
                      </th>
                      <td data-label="Members" className="num">
                        {membersText(g.members.length)}
                      </td>
                      <td data-label="Assigns to each member">
                        {assigns.length ? (
                          assigns.map((line, i) => (
                            <span key={`${i}:${line}`} className="block small">
                              {line}
                            </span>
                          ))
                        ) : (
                          <span className="muted">nothing yet</span>
                        )}
                      </td>
                      <td data-label="Created">{formatDateTime(g.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
};

const CreateGroup = ({ onCreated, waiting }: { onCreated: (groupId: string) => void; waiting: boolean }) => {
  const submit = useSubmit(groupRefusal);
  const [groupId, setGroupId] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string>();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const idProblem = groupIdProblem(groupId);
    if (idProblem) return setProblem(idProblem);
    const created = name.trim();
    const done = await submit.run<TenantGroupMutation>(CREATE_TENANT_GROUP_MUTATION, { groupId, name, description }, () => `Group ${created} (${groupId}) created: open it to add members and assign baselines.`);
    if (done) {
      setGroupId('');
      setName('');
      setDescription('');
      onCreated(groupId);
    }
  };
  return (
    <section className="panel" aria-labelledby="create-group-title">
      <h2 id="create-group-title">Create a group</h2>
      <form onSubmit={onSubmit}>
        <div className="form-row">
          <Field id="group-id" label="Group id" hint="Lowercase letters, digits and dashes, up to 30, e.g. banks; it names the group for good.">
            <input id="group-id" value={groupId} onChange={(e) => setGroupId(e.target.value.trim())} required aria-describedby="group-id-hint" autoComplete="off" />
          </Field>
          <Field id="group-name" label="Name">
            <input id="group-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </Field>
          <Field id="group-description" label="Description (optional)" hint="What its members have in common, e.g. regulated by DORA.">
            <input id="group-description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} aria-describedby="group-description-hint" />
          </Field>
        </div>
        <button type="submit" className="button button-primary" disabled={submit.busy}>
          Create group
        </button>
        {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
        <Waiting waiting={waiting} />
      </form>
    </section>
  );
};

// --- one group ------------------------------------------------------------------------------------

export const AdminGroupPage = ({ groupId }: { groupId: string }) => {
  const query = useQuery(`tenant-group:${groupId}`, (client, signal) => client.request<TenantGroupQuery>(TENANT_GROUP_QUERY, { groupId }, { signal }));
  const settle = useReloadUntil(query);
  const back = <Link to={{ name: 'admin-groups' }}>All tenant groups</Link>;
  if (query.error) {
    return (
      <>
        <PageHeader title={`Tenant group ${groupId}`} />
        <ErrorPanel error={query.error} onRetry={query.reload} />
      </>
    );
  }
  if (!query.data) return <Loading what={`the tenant group ${groupId}`} />;
  const group = query.data.tenantGroup;
  if (!group) {
    return (
      <>
        <PageHeader title={`Tenant group ${groupId}`} />
        <NotFound what={`The tenant group ${groupId}`} />
        <p>{back}</p>
      </>
    );
  }
  const awaitChange = (change: Parameters<typeof groupShows>[1]) => settle.until((data) => groupShows(data.tenantGroup, change));
  return (
    <>
      <PageHeader
        title={group.name}
        subtitle={
          <>
            <code>{group.groupId}</code>
            {group.description ? ` · ${group.description}` : ''} · created {formatDateTime(group.createdAt)} · {back}
          </>
        }
        actions={
          <>
            <Link to={`${pathFor({ name: 'admin-rollouts' })}?group=${encodeURIComponent(group.groupId)}`} className="button">
              Rollouts to this group
            </Link>
            <Link to={`${pathFor({ name: 'admin-new-rollout' })}?group=${encodeURIComponent(group.groupId)}`} className="button">
              Plan a rollout
            </Link>
          </>
        }
      />
      <Members group={group} onChanged={awaitChange} waiting={settle.waiting} />
      <GroupCompliance group={group} />
      <GroupAssignments data={query.data} group={group} onChanged={awaitChange} />
    </>
  );
};

type OnChanged = (change: Parameters<typeof groupShows>[1]) => void;

const Members = ({ group, onChanged, waiting }: { group: TenantGroup; onChanged: OnChanged; waiting: boolean }) => {
  const { tenants } = useSignedIn();
  const add = useSubmit(groupRefusal);
  const remove = useSubmit(groupRefusal);
  const joinable = joinableTenants(tenants.values(), group);
  const [tenantId, setTenantId] = useState('');
  const [removing, setRemoving] = useState<string>();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const nameOf = (id: string) => tenants.get(id)?.displayName ?? id;
  const gains = group.assignments.length === 1 ? 'the assignment of the group' : `the ${group.assignments.length} assignments of the group`;
  const chosen = joinable.some((t) => t.tenantId === tenantId) ? tenantId : (joinable[0]?.tenantId ?? '');
  const onAdd = async (event: FormEvent) => {
    event.preventDefault();
    const joining = chosen;
    const done = await add.run<TenantGroupMutation>(ADD_TENANT_TO_GROUP_MUTATION, { groupId: group.groupId, tenantId: joining }, (result) =>
      result.__typename === 'TenantGroupChanged' && result.recorded === 0
        ? `${nameOf(joining)} is in the group already.`
        : `${nameOf(joining)} joined ${group.name}${group.assignments.length ? `: it gains ${gains} once the worker has applied it` : ''}.`,
    );
    if (done) {
      setTenantId('');
      onChanged({ kind: 'joined', tenantId: joining });
    }
  };
  const onRemove = async (leaving: string) => {
    const invalid = leaveReasonProblem(reason);
    setProblem(invalid);
    if (invalid) return;
    const done = await remove.run<TenantGroupMutation>(
      REMOVE_TENANT_FROM_GROUP_MUTATION,
      { groupId: group.groupId, tenantId: leaving, reason },
      () => `${nameOf(leaving)} left ${group.name}${group.assignments.length ? `: it loses ${gains} once the worker has applied it` : ''}.`,
    );
    if (done) {
      setRemoving(undefined);
      setReason('');
      onChanged({ kind: 'left', tenantId: leaving });
    }
  };
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Members</h2>
      {group.members.length === 0 ? (
        <p className="empty">No tenant is in the group yet: what it assigns reaches nobody.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Members of {group.name}</caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Joined</th>
                <th scope="col">Its policies</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {group.members.map((m) => (
                <tr key={m.tenantId} data-tenant={m.tenantId}>
                  <th scope="row" data-label="Tenant">
                    <Link to={{ name: 'admin-tenant', tenantId: m.tenantId }}>{nameOf(m.tenantId)}</Link>
                    <span className="muted small block">{m.tenantId}</span>
                  </th>
                  <td data-label="Joined">{formatDateTime(m.joinedAt)}</td>
                  <td data-label="Its policies">
                    <Link to={{ name: 'admin-policies', tenantId: m.tenantId }}>
                      Guardrails and policies<span className="visually-hidden"> of {nameOf(m.tenantId)}</span>
                    </Link>
                  </td>
                  <td data-label="Actions">
                    <ConfirmStep
                      confirming={removing === m.tenantId}
                      startLabel={
                        <>
                          Remove…<span className="visually-hidden"> {m.tenantId} from the group</span>
                        </>
                      }
                      onStart={() => {
                        setRemoving(m.tenantId);
                        setReason('');
                        setProblem(undefined);
                        remove.clear();
                      }}
                      question={`Take ${nameOf(m.tenantId)} out of ${group.name}? ${group.assignments.length ? `It loses ${gains} once the worker has applied it; ` : ''}its history stays.`}
                      confirmLabel={`Remove ${m.tenantId}`}
                      busy={remove.busy}
                      onConfirm={() => void onRemove(m.tenantId)}
                      onCancel={() => {
                        setRemoving(undefined);
                        setProblem(undefined);
                      }}
                      reason={{ id: `leave-reason-${m.tenantId}`, label: "Why it leaves (kept in the provider's trail)", value: reason, onChange: setReason }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={remove.outcome} />}
      <form className="inline-form" onSubmit={onAdd} aria-labelledby="add-member-title">
        <h3 id="add-member-title">Add a tenant</h3>
        {joinable.length === 0 ? (
          <p className="empty">Every tenant you see is in the group already (an offboarded tenant joins none).</p>
        ) : (
          <>
            <div className="form-row">
              <Field id="add-member" label="Tenant to add" hint={group.assignments.length ? `It gains ${gains}.` : 'The group assigns nothing yet.'}>
                <select id="add-member" value={chosen} onChange={(e) => setTenantId(e.target.value)} aria-describedby="add-member-hint">
                  {joinable.map((t) => (
                    <option key={t.tenantId} value={t.tenantId}>
                      {t.displayName} ({t.tenantId})
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            <button type="submit" className="button" disabled={add.busy || !chosen}>
              Add to group
            </button>
          </>
        )}
        <OutcomeMessage outcome={add.outcome} />
        <Waiting waiting={waiting} />
      </form>
    </section>
  );
};

// Who fails most and which controls fail in the most members, now; and the group's failing pairs
// per day. Loaded apart from the group (the API scores every member), again when its members change.
const GroupCompliance = ({ group }: { group: TenantGroup }) => {
  const { tenants } = useSignedIn();
  const nameOf = (id: string) => tenants.get(id)?.displayName ?? id;
  const memberIds = group.members.map((m) => m.tenantId).join(',');
  const query = useQuery(`tenant-group-compliance:${group.groupId}:${memberIds}`, async (client, signal) => {
    const end = Date.now();
    const data = await client.request<TenantGroupComplianceQuery>(TENANT_GROUP_COMPLIANCE_QUERY, { groupId: group.groupId, ...groupSeriesWindow(end) }, { signal });
    return { ...data, end };
  });
  const data = query.data;
  const compliance = data?.tenantGroup?.compliance;
  const series = data && compliance ? groupSeriesUntilNow(data.tenantGroupComplianceSeries, compliance, data.end) : [];
  const line = groupNonCompliantLine(series);
  return (
    <section className="panel" aria-labelledby="group-compliance-title">
      <h2 id="group-compliance-title">Compliance across the group</h2>
      {group.members.length === 0 ? (
        <p className="empty">No tenant is in the group yet: there is nothing to compare.</p>
      ) : query.error ? (
        <ErrorPanel error={query.error} onRetry={query.reload} />
      ) : !data || !compliance ? (
        <Loading what={`the compliance of ${group.name}`} />
      ) : (
        <>
          <div className="columns columns-even">
            <div>
              <h3 id="members-failing-title">Members failing most</h3>
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Members failing most</caption>
                  <thead>
                    <tr>
                      <th scope="col">Tenant</th>
                      <th scope="col" className="num">
                        Non-compliant
                      </th>
                      <th scope="col" className="num">
                        Not evaluable
                      </th>
                      <th scope="col" className="num">
                        Score
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {compliance.members.map((m) => (
                      <tr key={m.tenantId} data-tenant={m.tenantId}>
                        <th scope="row">
                          <Link to={{ name: 'posture', tenantId: m.tenantId }}>
                            <span className="visually-hidden">Posture of </span>
                            {nameOf(m.tenantId)}
                          </Link>
                        </th>
                        <td className="num">{m.nonCompliant}</td>
                        <td className="num">{m.error}</td>
                        <td className="num">{memberScoreText(m.score)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
            <div>
              <h3 id="controls-failing-title">Controls failing in the most members</h3>
              {compliance.controls.length === 0 ? (
                <p className="empty">No framework control is evaluated in any member yet.</p>
              ) : (
                <div className="table-scroll">
                  <table className="table">
                    <caption className="visually-hidden">Controls failing in the most members</caption>
                    <thead>
                      <tr>
                        <th scope="col">Control</th>
                        <th scope="col">Failing in</th>
                        <th scope="col" className="num">
                          Non-compliant
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {compliance.controls.map((c) => (
                        <tr key={`${c.framework}|${c.control}`} data-control={`${c.framework} ${c.control}`}>
                          <th scope="row">
                            {c.framework} {c.control}
                          </th>
                          <td>{failingInText(c)}</td>
                          <td className="num">{c.nonCompliant}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          </div>
          <LineChart
            title={`Non-compliant resource/guardrail pairs across the members, per day over the last ${GROUP_SERIES_DAYS} days and now`}
            description={groupSeriesSummary(series)}
            series={[line]}
            from={Date.parse(groupSeriesWindow(data.end).from)}
            to={data.end}
            yLabel="Non-compliant pairs"
            format={countText}
            domain={countDomain(line.points.map((p) => p.y))}
            height={220}
          />
          <p className="small muted">Each member is counted from when it joined the group.</p>
        </>
      )}
    </section>
  );
};

const GroupAssignments = ({ data, group, onChanged }: { data: TenantGroupQuery; group: TenantGroup; onChanged: OnChanged }) => {
  const unassign = useSubmit(groupRefusal);
  const [removing, setRemoving] = useState<string>();
  const titles = useMemo(() => titlesOf(data), [data]);
  const catalog = useMemo(() => ({ baselines: data.baselines, standards: data.standards }), [data]);
  const onUnassign = async (assignmentId: string) => {
    const done = await unassign.run<TenantGroupMutation>(
      UNASSIGN_BASELINE_FROM_GROUP_MUTATION,
      { groupId: group.groupId, assignmentId },
      () => `Assignment ${assignmentId} taken from the group: each member loses ${memberAssignmentId(group.groupId, assignmentId)} once the worker has applied it.`,
    );
    if (done) {
      setRemoving(undefined);
      onChanged({ kind: 'unassigned', assignmentId });
    }
  };
  return (
    <section className="panel" aria-labelledby="group-assignments-title">
      <h2 id="group-assignments-title">What it assigns to each member</h2>
      {group.assignments.length === 0 ? (
        <p className="empty">The group assigns nothing yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Assignments of {group.name}</caption>
            <thead>
              <tr>
                <th scope="col">Assignment</th>
                <th scope="col">Baseline or standard</th>
                <th scope="col">Scope</th>
                <th scope="col">Parameters</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {group.assignments.map((a) => {
                const title = assignedTitle(a, titles);
                return (
                  <tr key={a.assignmentId} data-assignment={a.assignmentId}>
                    <th scope="row" data-label="Assignment">
                      <code>{a.assignmentId}</code>
                      <span className="muted small block">
                        held as <code>{memberAssignmentId(group.groupId, a.assignmentId)}</code>
                      </span>
                    </th>
                    <td data-label="Baseline or standard">
                      {title} <span className="muted small">({a.baselineId})</span>
                    </td>
                    <td data-label="Scope">{a.scope === '*' ? 'whole tenant' : <code className="break">{a.scope}</code>}</td>
                    <td data-label="Parameters">
                      <AssignedParameters parameters={a.parameters} initiativeParameters={a.initiativeParameters} />
                    </td>
                    <td data-label="Actions">
                      <ConfirmStep
                        confirming={removing === a.assignmentId}
                        startLabel="Unassign…"
                        onStart={() => setRemoving(a.assignmentId)}
                        question={`Stop assessing every member against ${title}? Each is re-evaluated without it: findings only it raised are resolved; their history stays.`}
                        confirmLabel={`Unassign ${a.assignmentId}`}
                        busy={unassign.busy}
                        onConfirm={() => void onUnassign(a.assignmentId)}
                        onCancel={() => setRemoving(undefined)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeMessage outcome={unassign.outcome} />
      <AssignForm
        catalog={catalog}
        taken={group.assignments.map((a) => a.assignmentId)}
        target={{ groupId: group.groupId }}
        mutation={ASSIGN_BASELINE_TO_GROUP_MUTATION}
        title="Assign a baseline or standard to every member"
        hint={`Each member holds it in its own policy as grp-${group.groupId}-<assignment id>, from when it joins until it leaves. Rampart's baselines, Azure's standards and the provider's library are offered; a tenant's own library is not.`}
        maxIdLength={GROUP_ASSIGNMENT_ID_LENGTH}
        refusalWords={groupRefusal}
        assigned={(id) => `Assigned to the group as ${id}: each member holds it as ${memberAssignmentId(group.groupId, id)} once the worker has applied it.`}
        onDone={(id) => onChanged({ kind: 'assigned', assignmentId: id })}
      />
    </section>
  );
};
