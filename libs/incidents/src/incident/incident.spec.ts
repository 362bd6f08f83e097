import { givenWhenThen } from '@rampart/event-sourcing';
import type { IncidentEvent, Signal } from '../events';
import { INCIDENT_LIMITS, incidentDecider, type IncidentCommand } from './incident';

const given = givenWhenThen(incidentDecider);
const id = 'inc-1';

const finding: Signal = {
  kind: 'finding',
  ref: 'f-1',
  title: 'Web app reachable without authentication',
  severity: 'high',
  resourceKeys: ['/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app'],
  entities: [],
  detectedAt: '2026-11-29T10:00:00.000Z',
};
const alert: Signal = { ...finding, kind: 'alert', ref: 'defender:abc', title: 'Suspicious sign-in', severity: 'critical', entities: ['ip:203.0.113.7'] };

const opened: IncidentEvent = { type: 'incidents.IncidentOpened.v1', data: { incidentId: id, title: 'Exposed API', severity: 'high', signal: finding } };
const triaged: IncidentEvent = { type: 'incidents.IncidentTriaged.v1', data: { incidentId: id, severity: 'high', assignee: 'ana@soc.example' } };
const responding: IncidentEvent = { type: 'incidents.IncidentResponseStarted.v1', data: { incidentId: id, summary: 'Restricting network access' } };
const contained: IncidentEvent = { type: 'incidents.IncidentContained.v1', data: { incidentId: id, summary: 'Public access off' } };
const remediated: IncidentEvent = { type: 'incidents.IncidentRemediated.v1', data: { incidentId: id, summary: 'Auth enabled' } };
const recovered: IncidentEvent = { type: 'incidents.IncidentRecovered.v1', data: { incidentId: id, summary: 'Guardrail compliant again' } };
const close: IncidentCommand = {
  kind: 'CloseIncident',
  classification: 'true-positive',
  reason: 'Exposed without authentication',
  rootCause: 'Deployed from a template without auth settings',
  lessonsLearned: 'Templates must enable authentication by default',
};
const closed: IncidentEvent = {
  type: 'incidents.IncidentClosed.v1',
  data: {
    incidentId: id,
    classification: 'true-positive',
    reason: 'Exposed without authentication',
    rootCause: 'Deployed from a template without auth settings',
    lessonsLearned: 'Templates must enable authentication by default',
  },
};
const lifecycle = [opened, triaged, responding, contained, remediated, recovered];

