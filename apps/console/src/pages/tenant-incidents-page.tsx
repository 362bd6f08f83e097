// A tenant's incidents, and what SOC and platform staff did on its behalf (from its audit trail:
// every such change carries onBehalfOfTenant).
import { allPages, useIncidentEvents, useQuery } from '../api/hooks';
import { AUDIT_TRAIL_QUERY, TENANT_INCIDENTS_QUERY, type AuditTrailQuery, type QueueIncident, type TenantIncidentsQuery, type TrailEntry } from '../api/operations';
import { ErrorPanel, Loading, PageHeader } from '../components/ui';
import { formatDateTime, humanizeEventType } from '../format';
import { summarize } from '../incidents/timeline';
import { queueOrder } from '../incidents/queue';
import { IncidentTable, LiveBadge } from './soc-queue-page';

interface Data {
  readonly tenant: TenantIncidentsQuery['tenant'];
  readonly incidents: readonly QueueIncident[];
  readonly incidentsComplete: boolean;
  readonly onBehalf: readonly TrailEntry[];
  readonly trailComplete: boolean;
}

const CLOSED = ['resolved', 'closed', 'merged'];
/** Open incidents first (in queue order), then the closed ones, newest first. */
const tenantOrder = (a: QueueIncident, b: QueueIncident) =>
  Number(CLOSED.includes(a.status)) - Number(CLOSED.includes(b.status)) || (CLOSED.includes(a.status) ? b.openedAt.localeCompare(a.openedAt) : queueOrder(a, b));

export const TenantIncidentsPage = ({ tenantId }: { tenantId: string }) => {
  const query = useQuery(tenantId, async (client, signal): Promise<Data> => {
    let tenant: TenantIncidentsQuery['tenant'] = null;
    const incidents = await allPages(async (after) => {
      const page = await client.request<TenantIncidentsQuery>(TENANT_INCIDENTS_QUERY, { tenantId, after }, { signal });
      tenant = page.tenant;
      return page.incidents;
    }, 5);
    // Only the staff's actions, oldest first: the newest 50 are at the end.
    const trail = await allPages((after) => client.request<AuditTrailQuery>(AUDIT_TRAIL_QUERY, { tenantId, after }, { signal }).then((d) => d.auditTrail), 20);
    return {
      tenant,
      incidents: incidents.nodes,
      incidentsComplete: incidents.complete,
      onBehalf: trail.nodes.filter((e) => e.onBehalfOfTenant).slice(-50).reverse(),
      trailComplete: trail.complete,
    };
  });
  const live = useIncidentEvents(query.error ? [] : [tenantId], () => query.reload());
  const data = query.data;
  const name = data?.tenant?.displayName ?? tenantId;
  return (
    <>
      <PageHeader title={data ? `Incidents of ${name}` : 'Incidents'} subtitle={data?.tenant ? `Looked after by SOC team ${data.tenant.socTeams.join(', ') || '—'}` : undefined} actions={<LiveBadge status={live} />} />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="incidents" />
      ) : (
        <>
          <section className="panel" aria-labelledby="incidents-title">
            <h2 id="incidents-title">Incidents</h2>
            {data.incidents.length === 0 ? (
              <p className="empty">No incidents.</p>
            ) : (
              <IncidentTable incidents={[...data.incidents].sort(tenantOrder)} caption={`Incidents of ${name}`} showTenant={false} tenantName={() => name} />
            )}
            {!data.incidentsComplete ? <p className="small muted">The newest 250 incidents.</p> : null}
          </section>
          <section className="panel" aria-labelledby="behalf-title">
            <h2 id="behalf-title">What the SOC did on your behalf</h2>
            {data.onBehalf.length === 0 ? (
              <p className="empty">Nothing yet.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Changes made on behalf of {name}, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.onBehalf.map((e) => (
                      <tr key={e.eventId}>
                        <td>{formatDateTime(e.recordedAt)}</td>
                        <td>{e.actorId}</td>
                        <th scope="row">
                          {summarize(e)}
                          <span className="muted small block">{humanizeEventType(e.type)}</span>
                        </th>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {!data.trailComplete ? <p className="small muted">Only the first 2,000 entries of the audit trail were read.</p> : null}
          </section>
        </>
      )}
    </>
  );
};
