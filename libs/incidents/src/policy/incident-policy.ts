// A tenant's incident policy, one stream per tenant (`t-<tenant>:incidents-policy`): its SLA targets
// per severity, the low-risk actions it pre-approves, how long signals on the same resource or
// entity keep joining an open incident, which guardrail findings open an incident, and how long a
// proposed response action waits for approval before it expires.
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import { actionKind } from '../actions/action';
import { DEFAULT_CORRELATION_WINDOW_MINUTES } from '../correlation/correlation';
import { SEVERITIES, type IncidentPolicy, type IncidentPolicySet, type Severity, type SlaPolicy } from '../events';
import { DEFAULT_SLA_POLICY } from '../sla/sla';

/**
 * A day: a proposal nobody looked at in a day was proposed against a resource that may have changed
 * since, and a SOC working shifts has had three chances to decide it.
 */
export const DEFAULT_APPROVAL_EXPIRY_MINUTES = 24 * 60;
/** Bounds of the approval lifetime: long enough to reach a second person, short enough to still be true. */
export const MIN_APPROVAL_EXPIRY_MINUTES = 5;
export const MAX_APPROVAL_EXPIRY_MINUTES = 30 * 24 * 60;

export const DEFAULT_INCIDENT_POLICY: IncidentPolicy = {
  sla: DEFAULT_SLA_POLICY,
  preApprovedActions: [],
  correlationWindowMinutes: DEFAULT_CORRELATION_WINDOW_MINUTES,
  approvalExpiryMinutes: DEFAULT_APPROVAL_EXPIRY_MINUTES,
};

/** How long the tenant's proposals wait for approval (a policy recorded before proposals expired: the default). */
export const approvalExpiryMinutesOf = (policy: Pick<IncidentPolicy, 'approvalExpiryMinutes'>): number => policy.approvalExpiryMinutes ?? DEFAULT_APPROVAL_EXPIRY_MINUTES;

/** A policy as its event recorded it, with what an older event lacks filled in by its default. */
export const incidentPolicyFrom = (recorded: IncidentPolicy): IncidentPolicy =>
  recorded.approvalExpiryMinutes === undefined ? { ...recorded, approvalExpiryMinutes: DEFAULT_APPROVAL_EXPIRY_MINUTES } : recorded;

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
  /** How long a proposed response action waits for approval before it expires. */
  readonly approvalExpiryMinutes?: number;
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
  const approvalExpiry = cmd.approvalExpiryMinutes ?? approvalExpiryMinutesOf(state);
  if (!Number.isInteger(approvalExpiry) || approvalExpiry < MIN_APPROVAL_EXPIRY_MINUTES || approvalExpiry > MAX_APPROVAL_EXPIRY_MINUTES) {
    return reject('invalid-approval-expiry', `whole minutes from ${MIN_APPROVAL_EXPIRY_MINUTES} to ${MAX_APPROVAL_EXPIRY_MINUTES} (30 days)`);
  }
  if (cmd.findingSeverities && !cmd.findingSeverities.every((s) => SEVERITIES.includes(s))) return reject('invalid-severity', `severities are ${SEVERITIES.join(', ')}`);
  // Left out until the tenant chooses, so a policy recorded without a choice keeps saying so.
  const findingSeverities = cmd.findingSeverities ? orderedSeverities(cmd.findingSeverities) : state.findingSeverities;
  const next: IncidentPolicy = {
    sla,
    preApprovedActions: preApproved.sort(),
    correlationWindowMinutes: window,
    ...(findingSeverities ? { findingSeverities: [...findingSeverities] } : {}),
    approvalExpiryMinutes: approvalExpiry,
  };
  if (JSON.stringify(next) === JSON.stringify(state)) return [];
  return [{ type: 'incidents.IncidentPolicySet.v1', data: next }];
};

export const incidentPolicyDecider: Decider<SetIncidentPolicy, IncidentPolicy, IncidentPolicySet> = {
  decide,
  evolve: (_state, event) => incidentPolicyFrom(event.data),
  initialState: () => DEFAULT_INCIDENT_POLICY,
};
