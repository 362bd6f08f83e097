import { tenantLibrary } from './library-scope';
import { parseTenantList, sinceText, whatIfRows, whatIfSubject, whatIfSummary, whyReplayed, type WhatIfRow } from './what-if';

const row = (over: Partial<WhatIfRow>): WhatIfRow => ({
  definition: 'Deny-Sql-minTLS',
  member: null,
  version: 2,
  tenantId: 'contoso-bank',
  reason: 'follows',
  nonCompliantNow: 0,
  nonCompliantEver: 0,
  errors: 0,
  since: null,
  refusal: null,
  ...over,
});

describe('the tenants a what-if is also replayed for', () => {
  it('reads ids separated by commas, each once, blanks left out', () => {
    expect(parseTenantList('')).toEqual({ ok: true, tenants: [] });
    expect(parseTenantList(' fabrikam-retail, northwind-mfg ,,fabrikam-retail\ncontoso-bank ')).toEqual({ ok: true, tenants: ['fabrikam-retail', 'northwind-mfg', 'contoso-bank'] });
  });

  it('refuses what the API would refuse, before anything is sent', () => {
    expect(parseTenantList('contoso-bank, Not A Tenant')).toEqual({ ok: false, message: '"Not A Tenant" is no tenant id: lowercase letters, digits and dashes, separated by commas.' });
    expect(parseTenantList('contoso-bank fabrikam-retail')).toMatchObject({ ok: false });
    expect(parseTenantList('-leading')).toMatchObject({ ok: false });
    expect(parseTenantList(Array.from({ length: 101 }, (_, i) => `t${i}`).join(','))).toEqual({ ok: false, message: 'At most 100 tenants at once; 101 were named.' });
  });
});

describe('what an import would find', () => {
  it('lists each definition with the tenants that follow it before those named', () => {
    const rows = [row({ tenantId: 'a-named', reason: 'named' }), row({ definition: 'Audit-Disks', tenantId: 'z' }), row({ tenantId: 'northwind-mfg' })];
    expect(whatIfRows(rows).map((r) => `${r.definition} ${r.tenantId}`)).toEqual(['Audit-Disks z', 'Deny-Sql-minTLS northwind-mfg', 'Deny-Sql-minTLS a-named']);
    expect(whyReplayed('follows')).toBe('follows it');
    expect(whyReplayed('named')).toBe('named by you');
  });

  it("names an initiative's member after the initiative, each member in order", () => {
    const rows = [
      row({ definition: 'Storage-Guardrails', member: 'MinTLS', version: 1 }),
      row({ definition: 'Storage-Guardrails', member: 'Bypass', version: 1 }),
      row({ definition: 'Audit-Disks' }),
    ];
    expect(whatIfRows(rows).map(whatIfSubject)).toEqual(['Audit-Disks', 'Storage-Guardrails / Bypass', 'Storage-Guardrails / MinTLS']);
  });

  it('says since when, or that it was never broken', () => {
    expect(sinceText(row({ nonCompliantNow: 1, nonCompliantEver: 1, since: '2026-03-01T09:30:00.000Z' }))).toBe('2026-03-01 09:30 UTC');
    expect(sinceText(row({}))).toBe('never broken');
    expect(sinceText(row({ refusal: 'unsupported-alias: x' }))).toBe('—');
  });

  it('sums the answer up in a sentence', () => {
    expect(whatIfSummary([])).toBe('No tenant follows what this import adds or changes: name tenants to replay it for them');
    expect(whatIfSummary([row({ nonCompliantNow: 2, nonCompliantEver: 3 }), row({ tenantId: 'fabrikam-retail', reason: 'named' })])).toBe(
      '1 definition replayed over the history of 2 tenants; 2 resources would break it now',
    );
    expect(whatIfSummary([row({}), row({ definition: 'Audit-Disks', refusal: 'unsupported-alias: x', nonCompliantNow: 0 })])).toBe(
      '2 definitions replayed over the history of 1 tenant; nothing would break them now; 1 replay not possible (see why)',
    );
  });

  it("counts an initiative's members as the definitions replayed", () => {
    expect(whatIfSummary([row({ definition: 'Storage-Guardrails', member: 'MinTLS', nonCompliantNow: 1 }), row({ definition: 'Storage-Guardrails', member: 'Bypass' })])).toBe(
      '2 definitions replayed over the history of 1 tenant; 1 resource would break them now',
    );
  });

  it("replays a tenant's own import over that tenant, assigned or not", () => {
    const scope = tenantLibrary('contoso-bank');
    expect(whyReplayed('named', scope)).toBe('not assigned yet');
    expect(whyReplayed('follows', scope)).toBe('follows it');
    expect(whatIfSummary([row({ reason: 'named', nonCompliantNow: 2 })], scope)).toBe("1 definition replayed over the tenant's history; 2 resources would break it now");
    expect(whatIfSummary([], scope)).toBe('Nothing this import adds or changes could be replayed');
  });
});
