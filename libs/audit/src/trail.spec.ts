import { givenWhenThen } from '@rampart/event-sourcing';
import { auditTrailDecider, auditTrailStreamId, type AuditExported, type RecordExport } from './trail';

const given = givenWhenThen(auditTrailDecider);
const digest = (c: string) => c.repeat(64);

const record = (overrides: Partial<RecordExport> = {}): RecordExport => ({
  kind: 'RecordExport',
  exportId: 'e1',
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  manifestSha256: digest('a'),
  previousManifestSha256: null,
  eventCount: 2,
  firstPosition: '10/1',
  lastPosition: '12/7',
  files: [{ name: 'events.ndjson', bytes: 100, sha256: digest('b') }],
  ...overrides,
});

const exported = (cmd: RecordExport): AuditExported => {
  const { kind: _kind, ...data } = cmd;
  return { type: 'audit.AuditExported.v1', data };
};

describe("a tenant's audit trail of exports", () => {
  it('records an export in the tenant\'s own history', () => {
    expect(auditTrailStreamId('contoso-bank')).toBe('t-contoso-bank:audit-exports');
    given().when(record()).then(exported(record()));
  });

  it('records an export once', () => {
    given(exported(record())).when(record({ previousManifestSha256: digest('a'), manifestSha256: digest('c') })).thenRejects('export-already-recorded');
  });

  it('gives the last manifest digest for the chain, and refuses an export chained to another one', () => {
    const first = exported(record());
    expect(given().state().lastManifestSha256).toBeNull();
    expect(given(first).state().lastManifestSha256).toBe(digest('a'));
    const second = record({ exportId: 'e2', manifestSha256: digest('c'), previousManifestSha256: digest('a') });
    given(first).when(second).then(exported(second));
    expect(given(first, exported(second)).state().lastManifestSha256).toBe(digest('c'));
    // two exports raced from the same previous manifest: the second must not fork the chain
    given(first, exported(second)).when(record({ exportId: 'e3', manifestSha256: digest('d'), previousManifestSha256: digest('a') })).thenRejects('chain-moved');
    given().when(record({ previousManifestSha256: digest('f') })).thenRejects('chain-moved');
  });

  it('refuses records that could not describe a real export', () => {
    given().when(record({ from: '2026-02-01T00:00:00.000Z' })).thenRejects('invalid-period');
    given().when(record({ manifestSha256: 'ABC' })).thenRejects('invalid-manifest-digest');
    given().when(record({ eventCount: -1 })).thenRejects('invalid-event-count');
    given().when(record({ eventCount: 0 })).thenRejects('invalid-positions');
    given().when(record({ lastPosition: null })).thenRejects('invalid-positions');
    const empty = record({ eventCount: 0, firstPosition: null, lastPosition: null });
    given().when(empty).then(exported(empty));
  });
});
