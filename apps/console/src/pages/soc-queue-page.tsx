// The SOC's incident queue across every tenant the team looks after, live: the incidentEvents
// subscription of each tenant reloads it when something changes.
import { useState } from 'react';
import { allPages, useIncidentEvents, useQuery } from '../api/hooks';
import { INCIDENTS_QUERY, type IncidentsQuery, type QueueIncident } from '../api/operations';
import { Badge, ErrorPanel, Loading, LiveMessage, PageHeader } from '../components/ui';
import { formatDateTime, humanizeEventType, relativeTime, severityRank } from '../format';
import { Link, useSearchParam } from '../router/router';
import { useSignedIn } from '../session';

const SLA_RANK: Record<string, number> = { breached: 0, 'at-risk': 1, ok: 2 };

/** Breached SLAs first, then at risk; within each, the most severe; then the newest. */
export const queueOrder = (a: QueueIncident, b: QueueIncident): number =>
  (SLA_RANK[a.slaState] ?? 3) - (SLA_RANK[b.slaState] ?? 3) || severityRank(a.severity) - severityRank(b.severity) || b.openedAt.localeCompare(a.openedAt);

export const LiveBadge = ({ status }: { status: 'connecting' | 'live' | 'offline' }) => (
  <span className={`live-badge live-badge-${status}`}>
    <span aria-hidden="true">●</span> {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Not live (reload to refresh)'}
  </span>
);

export const IncidentTable = ({ incidents, caption, showTenant, tenantName }: { incidents: readonly QueueIncident[]; caption: string; showTenant: boolean; tenantName: (id: string) => string }) => (
  <div className="table-scroll">
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Incident</th>
          {showTenant ? <th scope="col">Tenant</th> : null}
          <th scope="col">Status</th>
          <th scope="col">SLA</th>
          <th scope="col">Assignee</th>
          <th scope="col">Opened</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={`${i.tenantId}/${i.incidentId}`} data-incident={i.incidentId}>
            <td>
              <Badge value={i.severity} prefix="Severity" />
            </td>
            <th scope="row">
              <Link to={{ name: 'incident', tenantId: i.tenantId, incidentId: i.incidentId }}>{i.title}</Link>
              <span className="muted small block">{i.incidentId}</span>
            </th>
            {showTenant ? <td>{tenantName(i.tenantId)}</td> : null}
            <td>
              <Badge value={i.status} prefix="Status" />
            </td>
            <td>
              <Badge value={i.slaState} prefix="SLA" />
              {i.breached.length ? <span className="muted small block">missed: {i.breached.join(', ')}</span> : null}
            </td>
            <td>{i.assignee ?? <span className="muted">unassigned</span>}</td>
            <td>
              <time dateTime={i.openedAt}>{formatDateTime(i.openedAt)}</time>
              <span className="muted small block">{relativeTime(i.openedAt)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);

export const SocQueuePage = () => {
  const { me, tenants } = useSignedIn();
  const [severity, setSeverity] = useSearchParam('severity');
  const [tenant, setTenant] = useSearchParam('tenant');
  const [mine, setMine] = useSearchParam('mine');
  const [show, setShow] = useSearchParam('show');
  const [announcement, setAnnouncement] = useState<string>();
  const filter = { open: show === 'all' ? undefined : true, severity: severity ?? undefined, tenantId: tenant ?? undefined, assignee: mine ? me.id : undefined };
  const query = useQuery(JSON.stringify(filter), (client, signal) =>
    allPages((after) => client.request<IncidentsQuery>(INCIDENTS_QUERY, { filter, after }, { signal }).then((d) => d.incidents), 5),
  );
  const live = useIncidentEvents(me.tenantIds, (event) => {
    query.reload();
    setAnnouncement(`Queue updated: ${humanizeEventType(event.type).toLowerCase()}, ${formatDateTime(event.recordedAt)}`);
  });
  const tenantName = (id: string) => tenants.get(id)?.displayName ?? id;
  const incidents = [...(query.data?.nodes ?? [])].sort(queueOrder);
  return (
    <>
      <PageHeader title="Incident queue" subtitle={`Across ${me.tenantIds.length} tenant${me.tenantIds.length === 1 ? '' : 's'} you look after`} actions={<LiveBadge status={live} />} />
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-compact">
          <label htmlFor="q-severity">Severity</label>
          <select id="q-severity" value={severity ?? ''} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">Any</option>
            {['critical', 'high', 'medium', 'low'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-compact">
          <label htmlFor="q-tenant">Tenant</label>
          <select id="q-tenant" value={tenant ?? ''} onChange={(e) => setTenant(e.target.value)}>
            <option value="">All tenants</option>
            {me.tenantIds.map((t) => (
              <option key={t} value={t}>
                {tenantName(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-compact">
          <label htmlFor="q-show">Show</label>
          <select id="q-show" value={show ?? 'open'} onChange={(e) => setShow(e.target.value === 'open' ? null : e.target.value)}>
            <option value="open">Open incidents</option>
            <option value="all">All incidents</option>
          </select>
        </div>
        <div className="checkbox">
          <input id="q-mine" type="checkbox" checked={mine === '1'} onChange={(e) => setMine(e.target.checked ? '1' : null)} />
          <label htmlFor="q-mine">Assigned to me</label>
        </div>
      </form>
      <LiveMessage message={announcement} />
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={query.reload} />
      ) : !query.data ? (
        <Loading what="the queue" />
      ) : incidents.length === 0 ? (
        <p className="empty">No incidents match. Quiet is good.</p>
      ) : (
        <>
          <p className="muted" aria-live="polite">
            {incidents.length} incident{incidents.length === 1 ? '' : 's'}
            {query.data.complete ? '' : ' (the first 500; narrow the filters to see the rest)'}. Breached SLAs first, then by severity.
          </p>
          <IncidentTable incidents={incidents} caption="Incident queue" showTenant tenantName={tenantName} />
        </>
      )}
    </>
  );
};
