// Response actions' published events, one stream per action (`t-<tenant>:action-<id>`): Proposed ->
// Approved -> ExecutionStarted -> Succeeded | Failed (+ Cancelled, Expired, OutcomeResolved), then Verified.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';

/** OCSF Remediation Activity verbs (class 7001 activity names). */
export type RemediationVerb = 'Isolate' | 'Evict' | 'Restore' | 'Harden';
export type Phase = 'respond' | 'remediate' | 'recover';
export type ExecutorKind = 'webhook' | 'manual' | 'dry-run';

type ActionData<T> = T & { actionId: string };
export type ActionProposed = DomainEvent<
  'incidents.ActionProposed.v1',
  ActionData<{
    incidentId: string;
    actionKind: string;
    verb: RemediationVerb;
    phase: Phase;
    target: string;
    parameters: Record<string, string>;
    destructive: boolean;
    proposedBy: string;
    playbookId: string | null;
  }>
>;
export type ActionApproved = DomainEvent<'incidents.ActionApproved.v1', ActionData<{ approvedBy: string; preApproved: boolean }>>;
export type ActionExecutionStarted = DomainEvent<'incidents.ActionExecutionStarted.v1', ActionData<{ executor: ExecutorKind; idempotencyKey: string }>>;
export type ActionSucceeded = DomainEvent<'incidents.ActionSucceeded.v1', ActionData<{ outcome: string; evidenceUri: string | null }>>;
/** `uncertain`: the receiver may have acted (no answer, interrupted call); a person resolves it. */
export type ActionFailed = DomainEvent<'incidents.ActionFailed.v1', ActionData<{ reason: string; uncertain?: boolean }>>;
/** A person checked with the receiver what an uncertain failure really did. */
export type ActionOutcomeResolved = DomainEvent<
  'incidents.ActionOutcomeResolved.v1',
  ActionData<{ outcome: 'succeeded' | 'failed'; note: string; evidenceUri: string | null; resolvedBy: string }>
>;
export type ActionCancelled = DomainEvent<'incidents.ActionCancelled.v1', ActionData<{ reason: string }>>;
/**
 * Nobody approved the proposal within the tenant's approval lifetime: it ends unapproved. `expiredAt`
 * is when the lifetime ran out (not when a worker noticed), `approvalExpiryMinutes` the lifetime applied.
 */
export type ActionExpired = DomainEvent<'incidents.ActionExpired.v1', ActionData<{ expiredAt: string; approvalExpiryMinutes: number }>>;
/** The fix held: a later evaluation showed the target compliant (the loop closes). */
export type ActionVerified = DomainEvent<'incidents.ActionVerified.v1', ActionData<{ evidence: string }>>;

export type ActionEvent =
  | ActionProposed
  | ActionApproved
  | ActionExecutionStarted
  | ActionSucceeded
  | ActionFailed
  | ActionOutcomeResolved
  | ActionCancelled
  | ActionExpired
  | ActionVerified;

export const ACTION_EVENT_TYPES: readonly ActionEvent['type'][] = [
  'incidents.ActionProposed.v1',
  'incidents.ActionApproved.v1',
  'incidents.ActionExecutionStarted.v1',
  'incidents.ActionSucceeded.v1',
  'incidents.ActionFailed.v1',
  'incidents.ActionOutcomeResolved.v1',
  'incidents.ActionCancelled.v1',
  'incidents.ActionExpired.v1',
  'incidents.ActionVerified.v1',
];

/** What audit (and any context that follows responses) reads of an action's life. */
export const isActionEvent = eventGuard<ActionEvent>(...ACTION_EVENT_TYPES);
