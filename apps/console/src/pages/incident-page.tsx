// One incident: what raised it, its response actions (approve, cancel, record outcomes), the work
// on it (triage, advance, comment, close) and the timeline that mixes posture changes, alerts,
// actions and comments. Live: the tenant's incidentEvents reload it.
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useIncidentEvents, useQuery } from '../api/hooks';
import { INCIDENT_QUERY, type IncidentDetail, type IncidentQuery, type ResponseAction } from '../api/operations';
import { offers, type Me } from '../auth/roles';
import { Badge, ErrorPanel, Field, Loading, LiveMessage, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import { ApproveAction } from '../incidents/approve-action';
import { AssigneePicker } from '../incidents/assignee-picker';
import { useIncidentCommands, type IncidentCommandName } from '../incidents/commands';
import { MoreWork } from '../incidents/more-work';
import { categorize, summarize, TIMELINE_CATEGORIES, type TimelineCategory } from '../incidents/timeline';
import { Link } from '../router/router';
import { useSignedIn } from '../session';
import { LiveBadge } from './soc-queue-page';

type Command = IncidentCommandName;


/** The page's commands, all for its tenant. */
const useCommands = (tenantId: string, reload: () => void) => {
  const { run, message, busy } = useIncidentCommands(reload);
  return { run: (command: Command, input: Record<string, unknown>, done: string) => run(command, tenantId, input, done), message, busy };
};

type Run = ReturnType<typeof useCommands>['run'];

const isArmId = (target: string) => target.startsWith('/subscriptions/');

const ActionRow = ({ me, action, tenantId, canApprove, canRespond, run, busy }: { me: Me; action: ResponseAction; tenantId: string; canApprove: boolean; canRespond: boolean; run: Run; busy?: string }) => {
  const [form, setForm] = useState<'cancel' | 'outcome' | 'resolve'>();
  const [text, setText] = useState('');
  const [succeeded, setSucceeded] = useState(true);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok =
      form === 'cancel'
        ? await run('cancelAction', { actionId: action.actionId, reason: text }, 'Action cancelled.')
        : form === 'outcome'
          ? await run('recordActionOutcome', { actionId: action.actionId, outcome: text, succeeded }, 'Outcome recorded.')
          : await run('resolveUncertainAction', { actionId: action.actionId, note: text, succeeded }, 'Uncertain outcome resolved.');
    if (ok) {
      setForm(undefined);
      setText('');
    }
  };
  const label = `${action.actionKind} on ${resourceName(action.target)}`;
  return (
    <li className="action" data-action={action.actionId}>
      <div className="action-head">
        <div>
          <h3 className="action-title">
            {action.actionKind} <span className="muted">({action.verb}, {action.phase})</span>
          </h3>
          <p className="small">
            Target:{' '}
            {isArmId(action.target) ? <Link to={{ name: 'resource', tenantId, resourceId: action.target }}>{resourceName(action.target)}</Link> : <code>{action.target}</code>}
          </p>
        </div>
        <div className="badges">
          {action.executor === 'dry-run' && action.status === 'succeeded' ? (
            <Badge value="neutral" label="simulated (dry run): nothing was changed" prefix="Action status" />
          ) : (
            <Badge value={action.status} prefix="Action status" />
          )}
          {action.destructive ? <Badge value="high" label="destructive" /> : null}
          {action.verified ? <Badge value="succeeded" label="verified" /> : null}
          {action.uncertain ? <Badge value="error" label="outcome uncertain" /> : null}
        </div>
      </div>
      <dl className="facts small">
        <Stat label="Proposed" value={`${action.proposedBy}, ${formatDateTime(action.proposedAt)}`} />
        {action.approvedBy ? <Stat label="Approved by" value={action.approvedBy} /> : null}
        {action.expiredAt ? <Stat label="Expired unapproved" value={formatDateTime(action.expiredAt)} /> : null}
        {action.executor ? <Stat label="Executor" value={action.executor} /> : null}
        {action.outcome ? <Stat label="Outcome" value={action.outcome} /> : null}
      </dl>
      <div className="button-row">
        <ApproveAction me={me} tenantId={tenantId} action={action} busy={busy !== undefined} onApprove={() => run('approveAction', { actionId: action.actionId }, `Action ${action.actionKind} approved.`)} />
        {canApprove && (action.status === 'proposed' || action.status === 'approved') ? (
          <button type="button" className="button" onClick={() => setForm(form === 'cancel' ? undefined : 'cancel')} aria-expanded={form === 'cancel'} aria-label={`Cancel action ${label}`}>
            Cancel action
          </button>
        ) : null}
        {canRespond && action.status === 'executing' && !action.uncertain ? (
          <button type="button" className="button" onClick={() => setForm(form === 'outcome' ? undefined : 'outcome')} aria-expanded={form === 'outcome'}>
            Record outcome
          </button>
        ) : null}
        {canRespond && action.uncertain ? (
          <button type="button" className="button" onClick={() => setForm(form === 'resolve' ? undefined : 'resolve')} aria-expanded={form === 'resolve'}>
            Resolve uncertain outcome
          </button>
        ) : null}
      </div>
      {form ? (
        <form className="inline-form" onSubmit={submit}>
          <Field id={`${action.actionId}-text`} label={form === 'cancel' ? 'Why cancel it?' : form === 'outcome' ? 'What was done (or why it failed)' : 'How the outcome was established'}>
            <textarea id={`${action.actionId}-text`} value={text} onChange={(e) => setText(e.target.value)} required rows={2} />
          </Field>
          {form !== 'cancel' ? (
            <div className="checkbox">
              <input id={`${action.actionId}-ok`} type="checkbox" checked={succeeded} onChange={(e) => setSucceeded(e.target.checked)} />
              <label htmlFor={`${action.actionId}-ok`}>It succeeded</label>
            </div>
          ) : null}
          <button type="submit" className="button button-primary" disabled={busy !== undefined}>
            {form === 'cancel' ? 'Cancel the action' : 'Record'}
          </button>
        </form>
      ) : null}
    </li>
  );
};

