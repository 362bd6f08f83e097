// The rest of an incident's commands, each a small form: propose a response action from the
// catalog, labels, tasks, evidence, and merging into another open incident of the tenant. Labels,
// tasks and evidence only add to the incident, so they are sent without the revision shown (a
// colleague's comment meanwhile is no reason to refuse them); a merge is decided on it.
import { useState, type FormEvent } from 'react';
import { useQuery } from '../api/hooks';
import { INCIDENT_WORK_QUERY, type IncidentDetail, type IncidentWorkQuery, type INCIDENT_MUTATIONS } from '../api/operations';
import { Field } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import { AssigneePicker } from './assignee-picker';

type Run = (command: keyof typeof INCIDENT_MUTATIONS, input: Record<string, unknown>, done: string) => Promise<boolean>;

const PHASES = ['respond', 'remediate', 'recover'] as const;

/** Tasks added and not completed, from the incident's own events. */
export const openTasks = (incident: Pick<IncidentDetail, 'timeline'>): { taskId: string; title: string; owner: string; dueAt: string }[] => {
  const tasks = new Map<string, { taskId: string; title: string; owner: string; dueAt: string }>();
  for (const e of incident.timeline) {
    if (e.type !== 'incidents.TaskAdded.v1' && e.type !== 'incidents.TaskCompleted.v1') continue;
    const d = JSON.parse(e.data || '{}') as { taskId?: string; title?: string; owner?: string; dueAt?: string };
    if (!d.taskId) continue;
    if (e.type === 'incidents.TaskAdded.v1') tasks.set(d.taskId, { taskId: d.taskId, title: d.title ?? '', owner: d.owner ?? '', dueAt: d.dueAt ?? '' });
    else tasks.delete(d.taskId);
  }
  return [...tasks.values()];
};

