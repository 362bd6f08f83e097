// A tenant's regulatory compliance, as Defender for Cloud's dashboard shows it: each standard it is
// assessed against (MCSB, CIS, PCI DSS …), each control's state with its resource counts, the
// score over time with its coverage (how much of it rests on fresh evidence), and a control's
// failing resources — now, or as of any past instant. A control no rule checks in full is attested
// here (attestation-parts.tsx), and shows the attestation holding.
import { useState, type ReactNode } from 'react';
import { useQuery, useReloadUntil } from '../api/hooks';
import { STANDARD_COMPLIANCE_QUERY, STANDARDS_QUERY, type ControlCompliance, type ControlState, type StandardComplianceQuery, type StandardsQuery } from '../api/operations';
import { LineChart } from '../charts/charts';
import { formatScore } from '../charts/scale';
import { offers } from '../auth/roles';
import { Badge, ErrorPanel, LiveMessage, Loading, PageHeader, Stat } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import { RANGES, seriesWindow, type RangeKey } from '../posture/analysis';
import { saveBlob } from '../components/save';
import { attestable } from '../standards/attestations';
import { standardReportCsv } from '../standards/report';
import { CONTROL_STATES, controlsByDomain, STATE_LABELS, STATE_MEANINGS, standardChoices, standardScoreLine, type StateFilter } from '../standards/controls';
import { Link, useRouter, useSearchParam } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';
import { AttestationFacts, AttestForm } from './attestation-parts';
import { CoverageStat, EvaluatorBehind } from './coverage-parts';
import { AsOfPicker } from './posture-page';

