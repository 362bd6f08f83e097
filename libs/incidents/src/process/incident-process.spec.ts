import { givenWhenThenWorkflow, reject } from '@rampart/event-sourcing';
import type { FindingOpened } from '@rampart/guardrails-contract';
import type { ActionEvent, IncidentEvent, IncidentPolicySet, Signal } from '../events';
import { incidentIdFor } from '../incident/incident';
import { DEFAULT_INCIDENT_POLICY } from '../policy/incident-policy';
import { incidentProcess, placeSignal, playbookActionId, readsFor, type IncidentProcessCommand, type IncidentTrigger } from './incident-process';

const given = givenWhenThenWorkflow(incidentProcess);
const givenSuspended = givenWhenThenWorkflow(incidentProcess, () => ({ ...incidentProcess.initialState(), standing: reject('tenant-suspended', 'the tenant is suspended') }));
const givenReportingChoice = (...severities: FindingOpened['data']['severity'][]) =>
  givenWhenThenWorkflow(incidentProcess, () => ({ ...incidentProcess.initialState(), reportingChoice: severities }));

const TENANT = 'contoso-bank';
const APP = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.web/sites/payments-api';
const KEYS = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/keys';
const NOON = '2025-03-01T12:00:00.000Z';

const finding = (over: Partial<FindingOpened['data']> = {}, detectedAt = NOON): IncidentTrigger => ({
  kind: 'FindingOpened',
  tenantId: TENANT,
  detectedAt,
  finding: {
    findingId: 'f-1',
    resourceKey: APP,
    resourceId: APP,
    resourceType: 'microsoft.web/sites',
    assignmentId: 'core',
    guardrailId: 'web-app-without-authentication',
    severity: 'high',
    title: 'Web app reachable without authentication',
    playbookId: 'restrict-public-api',
    reason: 'authentication is off',
    causedBy: null,
    notify: false,
    ...over,
  },
});
const OWN = incidentIdFor(TENANT, 'f-1');
const signalOf = (trigger: IncidentTrigger): Signal => {
  if (trigger.kind !== 'FindingOpened') throw new Error('a finding');
  const f = trigger.finding;
  return { kind: 'finding', ref: f.findingId, title: f.title, severity: f.severity, resourceKeys: [f.resourceKey], entities: [], detectedAt: trigger.detectedAt };
};

const open = (incidentId: string, title: string, signal: Signal): IncidentProcessCommand => ({ stream: 'incident', incidentId, command: { kind: 'OpenIncident', incidentId, title, signal } });
const restrictPublicAccess = (incidentId = OWN, preApproved = false): IncidentProcessCommand => ({
  stream: 'action',
  actionId: playbookActionId(incidentId, 'respond', 0),
  command: {
    kind: 'ProposeAction',
    actionId: playbookActionId(incidentId, 'respond', 0),
    incidentId,
    actionKind: 'restrict-public-network-access',
    phase: 'respond',
    target: APP,
    parameters: {},
    proposedBy: 'playbook:restrict-public-api@1.0.0',
    playbookId: 'restrict-public-api',
    preApproved,
  },
});

const opened = (incidentId: string, signal: Signal): IncidentEvent => ({ type: 'incidents.IncidentOpened.v1', data: { incidentId, title: signal.title, severity: signal.severity, signal } });
const closed = (incidentId: string): IncidentEvent => ({
  type: 'incidents.IncidentClosed.v1',
  data: { incidentId, classification: 'true-positive', reason: 'fixed', rootCause: 'a template without authentication', lessonsLearned: 'templates enable it now' },
});
const proposed = (actionId: string, incidentId: string, target = APP): ActionEvent => ({
  type: 'incidents.ActionProposed.v1',
  data: { actionId, incidentId, actionKind: 'restrict-public-network-access', verb: 'Isolate', phase: 'respond', target, parameters: {}, destructive: true, proposedBy: 'playbook:restrict-public-api@1.0.0', playbookId: 'restrict-public-api' },
});
const ran = (actionId: string, executor: 'webhook' | 'manual' | 'dry-run'): ActionEvent[] => [
  { type: 'incidents.ActionApproved.v1', data: { actionId, approvedBy: 'lead@soc.example', preApproved: false } },
  { type: 'incidents.ActionExecutionStarted.v1', data: { actionId, executor, idempotencyKey: `${actionId}:1` } },
  { type: 'incidents.ActionSucceeded.v1', data: { actionId, outcome: 'done', evidenceUri: null } },
];
const policy = (over: Partial<IncidentPolicySet['data']>): IncidentPolicySet => ({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, ...over } });

