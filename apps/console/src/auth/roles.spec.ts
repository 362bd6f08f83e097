import { homePath, isMe, isPlatformAdmin, isSoc, offers, reachableTenants, type Me } from './roles';

const me = (grants: Me['grants'], tenantIds: string[]): Me => ({ id: 'x', kind: 'user', grants, tenantIds });

describe('what the console offers', () => {
  const analyst = me([{ role: 'soc.analyst', socTeam: 'blue' }], ['contoso-bank', 'fabrikam-retail']);
  const lead = me([{ role: 'soc.lead', socTeam: 'blue' }], ['contoso-bank']);
  const customer = me([{ role: 'customer.admin', tenantId: 'contoso-bank' }], ['contoso-bank']);
  const viewer = me([{ role: 'customer.viewer', tenantId: 'fabrikam-retail' }], ['fabrikam-retail']);
  const auditor = me([{ role: 'auditor', tenantId: 'contoso-bank' }], ['contoso-bank']);

  it('offers approval to leads and customer admins, work on incidents to the SOC', () => {
    expect(offers(analyst, 'approveActions', 'contoso-bank')).toBe(false);
    expect(offers(analyst, 'respond', 'contoso-bank')).toBe(true);
    expect(offers(lead, 'approveActions', 'contoso-bank')).toBe(true);
    expect(offers(lead, 'approveActions', 'northwind-mfg')).toBe(false);
    expect(offers(customer, 'approveActions', 'contoso-bank')).toBe(true);
    expect(offers(customer, 'respond', 'contoso-bank')).toBe(false);
    expect(offers(customer, 'approveActions', 'fabrikam-retail')).toBe(false);
    expect(offers(viewer, 'requestExemption', 'fabrikam-retail')).toBe(false);
    expect(offers(auditor, 'auditExport', 'contoso-bank')).toBe(true);
  });

  it('offers attesting and approving attestations to customer admins and SOC leads of the tenant, not to auditors or analysts', () => {
    expect(offers(customer, 'recordAttestations', 'contoso-bank')).toBe(true);
    expect(offers(lead, 'approveAttestations', 'contoso-bank')).toBe(true);
    expect(offers(auditor, 'recordAttestations', 'contoso-bank')).toBe(false);
    expect(offers(auditor, 'approveAttestations', 'contoso-bank')).toBe(false);
    expect(offers(analyst, 'recordAttestations', 'contoso-bank')).toBe(false);
    expect(offers(customer, 'recordAttestations', 'fabrikam-retail')).toBe(false);
  });

  it('knows its own requests as the four-eyes rules do: trimmed, in any case', () => {
    expect(isMe({ id: 'lead@soc.example' }, ' Lead@SOC.example')).toBe(true);
    expect(isMe({ id: 'lead@soc.example' }, 'ana@soc.example')).toBe(false);
  });

  it('lands the SOC on its queue, customers on their posture, auditors on the export', () => {
    expect(isSoc(analyst)).toBe(true);
    expect(homePath(analyst)).toBe('/soc/queue');
    expect(homePath(customer)).toBe('/tenants/contoso-bank/posture');
    expect(homePath(auditor)).toBe('/tenants/contoso-bank/audit');
  });
});

describe("a platform admin's tenants", () => {
  const tenants = new Map(
    [
      { tenantId: 'contoso-bank', status: 'active' },
      { tenantId: 'woodgrove', status: 'suspended' },
      { tenantId: 'old-customer', status: 'offboarded' },
    ].map((t) => [t.tenantId, t]),
  );

  it('are the tenants that exist and are not offboarded, never the wildcard', () => {
    const admin = me([{ role: 'platform.admin' }], ['*']);
    expect(reachableTenants(admin, tenants).tenantIds).toEqual(['contoso-bank', 'woodgrove']);
    expect(isPlatformAdmin(admin)).toBe(true);
  });

  it('leave everyone else as the API said', () => {
    const analyst = me([{ role: 'soc.analyst', socTeam: 'blue' }], ['contoso-bank']);
    expect(reachableTenants(analyst, tenants)).toBe(analyst);
    expect(isPlatformAdmin(analyst)).toBe(false);
  });
});