describe('an incident', () => {
  it('opens from a signal, once', () => {
    given().when({ kind: 'OpenIncident', incidentId: id, title: 'Exposed API', signal: finding }).then(opened);
    given(opened).when({ kind: 'OpenIncident', incidentId: id, title: 'Exposed API', signal: finding }).thenRejects('incident-exists');
    given().when({ kind: 'OpenIncident', incidentId: 'Bad Id', title: 'Exposed API', signal: finding }).thenRejects('invalid-incident-id');
    given().when({ kind: 'OpenIncident', incidentId: id, title: '', signal: finding }).thenRejects('title-required');
    given().when({ kind: 'TriageIncident', severity: 'high', assignee: 'x' }).thenRejects('unknown-incident');
  });

  it('walks New -> Triaged -> Responding -> Remediating -> Recovering -> Resolved -> Closed, one step at a time', () => {
    given(opened).when({ kind: 'TriageIncident', severity: 'high', assignee: 'ana@soc.example' }).then(triaged);
    given(opened, triaged).when({ kind: 'StartResponse', summary: 'Restricting network access' }).then(responding);
    given(opened, triaged, responding).when({ kind: 'ConfirmContainment', summary: 'Public access off' }).then(contained);
    given(opened, triaged, responding, contained).when({ kind: 'ConfirmRemediation', summary: 'Auth enabled' }).then(remediated);
    given(...lifecycle.slice(0, 5)).when({ kind: 'ConfirmRecovery', summary: 'Guardrail compliant again' }).then(recovered);
    given(...lifecycle).when(close).then(closed);
    expect(given(...lifecycle, closed).state()).toMatchObject({ status: 'closed' });
  });

  it('refuses skipped or repeated steps with invalid-transition', () => {
    given(opened).when({ kind: 'StartResponse', summary: 'too early' }).thenRejects('invalid-transition');
    given(opened, triaged).when({ kind: 'TriageIncident', severity: 'low', assignee: 'x' }).thenRejects('invalid-transition');
    given(opened, triaged).when({ kind: 'ConfirmRecovery', summary: 'skipping' }).thenRejects('invalid-transition');
    given(opened, triaged, responding).when(close).thenRejects('invalid-transition');
    given(opened).when({ kind: 'TriageIncident', severity: 'high', assignee: ' ' }).thenRejects('assignee-required');
    given(opened, triaged).when({ kind: 'StartResponse', summary: '' }).thenRejects('summary-required');
  });

  it('hands a triaged incident to someone else at any step before it closes, and bounds who', () => {
    const reassigned = (assignee: string): IncidentEvent => ({ type: 'incidents.IncidentReassigned.v1', data: { incidentId: id, assignee } });
    given(opened, triaged, responding).when({ kind: 'ReassignIncident', assignee: ' sam@soc.example ' }).then(reassigned('sam@soc.example'));
    expect(given(opened, triaged, reassigned('sam@soc.example')).state()).toMatchObject({ assignee: 'sam@soc.example', status: 'triaged' });
    given(opened).when({ kind: 'ReassignIncident', assignee: 'sam@soc.example' }).thenRejects('invalid-transition'); // triage assigns a new one
    given(...lifecycle, closed).when({ kind: 'ReassignIncident', assignee: 'sam@soc.example' }).thenRejects('invalid-transition');
    given(opened, triaged).when({ kind: 'ReassignIncident', assignee: '' }).thenRejects('assignee-required');
    given(opened, triaged).when({ kind: 'ReassignIncident', assignee: 'x'.repeat(321) }).thenRejects('assignee-too-long');
    given(opened).when({ kind: 'TriageIncident', severity: 'high', assignee: 'x'.repeat(321) }).thenRejects('assignee-too-long');
    given(opened, triaged).when({ kind: 'AddTask', taskId: 't-1', title: 'Call the owner', owner: 'x'.repeat(321), dueAt: '2026-12-01T00:00:00.000Z' }).thenRejects('owner-too-long');
  });

  it('closes only with a classification, a reason, a root cause and lessons learned, and no open task', () => {
    given(...lifecycle).when({ ...close, classification: 'maybe' as never }).thenRejects('classification-required');
    given(...lifecycle).when({ ...close, rootCause: 'dunno' }).thenRejects('root-cause-required');
    given(...lifecycle).when({ ...close, lessonsLearned: '' }).thenRejects('lessons-learned-required');
    const task: IncidentEvent = { type: 'incidents.TaskAdded.v1', data: { incidentId: id, taskId: 't-1', title: 'Rotate keys', owner: 'bo', dueAt: '2026-12-01T00:00:00.000Z' } };
    given(...lifecycle, task).when(close).thenRejects('open-tasks');
    given(...lifecycle, task, { type: 'incidents.TaskCompleted.v1', data: { incidentId: id, taskId: 't-1' } }).when(close).then(closed);
  });

  it('can propose a prevention change when it closes: the root cause feeds the guardrails', () => {
    given(...lifecycle)
      .when({ ...close, prevention: { guardrailId: 'web-app-without-authentication', change: 'Switch the guardrail to deny for production subscriptions' } })
      .then(closed, {
        type: 'incidents.PreventionProposed.v1',
        data: { incidentId: id, guardrailId: 'web-app-without-authentication', baselineId: null, change: 'Switch the guardrail to deny for production subscriptions' },
      });
  });

  it('reopens when resolved or closed, and the path starts again at triage', () => {
    const reopened: IncidentEvent = { type: 'incidents.IncidentReopened.v1', data: { incidentId: id, reason: 'Exposed again' } };
    given(...lifecycle, closed).when({ kind: 'ReopenIncident', reason: 'Exposed again' }).then(reopened);
    given(...lifecycle).when({ kind: 'ReopenIncident', reason: 'Exposed again' }).then(reopened);
    given(opened, triaged).when({ kind: 'ReopenIncident', reason: 'x'.repeat(5) }).thenRejects('invalid-transition');
    expect(given(...lifecycle, closed, reopened).state()).toMatchObject({ status: 'triaged' });
    given(...lifecycle, closed, reopened).when({ kind: 'StartResponse', summary: 'Again' }).then({ type: 'incidents.IncidentResponseStarted.v1', data: { incidentId: id, summary: 'Again' } });
  });

  it('attaches further signals once each; a more severe one raises an untriaged incident', () => {
    given(opened).when({ kind: 'AttachSignal', signal: alert }).then({ type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: alert } });
    given(opened, { type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: alert } }).when({ kind: 'AttachSignal', signal: alert }).then();
    expect(given(opened, { type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: alert } }).state()).toMatchObject({ severity: 'critical' });
    expect(given(opened, triaged, { type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: alert } }).state()).toMatchObject({ severity: 'high' });
    given(...lifecycle, closed).when({ kind: 'AttachSignal', signal: alert }).thenRejects('incident-closed');
  });

  it('merges into another incident and splits a signal out into a new one', () => {
    const withAlert: IncidentEvent = { type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: alert } };
    given(opened, withAlert).when({ kind: 'DetachSignal', ref: 'defender:abc', movedTo: 'inc-2' }).then({ type: 'incidents.SignalDetached.v1', data: { incidentId: id, ref: 'defender:abc', movedTo: 'inc-2' } });
    given(opened).when({ kind: 'DetachSignal', ref: 'f-1', movedTo: 'inc-2' }).thenRejects('last-signal');
    given(opened).when({ kind: 'DetachSignal', ref: 'nope', movedTo: 'inc-2' }).thenRejects('unknown-signal');
    const merged: IncidentEvent = { type: 'incidents.IncidentMerged.v1', data: { incidentId: id, into: 'inc-0' } };
    given(opened).when({ kind: 'MergeIncident', into: 'inc-0' }).then(merged);
    given(opened).when({ kind: 'MergeIncident', into: id }).thenRejects('invalid-incident-id');
    given(opened, merged).when({ kind: 'TriageIncident', severity: 'high', assignee: 'x' }).thenRejects('incident-merged');
  });

  it('keeps comments, tasks, evidence and labels', () => {
    given(opened).when({ kind: 'AddComment', commentId: 'c-1', text: 'Looking into it' }).then({ type: 'incidents.CommentAdded.v1', data: { incidentId: id, commentId: 'c-1', text: 'Looking into it' } });
    given(opened).when({ kind: 'AddTask', taskId: 't-1', title: 'Rotate keys', owner: 'bo', dueAt: 'tomorrow' }).thenRejects('invalid-due-time');
    given(opened).when({ kind: 'CompleteTask', taskId: 'nope' }).thenRejects('unknown-task');
    const sha = 'a'.repeat(64);
    given(opened)
      .when({ kind: 'AddEvidence', uri: 'https://evidence.example/capture.pcap', sha256: sha, description: 'packet capture' })
      .then({ type: 'incidents.EvidenceAdded.v1', data: { incidentId: id, uri: 'https://evidence.example/capture.pcap', sha256: sha, description: 'packet capture' } });
    given(opened).when({ kind: 'AddEvidence', uri: 'https://evidence.example/x', sha256: 'abc', description: '' }).thenRejects('invalid-sha256');
    given(opened).when({ kind: 'AddEvidence', uri: 'ftp://evidence.example/x', sha256: sha, description: '' }).thenRejects('invalid-uri');
    given(opened).when({ kind: 'ChangeLabels', add: ['exposure', 'prod'], remove: ['nope'] }).then({ type: 'incidents.LabelsChanged.v1', data: { incidentId: id, added: ['exposure', 'prod'], removed: [] } });
    given(opened).when({ kind: 'ChangeLabels', add: ['Not Valid'], remove: [] }).thenRejects('invalid-label');
  });

  it('bounds what an incident accumulates, whoever opens it', () => {
    const arm = (i: number) => `/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app-${i}`;
    const many = (n: number, from = 0) => Array.from({ length: n }, (_, i) => arm(from + i));
    const open = (signal: Partial<Signal>): IncidentCommand => ({ kind: 'OpenIncident', incidentId: id, title: 'Exposed API', signal: { ...finding, ...signal } });
    given().when(open({ resourceKeys: many(5_000) })).thenRejects('too-many-resources');
    given().when(open({ entities: Array.from({ length: 101 }, (_, i) => `ip:203.0.113.${i}`) })).thenRejects('too-many-entities');
    given().when(open({ resourceKeys: [''] })).thenRejects('invalid-resource-id');
    given().when(open({ resourceKeys: many(INCIDENT_LIMITS.resourcesPerSignal) })).then({
      type: 'incidents.IncidentOpened.v1',
      data: { incidentId: id, title: 'Exposed API', severity: 'high', signal: { ...finding, resourceKeys: many(100) } },
    });
    // Attached signals add up: past the incident's bound, a new incident is the place for them.
    const attach = (i: number): IncidentEvent => ({ type: 'incidents.SignalAttached.v1', data: { incidentId: id, signal: { ...alert, ref: `a-${i}`, resourceKeys: many(100, i * 100) } } });
    given(opened, attach(0), attach(1), attach(2), attach(3))
      .when({ kind: 'AttachSignal', signal: { ...alert, ref: 'a-4', resourceKeys: many(100, 400) } })
      .thenRejects('too-many-resources');
    const labels = Array.from({ length: INCIDENT_LIMITS.labelsPerIncident }, (_, i) => `l-${i}`);
    const labelled: IncidentEvent = { type: 'incidents.LabelsChanged.v1', data: { incidentId: id, added: labels, removed: [] } };
    given(opened).when({ kind: 'ChangeLabels', add: Array.from({ length: 3_000 }, (_, i) => `l-${i}`), remove: [] }).thenRejects('too-many-labels');
    given(opened, labelled).when({ kind: 'ChangeLabels', add: ['one-more'], remove: [] }).thenRejects('too-many-labels');
    given(opened, labelled).when({ kind: 'ChangeLabels', add: ['one-more'], remove: ['l-0'] }).then({ type: 'incidents.LabelsChanged.v1', data: { incidentId: id, added: ['one-more'], removed: ['l-0'] } });
  });

  it('records an SLA breach once per target, and none after closing', () => {
    const breach: IncidentEvent = { type: 'incidents.SlaBreached.v1', data: { incidentId: id, target: 'acknowledge', dueAt: '2026-11-29T10:15:00.000Z', severity: 'high' } };
    given(opened).when({ kind: 'RecordSlaBreach', target: 'acknowledge', dueAt: '2026-11-29T10:15:00.000Z' }).then(breach);
    given(opened, breach).when({ kind: 'RecordSlaBreach', target: 'acknowledge', dueAt: '2026-11-29T10:15:00.000Z' }).then();
    given(...lifecycle, closed).when({ kind: 'RecordSlaBreach', target: 'resolve', dueAt: '2026-11-29T10:15:00.000Z' }).then();
  });
});
