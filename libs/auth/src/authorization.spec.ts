import { AuthorizationError, TenantScope } from './authorization';
import { humanOf, type Principal, type RoleGrant } from './principal';

const principal = (...grants: RoleGrant[]): Principal => ({ kind: 'user', id: 'u1', grants });
const assignments = new Map([['blue', new Set(['contoso', 'fabrikam'])]]);

describe('TenantScope', () => {
  it('confines customers to their tenant', () => {
    const scope = new TenantScope(principal({ role: 'customer.viewer', tenantId: 'contoso' }), assignments);
    expect(scope.can('tenants.read', 'contoso')).toBe(true);
    expect(scope.can('tenants.read', 'fabrikam')).toBe(false);
    expect(scope.can('apiKeys.manage', 'contoso')).toBe(false); // viewers do not manage keys
    expect(() => scope.assert('tenants.read', 'fabrikam')).toThrow(AuthorizationError);
    expect(scope.reach('tenants.read')).toEqual({ all: false, tenants: new Set(['contoso']) });
  });

  it('gives SOC staff the tenants assigned to their team, acting on their behalf', () => {
    const scope = new TenantScope(principal({ role: 'soc.lead', socTeam: 'blue' }), assignments);
    expect(scope.can('apiKeys.manage', 'fabrikam')).toBe(true);
    expect(scope.can('tenants.read', 'northwind')).toBe(false);
    expect(scope.actorFor('apiKeys.manage', 'fabrikam')).toEqual({ kind: 'user', id: 'u1', onBehalfOfTenant: 'fabrikam' });
    const unassigned = new TenantScope(principal({ role: 'soc.analyst', socTeam: 'red' }), assignments);
    expect(unassigned.reach('tenants.read')).toEqual({ all: false, tenants: new Set() });
  });

  it("confines a SOC key to its one tenant, and only while its team is assigned there", () => {
    const key: Principal = { kind: 'api-key', id: 'k1', issuedBy: { id: 'lead@soc.example' }, grants: [{ role: 'soc.lead', socTeam: 'blue', tenantId: 'fabrikam' }] };
    const scope = new TenantScope(key, assignments);
    expect(scope.reach('tenants.read')).toEqual({ all: false, tenants: new Set(['fabrikam']) });
    expect(scope.can('tenants.read', 'contoso')).toBe(false);
    expect(scope.actorFor('incidents.respond', 'fabrikam')).toEqual({ kind: 'api-key', id: 'k1', onBehalfOfTenant: 'fabrikam', issuedBy: { kind: 'user', id: 'lead@soc.example' } });
    expect(humanOf(key)).toBe('lead@soc.example');
    const unassigned = new TenantScope(key, new Map([['blue', new Set(['contoso'])]]));
    expect(unassigned.reach('tenants.read')).toEqual({ all: false, tenants: new Set() });
  });

  it('records customers acting in their own tenant without on-behalf-of', () => {
    const scope = new TenantScope(principal({ role: 'customer.admin', tenantId: 'contoso' }), assignments);
    expect(scope.actorFor('apiKeys.manage', 'contoso')).toEqual({ kind: 'user', id: 'u1' });
  });

  it('lets the platform admin reach every tenant and auditors only the named ones, read-only', () => {
    expect(new TenantScope(principal({ role: 'platform.admin' }), assignments).reach('tenants.manage')).toEqual({ all: true });
    const auditor = new TenantScope(principal({ role: 'auditor', tenantId: 'contoso' }), assignments);
    expect(auditor.can('events.read', 'contoso')).toBe(true);
    expect(auditor.can('apiKeys.manage', 'contoso')).toBe(false);
    expect(auditor.canGlobally('platform.read')).toBe(false);
  });

  it('denies a principal without grants everything', () => {
    const scope = new TenantScope(principal(), assignments);
    expect(scope.reach('tenants.read')).toEqual({ all: false, tenants: new Set() });
    expect(() => scope.assertGlobally('platform.read')).toThrow(/not allowed to platform.read/);
  });
});
