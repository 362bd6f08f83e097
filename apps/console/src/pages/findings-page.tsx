// A tenant's findings (open or resolved), and exemptions: request one for a finding, approve the
// ones someone else asked for (four eyes), see what is in force and until when.
import { Fragment, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../api/errors';
import { useQuery } from '../api/hooks';
import { APPROVE_EXEMPTION_MUTATION, FINDINGS_QUERY, REQUEST_EXEMPTION_MUTATION, type Finding, type FindingsQuery, type PolicyMutation } from '../api/operations';
import { isMe, offers } from '../auth/roles';
import { Badge, ErrorPanel, Field, Loading, LiveMessage, PageHeader } from '../components/ui';
import { refusalText } from '../incidents/commands';
import { formatDateTime, resourceName } from '../format';
import { Link, useSearchParam } from '../router/router';
import { useApi, useSignedIn } from '../session';

const REJECTIONS: Record<string, string> = {
  'approver-must-differ': 'Someone other than the requester must approve an exemption.',
  'expiry-too-far': 'An exemption lasts at most a year.',
  'expiry-in-past': 'The expiry must be in the future.',
  'exemption-exists': 'An exemption with that id exists already.',
};

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const ExemptionForm = ({ finding, tenantId, onDone, onCancel }: { finding: Finding; tenantId: string; onDone: (message: string) => void; onCancel: () => void }) => {
  const { client } = useApi();
  const [category, setCategory] = useState('mitigated');
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(inDays(90));
  const [scopeKind, setScopeKind] = useState<'resource' | 'tenant'>('resource');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = `ex-${finding.findingId}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { result } = await client.request<PolicyMutation>(REQUEST_EXEMPTION_MUTATION, {
        input: {
          tenantId,
          exemptionId: `${slug(finding.guardrailId)}-${slug(resourceName(finding.resourceId))}-${Date.now().toString(36)}`.slice(0, 80),
          guardrailId: finding.guardrailId,
          scope: scopeKind === 'resource' ? finding.resourceId : '*',
          category,
          justification,
          expiresAt: new Date(`${expires}T23:59:59Z`).toISOString(),
        },
      });
      if (result.__typename === 'Rejection') setError(refusalText(result.code, result.message, REJECTIONS));
      else onDone('Exemption requested. It is in force once someone else approves it.');
    } catch (e) {
      setError(e instanceof ApiError ? describeError(e) : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Request an exemption for “{finding.title}” on {resourceName(finding.resourceId)}</h3>
      <fieldset>
        <legend>Category</legend>
        <div className="radio">
          <input type="radio" id={`${id}-mitigated`} name={`${id}-category`} checked={category === 'mitigated'} onChange={() => setCategory('mitigated')} />
          <label htmlFor={`${id}-mitigated`}>Mitigated — handled another way</label>
        </div>
        <div className="radio">
          <input type="radio" id={`${id}-waiver`} name={`${id}-category`} checked={category === 'waiver'} onChange={() => setCategory('waiver')} />
          <label htmlFor={`${id}-waiver`}>Waiver — risk accepted</label>
        </div>
      </fieldset>
      <fieldset>
        <legend>Scope</legend>
        <div className="radio">
          <input type="radio" id={`${id}-scope-resource`} name={`${id}-scope`} checked={scopeKind === 'resource'} onChange={() => setScopeKind('resource')} />
          <label htmlFor={`${id}-scope-resource`}>This resource only</label>
        </div>
        <div className="radio">
          <input type="radio" id={`${id}-scope-tenant`} name={`${id}-scope`} checked={scopeKind === 'tenant'} onChange={() => setScopeKind('tenant')} />
          <label htmlFor={`${id}-scope-tenant`}>Every resource of the tenant</label>
        </div>
      </fieldset>
      <Field id={`${id}-justification`} label="Justification">
        <textarea id={`${id}-justification`} rows={3} value={justification} onChange={(e) => setJustification(e.target.value)} required />
      </Field>
      <Field id={`${id}-expires`} label="Expires on (at most a year ahead)">
        <input id={`${id}-expires`} type="date" value={expires} min={inDays(1)} max={inDays(365)} onChange={(e) => setExpires(e.target.value)} required />
      </Field>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          Request exemption
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
};

export const FindingsPage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const { client } = useApi();
  const [status, setStatus] = useSearchParam('status');
  const [severity, setSeverity] = useSearchParam('severity');
  const [exempting, setExempting] = useState<string>();
  const [message, setMessage] = useState<{ text: string; tone: 'success' | 'error' }>();
  const filter = { status: status === 'all' ? undefined : (status ?? 'open'), severity: severity ?? undefined };
  const query = useQuery(`${tenantId}|${JSON.stringify(filter)}`, (c, signal) => c.request<FindingsQuery>(FINDINGS_QUERY, { tenantId, filter }, { signal }));
  const canRequest = offers(me, 'requestExemption', tenantId);
  const canApprove = offers(me, 'approveExemption', tenantId);
  const approve = async (exemptionId: string) => {
    try {
      const { result } = await client.request<PolicyMutation>(APPROVE_EXEMPTION_MUTATION, { input: { tenantId, exemptionId } });
      setMessage(result.__typename === 'Rejection' ? { text: refusalText(result.code, result.message, REJECTIONS), tone: 'error' } : { text: `Exemption ${exemptionId} approved.`, tone: 'success' });
      query.reload();
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? describeError(e) : (e as Error).message, tone: 'error' });
    }
  };
  const data = query.data;
  // Pages after the first, loaded on request; dropped with the filter they were loaded for.
  const [more, setMore] = useState<{ key: string; edges: FindingsQuery['findings']['edges']; pageInfo: FindingsQuery['findings']['pageInfo'] }>();
  const [loadingMore, setLoadingMore] = useState(false);
  const queryKey = `${tenantId}|${JSON.stringify(filter)}`;
  const extra = more && more.key === queryKey ? more : undefined;
  const edges = data ? [...data.findings.edges, ...(extra?.edges ?? [])] : [];
  const pageInfo = extra?.pageInfo ?? data?.findings.pageInfo;
  const loadMore = async () => {
    if (!pageInfo?.endCursor) return;
    setLoadingMore(true);
    try {
      const next = await client.request<FindingsQuery>(FINDINGS_QUERY, { tenantId, filter, after: pageInfo.endCursor });
      setMore({ key: queryKey, edges: [...(extra?.edges ?? []), ...next.findings.edges], pageInfo: next.findings.pageInfo });
    } catch (e) {
      setMessage({ text: e instanceof ApiError ? describeError(e) : (e as Error).message, tone: 'error' });
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <>
      <PageHeader title={data ? `Findings of ${data.tenant?.displayName ?? tenantId}` : 'Findings'} subtitle="Guardrails that fail on resources, and the exemptions asked for or in force" />
      <form className="filters" aria-label="Filter findings" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-compact">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" value={status ?? 'open'} onChange={(e) => setStatus(e.target.value === 'open' ? null : e.target.value)}>
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </select>
        </div>
        <div className="field field-compact">
          <label htmlFor="f-severity">Severity</label>
          <select id="f-severity" value={severity ?? ''} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">Any</option>
            {['critical', 'high', 'medium', 'low'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
      </form>
      <LiveMessage message={message?.text} tone={message?.tone} />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="findings" />
      ) : (
        <>
          <section className="panel" aria-labelledby="findings-title">
            <h2 id="findings-title">
              Findings <span className="muted">({edges.length}{pageInfo?.hasNextPage ? '+' : ''})</span>
            </h2>
            {edges.length === 0 ? (
              <p className="empty">No findings match.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Findings, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Severity</th>
                      <th scope="col">Finding</th>
                      <th scope="col">Resource</th>
                      <th scope="col">Opened</th>
                      <th scope="col">Status</th>
                      {canRequest ? <th scope="col">Exemption</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {edges.map(({ node: f }) => (
                      <Fragment key={f.findingId}>
                      <tr>
                        <td>
                          <Badge value={f.severity} prefix="Severity" />
                        </td>
                        <th scope="row">
                          {f.title}
                          <details className="finding-guidance">
                            <summary className="small">Why, and how to fix it</summary>
                            {f.remediation ? <p className="small">{f.remediation}</p> : null}
                            <p className="small muted">
                              The rule's deciding condition: <code className="break">{f.reason}</code>
                            </p>
                          </details>
                        </th>
                        <td>
                          <Link to={{ name: 'resource', tenantId, resourceId: f.resourceId }}>{resourceName(f.resourceId)}</Link>
                          <span className="muted small block">{f.resourceType}</span>
                        </td>
                        <td>{formatDateTime(f.openedAt)}</td>
                        <td>
                          <Badge value={f.status} prefix="Status" />
                          {f.resolution ? <span className="muted small block">{f.resolution}</span> : null}
                        </td>
                        {canRequest ? (
                          <td>
                            {f.status === 'open' ? (
                              <button type="button" className="button button-small" aria-expanded={exempting === f.findingId} onClick={() => setExempting(exempting === f.findingId ? undefined : f.findingId)}>
                                Request exemption<span className="visually-hidden"> for {f.title} on {resourceName(f.resourceId)}</span>
                              </button>
                            ) : null}
                          </td>
                        ) : null}
                      </tr>
                      {exempting === f.findingId ? (
                        <tr className="form-row-cell">
                          <td colSpan={canRequest ? 6 : 5}>
                            <ExemptionForm
                              finding={f}
                              tenantId={tenantId}
                              onCancel={() => setExempting(undefined)}
                              onDone={(text) => {
                                setExempting(undefined);
                                setMessage({ text, tone: 'success' });
                                query.reload();
                              }}
                            />
                          </td>
                        </tr>
                      ) : null}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {pageInfo?.hasNextPage ? (
              <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : `Show ${edges.length >= 50 ? 'the next 50' : 'more'} findings`}
              </button>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="exemptions-title">
            <h2 id="exemptions-title">Exemptions</h2>
            {data.tenantGuardrails.exemptions.length === 0 ? (
              <p className="empty">No exemptions.</p>
            ) : (
              <div className="table-scroll">
                <table className="table">
                  <caption className="visually-hidden">Exemptions</caption>
                  <thead>
                    <tr>
                      <th scope="col">Exemption</th>
                      <th scope="col">Guardrail and scope</th>
                      <th scope="col">Status</th>
                      <th scope="col">Requested</th>
                      <th scope="col">Expires</th>
                      {canApprove ? <th scope="col">Approve</th> : null}
                    </tr>
                  </thead>
                  <tbody>
                    {data.tenantGuardrails.exemptions.map((x) => (
                      <tr key={x.exemptionId}>
                        <th scope="row">
                          {x.exemptionId}
                          <span className="muted small block">
                            {x.category}: {x.justification}
                          </span>
                        </th>
                        <td>
                          {x.guardrailId}
                          <span className="muted small block">{x.scope === '*' ? 'the whole tenant' : resourceName(x.scope)}</span>
                        </td>
                        <td>
                          <Badge value={x.status} prefix="Status" />
                          {x.approvedBy ? <span className="muted small block">by {x.approvedBy}</span> : null}
                        </td>
                        <td>
                          {x.requestedBy}
                          <span className="muted small block">{formatDateTime(x.requestedAt)}</span>
                        </td>
                        <td>{formatDateTime(x.expiresAt)}</td>
                        {canApprove ? (
                          <td>
                            {x.status === 'requested' && !isMe(me, x.requestedBy) ? (
                              <button type="button" className="button button-small" onClick={() => approve(x.exemptionId)}>
                                Approve<span className="visually-hidden"> exemption {x.exemptionId}</span>
                              </button>
                            ) : x.status === 'requested' ? (
                              <span className="muted small">needs someone else</span>
                            ) : null}
                          </td>
                        ) : null}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
};
