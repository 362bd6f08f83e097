// Planning a staged rollout: a group and what to roll out to it (a baseline, a standard or a
// provider library artifact — what a group is offered, typed or picked from the list), what it
// would find in each member first (replayed over their recorded history; nothing recorded), then
// the rings — a canary set picked from the members, the rest after it — and the plan. The plan
// replays the baseline again and records that with it; nothing is enforced until a ring is approved
// on the rollout's page, where the form leads once the plan is recorded.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { useQuery } from '../api/hooks';
import { NEW_ROLLOUT_QUERY, PLAN_ROLLOUT_MUTATION, ROLLOUT_WHAT_IF_QUERY, type NewRolloutQuery, type RolloutMutation, type RolloutTenantWhatIf, type RolloutWhatIfQuery } from '../api/operations';
import { isAssignmentScope } from '../admin/policies';
import {
  buildRings,
  heldAs,
  isRolloutAssignmentId,
  isRolloutId,
  ringPreview,
  ROLLOUT_ASSIGNMENT_ID_LENGTH,
  ROLLOUT_ID_LENGTH,
  rolloutAssignmentIdFor,
  rolloutIdFor,
  rolloutRefusal,
  rolloutWhatIfSummary,
  suggestedCanary,
} from '../admin/rollouts';
import { OutcomeMessage, useSubmit, type Outcome } from '../components/forms';
import { ErrorPanel, Field, LiveMessage, Loading, PageHeader } from '../components/ui';
import { Link, useRouter, useSearchParam } from '../router/router';
import { pathFor } from '../router/routes';
import { useApi, useSignedIn } from '../session';
import { baselineText, baselineTitles, RolloutWhatIfTable } from './rollout-parts';

/** What the what-if was run for: the plan is offered for exactly that, and a change of any of it asks for it again. */
interface Subject {
  readonly groupId: string;
  readonly baselineId: string;
  readonly scope: string;
  readonly parametersJson?: string;
  readonly initiativeParametersJson?: string;
}

/** A JSON object typed into a form, or what is wrong with it (the API would refuse it as a whole). */
const jsonObjectText = (text: string, what: string): { ok: true; value?: string } | { ok: false; message: string } => {
  if (!text.trim()) return { ok: true };
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { ok: true, value: text.trim() };
  } catch {
    // said below
  }
  return { ok: false, message: `${what} are a JSON object, e.g. ${what.startsWith('Initiative') ? '{"effect-<guid>": "Disabled"}' : '{"storage-weak-tls": {"minimumTlsVersion": "TLS1_2"}}'}.` };
};

