import { claimsToGrants, parseRoleMap, uniqueGrants } from './claims-to-grants';

const GROUP = '5f1a2b3c-0000-4000-8000-00000000c0de';

const roleMap = parseRoleMap(
  JSON.stringify({
    'Rampart.SOC.Analyst': [{ role: 'soc.analyst', socTeam: 'blue' }],
    'Rampart.SOC.Lead': [
      { role: 'soc.lead', socTeam: 'blue' },
      { role: 'soc.analyst', socTeam: 'blue' },
    ],
    [GROUP]: [{ role: 'customer.viewer', tenantId: 'contoso-bank' }],
    'Rampart.Admin': [{ role: 'platform.admin' }],
  }),
);

describe('claimsToGrants', () => {
  it('maps app roles and group ids to the configured grants', () => {
    expect(claimsToGrants({ roles: ['Rampart.SOC.Analyst'], groups: [GROUP] }, roleMap)).toEqual([
      { role: 'soc.analyst', socTeam: 'blue' },
      { role: 'customer.viewer', tenantId: 'contoso-bank' },
    ]);
  });

  it('ignores claim values the map does not name, and values that are not strings', () => {
    expect(claimsToGrants({ roles: ['Some.Other.App.Role', 42, null], groups: ['11111111-2222-3333-4444-555555555555'] }, roleMap)).toEqual([]);
  });

  it('gives each grant once when several claim values confer it', () => {
    expect(claimsToGrants({ roles: ['Rampart.SOC.Analyst', 'Rampart.SOC.Lead', 'Rampart.SOC.Analyst'] }, roleMap)).toEqual([
      { role: 'soc.analyst', socTeam: 'blue' },
      { role: 'soc.lead', socTeam: 'blue' },
    ]);
  });

  it('grants nothing when roles and groups are missing or not lists', () => {
    expect(claimsToGrants({}, roleMap)).toEqual([]);
    expect(claimsToGrants({ roles: 'Rampart.Admin', groups: { [GROUP]: true } }, roleMap)).toEqual([]);
  });

  it('does not read inherited properties of the map as claim values', () => {
    expect(claimsToGrants({ roles: ['constructor', 'toString', '__proto__', 'hasOwnProperty'] }, roleMap)).toEqual([]);
  });

  it('reads only roles and groups, not other claims that happen to hold a mapped value', () => {
    expect(claimsToGrants({ wids: ['Rampart.Admin'], scp: 'Rampart.Admin' }, roleMap)).toEqual([]);
  });
});

describe('uniqueGrants', () => {
  it('tells grants apart by role and scope', () => {
    expect(
      uniqueGrants([
        { role: 'customer.viewer', tenantId: 'a' },
        { role: 'customer.viewer', tenantId: 'b' },
        { role: 'customer.admin', tenantId: 'a' },
        { role: 'customer.viewer', tenantId: 'a' },
      ]),
    ).toEqual([
      { role: 'customer.viewer', tenantId: 'a' },
      { role: 'customer.viewer', tenantId: 'b' },
      { role: 'customer.admin', tenantId: 'a' },
    ]);
  });
});

describe('parseRoleMap', () => {
  it('returns the grants per claim value', () => {
    expect(parseRoleMap('{"Rampart.Auditor": [{"role": "auditor", "tenantId": "fabrikam"}]}')).toEqual({
      'Rampart.Auditor': [{ role: 'auditor', tenantId: 'fabrikam' }],
    });
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseRoleMap('{"Rampart.Auditor": ')).toThrow(/^role map is not valid JSON/);
  });

  it('refuses a map that is not an object', () => {
    expect(() => parseRoleMap('[{"role": "platform.admin"}]')).toThrow(/must be a JSON object/);
    expect(() => parseRoleMap('null')).toThrow(/must be a JSON object/);
  });

  it('names the entry whose value is not a list', () => {
    expect(() => parseRoleMap('{"Rampart.Admin": {"role": "platform.admin"}}')).toThrow('role map entry "Rampart.Admin" must be a list of grants');
  });

  it('names the entry and position of an unknown role', () => {
    expect(() =>
      parseRoleMap('{"ok": [{"role": "auditor", "tenantId": "t"}], "Rampart.Boss": [{"role": "platform.admin"}, {"role": "god"}]}'),
    ).toThrow('role map entry "Rampart.Boss" grant 2 is not a valid grant: {"role":"god"}');
  });

  it('names the entry whose grant lacks its scope', () => {
    expect(() => parseRoleMap('{"Rampart.Viewer": [{"role": "customer.viewer", "tenantID": "contoso"}]}')).toThrow(
      'role map entry "Rampart.Viewer" grant 1 is not a valid grant',
    );
  });

  it('refuses a scope the role does not take instead of silently widening the grant', () => {
    expect(() => parseRoleMap('{"Contoso.Admins": [{"role": "platform.admin", "tenantId": "contoso"}]}')).toThrow(
      'role map entry "Contoso.Admins" grant 1 (platform.admin) has fields that role does not take: tenantId',
    );
  });

  it('refuses an empty claim value', () => {
    expect(() => parseRoleMap('{"": [{"role": "platform.admin"}]}')).toThrow('empty claim value');
  });

  it('keeps a "__proto__" key as data', () => {
    const map = parseRoleMap('{"__proto__": [{"role": "platform.admin"}]}');
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(claimsToGrants({ roles: ['__proto__'] }, map)).toEqual([{ role: 'platform.admin' }]);
    expect(claimsToGrants({ roles: ['Rampart.SOC.Analyst'] }, map)).toEqual([]);
  });
});
