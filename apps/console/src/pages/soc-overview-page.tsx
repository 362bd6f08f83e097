// The SOC's overview of the tenants it looks after: open incidents by tenant and severity, SLA
// breaches, compliance score and response times per tenant; and response times over a chosen
// period by severity, analyst, SOC team or tenant.
import { allPages, useIncidentEvents, useQuery } from '../api/hooks';
import {
  INCIDENTS_QUERY,
  METRICS_BY_TENANT_QUERY,
  RESPONSE_TIMES_QUERY,
  tenantScoresQuery,
  tenantSeriesQuery,
  type IncidentsQuery,
  type MetricsByTenantQuery,
  type QueueIncident,
  type ResponseTimesQuery,
  type Tally,
  type TenantScoresQuery,
  type TenantSeriesQuery,
} from '../api/operations';
import { BarChart, LineChart, type LineSeries } from '../charts/charts';
import { formatScore } from '../charts/scale';
import { Badge, ErrorPanel, Loading, PageHeader, Stat } from '../components/ui';
import { formatDateTime, formatDuration, SEVERITY_ORDER, severityRank } from '../format';
import { Link, useSearchParam } from '../router/router';
import { useSignedIn } from '../session';
import { queueOrder } from '../incidents/queue';
import { LiveBadge } from './soc-queue-page';

interface Overview {
  readonly open: readonly QueueIncident[];
  readonly complete: boolean;
  readonly scores: ReadonlyMap<string, Tally>;
  readonly metrics: MetricsByTenantQuery['incidentMetricsBy'];
  /** Daily overall score of the (at most 8) lowest-scoring tenants over 30 days, closed by the score now. */
  readonly trend: readonly LineSeries[];
  readonly from: number;
  readonly to: number;
}

const TREND_TENANTS = 8;
const DAY = 86_400_000;

const BATCH = 10;

export const SocOverviewPage = () => {
  const { me, tenants } = useSignedIn();
  const tenantIds = me.tenantIds;
  const query = useQuery(tenantIds.join(','), async (client, signal): Promise<Overview> => {
    const open = await allPages((after) => client.request<IncidentsQuery>(INCIDENTS_QUERY, { filter: { open: true }, after }, { signal }).then((d) => d.incidents), 5);
    const scores = new Map<string, Tally>();
    for (let i = 0; i < tenantIds.length; i += BATCH) {
      const batch = tenantIds.slice(i, i + BATCH);
      const data = await client.request<TenantScoresQuery>(tenantScoresQuery(batch.length), Object.fromEntries(batch.map((t, j) => [`t${j}`, t])), { signal });
      Object.values(data).forEach((s) => scores.set(s.tenantId, s.overall));
    }
    const to = new Date();
    const from = new Date(to.getTime() - 30 * DAY);
    const window = { from: from.toISOString(), to: to.toISOString() };
    const metrics = await client.request<MetricsByTenantQuery>(METRICS_BY_TENANT_QUERY, window, { signal });
    const watched = [...tenantIds].sort((a, b) => (scores.get(a)?.score ?? 2) - (scores.get(b)?.score ?? 2)).slice(0, TREND_TENANTS);
    const series = watched.length
      ? await client.request<TenantSeriesQuery>(tenantSeriesQuery(watched.length), { ...window, ...Object.fromEntries(watched.map((t, i) => [`t${i}`, t])) }, { signal })
      : {};
    const trend = watched.map((tenantId, i) => ({
      key: tenantId,
      label: tenants.get(tenantId)?.displayName ?? tenantId,
      points: [...(series[`s${i}`] ?? []).map((p) => ({ x: Date.parse(p.at), y: p.overall.score })), { x: to.getTime(), y: scores.get(tenantId)?.score ?? null }],
    }));
    return { open: open.nodes, complete: open.complete, scores, metrics: metrics.incidentMetricsBy, trend, from: from.getTime(), to: to.getTime() };
  });
  const live = useIncidentEvents(tenantIds, () => query.reload(), 1_000);
  const name = (id: string) => tenants.get(id)?.displayName ?? id;
  const data = query.data;
  return (
    <>
      <PageHeader title="SOC overview" subtitle={`${tenantIds.length} tenants`} actions={<LiveBadge status={live} />} />
      {query.error ? <ErrorPanel error={query.error} onRetry={query.reload} /> : !data ? <Loading what="the overview" /> : <OverviewView data={data} tenantIds={tenantIds} name={name} />}
      <ResponseTimes name={name} />
    </>
  );
};