const NEXT_STEP: Record<string, { step: string; label: string }> = {
  triaged: { step: 'START_RESPONSE', label: 'Start the response' },
  responding: { step: 'CONFIRM_CONTAINMENT', label: 'Confirm containment' },
  remediating: { step: 'CONFIRM_REMEDIATION', label: 'Confirm remediation' },
  recovering: { step: 'CONFIRM_RECOVERY', label: 'Confirm recovery' },
};

const Section = ({ id, title, children }: { id: string; title: string; children: ReactNode }) => (
  <section className="panel" aria-labelledby={id}>
    <h2 id={id}>{title}</h2>
    {children}
  </section>
);

/** Triaged and not yet resolved: someone holds it and may hand it on (a new one is assigned by triage). */
const REASSIGNABLE = ['triaged', 'responding', 'remediating', 'recovering'];

const WorkForms = ({ incident, run, busy }: { incident: IncidentDetail; run: Run; busy?: string }) => {
  const { me } = useSignedIn();
  const [severity, setSeverity] = useState(incident.severity);
  const [assignee, setAssignee] = useState(incident.assignee ?? me.id);
  const [summary, setSummary] = useState('');
  const [comment, setComment] = useState('');
  const [close, setClose] = useState({ classification: 'true-positive', reason: '', rootCause: '', lessonsLearned: '', preventionGuardrailId: '', preventionChange: '' });
  const next = NEXT_STEP[incident.status];
  const revision = { expectedRevision: incident.revision, incidentId: incident.incidentId };
  const closed = ['closed', 'merged'].includes(incident.status);
  return (
    <Section id="work" title="Work on it">
      {incident.status === 'new' ? (
        <form
          className="inline-form"
          aria-labelledby="triage-title"
          onSubmit={(e) => {
            e.preventDefault();
            void run('triageIncident', { ...revision, severity, assignee }, 'Incident triaged.');
          }}
        >
          <h3 id="triage-title">Triage</h3>
          <div className="form-row">
            <Field id="triage-severity" label="Severity">
              <select id="triage-severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
                {['critical', 'high', 'medium', 'low'].map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </Field>
            <AssigneePicker id="triage-assignee" label="Assignee" tenantIds={[incident.tenantId]} value={assignee} onChange={setAssignee} />
          </div>
          <button type="submit" className="button" disabled={busy !== undefined}>
            Triage
          </button>
        </form>
      ) : null}
      {REASSIGNABLE.includes(incident.status) ? (
        <form
          className="inline-form"
          aria-labelledby="reassign-title"
          onSubmit={(e) => {
            e.preventDefault();
            void run('reassignIncident', { ...revision, assignee }, `Handed to ${assignee.trim()}.`);
          }}
        >
          <h3 id="reassign-title">Hand it to someone else</h3>
          <div className="form-row">
            <AssigneePicker id="reassign-assignee" label="New assignee" tenantIds={[incident.tenantId]} value={assignee} onChange={setAssignee} />
          </div>
          <button type="submit" className="button" disabled={busy !== undefined || assignee.trim() === incident.assignee}>
            Reassign
          </button>
        </form>
      ) : null}
      {next ? (
        <form
          className="inline-form"
          aria-labelledby="advance-title"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run('advanceIncident', { ...revision, step: next.step, summary }, `${next.label}: done.`)) setSummary('');
          }}
        >
          <h3 id="advance-title">{next.label}</h3>
          <Field id="advance-summary" label="What was done">
            <textarea id="advance-summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} required />
          </Field>
          <button type="submit" className="button" disabled={busy !== undefined}>
            {next.label}
          </button>
        </form>
      ) : null}
      {incident.status === 'resolved' ? (
        <form
          className="inline-form"
          aria-labelledby="close-title"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              'closeIncident',
              { ...revision, ...close, preventionGuardrailId: close.preventionGuardrailId || undefined, preventionChange: close.preventionChange || undefined },
              'Incident closed.',
            );
          }}
        >
          <h3 id="close-title">Close with classification</h3>
          <Field id="close-classification" label="Classification">
            <select id="close-classification" value={close.classification} onChange={(e) => setClose({ ...close, classification: e.target.value })}>
              {['true-positive', 'benign-positive', 'false-positive', 'undetermined'].map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          {(
            [
              ['reason', 'Reason'],
              ['rootCause', 'Root cause'],
              ['lessonsLearned', 'Lessons learned'],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} id={`close-${k}`} label={label}>
              <textarea id={`close-${k}`} rows={2} value={close[k]} onChange={(e) => setClose({ ...close, [k]: e.target.value })} required />
            </Field>
          ))}
          <div className="form-row">
            <Field id="close-guardrail" label="Prevention: guardrail (optional)">
              <input id="close-guardrail" value={close.preventionGuardrailId} onChange={(e) => setClose({ ...close, preventionGuardrailId: e.target.value })} />
            </Field>
            <Field id="close-change" label="Prevention: proposed change (optional)">
              <input id="close-change" value={close.preventionChange} onChange={(e) => setClose({ ...close, preventionChange: e.target.value })} />
            </Field>
          </div>
          <button type="submit" className="button button-primary" disabled={busy !== undefined}>
            Close incident
          </button>
        </form>
      ) : null}
      {incident.status === 'closed' ? (
        <form
          className="inline-form"
          aria-labelledby="reopen-title"
          onSubmit={(e) => {
            e.preventDefault();
            void run('reopenIncident', { incidentId: incident.incidentId, expectedRevision: incident.revision, text: comment }, 'Incident reopened.');
          }}
        >
          <h3 id="reopen-title">Reopen</h3>
          <Field id="reopen-reason" label="Why reopen it?">
            <textarea id="reopen-reason" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} required />
          </Field>
          <button type="submit" className="button" disabled={busy !== undefined}>
            Reopen incident
          </button>
        </form>
      ) : null}
      {!closed ? (
        <form
          className="inline-form"
          aria-labelledby="comment-title"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await run('commentOnIncident', { incidentId: incident.incidentId, text: comment }, 'Comment added.')) setComment('');
          }}
        >
          <h3 id="comment-title">Comment</h3>
          <Field id="comment-text" label="Comment">
            <textarea id="comment-text" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} required />
          </Field>
          <button type="submit" className="button" disabled={busy !== undefined}>
            Add comment
          </button>
        </form>
      ) : null}
      {!closed ? <MoreWork tenantId={incident.tenantId} incident={incident} run={run} busy={busy !== undefined} me={me.id} /> : null}
    </Section>
  );
};

