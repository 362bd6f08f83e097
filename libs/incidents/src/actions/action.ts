// Response actions: the catalog of what the SOC can do to a resource, and each action's lifecycle,
// one stream per action (`t-<tenant>:action-<id>`): Proposed -> Approved -> Executing ->
// Succeeded | Failed (+ Cancelled), then Verified when a later evaluation shows the fix held.
// A failure whose effect is unknown (the call timed out, the worker died mid-call) is `uncertain`:
// the action is never sent again, and a person who checked with the receiver resolves it.
// A proposal waits for approval as long as the tenant's policy says (`approvalExpiryMinutes`), then
// it is Expired: approving a week-old destructive proposal would act on a resource that may have
// changed since, so whoever still wants it proposes it again, against the resource as it is now.
import { reject, streamIdFor, type Decider, type Decision, type RecordedEvent } from '@rampart/event-sourcing';
import type { ActionEvent, ActionProposed, ExecutorKind, Phase, RemediationVerb } from '../events';

export interface ActionKind {
  readonly id: string;
  readonly title: string;
  readonly verb: RemediationVerb;
  /** Destructive actions cut access or delete something: a second person must approve them. */
  readonly destructive: boolean;
  /** Parameters the executor needs, by name, with a description. */
  readonly parameters: Readonly<Record<string, string>>;
}

export const ACTION_CATALOG: readonly ActionKind[] = [
  { id: 'restrict-public-network-access', title: 'Restrict public network access', verb: 'Isolate', destructive: true, parameters: {} },
  { id: 'move-behind-private-endpoint', title: 'Move the API behind a private endpoint', verb: 'Isolate', destructive: true, parameters: { subnetId: 'subnet for the private endpoint' } },
  { id: 'enable-authentication', title: 'Enable authentication on the app or API', verb: 'Harden', destructive: false, parameters: { identityProvider: 'e.g. Microsoft Entra ID' } },
  { id: 'isolate-workload', title: 'Isolate the workload (deny-all network rule)', verb: 'Isolate', destructive: true, parameters: {} },
  { id: 'revoke-service-principal-credentials', title: "Revoke a service principal's credentials and tokens", verb: 'Evict', destructive: true, parameters: { servicePrincipalId: 'object id' } },
  { id: 'rotate-secret', title: 'Rotate the secret and enforce rotation', verb: 'Restore', destructive: false, parameters: { secretName: 'secret or key to rotate' } },
  { id: 'remove-privileged-role-assignment', title: 'Remove the privileged role assignment', verb: 'Evict', destructive: true, parameters: {} },
  { id: 'switch-guardrail-to-deny', title: 'Switch the guardrail to deny', verb: 'Harden', destructive: false, parameters: { guardrailId: 'guardrail to enforce' } },
  { id: 'harden-configuration', title: 'Apply the guardrail remediation to the resource', verb: 'Harden', destructive: false, parameters: {} },
];

export const actionKind = (id: string): ActionKind | undefined => ACTION_CATALOG.find((a) => a.id === id);

export type ActionStatus = 'proposed' | 'approved' | 'executing' | 'succeeded' | 'failed' | 'cancelled' | 'expired';

export type ResponseAction =
  | { readonly exists: false }
  | {
      readonly exists: true;
      readonly actionId: string;
      readonly status: ActionStatus;
      readonly destructive: boolean;
      readonly proposedBy: string;
      readonly idempotencyKey: string | null;
      readonly verified: boolean;
      /** Failed without knowing whether the receiver acted. */
      readonly uncertain: boolean;
      /** When the store recorded the proposal: its approval lifetime runs from here (null only for an event folded without its envelope). */
      readonly proposedAt: string | null;
      readonly expiredAt: string | null;
    };

export type ActionCommand =
  | {
      readonly kind: 'ProposeAction';
      readonly actionId: string;
      readonly incidentId: string;
      readonly actionKind: string;
      readonly phase: Phase;
      readonly target: string;
      readonly parameters?: Record<string, string>;
      readonly proposedBy: string;
      readonly playbookId?: string;
      /** The tenant's policy names this action kind as pre-approved (never honoured for destructive ones). */
      readonly preApproved?: boolean;
    }
  | {
      readonly kind: 'ApproveAction';
      readonly approvedBy: string;
      /** When the approval is given, and how long the tenant's policy lets a proposal wait for it. */
      readonly now: Date;
      readonly approvalExpiryMinutes: number;
    }
  | { readonly kind: 'StartExecution'; readonly executor: ExecutorKind; readonly idempotencyKey: string }
  | { readonly kind: 'RecordSuccess'; readonly outcome: string; readonly evidenceUri?: string }
  | { readonly kind: 'RecordFailure'; readonly reason: string; readonly uncertain?: boolean }
  | {
      readonly kind: 'ResolveUncertainOutcome';
      readonly outcome: 'succeeded' | 'failed';
      readonly note: string;
      readonly evidenceUri?: string;
      readonly resolvedBy: string;
    }
  | { readonly kind: 'CancelAction'; readonly reason: string }
  /** Records that a proposal outlived the tenant's approval lifetime (the worker's sweep). */
  | { readonly kind: 'ExpireAction'; readonly now: Date; readonly approvalExpiryMinutes: number }
  | { readonly kind: 'VerifyAction'; readonly evidence: string };