export const MoreWork = ({ tenantId, incident, run, busy, me }: { tenantId: string; incident: IncidentDetail; run: Run; busy: boolean; me: string }) => {
  const work = useQuery(`work:${tenantId}`, (client, signal) => client.request<IncidentWorkQuery>(INCIDENT_WORK_QUERY, { tenantId }, { signal }));
  const revision = { incidentId: incident.incidentId, expectedRevision: incident.revision };
  const ref = { incidentId: incident.incidentId };
  const resources = [...new Set(incident.signals.flatMap((s) => s.resourceKeys))];
  const [kind, setKind] = useState('');
  const [phase, setPhase] = useState<string>('respond');
  const [target, setTarget] = useState(resources[0] ?? '');
  const [parameters, setParameters] = useState<Record<string, string>>({});
  const [label, setLabel] = useState('');
  const [task, setTask] = useState({ title: '', owner: me, due: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) });
  const [evidence, setEvidence] = useState({ uri: '', sha256: '', description: '' });
  const [into, setInto] = useState('');
  const [mergeChecked, setMergeChecked] = useState(false);
  const catalog = work.data?.actionCatalog ?? [];
  const chosen = catalog.find((a) => a.id === kind);
  const others = (work.data?.incidents.edges ?? []).map((e) => e.node).filter((i) => i.incidentId !== incident.incidentId);
  const tasks = openTasks(incident);

  const propose = async (event: FormEvent) => {
    event.preventDefault();
    const params = Object.fromEntries((chosen?.parameters ?? []).map((p) => [p.name, parameters[p.name] ?? '']));
    if (await run('proposeAction', { incidentId: incident.incidentId, actionKind: kind, phase, target, parametersJson: JSON.stringify(params) }, `Action ${kind} proposed.`)) {
      setKind('');
      setParameters({});
    }
  };
  return (
    <>
      <form className="inline-form" aria-labelledby="propose-title" onSubmit={propose}>
        <h3 id="propose-title">Propose a response action</h3>
        <div className="form-row">
          <Field id="propose-kind" label="Action">
            <select id="propose-kind" value={kind} onChange={(e) => setKind(e.target.value)} required>
              <option value="">Choose…</option>
              {catalog.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.title} ({a.verb}{a.destructive ? ', destructive' : ''})
                </option>
              ))}
            </select>
          </Field>
          <Field id="propose-phase" label="Phase">
            <select id="propose-phase" value={phase} onChange={(e) => setPhase(e.target.value)}>
              {PHASES.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </Field>
          <Field id="propose-target" label="Target" hint="A resource of the incident, or another ARM id or key.">
            <input id="propose-target" list="propose-targets" value={target} onChange={(e) => setTarget(e.target.value)} required aria-describedby="propose-target-hint" />
            <datalist id="propose-targets">
              {resources.map((r) => (
                <option key={r} value={r}>
                  {resourceName(r)}
                </option>
              ))}
            </datalist>
          </Field>
        </div>
        {chosen?.parameters.length ? (
          <div className="form-row">
            {chosen.parameters.map((p) => (
              <Field key={p.name} id={`propose-param-${p.name}`} label={`${p.name} (${p.description})`}>
                <input id={`propose-param-${p.name}`} value={parameters[p.name] ?? ''} onChange={(e) => setParameters({ ...parameters, [p.name]: e.target.value })} required />
              </Field>
            ))}
          </div>
        ) : null}
        {chosen?.destructive ? <p className="small">Destructive: it waits for someone other than you to approve it.</p> : null}
        <button type="submit" className="button" disabled={busy || !kind}>
          Propose action
        </button>
      </form>

      <form
        className="inline-form"
        aria-labelledby="labels-title"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await run('changeIncidentLabels', { ...ref, add: [label] }, `Label ${label} added.`)) setLabel('');
        }}
      >
        <h3 id="labels-title">Labels</h3>
        {incident.labels.length ? (
          <ul className="chips" aria-label="Labels of the incident">
            {incident.labels.map((l) => (
              <li key={l} className="chip">
                {l}{' '}
                <button type="button" className="button button-small button-quiet" disabled={busy} onClick={() => void run('changeIncidentLabels', { ...ref, remove: [l] }, `Label ${l} removed.`)} aria-label={`Remove label ${l}`}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="form-row">
          <Field id="label-add" label="Add a label" hint="Lowercase letters, digits and : . _ -, up to 40 characters.">
            <input id="label-add" value={label} onChange={(e) => setLabel(e.target.value.trim())} required maxLength={40} aria-describedby="label-add-hint" />
          </Field>
        </div>
        <button type="submit" className="button" disabled={busy}>
          Add label
        </button>
      </form>

      <form
        className="inline-form"
        aria-labelledby="tasks-title"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await run('addIncidentTask', { ...ref, title: task.title, owner: task.owner, dueAt: new Date(`${task.due}T17:00:00Z`).toISOString() }, `Task added.`)) setTask({ ...task, title: '' });
        }}
      >
        <h3 id="tasks-title">Tasks</h3>
        {tasks.length ? (
          <ul className="plain-list" aria-label="Open tasks">
            {tasks.map((t) => (
              <li key={t.taskId}>
                {t.title} <span className="muted small">({t.owner}, due {formatDateTime(t.dueAt)})</span>{' '}
                <button type="button" className="button button-small" disabled={busy} onClick={() => void run('completeIncidentTask', { ...ref, taskId: t.taskId }, `Task done: ${t.title}.`)}>
                  Done
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">No open tasks.</p>
        )}
        <div className="form-row">
          <Field id="task-title" label="Task">
            <input id="task-title" value={task.title} onChange={(e) => setTask({ ...task, title: e.target.value })} required />
          </Field>
          <AssigneePicker id="task-owner" label="Owner" tenantIds={[tenantId]} value={task.owner} onChange={(owner) => setTask({ ...task, owner })} />
          <Field id="task-due" label="Due (UTC date)">
            <input id="task-due" type="date" value={task.due} onChange={(e) => setTask({ ...task, due: e.target.value })} required />
          </Field>
        </div>
        <button type="submit" className="button" disabled={busy}>
          Add task
        </button>
      </form>

      <form
        className="inline-form"
        aria-labelledby="evidence-title"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await run('addIncidentEvidence', { ...ref, uri: evidence.uri, sha256: evidence.sha256.toLowerCase(), description: evidence.description || undefined }, 'Evidence recorded.')) {
            setEvidence({ uri: '', sha256: '', description: '' });
          }
        }}
      >
        <h3 id="evidence-title">Evidence</h3>
        <p className="small muted">Recorded by reference and digest: the file stays where it is; its SHA-256 proves later that it did not change.</p>
        <div className="form-row">
          <Field id="evidence-uri" label="Where it is (URI)">
            <input id="evidence-uri" value={evidence.uri} onChange={(e) => setEvidence({ ...evidence, uri: e.target.value })} required />
          </Field>
          <Field id="evidence-sha" label="SHA-256" hint="64 hex digits, e.g. from sha256sum.">
            <input id="evidence-sha" value={evidence.sha256} onChange={(e) => setEvidence({ ...evidence, sha256: e.target.value.trim() })} required pattern="[0-9a-fA-F]{64}" aria-describedby="evidence-sha-hint" />
          </Field>
          <Field id="evidence-description" label="What it shows (optional)">
            <input id="evidence-description" value={evidence.description} onChange={(e) => setEvidence({ ...evidence, description: e.target.value })} />
          </Field>
        </div>
        <button type="submit" className="button" disabled={busy}>
          Record evidence
        </button>
      </form>

      {others.length ? (
        <form
          className="inline-form"
          aria-labelledby="merge-title"
          onSubmit={async (e) => {
            e.preventDefault();
            await run('mergeIncident', { ...revision, into }, `Merged into ${into}.`);
          }}
        >
          <h3 id="merge-title">Merge into another incident</h3>
          <Field id="merge-into" label="Open incident of this tenant">
            <select id="merge-into" value={into} onChange={(e) => setInto(e.target.value)} required>
              <option value="">Choose…</option>
              {others.map((o) => (
                <option key={o.incidentId} value={o.incidentId}>
                  {o.title} ({o.incidentId}, {formatDateTime(o.openedAt)})
                </option>
              ))}
            </select>
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={mergeChecked} onChange={(e) => setMergeChecked(e.target.checked)} /> Its signals move to that incident and this one ends as merged
          </label>
          <button type="submit" className="button button-danger" disabled={busy || !into || !mergeChecked}>
            Merge incident
          </button>
        </form>
      ) : null}
    </>
  );
};