/** The customer's word on their own incident: a comment the SOC sees in the timeline, with who wrote it. */
const CustomerComment = ({ incident, run, busy }: { incident: IncidentDetail; run: Run; busy?: string }) => {
  const [comment, setComment] = useState('');
  return (
    <Section id="customer-comment" title="Tell the SOC">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await run('commentOnIncident', { incidentId: incident.incidentId, text: comment }, 'Comment added: the SOC sees it in the timeline.')) setComment('');
        }}
      >
        <Field id="customer-comment-text" label="Comment">
          <textarea id="customer-comment-text" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} required />
        </Field>
        <button type="submit" className="button" disabled={busy !== undefined}>
          Add comment
        </button>
      </form>
    </Section>
  );
};

const Timeline = ({ incident }: { incident: IncidentDetail }) => {
  const [shown, setShown] = useState<ReadonlySet<TimelineCategory>>(() => new Set(TIMELINE_CATEGORIES.map((c) => c.key)));
  const entries = useMemo(() => incident.timeline.map((e) => ({ ...e, category: categorize(e), summary: summarize(e) })), [incident.timeline]);
  const visible = entries.filter((e) => shown.has(e.category));
  const toggle = (key: TimelineCategory) => setShown((s) => (s.has(key) ? new Set([...s].filter((k) => k !== key)) : new Set([...s, key])));
  return (
    <Section id="timeline" title="Timeline">
      <fieldset className="filters filters-inline">
        <legend>Show</legend>
        {TIMELINE_CATEGORIES.map((c) => (
          <div className="checkbox" key={c.key}>
            <input id={`tl-${c.key}`} type="checkbox" checked={shown.has(c.key)} onChange={() => toggle(c.key)} />
            <label htmlFor={`tl-${c.key}`}>
              {c.label} ({entries.filter((e) => e.category === c.key).length})
            </label>
          </div>
        ))}
      </fieldset>
      <ol className="timeline" aria-label="Timeline entries, oldest first">
        {visible.map((e) => (
          <li key={e.position + e.type} className={`timeline-entry timeline-${e.category}`}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <div>
              <span className={`tag tag-${e.category}`}>{TIMELINE_CATEGORIES.find((c) => c.key === e.category)?.label}</span> <span className="timeline-summary">{e.summary}</span>
              <p className="small muted">
                {e.actorKind === 'system' ? 'Rampart' : e.actorId} {e.onBehalfOfTenant ? <strong className="on-behalf">on behalf of {e.onBehalfOfTenant}</strong> : null}
              </p>
              <details>
                <summary>
                  Event data <span className="visually-hidden">of {e.summary}</span>
                </summary>
                <p className="small">
                  <code>{e.type}</code>
                </p>
                <pre className="code">{JSON.stringify(JSON.parse(e.data || 'null'), null, 2)}</pre>
              </details>
            </div>
          </li>
        ))}
      </ol>
      {visible.length === 0 ? <p className="empty">Nothing to show with these filters.</p> : null}
    </Section>
  );
};