export const actionStreamId = (tenantId: string, actionId: string): string => streamIdFor(tenantId, 'action', actionId);

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * When a proposal stops waiting for approval: its recorded time plus the tenant's approval lifetime.
 * Undefined for a proposal folded without its envelope, which has no recorded time to count from.
 */
export const approvalExpiresAt = (proposedAt: string | null, approvalExpiryMinutes: number): Date | undefined => {
  const at = proposedAt === null ? NaN : Date.parse(proposedAt);
  return Number.isNaN(at) ? undefined : new Date(at + approvalExpiryMinutes * 60_000);
};

/** The time the store recorded an event: every event folded from the log carries its envelope. */
const recordedAtOf = (event: ActionEvent): string | null => (event as Partial<Pick<RecordedEvent, 'recordedAt'>>).recordedAt ?? null;

const expiredRejection = (expiredAt: string, minutes: number) =>
  reject('proposal-expired', `the proposal expired at ${expiredAt}, ${minutes} minutes after it was proposed, unapproved; propose it again if it is still needed`);

const decide = (cmd: ActionCommand, state: ResponseAction): Decision<ActionEvent> => {
  if (cmd.kind === 'ProposeAction') {
    if (state.exists) return reject('action-exists');
    if (!ID.test(cmd.actionId)) return reject('invalid-action-id');
    const kind = actionKind(cmd.actionKind);
    if (!kind) return reject('unknown-action-kind', `known: ${ACTION_CATALOG.map((a) => a.id).join(', ')}`);
    if (!cmd.target.trim()) return reject('target-required');
    const proposed: ActionProposed = {
      type: 'incidents.ActionProposed.v1',
      data: {
        actionId: cmd.actionId,
        incidentId: cmd.incidentId,
        actionKind: kind.id,
        verb: kind.verb,
        phase: cmd.phase,
        target: cmd.target,
        parameters: cmd.parameters ?? {},
        destructive: kind.destructive,
        proposedBy: cmd.proposedBy,
        playbookId: cmd.playbookId ?? null,
      },
    };
    if (cmd.preApproved && !kind.destructive) {
      return [proposed, { type: 'incidents.ActionApproved.v1', data: { actionId: cmd.actionId, approvedBy: 'tenant-policy', preApproved: true } }];
    }
    return [proposed];
  }
  if (!state.exists) return reject('unknown-action');
  const actionId = state.actionId;
  switch (cmd.kind) {
    case 'ApproveAction': {
      // Refused from the clock, not only once the sweep has recorded the expiry: a worker that is
      // behind (or stopped) must not let a stale proposal through.
      if (state.status === 'expired') return reject('proposal-expired', `the proposal expired at ${state.expiredAt ?? 'an unknown time'}, unapproved; propose it again if it is still needed`);
      if (state.status !== 'proposed') return reject('invalid-transition', `only proposed actions are approved; this one is ${state.status}`);
      const expiresAt = approvalExpiresAt(state.proposedAt, cmd.approvalExpiryMinutes);
      if (expiresAt && cmd.now.getTime() >= expiresAt.getTime()) return expiredRejection(expiresAt.toISOString(), cmd.approvalExpiryMinutes);
      if (state.destructive && cmd.approvedBy.trim().toLowerCase() === state.proposedBy.trim().toLowerCase()) {
        return reject('approver-must-differ', 'a destructive action needs a second person: the approver cannot be the requester');
      }
      return [{ type: 'incidents.ActionApproved.v1', data: { actionId, approvedBy: cmd.approvedBy, preApproved: false } }];
    }
    case 'ExpireAction': {
      if (state.status === 'expired') return [];
      if (state.status !== 'proposed') return reject('invalid-transition', `only a proposal waiting for approval expires; this one is ${state.status}`);
      const expiresAt = approvalExpiresAt(state.proposedAt, cmd.approvalExpiryMinutes);
      if (!expiresAt) return reject('proposal-time-unknown', 'the proposal was read without the time it was recorded');
      if (cmd.now.getTime() < expiresAt.getTime()) return reject('not-yet-expired', `it expires at ${expiresAt.toISOString()}`);
      return [{ type: 'incidents.ActionExpired.v1', data: { actionId, expiredAt: expiresAt.toISOString(), approvalExpiryMinutes: cmd.approvalExpiryMinutes } }];
    }
    case 'StartExecution':
      if (state.status !== 'approved') return reject('invalid-transition', `only approved actions execute; this one is ${state.status}`);
      if (!cmd.idempotencyKey) return reject('idempotency-key-required');
      return [{ type: 'incidents.ActionExecutionStarted.v1', data: { actionId, executor: cmd.executor, idempotencyKey: cmd.idempotencyKey } }];
    case 'RecordSuccess':
      if (state.status !== 'executing') return reject('invalid-transition', `only executing actions succeed; this one is ${state.status}`);
      return [{ type: 'incidents.ActionSucceeded.v1', data: { actionId, outcome: cmd.outcome.slice(0, 4_000), evidenceUri: cmd.evidenceUri ?? null } }];
    case 'RecordFailure':
      if (state.status !== 'executing') return reject('invalid-transition', `only executing actions fail; this one is ${state.status}`);
      return [{ type: 'incidents.ActionFailed.v1', data: { actionId, reason: cmd.reason.slice(0, 4_000), uncertain: cmd.uncertain === true } }];
    case 'ResolveUncertainOutcome':
      if (state.status !== 'failed' || !state.uncertain) {
        return reject('outcome-not-uncertain', `only a failure whose effect is unknown is resolved by hand; this action is ${state.status}${state.status === 'failed' ? ' with a known outcome' : ''}`);
      }
      if (!cmd.note.trim()) return reject('note-required', 'say how the outcome was established (e.g. the automation run id)');
      return [
        {
          type: 'incidents.ActionOutcomeResolved.v1',
          data: { actionId, outcome: cmd.outcome, note: cmd.note.trim().slice(0, 4_000), evidenceUri: cmd.evidenceUri ?? null, resolvedBy: cmd.resolvedBy },
        },
      ];
    case 'CancelAction':
      if (state.status !== 'proposed' && state.status !== 'approved') return reject('invalid-transition', `an action that ${state.status === 'executing' ? 'is executing' : 'ended'} cannot be cancelled`);
      if (!cmd.reason.trim()) return reject('reason-required');
      return [{ type: 'incidents.ActionCancelled.v1', data: { actionId, reason: cmd.reason.trim() } }];
    case 'VerifyAction':
      if (state.status !== 'succeeded') return reject('invalid-transition', 'only a succeeded action is verified');
      if (state.verified) return [];
      return [{ type: 'incidents.ActionVerified.v1', data: { actionId, evidence: cmd.evidence } }];
  }
};

