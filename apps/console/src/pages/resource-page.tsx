// One resource: its configuration now, every recorded change as a diff (before → after per path),
// and its compliance over time (Resource.complianceHistory: when each guardrail failed on it, with
// the configuration changes on the same axis).
import { useMemo } from 'react';
import { useQuery } from '../api/hooks';
import { RESOURCE_QUERY, type ResourceDetail, type ResourceQuery } from '../api/operations';
import { IntervalChart, type IntervalRow } from '../charts/charts';
import { Badge, ErrorPanel, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime } from '../format';
import { complianceTimelines } from '../resources/compliance-intervals';
import { cloudChangeSummary, configurationVersions, formatValue } from '../resources/configuration-history';
import { Link } from '../router/router';

export const ResourcePage = ({ tenantId, resourceId }: { tenantId: string; resourceId: string }) => {
  const query = useQuery(`${tenantId}|${resourceId}`, (client, signal) => client.request<ResourceQuery>(RESOURCE_QUERY, { tenantId, id: resourceId }, { signal }));
  if (query.error) {
    return (
      <>
        <PageHeader title="Resource" />
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      </>
    );
  }
  if (!query.data) return <Loading what="the resource" />;
  const resource = query.data.resource;
  if (!resource) {
    return (
      <>
        <PageHeader title="Resource" />
        <NotFound what={`Resource ${resourceId}`} />
      </>
    );
  }
  return <ResourceView tenantId={tenantId} tenantName={query.data.tenant?.displayName ?? tenantId} resource={resource} />;
};

