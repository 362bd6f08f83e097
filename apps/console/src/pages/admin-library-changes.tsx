// Four-eyes for the provider's library, on the library page: whether each change needs a second
// person (asking for it is immediate; turning it off is itself proposed), the changes waiting for
// one with what each would publish, approved or rejected here by another platform admin, and what
// became of the latest others. The API decides every step; a refusal is said next to the change.
import { useState } from 'react';
import type { QueryState } from '../api/hooks';
import {
  APPROVE_LIBRARY_CHANGE_MUTATION,
  REJECT_LIBRARY_CHANGE_MUTATION,
  SET_LIBRARY_POLICY_MUTATION,
  type LibraryChange,
  type LibraryChangeMutation,
  type LibraryChangesQuery,
  type SetLibraryPolicyMutation,
} from '../api/operations';
import {
  approvedMessage,
  artifactLine,
  changeOutcome,
  decidedChanges,
  libraryRefusal,
  policyLine,
  policySetMessage,
  publishedLines,
  reasonProblem,
  rejectedMessage,
  turningOffProposed,
  waitingChanges,
} from '../admin/library-changes';
import { isMe, type Me } from '../auth/roles';
import { ConfirmStep, OutcomeMessage, useSubmit } from '../components/forms';
import { Badge, ErrorPanel, LiveMessage, Loading } from '../components/ui';
import { formatDateTime } from '../format';
import { Link } from '../router/router';
import { useSignedIn } from '../session';

type Changes = QueryState<LibraryChangesQuery>;

export const LibraryPolicySection = ({ changes }: { changes: Changes }) => {
  const submit = useSubmit(libraryRefusal);
  const set = async (approvalRequired: boolean) => {
    const result = await submit.send<SetLibraryPolicyMutation>(SET_LIBRARY_POLICY_MUTATION, { approvalRequired }, (r) => (r.__typename === 'LibraryPolicyType' ? policySetMessage(r) : ''));
    if (result) changes.reload();
  };
  const data = changes.data;
  const offProposed = data ? turningOffProposed(data.libraryChanges) : undefined;
  return (
    <section className="panel" aria-labelledby="library-policy-title">
      <h2 id="library-policy-title">Library policy</h2>
      {changes.error ? (
        <ErrorPanel error={changes.error} onRetry={changes.reload} />
      ) : !data ? (
        <Loading what="the library policy" />
      ) : data.libraryPolicy.approvalRequired ? (
        <>
          <p>
            <Badge value="active" label="Second person required" prefix="Library policy" /> Each change of the library is proposed, and published only once another platform admin approves
            it; a proposal nobody approves in time expires.
          </p>
          {offProposed ? (
            <p className="small">
              Turning it off is proposed (change <code>{offProposed.changeId}</code>): it waits below for another platform admin.
            </p>
          ) : (
            <>
              <div className="button-row">
                <button type="button" className="button" disabled={submit.busy} onClick={() => void set(false)}>
                  Propose turning it off
                </button>
              </div>
              <p className="hint">Turning it off is a change like any other: it is proposed, and a second person stays required until another platform admin approves it.</p>
            </>
          )}
        </>
      ) : (
        <>
          <p>
            <Badge value="off" label="Published at once" prefix="Library policy" /> Each change of the library is published as soon as the admin who makes it records it.
          </p>
          <div className="button-row">
            <button type="button" className="button" disabled={submit.busy} onClick={() => void set(true)}>
              Require a second person
            </button>
          </div>
          <p className="hint">
            Takes effect at once: from then on each import is proposed, and published only once another platform admin approves it. Turning it off again needs a second person too.
          </p>
        </>
      )}
      <OutcomeMessage outcome={submit.outcome} />
    </section>
  );
};

const Publishes = ({ change }: { change: LibraryChange }) => {
  const policy = policyLine(change);
  return (
    <ul className="plain-list">
      {policy ? <li>{policy}</li> : null}
      {change.artifacts.map((a) => (
        <li key={`${a.kind}:${a.name}`} data-artifact={a.name}>
          {a.basis > 0 ? (
            // in the library already: its page shows the versions this one follows
            <>
              {a.action} {a.kind} <Link to={{ name: 'admin-library-artifact', kind: a.kind === 'initiative' ? 'initiative' : 'definition', artifact: a.name }}>{a.name}</Link> v{a.version}
            </>
          ) : (
            artifactLine(a)
          )}
          {a.reasons.length ? <span className="muted small block">{a.reasons.join('; ')}</span> : null}
        </li>
      ))}
    </ul>
  );
};

