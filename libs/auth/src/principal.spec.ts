import { parseGrant } from './principal';

describe('parsing a role grant from untrusted claims', () => {
  it('keeps tenant-scoped grants of a tenant', () => {
    expect(parseGrant({ role: 'customer.admin', tenantId: 'contoso' })).toEqual({ role: 'customer.admin', tenantId: 'contoso' });
    expect(parseGrant({ role: 'soc.lead', socTeam: 'blue', tenantId: 'contoso' })).toEqual({ role: 'soc.lead', socTeam: 'blue', tenantId: 'contoso' });
  });

  it.each([
    { role: 'customer.admin', tenantId: 'provider' },
    { role: 'customer.viewer', tenantId: 'provider' },
    { role: 'auditor', tenantId: 'provider' },
    { role: 'soc.lead', socTeam: 'blue', tenantId: 'provider' },
  ])('refuses a grant scoped to the provider\'s own records: %o', (grant) => {
    expect(parseGrant(grant)).toBeUndefined();
  });
});
