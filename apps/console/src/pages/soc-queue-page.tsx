// The SOC's incident queue across every tenant the team looks after, live: the incidentEvents
// subscription of each tenant reloads it when something changes.
import { useState, type FormEvent } from 'react';
import { allPages, useIncidentEvents, useQuery } from '../api/hooks';
import { INCIDENT_MUTATIONS, INCIDENTS_QUERY, PENDING_ACTIONS_QUERY, type CommandMutation, type IncidentsQuery, type PendingActionsQuery, type QueueIncident } from '../api/operations';
import { Badge, ErrorPanel, Loading, LiveMessage, PageHeader } from '../components/ui';
import { formatDateTime, humanizeEventType, relativeTime } from '../format';
import { AssigneePicker } from '../incidents/assignee-picker';
import { groupRows, matchesSearch, primaryResource, sortRows, SORT_KEYS, type Direction, type SortKey } from '../incidents/queue';
import { Link, useSearchParam } from '../router/router';
import { useApi, useSignedIn } from '../session';

export const LiveBadge = ({ status }: { status: 'connecting' | 'live' | 'offline' }) => (
  <span className={`live-badge live-badge-${status}`}>
    <span aria-hidden="true">●</span> {status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Not live (reload to refresh)'}
  </span>
);

export interface TableSort {
  readonly key: SortKey;
  readonly direction: Direction;
  onSort(key: SortKey): void;
}

const SortableHeader = ({ label, column, sort }: { label: string; column: SortKey; sort?: TableSort }) => {
  if (!sort) return <th scope="col">{label}</th>;
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => sort.onSort(column)}>
        {label}
        <span aria-hidden="true">{active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
      </button>
    </th>
  );
};

