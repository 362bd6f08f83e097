// A tenant's posture: the compliance score over time per baseline or framework, with its coverage
// (how much of it rests on fresh evidence), failing guardrails by control, and the riskiest
// resources — now, or as of any past instant (postureAsOf).
import { useState, type FormEvent } from 'react';
import { loadCatalog } from '../api/catalog';
import { allPages, useQuery } from '../api/hooks';
import { FINDINGS_PAGE_QUERY, POSTURE_AS_OF_QUERY, POSTURE_NOW_QUERY, type ComplianceScore, type Finding, type FindingsPageQuery, type PostureAsOfQuery, type PostureNowQuery, type ScorePoint } from '../api/operations';
import { BarChart, LineChart } from '../charts/charts';
import { formatScore } from '../charts/scale';
import { Badge, ErrorPanel, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime, isoToUtcInput, localHint, resourceName, utcInputToIso } from '../format';
import { failingByControl, RANGES, scoreLines, seriesWindow, topRiskyResources, type Breakdown, type RangeKey } from '../posture/analysis';
import { Link, useSearchParam } from '../router/router';
import { CoverageStat, EvaluatorBehind } from './coverage-parts';

interface PostureData {
  /** False when no tenant has this id (a mistyped address): nothing else is shown. */
  readonly exists: boolean;
  readonly displayName: string;
  readonly score: ComplianceScore;
  readonly findings: readonly Finding[];
  readonly series: readonly ScorePoint[];
  readonly end: number;
  readonly asOf?: { position: string | null; events: number; resourceCount: number; openIncidents: PostureAsOfQuery['postureAsOf']['openIncidents'] };
  readonly catalog: Awaited<ReturnType<typeof loadCatalog>>;
  readonly findingsComplete: boolean;
}

/**
 * The instant a page shows. `ahead` also takes one in the future: what a view derived from time
 * alone (evidence ageing past an interval) will show then if nothing new is recorded.
 */
export const AsOfPicker = ({ asOf, onChange, ahead = false }: { asOf: string | null; onChange: (iso: string | null) => void; ahead?: boolean }) => {
  const [value, setValue] = useState(asOf ? isoToUtcInput(asOf) : '');
  const [error, setError] = useState<string>();
  const typed = value ? utcInputToIso(value) : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const iso = utcInputToIso(value);
    if (!iso) return setError('Enter a date and time.');
    if (!ahead && Date.parse(iso) > Date.now()) return setError('Pick a moment in the past.');
    setError(undefined);
    onChange(iso);
  };
  return (
    <form className="as-of" onSubmit={submit} aria-label="Point in time">
      <div className="field field-compact">
        <label htmlFor="as-of">As of (UTC)</label>
        <input id="as-of" type="datetime-local" value={value} onChange={(e) => setValue(e.target.value)} aria-describedby="as-of-hint" max={ahead ? undefined : isoToUtcInput(new Date().toISOString())} />
      </div>
      <button type="submit" className="button">
        Show then
      </button>
      <button
        type="button"
        className="button button-quiet"
        disabled={!asOf}
        onClick={() => {
          setValue('');
          onChange(null);
        }}
      >
        Now
      </button>
      <p id="as-of-hint" className={error ? 'form-error' : 'hint'} role={error ? 'alert' : undefined}>
        {error ??
          (asOf
            ? Date.parse(asOf) > Date.now()
              ? `Showing the tenant at ${formatDateTime(asOf)} (${localHint(asOf)}) as it will be if nothing more is collected before then.`
              : `Showing the tenant exactly as it was at ${formatDateTime(asOf)} (${localHint(asOf)}), rebuilt from its events.`
            : typed
              ? `${value.replace('T', ' ')} UTC is ${localHint(typed)}.`
              : 'Showing the tenant now.')}
      </p>
    </form>
  );
};