export const StandardsPage = ({ tenantId, standardId }: { tenantId: string; standardId?: string }) => {
  const [asOf, setAsOf] = useSearchParam('asOf');
  const { navigate } = useRouter();
  const catalog = useQuery(`standards|${tenantId}`, (client, signal) => client.request<StandardsQuery>(STANDARDS_QUERY, { tenantId }, { signal }));
  const data = catalog.data;
  const choices = data ? standardChoices(data.standards, data.tenantGuardrails.assignments) : undefined;
  const selected = standardId ?? choices?.assigned[0]?.id;
  const title = data ? `Regulatory compliance of ${data.tenant?.displayName ?? tenantId}` : 'Regulatory compliance';
  const choose = (id: string) => navigate(`${pathFor({ name: 'standards', tenantId, standardId: id })}${window.location.search}`);
  return (
    <>
      <PageHeader title={title} subtitle={asOf ? `As of ${formatDateTime(asOf)}` : 'Now'} actions={catalog.error ? null : <AsOfPicker key={asOf ?? 'now'} asOf={asOf} onChange={setAsOf} />} />
      {catalog.error ? (
        <ErrorPanel error={catalog.error} tenantId={tenantId} onRetry={catalog.reload} />
      ) : !data || !choices ? (
        <Loading what="the standards" />
      ) : (
        <>
          <section aria-labelledby="standards-title" className="panel">
            <div className="panel-head">
              <h2 id="standards-title">Standards</h2>
              <div className="field field-compact">
                <label htmlFor="standard">Standard</label>
                <select id="standard" value={selected ?? ''} onChange={(e) => choose(e.target.value)}>
                  {selected ? null : <option value="">Choose a standard</option>}
                  {choices.assigned.length ? (
                    <optgroup label="Assessed for this tenant">
                      {choices.assigned.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.title}
                        </option>
                      ))}
                    </optgroup>
                  ) : null}
                  <optgroup label="Other standards">
                    {choices.others.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.title}
                      </option>
                    ))}
                  </optgroup>
                </select>
              </div>
            </div>
            {choices.assigned.length === 0 ? (
              <p className="empty">No standard is assigned to this tenant. A customer administrator or the SOC assigns one like a baseline (assignBaseline, or rampart baselines assign).</p>
            ) : (
              <ul className="plain-list inline-list">
                {choices.assigned.map((s) => (
                  <li key={s.id}>
                    <Link to={{ name: 'standards', tenantId, standardId: s.id }}>{s.title}</Link> <span className="muted small">({s.controlCount} controls)</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {selected ? (
            <StandardView key={`${selected}|${asOf ?? 'now'}`} tenantId={tenantId} standardId={selected} asOf={asOf} approvalRequired={data.tenantGuardrails.attestationApprovalRequired} />
          ) : null}
        </>
      )}
    </>
  );
};

const StandardView = ({ tenantId, standardId, asOf, approvalRequired }: { tenantId: string; standardId: string; asOf: string | null; approvalRequired: boolean }) => {
  const { me } = useSignedIn();
  const [rangeParam, setRange] = useSearchParam('range');
  const [stateParam, setState] = useSearchParam('state');
  const [controlParam, setControl] = useSearchParam('control');
  const range = (RANGES.find((r) => r.key === rangeParam)?.key ?? '30d') as RangeKey;
  const filter = (CONTROL_STATES.includes(stateParam as ControlState) ? stateParam : 'all') as StateFilter;
  const query = useQuery(`${tenantId}|${standardId}|${asOf ?? 'now'}|${range}`, async (client, signal) => {
    const end = asOf ? Date.parse(asOf) : Date.now();
    const window = seriesWindow(range, end);
    const d = await client.request<StandardComplianceQuery>(STANDARD_COMPLIANCE_QUERY, { tenantId, standardId, asOf, ...window }, { signal });
    return { ...d, end, window };
  });
  const settle = useReloadUntil(query);
  const [attesting, setAttesting] = useState<string>();
  const [notice, setNotice] = useState<string>();
  // Attesting is about now: a past instant shows what held then.
  const mayAttest = !asOf && offers(me, 'recordAttestations', tenantId);
  const startAttesting = (controlId: string) => {
    setNotice(undefined);
    setControl(controlId);
    setAttesting(controlId);
  };
  const attested = (controlId: string, result: { attestationId: string; status: string; message: string }) => {
    setAttesting(undefined);
    setNotice(result.message);
    // the standard's read model takes it in once the worker has applied it; a pending one changes nothing yet
    if (result.status === 'active') settle.until((d) => d.standardCompliance.controls.find((x) => x.controlId === controlId)?.attestation?.attestationId === result.attestationId);
    else query.reload();
  };
  if (query.error) return <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />;
  const data = query.data;
  if (!data) return <Loading what="the standard's controls" />;
  const c = data.standardCompliance;
  const s = c.controlStates;
  if (!c.assigned) {
    return (
      <section aria-labelledby="standard-title" className="panel">
        <h2 id="standard-title">{c.standard.title}</h2>
        <p className="empty">
          {c.standard.title} was not assigned to this tenant {asOf ? 'then' : 'yet'}: nothing was evaluated against it. It has {c.standard.controlCount} controls and {c.standard.definitionCount} Azure Policy
          definitions (initiative {c.standard.initiativeName}).
        </p>
      </section>
    );
  }
  const groups = controlsByDomain(c.controls, filter);
  const focused = controlParam ? c.controls.find((x) => x.controlId === controlParam) : undefined;
  const rangeLabel = RANGES.find((r) => r.key === range)?.label ?? range;
  const line = standardScoreLine(data.standardComplianceSeries, c.score, data.end, c.standard.title);
  const scored = line[0].points.filter((p) => p.y !== null);
  return (
    <>
      <section aria-labelledby="standard-title" className="panel">
        <h2 id="standard-title">{c.standard.title}</h2>
        <p className="small muted">
          Azure initiative {c.standard.initiativeName}
          {c.standard.version ? `, version ${c.standard.version}` : ''}; assigned as {c.assignments.map((a) => `${a.assignmentId} (${a.scope === '*' ? 'whole tenant' : a.scope})`).join(', ')}; {c.resourcesInScope} resources in scope.
        </p>
        <div className="button-row no-print">
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              saveBlob(
                new Blob([standardReportCsv(c.standard.title, c.asOf ?? new Date().toISOString(), c.controls)], { type: 'text/csv;charset=utf-8' }),
                `${tenantId}-${c.standard.id}-${(c.asOf ?? new Date().toISOString()).slice(0, 16).replace(/[-:T]/g, '')}.csv`,
              )
            }
          >
            Download CSV
          </button>
          <button type="button" className="button button-small" onClick={() => window.print()}>
            Print report
          </button>
        </div>
        <dl className="stats">
          <Stat label="Score" value={formatScore(c.score)} detail="passed among assessable controls" />
          {c.coverage ? <CoverageStat tenantId={tenantId} coverage={c.coverage} asOf={asOf} scope="in scope" /> : null}
          <Stat label="Failed controls" value={s.failed} />
          <Stat label="Passed controls" value={s.passed} />
          <Stat label="Attested controls" value={s.attested} detail="met on a person's attestation" />
          <Stat label="Not evaluable" value={s.notEvaluable} />
          <Stat label="Manual (attestation)" value={s.manual} />
          <Stat label="Not applicable" value={s.notApplicable} />
        </dl>
        {c.coverage ? <EvaluatorBehind evaluatedThrough={c.coverage.evaluatedThrough} /> : null}
      </section>
      <section aria-labelledby="standard-trend-title" className="panel">
        <div className="panel-head">
          <h2 id="standard-trend-title">Score over time</h2>
          <div className="field field-compact">
            <label htmlFor="standard-range">Period</label>
            <select id="standard-range" value={range} onChange={(e) => setRange(e.target.value)}>
              {RANGES.map((r) => (
                <option key={r.key} value={r.key}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        <LineChart
          title={`${c.standard.title}: passed controls among assessable ones, ${rangeLabel.toLowerCase()}`}
          description={scored.length ? `${formatScore(scored[0].y)} at the start of the period with data and ${formatScore(scored[scored.length - 1].y)} at its end.` : 'Nothing was assessed in this period.'}
          series={line}
          from={Date.parse(data.window.from)}
          to={data.end}
        />
      </section>
      <LiveMessage message={notice} tone="success" />
      {settle.waiting ? <p className="small muted">Waiting for the worker to apply it…</p> : null}
      {focused ? (
        <ControlDetail
          tenantId={tenantId}
          standardId={standardId}
          control={focused}
          onClose={() => {
            setAttesting(undefined);
            setControl(null);
          }}
          attest={
            mayAttest && attestable(focused)
              ? {
                  open: attesting === focused.controlId,
                  approvalRequired,
                  onStart: () => startAttesting(focused.controlId),
                  onCancel: () => setAttesting(undefined),
                  onDone: (result) => attested(focused.controlId, result),
                }
              : undefined
          }
        />
      ) : null}
      <section aria-labelledby="controls-title" className="panel">
        <div className="panel-head">
          <h2 id="controls-title">Controls</h2>
          <div className="field field-compact">
            <label htmlFor="state-filter">State</label>
            <select id="state-filter" value={filter} onChange={(e) => setState(e.target.value === 'all' ? null : e.target.value)}>
              <option value="all">All ({c.controls.length})</option>
              {CONTROL_STATES.map((state) => (
                <option key={state} value={state}>
                  {STATE_LABELS[state]} ({s[state]})
                </option>
              ))}
            </select>
          </div>
        </div>
        <details className="small">
          <summary>What the states mean</summary>
          <dl className="definitions">
            {CONTROL_STATES.map((state) => (
              <Definition key={state} term={<Badge value={state} label={STATE_LABELS[state]} />}>
                {STATE_MEANINGS[state]}
              </Definition>
            ))}
          </dl>
        </details>
        {groups.length === 0 ? (
          <p className="empty">No control is {STATE_LABELS[filter as ControlState]?.toLowerCase() ?? 'here'}.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">Controls of {c.standard.title} with their state and resource counts</caption>
              <thead>
                <tr>
                  <th scope="col">Control</th>
                  <th scope="col">Title</th>
                  <th scope="col">State</th>
                  <th scope="col" className="num">
                    Passed
                  </th>
                  <th scope="col" className="num">
                    Failed
                  </th>
                  <th scope="col" className="num">
                    Not applicable
                  </th>
                  <th scope="col" className="num">
                    Not evaluable
                  </th>
                  <th scope="col">Attestation</th>
                </tr>
              </thead>
              {groups.map((g) => (
                <tbody key={g.domain}>
                  <tr className="group-row">
                    <th scope="colgroup" colSpan={8}>
                      {g.domain}
                    </th>
                  </tr>
                  {g.controls.map((x) => (
                    <tr key={x.controlId} aria-current={x.controlId === controlParam ? 'true' : undefined}>
                      <th scope="row">
                        <a
                          href={`?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(window.location.search)), control: x.controlId }).toString()}`}
                          onClick={(e) => {
                            e.preventDefault();
                            setControl(x.controlId);
                          }}
                          aria-label={`Control ${x.controlId}: details`}
                        >
                          {x.controlId}
                        </a>
                      </th>
                      <td>
                        {x.title}
                        {x.titleFrom === 'definitions' ? <span className="muted small block">(what its definitions check)</span> : null}
                      </td>
                      <td>
                        <Badge value={x.state} label={STATE_LABELS[x.state]} prefix="State" />
                      </td>
                      <td className="num">{x.resources.passed}</td>
                      <td className="num">{x.resources.failed}</td>
                      <td className="num">{x.resources.notApplicable}</td>
                      <td className="num">{x.resources.notEvaluable}</td>
                      <td>
                        {x.attestation ? (
                          <span className="small">
                            {x.attestation.attestedBy}
                            <span className="muted block">until {formatDateTime(x.attestation.validUntil)}</span>
                          </span>
                        ) : mayAttest && attestable(x) ? (
                          <button type="button" className="button button-small" onClick={() => startAttesting(x.controlId)}>
                            Attest…<span className="visually-hidden"> control {x.controlId}</span>
                          </button>
                        ) : attestable(x) ? (
                          <span className="small muted">none holds</span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
        )}
      </section>
    </>
  );
};

const Definition = ({ term, children }: { term: ReactNode; children: ReactNode }) => (
  <div>
    <dt>{term}</dt>
    <dd>{children}</dd>
  </div>
);

interface AttestAction {
  readonly open: boolean;
  readonly approvalRequired: boolean;
  onStart(): void;
  onCancel(): void;
  onDone(result: { attestationId: string; status: string; message: string }): void;
}

const ControlDetail = ({ tenantId, standardId, control: x, onClose, attest }: { tenantId: string; standardId: string; control: ControlCompliance; onClose: () => void; attest?: AttestAction }) => (
  <section aria-labelledby="control-title" className="panel">
    <div className="panel-head">
      <h2 id="control-title">
        Control {x.controlId}: {x.title}
      </h2>
      <button type="button" className="button button-small button-quiet" onClick={onClose}>
        Close
      </button>
    </div>
    <p>
      <Badge value={x.state} label={STATE_LABELS[x.state]} prefix="State" /> {STATE_MEANINGS[x.state]}. {x.resources.failed} failing, {x.resources.passed} passing, {x.resources.notEvaluable} not evaluable,{' '}
      {x.resources.notApplicable} not applicable{x.resources.exempt ? `, ${x.resources.exempt} exempt` : ''}.
    </p>
    {x.attestation || attestable(x) ? (
      <>
        <h3>Attestation</h3>
        {x.attestation ? (
          <AttestationFacts attestation={x.attestation} controlId={x.controlId} />
        ) : (
          <p className="empty">No attestation holds for this control: no rule can check it, so it is not met until someone attests it.</p>
        )}
        <p className="small">
          <Link to={{ name: 'attestations', tenantId }}>Every attestation of the tenant</Link>, pending, ended and active.
        </p>
        {attest ? (
          attest.open ? (
            <AttestForm
              tenantId={tenantId}
              standardId={standardId}
              controlId={x.controlId}
              controlTitle={x.title}
              approvalRequired={attest.approvalRequired}
              onCancel={attest.onCancel}
              onDone={attest.onDone}
            />
          ) : (
            <div className="button-row">
              <button type="button" className="button" onClick={attest.onStart}>
                {x.attestation ? 'Attest again…' : 'Attest…'}
              </button>
            </div>
          )
        ) : null}
      </>
    ) : null}
    <h3>Failing resources</h3>
    {x.failingResources.length === 0 ? (
      <p className="empty">No resource fails this control.</p>
    ) : (
      <div className="table-scroll">
        <table className="table">
          <caption className="visually-hidden">Resources failing control {x.controlId}</caption>
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Fails</th>
            </tr>
          </thead>
          <tbody>
            {x.failingResources.map((r) => (
              <tr key={r.resourceId}>
                <th scope="row">
                  <Link to={{ name: 'resource', tenantId, resourceId: r.resourceId }}>{resourceName(r.resourceId)}</Link>
                  <span className="muted small block break">{r.resourceType}</span>
                </th>
                <td>
                  <ul className="plain-list">
                    {r.failures.map((f) => (
                      <li key={f.guardrailId}>
                        {f.title} <span className="muted small block">{f.reason.split('\n')[0]}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <h3>Its definitions ({x.definitions.total})</h3>
    {x.members.length === 0 ? (
      <p className="empty">Azure has no policy definition for this control: it needs an attestation.</p>
    ) : (
      <ul className="plain-list">
        {x.members.map((m) => (
          <li key={m.guardrailId}>
            {m.displayName}{' '}
            <span className="muted small">
              {m.kind !== 'automated'
                ? `(${m.kind === 'manual' ? 'manual: needs an attestation' : 'data-plane: not in an ARM inventory'})`
                : !m.evaluable
                  ? `(not evaluable${m.refusal ? `: ${m.refusal}` : ''})`
                  : `(${m.nonCompliant} failing, ${m.compliant} passing${m.error ? `, ${m.error} not evaluable` : ''}${m.exempt ? `, ${m.exempt} exempt` : ''})`}
            </span>
          </li>
        ))}
      </ul>
    )}
  </section>
);
