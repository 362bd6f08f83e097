// `rampart policy changes | approve | reject | approval`: four-eyes for the provider's policy
// library from the command line, through the same use cases as GraphQL. The CLI acts as the
// operating-system user (`cli:<name>`): a second person is a second account.
import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Stores } from '@rampart/runtime';
import { printTable } from '../table';

type WithStores = <T>(fn: (s: Stores) => Promise<T>) => Promise<T>;

const context = () => ({ actor: { kind: 'user' as const, id: `cli:${userInfo().username}` }, correlationId: randomUUID(), now: new Date() });
const STATUSES = ['proposed', 'approved', 'applied', 'rejected'];

const refused = (verb: string, rejection: { code: string; message?: string }) => {
  process.stderr.write(`rampart policy ${verb}: ${rejection.code}${rejection.message ? ` (${rejection.message})` : ''}\n`);
  process.exitCode = 1;
};

export const runLibraryChanges = async (options: { status?: string; json?: boolean }, withStores: WithStores): Promise<void> => {
  if (options.status && !STATUSES.includes(options.status)) {
    process.stderr.write(`rampart policy changes: --status is one of ${STATUSES.join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const { libraryChanges } = await import('@rampart/guardrails-application');
  await withStores(async ({ eventStore }) => {
    const changes = (await libraryChanges(eventStore)).filter((c) => !options.status || c.status === options.status);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
      return;
    }
    if (changes.length === 0) {
      process.stdout.write('no library change has been proposed\n');
      return;
    }
    printTable([
      ['change', 'status', 'proposed by', 'proposed at', 'decided by', 'what'],
      ...changes.map((c) => [
        c.changeId ?? '',
        c.expired ? 'expired' : c.status,
        c.proposedBy ?? '',
        c.proposedAt,
        c.decidedBy ?? '',
        [...c.artifacts.map((a) => `${a.action} ${a.kind} ${a.name} v${a.version}`), ...(c.policy ? [`approval ${c.policy.approvalRequired ? 'required' : 'off'}`] : [])].join('; '),
      ]),
    ]);
  });
};

export const runApproveLibraryChange = async (changeId: string, withStores: WithStores): Promise<void> => {
  const { approveLibraryChange } = await import('@rampart/guardrails-application');
  await withStores(async ({ eventStore }) => {
    const outcome = await approveLibraryChange(eventStore, changeId, context());
    if (!outcome.ok) return refused('approve', outcome.rejection);
    process.stdout.write(`approved change ${changeId}: ${outcome.change.recorded ?? 0} published in the library\n`);
  });
};

export const runRejectLibraryChange = async (changeId: string, reason: string, withStores: WithStores): Promise<void> => {
  const { rejectLibraryChange } = await import('@rampart/guardrails-application');
  await withStores(async ({ eventStore }) => {
    const outcome = await rejectLibraryChange(eventStore, changeId, reason, context());
    if (!outcome.ok) return refused('reject', outcome.rejection);
    process.stdout.write(`rejected change ${changeId}: nothing of it is published\n`);
  });
};

export const runLibraryApproval = async (setting: string | undefined, withStores: WithStores): Promise<void> => {
  if (setting !== undefined && setting !== 'required' && setting !== 'off') {
    process.stderr.write('rampart policy approval: the setting is `required` or `off`\n');
    process.exitCode = 2;
    return;
  }
  const { readLibraryPolicy, setLibraryPolicy } = await import('@rampart/guardrails-application');
  await withStores(async ({ eventStore }) => {
    if (setting === undefined) {
      const policy = await readLibraryPolicy(eventStore);
      process.stdout.write(policy.approvalRequired ? 'library changes need a second person\n' : 'library changes are published by whoever imports them\n');
      return;
    }
    const outcome = await setLibraryPolicy(eventStore, setting === 'required', context());
    if (!outcome.ok) return refused('approval', outcome.rejection);
    if (outcome.proposedChangeId) process.stdout.write(`proposed as change ${outcome.proposedChangeId}: approval stays required until someone else approves turning it off\n`);
    else process.stdout.write(outcome.policy.approvalRequired ? 'library changes need a second person from now on\n' : 'library changes are published by whoever imports them\n');
  });
};