export const IncidentTable = ({
  incidents,
  caption,
  showTenant,
  tenantName,
  sort,
  awaiting,
  selection,
}: {
  incidents: readonly QueueIncident[];
  caption: string;
  showTenant: boolean;
  tenantName: (id: string) => string;
  sort?: TableSort;
  /** Incidents (tenant/incident) with an action waiting for approval. */
  awaiting?: ReadonlySet<string>;
  /** Rows picked for a bulk change, by tenant/incident. */
  selection?: { readonly selected: ReadonlySet<string>; toggle(keys: readonly string[], on: boolean): void };
}) => (
  <div className="table-scroll">
    <table className="table table-cards">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {selection ? (
            <th scope="col">
              <input
                type="checkbox"
                aria-label={`Select all ${incidents.length} shown`}
                checked={incidents.length > 0 && incidents.every((i) => selection.selected.has(`${i.tenantId}/${i.incidentId}`))}
                onChange={(e) => selection.toggle(incidents.map((i) => `${i.tenantId}/${i.incidentId}`), e.target.checked)}
              />
            </th>
          ) : null}
          <SortableHeader label="Severity" column="severity" sort={sort} />
          <th scope="col">Incident</th>
          <SortableHeader label="Resource" column="resource" sort={sort} />
          {showTenant ? <SortableHeader label="Tenant" column="tenant" sort={sort} /> : null}
          <SortableHeader label="Status" column="status" sort={sort} />
          <SortableHeader label="SLA" column="sla" sort={sort} />
          <SortableHeader label="Assignee" column="assignee" sort={sort} />
          <SortableHeader label="Opened" column="opened" sort={sort} />
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => {
          const resource = primaryResource(i);
          return (
            <tr key={`${i.tenantId}/${i.incidentId}`} data-incident={i.incidentId}>
              {selection ? (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${i.title} (${i.incidentId})`}
                    checked={selection.selected.has(`${i.tenantId}/${i.incidentId}`)}
                    onChange={(e) => selection.toggle([`${i.tenantId}/${i.incidentId}`], e.target.checked)}
                  />
                </td>
              ) : null}
              <td data-label="Severity">
                <Badge value={i.severity} prefix="Severity" />
              </td>
              <th scope="row">
                <Link to={{ name: 'incident', tenantId: i.tenantId, incidentId: i.incidentId }}>{i.title}</Link>
                <span className="muted small block">{i.incidentId}</span>
                {awaiting?.has(`${i.tenantId}/${i.incidentId}`) ? <Badge value="proposed" label="awaiting approval" /> : null}
              </th>
              <td data-label="Resource">
                {resource ? (
                  resource.key.startsWith('/subscriptions/') ? (
                    <Link to={{ name: 'resource', tenantId: i.tenantId, resourceId: resource.key }}>{resource.name}</Link>
                  ) : (
                    <code>{resource.name}</code>
                  )
                ) : (
                  <span className="muted">—</span>
                )}
                {resource && resource.more ? <span className="muted small block">and {resource.more} more</span> : null}
              </td>
              {showTenant ? <td data-label="Tenant">{tenantName(i.tenantId)}</td> : null}
              <td data-label="Status">
                <Badge value={i.status} prefix="Status" />
              </td>
              <td data-label="SLA">
                <Badge value={i.slaState} prefix="SLA" />
                {i.breached.length ? <span className="muted small block">missed: {i.breached.join(', ')}</span> : null}
              </td>
              <td data-label="Assignee">{i.assignee ?? <span className="muted">unassigned</span>}</td>
              <td data-label="Opened">
                <time dateTime={i.openedAt}>{formatDateTime(i.openedAt)}</time>
                <span className="muted small block">{relativeTime(i.openedAt)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);

/** A new incident is assigned by triage (its own severity kept); one already held is handed on. */
const ASSIGNABLE = ['new', 'triaged', 'responding', 'remediating', 'recovering'];

/**
 * Assigns the selected incidents, each with the same triage the incident page sends (its own
 * severity, on the revision the queue showed): one refused (moved on, changed meanwhile) does not
 * stop the others, and the result says which.
 */
const BulkAssign = ({ me, incidents, onDone, onCancel }: { me: string; incidents: readonly QueueIncident[]; onDone: (message: string, ok: boolean) => void; onCancel: () => void }) => {
  const { client } = useApi();
  const [assignee, setAssignee] = useState(me);
  const [busy, setBusy] = useState(false);
  const assign = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const refused: string[] = [];
    let assigned = 0;
    for (const i of incidents) {
      if (!ASSIGNABLE.includes(i.status)) {
        refused.push(`${i.incidentId} (${i.status}: it keeps its owner)`);
        continue;
      }
      if (i.assignee === assignee.trim()) {
        assigned++;
        continue;
      }
      try {
        const input = { tenantId: i.tenantId, incidentId: i.incidentId, assignee, expectedRevision: i.revision };
        const { result: r } = await client.request<CommandMutation>(
          i.status === 'new' ? INCIDENT_MUTATIONS.triageIncident : INCIDENT_MUTATIONS.reassignIncident,
          { input: i.status === 'new' ? { ...input, severity: i.severity } : input },
        );
        if (r.__typename === 'Rejection') refused.push(`${i.incidentId} (${r.code})`);
        else assigned++;
      } catch (error) {
        refused.push(`${i.incidentId} (${(error as Error).message})`);
      }
    }
    setBusy(false);
    onDone(`${assigned} assigned to ${assignee}${refused.length ? `; not assigned: ${refused.join(', ')}` : ''}.`, refused.length === 0);
  };
  return (
    <form className="panel bulk-bar" aria-label="Change the selected incidents" onSubmit={assign}>
      <strong>{incidents.length} selected</strong>
      <AssigneePicker id="bulk-assignee" label="Assign to" tenantIds={incidents.map((i) => i.tenantId)} value={assignee} onChange={setAssignee} compact />
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Assigning…' : `Assign ${incidents.length}`}
      </button>
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Clear selection
      </button>
    </form>
  );
};

const SLA_STATES = ['breached', 'at-risk', 'ok'] as const;
const STATUSES = ['new', 'triaged', 'responding', 'remediating', 'recovering', 'resolved', 'closed', 'merged'] as const;

export const SocQueuePage = () => {
  const { me, tenants } = useSignedIn();
  const [severity, setSeverity] = useSearchParam('severity');
  const [tenant, setTenant] = useSearchParam('tenant');
  const [mine, setMine] = useSearchParam('mine');
  const [show, setShow] = useSearchParam('show');
  const [search, setSearch] = useSearchParam('q');
  const [sla, setSla] = useSearchParam('sla');
  const [status, setStatus] = useSearchParam('status');
  const [approval, setApproval] = useSearchParam('approval');
  const [group, setGroup] = useSearchParam('group');
  const [sortParam, setSortParam] = useSearchParam('sort');
  const [announcement, setAnnouncement] = useState<string>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkMessage, setBulkMessage] = useState<{ text: string; tone: 'success' | 'error' }>();
  const selection = {
    selected,
    toggle: (keys: readonly string[], on: boolean) => setSelected((s) => (on ? new Set([...s, ...keys]) : new Set([...s].filter((k) => !keys.includes(k))))),
  };
  // What the API filters (and pages) by; the rest is filtered here, over what was loaded.
  const filter = { open: show === 'all' ? undefined : true, severity: severity ?? undefined, tenantId: tenant ?? undefined, assignee: mine ? me.id : undefined };
  const query = useQuery(JSON.stringify(filter), async (client, signal) => {
    const [incidents, pending] = await Promise.all([
      allPages((after) => client.request<IncidentsQuery>(INCIDENTS_QUERY, { filter, after }, { signal }).then((d) => d.incidents), 5),
      allPages((after) => client.request<PendingActionsQuery>(PENDING_ACTIONS_QUERY, { after }, { signal }).then((d) => d.pendingActions), 25),
    ]);
    return { ...incidents, awaiting: new Set(pending.nodes.map((p) => `${p.tenantId}/${p.action.incidentId}`)) };
  });
  const live = useIncidentEvents(me.tenantIds, (event) => {
    query.reload();
    setAnnouncement(`Queue updated: ${humanizeEventType(event.type).toLowerCase()}, ${formatDateTime(event.recordedAt)}`);
  });
  const tenantName = (id: string) => tenants.get(id)?.displayName ?? id;
  const [sortKey, sortDirection] = (sortParam ?? 'sla').split(':') as [SortKey, Direction | undefined];
  const sort: TableSort = {
    key: SORT_KEYS.includes(sortKey) ? sortKey : 'sla',
    direction: sortDirection === 'desc' ? 'desc' : 'asc',
    onSort: (key) => setSortParam(key === sort.key && sort.direction === 'asc' ? `${key}:desc` : key === 'sla' ? null : key),
  };
  const awaiting = query.data?.awaiting ?? new Set<string>();
  const incidents = sortRows(
    (query.data?.nodes ?? []).filter(
      (i) =>
        matchesSearch(i, search ?? '', tenantName) &&
        (!sla || i.slaState === sla) &&
        (!status || i.status === status) &&
        (approval !== '1' || awaiting.has(`${i.tenantId}/${i.incidentId}`)),
    ),
    sort.key,
    sort.direction,
    tenantName,
  );
  const groups = group === 'guardrail' || group === 'resource' ? groupRows(incidents, group) : undefined;
  return (
    <>
      <PageHeader title="Incident queue" subtitle={`Across ${me.tenantIds.length} tenant${me.tenantIds.length === 1 ? '' : 's'} you look after`} actions={<LiveBadge status={live} />} />
      <form className="filters" aria-label="Filter the queue" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-compact field-search">
          <label htmlFor="q-search">Search</label>
          <input id="q-search" type="search" value={search ?? ''} onChange={(e) => setSearch(e.target.value)} placeholder="title, resource, id, tenant or assignee" />
        </div>
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
          <label htmlFor="q-sla">SLA</label>
          <select id="q-sla" value={sla ?? ''} onChange={(e) => setSla(e.target.value)}>
            <option value="">Any</option>
            {SLA_STATES.map((s) => (
              <option key={s} value={s}>
                {s === 'ok' ? 'met so far' : s === 'at-risk' ? 'at risk' : s}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-compact">
          <label htmlFor="q-status">Status</label>
          <select id="q-status" value={status ?? ''} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
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
        <div className="field field-compact">
          <label htmlFor="q-group">Group by</label>
          <select id="q-group" value={group ?? ''} onChange={(e) => setGroup(e.target.value)}>
            <option value="">Nothing</option>
            <option value="guardrail">Guardrail (title)</option>
            <option value="resource">Resource</option>
          </select>
        </div>
        <div className="checkbox">
          <input id="q-mine" type="checkbox" checked={mine === '1'} onChange={(e) => setMine(e.target.checked ? '1' : null)} />
          <label htmlFor="q-mine">Assigned to me</label>
        </div>
        <div className="checkbox">
          <input id="q-approval" type="checkbox" checked={approval === '1'} onChange={(e) => setApproval(e.target.checked ? '1' : null)} />
          <label htmlFor="q-approval">Awaiting approval</label>
        </div>
      </form>
      <LiveMessage message={announcement} />
      <LiveMessage message={bulkMessage?.text} tone={bulkMessage?.tone} />
      {selected.size ? (
        <BulkAssign
          me={me.id}
          incidents={(query.data?.nodes ?? []).filter((i) => selected.has(`${i.tenantId}/${i.incidentId}`))}
          onDone={(message, ok) => {
            setBulkMessage({ text: message, tone: ok ? 'success' : 'error' });
            setSelected(new Set());
            query.reload();
          }}
          onCancel={() => setSelected(new Set())}
        />
      ) : null}
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
            {query.data.complete ? '' : ' (of the first 500; narrow the filters to see the rest)'}
            {groups ? ` in ${groups.length} group${groups.length === 1 ? '' : 's'}` : ''}.
          </p>
          {groups ? (
            groups.map((g) => (
              <details key={g.key} className="queue-group" open={groups.length <= 5}>
                <summary>
                  <strong>{g.label}</strong> <span className="muted">({g.rows.length})</span>
                </summary>
                <IncidentTable incidents={g.rows} caption={`${g.label}: ${g.rows.length} incidents`} showTenant tenantName={tenantName} sort={sort} awaiting={awaiting} selection={selection} />
              </details>
            ))
          ) : (
            <IncidentTable incidents={incidents} caption="Incident queue" showTenant tenantName={tenantName} sort={sort} awaiting={awaiting} selection={selection} />
          )}
        </>
      )}
    </>
  );
};