const evolve = (state: ResponseAction, event: ActionEvent): ResponseAction => {
  if (event.type === 'incidents.ActionProposed.v1') {
    return {
      exists: true,
      actionId: event.data.actionId,
      status: 'proposed',
      destructive: event.data.destructive,
      proposedBy: event.data.proposedBy,
      idempotencyKey: null,
      verified: false,
      uncertain: false,
      proposedAt: recordedAtOf(event),
      expiredAt: null,
    };
  }
  if (!state.exists) return state;
  switch (event.type) {
    case 'incidents.ActionApproved.v1':
      return { ...state, status: 'approved' };
    case 'incidents.ActionExecutionStarted.v1':
      return { ...state, status: 'executing', idempotencyKey: event.data.idempotencyKey };
    case 'incidents.ActionSucceeded.v1':
      return { ...state, status: 'succeeded' };
    case 'incidents.ActionFailed.v1':
      return { ...state, status: 'failed', uncertain: event.data.uncertain === true };
    case 'incidents.ActionOutcomeResolved.v1':
      return { ...state, status: event.data.outcome, uncertain: false };
    case 'incidents.ActionCancelled.v1':
      return { ...state, status: 'cancelled' };
    case 'incidents.ActionExpired.v1':
      return { ...state, status: 'expired', expiredAt: event.data.expiredAt };
    case 'incidents.ActionVerified.v1':
      return { ...state, verified: true };
    default:
      return state;
  }
};

export const actionDecider: Decider<ActionCommand, ResponseAction, ActionEvent> = {
  decide,
  evolve,
  initialState: () => ({ exists: false }),
};
