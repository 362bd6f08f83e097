import { matchRoute, pathFor, tenantOf, type Route } from './routes';

const armId = '/subscriptions/5bd188e3-14d8-412a-9c6a-4bc7c8808390/resourceGroups/rg web/providers/Microsoft.Web/sites/app#1';

describe('console routes', () => {
  it.each<Route>([
    { name: 'home' },
    { name: 'signed-in' },
    { name: 'soc-queue' },
    { name: 'soc-overview' },
    { name: 'tenant-incidents', tenantId: 'contoso-bank' },
    { name: 'incident', tenantId: 'contoso-bank', incidentId: 'inc-db8808f08449' },
    { name: 'posture', tenantId: 'contoso-bank' },
    { name: 'findings', tenantId: 'contoso-bank' },
    { name: 'audit', tenantId: 'contoso-bank' },
    { name: 'standards', tenantId: 'contoso-bank' },
    { name: 'standards', tenantId: 'contoso-bank', standardId: 'cis-azure-2.0.0' },
    { name: 'attestations', tenantId: 'contoso-bank' },
    { name: 'coverage', tenantId: 'contoso-bank' },
    { name: 'agreement', tenantId: 'contoso-bank' },
    { name: 'resource', tenantId: 'contoso-bank', resourceId: armId },
    { name: 'approvals' },
    { name: 'admin-tenants' },
    { name: 'admin-tenant', tenantId: 'contoso-bank' },
    { name: 'admin-policies', tenantId: 'contoso-bank' },
    { name: 'admin-library' },
    { name: 'admin-library-artifact', kind: 'definition', artifact: 'Deny-Sql-minTLS' },
    { name: 'admin-library-artifact', kind: 'initiative', artifact: 'Enforce-Guardrails-KeyVault_20260203' },
    { name: 'admin-groups' },
    { name: 'admin-group', groupId: 'banks' },
    { name: 'tenant-library', tenantId: 'contoso-bank' },
    { name: 'tenant-library-artifact', tenantId: 'contoso-bank', kind: 'definition', artifact: 'Bank-Storage-Tags' },
    { name: 'tenant-library-artifact', tenantId: 'contoso-bank', kind: 'initiative', artifact: 'Bank-Storage' },
  ])('goes from %j to a path and back', (route) => {
    expect(matchRoute(pathFor(route))).toEqual(route);
  });

  it('keeps an ARM id readable in the path', () => {
    expect(pathFor({ name: 'resource', tenantId: 'contoso-bank', resourceId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app' })).toBe(
      '/tenants/contoso-bank/resources/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/app',
    );
  });

  it('reads what people type or tamper with', () => {
    expect(matchRoute('/tenants/fabrikam-retail/posture/')).toEqual({ name: 'posture', tenantId: 'fabrikam-retail' });
    expect(matchRoute('/tenants/a%2Fb/posture')).toEqual({ name: 'posture', tenantId: 'a/b' });
    expect(matchRoute('/tenants/contoso-bank/nothing')).toEqual({ name: 'not-found', path: '/tenants/contoso-bank/nothing' });
    expect(matchRoute('/tenants/%E0%A4%A/posture').name).toBe('not-found');
    expect(matchRoute('/soc/queue/extra').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/incidents/inc-1/more').name).toBe('not-found');
    // where an administrator looks first
    expect(matchRoute('/admin')).toEqual({ name: 'admin-tenants' });
    expect(matchRoute('/tenants')).toEqual({ name: 'admin-tenants' });
    expect(matchRoute('/admin/settings').name).toBe('not-found');
    expect(matchRoute('/admin/tenants/contoso-bank/keys').name).toBe('not-found');
    expect(matchRoute('/admin/groups/banks/members').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/library/policies/x').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/library/definitions').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/library/definitions/x/more').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/attestations/att-1').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/coverage/r1').name).toBe('not-found');
    expect(matchRoute('/tenants/contoso-bank/agreement/differ').name).toBe('not-found');
  });

  it('names the tenant a route is about', () => {
    expect(tenantOf({ name: 'findings', tenantId: 't1' })).toBe('t1');
    expect(tenantOf({ name: 'soc-queue' })).toBeUndefined();
  });
});
