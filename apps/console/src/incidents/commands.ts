// Running an incident command from a page: the domain's refusal in words (the known ones
// explained), a stale revision reloading the page, busy state and the outcome as a message. One
// place for the incident page and the approvals inbox.
import { useState } from 'react';
import { ApiError, describeError } from '../api/errors';
import { INCIDENT_MUTATIONS, type CommandMutation } from '../api/operations';
import { useApi } from '../session';

export type IncidentCommandName = keyof typeof INCIDENT_MUTATIONS;

export const INCIDENT_REJECTIONS: Record<string, string> = {
  'stale-revision': 'Someone changed this incident since you loaded it. It has been reloaded: check and try again.',
  'four-eyes-required': 'A destructive action needs a second person: someone other than who proposed it must approve it.',
  'action-not-awaiting-approval': 'This action is no longer waiting for approval.',
  'proposal-expired': "This proposal expired: it waited longer than the tenant's approval lifetime, and the resource may have changed since. Propose the action again if it is still needed.",
  'invalid-transition': 'The incident cannot take that step from where it is now.',
  'assignee-required': 'Say who takes it: their user id.',
  'assignee-too-long': 'That is not a user id: at most 320 characters.',
  'root-cause-required': 'Closing needs a real root cause and lessons learned.',
  'tenant-suspended': 'The tenant is suspended: open work can be wrapped up, but nothing new starts until it is reinstated.',
  'tenant-offboarded': 'The tenant was offboarded: its incidents take no more changes.',
};

/** A refusal as a person reads it: the explanation when the code is a known one, else the code and the domain's message. */
export const refusalText = (code: string, message: string | null | undefined, known: Readonly<Record<string, string>> = INCIDENT_REJECTIONS): string =>
  known[code] ?? `Refused (${code})${message ? `: ${message}` : ''}`;

export const useIncidentCommands = (reload: () => void) => {
  const { client } = useApi();
  const [message, setMessage] = useState<{ text: string; tone: 'success' | 'error' }>();
  const [busy, setBusy] = useState<string>();
  const run = async (command: IncidentCommandName, tenantId: string, input: Record<string, unknown>, done: string): Promise<boolean> => {
    setBusy(command);
    setMessage(undefined);
    try {
      const { result } = await client.request<CommandMutation>(INCIDENT_MUTATIONS[command], { input: { tenantId, ...input } });
      if (result.__typename === 'Rejection') {
        setMessage({ text: refusalText(result.code, result.message), tone: 'error' });
        if (result.code === 'stale-revision') reload();
        return false;
      }
      setMessage({ text: done, tone: 'success' });
      reload();
      return true;
    } catch (error) {
      setMessage({ text: error instanceof ApiError ? describeError(error) : (error as Error).message, tone: 'error' });
      return false;
    } finally {
      setBusy(undefined);
    }
  };
  return { run, message, busy };
};
