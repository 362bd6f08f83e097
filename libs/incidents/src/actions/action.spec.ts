import { givenWhenThen } from '@rampart/event-sourcing';
import type { ActionEvent } from '../events';
import { actionDecider, type ActionCommand } from './action';

const given = givenWhenThen(actionDecider);
const PROPOSED_AT = Date.parse('2026-12-01T10:00:00.000Z');
const HOUR = 60 * 60_000;
/** An event as the log hands it to the decider: with the time the store recorded it. */
const recorded = (event: ActionEvent, at: number): ActionEvent => Object.assign({}, event, { recordedAt: new Date(at).toISOString() });
const target = '/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app';
const propose = (over: Partial<Extract<ActionCommand, { kind: 'ProposeAction' }>> = {}): ActionCommand => ({
  kind: 'ProposeAction',
  actionId: 'act-1',
  incidentId: 'inc-1',
  actionKind: 'restrict-public-network-access',
  phase: 'respond',
  target,
  proposedBy: 'ana@soc.example',
  playbookId: 'restrict-public-api',
  ...over,
});
const proposed: ActionEvent = {
  type: 'incidents.ActionProposed.v1',
  data: {
    actionId: 'act-1',
    incidentId: 'inc-1',
    actionKind: 'restrict-public-network-access',
    verb: 'Isolate',
    phase: 'respond',
    target,
    parameters: {},
    destructive: true,
    proposedBy: 'ana@soc.example',
    playbookId: 'restrict-public-api',
  },
};
/** Approving at `now` under the tenant's approval lifetime (a day unless said). */
const approve = (approvedBy: string, now = PROPOSED_AT + HOUR, approvalExpiryMinutes = 1440): ActionCommand => ({
  kind: 'ApproveAction',
  approvedBy,
  now: new Date(now),
  approvalExpiryMinutes,
});
const approved: ActionEvent = { type: 'incidents.ActionApproved.v1', data: { actionId: 'act-1', approvedBy: 'lead@soc.example', preApproved: false } };
const started: ActionEvent = { type: 'incidents.ActionExecutionStarted.v1', data: { actionId: 'act-1', executor: 'webhook', idempotencyKey: 'act-1:1' } };
const succeeded: ActionEvent = { type: 'incidents.ActionSucceeded.v1', data: { actionId: 'act-1', outcome: '202 Accepted', evidenceUri: null } };