const ResourceView = ({ tenantId, tenantName, resource }: { tenantId: string; tenantName: string; resource: ResourceDetail }) => {
  const versions = useMemo(() => configurationVersions(resource.history), [resource.history]);
  const timelines = useMemo(() => complianceTimelines(resource.complianceHistory), [resource.complianceHistory]);
  const now = Date.now();
  const start = Date.parse(resource.discoveredAt);
  const from = start - Math.max(60_000, (now - start) * 0.03);
  const rows: IntervalRow[] = timelines.map((t) => ({
    key: t.key,
    // the same guardrail through two assignments: say which
    label: timelines.filter((o) => o.guardrailId === t.guardrailId).length > 1 ? `${t.guardrailId} (${t.key.split('/')[0]})` : t.guardrailId,
    intervals: t.periods.map((p) => ({
      state: p.state,
      from: p.from,
      to: p.to,
      label: `${t.guardrailId}: ${p.state === 'nonCompliant' ? 'non-compliant' : p.state === 'error' ? 'not evaluable' : 'exempt'} from ${formatDateTime(new Date(p.from).toISOString())}${p.to === null ? ', still' : ` to ${formatDateTime(new Date(p.to).toISOString())}`}`,
    })),
  }));
  const periods = rows.reduce((n, r) => n + r.intervals.length, 0);
  const failing = resource.compliance.filter((c) => c.state === 'nonCompliant' || c.state === 'error');
  return (
    <>
      <PageHeader
        title={resource.name}
        subtitle={
          <>
            {resource.type} · <Link to={{ name: 'posture', tenantId }}>{tenantName}</Link>
          </>
        }
      />
      <dl className="facts">
        <Stat label="Resource group" value={resource.resourceGroup ?? '—'} />
        <Stat label="Location" value={resource.location ?? '—'} />
        <Stat label="Discovered" value={formatDateTime(resource.discoveredAt)} />
        <Stat label="Last changed" value={formatDateTime(resource.changedAt)} />
        <Stat label="Changes" value={resource.changes} />
        <Stat label="Compliance" value={failing.length === 0 ? 'compliant' : `${failing.length} of ${resource.compliance.length} guardrails failing`} />
      </dl>
      <p className="small muted break">
        <code>{resource.id}</code>
      </p>
      {resource.tags.length ? (
        <p className="badges">
          {resource.tags.map((t) => (
            <span key={t.name} className="tag">
              {t.name}={t.value}
            </span>
          ))}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="compliance-title">
        <h2 id="compliance-title">Compliance now</h2>
        {resource.compliance.length === 0 ? (
          <p className="empty">No assigned guardrail applies to this resource.</p>
        ) : (
          <div className="table-scroll">
            <table className="table">
              <caption className="visually-hidden">What each applicable guardrail says about this resource</caption>
              <thead>
                <tr>
                  <th scope="col">Guardrail</th>
                  <th scope="col">State</th>
                  <th scope="col">Since</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {resource.compliance.map((c) => (
                  <tr key={`${c.assignmentId}/${c.guardrailId}`}>
                    <th scope="row">
                      {c.guardrailId}
                      <span className="muted small block">
                        {c.baselineId} (assignment {c.assignmentId})
                      </span>
                    </th>
                    <td>
                      <Badge value={c.state} prefix="State" />
                      {c.exemptionId ? <span className="muted small block">exemption {c.exemptionId}</span> : null}
                    </td>
                    <td>{formatDateTime(c.since)}</td>
                    <td className="small">{c.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="over-time-title">
        <h2 id="over-time-title">Compliance over time</h2>
        {rows.length === 0 ? (
          <p className="empty">Nothing evaluated yet.</p>
        ) : (
          <IntervalChart
            title={`When each guardrail failed on ${resource.name}`}
            description={`${rows.length} guardrails evaluated; ${periods} periods of non-compliance, evaluation errors or exemptions; ${resource.history.length} recorded configuration changes marked.`}
            rows={rows}
            markers={resource.history.map((h) => ({ at: Date.parse(h.recordedAt), label: `${h.kind} (revision ${h.revision})` }))}
            from={from}
            to={now}
          />
        )}
      </section>
      <section className="panel" aria-labelledby="history-title">
        <h2 id="history-title">Configuration history</h2>
        <ol className="history" reversed>
          {[...versions].reverse().map((v) => (
            <li key={v.entry.revision} className="history-entry">
              <h3 className="history-title">
                <Badge value={v.entry.kind === 'removed' ? 'failed' : v.entry.kind === 'discovered' ? 'active' : 'medium'} label={v.entry.kind} /> revision {v.entry.revision},{' '}
                <time dateTime={v.entry.recordedAt}>{formatDateTime(v.entry.recordedAt)}</time>
              </h3>
              <p className="small muted">
                by {v.entry.actorKind} {v.entry.actorId}
                {v.entry.onBehalfOfTenant ? <strong className="on-behalf"> on behalf of {v.entry.onBehalfOfTenant}</strong> : null} · run {v.entry.runId}
              </p>
              {cloudChangeSummary(v.entry) ? (
                <p className="small cloud-change">
                  Changed in Azure by <strong>{cloudChangeSummary(v.entry)}</strong>
                  {v.entry.changedAt ? (
                    <>
                      {' '}
                      at <time dateTime={v.entry.changedAt}>{formatDateTime(v.entry.changedAt)}</time>
                    </>
                  ) : null}
                </p>
              ) : null}
              {v.changes.length ? (
                <table className="table diff">
                  <caption className="visually-hidden">Changed paths in revision {v.entry.revision}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Path</th>
                      <th scope="col">Before</th>
                      <th scope="col">After</th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.changes.map((c, i) => (
                      <tr key={`${c.path}-${i}`} className={`diff-${c.op}`}>
                        <th scope="row">
                          <code>{c.path}</code> <span className="muted small">({c.op === 'add' ? 'added' : c.op === 'remove' ? 'removed' : c.op === 'replace' ? 'changed' : c.op})</span>
                        </th>
                        <td>
                          <code className="diff-before">{formatValue(c.before)}</code>
                        </td>
                        <td>
                          <code className="diff-after">{c.op === 'remove' ? '—' : formatValue(c.after)}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : v.entry.kind === 'discovered' ? (
                <p className="small">First seen with the configuration below at the time.</p>
              ) : null}
              {v.unreplayable ? <p className="small form-error">The earlier history is incomplete: values before this change are unknown.</p> : null}
              {v.configuration !== undefined ? (
                <details>
                  <summary>Configuration after revision {v.entry.revision}</summary>
                  <pre className="code">{JSON.stringify(v.configuration, null, 2)}</pre>
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
};