const PERIODS = [
  { key: '7', label: 'Last 7 days' },
  { key: '30', label: 'Last 30 days' },
  { key: '90', label: 'Last 90 days' },
] as const;
const GROUPINGS = [
  { key: 'SEVERITY', label: 'Severity' },
  { key: 'ASSIGNEE', label: 'Analyst' },
  { key: 'SOC_TEAM', label: 'SOC team' },
  { key: 'TENANT', label: 'Tenant' },
] as const;

/** Time to acknowledge, contain and resolve, over a period, by severity, analyst, team or tenant. */
const ResponseTimes = ({ name }: { name: (id: string) => string }) => {
  const [days, setDays] = useSearchParam('days');
  const [by, setBy] = useSearchParam('by');
  const period = PERIODS.find((p) => p.key === days)?.key ?? '30';
  const grouping = GROUPINGS.find((g) => g.key === by)?.key ?? 'SEVERITY';
  const query = useQuery(`response-times|${period}|${grouping}`, (client, signal) => {
    const to = new Date();
    const from = new Date(to.getTime() - Number(period) * 86_400_000);
    return client.request<ResponseTimesQuery>(RESPONSE_TIMES_QUERY, { from: from.toISOString(), to: to.toISOString(), groupBy: grouping }, { signal });
  });
  const groups = [...(query.data?.incidentMetricsBy ?? [])].sort((a, b) => (grouping === 'SEVERITY' ? severityRank(a.key) - severityRank(b.key) : b.incidents - a.incidents));
  const label = (key: string) => (grouping === 'TENANT' ? name(key) : key);
  return (
    <section className="panel" aria-labelledby="response-times-title">
      <div className="panel-head">
        <h2 id="response-times-title">Response times</h2>
        <div className="filters filters-inline">
          <div className="field field-compact">
            <label htmlFor="rt-period">Period</label>
            <select id="rt-period" value={period} onChange={(e) => setDays(e.target.value === '30' ? null : e.target.value)}>
              {PERIODS.map((p) => (
                <option key={p.key} value={p.key}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-compact">
            <label htmlFor="rt-by">By</label>
            <select id="rt-by" value={grouping} onChange={(e) => setBy(e.target.value === 'SEVERITY' ? null : e.target.value)}>
              {GROUPINGS.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.label}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={query.reload} />
      ) : !query.data ? (
        <Loading what="response times" />
      ) : groups.length === 0 ? (
        <p className="empty">No incident opened in this period.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Mean time to acknowledge, contain and resolve, {PERIODS.find((p) => p.key === period)?.label.toLowerCase()}, by {GROUPINGS.find((g) => g.key === grouping)?.label.toLowerCase()}</caption>
            <thead>
              <tr>
                <th scope="col">{GROUPINGS.find((g) => g.key === grouping)?.label}</th>
                <th scope="col" className="num">
                  Incidents
                </th>
                <th scope="col" className="num">
                  Time to acknowledge
                </th>
                <th scope="col" className="num">
                  Time to contain
                </th>
                <th scope="col" className="num">
                  Time to resolve
                </th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.key}>
                  <th scope="row">{label(g.key)}</th>
                  <td data-label="Incidents" className="num">
                    {g.incidents}
                  </td>
                  <td data-label="Time to acknowledge" className="num">
                    {formatDuration(g.mttaSeconds)}
                  </td>
                  <td data-label="Time to contain" className="num">
                    {formatDuration(g.mttcSeconds)}
                  </td>
                  <td data-label="Time to resolve" className="num">
                    {formatDuration(g.mttrSeconds)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
};

const OverviewView = ({ data, tenantIds, name }: { data: Overview; tenantIds: readonly string[]; name: (id: string) => string }) => {
  const count = (tenantId: string, severity?: string) => data.open.filter((i) => i.tenantId === tenantId && (!severity || i.severity === severity)).length;
  const breached = data.open.filter((i) => i.slaState === 'breached');
  const atRisk = data.open.filter((i) => i.slaState === 'at-risk');
  const metrics = new Map(data.metrics.map((m) => [m.key, m]));
  const byScore = [...tenantIds].sort((a, b) => (data.scores.get(a)?.score ?? 2) - (data.scores.get(b)?.score ?? 2));
  return (
    <>
      <dl className="stats">
        <Stat label="Open incidents" value={`${data.open.length}${data.complete ? '' : '+'}`} />
        <Stat label="SLA breached" value={breached.length} />
        <Stat label="SLA at risk" value={atRisk.length} />
        <Stat label="Critical open" value={data.open.filter((i) => i.severity === 'critical').length} />
      </dl>
      <section className="panel" aria-labelledby="by-tenant-title">
        <h2 id="by-tenant-title">Open incidents by tenant and severity</h2>
        <div className="table-scroll">
          <table className="table heat">
            <caption className="visually-hidden">Open incidents by tenant and severity, compliance score and response times (last 30 days)</caption>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                {SEVERITY_ORDER.map((s) => (
                  <th key={s} scope="col" className="num">
                    {s}
                  </th>
                ))}
                <th scope="col" className="num">
                  SLA breached
                </th>
                <th scope="col" className="num">
                  Compliance
                </th>
                <th scope="col" className="num">
                  MTTA (30 d)
                </th>
                <th scope="col" className="num">
                  MTTR (30 d)
                </th>
              </tr>
            </thead>
            <tbody>
              {tenantIds.map((t) => (
                <tr key={t}>
                  <th scope="row">
                    <Link to={{ name: 'tenant-incidents', tenantId: t }}>{name(t)}</Link>
                  </th>
                  {SEVERITY_ORDER.map((s) => {
                    const n = count(t, s);
                    return (
                      <td key={s} className={`num heat-${n === 0 ? 0 : s}`}>
                        {n}
                      </td>
                    );
                  })}
                  <td className="num">{breached.filter((i) => i.tenantId === t).length}</td>
                  <td className="num">
                    <Link to={{ name: 'posture', tenantId: t }}>{formatScore(data.scores.get(t)?.score)}</Link>
                  </td>
                  <td className="num">{formatDuration(metrics.get(t)?.mttaSeconds)}</td>
                  <td className="num">{formatDuration(metrics.get(t)?.mttrSeconds)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="panel" aria-labelledby="trend-title">
        <h2 id="trend-title">Compliance over the last 30 days</h2>
        <LineChart
          title={`Daily compliance score of ${data.trend.length === tenantIds.length ? 'every tenant' : `the ${data.trend.length} lowest-scoring tenants`}, last 30 days`}
          description={data.trend.map((s) => `${s.label}: ${formatScore(s.points[s.points.length - 1]?.y ?? null)} now`).join('; ')}
          series={data.trend}
          from={data.from}
          to={data.to}
          height={260}
          endLabel={false}
        />
      </section>
      <div className="columns columns-even">
        <section className="panel" aria-labelledby="scores-title">
          <h2 id="scores-title">Compliance score per tenant</h2>
          <BarChart
            title="Compliance score per tenant, lowest first"
            description={byScore.length ? `Lowest: ${name(byScore[0])} at ${formatScore(data.scores.get(byScore[0])?.score)}.` : 'No tenants.'}
            width={480}
            bars={byScore.map((t) => {
              const s = data.scores.get(t);
              return { key: t, label: name(t), value: s?.score ?? null, detail: s ? `${s.nonCompliant} non-compliant of ${s.compliant + s.nonCompliant + s.error} evaluated` : '' };
            })}
          />
        </section>
        <section className="panel" aria-labelledby="breaches-title">
          <h2 id="breaches-title">SLA breaches</h2>
          {breached.length === 0 ? (
            <p className="empty">No open incident has missed its SLA.</p>
          ) : (
            <ul className="plain-list">
              {[...breached].sort(queueOrder).slice(0, 10).map((i) => (
                <li key={`${i.tenantId}/${i.incidentId}`}>
                  <Badge value={i.severity} prefix="Severity" /> <Link to={{ name: 'incident', tenantId: i.tenantId, incidentId: i.incidentId }}>{i.title}</Link>{' '}
                  <span className="muted small">
                    {name(i.tenantId)} · missed {i.breached.join(', ')} · opened {formatDateTime(i.openedAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {breached.length > 10 ? (
            <p className="small">
              And {breached.length - 10} more: <Link to="/soc/queue">see the queue</Link>, breached first.
            </p>
          ) : null}
        </section>
      </div>
    </>
  );
};
