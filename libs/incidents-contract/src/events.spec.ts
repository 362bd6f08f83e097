import type { RecordedEvent } from '@rampart/event-sourcing';
import { ACTION_EVENT_TYPES, isActionEvent, type ActionEvent } from './actions';
import { INCIDENT_EVENT_TYPES, isIncidentEvent, isPreventionProposed, moreSevere, type IncidentEvent } from './events';
import { isIncidentPolicySet } from './policy';

// Every type name of each union, once: a name added to a union but not to its list fails here.
const INCIDENT: Record<IncidentEvent['type'], true> = {
  'incidents.IncidentOpened.v1': true,
  'incidents.SignalAttached.v1': true,
  'incidents.SignalDetached.v1': true,
  'incidents.IncidentTriaged.v1': true,
  'incidents.IncidentReassigned.v1': true,
  'incidents.IncidentResponseStarted.v1': true,
  'incidents.IncidentContained.v1': true,
  'incidents.IncidentRemediated.v1': true,
  'incidents.IncidentRecovered.v1': true,
  'incidents.IncidentClosed.v1': true,
  'incidents.PreventionProposed.v1': true,
  'incidents.IncidentReopened.v1': true,
  'incidents.IncidentMerged.v1': true,
  'incidents.CommentAdded.v1': true,
  'incidents.TaskAdded.v1': true,
  'incidents.TaskCompleted.v1': true,
  'incidents.EvidenceAdded.v1': true,
  'incidents.LabelsChanged.v1': true,
  'incidents.SlaBreached.v1': true,
};
const ACTION: Record<ActionEvent['type'], true> = {
  'incidents.ActionProposed.v1': true,
  'incidents.ActionApproved.v1': true,
  'incidents.ActionExecutionStarted.v1': true,
  'incidents.ActionSucceeded.v1': true,
  'incidents.ActionFailed.v1': true,
  'incidents.ActionOutcomeResolved.v1': true,
  'incidents.ActionCancelled.v1': true,
  'incidents.ActionExpired.v1': true,
  'incidents.ActionVerified.v1': true,
};

const read = (type: string, data: unknown = {}) => ({ type, data }) as Pick<RecordedEvent, 'type' | 'data'>;

describe("the incidents' contract", () => {
  it('lists every type name of its unions once', () => {
    expect([...INCIDENT_EVENT_TYPES].sort()).toEqual(Object.keys(INCIDENT).sort());
    expect([...ACTION_EVENT_TYPES].sort()).toEqual(Object.keys(ACTION).sort());
  });

  it("tells an incident's events from its actions', its policy's and other contexts'", () => {
    expect(INCIDENT_EVENT_TYPES.every((t) => isIncidentEvent(read(t)) && !isActionEvent(read(t)))).toBe(true);
    expect(ACTION_EVENT_TYPES.every((t) => isActionEvent(read(t)) && !isIncidentEvent(read(t)))).toBe(true);
    const policy = read('incidents.IncidentPolicySet.v1');
    expect([isIncidentPolicySet(policy), isIncidentEvent(policy), isActionEvent(policy)]).toEqual([true, false, false]);
    expect(isIncidentEvent(read('guardrails.FindingOpened.v1'))).toBe(false);
  });

  it('narrows a proposed prevention to its payload', () => {
    const e = read('incidents.PreventionProposed.v1', { incidentId: 'i-1', guardrailId: 'app-service-authentication', baselineId: null, change: 'switch to deny' });
    expect(isPreventionProposed(e) && e.data.guardrailId).toBe('app-service-authentication');
    expect(isPreventionProposed(read('incidents.IncidentOpened.v1'))).toBe(false);
  });

  it('keeps the more severe of two severities', () => {
    expect(moreSevere('low', 'critical')).toBe('critical');
    expect(moreSevere('high', 'medium')).toBe('high');
  });
});