export const AdminNewRolloutPage = () => {
  const { client } = useApi();
  const query = useQuery('new-rollout', (c, signal) => c.request<NewRolloutQuery>(NEW_ROLLOUT_QUERY, {}, { signal }));
  const data = query.data;
  const [groupParam, setGroupParam] = useSearchParam('group');
  const [baselineId, setBaselineId] = useState('');
  const [scope, setScope] = useState('*');
  const [parameters, setParameters] = useState('');
  const [initiativeParameters, setInitiativeParameters] = useState('');
  const [whatIf, setWhatIf] = useState<{ subject: Subject; rows: readonly RolloutTenantWhatIf[] }>();
  const [replaying, setReplaying] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const groups = data?.tenantGroups ?? [];
  const groupId = groups.some((g) => g.groupId === groupParam) ? (groupParam as string) : (groups[0]?.groupId ?? '');
  const group = groups.find((g) => g.groupId === groupId);
  const titles = useMemo(() => (data ? baselineTitles(data) : new Map<string, string>()), [data]);
  // any change to what was replayed asks for the what-if again
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setWhatIf(undefined);
      setOutcome(undefined);
    };

  const runWhatIf = async (event: FormEvent) => {
    event.preventDefault();
    setOutcome(undefined);
    setWhatIf(undefined);
    const id = baselineId.trim();
    if (!isAssignmentScope(scope)) return setOutcome({ ok: false, message: 'The scope is *, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>.' });
    const perGuardrail = jsonObjectText(parameters, 'Parameters per guardrail');
    if (!perGuardrail.ok) return setOutcome(perGuardrail);
    const initiative = jsonObjectText(initiativeParameters, 'Initiative parameters');
    if (!initiative.ok) return setOutcome(initiative);
    const subject: Subject = { groupId, baselineId: id, scope: scope.trim(), parametersJson: perGuardrail.value, initiativeParametersJson: initiative.value };
    setReplaying(true);
    try {
      const { rolloutWhatIf } = await client.request<RolloutWhatIfQuery>(ROLLOUT_WHAT_IF_QUERY, {
        input: { groupId, baselineId: id, parametersJson: subject.parametersJson ?? null, initiativeParametersJson: subject.initiativeParametersJson ?? null },
      });
      setWhatIf({ subject, rows: rolloutWhatIf });
      setOutcome({ ok: true, message: `${rolloutWhatIfSummary(rolloutWhatIf)}. Nothing was recorded.` });
    } catch (error) {
      setOutcome({ ok: false, message: error instanceof ApiError ? describeError(error) : (error as Error).message });
    } finally {
      setReplaying(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Plan a rollout"
        subtitle={
          <>
            A baseline to a tenant group, ring by ring: what it would find first, then a canary set, then the rest · <Link to={{ name: 'admin-rollouts' }}>All rollouts</Link>
          </>
        }
      />
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="the tenant groups and baselines" />
      ) : groups.length === 0 ? (
        <p className="empty">
          There is no tenant group yet: a rollout reaches a group's members. <Link to={{ name: 'admin-groups' }}>Create a group</Link> first.
        </p>
      ) : (
        <>
          <section className="panel" aria-labelledby="rollout-subject-title">
            <h2 id="rollout-subject-title">What to roll out, and to whom</h2>
            <form onSubmit={runWhatIf}>
              <div className="form-row">
                <Field id="rollout-group" label="Tenant group" hint={group ? `${group.members.length} member${group.members.length === 1 ? '' : 's'} now.` : undefined}>
                  <select id="rollout-group" value={groupId} onChange={(e) => edit(setGroupParam)(e.target.value)} aria-describedby="rollout-group-hint">
                    {groups.map((g) => (
                      <option key={g.groupId} value={g.groupId}>
                        {g.name} ({g.groupId})
                      </option>
                    ))}
                  </select>
                </Field>
                <Field
                  id="rollout-baseline"
                  label="Baseline, standard or library artifact"
                  hint="Its id, e.g. financial-services, mcsb or lib-definition:<name>: type it or pick one. A tenant's own library is not offered to a group."
                >
                  <input
                    id="rollout-baseline"
                    list="rollout-baselines"
                    value={baselineId}
                    onChange={(e) => edit(setBaselineId)(e.target.value)}
                    required
                    autoComplete="off"
                    aria-describedby="rollout-baseline-hint"
                  />
                  <datalist id="rollout-baselines">
                    {data.baselines.map((b) => (
                      <option key={b.id} value={b.id} label={b.version === null ? b.title : `${b.title} (the provider's library)`} />
                    ))}
                    {data.standards.map((s) => (
                      <option key={s.id} value={s.id} label={`${s.title}${s.version ? ` ${s.version}` : ''} (Azure standard)`} />
                    ))}
                  </datalist>
                </Field>
              </div>
              <details className="parameters">
                <summary>Scope and parameters (advanced)</summary>
                <div className="form-row">
                  <Field id="rollout-scope" label="Scope" hint="* for the whole tenant, or /subscriptions/<id>, or /subscriptions/<id>/resourceGroups/<name>.">
                    <input id="rollout-scope" value={scope} onChange={(e) => edit(setScope)(e.target.value)} aria-describedby="rollout-scope-hint" aria-invalid={!isAssignmentScope(scope)} />
                  </Field>
                </div>
                <Field id="rollout-parameters" label="Parameters per guardrail (JSON by guardrail id)" hint={'e.g. {"storage-weak-tls": {"minimumTlsVersion": "TLS1_2"}} — wins over the initiative\'s values.'}>
                  <textarea id="rollout-parameters" rows={2} value={parameters} onChange={(e) => edit(setParameters)(e.target.value)} aria-describedby="rollout-parameters-hint" />
                </Field>
                <Field id="rollout-initiative-parameters" label="Initiative parameters (JSON, a standard or a library initiative)" hint={'e.g. {"effect-<guid>": "Disabled"}'}>
                  <textarea
                    id="rollout-initiative-parameters"
                    rows={2}
                    value={initiativeParameters}
                    onChange={(e) => edit(setInitiativeParameters)(e.target.value)}
                    aria-describedby="rollout-initiative-parameters-hint"
                  />
                </Field>
              </details>
              <p className="hint">The baseline is replayed over each member's recorded history: the resources that would break it now, those that ever did, and since when. Nothing is recorded.</p>
              <button type="submit" className="button" disabled={replaying || !baselineId.trim()}>
                Run what-if
              </button>
              {replaying ? <Loading what={`what ${baselineId.trim()} would find in ${group?.name ?? groupId}`} /> : null}
              <OutcomeMessage outcome={outcome} />
            </form>
          </section>
          {whatIf ? (
            <>
              <section className="panel" aria-labelledby="rollout-what-if-title">
                <h2 id="rollout-what-if-title">What it would find</h2>
                <p>{rolloutWhatIfSummary(whatIf.rows)}.</p>
                {whatIf.rows.length ? <RolloutWhatIfTable rows={whatIf.rows} caption="What the baseline would find in each member" /> : null}
              </section>
              {whatIf.rows.length ? (
                <PlanForm
                  key={`${whatIf.subject.groupId}|${whatIf.subject.baselineId}`}
                  subject={whatIf.subject}
                  rows={whatIf.rows}
                  groupName={group?.name ?? groupId}
                  baseline={baselineText(whatIf.subject.baselineId, titles)}
                  taken={data.rollouts.map((r) => r.rolloutId)}
                />
              ) : null}
            </>
          ) : null}
        </>
      )}
    </>
  );
};

