// A tenant's incident policy, one stream per tenant (`t-<tenant>:incidents-policy`): its SLA targets
// per severity, the low-risk actions it pre-approves, how long signals on the same resource or
// entity keep joining an open incident, and which guardrail findings open an incident.
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import { actionKind } from '../actions/action';
import { DEFAULT_CORRELATION_WINDOW_MINUTES } from '../correlation/correlation';
import { SEVERITIES, type IncidentPolicy, type IncidentPolicySet, type Severity, type SlaPolicy } from '../events';
import { DEFAULT_SLA_POLICY } from '../sla/sla';

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  sla: DEFAULT_SLA_POLICY,
  preApprovedActions: [],
  correlationWindowMinutes: DEFAULT_CORRELATION_WINDOW_MINUTES,
};

/**
 * Until a tenant chooses: critical and high findings open incidents — what guardrails' default
 * reporting policy said when it made this choice, so a new tenant sees no change.
 */
export const DEFAULT_FINDING_SEVERITIES: readonly Severity[] = ['critical', 'high'];

/** Severities as a set in one order, most severe first. */
export const orderedSeverities = (list: readonly Severity[]): Severity[] => SEVERITIES.filter((s) => list.includes(s)).reverse();

export interface SetIncidentPolicy {
  readonly kind: 'SetIncidentPolicy';
  /** Targets to change, per severity; the others keep their current value. */
  readonly sla?: Partial<Record<Severity, Partial<SlaPolicy[Severity]>>>;
  readonly preApprovedActions?: readonly string[];
  readonly correlationWindowMinutes?: number;
  /** Severities of guardrail findings that open an incident (possibly none). */
  readonly findingSeverities?: readonly Severity[];
}

export const incidentPolicyStreamId = (tenantId: string): string => streamIdFor(tenantId, 'incidents', 'policy');

const MAX_MINUTES = 90 * 24 * 60;

const decide = (cmd: SetIncidentPolicy, state: IncidentPolicy): Decision<IncidentPolicySet> => {
  const sla = { ...state.sla } as Record<Severity, SlaPolicy[Severity]>;
  for (const [severity, targets] of Object.entries(cmd.sla ?? {})) {
    if (!SEVERITIES.includes(severity as Severity)) return reject('invalid-severity', `severities are ${SEVERITIES.join(', ')}`);
    const next = { ...sla[severity as Severity], ...targets };
    const values = [next.acknowledgeMinutes, next.containMinutes, next.resolveMinutes];
    if (!values.every((v) => Number.isInteger(v) && v >= 1 && v <= MAX_MINUTES)) return reject('invalid-sla', `targets are whole minutes from 1 to ${MAX_MINUTES}`);
    if (!(next.acknowledgeMinutes <= next.containMinutes && next.containMinutes <= next.resolveMinutes)) {
      return reject('invalid-sla', `${severity}: acknowledge <= contain <= resolve`);
    }
    sla[severity as Severity] = next;
  }
  const preApproved = [...new Set(cmd.preApprovedActions ?? state.preApprovedActions)];
  for (const id of preApproved) {
    const kind = actionKind(id);
    if (!kind) return reject('unknown-action-kind', id);
    if (kind.destructive) return reject('destructive-action-not-pre-approvable', `${id} cuts access or deletes: it always needs a person's approval`);
  }
  const window = cmd.correlationWindowMinutes ?? state.correlationWindowMinutes;
  if (!Number.isInteger(window) || window < 5 || window > 7 * 24 * 60) return reject('invalid-correlation-window', 'whole minutes from 5 to 10080 (a week)');
  if (cmd.findingSeverities && !cmd.findingSeverities.every((s) => SEVERITIES.includes(s))) return reject('invalid-severity', `severities are ${SEVERITIES.join(', ')}`);
  // Left out until the tenant chooses, so a policy recorded without a choice keeps saying so.
  const findingSeverities = cmd.findingSeverities ? orderedSeverities(cmd.findingSeverities) : state.findingSeverities;
  const next: IncidentPolicy = {
    sla,
    preApprovedActions: preApproved.sort(),
    correlationWindowMinutes: window,
    ...(findingSeverities ? { findingSeverities: [...findingSeverities] } : {}),
  };
  if (JSON.stringify(next) === JSON.stringify(state)) return [];
  return [{ type: 'incidents.IncidentPolicySet.v1', data: next }];
};

export const incidentPolicyDecider: Decider<SetIncidentPolicy, IncidentPolicy, IncidentPolicySet> = {
  decide,
  evolve: (_state, event) => event.data,
  initialState: () => DEFAULT_INCIDENT_POLICY,
};