const WaitingChange = ({ change, me, onDecided }: { change: LibraryChange; me: Me; onDecided: (message: string) => void }) => {
  const submit = useSubmit(libraryRefusal);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string>();
  const mine = isMe(me, change.proposedBy);
  const id = change.changeId;

  const approve = async () => {
    setProblem(undefined);
    const result = await submit.send<LibraryChangeMutation>(APPROVE_LIBRARY_CHANGE_MUTATION, { changeId: id }, (r) => (r.__typename === 'LibraryChangeType' ? approvedMessage(r) : ''));
    if (result?.__typename === 'LibraryChangeType') onDecided(approvedMessage(result));
  };
  const reject = async () => {
    const invalid = reasonProblem(reason);
    setProblem(invalid);
    if (invalid) return;
    const result = await submit.run<LibraryChangeMutation>(REJECT_LIBRARY_CHANGE_MUTATION, { changeId: id, reason: reason.trim() }, (r) =>
      r.__typename === 'LibraryChangeType' ? rejectedMessage(r, mine) : '',
    );
    if (result?.__typename === 'LibraryChangeType') onDecided(rejectedMessage(result, mine));
  };

  return (
    <tr data-change={id}>
      <th scope="row" data-label="Change">
        <code>{id}</code>
        <span className="muted small block">
          proposed by {change.proposedBy}
          {mine ? ' (you)' : ''} on {formatDateTime(change.proposedAt)}
        </span>
      </th>
      <td data-label="Expires">{formatDateTime(change.expiresAt)}</td>
      <td data-label="What it publishes">
        <Publishes change={change} />
      </td>
      <td data-label="Decision">
        <div className="button-row">
          <button type="button" className="button button-small button-primary" disabled={submit.busy} onClick={() => void approve()} aria-label={`Approve change ${id}`}>
            Approve
          </button>
          <ConfirmStep
            confirming={rejecting}
            startLabel={mine ? 'Withdraw…' : 'Reject…'}
            onStart={() => setRejecting(true)}
            question={`${mine ? 'Withdraw' : 'Reject'} it? Nothing of it is published; the reason is kept in the provider's trail.`}
            confirmLabel={`${mine ? 'Withdraw' : 'Reject'} change ${id}`}
            busy={submit.busy}
            reason={{ id: `reject-${id}`, label: 'Why', value: reason, onChange: setReason }}
            onConfirm={() => void reject()}
            onCancel={() => {
              setRejecting(false);
              setProblem(undefined);
            }}
          />
        </div>
        {/* a decision's success is said by the section, as the row leaves the table */}
        {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome?.ok ? undefined : submit.outcome} />}
      </td>
    </tr>
  );
};

export const LibraryChangesSection = ({ changes, onPublished }: { changes: Changes; onPublished: () => void }) => {
  const { me } = useSignedIn();
  const [decided, setDecided] = useState<string>();
  const data = changes.data;
  const waiting = data ? waitingChanges(data.libraryChanges) : [];
  const history = data ? decidedChanges(data.libraryChanges) : [];
  const onDecided = (message: string) => {
    setDecided(message);
    changes.reload();
    onPublished();
  };
  return (
    <section className="panel" aria-labelledby="library-changes-title">
      <h2 id="library-changes-title">Changes waiting for a second person</h2>
      {changes.error ? null : !data ? (
        <Loading what="the proposed changes" />
      ) : waiting.length === 0 ? (
        <p className="empty">
          Nothing is waiting.{' '}
          {data.libraryPolicy.approvalRequired ? 'An import recorded here is proposed, and waits in this table for another platform admin.' : 'While no second person is required, nothing is proposed.'}
        </p>
      ) : (
        <>
          <p className="hint">Anyone with the library's permission but the proposer may approve: what it publishes is then recorded in the library, and tenants that follow those definitions adopt them.</p>
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Changes waiting for a second person</caption>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">Expires</th>
                  <th scope="col">What it publishes</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {waiting.map((change) => (
                  <WaitingChange key={change.changeId} change={change} me={me} onDecided={onDecided} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {decided ? <LiveMessage message={decided} tone="success" /> : <LiveMessage />}
      {history.length ? (
        <>
          <h3>Decided lately</h3>
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Decided library changes</caption>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">What it publishes</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Decided</th>
                </tr>
              </thead>
              <tbody>
                {history.map((change) => (
                  <tr key={change.changeId} data-change={change.changeId} data-status={change.expired ? 'expired' : change.status}>
                    <th scope="row" data-label="Change">
                      <code>{change.changeId}</code>
                      <span className="muted small block">
                        proposed by {change.proposedBy} on {formatDateTime(change.proposedAt)}
                      </span>
                    </th>
                    <td data-label="What it publishes">{publishedLines(change).join('; ')}</td>
                    <td data-label="Outcome">
                      <Badge value={change.status === 'applied' ? 'succeeded' : change.status === 'rejected' ? 'failed' : 'closed'} label={change.expired ? 'expired' : change.status} prefix="Status" />{' '}
                      {changeOutcome(change)}
                    </td>
                    <td data-label="Decided">
                      {change.decidedAt ? (
                        <>
                          {formatDateTime(change.decidedAt)}
                          {change.decidedBy ? <span className="muted small block">by {change.decidedBy}</span> : null}
                        </>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
};
