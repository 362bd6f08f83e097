// A tenant's proof of coverage: how many resources' verdicts rest on evidence collected and
// evaluated within the tenant's interval, the resources whose evidence is older (reported not
// evaluated: what they pass counts as not evaluable, never passing), and the interval itself — now,
// as of a past instant, or ahead of now (what goes stale if nothing more is collected by then).
import { useState, type FormEvent } from 'react';
import { useQuery, useReloadUntil } from '../api/hooks';
import { COVERAGE_QUERY, SET_COVERAGE_POLICY_MUTATION, type CoverageQuery, type PolicyMutation } from '../api/operations';
import { offers } from '../auth/roles';
import { formatScore } from '../charts/scale';
import { OutcomeMessage, useSubmit } from '../components/forms';
import { ErrorPanel, Field, LiveMessage, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import { coverageRefusal, coverageSentence, evidenceAge, INTERVAL_PRESETS, intervalDetail, intervalOf, MAX_INTERVAL_HOURS } from '../posture/coverage';
import { Link, useSearchParam } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';
import { EvaluatorBehind } from './coverage-parts';
import { AsOfPicker } from './posture-page';

export const CoveragePage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const [asOf, setAsOf] = useSearchParam('asOf');
  const query = useQuery(`coverage:${tenantId}|${asOf ?? 'now'}`, (client, signal) => client.request<CoverageQuery>(COVERAGE_QUERY, { tenantId, asOf }, { signal }));
  const settle = useReloadUntil(query);
  const data = query.data;
  const past = asOf !== null && Date.parse(asOf) <= Date.now();
  // The picker takes an instant ahead of now too: coverage changes with time alone, so it shows what goes stale by then.
  // After a change of the interval, a past instant keeps the one in force then; now and ahead take the new one once the worker has it.
  const settled = (hours: number) => settle.until((d) => d.tenantGuardrails.maxEvidenceAgeHours === hours && (past || d.coverage.maxEvidenceAgeHours === hours));
  return (
    <>
      <PageHeader
        title={data?.tenant ? `Coverage of ${data.tenant.displayName}` : 'Coverage'}
        subtitle={asOf ? `As of ${formatDateTime(asOf)}${past ? '' : ', ahead of now'}` : 'Now'}
        actions={query.error ? null : <AsOfPicker key={asOf ?? 'now'} asOf={asOf} onChange={setAsOf} ahead />}
      />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="the coverage" />
      ) : !data.tenant ? (
        <NotFound what={`Tenant ${tenantId}`} />
      ) : (
        <>
          <Summary tenantId={tenantId} coverage={data.coverage} asOf={asOf} />
          <IntervalSetting
            tenantId={tenantId}
            current={data.tenantGuardrails.maxEvidenceAgeHours}
            shown={data.coverage.maxEvidenceAgeHours}
            past={past}
            mayManage={data.tenant.status !== 'offboarded' && offers(me, 'managePolicies', tenantId)}
            onSet={settled}
            waiting={settle.waiting}
          />
          <NotEvaluated tenantId={tenantId} coverage={data.coverage} />
        </>
      )}
    </>
  );
};

const Summary = ({ tenantId, coverage: c, asOf }: { tenantId: string; coverage: CoverageQuery['coverage']; asOf: string | null }) => {
  // the score and the controls at the same instant (a past one: those pages show no future)
  const query = asOf && Date.parse(asOf) <= Date.now() ? `?asOf=${encodeURIComponent(asOf)}` : '';
  return (
    <section className="panel" aria-labelledby="coverage-title">
      <h2 id="coverage-title">Proof of coverage</h2>
      <dl className="stats">
        <Stat label="Coverage" value={formatScore(c.score)} detail={coverageSentence(c)} />
        <Stat label="Evaluated" value={`${c.evaluated} of ${c.resources}`} detail={`collected and evaluated within ${c.maxEvidenceAgeHours} h`} />
        <Stat label="Not evaluated" value={c.notEvaluated} detail="what they pass counts as not evaluable, never as passing" />
        <Stat label="Oldest evidence" value={formatDateTime(c.oldestEvidenceAt)} detail={c.oldestEvidenceAt ? `${evidenceAge(c.oldestEvidenceAt, c.at)} old` : undefined} />
        <Stat label="Interval" value={`${c.maxEvidenceAgeHours} h`} detail={intervalDetail(c.maxEvidenceAgeHours) || undefined} />
      </dl>
      <EvaluatorBehind evaluatedThrough={c.evaluatedThrough} />
      <p className="small">
        A verdict is only as fresh as the configuration it was decided on. A resource counts as evaluated when its configuration was collected (a change, or a complete snapshot of a scope
        holding it) and evaluated within the interval; otherwise it is reported not evaluated, and what it passes counts as not evaluable in the{' '}
        <Link to={`${pathFor({ name: 'posture', tenantId })}${query}`}>compliance score</Link> and in the controls of the <Link to={`${pathFor({ name: 'standards', tenantId })}${query}`}>regulatory standards</Link>.
      </p>
    </section>
  );
};

