// The pieces every administration form shares: a mutation run with its busy state and its outcome
// in words (the domain's refusal, or what failed on the way), and the second step of a destructive
// action that names what goes.
import { useState, type ReactNode } from 'react';
import { ApiError, describeError } from '../api/errors';
import type { Refusable } from '../api/operations';
import { refusalText } from '../incidents/commands';
import { useApi } from '../session';
import { Field, LiveMessage } from './ui';

/** A mutation's outcome as the form shows it: done, refused by the domain, or failed on the way. */
export type Outcome = { readonly ok: true; readonly message: string } | { readonly ok: false; readonly message: string };

/** A domain refusal in words: its code and message, unless the form knows better for that code. */
export type RefusalWords = (code: string, message: string | null) => string;

const inWords: RefusalWords = (code, message) => refusalText(code, message, {});

/**
 * Runs a mutation for a form: busy state, the refusal or error in words, and what to do on success.
 * run() sends `{ input }`; send() the mutation's own variables.
 */
export const useSubmit = (refusalWords: RefusalWords = inWords) => {
  const { client } = useApi();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const send = async <T extends { result: Refusable<{ __typename: string }> }>(
    mutation: string,
    variables: Record<string, unknown>,
    onDone: (result: T['result']) => string,
  ): Promise<T['result'] | undefined> => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const { result } = await client.request<T>(mutation, variables);
      const refused = result.__typename === 'Rejection' ? refusalWords((result as { code: string }).code, (result as { message: string | null }).message) : undefined;
      setOutcome(refused ? { ok: false, message: refused } : { ok: true, message: onDone(result) });
      return refused ? undefined : result;
    } catch (error) {
      setOutcome({ ok: false, message: error instanceof ApiError ? describeError(error) : (error as Error).message });
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const run = <T extends { result: Refusable<{ __typename: string }> }>(mutation: string, input: Record<string, unknown>, onDone: (result: T['result']) => string) =>
    send<T>(mutation, { input }, onDone);
  return { busy, outcome, run, send, clear: () => setOutcome(undefined) };
};

export const OutcomeMessage = ({ outcome }: { outcome?: Outcome }) =>
  outcome ? <LiveMessage message={outcome.message} tone={outcome.ok ? 'success' : 'error'} /> : <LiveMessage />;

export const listOf = (text: string): string[] =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);


/** The second step of a destructive action: what goes, in words, and a button that names it. */
interface ConfirmProps {
  question: string;
  confirmLabel: string;
  busy: boolean;
  disabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  children?: ReactNode;
}

export const Confirm = ({ question, confirmLabel, busy, disabled, onConfirm, onCancel, children }: ConfirmProps) => (
  <div className="confirm" role="group" aria-label={confirmLabel}>
    <p className="small">{question}</p>
    {children}
    <div className="button-row">
      <button type="button" className="button button-small button-danger" disabled={busy || disabled} onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button button-small button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  </div>
);

/**
 * A table row's destructive action in its two steps: the button that starts it ("Revoke…"), then
 * the confirmation, with the reason it asks for when the change records one.
 */
export const ConfirmStep = ({
  confirming,
  startLabel,
  onStart,
  reason,
  ...confirm
}: ConfirmProps & {
  confirming: boolean;
  startLabel: ReactNode;
  onStart: () => void;
  reason?: { readonly id: string; readonly label: string; readonly value: string; readonly onChange: (value: string) => void };
}) =>
  confirming ? (
    <Confirm {...confirm} disabled={confirm.disabled || (reason !== undefined && !reason.value.trim())}>
      {reason ? (
        <Field id={reason.id} label={reason.label}>
          <input id={reason.id} value={reason.value} onChange={(e) => reason.onChange(e.target.value)} required />
        </Field>
      ) : null}
    </Confirm>
  ) : (
    <button type="button" className="button button-small" onClick={onStart}>
      {startLabel}
    </button>
  );