export const IncidentPage = ({ tenantId, incidentId }: { tenantId: string; incidentId: string }) => {
  const { me } = useSignedIn();
  const query = useQuery(`${tenantId}/${incidentId}`, (client, signal) => client.request<IncidentQuery>(INCIDENT_QUERY, { tenantId, incidentId }, { signal }));
  const { run, message, busy } = useCommands(tenantId, query.reload);
  const live = useIncidentEvents(query.error ? [] : [tenantId], () => query.reload());
  const incident = query.data?.incident;
  if (query.error) {
    return (
      <>
        <PageHeader title="Incident" />
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      </>
    );
  }
  if (!query.data) return <Loading what="the incident" />;
  if (!incident) {
    return (
      <>
        <PageHeader title="Incident" />
        <NotFound what={`Incident ${incidentId} of ${tenantId}`} />
      </>
    );
  }
  const canApprove = offers(me, 'approveActions', tenantId);
  const canRespond = offers(me, 'respond', tenantId);
  return (
    <>
      <PageHeader
        title={incident.title}
        subtitle={
          <>
            <Link to={{ name: 'tenant-incidents', tenantId }}>{query.data.tenant?.displayName ?? tenantId}</Link> · {incident.incidentId}
          </>
        }
        actions={<LiveBadge status={live} />}
      />
      <div className="badges">
        <Badge value={incident.severity} prefix="Severity" />
        <Badge value={incident.status} prefix="Status" />
        <Badge value={incident.slaState} prefix="SLA" />
        {incident.labels.map((l) => (
          <span key={l} className="tag">
            {l}
          </span>
        ))}
      </div>
      <LiveMessage message={message?.text} tone={message?.tone} />
      {incident.actions.some((a) => a.status === 'proposed') ? (
        // The incident's status is the analysts' account of it; an action still waiting has not acted.
        <p className="notice notice-warning" role="note">
          Still waiting for approval, so not done yet:{' '}
          {incident.actions
            .filter((a) => a.status === 'proposed')
            .map((a) => `${a.actionKind} on ${resourceName(a.target)}${a.destructive ? ' (destructive)' : ''}`)
            .join('; ')}
          .
        </p>
      ) : null}
      <dl className="facts">
        <Stat label="Assignee" value={incident.assignee ?? 'unassigned'} />
        <Stat label="Opened" value={formatDateTime(incident.openedAt)} />
        <Stat label="Triaged" value={formatDateTime(incident.triagedAt)} />
        <Stat label="Contained" value={formatDateTime(incident.containedAt)} />
        <Stat label="Resolved" value={formatDateTime(incident.resolvedAt)} />
        {incident.closedAt ? <Stat label="Closed" value={`${formatDateTime(incident.closedAt)} (${incident.classification ?? ''})`} /> : null}
        {incident.breached.length ? <Stat label="SLA missed" value={incident.breached.join(', ')} /> : null}
        <Stat label="Revision" value={incident.revision} />
      </dl>
      <div className="columns">
        <div>
          <Section id="signals" title="What raised it">
            <ul className="plain-list">
              {incident.signals.map((s, i) => (
                <li key={`${s.ref}-${i}`}>
                  <Badge value={s.severity} prefix="Severity" /> <strong>{s.title}</strong> <span className="muted">({s.kind})</span>
                  <ul className="small">
                    {s.resourceKeys.map((r) => (
                      <li key={r}>
                        {isArmId(r) ? <Link to={{ name: 'resource', tenantId, resourceId: r }}>{resourceName(r)}</Link> : null}
                        <span className="muted block break">{r}</span>
                      </li>
                    ))}
                    {s.entities.map((en) => (
                      <li key={en}>
                        <code>{en}</code>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </Section>
          <Section id="actions" title="Response actions">
            {incident.actions.length === 0 ? (
              <p className="empty">No actions proposed.</p>
            ) : (
              <ul className="plain-list">
                {incident.actions.map((a) => (
                  <ActionRow key={a.actionId} me={me} action={a} tenantId={tenantId} canApprove={canApprove} canRespond={canRespond} run={run} busy={busy} />
                ))}
              </ul>
            )}
          </Section>
          {canRespond && incident.status !== 'merged' ? <WorkForms key={incident.status} incident={incident} run={run} busy={busy} /> : null}
          {!canRespond && offers(me, 'comment', tenantId) && !['closed', 'merged'].includes(incident.status) ? <CustomerComment incident={incident} run={run} busy={busy} /> : null}
        </div>
        <Timeline incident={incident} />
      </div>
    </>
  );
};
