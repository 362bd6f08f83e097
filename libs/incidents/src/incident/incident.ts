// An incident, one stream each (`t-<tenant>:incident-<id>`): New -> Triaged -> Responding ->
// Remediating -> Recovering -> Resolved -> Closed, with reopening, merging and splitting, and the
// analyst's working material (comments, tasks, evidence, labels). Every rule is a named rejection.
import { createHash } from 'node:crypto';
import { parseInstant, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import {
  CLASSIFICATIONS,
  moreSevere,
  SEVERITIES,
  type Classification,
  type IncidentEvent,
  type IncidentStatus,
  type Severity,
  type Signal,
  type SlaTarget,
} from '../events';

export interface IncidentTask {
  readonly taskId: string;
  readonly title: string;
  readonly owner: string;
  readonly dueAt: string;
  readonly done: boolean;
}

export type Incident =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly incidentId: string;
      readonly status: IncidentStatus;
      readonly title: string;
      readonly severity: Severity;
      readonly assignee: string | null;
      readonly signals: readonly Signal[];
      readonly tasks: ReadonlyMap<string, IncidentTask>;
      readonly labels: ReadonlySet<string>;
      readonly evidence: readonly { uri: string; sha256: string }[];
      readonly comments: number;
      readonly breached: ReadonlySet<SlaTarget>;
      readonly openedAt: string;
    };

export type IncidentCommand =
  | { readonly kind: 'OpenIncident'; readonly incidentId: string; readonly title: string; readonly signal: Signal }
  | { readonly kind: 'AttachSignal'; readonly signal: Signal }
  | { readonly kind: 'DetachSignal'; readonly ref: string; readonly movedTo: string }
  | { readonly kind: 'TriageIncident'; readonly severity: Severity; readonly assignee: string }
  | { readonly kind: 'ReassignIncident'; readonly assignee: string }
  | { readonly kind: 'StartResponse'; readonly summary: string }
  | { readonly kind: 'ConfirmContainment'; readonly summary: string }
  | { readonly kind: 'ConfirmRemediation'; readonly summary: string }
  | { readonly kind: 'ConfirmRecovery'; readonly summary: string }
  | {
      readonly kind: 'CloseIncident';
      readonly classification: Classification;
      readonly reason: string;
      readonly rootCause: string;
      readonly lessonsLearned: string;
      readonly prevention?: { readonly guardrailId?: string; readonly baselineId?: string; readonly change: string };
    }
  | { readonly kind: 'ReopenIncident'; readonly reason: string }
  | { readonly kind: 'MergeIncident'; readonly into: string }
  | { readonly kind: 'AddComment'; readonly commentId: string; readonly text: string }
  | { readonly kind: 'AddTask'; readonly taskId: string; readonly title: string; readonly owner: string; readonly dueAt: string }
  | { readonly kind: 'CompleteTask'; readonly taskId: string }
  | { readonly kind: 'AddEvidence'; readonly uri: string; readonly sha256: string; readonly description: string }
  | { readonly kind: 'ChangeLabels'; readonly add: readonly string[]; readonly remove: readonly string[] }
  | { readonly kind: 'RecordSlaBreach'; readonly target: SlaTarget; readonly dueAt: string };

export const incidentStreamId = (tenantId: string, incidentId: string): string => streamIdFor(tenantId, 'incident', incidentId);

/** The incident a signal opens, derived from it: the same finding or alert delivered twice opens one incident. */
export const incidentIdFor = (tenantId: string, signalRef: string): string =>
  `inc-${createHash('sha256').update(`${tenantId}|${signalRef}`).digest('hex').slice(0, 12)}`;

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const LABEL = /^[a-z0-9][a-z0-9:._-]{0,39}$/;
const MAX_TEXT = 10_000;

/**
 * Bounds on what an incident accumulates, so reading one (its timeline joins the posture of every
 * resource it names) stays cheap whoever opened it. Alerts arrive already cut to fewer
 * (EXTERNAL_ALERT_LIMITS); these hold for every path, an analyst's openIncident included.
 */