export const PosturePage = ({ tenantId }: { tenantId: string }) => {
  const [asOf, setAsOf] = useSearchParam('asOf');
  const [rangeParam, setRange] = useSearchParam('range');
  const [breakdownParam, setBreakdown] = useSearchParam('by');
  const range = (RANGES.find((r) => r.key === rangeParam)?.key ?? '7d') as RangeKey;
  const breakdown: Breakdown = breakdownParam === 'framework' ? 'framework' : 'baseline';
  const query = useQuery(`${tenantId}|${asOf ?? 'now'}|${range}`, async (client, signal): Promise<PostureData> => {
    const end = asOf ? Date.parse(asOf) : Date.now();
    const window = seriesWindow(range, end);
    const catalog = await loadCatalog(client);
    if (asOf) {
      const d = await client.request<PostureAsOfQuery>(POSTURE_AS_OF_QUERY, { tenantId, asOf, ...window }, { signal });
      const p = d.postureAsOf;
      return {
        exists: d.tenant !== null,
        displayName: d.tenant?.displayName ?? tenantId,
        score: p.score,
        findings: p.openFindings,
        series: d.complianceSeries,
        end,
        asOf: { position: p.position, events: p.events, resourceCount: p.resourceCount, openIncidents: p.openIncidents },
        catalog,
        findingsComplete: true,
      };
    }
    const d = await client.request<PostureNowQuery>(POSTURE_NOW_QUERY, { tenantId, ...window }, { signal });
    const open = await allPages((after) => client.request<FindingsPageQuery>(FINDINGS_PAGE_QUERY, { tenantId, filter: { status: 'open' }, after }, { signal }).then((f) => f.findings), 10);
    return {
      exists: d.tenant !== null,
      displayName: d.tenant?.displayName ?? tenantId,
      score: d.complianceScore,
      findings: open.nodes,
      series: d.complianceSeries,
      end,
      catalog,
      findingsComplete: open.complete,
    };
  });
  const data = query.data;
  const title = data ? `Posture of ${data.displayName}` : 'Posture';
  return (
    <>
      <PageHeader title={title} subtitle={asOf ? `As of ${formatDateTime(asOf)}` : 'Now'} actions={query.error ? null : <AsOfPicker key={asOf ?? 'now'} asOf={asOf} onChange={setAsOf} />} />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="the posture" />
      ) : !data.exists ? (
        <NotFound what={`Tenant ${tenantId}`} />
      ) : (
        <PostureView tenantId={tenantId} data={data} range={range} breakdown={breakdown} setRange={setRange} setBreakdown={setBreakdown} />
      )}
    </>
  );
};