describe('the incident process: a finding opened', () => {
  it('opens a new incident with the playbook response proposed', () => {
    const trigger = finding();
    given().when(trigger).then(open(OWN, 'Web app reachable without authentication on payments-api', signalOf(trigger)), restrictPublicAccess());
  });

  it('names the resource in the title, as the resource id spells it; the signal keeps the finding\'s own title', () => {
    const trigger = finding({ resourceId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/Payments-API' });
    given()
      .when(trigger)
      .thenMatches((decision) => expect(decision).toContainEqual(open(OWN, 'Web app reachable without authentication on Payments-API', signalOf(trigger))));
  });

  it("proposes what the tenant's policy pre-approves as approved", () => {
    const trigger = finding({ findingId: 'f-keys', resourceKey: KEYS, resourceId: KEYS, guardrailId: 'storage-keys-not-rotated', severity: 'critical', title: 'Storage keys not rotated', playbookId: 'rotate-secret' });
    const incidentId = incidentIdFor(TENANT, 'f-keys');
    given(policy({ preApprovedActions: ['rotate-secret'] }))
      .when(trigger)
      .thenMatches((decision) => {
        expect(decision).toEqual([
          open(incidentId, 'Storage keys not rotated on keys', signalOf(trigger)),
          expect.objectContaining({ stream: 'action', command: expect.objectContaining({ actionKind: 'rotate-secret', parameters: { secretName: KEYS }, preApproved: true }) }),
        ]);
      });
  });

  it('joins the open incident on the same resource within the correlation window, and opens a new one past it', () => {
    const earlier = finding({ findingId: 'f-0', title: 'Web app accepts plain HTTP', severity: 'critical' }, '2025-03-01T08:00:00.000Z');
    const first = incidentIdFor(TENANT, 'f-0');
    const trigger = finding();
    given(opened(first, signalOf(earlier))).when(trigger).then({ stream: 'incident', incidentId: first, command: { kind: 'AttachSignal', signal: signalOf(trigger) } });
    // a window of one hour: four hours later is another incident
    given(policy({ correlationWindowMinutes: 60 }), opened(first, signalOf(earlier))).when(trigger).then(open(OWN, 'Web app reachable without authentication on payments-api', signalOf(trigger)), restrictPublicAccess());
    // a closed incident is joined by nothing
    given(opened(first, signalOf(earlier)), closed(first)).when(trigger).then(open(OWN, 'Web app reachable without authentication on payments-api', signalOf(trigger)), restrictPublicAccess());
  });

  it('finishes what a crash interrupted: delivered again after the incident opened, it proposes the playbook, once', () => {
    const trigger = finding();
    given(opened(OWN, signalOf(trigger))).when(trigger).then(restrictPublicAccess());
    // the read model has not shown the incident yet: its own stream says it is open all the same
    expect(readsFor(trigger, incidentProcess.initialState())).toEqual({ openIncidents: true, incidentIds: [OWN], actionIds: [playbookActionId(OWN, 'respond', 0)], actionsTargeting: null });
  });

  it('does nothing when delivered again after everything was done', () => {
    const trigger = finding();
    given(opened(OWN, signalOf(trigger)), proposed(playbookActionId(OWN, 'respond', 0), OWN)).when(trigger).then();
    // ...nor for a finding that joined another incident
    const other = incidentIdFor(TENANT, 'f-0');
    const earlier = finding({ findingId: 'f-0' }, '2025-03-01T11:00:00.000Z');
    given(opened(other, signalOf(earlier)), { type: 'incidents.SignalAttached.v1', data: { incidentId: other, signal: signalOf(trigger) } }).when(trigger).then();
    // ...nor for its own incident once closed or merged
    given(opened(OWN, signalOf(trigger)), closed(OWN)).when(trigger).then();
  });

  it('opens incidents for the severities the tenant chose; until it chose, for what it recorded in guardrails, or critical and high', () => {
    const medium = finding({ severity: 'medium' });
    given().when(medium).then();
    given().when(finding({ severity: 'critical' })).thenMatches((decision) => expect(decision).toHaveLength(2));
    expect(readsFor(medium, incidentProcess.initialState())).toEqual({ openIncidents: false, incidentIds: [], actionIds: [], actionsTargeting: null });
    // the choice of the deprecated guardrails reporting policy
    givenReportingChoice('critical', 'high', 'medium')().when(medium).thenMatches((decision) => expect(decision).toHaveLength(2));
    givenReportingChoice('critical')().when(finding()).then();
    // the incident policy's own choice wins, once made
    givenReportingChoice('critical', 'high', 'medium')(policy({ findingSeverities: ['critical'] })).when(medium).then();
    given(policy({ findingSeverities: ['critical', 'high', 'medium'] })).when(medium).thenMatches((decision) => expect(decision).toHaveLength(2));
    given(policy({ findingSeverities: [] })).when(finding({ severity: 'critical' })).then();
  });

  it("keeps the judgment a finding recorded while guardrails made it (raiseIncident), whatever the policy says now", () => {
    given().when(finding({ severity: 'low', raiseIncident: true })).thenMatches((decision) => expect(decision).toHaveLength(2));
    given(policy({ findingSeverities: ['critical', 'high'] })).when(finding({ raiseIncident: false })).then();
  });

  it("takes nothing for a suspended tenant: the finding stands in guardrails, and the refusal says why", () => {
    givenSuspended().when(finding()).thenRejects('tenant-suspended');
    // what would not open an incident anyway is not refused: there is nothing to refuse
    givenSuspended().when(finding({ severity: 'low' })).then();
  });
});

describe('the incident process: an alert received', () => {
  const vm = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-01';
  const alert = (ref: string, over: Partial<Signal> = {}): IncidentTrigger => ({
    kind: 'AlertReceived',
    tenantId: TENANT,
    signal: { kind: 'alert', ref, title: 'Malware detected', severity: 'high', resourceKeys: [vm], entities: ['account:deploy-bot'], detectedAt: NOON, detectionType: 'VM_EICAR', ...over },
  });
  const signal = (trigger: IncidentTrigger) => (trigger as Extract<IncidentTrigger, { kind: 'AlertReceived' }>).signal;

  it('opens an incident (its playbook answers the incident opened), joins one on the same entity, or is a duplicate', () => {
    const first = alert('defender:a-1');
    const own = incidentIdFor(TENANT, 'defender:a-1');
    given().when(first).then(open(own, 'Malware detected', signal(first)));
    const second = alert('defender:a-2', { resourceKeys: [] });
    given(opened(own, signal(first))).when(second).then({ stream: 'incident', incidentId: own, command: { kind: 'AttachSignal', signal: signal(second) } });
    given(opened(own, signal(first))).when(first).then();
    expect(placeSignal(TENANT, signal(first), given(opened(own, signal(first))).state())).toEqual({ decision: 'duplicate', incidentId: own });
    // even long after its incident was closed, the same alert is the same alert
    expect(placeSignal(TENANT, signal(first), given(opened(own, signal(first)), closed(own)).state())).toEqual({ decision: 'duplicate', incidentId: own });
  });

  it("records no alert for a suspended tenant", () => {
    givenSuspended().when(alert('defender:a-1')).thenRejects('tenant-suspended');
  });
});

describe('the incident process: an incident opened', () => {
  const vm = '/subscriptions/s1/resourcegroups/rg/providers/microsoft.compute/virtualmachines/web-01';
  const alertSignal = (over: Partial<Signal> = {}): Signal => ({ kind: 'alert', ref: 'defender:a-1', title: 'Malware detected', severity: 'high', resourceKeys: [vm], entities: [], detectedAt: NOON, detectionType: 'VM_EICAR', ...over });
  const incidentOpened = (signal: Signal): IncidentTrigger => ({ kind: 'IncidentOpened', tenantId: TENANT, opened: { incidentId: 'inc-alert', title: signal.title, severity: signal.severity, signal } });
  const isolate: IncidentProcessCommand = {
    stream: 'action',
    actionId: playbookActionId('inc-alert', 'respond', 0),
    command: {
      kind: 'ProposeAction',
      actionId: playbookActionId('inc-alert', 'respond', 0),
      incidentId: 'inc-alert',
      actionKind: 'isolate-workload',
      phase: 'respond',
      target: vm,
      parameters: {},
      proposedBy: 'playbook:isolate-workload@1.0.0',
      playbookId: 'isolate-workload',
      preApproved: false,
    },
  };

  it("by an alert: proposes the playbook answering its detection type, once", () => {
    given().when(incidentOpened(alertSignal())).then(isolate);
    given(proposed(playbookActionId('inc-alert', 'respond', 0), 'inc-alert', vm)).when(incidentOpened(alertSignal())).then();
  });

  it('does not propose again a step whose proposal expired unapproved: a person proposes it anew if it is still needed', () => {
    const actionId = playbookActionId('inc-alert', 'respond', 0);
    const expired: ActionEvent = { type: 'incidents.ActionExpired.v1', data: { actionId, expiredAt: NOON, approvalExpiryMinutes: 1440 } };
    given(proposed(actionId, 'inc-alert', vm), expired).when(incidentOpened(alertSignal())).then();
    expect(given(proposed(actionId, 'inc-alert', vm), expired).state().actions.get(actionId)).toMatchObject({ status: 'expired' });
  });

  it('by anything else, or by an alert no playbook answers or about nothing to act on: nothing', () => {
    given().when(incidentOpened(alertSignal({ detectionType: 'myAlert' }))).then();
    given().when(incidentOpened(alertSignal({ detectionType: undefined }))).then();
    given().when(incidentOpened(alertSignal({ resourceKeys: [], entities: [] }))).then();
    given().when(incidentOpened({ ...alertSignal(), kind: 'finding', ref: 'f-1' })).then();
    givenSuspended().when(incidentOpened(alertSignal())).thenRejects('tenant-suspended');
  });
});

describe('the incident process: a finding resolved', () => {
  const resolved = (resolution: 'compliant' | 'exempted' = 'compliant'): IncidentTrigger => ({
    kind: 'FindingResolved',
    tenantId: TENANT,
    position: '42/7',
    resolved: { findingId: 'f-1', resourceKey: APP, guardrailId: 'web-app-without-authentication', assignmentId: 'core', resolution, causedBy: null },
  });
  const verify = (actionId: string): IncidentProcessCommand => ({
    stream: 'action',
    actionId,
    command: { kind: 'VerifyAction', evidence: 'finding f-1 (web-app-without-authentication) resolved as compliant at 42/7' },
  });

  it('verifies the actions that succeeded on the resource', () => {
    given(proposed('act-1', OWN), ...ran('act-1', 'webhook'), proposed('act-2', OWN), proposed('act-3', OWN, KEYS), ...ran('act-3', 'manual')).when(resolved()).then(verify('act-1'));
    expect(readsFor(resolved(), incidentProcess.initialState())).toEqual({ openIncidents: false, incidentIds: [], actionIds: [], actionsTargeting: APP });
  });

  it('verifies nothing twice, nothing a dry run did, and nothing for a resolution other than compliance', () => {
    given(proposed('act-1', OWN), ...ran('act-1', 'webhook'), { type: 'incidents.ActionVerified.v1', data: { actionId: 'act-1', evidence: 'earlier' } }).when(resolved()).then();
    given(proposed('act-1', OWN), ...ran('act-1', 'dry-run')).when(resolved()).then();
    given(proposed('act-1', OWN), ...ran('act-1', 'webhook')).when(resolved('exempted')).then();
    givenSuspended(proposed('act-1', OWN), ...ran('act-1', 'webhook')).when(resolved()).thenRejects('tenant-suspended');
  });
});
