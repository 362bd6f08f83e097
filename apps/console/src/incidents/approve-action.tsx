// Approving a response action, the same on the incident page and in the approvals inbox: nobody
// approves their own destructive proposal (the API refuses it; the console says why instead of
// offering a button that fails), and a destructive action is approved only after a second,
// explicit step that names its target.
import { useState } from 'react';
import { isMe, offers, type Me } from '../auth/roles';
import { resourceName } from '../format';

export interface ApprovableAction {
  readonly actionId: string;
  readonly actionKind: string;
  readonly target: string;
  readonly destructive: boolean;
  readonly status: string;
  readonly proposedBy: string;
  /** When the proposal expires unapproved, where the page knows it (the approvals inbox). */
  readonly expiresAt?: string;
}

/** Why this person sees no Approve button for the action, or undefined when they may approve it. */
export const approvalBlockedBecause = (me: Me, tenantId: string, action: ApprovableAction, now = Date.now()): string | undefined => {
  if (action.status !== 'proposed') return 'it is not waiting for approval';
  // The page was open past the proposal's lifetime: the API would refuse it (proposal-expired).
  if (action.expiresAt && Date.parse(action.expiresAt) <= now) return 'it expired unapproved: propose it again if it is still needed';
  if (!offers(me, 'approveActions', tenantId)) {
    return `waiting for approval by a SOC lead or the customer's admin${action.destructive ? ' (destructive: someone other than who proposed it)' : ''}`;
  }
  if (action.destructive && isMe(me, action.proposedBy)) return 'you proposed this destructive action: another person must approve it (four-eyes rule)';
  return undefined;
};

export const ApproveAction = ({
  me,
  tenantId,
  action,
  busy,
  onApprove,
}: {
  me: Me;
  tenantId: string;
  action: ApprovableAction;
  busy: boolean;
  onApprove: () => Promise<boolean>;
}) => {
  const [confirming, setConfirming] = useState(false);
  const [checked, setChecked] = useState(false);
  if (action.status !== 'proposed') return null;
  const blocked = approvalBlockedBecause(me, tenantId, action);
  const target = resourceName(action.target);
  const label = `${action.actionKind} on ${target}`;
  if (blocked) {
    return (
      <p className="small muted approval-blocked">
        {blocked.charAt(0).toUpperCase()}
        {blocked.slice(1)}.
      </p>
    );
  }
  if (!confirming) {
    return (
      <button type="button" className="button button-primary" disabled={busy} onClick={() => setConfirming(true)} aria-label={`Approve ${label}`}>
        Approve
      </button>
    );
  }
  const approve = async () => {
    if (await onApprove()) setConfirming(false);
  };
  return (
    <div className="confirm" role="group" aria-label={`Confirm approving ${label}`}>
      <p className="small">
        {action.destructive
          ? `Destructive: ${action.actionKind} acts on ${action.target} as soon as a worker picks it up.`
          : `${action.actionKind} runs on ${action.target} as soon as a worker picks it up.`}
      </p>
      {action.destructive ? (
        <label className="checkbox">
          <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} /> I have checked the target, {target}
        </label>
      ) : null}
      <div className="button-row">
        <button type="button" className="button button-small button-danger" disabled={busy || (action.destructive && !checked)} onClick={approve}>
          Confirm: approve {label}
        </button>
        <button type="button" className="button button-small button-quiet" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
};