export const INCIDENT_LIMITS = {
  resourcesPerSignal: 100,
  entitiesPerSignal: 100,
  resourcesPerIncident: 500,
  labelsPerIncident: 50,
  /** An ARM id is at most a few hundred characters; a resource key longer than this is not one. */
  resourceKeyChars: 1_024,
  entityChars: 2_000,
  /** A person's id from the identity provider (an e-mail is at most 254): an assignee or a task's owner. */
  assigneeChars: 320,
} as const;

const signalProblem = (signal: Signal) => {
  const L = INCIDENT_LIMITS;
  if (signal.resourceKeys.length > L.resourcesPerSignal) return reject('too-many-resources', `at most ${L.resourcesPerSignal} resources per signal`);
  if (signal.entities.length > L.entitiesPerSignal) return reject('too-many-entities', `at most ${L.entitiesPerSignal} entities per signal`);
  if (signal.resourceKeys.some((k) => !k.trim() || k.length > L.resourceKeyChars)) return reject('invalid-resource-id', `resource ids are 1-${L.resourceKeyChars} characters`);
  if (signal.entities.some((e) => !e.trim() || e.length > L.entityChars)) return reject('invalid-entity', `entities are kind:name, 1-${L.entityChars} characters`);
  return undefined;
};

/** The one path forward: each step names the status it leaves and the one it enters. */
const NEXT: Partial<Record<IncidentCommand['kind'], { from: IncidentStatus; to: IncidentStatus }>> = {
  TriageIncident: { from: 'new', to: 'triaged' },
  StartResponse: { from: 'triaged', to: 'responding' },
  ConfirmContainment: { from: 'responding', to: 'remediating' },
  ConfirmRemediation: { from: 'remediating', to: 'recovering' },
  ConfirmRecovery: { from: 'recovering', to: 'resolved' },
  CloseIncident: { from: 'resolved', to: 'closed' },
};

const TERMINAL = new Set<IncidentStatus>(['closed', 'merged']);

const text = (value: string, what: string, min = 1) => {
  const trimmed = value.trim();
  if (trimmed.length < min) return reject(`${what}-required`, `${what} needs at least ${min} characters`);
  if (trimmed.length > MAX_TEXT) return reject(`${what}-too-long`, `at most ${MAX_TEXT} characters`);
  return trimmed;
};