const PlanForm = ({ subject, rows, groupName, baseline, taken }: { subject: Subject; rows: readonly RolloutTenantWhatIf[]; groupName: string; baseline: string; taken: readonly string[] }) => {
  const { tenants } = useSignedIn();
  const { navigate } = useRouter();
  const nameOf = (id: string) => tenants.get(id)?.displayName ?? id;
  // the members as the what-if found them: the group's now, as the plan will read them
  const members = rows.map((r) => r.tenantId).sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || a.localeCompare(b));
  const [canary, setCanary] = useState<string[]>(() => suggestedCanary(rows));
  const [rolloutId, setRolloutId] = useState('');
  const [assignmentId, setAssignmentId] = useState('');
  const [raise, setRaise] = useState(false);
  const [problem, setProblem] = useState<string>();
  const submit = useSubmit(rolloutRefusal);
  const suggestedId = rolloutIdFor(subject.baselineId, taken);
  const suggestedAssignment = rolloutAssignmentIdFor(subject.baselineId);
  const rings = buildRings(canary, members);

  const onPlan = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const id = rolloutId || suggestedId;
    const assignment = assignmentId || suggestedAssignment;
    if (!isRolloutId(id)) return setProblem(rolloutRefusal('invalid-rollout-id', null));
    if (!isRolloutAssignmentId(assignment)) return setProblem(rolloutRefusal('invalid-assignment-id', null));
    const done = await submit.run<RolloutMutation>(
      PLAN_ROLLOUT_MUTATION,
      {
        rolloutId: id,
        groupId: subject.groupId,
        assignmentId: assignment,
        baselineId: subject.baselineId,
        scope: subject.scope,
        rings: rings.map((r) => ({ name: r.name, tenants: [...r.tenants] })),
        raiseIncidentsForExisting: raise,
        ...(subject.parametersJson ? { parametersJson: subject.parametersJson } : {}),
        ...(subject.initiativeParametersJson ? { initiativeParametersJson: subject.initiativeParametersJson } : {}),
      },
      () => `Rollout ${id} planned: nothing is enforced until ring 0 is approved.`,
    );
    if (done) navigate(pathFor({ name: 'admin-rollout', rolloutId: id }));
  };

  return (
    <section className="panel" aria-labelledby="rollout-plan-title">
      <h2 id="rollout-plan-title">Rings and plan</h2>
      <form onSubmit={onPlan}>
        <fieldset>
          <legend>Canary ring: the members that go in first</legend>
          <p className="hint">Every member left out goes in with the next ring, “the rest”, once the canary has been seen to hold. None picked: one ring of every member.</p>
          {members.map((t) => (
            <label key={t} className="checkbox">
              <input type="checkbox" checked={canary.includes(t)} onChange={(e) => setCanary((c) => (e.target.checked ? [...c, t] : c.filter((x) => x !== t)))} /> {nameOf(t)}{' '}
              <span className="muted small">{t}</span>
            </label>
          ))}
        </fieldset>
        <h3 id="rollout-rings-title">The rings, in order</h3>
        <ul className="plain-list" aria-labelledby="rollout-rings-title">
          {ringPreview(rings, members, nameOf).map((line, i) => (
            <li key={rings[i].name} data-ring={rings[i].name}>
              {line}
            </li>
          ))}
        </ul>
        <div className="form-row">
          <Field id="rollout-id" label="Rollout id" hint={`Left empty: ${suggestedId}. Lowercase letters, digits and dashes, up to ${ROLLOUT_ID_LENGTH}; it names the rollout for good.`}>
            <input id="rollout-id" value={rolloutId} placeholder={suggestedId} onChange={(e) => setRolloutId(e.target.value.trim())} aria-describedby="rollout-id-hint" autoComplete="off" />
          </Field>
          <Field
            id="rollout-assignment-id"
            label="Assignment id"
            hint={`Left empty: ${suggestedAssignment}. Each tenant holds it as ${heldAs(rolloutId || suggestedId, assignmentId || suggestedAssignment)} (up to ${ROLLOUT_ASSIGNMENT_ID_LENGTH}).`}
          >
            <input
              id="rollout-assignment-id"
              value={assignmentId}
              placeholder={suggestedAssignment}
              onChange={(e) => setAssignmentId(e.target.value.trim())}
              aria-describedby="rollout-assignment-id-hint"
              autoComplete="off"
            />
          </Field>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={raise} onChange={(e) => setRaise(e.target.checked)} aria-describedby="rollout-raise-hint" /> Raise incidents for existing findings
        </label>
        <p className="hint" id="rollout-raise-hint">
          Off: what a tenant already breaks when the baseline reaches it is recorded as a finding but opens no incident; only what breaks it afterwards does.
        </p>
        <p className="small">
          Plans rolling {baseline} out to {groupName}: the what-if is run again and recorded with the plan. Nothing is enforced until ring 0 is approved.
        </p>
        <button type="submit" className="button button-primary" disabled={submit.busy}>
          Plan rollout
        </button>
        {submit.busy ? <Loading what="the plan (the baseline is replayed over each tenant again)" /> : null}
        {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
      </form>
    </section>
  );
};