const IntervalSetting = ({
  tenantId,
  current,
  shown,
  past,
  mayManage,
  onSet,
  waiting,
}: {
  tenantId: string;
  /** The interval in force now. */
  current: number;
  /** The one the coverage shown was measured with: at a past instant, the one in force then. */
  shown: number;
  past: boolean;
  mayManage: boolean;
  onSet: (hours: number) => void;
  waiting: boolean;
}) => {
  const submit = useSubmit(coverageRefusal);
  const [text, setText] = useState(String(current));
  const [problem, setProblem] = useState<string>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    submit.clear();
    const chosen = intervalOf(text);
    if (!chosen.ok) return setProblem(chosen.problem);
    if (chosen.hours === current) return setProblem(`The interval is ${current} h already.`);
    setProblem(undefined);
    const done = await submit.run<PolicyMutation>(SET_COVERAGE_POLICY_MUTATION, { tenantId, maxEvidenceAgeHours: chosen.hours }, () => `Saved: from now on, evidence older than ${chosen.hours} h makes a resource not evaluated.`);
    if (done) onSet(chosen.hours);
  };
  const then = past && shown !== current ? <p className="small">At the instant shown the interval was {shown} h; it is {current} h now.</p> : null;
  return (
    <section className="panel" aria-labelledby="interval-title">
      <h2 id="interval-title">Interval</h2>
      {mayManage ? (
        <form onSubmit={(e) => void save(e)} aria-labelledby="interval-title" noValidate>
          <div className="form-row interval-choice">
            <Field id="coverage-interval" label="Interval (hours)">
              <input
                id="coverage-interval"
                className="input-narrow"
                type="number"
                min={1}
                max={MAX_INTERVAL_HOURS}
                step={1}
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setProblem(undefined);
                }}
                aria-describedby="coverage-interval-hint"
              />
            </Field>
            <div className="button-row" role="group" aria-label="Intervals by name">
              {INTERVAL_PRESETS.map((p) => (
                <button
                  key={p.hours}
                  type="button"
                  className="button button-small"
                  aria-pressed={text.trim() === String(p.hours)}
                  onClick={() => {
                    setText(String(p.hours));
                    setProblem(undefined);
                  }}
                >
                  {p.hours} h · {p.label}
                </button>
              ))}
            </div>
          </div>
          <p className="hint" id="coverage-interval-hint">
            Evidence older than this makes a resource not evaluated: 1 to {MAX_INTERVAL_HOURS} hours (90 days). FedRAMP 20x asks for 72; until the tenant chooses, a week.
          </p>
          {then}
          <div className="button-row">
            <button type="submit" className="button" disabled={submit.busy || waiting}>
              Save interval
            </button>
          </div>
          {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
          {waiting ? <p className="small muted">Waiting for the worker to apply it…</p> : null}
        </form>
      ) : (
        <>
          <p>
            Evidence older than {current} h{intervalDetail(current) ? ` (${intervalDetail(current)})` : ''} makes a resource not evaluated.{' '}
            <span className="muted small">A customer admin, a SOC lead or a platform admin changes this.</span>
          </p>
          {then}
        </>
      )}
    </section>
  );
};

const NotEvaluated = ({ tenantId, coverage: c }: { tenantId: string; coverage: CoverageQuery['coverage'] }) => {
  const listed = c.notEvaluatedResources;
  return (
    <section className="panel" aria-labelledby="not-evaluated-title">
      <h2 id="not-evaluated-title">
        Not evaluated <span className="muted">({c.notEvaluated})</span>
      </h2>
      {listed.length === 0 ? (
        <p className="empty">{c.resources === 0 ? 'No resource is recorded for this tenant yet.' : `Every resource was collected and evaluated within ${c.maxEvidenceAgeHours} h.`}</p>
      ) : (
        <>
          <p className="hint">Oldest evidence first. Collecting a resource again (its next change, or the next complete snapshot of its scope) and evaluating it brings it back.</p>
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Resources not evaluated within {c.maxEvidenceAgeHours} h, oldest evidence first</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Last collected (UTC)</th>
                  <th scope="col">Evaluated at (UTC)</th>
                  <th scope="col">Age of evidence</th>
                </tr>
              </thead>
              <tbody>
                {listed.map((r) => (
                  <tr key={r.resourceId}>
                    <th scope="row" data-label="Resource">
                      <Link to={{ name: 'resource', tenantId, resourceId: r.resourceId }}>{resourceName(r.resourceId)}</Link>
                      <span className="muted small block break">{r.resourceType}</span>
                    </th>
                    <td data-label="Last collected (UTC)">{formatDateTime(r.lastCollectedAt)}</td>
                    <td data-label="Evaluated at (UTC)">
                      {formatDateTime(r.evaluatedAt)}
                      {r.evaluatedAt < r.lastCollectedAt ? <span className="small muted block">its last collection is not evaluated yet</span> : null}
                    </td>
                    <td data-label="Age of evidence">{evidenceAge(r.evaluatedAt, c.at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {c.notEvaluated > listed.length ? (
            <p className="small muted">
              The {listed.length} with the oldest evidence are listed; {c.notEvaluated} in all.
            </p>
          ) : null}
        </>
      )}
    </section>
  );
};
