import { assignmentRows, assignmentSummary, memberSource, memberSummary, retiredMessage } from './library-artifact';
import { tenantLibrary } from './library-scope';

describe('where a library artifact is assigned', () => {
  const rows = assignmentRows([
    { tenantId: 'northwind-mfg', assignmentId: 'provider-sql-tls', baselineId: 'lib-definition:deny-sql-mintls@2', follows: 'lib-definition:deny-sql-mintls', scope: '*' },
    { tenantId: 'contoso-bank', assignmentId: 'sql-tls-rg', baselineId: 'lib-definition:deny-sql-mintls@1', follows: null, scope: '/subscriptions/s1/resourceGroups/rg' },
    { tenantId: 'contoso-bank', assignmentId: 'provider-sql-tls', baselineId: 'lib-definition:deny-sql-mintls@2', follows: 'lib-definition:deny-sql-mintls', scope: '*' },
  ]);

  it('lists each assignment by tenant with the version it evaluates, following or pinned', () => {
    expect(rows.map((r) => [r.tenantId, r.assignmentId, r.inForce, r.following])).toEqual([
      ['contoso-bank', 'provider-sql-tls', 2, true],
      ['contoso-bank', 'sql-tls-rg', 1, false],
      ['northwind-mfg', 'provider-sql-tls', 2, true],
    ]);
  });

  it('sums them up', () => {
    expect(assignmentSummary(rows)).toBe('3 assignments in 2 tenants, 1 pinned to a version.');
    expect(assignmentSummary(rows.slice(0, 1))).toBe('1 assignment in 1 tenant.');
    expect(assignmentSummary([])).toBe('No tenant is assessed against it.');
  });

  it("counts a tenant's own artifact's assignments in that tenant alone", () => {
    const own = assignmentRows([
      { tenantId: 'contoso-bank', assignmentId: 'own-tags', baselineId: 'tenant-definition:bank-storage-tags@2', follows: 'tenant-definition:bank-storage-tags', scope: '*' },
      { tenantId: 'contoso-bank', assignmentId: 'own-tags-rg', baselineId: 'tenant-definition:bank-storage-tags@1', follows: null, scope: '/subscriptions/s1/resourceGroups/rg' },
    ]);
    expect(own.map((r) => [r.assignmentId, r.inForce, r.following])).toEqual([
      ['own-tags', 2, true],
      ['own-tags-rg', 1, false],
    ]);
    const scope = tenantLibrary('contoso-bank');
    expect(assignmentSummary(own, scope)).toBe('2 assignments of the tenant, 1 pinned to a version.');
    expect(assignmentSummary(own.slice(0, 1), scope)).toBe('1 assignment of the tenant.');
    expect(assignmentSummary([], scope)).toBe('No assignment of the tenant evaluates it.');
  });
});

describe("an initiative version's members", () => {
  const members = [
    { referenceId: 'KvSoftDelete', source: 'built-in', name: '1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d', version: null },
    { referenceId: 'StorageBypass', source: 'library', name: 'Deny-Storage-NetworkAclsBypass', version: 2 },
    { referenceId: 'KvPurge', source: 'built-in', name: '0b60c0b2-2dc2-4e1c-b5c9-abbed971de53', version: null },
  ];

  it('says where each comes from and how many are the library’s', () => {
    expect(members.map((m) => memberSource(m))).toEqual(['built-in (Azure)', 'library', 'built-in (Azure)']);
    expect(memberSummary(members)).toBe('3 members: 1 library definition and 2 built-ins');
    expect(memberSummary([])).toBe('0 members');
  });

  it("in a tenant's own initiative, tells its own definitions from the provider's", () => {
    const scope = tenantLibrary('contoso-bank');
    const own = [...members, { referenceId: 'OwnTls', source: 'tenant', name: 'Storage-TLS', version: 1 }];
    expect(own.map((m) => memberSource(m, scope))).toEqual(['built-in (Azure)', "provider's library", 'built-in (Azure)', 'own library']);
    expect(memberSummary(own, scope)).toBe("4 members: 1 own definition, 1 definition of the provider's library and 2 built-ins");
    expect(memberSummary(own.slice(3), scope)).toBe('1 member: 1 own definition');
  });
});

it('says what a retirement means for assignments', () => {
  expect(retiredMessage({ kind: 'definition', name: 'Audit-Tags-Mandatory', version: 1 })).toBe(
    'Retired definition Audit-Tags-Mandatory at version 1: no longer offered to new assignments; the assignments already made keep the version they evaluate until changed.',
  );
});
