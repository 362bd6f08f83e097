import { cloudChangeSummary, configurationVersions, formatValue, type HistoryEntry } from './configuration-history';

const entry = (revision: number, kind: string, detail: unknown): HistoryEntry => ({
  kind,
  revision,
  detail: JSON.stringify(detail),
  recordedAt: `2026-11-0${revision}T10:00:00.000Z`,
  actorKind: 'system',
  actorId: 'ingestion',
  runId: `run-${revision}`,
});

const discovered = entry(1, 'discovered', { properties: { httpsOnly: false, minTlsVersion: '1.0', siteConfig: { http20Enabled: true } }, tags: { env: 'prod' } });
const hardened = entry(2, 'changed', [
  { op: 'replace', path: '/properties/httpsOnly', value: true },
  { op: 'replace', path: '/properties/minTlsVersion', value: '1.2' },
  { op: 'remove', path: '/tags/env' },
  { op: 'add', path: '/properties/publicNetworkAccess', value: 'Disabled' },
]);

describe('configuration history', () => {
  it('replays each patch onto the version before it and shows every path before and after', () => {
    const [first, second] = configurationVersions([discovered, hardened]);
    expect(first.changes).toEqual([]);
    expect(first.configuration).toEqual(JSON.parse(discovered.detail));
    expect(second.changes).toEqual([
      { op: 'replace', path: '/properties/httpsOnly', before: false, after: true },
      { op: 'replace', path: '/properties/minTlsVersion', before: '1.0', after: '1.2' },
      { op: 'remove', path: '/tags/env', before: 'prod' },
      { op: 'add', path: '/properties/publicNetworkAccess', before: undefined, after: 'Disabled' },
    ]);
    expect(second.configuration).toEqual({ properties: { httpsOnly: true, minTlsVersion: '1.2', siteConfig: { http20Enabled: true }, publicNetworkAccess: 'Disabled' }, tags: {} });
  });

  it('does not change the versions it was given (each keeps its own configuration)', () => {
    const versions = configurationVersions([discovered, hardened]);
    expect((versions[0].configuration as { properties: { httpsOnly: boolean } }).properties.httpsOnly).toBe(false);
  });

  it('forgets the configuration at a removal, and diffs a rediscovery against the last one known', () => {
    const removed = entry(3, 'removed', null);
    const back = entry(4, 'discovered', { properties: { httpsOnly: true, minTlsVersion: '1.3' } });
    const versions = configurationVersions([discovered, removed, back]);
    expect(versions[1].configuration).toBeUndefined();
    expect(versions[2].changes).toEqual([]);
    const again = configurationVersions([discovered, back]);
    expect(again[1].changes).toEqual(
      expect.arrayContaining([
        { op: 'replace', path: '/properties/minTlsVersion', before: '1.0', after: '1.3' },
        { op: 'replace', path: '/properties/httpsOnly', before: false, after: true },
      ]),
    );
  });

  it('shows a patch it cannot replay as recorded, and says so', () => {
    const [version] = configurationVersions([hardened]);
    expect(version.unreplayable).toBe(true);
    expect(version.changes[0]).toEqual({ op: 'replace', path: '/properties/httpsOnly', before: undefined, after: true });
  });

  it('writes values on one line, cut when long', () => {
    expect(formatValue(undefined)).toBe('—');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue('x'.repeat(200), 20)).toHaveLength(20);
  });
});

describe('who changed it in the cloud', () => {
  it("says who, with which client and operation, from the cloud's change record", () => {
    expect(cloudChangeSummary({ ...hardened, changedBy: 'alice@contoso.com', clientType: 'Azure Portal', operation: 'microsoft.web/sites/write' })).toBe(
      'alice@contoso.com via Azure Portal, microsoft.web/sites/write',
    );
    expect(cloudChangeSummary({ ...hardened, changedBy: 'alice@contoso.com' })).toBe('alice@contoso.com');
    expect(cloudChangeSummary({ ...hardened, changedBy: null, clientType: 'ARM Template', operation: null })).toBe('someone the cloud did not name via ARM Template');
    expect(cloudChangeSummary({ ...hardened, changedBy: 'app-7f3a', operation: 'microsoft.storage/storageaccounts/write' })).toBe('app-7f3a (microsoft.storage/storageaccounts/write)');
  });

  it('says nothing when a snapshot saw the change', () => {
    expect(cloudChangeSummary(hardened)).toBeUndefined();
    expect(cloudChangeSummary({ ...hardened, changedBy: null, clientType: null, operation: null })).toBeUndefined();
  });
});
