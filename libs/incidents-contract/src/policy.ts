// A tenant's incident policy as its published event records it (`t-<tenant>:incidents-policy`): SLA
// targets per severity, the action kinds it pre-approves, the correlation window, which guardrail
// findings open an incident, and how long a proposed action waits for approval.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';
import type { Severity } from './events';

export type SlaPolicy = Readonly<Record<Severity, { readonly acknowledgeMinutes: number; readonly containMinutes: number; readonly resolveMinutes: number }>>;

export interface IncidentPolicy {
  readonly sla: SlaPolicy;
  /** Non-destructive action kinds proposed as already approved (by the tenant's policy, recorded as such). */
  readonly preApprovedActions: readonly string[];
  readonly correlationWindowMinutes: number;
  /**
   * Severities of guardrail findings that open (or join) an incident. Absent until the tenant first
   * chooses (every policy recorded before incidents decided this itself lacks it): until then the
   * choice the tenant recorded in guardrails' reporting policy holds, or the default.
   */
  readonly findingSeverities?: readonly Severity[];
  /**
   * How long a proposed response action waits for approval before it expires, in minutes. Absent in
   * every policy recorded before proposals expired: the default (24 h) holds for it.
   */
  readonly approvalExpiryMinutes?: number;
}

export type IncidentPolicySet = DomainEvent<'incidents.IncidentPolicySet.v1', IncidentPolicy>;

export const isIncidentPolicySet = eventGuard<IncidentPolicySet>('incidents.IncidentPolicySet.v1');
