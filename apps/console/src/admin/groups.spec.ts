import type { GroupCompliancePoint, TenantGroup } from '../api/operations';
import {
  assignsLines,
  countText,
  failingInText,
  groupIdProblem,
  groupNonCompliant,
  groupNonCompliantLine,
  groupOrigin,
  groupRefusal,
  groupSeriesSummary,
  groupSeriesUntilNow,
  groupSeriesWindow,
  groupShows,
  isGroupId,
  joinableTenants,
  leaveReasonProblem,
  memberAssignmentId,
  memberScoreText,
  membersText,
} from './groups';

const banks: TenantGroup = {
  groupId: 'banks',
  name: 'Banks',
  description: 'regulated: DORA',
  createdAt: '2026-12-08T09:00:00.000Z',
  members: [
    { tenantId: 'contoso-bank', joinedAt: '2026-12-08T09:01:00.000Z' },
    { tenantId: 'fabrikam-retail', joinedAt: '2026-12-08T09:02:00.000Z' },
  ],
  assignments: [
    { assignmentId: 'tls', baselineId: 'lib-definition:deny-sql-mintls', scope: '/subscriptions/s1', parameters: '{}', initiativeParameters: '{}' },
    { assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*', parameters: '{}', initiativeParameters: '{}' },
  ],
};

describe('tenant groups', () => {
  it('take the ids the domain takes', () => {
    expect(['banks', 'tier-1', 'eu-west-2', 'a'.repeat(30)].every(isGroupId)).toBe(true);
    expect(['', 'Banks', '-banks', 'banks!', 'a'.repeat(31), 'banks eu'].some(isGroupId)).toBe(false);
    expect(groupIdProblem('banks')).toBeUndefined();
    expect(groupIdProblem('Banks')).toBe(groupRefusal('invalid-group-id', null));
  });

  it("name a member's assignment as the member holds it", () => {
    expect(memberAssignmentId('banks', 'core')).toBe('grp-banks-core');
    // the longest of each stays within a tenant's 63
    expect(memberAssignmentId('g'.repeat(30), 'a'.repeat(28))).toHaveLength(63);
  });

  it('offer the tenants not in the group yet, and never an offboarded one, by name', () => {
    const tenants = [
      { tenantId: 'northwind-mfg', displayName: 'Northwind Manufacturing', status: 'active' },
      { tenantId: 'contoso-bank', displayName: 'Contoso Bank', status: 'active' },
      { tenantId: 'adatum', displayName: 'Adatum', status: 'suspended' },
      { tenantId: 'gone', displayName: 'Gone Ltd', status: 'offboarded' },
    ];
    expect(joinableTenants(tenants, banks).map((t) => t.tenantId)).toEqual(['adatum', 'northwind-mfg']);
    expect(joinableTenants(new Map(tenants.map((t) => [t.tenantId, t])).values(), { members: [] }).map((t) => t.tenantId)).toEqual(['adatum', 'contoso-bank', 'northwind-mfg']);
  });

  it('say what a group assigns, one line each, with the scope when it is not the whole tenant', () => {
    const titles = new Map([['landing-zone-core', 'Landing zone core']]);
    expect(assignsLines(banks, (id) => titles.get(id) ?? id)).toEqual(['Landing zone core', 'lib-definition:deny-sql-mintls (/subscriptions/s1)']);
    expect(assignsLines({ assignments: [] }, (id) => id)).toEqual([]);
    expect(membersText(1)).toBe('1 member');
    expect(membersText(2)).toBe('2 members');
  });

  it('tell when the page shows a change the worker applies', () => {
    expect(groupShows(undefined, { kind: 'created' })).toBe(false);
    expect(groupShows(null, { kind: 'left', tenantId: 'contoso-bank' })).toBe(false);
    expect(groupShows(banks, { kind: 'created' })).toBe(true);
    expect(groupShows(banks, { kind: 'joined', tenantId: 'contoso-bank' })).toBe(true);
    expect(groupShows(banks, { kind: 'joined', tenantId: 'northwind-mfg' })).toBe(false);
    expect(groupShows(banks, { kind: 'left', tenantId: 'fabrikam-retail' })).toBe(false);
    expect(groupShows({ ...banks, members: banks.members.slice(0, 1) }, { kind: 'left', tenantId: 'fabrikam-retail' })).toBe(true);
    expect(groupShows(banks, { kind: 'assigned', assignmentId: 'core' })).toBe(true);
    expect(groupShows(banks, { kind: 'unassigned', assignmentId: 'core' })).toBe(false);
    expect(groupShows(banks, { kind: 'unassigned', assignmentId: 'gone' })).toBe(true);
  });

  it("say which group a member's assignment comes from, by name when known", () => {
    expect(groupOrigin('banks', new Map([['banks', 'Banks']]))).toBe('from group Banks (banks)');
    expect(groupOrigin('banks', new Map())).toBe('from group banks');
    expect(groupOrigin('banks')).toBe('from group banks');
    expect(groupOrigin('banks', new Map([['banks', 'banks']]))).toBe('from group banks');
  });

  it('ask for a reason a tenant leaves within the bounds the domain keeps', () => {
    expect(leaveReasonProblem('a retailer after all')).toBeUndefined();
    expect(leaveReasonProblem('  no  ')).toBe(groupRefusal('reason-required', null));
    expect(leaveReasonProblem('x'.repeat(501))).toMatch(/3 to 500 characters/);
  });

  it("put the domain's refusals in words, with its message where it says more", () => {
    for (const code of ['invalid-group-id', 'group-exists', 'invalid-name', 'unknown-group', 'not-a-member', 'reason-required', 'tenant-not-found', 'tenant-offboarded', 'unknown-baseline', 'duplicate-assignment']) {
      expect(groupRefusal(code, null)).not.toMatch(/^Refused \(/);
    }
    expect(groupRefusal('unknown-baseline', 'no baseline tenant-definition:x')).toMatch(/a tenant's own/);
    expect(groupRefusal('tenant-offboarded', null)).toMatch(/offboarded tenant joins no group/);
    expect(groupRefusal('invalid-parameters', 'storage-weak-tls: minimumTlsVersion must be one of TLS1_2')).toBe(
      'A parameter value does not fit (storage-weak-tls: minimumTlsVersion must be one of TLS1_2): nothing was assigned.',
    );
    expect(groupRefusal('unknown-parameter', 'mcsb has no parameter effectX')).toBe('Refused: mcsb has no parameter effectX. Leave that one out.');
    expect(groupRefusal('something-new', 'why')).toBe('Refused (something-new): why');
  });

  describe('compliance across the group', () => {
    const point = (at: string, ...nonCompliant: number[]): GroupCompliancePoint => ({ at, compliance: { members: nonCompliant.map((n, i) => ({ tenantId: `t${i}`, nonCompliant: n })) } });
    // contoso-bank alone on the 1st, fabrikam-retail counted from the 2nd when it joined; nobody before
    const series = [point('2026-11-30T00:00:00.000Z'), point('2026-12-01T00:00:00.000Z', 3), point('2026-12-02T00:00:00.000Z', 2, 5), point('2026-12-03T00:00:00.000Z', 1, 0)];

    it('sum the non-compliant pairs of the members counted at a point, and none before any joined', () => {
      expect(series.map(groupNonCompliant)).toEqual([null, 3, 7, 1]);
      expect(groupNonCompliant(point('2026-12-04T00:00:00.000Z', 0, 0))).toBe(0);
      expect(groupNonCompliantLine(series)).toEqual({
        key: 'non-compliant',
        label: 'Non-compliant pairs',
        points: [
          { x: Date.parse('2026-11-30T00:00:00.000Z'), y: null },
          { x: Date.parse('2026-12-01T00:00:00.000Z'), y: 3 },
          { x: Date.parse('2026-12-02T00:00:00.000Z'), y: 7 },
          { x: Date.parse('2026-12-03T00:00:00.000Z'), y: 1 },
        ],
      });
    });

    it('close the series with the group now, dropping a point at or after it', () => {
      const now = point('2026-12-03T09:30:00.000Z', 4, 1).compliance;
      const closed = groupSeriesUntilNow([...series, point('2026-12-04T00:00:00.000Z', 9)], now, Date.parse('2026-12-03T09:30:00.000Z'));
      expect(closed.map((p) => p.at)).toEqual([...series.map((p) => p.at), '2026-12-03T09:30:00.000Z']);
      expect(closed.map(groupNonCompliant)).toEqual([null, 3, 7, 1, 5]);
      // members who joined today: no whole day yet, the group now still shows
      expect(groupSeriesUntilNow([point('2026-12-03T00:00:00.000Z')], now, Date.parse('2026-12-03T09:30:00.000Z')).map(groupNonCompliant)).toEqual([null, 5]);
    });

    it('say what the series shows: the last day with members and the worst', () => {
      expect(groupSeriesSummary(series)).toBe('1 non-compliant pair across the members at 2026-12-03 00:00 UTC; the most was 7 non-compliant pairs, at 2026-12-02 00:00 UTC.');
      expect(groupSeriesSummary(series.slice(0, 1))).toBe('No member was in the group in this period.');
      expect(groupSeriesSummary([])).toBe('No member was in the group in this period.');
    });

    it('cover the last 28 days up to now', () => {
      expect(groupSeriesWindow(Date.parse('2026-12-08T12:00:00.000Z'))).toEqual({ from: '2026-11-10T12:00:00.000Z', to: '2026-12-08T12:00:00.000Z' });
    });

    it('write scores as percentages, a dash when nothing was evaluated, and in how many members a control fails', () => {
      expect(memberScoreText(0.8125)).toBe('81.3%');
      expect(memberScoreText(0)).toBe('0%');
      expect(memberScoreText(null)).toBe('—');
      expect(countText(null)).toBe('—');
      expect(countText(0)).toBe('0');
      expect(failingInText({ failingTenants: 2, tenants: 3 })).toBe('2 of 3 members');
      expect(failingInText({ failingTenants: 1, tenants: 1 })).toBe('1 of 1 member');
    });
  });
});
