import { assignedTitle, followingIdOf, followingMessage, libraryVersionOf, ownLibraryBaselines, parseVersion, pinnedMessage, suggestedPin, unversionedTitle, versionLabel, versionTag } from './library-version';

describe('the version of a library definition an assignment evaluates', () => {
  const following = libraryVersionOf({ baselineId: 'lib-definition:deny-sql-mintls@2', follows: 'lib-definition:deny-sql-mintls' })!;
  const pinned = libraryVersionOf({ baselineId: 'lib-definition:deny-sql-mintls@1', follows: null })!;

  it('is read from the assignment: following the latest, or pinned', () => {
    expect(following).toEqual({ owner: 'provider', kind: 'definition', name: 'deny-sql-mintls', inForce: 2, following: true });
    expect(pinned).toEqual({ owner: 'provider', kind: 'definition', name: 'deny-sql-mintls', inForce: 1, following: false });
    expect(libraryVersionOf({ baselineId: 'LIB-DEFINITION:Deny-Sql-minTLS', follows: null })).toEqual({ owner: 'provider', kind: 'definition', name: 'Deny-Sql-minTLS', following: false });
    expect(followingIdOf(libraryVersionOf({ baselineId: 'LIB-DEFINITION:Deny-Sql-minTLS@4', follows: null })!)).toBe('lib-definition:deny-sql-mintls');
    expect(libraryVersionOf({ baselineId: 'lib-initiative:enforce-guardrails-keyvault@3', follows: null })).toEqual({ owner: 'provider', kind: 'initiative', name: 'enforce-guardrails-keyvault', inForce: 3, following: false });
  });

  it("is read alike for the tenant's own library, whose following id is its own", () => {
    const own = libraryVersionOf({ baselineId: 'tenant-definition:bank-storage-tags@3', follows: 'tenant-definition:bank-storage-tags' })!;
    expect(own).toEqual({ owner: 'tenant', kind: 'definition', name: 'bank-storage-tags', inForce: 3, following: true });
    expect(followingIdOf(own)).toBe('tenant-definition:bank-storage-tags');
    const initiative = libraryVersionOf({ baselineId: 'Tenant-Initiative:Bank-Storage@1', follows: null })!;
    expect(initiative).toEqual({ owner: 'tenant', kind: 'initiative', name: 'Bank-Storage', inForce: 1, following: false });
    expect(followingIdOf(initiative)).toBe('tenant-initiative:bank-storage');
    expect(libraryVersionOf({ baselineId: 'tenant-definition:', follows: null })).toBeUndefined();
  });

  it('is none for a built-in baseline or a standard', () => {
    expect(libraryVersionOf({ baselineId: 'financial-services', follows: null })).toBeUndefined();
    expect(libraryVersionOf({ baselineId: 'cis-azure-2.0.0' })).toBeUndefined();
    expect(libraryVersionOf({ baselineId: 'lib-definition:', follows: null })).toBeUndefined();
  });

  it('is said in words, with the latest when a pinned one lags behind it', () => {
    expect(versionLabel(following)).toBe('Follows the latest version: version 2 in force');
    expect(versionLabel(pinned)).toBe('Pinned to version 1');
    expect(versionLabel(pinned, 2)).toBe("Pinned to version 1; the library's latest is version 2");
    expect(versionLabel(pinned, 1)).toBe('Pinned to version 1');
    expect(versionTag(following)).toBe('follows the latest · v2');
    expect(versionTag(pinned)).toBe('pinned to v1');
  });

  it('is named without the version its title was offered with', () => {
    expect(unversionedTitle('Azure SQL Database should have the minimal TLS version set (library, version 2)')).toBe('Azure SQL Database should have the minimal TLS version set');
    expect(unversionedTitle('Key Vault guardrails (library initiative, version 12)')).toBe('Key Vault guardrails');
    expect(unversionedTitle('Bank storage tags (own library, version 3)')).toBe('Bank storage tags');
    expect(unversionedTitle("The bank's storage rules (own library initiative, version 1)")).toBe("The bank's storage rules");
    expect(unversionedTitle('Financial services')).toBe('Financial services');
  });

  it("names an assignment by what it evaluates: the offered title, a library version's without its version, else the id", () => {
    const titles = new Map([
      ['landing-zone-core', 'Landing zone core'],
      ['lib-definition:deny-sql-mintls', 'Azure SQL minimal TLS (library, version 3)'],
    ]);
    expect(assignedTitle({ baselineId: 'landing-zone-core' }, titles)).toBe('Landing zone core');
    expect(assignedTitle({ baselineId: 'lib-definition:deny-sql-mintls@1', follows: null }, titles)).toBe('Azure SQL minimal TLS');
    expect(assignedTitle({ baselineId: 'lib-definition:deny-sql-mintls' }, titles)).toBe('Azure SQL minimal TLS (library, version 3)');
    expect(assignedTitle({ baselineId: 'lib-definition:retired-one@2' }, titles)).toBe('lib-definition:retired-one@2');
    expect(assignedTitle({ baselineId: 'mcsb' }, titles)).toBe('mcsb');
  });

  it('offers the version before the one in force for a rollback', () => {
    expect(suggestedPin(following)).toBe(1);
    expect(suggestedPin(pinned)).toBe(1);
    expect(suggestedPin({ owner: 'provider', kind: 'definition', name: 'x', inForce: 5, following: false })).toBe(5);
    expect(suggestedPin({ owner: 'provider', kind: 'definition', name: 'x', following: true })).toBe(1);
  });

  it("offers the tenant's own artifacts under the id that follows the latest, definitions first, titled as the catalog titles them", () => {
    const offered = ownLibraryBaselines([
      { kind: 'initiative', name: 'Bank-Storage', displayName: "The bank's storage rules", version: 1, retired: false },
      { kind: 'definition', name: 'Storage-TLS', displayName: 'Storage TLS 1.2 or later', version: 2, retired: false },
      { kind: 'definition', name: 'Audit-Old', displayName: 'An old rule', version: 1, retired: true },
      { kind: 'file', name: 'x', displayName: 'x', version: 1, retired: false },
    ]);
    expect(offered).toEqual([
      { id: 'tenant-definition:audit-old', kind: 'definition', name: 'Audit-Old', title: 'An old rule (own library, version 1)', retired: true },
      { id: 'tenant-definition:storage-tls', kind: 'definition', name: 'Storage-TLS', title: 'Storage TLS 1.2 or later (own library, version 2)', retired: false },
      { id: 'tenant-initiative:bank-storage', kind: 'initiative', name: 'Bank-Storage', title: "The bank's storage rules (own library initiative, version 1)", retired: false },
    ]);
  });

  it('takes a typed version only as a whole number from 1', () => {
    expect(parseVersion(' 3 ')).toEqual({ ok: true, version: 3 });
    for (const text of ['', '0', '-1', '1.5', 'v2', '1e3']) expect(parseVersion(text)).toEqual({ ok: false, message: 'A version is a whole number from 1.' });
  });

  it('says what a change does', () => {
    expect(pinnedMessage('provider-sql-tls', 1)).toMatch(/^provider-sql-tls is pinned to version 1: .*not adopted/);
    expect(followingMessage('provider-sql-tls')).toMatch(/^provider-sql-tls follows the latest version again/);
  });
});
