import { normaliseArmResource } from '@rampart/inventory';
import { authenticationOf, generateTenant, isMisconfigured, loadTemplates, mutate, secured, seededRandom, type ArmResource } from './synthetic-tenant';

const tenant = (seed: number, resources: number, misconfiguredShare = 0.2, subscriptions?: number): ArmResource[] => [
  ...generateTenant({ seed, resources, misconfiguredShare, subscriptions }),
];

describe('seededRandom', () => {
  it('repeats for a seed and differs between seeds', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('generateTenant', () => {
  const resources = tenant(1, 5_000);

  it('uses the corpus: many resource types', () => {
    expect(loadTemplates().length).toBeGreaterThanOrEqual(30);
    expect(new Set(resources.map((r) => r.type.toLowerCase())).size).toBeGreaterThanOrEqual(25);
  });

  it('is deterministic for a seed', () => {
    expect(tenant(1, 5_000)).toEqual(resources);
    expect(tenant(2, 5_000)).not.toEqual(resources);
  });

  it('gives every resource a unique id', () => {
    expect(new Set(resources.map((r) => r.id.toLowerCase())).size).toBe(resources.length);
  });

  it('yields resources that normalise, with ARM-shaped ids, locations and tags', () => {
    for (const raw of resources) {
      const normalised = normaliseArmResource(raw);
      if (!normalised.ok) throw new Error(`${raw.id}: ${normalised.reason}`);
      expect(normalised.resource.type).toBe(raw.type.toLowerCase());
      expect(normalised.resource.name).toBe(raw.name);
      expect(raw.id).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-[a-z-]+-\d{3}\/providers\/[A-Za-z.]+\/[^/]+\/[^/]+/);
      expect(raw.id.split('/').pop()).toBe(raw.name);
      expect(Object.keys(raw['tags'] as object)).toEqual(expect.arrayContaining(['env', 'owner', 'costCenter']));
    }
  });

  it('misconfigures the share asked for, within tolerance', () => {
    for (const share of [0, 0.05, 0.2, 0.5]) {
      const generated = tenant(3, 4_000, share);
      const actual = generated.filter(isMisconfigured).length / generated.length;
      expect(Math.abs(actual - share)).toBeLessThan(0.025);
    }
  });

  it('produces the misconfigurations guardrails look for', () => {
    const misconfigured = tenant(4, 3_000, 1);
    const props = (type: string) => misconfigured.filter((r) => r.type.toLowerCase() === type).map((r) => r['properties'] as Record<string, unknown>);
    expect(props('microsoft.storage/storageaccounts').some((p) => p['allowBlobPublicAccess'] === true)).toBe(true);
    expect(props('microsoft.storage/storageaccounts').some((p) => p['minimumTlsVersion'] === 'TLS1_0')).toBe(true);
    expect(props('microsoft.keyvault/vaults').some((p) => p['enableSoftDelete'] === false)).toBe(true);
    expect(props('microsoft.keyvault/vaults').every((p) => p['enablePurgeProtection'] === undefined)).toBe(true);
    expect(props('microsoft.web/sites').some((p) => p['httpsOnly'] === false)).toBe(true);
    expect(props('microsoft.sql/servers').every((p) => p['publicNetworkAccess'] === 'Enabled')).toBe(true);
    const nsgRules = props('microsoft.network/networksecuritygroups').flatMap((p) => p['securityRules'] as { properties: Record<string, unknown> }[]);
    expect(nsgRules.some((r) => r.properties['sourceAddressPrefix'] === 'Internet' && r.properties['destinationPortRange'] === '3389')).toBe(true);
    expect(nsgRules.some((r) => r.properties['sourceAddressPrefix'] === 'Internet' && r.properties['destinationPortRange'] === '22')).toBe(true);
  });

  it('spreads resources over the subscriptions asked for', () => {
    const subscriptions = new Set(tenant(5, 1_000, 0.2, 3).map((r) => r.id.split('/')[2]));
    expect(subscriptions.size).toBe(3);
  });
});

describe('mutate', () => {
  const resources = tenant(6, 2_000);

  it('changes exactly the share asked for, deterministically, without touching the input', () => {
    const before = JSON.stringify(resources);
    const { resources: after, changed } = mutate(resources, 0.01, 9);
    expect(changed).toBe(20);
    expect(JSON.stringify(resources)).toBe(before);
    const differing = after.filter((r, i) => JSON.stringify(r) !== JSON.stringify(resources[i]));
    expect(differing).toHaveLength(20);
    expect(differing.every((r) => normaliseArmResource(r).ok)).toBe(true);
    expect(after.map((r) => r.id)).toEqual(resources.map((r) => r.id));
    expect(mutate(resources, 0.01, 9).resources).toEqual(after);
  });

  it('flips security settings of security-relevant types', () => {
    const { resources: after } = mutate(resources, 1, 1);
    const flipped = after.filter((r, i) => isMisconfigured(r) !== isMisconfigured(resources[i]));
    expect(flipped.length).toBeGreaterThan(resources.length / 2);
  });
});

describe('secured and authenticationOf', () => {
  const resources = tenant(6, 2_000, 0.5);
  const ofType = (type: string) => resources.filter((r) => r.type.toLowerCase() === type);

  it('secures a resource: its misconfiguration fixed, an app given the authentication it lacks', () => {
    const storage = ofType('microsoft.storage/storageaccounts').find(isMisconfigured)!;
    expect(secured(storage)).toEqual([expect.objectContaining({ id: storage.id })]);
    expect(isMisconfigured(secured(storage)[0])).toBe(false);
    const site = ofType('microsoft.web/sites')[0];
    expect(secured(site).slice(1)).toEqual([{ id: `${site.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } }]);
    const app = ofType('microsoft.app/containerapps')[0];
    expect(secured(app).slice(1)).toEqual([expect.objectContaining({ id: `${app.id}/authConfigs/current`, properties: expect.objectContaining({ platform: { enabled: true } }) })]);
    expect(secured(app).slice(1).every((r) => normaliseArmResource(r).ok && !isMisconfigured(r))).toBe(true);
    // ...and what a redeployment without authentication pushes
    expect(authenticationOf(site, false)).toEqual([expect.objectContaining({ id: `${site.id}/config/web`, properties: { siteAuthEnabled: false } })]);
    expect(authenticationOf(app, false).every(isMisconfigured)).toBe(true);
    expect(authenticationOf(storage, false)).toEqual([]);
  });
});