const decide = (cmd: IncidentCommand, state: Incident): Decision<IncidentEvent> => {
  if (cmd.kind === 'OpenIncident') {
    if (state.exists) return reject('incident-exists');
    if (!ID.test(cmd.incidentId)) return reject('invalid-incident-id', 'lowercase letters, digits and dashes, up to 63');
    const title = text(cmd.title, 'title', 3);
    if (typeof title !== 'string') return title;
    if (!SEVERITIES.includes(cmd.signal.severity)) return reject('invalid-severity');
    const problem = signalProblem(cmd.signal);
    if (problem) return problem;
    return [{ type: 'incidents.IncidentOpened.v1', data: { incidentId: cmd.incidentId, title, severity: cmd.signal.severity, signal: cmd.signal } }];
  }
  if (!state.exists) return reject('unknown-incident');
  const incidentId = state.incidentId;
  if (state.status === 'merged' && cmd.kind !== 'AddComment') return reject('incident-merged', 'work on the incident it was merged into');

  const step = NEXT[cmd.kind];
  if (step && state.status !== step.from) {
    return reject('invalid-transition', `${cmd.kind} needs status ${step.from}; the incident is ${state.status}`);
  }

  switch (cmd.kind) {
    case 'AttachSignal': {
      if (TERMINAL.has(state.status)) return reject('incident-closed', 'open a new incident (or reopen this one) for a new signal');
      if (state.signals.some((s) => s.kind === cmd.signal.kind && s.ref === cmd.signal.ref)) return []; // the same alert again: deduplicated
      const problem = signalProblem(cmd.signal);
      if (problem) return problem;
      const resources = new Set([...state.signals.flatMap((s) => s.resourceKeys), ...cmd.signal.resourceKeys]);
      if (resources.size > INCIDENT_LIMITS.resourcesPerIncident) {
        return reject('too-many-resources', `an incident names at most ${INCIDENT_LIMITS.resourcesPerIncident} resources; open another for the rest`);
      }
      return [{ type: 'incidents.SignalAttached.v1', data: { incidentId, signal: cmd.signal } }];
    }
    case 'DetachSignal': {
      if (TERMINAL.has(state.status)) return reject('incident-closed');
      if (!state.signals.some((s) => s.ref === cmd.ref)) return reject('unknown-signal');
      if (state.signals.length === 1) return reject('last-signal', 'an incident keeps at least one signal; close or merge it instead');
      if (!ID.test(cmd.movedTo) || cmd.movedTo === incidentId) return reject('invalid-incident-id');
      return [{ type: 'incidents.SignalDetached.v1', data: { incidentId, ref: cmd.ref, movedTo: cmd.movedTo } }];
    }
    case 'TriageIncident': {
      if (!SEVERITIES.includes(cmd.severity)) return reject('invalid-severity');
      if (!cmd.assignee.trim()) return reject('assignee-required');
      if (cmd.assignee.trim().length > INCIDENT_LIMITS.assigneeChars) return reject('assignee-too-long', `at most ${INCIDENT_LIMITS.assigneeChars} characters`);
      return [{ type: 'incidents.IncidentTriaged.v1', data: { incidentId, severity: cmd.severity, assignee: cmd.assignee.trim() } }];
    }
    case 'ReassignIncident': {
      if (TERMINAL.has(state.status) || state.status === 'new') return reject('invalid-transition', 'triage it first; closed incidents keep their owner');
      if (!cmd.assignee.trim()) return reject('assignee-required');
      if (cmd.assignee.trim().length > INCIDENT_LIMITS.assigneeChars) return reject('assignee-too-long', `at most ${INCIDENT_LIMITS.assigneeChars} characters`);
      if (cmd.assignee.trim() === state.assignee) return [];
      return [{ type: 'incidents.IncidentReassigned.v1', data: { incidentId, assignee: cmd.assignee.trim() } }];
    }
    case 'StartResponse':
    case 'ConfirmContainment':
    case 'ConfirmRemediation':
    case 'ConfirmRecovery': {
      const summary = text(cmd.summary, 'summary', 3);
      if (typeof summary !== 'string') return summary;
      const type = {
        StartResponse: 'incidents.IncidentResponseStarted.v1',
        ConfirmContainment: 'incidents.IncidentContained.v1',
        ConfirmRemediation: 'incidents.IncidentRemediated.v1',
        ConfirmRecovery: 'incidents.IncidentRecovered.v1',
      } as const;
      return [{ type: type[cmd.kind], data: { incidentId, summary } }];
    }
    case 'CloseIncident': {
      if (!CLASSIFICATIONS.includes(cmd.classification)) return reject('classification-required', `one of ${CLASSIFICATIONS.join(', ')}`);
      const reason = text(cmd.reason, 'reason', 3);
      if (typeof reason !== 'string') return reason;
      const rootCause = text(cmd.rootCause, 'root-cause', 10);
      if (typeof rootCause !== 'string') return rootCause;
      const lessonsLearned = text(cmd.lessonsLearned, 'lessons-learned', 10);
      if (typeof lessonsLearned !== 'string') return lessonsLearned;
      const open = [...state.tasks.values()].filter((t) => !t.done);
      if (open.length) return reject('open-tasks', `complete or drop these tasks first: ${open.map((t) => t.taskId).join(', ')}`);
      const events: IncidentEvent[] = [
        { type: 'incidents.IncidentClosed.v1', data: { incidentId, classification: cmd.classification, reason, rootCause, lessonsLearned } },
      ];
      if (cmd.prevention) {
        const change = text(cmd.prevention.change, 'prevention', 10);
        if (typeof change !== 'string') return change;
        events.push({
          type: 'incidents.PreventionProposed.v1',
          data: { incidentId, guardrailId: cmd.prevention.guardrailId ?? null, baselineId: cmd.prevention.baselineId ?? null, change },
        });
      }
      return events;
    }
    case 'ReopenIncident': {
      if (state.status !== 'resolved' && state.status !== 'closed') return reject('invalid-transition', `only resolved or closed incidents reopen; this one is ${state.status}`);
      const reason = text(cmd.reason, 'reason', 3);
      if (typeof reason !== 'string') return reason;
      return [{ type: 'incidents.IncidentReopened.v1', data: { incidentId, reason } }];
    }
    case 'MergeIncident': {
      if (TERMINAL.has(state.status)) return reject('incident-closed');
      if (cmd.into === incidentId || !ID.test(cmd.into)) return reject('invalid-incident-id');
      return [{ type: 'incidents.IncidentMerged.v1', data: { incidentId, into: cmd.into } }];
    }
    case 'AddComment': {
      const body = text(cmd.text, 'comment');
      if (typeof body !== 'string') return body;
      if (!ID.test(cmd.commentId)) return reject('invalid-comment-id');
      return [{ type: 'incidents.CommentAdded.v1', data: { incidentId, commentId: cmd.commentId, text: body } }];
    }
    case 'AddTask': {
      if (TERMINAL.has(state.status)) return reject('incident-closed');
      if (!ID.test(cmd.taskId)) return reject('invalid-task-id');
      if (state.tasks.has(cmd.taskId)) return reject('duplicate-task');
      if (!cmd.owner.trim()) return reject('owner-required');
      if (cmd.owner.trim().length > INCIDENT_LIMITS.assigneeChars) return reject('owner-too-long', `at most ${INCIDENT_LIMITS.assigneeChars} characters`);
      const dueAt = parseInstant(cmd.dueAt);
      if (!dueAt) return reject('invalid-due-time', 'an ISO-8601 date-time, e.g. 2027-01-31T17:00:00Z');
      const title = text(cmd.title, 'title', 3);
      if (typeof title !== 'string') return title;
      return [{ type: 'incidents.TaskAdded.v1', data: { incidentId, taskId: cmd.taskId, title, owner: cmd.owner.trim(), dueAt: dueAt.toISOString() } }];
    }
    case 'CompleteTask': {
      const task = state.tasks.get(cmd.taskId);
      if (!task) return reject('unknown-task');
      if (task.done) return reject('task-already-done');
      return [{ type: 'incidents.TaskCompleted.v1', data: { incidentId, taskId: cmd.taskId } }];
    }
    case 'AddEvidence': {
      if (!SHA256.test(cmd.sha256)) return reject('invalid-sha256', 'the SHA-256 of the evidence, 64 lowercase hex digits');
      let uri: URL;
      try {
        uri = new URL(cmd.uri);
      } catch {
        return reject('invalid-uri');
      }
      if (!['https:', 's3:', 'azure-blob:', 'file:'].includes(uri.protocol) && !(uri.protocol === 'http:' && uri.hostname === 'localhost')) {
        return reject('invalid-uri', 'https (or an object-store URI) so the evidence can be fetched and checked');
      }
      if (state.evidence.some((e) => e.sha256 === cmd.sha256)) return [];
      return [{ type: 'incidents.EvidenceAdded.v1', data: { incidentId, uri: uri.toString(), sha256: cmd.sha256, description: cmd.description.trim().slice(0, 1_000) } }];
    }
    case 'ChangeLabels': {
      const bad = [...cmd.add, ...cmd.remove].find((l) => !LABEL.test(l));
      if (bad !== undefined) return reject('invalid-label', `"${bad}": lowercase, digits and : . _ -, up to 40`);
      const added = [...new Set(cmd.add)].filter((l) => !state.labels.has(l));
      const removed = [...new Set(cmd.remove)].filter((l) => state.labels.has(l) && !cmd.add.includes(l));
      if (!added.length && !removed.length) return [];
      if (state.labels.size + added.length - removed.length > INCIDENT_LIMITS.labelsPerIncident) {
        return reject('too-many-labels', `at most ${INCIDENT_LIMITS.labelsPerIncident} labels per incident`);
      }
      return [{ type: 'incidents.LabelsChanged.v1', data: { incidentId, added, removed } }];
    }
    case 'RecordSlaBreach': {
      if (TERMINAL.has(state.status) || state.breached.has(cmd.target)) return [];
      return [{ type: 'incidents.SlaBreached.v1', data: { incidentId, target: cmd.target, dueAt: cmd.dueAt, severity: state.severity } }];
    }
    default:
      return reject('unsupported-command');
  }
};