const PostureView = ({
  tenantId,
  data,
  range,
  breakdown,
  setRange,
  setBreakdown,
}: {
  tenantId: string;
  data: PostureData;
  range: RangeKey;
  breakdown: Breakdown;
  setRange: (v: string | null) => void;
  setBreakdown: (v: string | null) => void;
}) => {
  const baselineTitles = new Map([...data.catalog.baselines, ...data.catalog.standards].map((b) => [b.id, b.title]));
  const standardIds = new Set(data.catalog.standards.map((s) => s.id));
  const lines = scoreLines(data.series, data.score, data.end, breakdown, baselineTitles);
  const window = seriesWindow(range, data.end);
  const controls = failingByControl(data.findings, data.catalog.guardrails);
  const risky = topRiskyResources(data.findings);
  const overall = data.score.overall;
  const asOf = data.asOf ? new Date(data.end).toISOString() : null;
  const rangeLabel = RANGES.find((r) => r.key === range)?.label ?? range;
  const withValues = lines[0].points.filter((p) => p.y !== null);
  const description = withValues.length
    ? `Overall score ${formatScore(withValues[0].y)} at the start of the period with data and ${formatScore(withValues[withValues.length - 1].y)} at its end; ${lines.length - 1} ${breakdown === 'baseline' ? 'baselines' : 'frameworks'} drawn too.`
    : 'Nothing was evaluated in this period.';
  return (
    <>
      <section aria-labelledby="score-title" className="panel">
        <h2 id="score-title">Compliance score</h2>
        <dl className="stats">
          <Stat label="Overall" value={formatScore(overall.score)} detail={`${overall.compliant} compliant, ${overall.nonCompliant} non-compliant, ${overall.error} not evaluable, ${overall.exempt} exempt`} />
          <CoverageStat tenantId={tenantId} coverage={data.score.coverage} asOf={asOf} />
          {data.score.baselines.map((b) => (
            <Stat
              key={b.baselineId}
              label={baselineTitles.get(b.baselineId) ?? b.baselineId}
              value={formatScore(b.score)}
              detail={
                standardIds.has(b.baselineId) ? (
                  <>
                    {b.nonCompliant} non-compliant · <Link to={{ name: 'standards', tenantId, standardId: b.baselineId }}>controls</Link>
                  </>
                ) : (
                  `${b.nonCompliant} non-compliant`
                )
              }
            />
          ))}
          <Stat label="Open findings" value={data.findings.length + (data.findingsComplete ? '' : '+')} />
          {data.asOf ? <Stat label="Resources then" value={data.asOf.resourceCount} detail={`${data.asOf.events} events folded`} /> : null}
        </dl>
        <EvaluatorBehind evaluatedThrough={data.score.coverage.evaluatedThrough} />
      </section>
      <section aria-labelledby="trend-title" className="panel">
        <div className="panel-head">
          <h2 id="trend-title">Score over time</h2>
          <div className="filters">
            <div className="field field-compact">
              <label htmlFor="range">Period</label>
              <select id="range" value={range} onChange={(e) => setRange(e.target.value)}>
                {RANGES.map((r) => (
                  <option key={r.key} value={r.key}>
                    {r.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-compact">
              <label htmlFor="breakdown">Per</label>
              <select id="breakdown" value={breakdown} onChange={(e) => setBreakdown(e.target.value === 'baseline' ? null : e.target.value)}>
                <option value="baseline">baseline</option>
                <option value="framework">framework</option>
              </select>
            </div>
          </div>
        </div>
        <LineChart
          title={`Compliance score, ${rangeLabel.toLowerCase()}${data.asOf ? ` to ${formatDateTime(new Date(data.end).toISOString())}` : ''}, per ${breakdown}`}
          description={description}
          series={lines}
          from={Date.parse(window.from)}
          to={data.end}
        />
      </section>
      <div className="columns columns-even">
        <section aria-labelledby="controls-title" className="panel">
          <h2 id="controls-title">Failing guardrails by control</h2>
          {controls.length === 0 ? (
            <p className="empty">No open findings: every evaluated control passes.</p>
          ) : (
            <>
              <BarChart
                width={480}
                title="Open findings per control"
                description={`${controls.length} controls have open findings; the most is ${controls[0].findings} on ${controls[0].framework} ${controls[0].control}.`}
                bars={controls.slice(0, 10).map((c) => ({ key: `${c.framework}-${c.control}`, label: `${c.framework} ${c.control}`, value: c.findings, detail: c.guardrails.map((g) => g.title).join('; ') }))}
                max={Math.max(...controls.map((c) => c.findings))}
                format={(v) => (v === null ? 'n/a' : String(v))}
                valueLabel="Open findings"
              />
              <details>
                <summary>Every control with its failing guardrails ({controls.length})</summary>
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Failing guardrails by control</caption>
                  <thead>
                    <tr>
                      <th scope="col">Control</th>
                      <th scope="col">Failing guardrails</th>
                      <th scope="col">Resources</th>
                    </tr>
                  </thead>
                  <tbody>
                    {controls.map((c) => (
                      <tr key={`${c.framework}-${c.control}`}>
                        <th scope="row">
                          {c.framework} {c.control}
                        </th>
                        <td>
                          <ul className="plain-list">
                            {c.guardrails.map((g) => (
                              <li key={g.id}>
                                {g.title} <span className="muted">({g.findings})</span>
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td>{c.resources}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              </details>
            </>
          )}
        </section>
        <section aria-labelledby="risky-title" className="panel">
          <h2 id="risky-title">Top risky resources</h2>
          {risky.length === 0 ? (
            <p className="empty">No resource has an open finding.</p>
          ) : (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Resources by the weight of their open findings</caption>
                <thead>
                  <tr>
                    <th scope="col">Resource</th>
                    <th scope="col">Worst</th>
                    <th scope="col" className="num">
                      Findings
                    </th>
                    <th scope="col" className="num">
                      Risk
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {risky.map((r) => (
                    <tr key={r.resourceId}>
                      <th scope="row">
                        <Link to={{ name: 'resource', tenantId, resourceId: r.resourceId }}>{resourceName(r.resourceId)}</Link>
                        <span className="muted small block break">{r.resourceType}</span>
                      </th>
                      <td>
                        <Badge value={r.worst} prefix="Severity" />
                      </td>
                      <td className="num">{r.findings}</td>
                      <td className="num">{r.risk}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p className="small muted">Risk adds up the resource&apos;s open findings: critical 10, high 5, medium 2, low 1.</p>
          <p className="small">
            <Link to={{ name: 'findings', tenantId }}>All findings and exemptions</Link>
          </p>
        </section>
      </div>
      {data.asOf ? (
        <section aria-labelledby="then-incidents" className="panel">
          <h2 id="then-incidents">Open incidents then</h2>
          {data.asOf.openIncidents.length === 0 ? (
            <p className="empty">None.</p>
          ) : (
            <ul className="plain-list">
              {data.asOf.openIncidents.slice(0, 10).map((i) => (
                <li key={i.incidentId}>
                  <Badge value={i.severity} prefix="Severity" /> <Link to={{ name: 'incident', tenantId, incidentId: i.incidentId }}>{i.title}</Link> — {i.status}, {i.assignee ?? 'unassigned'}
                </li>
              ))}
            </ul>
          )}
          {data.asOf.openIncidents.length > 10 ? <p className="small muted">And {data.asOf.openIncidents.length - 10} more.</p> : null}
        </section>
      ) : null}
    </>
  );
};