describe('a response action', () => {
  it('is proposed from the catalog, with its OCSF verb and whether it is destructive', () => {
    given().when(propose()).then(proposed);
    given().when(propose({ actionKind: 'format-the-disk' })).thenRejects('unknown-action-kind');
    given().when(propose({ target: ' ' })).thenRejects('target-required');
    given(proposed).when(propose()).thenRejects('action-exists');
  });

  it('needs a second person to approve a destructive action', () => {
    given(proposed).when(approve('ANA@soc.example')).thenRejects('approver-must-differ');
    given(proposed).when(approve('lead@soc.example')).then(approved);
    given(proposed, approved).when(approve('x@soc.example')).thenRejects('invalid-transition');
  });

  it('is approved by the tenant policy when pre-approved, unless destructive', () => {
    given()
      .when(propose({ actionKind: 'rotate-secret', preApproved: true }))
      .thenMatches((decision) => expect(decision).toEqual([expect.objectContaining({ type: 'incidents.ActionProposed.v1' }), { type: 'incidents.ActionApproved.v1', data: { actionId: 'act-1', approvedBy: 'tenant-policy', preApproved: true } }]));
    given().when(propose({ preApproved: true })).then(proposed); // destructive: still needs a person
    given(
      { ...proposed, data: { ...proposed.data, actionKind: 'rotate-secret', verb: 'Restore', destructive: false } } as ActionEvent,
    ).when(approve('ana@soc.example')).then({ type: 'incidents.ActionApproved.v1', data: { actionId: 'act-1', approvedBy: 'ana@soc.example', preApproved: false } });
  });

  it('executes once approved, then succeeds or fails, and is verified when the fix held', () => {
    given(proposed).when({ kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'act-1:1' }).thenRejects('invalid-transition');
    given(proposed, approved).when({ kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'act-1:1' }).then(started);
    given(proposed, approved, started).when({ kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'act-1:2' }).thenRejects('invalid-transition');
    given(proposed, approved, started).when({ kind: 'RecordSuccess', outcome: '202 Accepted' }).then(succeeded);
    given(proposed, approved, started).when({ kind: 'RecordFailure', reason: 'timeout' }).then({ type: 'incidents.ActionFailed.v1', data: { actionId: 'act-1', reason: 'timeout', uncertain: false } });
    given(proposed, approved).when({ kind: 'RecordSuccess', outcome: 'x' }).thenRejects('invalid-transition');
    const verified: ActionEvent = { type: 'incidents.ActionVerified.v1', data: { actionId: 'act-1', evidence: 'compliant at 12/3' } };
    given(proposed, approved, started, succeeded).when({ kind: 'VerifyAction', evidence: 'compliant at 12/3' }).then(verified);
    given(proposed, approved, started, succeeded, verified).when({ kind: 'VerifyAction', evidence: 'again' }).then();
    given(proposed, approved, started).when({ kind: 'VerifyAction', evidence: 'x' }).thenRejects('invalid-transition');
  });

  it('is cancelled only before it runs, with a reason', () => {
    given(proposed).when({ kind: 'CancelAction', reason: 'not needed' }).then({ type: 'incidents.ActionCancelled.v1', data: { actionId: 'act-1', reason: 'not needed' } });
    given(proposed, approved).when({ kind: 'CancelAction', reason: '' }).thenRejects('reason-required');
    given(proposed, approved, started).when({ kind: 'CancelAction', reason: 'stop' }).thenRejects('invalid-transition');
    given().when({ kind: 'CancelAction', reason: 'x' }).thenRejects('unknown-action');
  });

  it("expires when nobody approves it within the tenant's approval lifetime, judged from the clock before anything is recorded", () => {
    const waiting = recorded(proposed, PROPOSED_AT);
    // a minute before the day is up it is approved; at the end of the day it is refused, naming when
    given(waiting).when(approve('lead@soc.example', PROPOSED_AT + 24 * HOUR - 60_000)).then(approved);
    given(waiting)
      .when(approve('lead@soc.example', PROPOSED_AT + 24 * HOUR))
      .thenMatches((decision) => expect(decision).toEqual({ rejected: true, code: 'proposal-expired', message: expect.stringContaining('expired at 2026-12-02T10:00:00.000Z') }));
    // the lifetime is the tenant's: a shorter one expires it sooner
    given(waiting).when(approve('lead@soc.example', PROPOSED_AT + 2 * HOUR, 60)).thenRejects('proposal-expired');
  });

  it('records the expiry at the moment the lifetime ran out, once, and only for a proposal still waiting', () => {
    const waiting = recorded(proposed, PROPOSED_AT);
    const expire = (now: number, approvalExpiryMinutes = 1440): ActionCommand => ({ kind: 'ExpireAction', now: new Date(now), approvalExpiryMinutes });
    const expired: ActionEvent = { type: 'incidents.ActionExpired.v1', data: { actionId: 'act-1', expiredAt: '2026-12-02T10:00:00.000Z', approvalExpiryMinutes: 1440 } };
    // noticed three hours late, it still says when it expired
    given(waiting).when(expire(PROPOSED_AT + 27 * HOUR)).then(expired);
    given(waiting).when(expire(PROPOSED_AT + 23 * HOUR)).thenRejects('not-yet-expired');
    given(waiting, expired).when(expire(PROPOSED_AT + 30 * HOUR)).then(); // a second sweep records nothing
    given(waiting, approved).when(expire(PROPOSED_AT + 30 * HOUR)).thenRejects('invalid-transition');
    given(proposed).when(expire(PROPOSED_AT + 30 * HOUR)).thenRejects('proposal-time-unknown'); // no envelope, no time to count from
    // expired is the end, like cancelled: not approved (even under a lifetime lengthened since), executed or cancelled
    given(waiting, expired)
      .when(approve('lead@soc.example', PROPOSED_AT + 30 * HOUR, 30 * 1440))
      .thenMatches((decision) => expect(decision).toEqual({ rejected: true, code: 'proposal-expired', message: expect.stringContaining('expired at 2026-12-02T10:00:00.000Z') }));
    given(waiting, expired).when({ kind: 'StartExecution', executor: 'webhook', idempotencyKey: 'act-1:1' }).thenRejects('invalid-transition');
    given(waiting, expired).when({ kind: 'CancelAction', reason: 'stale' }).thenRejects('invalid-transition');
    // proposing it again is a new action, with an id of its own
    given(waiting, expired).when(propose()).thenRejects('action-exists');
  });

  it('is resolved by a person when its failure left unknown whether the receiver acted', () => {
    const uncertain: ActionEvent = { type: 'incidents.ActionFailed.v1', data: { actionId: 'act-1', reason: 'interrupted: the worker stopped during the call', uncertain: true } };
    const known: ActionEvent = { type: 'incidents.ActionFailed.v1', data: { actionId: 'act-1', reason: '400 Bad Request', uncertain: false } };
    const resolve = (outcome: 'succeeded' | 'failed', note = 'Logic App run 0858 restricted access'): ActionCommand => ({
      kind: 'ResolveUncertainOutcome',
      outcome,
      note,
      evidenceUri: 'https://portal.azure.com/runs/0858',
      resolvedBy: 'lead@soc.example',
    });
    given(proposed, approved, started)
      .when({ kind: 'RecordFailure', reason: 'interrupted: the worker stopped during the call', uncertain: true })
      .then(uncertain);
    const resolvedOk: ActionEvent = {
      type: 'incidents.ActionOutcomeResolved.v1',
      data: { actionId: 'act-1', outcome: 'succeeded', note: 'Logic App run 0858 restricted access', evidenceUri: 'https://portal.azure.com/runs/0858', resolvedBy: 'lead@soc.example' },
    };
    given(proposed, approved, started, uncertain).when(resolve('succeeded')).then(resolvedOk);
    given(proposed, approved, started, uncertain).when(resolve('failed', '  ')).thenRejects('note-required');
    // resolved once; a known failure or a success has nothing to resolve
    given(proposed, approved, started, uncertain, resolvedOk).when(resolve('failed')).thenRejects('outcome-not-uncertain');
    given(proposed, approved, started, known).when(resolve('succeeded')).thenRejects('outcome-not-uncertain');
    given(proposed, approved, started, succeeded).when(resolve('succeeded')).thenRejects('outcome-not-uncertain');
    // resolved as succeeded, the action can be verified like any other success
    given(proposed, approved, started, uncertain, resolvedOk)
      .when({ kind: 'VerifyAction', evidence: 'compliant at 12/3' })
      .then({ type: 'incidents.ActionVerified.v1', data: { actionId: 'act-1', evidence: 'compliant at 12/3' } });
    const resolvedFailed: ActionEvent = { type: 'incidents.ActionOutcomeResolved.v1', data: { ...(resolvedOk.data as object), outcome: 'failed' } } as ActionEvent;
    given(proposed, approved, started, uncertain, resolvedFailed).when({ kind: 'VerifyAction', evidence: 'x' }).thenRejects('invalid-transition');
  });
});
