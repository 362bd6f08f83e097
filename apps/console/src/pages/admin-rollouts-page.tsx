// The provider's staged rollouts, for platform admins: a baseline rolled out to a tenant group ring by
// ring, each ring going in by a named person's decision, in order, and one rollback (with a reason)
// taking it from every tenant. A rollout is read from its own stream, so a decision shows on the
// next read; the tenants' own policies follow through the worker. Planning one is its own page
// (admin-new-rollout-page.tsx).
import { useMemo, useState } from 'react';
import { useQuery, useReloadUntil } from '../api/hooks';
import { APPROVE_ROLLOUT_RING_MUTATION, ROLL_BACK_ROLLOUT_MUTATION, ROLLOUT_QUERY, ROLLOUTS_QUERY, type Rollout, type RolloutMutation, type RolloutQuery, type RolloutsQuery } from '../api/operations';
import {
  approveLabel,
  heldAs,
  nextRing,
  RING_STATE_BADGES,
  ringLines,
  ringState,
  rollbackReasonProblem,
  rolloutRefusal,
  rolloutStatusBadge,
  rolloutWhatIfSummary,
  tenantsText,
} from '../admin/rollouts';
import { ConfirmStep, OutcomeMessage, useSubmit } from '../components/forms';
import { Badge, ErrorPanel, LiveMessage, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { Link, useSearchParam } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';
import { baselineText, baselineTitles, RolloutWhatIfTable } from './rollout-parts';

const newRolloutPath = (groupId?: string) => `${pathFor({ name: 'admin-new-rollout' })}${groupId ? `?group=${encodeURIComponent(groupId)}` : ''}`;

const StatusBadge = ({ status }: { status: string }) => {
  const badge = rolloutStatusBadge(status);
  return <Badge value={badge.value} label={badge.label} prefix="Status" />;
};

// --- every rollout ----------------------------------------------------------------------------------

export const AdminRolloutsPage = () => {
  const [groupParam, setGroup] = useSearchParam('group');
  const query = useQuery('rollouts', (client, signal) => client.request<RolloutsQuery>(ROLLOUTS_QUERY, {}, { signal }));
  const data = query.data;
  const titles = useMemo(() => (data ? baselineTitles(data) : new Map<string, string>()), [data]);
  const groupNames = new Map((data?.tenantGroups ?? []).map((g) => [g.groupId, g.name]));
  const groupId = groupParam ?? undefined;
  const shown = (data?.rollouts ?? []).filter((r) => !groupId || r.groupId === groupId);
  const groupName = groupId ? (groupNames.get(groupId) ?? groupId) : undefined;
  return (
    <>
      <PageHeader
        title={groupName ? `Rollouts to ${groupName}` : 'Rollouts'}
        subtitle={
          <>
            Baselines rolled out to a tenant group in rings — what each would find first, a canary set, then the rest, each ring a recorded decision ·{' '}
            <Link to={{ name: 'admin-groups' }}>Tenant groups</Link>
          </>
        }
        actions={
          <Link to={newRolloutPath(groupId)} className="button button-primary">
            Plan a rollout
          </Link>
        }
      />
      <section className="panel" aria-labelledby="rollouts-title">
        <div className="panel-head">
          <h2 id="rollouts-title">
            Rollouts{data ? <span className="muted"> ({shown.length})</span> : null}
          </h2>
          {data?.tenantGroups.length ? (
            <div className="field field-compact">
              <label htmlFor="rollouts-group">Group</label>
              <select id="rollouts-group" value={groupId ?? ''} onChange={(e) => setGroup(e.target.value || null)}>
                <option value="">All groups</option>
                {data.tenantGroups.map((g) => (
                  <option key={g.groupId} value={g.groupId}>
                    {g.name}
                  </option>
                ))}
                {groupId && !groupNames.has(groupId) ? <option value={groupId}>{groupId}</option> : null}
              </select>
            </div>
          ) : null}
        </div>
        {query.error ? (
          <ErrorPanel error={query.error} onRetry={query.reload} />
        ) : !data ? (
          <Loading what="the rollouts" />
        ) : shown.length === 0 ? (
          <p className="empty">
            {groupName ? `Nothing has been rolled out to ${groupName} yet` : 'No rollout yet'}: <Link to={newRolloutPath(groupId)}>plan one</Link>, or run{' '}
            <code>rampart rollouts plan &lt;rollout-id&gt; --group &lt;group&gt; --baseline &lt;id&gt; --ring canary=&lt;tenant&gt; --ring rest=*</code>.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Rollouts, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Rollout</th>
                  <th scope="col">Status</th>
                  <th scope="col">Group</th>
                  <th scope="col">Baseline</th>
                  <th scope="col">Rings</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.rolloutId} data-rollout={r.rolloutId}>
                    <th scope="row" data-label="Rollout">
                      <Link to={{ name: 'admin-rollout', rolloutId: r.rolloutId }}>{r.rolloutId}</Link>
                      <span className="muted small block">planned by {r.plannedBy}</span>
                    </th>
                    <td data-label="Status">
                      <StatusBadge status={r.status} />
                    </td>
                    <td data-label="Group">
                      <Link to={{ name: 'admin-group', groupId: r.groupId }}>{groupNames.get(r.groupId) ?? r.groupId}</Link>
                    </td>
                    <td data-label="Baseline">{baselineText(r.baselineId, titles)}</td>
                    <td data-label="Rings">
                      {ringLines(r).map((line) => (
                        <span key={line} className="block small">
                          {line}
                        </span>
                      ))}
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

// --- one rollout ------------------------------------------------------------------------------------

export const AdminRolloutPage = ({ rolloutId }: { rolloutId: string }) => {
  const query = useQuery(`rollout:${rolloutId}`, (client, signal) => client.request<RolloutQuery>(ROLLOUT_QUERY, { rolloutId }, { signal }));
  const settle = useReloadUntil(query);
  const data = query.data;
  const titles = useMemo(() => (data ? baselineTitles(data) : new Map<string, string>()), [data]);
  const back = <Link to={{ name: 'admin-rollouts' }}>All rollouts</Link>;
  if (query.error) {
    return (
      <>
        <PageHeader title={`Rollout ${rolloutId}`} />
        <ErrorPanel error={query.error} onRetry={query.reload} />
      </>
    );
  }
  if (!data) return <Loading what={`the rollout ${rolloutId}`} />;
  const rollout = data.rollout;
  if (!rollout) {
    return (
      <>
        <PageHeader title={`Rollout ${rolloutId}`} />
        <NotFound what={`The rollout ${rolloutId}`} />
        <p>{back}</p>
      </>
    );
  }
  const groupName = data.tenantGroups.find((g) => g.groupId === rollout.groupId)?.name ?? rollout.groupId;
  const baseline = baselineText(rollout.baselineId, titles);
  const ringOf = (tenantId: string) => {
    const ring = rollout.rings.find((r) => r.tenants.includes(tenantId));
    return ring ? `${ring.index} · ${ring.name}` : undefined;
  };
  return (
    <>
      <PageHeader
        title={`Rollout ${rollout.rolloutId}`}
        subtitle={
          <>
            {baseline} to <Link to={{ name: 'admin-group', groupId: rollout.groupId }}>{groupName}</Link> · <StatusBadge status={rollout.status} /> · {back}
          </>
        }
      />
      <section className="panel" aria-labelledby="rollout-facts-title">
        <h2 id="rollout-facts-title">The plan</h2>
        <dl className="facts">
          <Stat label="Baseline" value={baseline} />
          <Stat label="Tenants hold it as" value={<code>{heldAs(rollout.rolloutId, rollout.assignmentId)}</code>} />
          <Stat label="Scope" value={rollout.scope === '*' ? 'whole tenant' : <code className="break">{rollout.scope}</code>} />
          <Stat label="Findings on arrival" value={rollout.raiseIncidentsForExisting ? 'open incidents' : 'open no incident'} />
          <Stat label="Planned by" value={rollout.plannedBy} />
        </dl>
        {rollout.status === 'rolled-back' ? (
          <section className="notice notice-warning" aria-labelledby="rolled-back-title">
            <h3 id="rolled-back-title">Rolled back</h3>
            <p>
              Rolled back by {rollout.rolledBackBy ?? 'someone unknown'}: “{rollout.rollbackReason}”. No tenant holds the baseline from it any more, once the worker has applied it.
            </p>
          </section>
        ) : rollout.raiseIncidentsForExisting ? null : (
          <p className="hint">What a tenant already breaks when the baseline reaches it is recorded as a finding but opens no incident; what breaks it afterwards does.</p>
        )}
      </section>
      <Rings rollout={rollout} baseline={baseline} onChanged={(done) => settle.until(done)} waiting={settle.waiting} />
      <section className="panel" aria-labelledby="rollout-what-if-title">
        <h2 id="rollout-what-if-title">What it found when planned</h2>
        <p>{rolloutWhatIfSummary(rollout.whatIf)}.</p>
        {rollout.whatIf.length ? <RolloutWhatIfTable rows={rollout.whatIf} ringOf={ringOf} caption="What the baseline would find in each tenant, recorded with the plan" /> : null}
      </section>
    </>
  );
};

const Rings = ({ rollout, baseline, onChanged, waiting }: { rollout: Rollout; baseline: string; onChanged: (shows: (data: RolloutQuery) => boolean) => void; waiting: boolean }) => {
  const { tenants } = useSignedIn();
  const nameOf = (id: string) => tenants.get(id)?.displayName ?? id;
  const approve = useSubmit(rolloutRefusal);
  const rollBack = useSubmit(rolloutRefusal);
  const [confirming, setConfirming] = useState<'approve' | 'roll-back'>();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const next = nextRing(rollout);
  const holding = rollout.rings.filter((r) => r.approved).reduce((n, r) => n + r.tenants.length, 0);
  const held = heldAs(rollout.rolloutId, rollout.assignmentId);

  const onApprove = async () => {
    if (!next) return;
    const ring = next;
    const done = await approve.run<RolloutMutation>(APPROVE_ROLLOUT_RING_MUTATION, { rolloutId: rollout.rolloutId, ring: ring.index }, () =>
      `Ring ${ring.index} (${ring.name}) is in: ${tenantsText(ring.tenants, nameOf)} ${ring.tenants.length === 1 ? 'holds' : 'hold'} ${held} once the worker has applied it.`,
    );
    if (done) {
      setConfirming(undefined);
      onChanged((d) => d.rollout?.rings[ring.index]?.approved === true);
    }
  };
  const onRollBack = async () => {
    const invalid = rollbackReasonProblem(reason);
    setProblem(invalid);
    if (invalid) return;
    const done = await rollBack.run<RolloutMutation>(ROLL_BACK_ROLLOUT_MUTATION, { rolloutId: rollout.rolloutId, reason }, () =>
      holding ? `Rolled back: every tenant loses ${held} once the worker has applied it.` : 'Rolled back: no ring had gone in, so no tenant held it.',
    );
    if (done) {
      setConfirming(undefined);
      setReason('');
      onChanged((d) => d.rollout?.status === 'rolled-back');
    }
  };

  return (
    <section className="panel" aria-labelledby="rings-title">
      <h2 id="rings-title">Rings</h2>
      <p className="hint">Each ring goes in by a named person's decision, in order: its tenants hold the baseline from then on, until a rollback.</p>
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="visually-hidden">Rings of rollout {rollout.rolloutId}, in order</caption>
          <thead>
            <tr>
              <th scope="col">Ring</th>
              <th scope="col">Tenants</th>
              <th scope="col">State</th>
              <th scope="col">Approved by</th>
            </tr>
          </thead>
          <tbody>
            {rollout.rings.map((ring) => {
              const badge = RING_STATE_BADGES[ringState(rollout, ring)];
              return (
                <tr key={ring.index} data-ring={ring.name}>
                  <th scope="row" data-label="Ring">
                    {ring.index} · {ring.name}
                  </th>
                  <td data-label="Tenants">
                    {ring.tenants.map((t) => (
                      <span key={t} className="block">
                        <Link to={{ name: 'admin-policies', tenantId: t }}>{nameOf(t)}</Link> <span className="muted small">{t}</span>
                      </span>
                    ))}
                  </td>
                  <td data-label="State">
                    <Badge value={badge.value} label={badge.label} prefix={`Ring ${ring.index}`} />
                  </td>
                  <td data-label="Approved by">{ring.approvedBy ?? <span className="muted">—</span>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {rollout.status === 'rolled-back' ? null : (
        <div className="button-row">
          {next && confirming !== 'roll-back' ? (
            <ConfirmStep
              confirming={confirming === 'approve'}
              startLabel={`${approveLabel(next)}…`}
              onStart={() => {
                setConfirming('approve');
                approve.clear();
              }}
              question={`${tenantsText(next.tenants, nameOf)} will hold ${baseline} as ${held} from now on, once the worker has applied it${
                rollout.raiseIncidentsForExisting ? '; what they break already opens incidents' : "; what they break already opens no incident, what breaks it afterwards does"
              }.`}
              confirmLabel={approveLabel(next)}
              busy={approve.busy}
              onConfirm={() => void onApprove()}
              onCancel={() => setConfirming(undefined)}
            />
          ) : null}
          {confirming !== 'approve' ? (
            <ConfirmStep
              confirming={confirming === 'roll-back'}
              startLabel="Roll back…"
              onStart={() => {
                setConfirming('roll-back');
                setReason('');
                setProblem(undefined);
                rollBack.clear();
              }}
              question={`Take ${baseline} from every tenant of the rollout? ${
                holding ? `${holding === 1 ? 'The tenant that holds it loses' : `The ${holding} tenants that hold it lose`} it once the worker has applied it; findings only it raised are resolved; ` : 'No ring has gone in yet; '
              }no ring goes in after it. The history stays.`}
              confirmLabel={`Roll back ${rollout.rolloutId}`}
              busy={rollBack.busy}
              onConfirm={() => void onRollBack()}
              onCancel={() => {
                setConfirming(undefined);
                setProblem(undefined);
              }}
              reason={{ id: 'rollback-reason', label: 'Why it is rolled back (the customers and the auditors read it)', value: reason, onChange: setReason }}
            />
          ) : null}
        </div>
      )}
      {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={rollBack.outcome ?? approve.outcome} />}
      {waiting ? <p className="small muted">Reading the rollout again…</p> : null}
    </section>
  );
};
