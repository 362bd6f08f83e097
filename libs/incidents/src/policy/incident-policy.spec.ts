import { givenWhenThen } from '@rampart/event-sourcing';
import type { IncidentPolicySet } from '../events';
import { DEFAULT_SLA_POLICY } from '../sla/sla';
import { DEFAULT_INCIDENT_POLICY, incidentPolicyDecider } from './incident-policy';

const given = givenWhenThen(incidentPolicyDecider);

describe("a tenant's incident policy", () => {
  it('changes SLA targets per severity, keeping the others', () => {
    given()
      .when({ kind: 'SetIncidentPolicy', sla: { critical: { acknowledgeMinutes: 5 } } })
      .then({
        type: 'incidents.IncidentPolicySet.v1',
        data: { ...DEFAULT_INCIDENT_POLICY, sla: { ...DEFAULT_SLA_POLICY, critical: { ...DEFAULT_SLA_POLICY.critical, acknowledgeMinutes: 5 } } },
      });
    given().when({ kind: 'SetIncidentPolicy', sla: { high: { acknowledgeMinutes: 600 } } }).thenRejects('invalid-sla'); // acknowledge after contain
    given().when({ kind: 'SetIncidentPolicy', sla: { high: { resolveMinutes: 0 } } }).thenRejects('invalid-sla');
    given().when({ kind: 'SetIncidentPolicy', sla: { urgent: {} } as never }).thenRejects('invalid-severity');
  });

  it('pre-approves only known, non-destructive actions', () => {
    const set: IncidentPolicySet = { type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, preApprovedActions: ['harden-configuration', 'rotate-secret'] } };
    given().when({ kind: 'SetIncidentPolicy', preApprovedActions: ['rotate-secret', 'harden-configuration'] }).then(set);
    given().when({ kind: 'SetIncidentPolicy', preApprovedActions: ['isolate-workload'] }).thenRejects('destructive-action-not-pre-approvable');
    given().when({ kind: 'SetIncidentPolicy', preApprovedActions: ['reboot-everything'] }).thenRejects('unknown-action-kind');
    given(set).when({ kind: 'SetIncidentPolicy', preApprovedActions: ['rotate-secret', 'harden-configuration'] }).then(); // nothing changed
  });

  it('bounds the correlation window', () => {
    given().when({ kind: 'SetIncidentPolicy', correlationWindowMinutes: 1 }).thenRejects('invalid-correlation-window');
    given()
      .when({ kind: 'SetIncidentPolicy', correlationWindowMinutes: 60 })
      .then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, correlationWindowMinutes: 60 } });
  });

  it('bounds how long a proposed action waits for approval, a day unless chosen', () => {
    expect(given().state().approvalExpiryMinutes).toBe(24 * 60);
    given()
      .when({ kind: 'SetIncidentPolicy', approvalExpiryMinutes: 240 })
      .then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, approvalExpiryMinutes: 240 } });
    given().when({ kind: 'SetIncidentPolicy', approvalExpiryMinutes: 4 }).thenRejects('invalid-approval-expiry');
    given().when({ kind: 'SetIncidentPolicy', approvalExpiryMinutes: 30 * 24 * 60 + 1 }).thenRejects('invalid-approval-expiry');
    given().when({ kind: 'SetIncidentPolicy', approvalExpiryMinutes: 90.5 }).thenRejects('invalid-approval-expiry');
  });

  it('reads a policy recorded before proposals expired as having the default lifetime', () => {
    const { approvalExpiryMinutes: _, ...withoutLifetime } = DEFAULT_INCIDENT_POLICY;
    const old: IncidentPolicySet = { type: 'incidents.IncidentPolicySet.v1', data: { ...withoutLifetime, correlationWindowMinutes: 60 } };
    expect(given(old).state()).toEqual({ ...DEFAULT_INCIDENT_POLICY, correlationWindowMinutes: 60 });
    // nothing changed: the default it was read with is not recorded as a change
    given(old).when({ kind: 'SetIncidentPolicy', correlationWindowMinutes: 60 }).then();
    given(old)
      .when({ kind: 'SetIncidentPolicy', approvalExpiryMinutes: 60 })
      .then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, correlationWindowMinutes: 60, approvalExpiryMinutes: 60 } });
  });

  it('names the finding severities that open an incident, once chosen', () => {
    given()
      .when({ kind: 'SetIncidentPolicy', findingSeverities: ['medium', 'critical', 'high', 'high'] })
      .then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, findingSeverities: ['critical', 'high', 'medium'] } });
    given().when({ kind: 'SetIncidentPolicy', findingSeverities: [] }).then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, findingSeverities: [] } });
    given().when({ kind: 'SetIncidentPolicy', findingSeverities: ['urgent' as never] }).thenRejects('invalid-severity');
    // a change of something else keeps the choice, and leaves it out while there is none
    const chosen: IncidentPolicySet = { type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, findingSeverities: ['critical'] } };
    given(chosen)
      .when({ kind: 'SetIncidentPolicy', correlationWindowMinutes: 60 })
      .then({ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, correlationWindowMinutes: 60, findingSeverities: ['critical'] } });
    expect('findingSeverities' in given().state()).toBe(false);
    given().when({ kind: 'SetIncidentPolicy', correlationWindowMinutes: 60 }).thenMatches((decision) => {
      expect(decision).toEqual([{ type: 'incidents.IncidentPolicySet.v1', data: { ...DEFAULT_INCIDENT_POLICY, correlationWindowMinutes: 60 } }]);
      expect('findingSeverities' in (decision as IncidentPolicySet[])[0].data).toBe(false);
    });
  });
});
