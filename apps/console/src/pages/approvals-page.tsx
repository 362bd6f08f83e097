// The approvals inbox: every response action waiting for approval that the person may see, oldest
// first, each with its incident, target, parameters, playbook step and when it expires unapproved
// (the tenant's approval lifetime), approved here with the same confirmation as on the incident page.
// Live: an approval elsewhere takes its row away.
import { allPages, useIncidentEvents, useQuery } from '../api/hooks';
import { PENDING_ACTIONS_QUERY, type PendingAction, type PendingActionsQuery } from '../api/operations';
import { Badge, ErrorPanel, LiveMessage, Loading, PageHeader } from '../components/ui';
import { expiresIn, formatDateTime, resourceName, spanText } from '../format';
import { ApproveAction } from '../incidents/approve-action';
import { useIncidentCommands } from '../incidents/commands';
import { Link } from '../router/router';
import { useSignedIn } from '../session';
import { LiveBadge } from './soc-queue-page';

const waited = (since: string, now = Date.now()): string => spanText(now - Date.parse(since));

/** Less than this left and the row says so in colour too: decide it, or it has to be proposed again. */
const SOON_MS = 60 * 60_000;

const parametersOf = (json: string): [string, string][] => {
  try {
    return Object.entries(JSON.parse(json) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  } catch {
    return [];
  }
};

export const ApprovalsPage = () => {
  const { me, tenants } = useSignedIn();
  const query = useQuery('approvals', async (c, signal) => allPages((after) => c.request<PendingActionsQuery>(PENDING_ACTIONS_QUERY, { after }, { signal }).then((d) => d.pendingActions), 25));
  const live = useIncidentEvents(me.tenantIds, () => query.reload(), 500);
  const { run, message, busy } = useIncidentCommands(query.reload);
  const approve = (p: PendingAction): Promise<boolean> =>
    run('approveAction', p.tenantId, { actionId: p.action.actionId }, `Approved ${p.action.actionKind} on ${resourceName(p.action.target)}.`);
  const pending = query.data?.nodes ?? [];
  return (
    <>
      <PageHeader title="Approvals" subtitle="Response actions waiting for a decision, oldest first" actions={<LiveBadge status={live} />} />
      <LiveMessage message={message?.text} tone={message?.tone} />
      {query.error ? (
        <ErrorPanel error={query.error} onRetry={query.reload} />
      ) : !query.data ? (
        <Loading what="approvals" />
      ) : pending.length === 0 ? (
        <p className="empty">Nothing waits for approval.</p>
      ) : (
        <ol className="plain-list approvals" aria-label="Actions waiting for approval">
          {pending.map((p) => {
            const a = p.action;
            const parameters = parametersOf(a.parameters);
            return (
              <li key={`${p.tenantId}/${a.actionId}`} className="action panel" data-action={a.actionId}>
                <div className="action-head">
                  <div>
                    <h2 className="action-title">
                      {a.actionKind} on {resourceName(a.target)}
                    </h2>
                    <p className="small">
                      {tenants.get(p.tenantId)?.displayName ?? p.tenantId} · incident{' '}
                      <Link to={{ name: 'incident', tenantId: p.tenantId, incidentId: a.incidentId }}>{p.incidentTitle}</Link> <Badge value={p.incidentSeverity} prefix="Severity" />{' '}
                      <Badge value={p.incidentStatus} prefix="Incident status" />
                    </p>
                  </div>
                  <div className="badges">
                    {a.destructive ? <Badge value="high" label="destructive" /> : null}
                    <Badge value="proposed" label={`waiting ${waited(a.proposedAt)}`} />
                    {Date.parse(p.expiresAt) - Date.now() < SOON_MS ? <Badge value="at-risk" label={expiresIn(p.expiresAt)} /> : null}
                  </div>
                </div>
                <dl className="facts small">
                  <div className="stat">
                    <dt>Target</dt>
                    <dd>
                      <code className="break">{a.target}</code>
                    </dd>
                  </div>
                  <div className="stat">
                    <dt>Step</dt>
                    <dd>
                      {a.verb}, {a.phase} phase{a.playbookId ? `, playbook ${a.playbookId}` : ''}
                    </dd>
                  </div>
                  <div className="stat">
                    <dt>Proposed</dt>
                    <dd>
                      {a.proposedBy}, {formatDateTime(a.proposedAt)}
                    </dd>
                  </div>
                  <div className="stat">
                    <dt>Expiry</dt>
                    <dd>
                      {expiresIn(p.expiresAt)}, at {formatDateTime(p.expiresAt)}
                    </dd>
                  </div>
                  {parameters.length ? (
                    <div className="stat">
                      <dt>Parameters</dt>
                      <dd>
                        {parameters.map(([k, v]) => (
                          <span key={k} className="block">
                            {k}: <code>{v}</code>
                          </span>
                        ))}
                      </dd>
                    </div>
                  ) : null}
                </dl>
                <ApproveAction me={me} tenantId={p.tenantId} action={{ ...a, expiresAt: p.expiresAt }} busy={busy !== undefined} onApprove={() => approve(p)} />
              </li>
            );
          })}
        </ol>
      )}
      {query.data && !query.data.complete ? <p className="small muted">The oldest 1,000; approve or cancel them to see the rest.</p> : null}
    </>
  );
};