const evolve = (state: Incident, event: IncidentEvent): Incident => {
  if (event.type === 'incidents.IncidentOpened.v1') {
    return {
      exists: true,
      incidentId: event.data.incidentId,
      status: 'new',
      title: event.data.title,
      severity: event.data.severity,
      assignee: null,
      signals: [event.data.signal],
      tasks: new Map(),
      labels: new Set(),
      evidence: [],
      comments: 0,
      breached: new Set(),
      openedAt: event.data.signal.detectedAt,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'incidents.SignalAttached.v1':
      // A more severe signal raises the incident's severity until an analyst triages it.
      return {
        ...state,
        signals: [...state.signals, event.data.signal],
        severity: state.status === 'new' ? moreSevere(state.severity, event.data.signal.severity) : state.severity,
      };
    case 'incidents.SignalDetached.v1':
      return { ...state, signals: state.signals.filter((s) => s.ref !== event.data.ref) };
    case 'incidents.IncidentTriaged.v1':
      return { ...state, status: 'triaged', severity: event.data.severity, assignee: event.data.assignee };
    case 'incidents.IncidentReassigned.v1':
      return { ...state, assignee: event.data.assignee };
    case 'incidents.IncidentResponseStarted.v1':
      return { ...state, status: 'responding' };
    case 'incidents.IncidentContained.v1':
      return { ...state, status: 'remediating' };
    case 'incidents.IncidentRemediated.v1':
      return { ...state, status: 'recovering' };
    case 'incidents.IncidentRecovered.v1':
      return { ...state, status: 'resolved' };
    case 'incidents.IncidentClosed.v1':
      return { ...state, status: 'closed' };
    case 'incidents.IncidentReopened.v1':
      return { ...state, status: 'triaged' };
    case 'incidents.IncidentMerged.v1':
      return { ...state, status: 'merged' };
    case 'incidents.CommentAdded.v1':
      return { ...state, comments: state.comments + 1 };
    case 'incidents.TaskAdded.v1':
      return { ...state, tasks: new Map(state.tasks).set(event.data.taskId, { ...event.data, done: false }) };
    case 'incidents.TaskCompleted.v1': {
      const task = state.tasks.get(event.data.taskId);
      return task ? { ...state, tasks: new Map(state.tasks).set(task.taskId, { ...task, done: true }) } : state;
    }
    case 'incidents.EvidenceAdded.v1':
      return { ...state, evidence: [...state.evidence, { uri: event.data.uri, sha256: event.data.sha256 }] };
    case 'incidents.LabelsChanged.v1': {
      const labels = new Set(state.labels);
      event.data.added.forEach((l) => labels.add(l));
      event.data.removed.forEach((l) => labels.delete(l));
      return { ...state, labels };
    }
    case 'incidents.SlaBreached.v1':
      return { ...state, breached: new Set(state.breached).add(event.data.target) };
    default:
      return state;
  }
};

export const incidentDecider: Decider<IncidentCommand, Incident, IncidentEvent> = {
  decide,
  evolve,
  initialState: () => ({ exists: false }),
};
