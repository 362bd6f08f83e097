import { exportUuids, uuidV5 } from './uuid';

const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

describe('uuidV5', () => {
  it('matches the RFC 9562 test vector (appendix A.4)', () => {
    expect(uuidV5('www.example.com', DNS_NAMESPACE)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(/not a UUID/);
  });
});

describe('exportUuids', () => {
  it('gives the same UUID for the same export and name, and another for another export or name', () => {
    const a = exportUuids('exp-1');
    expect(a('finding:mcsb-im-1')).toBe(exportUuids('exp-1')('finding:mcsb-im-1'));
    expect(a('finding:mcsb-im-1')).not.toBe(exportUuids('exp-2')('finding:mcsb-im-1'));
    expect(a('finding:mcsb-im-1')).not.toBe(a('finding:mcsb-im-3'));
    expect(a('result')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
