// Kept answers (the API's answer cache) over GraphQL: a score, a page of the tenant directory and a
// SOC team's reach are served again only while nothing they rest on has changed. After a change the
// next ask answers with it, and one caller's kept answer never reaches a caller with another reach.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './testing/harness';

const examples = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
const webAppBody = JSON.parse(readFileSync(join(examples, 'Microsoft.Web.sites.GetWebApp.json'), 'utf8'));
const webApp = (name: string) => ({
  ...webAppBody,
  id: String(webAppBody.id).replace(/sites\/[^/]+$/, `sites/${name}`),
  name,
  properties: { ...webAppBody.properties, httpsOnly: true },
});
const TENANT = 'contoso-bank';

describe('kept answers over GraphQL', () => {
  let h: Harness;
  let admin: string;
  let customerAdmin: string;
  beforeAll(async () => {
    h = await startHarness();
    admin = await h.token({ role: 'platform.admin' }, 'root@mssp.example');
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'ana@contoso.example');
    await h.settled();
  });
  afterAll(async () => h?.stop());

  const nonCompliant = async (): Promise<number> => {
    const { body } = await h.gql<{ complianceScore: { overall: { nonCompliant: number } } }>(`{ complianceScore(tenantId: "${TENANT}") { overall { nonCompliant } } }`, { token: customerAdmin });
    expect(body.errors).toBeUndefined();
    return body.data!.complianceScore.overall.nonCompliant;
  };
  const tenantIds = async (token: string): Promise<string[]> => {
    const { body } = await h.gql<{ tenants: { edges: { node: { tenantId: string } }[] } }>('{ tenants(first: 100) { edges { node { tenantId } } } }', { token });
    expect(body.errors).toBeUndefined();
    return body.data!.tenants.edges.map((e) => e.node.tenantId);
  };
  const push = async (...resources: unknown[]) => {
    const { body } = await h.gql(`mutation($json: String!) { pushResources(input: { tenantId: "${TENANT}", resourcesJson: $json }) { discovered } }`, {
      token: customerAdmin,
      variables: { json: JSON.stringify(resources) },
    });
    expect(body.errors).toBeUndefined();
  };

  it('answers a score with every change the worker records, asked again and again in between', async () => {
    expect(await nonCompliant()).toBe(0);
    expect(await nonCompliant()).toBe(0);
    const assigned = await h.gql('mutation { assignBaseline(input: { tenantId: "contoso-bank", assignmentId: "core", baselineId: "landing-zone-core" }) { __typename } }', { token: customerAdmin });
    expect(assigned.body.data).toEqual({ assignBaseline: { __typename: 'GuardrailPolicyChanged' } });
    await push(webApp('intranet'));
    expect(await h.eventually('the first finding scored', nonCompliant, (n) => n === 1)).toBe(1);
    await push(webApp('intranet'), webApp('extranet'));
    expect(await h.eventually('the second finding scored', nonCompliant, (n) => n === 2)).toBe(2);
    await h.settled();
    expect(await nonCompliant()).toBe(2);
  });

  it("keeps a page of the directory per reach: a customer never gets the platform admin's page, and a new tenant shows at once", async () => {
    const all = await tenantIds(admin);
    expect(all).toEqual(expect.arrayContaining(['contoso-bank', 'fabrikam-retail', 'northwind-mfg']));
    expect(await tenantIds(customerAdmin)).toEqual([TENANT]);
    expect(await tenantIds(admin)).toEqual(all);

    const onboarded = await h.gql('mutation { onboardTenant(input: { tenantId: "adatum-health", displayName: "Adatum Health", sector: "healthcare", contactEmail: "soc@adatum.example" }) { __typename } }', {
      token: admin,
    });
    expect(onboarded.body.data).toEqual({ onboardTenant: { __typename: 'TenantOnboarded' } });
    const after = await h.eventually('the new tenant listed', () => tenantIds(admin), (ids) => ids.includes('adatum-health'));
    expect(after).toEqual([...all, 'adatum-health'].sort());
    expect(await tenantIds(customerAdmin)).toEqual([TENANT]);
  });

  it("moves a SOC analyst's reach with the team's assignments, kept answers or not", async () => {
    const analyst = await h.token({ role: 'soc.analyst', socTeam: 'red' }, 'red-analyst@soc.example');
    expect(await tenantIds(analyst)).toEqual(['northwind-mfg']);
    const denied = await h.gql(`{ complianceScore(tenantId: "${TENANT}") { overall { nonCompliant } } }`, { token: analyst });
    expect(denied.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const assigned = await h.gql(`mutation { assignSocTeam(input: { tenantId: "${TENANT}", socTeam: "red" }) { __typename } }`, { token: admin });
    expect(assigned.body.data).toEqual({ assignSocTeam: { __typename: 'SocTeamAssigned' } });
    expect(await h.eventually('contoso in the red team\'s reach', () => tenantIds(analyst), (ids) => ids.includes(TENANT))).toEqual([TENANT, 'northwind-mfg']);
    const allowed = await h.gql<{ complianceScore: { overall: { nonCompliant: number } } }>(`{ complianceScore(tenantId: "${TENANT}") { overall { nonCompliant } } }`, { token: analyst });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.complianceScore.overall.nonCompliant).toBe(2);
    // the blue team never had it reach northwind: its kept answers are its own
    const blue = await h.token({ role: 'soc.analyst', socTeam: 'blue' }, 'blue-analyst@soc.example');
    expect(await tenantIds(blue)).toEqual(['contoso-bank', 'fabrikam-retail']);
  });
});
