// Four-eyes for the library, given/when/then: a proposal holds what it publishes; only someone else
// approves it, before it expires and while the library is where it was; turning approval off is a
// change like the others.
import { givenWhenThen } from '@rampart/event-sourcing';
import type { LibraryChangeEvent, ProposedLibraryArtifact } from '../events';
import { libraryChangeDecider, libraryPolicyDecider, publishCommandOf } from './library-change';

const now = new Date('2026-12-07T10:00:00Z');
const artifact: ProposedLibraryArtifact = {
  kind: 'definition',
  name: 'Deny-Sql-minTLS',
  action: 'change',
  version: 2,
  basis: 1,
  reasons: ['content changed since version 1'],
  source: 'policyDefinitions/Deny-Sql-minTLS.json',
  content: { properties: { policyRule: { if: { field: 'type', equals: 'Microsoft.Sql/servers' }, then: { effect: 'audit' } } } },
};
const proposed: LibraryChangeEvent = {
  type: 'guardrails.LibraryChangeProposed.v1',
  data: { changeId: 'c1', proposedBy: 'ana@soc.example', expiresAt: '2026-12-14T10:00:00.000Z', artifacts: [artifact] },
};
const approve = (approvedBy: string, at = now, moved: string[] = []) => ({ kind: 'ApproveLibraryChange' as const, approvedBy, now: at, moved });

describe('a proposed library change', () => {
  const given = givenWhenThen(libraryChangeDecider);

  it('is proposed with what it publishes, for a week', () => {
    given().when({ kind: 'ProposeLibraryChange', changeId: 'c1', proposedBy: 'ana@soc.example', artifacts: [artifact], now }).then(proposed);
    given().when({ kind: 'ProposeLibraryChange', changeId: 'c1', proposedBy: 'ana@soc.example', artifacts: [], now }).thenRejects('nothing-to-change');
    given(proposed).when({ kind: 'ProposeLibraryChange', changeId: 'c1', proposedBy: 'ana@soc.example', artifacts: [artifact], now }).thenRejects('change-exists');
  });

  it('is approved by a second person only, before it expires, and while the library is where it was planned against', () => {
    given(proposed).when(approve('ANA@soc.example')).thenRejects('approver-must-differ');
    given(proposed).when(approve('bo@soc.example', new Date('2026-12-14T10:00:00Z'))).thenRejects('proposal-expired');
    given(proposed).when(approve('bo@soc.example', now, ['definition Deny-Sql-minTLS'])).thenRejects('library-changed');
    given(proposed).when(approve('bo@soc.example')).then({ type: 'guardrails.LibraryChangeApproved.v1', data: { changeId: 'c1', approvedBy: 'bo@soc.example' } });
    given().when(approve('bo@soc.example')).thenRejects('unknown-change');
  });

  it('converges when approving is run again after a crash: approved already records nothing, applied once', () => {
    const approved: LibraryChangeEvent = { type: 'guardrails.LibraryChangeApproved.v1', data: { changeId: 'c1', approvedBy: 'bo@soc.example' } };
    given(proposed, approved).when(approve('bo@soc.example')).then();
    given(proposed).when({ kind: 'RecordLibraryChangeApplied', recorded: 1 }).thenRejects('change-not-approved');
    given(proposed, approved).when({ kind: 'RecordLibraryChangeApplied', recorded: 1 }).then({ type: 'guardrails.LibraryChangeApplied.v1', data: { changeId: 'c1', recorded: 1 } });
    given(proposed, approved, { type: 'guardrails.LibraryChangeApplied.v1', data: { changeId: 'c1', recorded: 1 } }).when({ kind: 'RecordLibraryChangeApplied', recorded: 0 }).then();
  });

  it('is rejected with a reason while it waits, and then can no longer be approved', () => {
    const rejected: LibraryChangeEvent = { type: 'guardrails.LibraryChangeRejected.v1', data: { changeId: 'c1', rejectedBy: 'bo@soc.example', reason: 'not this week' } };
    given(proposed).when({ kind: 'RejectLibraryChange', rejectedBy: 'bo@soc.example', reason: ' not this week ' }).then(rejected);
    given(proposed).when({ kind: 'RejectLibraryChange', rejectedBy: 'bo@soc.example', reason: 'no' }).thenRejects('reason-required');
    given(proposed, rejected).when(approve('bo@soc.example')).thenRejects('change-not-proposed');
  });

  it('publishes through the same library command an import runs', () => {
    expect(publishCommandOf(artifact)).toEqual({ kind: 'PublishDefinition', name: 'Deny-Sql-minTLS', definition: artifact.content, source: artifact.source });
  });
});

describe('the library policy', () => {
  const given = givenWhenThen(libraryPolicyDecider);
  const required = { type: 'guardrails.LibraryPolicySet.v1' as const, data: { approvalRequired: true } };

  it('asks for a second person at once, and lets it go only through an approved change', () => {
    given().when({ kind: 'SetLibraryPolicy', approvalRequired: true }).then(required);
    given(required).when({ kind: 'SetLibraryPolicy', approvalRequired: true }).then();
    given(required).when({ kind: 'SetLibraryPolicy', approvalRequired: false }).thenRejects('approval-required');
    given(required).when({ kind: 'SetLibraryPolicy', approvalRequired: false, approvedChangeId: 'c2' }).then({ type: 'guardrails.LibraryPolicySet.v1', data: { approvalRequired: false } });
  });
});
