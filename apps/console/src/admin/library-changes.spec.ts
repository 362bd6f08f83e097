import type { LibraryChange } from '../api/operations';
import {
  approvedMessage,
  changeOutcome,
  decidedChanges,
  importOutcome,
  libraryRefusal,
  policySetMessage,
  publishedLines,
  reasonProblem,
  rejectedMessage,
  turningOffProposed,
  waitingChanges,
} from './library-changes';
import { tenantLibrary } from './library-scope';

const change = (over: Partial<LibraryChange> & Pick<LibraryChange, 'changeId'>): LibraryChange => ({
  status: 'proposed',
  expired: false,
  proposedBy: 'admin@rampart.example',
  proposedAt: '2026-12-08T09:00:00.000Z',
  expiresAt: '2026-12-15T09:00:00.000Z',
  decidedBy: null,
  decidedAt: null,
  reason: null,
  recorded: null,
  approvalRequired: null,
  artifacts: [{ kind: 'definition', action: 'change', name: 'Deny-Sql-minTLS', version: 3, basis: 2, reasons: ['content changed since version 2'], source: 'policyDefinitions/Deny-Sql-minTLS.json' }],
  ...over,
});

describe('the changes waiting for a second person', () => {
  const older = change({ changeId: 'c1', proposedAt: '2026-12-08T08:00:00.000Z' });
  const newer = change({ changeId: 'c2', proposedAt: '2026-12-08T10:00:00.000Z' });
  const expired = change({ changeId: 'c3', expired: true, expiresAt: '2026-12-08T09:30:00.000Z' });
  const applied = change({ changeId: 'c4', status: 'applied', decidedAt: '2026-12-08T11:00:00.000Z', decidedBy: 'second@rampart.example', recorded: 1 });
  const rejected = change({ changeId: 'c5', status: 'rejected', decidedAt: '2026-12-08T12:00:00.000Z', reason: 'not before the audit' });

  it('are the proposals not past their expiry, the oldest first', () => {
    expect(waitingChanges([newer, applied, expired, older, rejected]).map((c) => c.changeId)).toEqual(['c1', 'c2']);
  });

  it('leave the others to a short history, newest decision first, expired ones by their expiry', () => {
    expect(decidedChanges([newer, applied, expired, older, rejected]).map((c) => c.changeId)).toEqual(['c5', 'c4', 'c3']);
    expect(decidedChanges([applied, rejected, expired], 2).map((c) => c.changeId)).toEqual(['c5', 'c4']);
  });

  it('say what each publishes, artifact by artifact, or the library policy it sets', () => {
    expect(publishedLines(older)).toEqual(['change definition Deny-Sql-minTLS v3']);
    expect(publishedLines(change({ changeId: 'p', artifacts: [], approvalRequired: false }))).toEqual(['stop requiring a second person for library changes']);
  });

  it('say what became of a decided change', () => {
    expect(changeOutcome(applied)).toBe('published 1 of 1');
    expect(changeOutcome({ ...applied, recorded: 0 })).toBe('published 0 of 1 (the rest the library held already)');
    expect(changeOutcome(change({ changeId: 'p', status: 'applied', artifacts: [], approvalRequired: false }))).toBe('approved and in force');
    expect(changeOutcome(rejected)).toBe('rejected: not before the audit');
    expect(changeOutcome(expired)).toBe('expired unapproved on 2026-12-08 09:30 UTC');
    expect(changeOutcome({ ...applied, status: 'approved' })).toBe('approved, being published');
  });

  it('knows when turning approval off is proposed already', () => {
    const off = change({ changeId: 'off', artifacts: [], approvalRequired: false });
    expect(turningOffProposed([older, off])?.changeId).toBe('off');
    expect(turningOffProposed([older, { ...off, expired: true }])).toBeUndefined();
  });

  it('say what was decided', () => {
    expect(approvedMessage({ ...applied, recorded: 1 })).toBe('Change c4 approved and published: 1 new version in the library; tenants that follow them adopt them.');
    expect(approvedMessage(change({ changeId: 'off', status: 'applied', artifacts: [], approvalRequired: false }))).toBe('Change off approved: library changes no longer need a second person.');
    expect(rejectedMessage(rejected, false)).toBe('Change c5 rejected: nothing of it was published.');
    expect(rejectedMessage(rejected, true)).toBe('Change c5 withdrawn: nothing of it was published.');
  });
});

describe('refusals and reasons', () => {
  it('explains the refusals of the four-eyes rule and of a retirement', () => {
    expect(libraryRefusal('approver-must-differ', 'a library change needs a second person: the approver cannot be the proposer')).toBe('You proposed it: someone else approves it.');
    expect(libraryRefusal('library-changed', 'the library changed since it was proposed (definition Deny-Sql-minTLS): propose it again')).toBe(
      'Not published: the library changed since it was proposed (definition Deny-Sql-minTLS): propose it again. Import the folder again to propose it anew.',
    );
    expect(libraryRefusal('held-by-initiative', 'the initiatives Storage hold Deny-Storage: retire them first, or publish them without it')).toBe(
      'Not retired: the initiatives Storage hold Deny-Storage: retire them first, or publish them without it.',
    );
    expect(libraryRefusal('unknown-change', 'no change x')).toBe('Refused (unknown-change): no change x');
  });

  it('checks a reason as the API bounds it', () => {
    expect(reasonProblem('ok')).toMatch(/3 to 500 characters/);
    expect(reasonProblem('   no  ')).toMatch(/3 to 500/);
    expect(reasonProblem('superseded by v4')).toBeUndefined();
    expect(reasonProblem('x'.repeat(501))).toBeDefined();
    expect(reasonProblem('no', tenantLibrary('contoso-bank'))).toBe("Say why, in 3 to 500 characters: the tenant's trail keeps it.");
  });
});

describe('what the library policy and an import did', () => {
  it('says whether a second person is now required, or its end proposed', () => {
    expect(policySetMessage({ approvalRequired: true, proposedChangeId: null })).toMatch(/^A second person is now required/);
    expect(policySetMessage({ approvalRequired: true, proposedChangeId: 'c9' })).toBe(
      'Proposed as change c9: a second person stays required until another platform admin approves turning it off.',
    );
    expect(policySetMessage({ approvalRequired: false, proposedChangeId: null })).toBe('Library changes are published at once again.');
  });

  it('tells a proposed import from a recorded one', () => {
    expect(importOutcome({ applied: false, recorded: 0, proposedChangeId: 'c7' })).toEqual({
      ok: true,
      recorded: false,
      message: 'Proposed as change c7, waiting for another platform admin: nothing is published until someone else approves it.',
    });
    expect(importOutcome({ applied: true, recorded: 2, proposedChangeId: null })).toEqual({ ok: true, recorded: true, message: "Recorded 2 in the library; the provider's trail shows each version." });
    expect(importOutcome({ applied: false, recorded: 0, proposedChangeId: null }).ok).toBe(false);
    expect(importOutcome({ applied: true, recorded: 2, proposedChangeId: null }, tenantLibrary('contoso-bank'))).toEqual({
      ok: true,
      recorded: true,
      message: "Recorded 2 in the tenant's own library; the tenant's trail shows each version.",
    });
  });
});
