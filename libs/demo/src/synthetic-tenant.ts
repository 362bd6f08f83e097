// Synthetic but realistic Azure tenants for benchmarks and load tests: ARM GET bodies built from
// the real examples in libs/inventory/src/testing/arm-examples, with fresh ids, names, locations
// and tags, and a chosen share of resources carrying a security misconfiguration (public blob
// access, TLS 1.0, soft delete off, SSH/RDP open to the Internet, ...). Deterministic for a seed.
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type ArmResource = Record<string, unknown> & { id: string; name: string; type: string };

export interface TenantOptions {
  readonly seed: number;
  readonly resources: number;
  /** Share (0..1) of resources generated with at least one security misconfiguration. */
  readonly misconfiguredShare: number;
  /** Default: one per 2,500 resources (at least 1). */
  readonly subscriptions?: number;
}

export const ARM_EXAMPLES_DIR = path.join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');

// --- seeded PRNG (mulberry32) -------------------------------------------------------------------

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  hex(length: number): string;
}

export const seededRandom = (seed: number): Random => {
  let state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)],
    hex: (length) => Array.from({ length }, () => int(16).toString(16)).join(''),
  };
};

const uuidLike = (random: Random): string =>
  `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${random.hex(3)}-${random.hex(12)}`;

// --- security rules: how a resource type is made secure, insecure, and how to tell -------------

type Props = Record<string, unknown>;
const obj = (value: unknown): Props => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Props) : {});
const child = (parent: Props, key: string): Props => {
  const existing = obj(parent[key]);
  parent[key] = existing;
  return existing;
};

interface SecurityRule {
  /** Lower-cased ARM type. */
  readonly type: string;
  readonly harden: (p: Props) => void;
  /** Applies one of the type's misconfigurations, chosen by `variant`. */
  readonly misconfigure: (p: Props, variant: number) => void;
  readonly isMisconfigured: (p: Props) => boolean;
}

const INSECURE_NSG_RULE = (port: string): Props => ({
  name: port === '22' ? 'allow-ssh-any' : 'allow-rdp-any',
  properties: {
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: port,
    sourceAddressPrefix: 'Internet',
    destinationAddressPrefix: '*',
    access: 'Allow',
    priority: 100,
    direction: 'Inbound',
  },
});

const isOpenToInternet = (rule: Props): boolean => {
  const p = obj(rule['properties'] ?? rule);
  const source = String(p['sourceAddressPrefix'] ?? '');
  const port = String(p['destinationPortRange'] ?? '');
  return p['access'] === 'Allow' && p['direction'] === 'Inbound' && ['*', 'Internet', '0.0.0.0/0'].includes(source) && ['*', '22', '3389'].includes(port);
};

const closeRule = (p: Props): void => {
  if (isOpenToInternet(p)) p['sourceAddressPrefix'] = 'VirtualNetwork';
};

const SECURITY_RULES: readonly SecurityRule[] = [
  {
    type: 'microsoft.storage/storageaccounts',
    harden: (p) => {
      Object.assign(p, { allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2', publicNetworkAccess: 'Disabled', supportsHttpsTrafficOnly: true });
      child(p, 'networkAcls')['defaultAction'] = 'Deny';
    },
    misconfigure: (p, v) => {
      if (v % 3 === 0) p['allowBlobPublicAccess'] = true;
      else if (v % 3 === 1) p['minimumTlsVersion'] = 'TLS1_0';
      else {
        p['publicNetworkAccess'] = 'Enabled';
        child(p, 'networkAcls')['defaultAction'] = 'Allow';
      }
    },
    isMisconfigured: (p) =>
      p['allowBlobPublicAccess'] === true || p['minimumTlsVersion'] === 'TLS1_0' || p['publicNetworkAccess'] === 'Enabled' || p['supportsHttpsTrafficOnly'] === false,
  },
  {
    type: 'microsoft.keyvault/vaults',
    harden: (p) => Object.assign(p, { enableSoftDelete: true, softDeleteRetentionInDays: 90, enablePurgeProtection: true, publicNetworkAccess: 'Disabled' }),
    misconfigure: (p, v) => {
      if (v % 2 === 0) p['enableSoftDelete'] = false;
      delete p['enablePurgeProtection'];
    },
    isMisconfigured: (p) => p['enableSoftDelete'] === false || p['enablePurgeProtection'] !== true || p['publicNetworkAccess'] === 'Enabled',
  },
  {
    type: 'microsoft.sql/servers',
    harden: (p) => Object.assign(p, { publicNetworkAccess: 'Disabled', minimalTlsVersion: '1.2' }),
    misconfigure: (p, v) => {
      p['publicNetworkAccess'] = 'Enabled';
      if (v % 2 === 0) p['minimalTlsVersion'] = '1.0';
    },
    isMisconfigured: (p) => p['publicNetworkAccess'] === 'Enabled' || p['minimalTlsVersion'] === '1.0',
  },
  {
    type: 'microsoft.sql/servers/firewallrules',
    harden: (p) => Object.assign(p, { startIpAddress: '10.20.0.1', endIpAddress: '10.20.0.254' }),
    misconfigure: (p) => Object.assign(p, { startIpAddress: '0.0.0.0', endIpAddress: '255.255.255.255' }),
    isMisconfigured: (p) => p['startIpAddress'] === '0.0.0.0' && p['endIpAddress'] === '255.255.255.255',
  },
  {
    type: 'microsoft.sql/servers/auditingsettings',
    harden: (p) => (p['state'] = 'Enabled'),
    misconfigure: (p) => (p['state'] = 'Disabled'),
    isMisconfigured: (p) => p['state'] === 'Disabled',
  },
  {
    type: 'microsoft.sql/servers/azureadonlyauthentications',
    harden: (p) => (p['azureADOnlyAuthentication'] = true),
    misconfigure: (p) => (p['azureADOnlyAuthentication'] = false),
    isMisconfigured: (p) => p['azureADOnlyAuthentication'] === false,
  },
  {
    type: 'microsoft.sql/servers/databases/transparentdataencryption',
    harden: (p) => (p['state'] = 'Enabled'),
    misconfigure: (p) => (p['state'] = 'Disabled'),
    isMisconfigured: (p) => p['state'] === 'Disabled',
  },
  {
    type: 'microsoft.network/networksecuritygroups',
    harden: (p) => {
      const rules = Array.isArray(p['securityRules']) ? (p['securityRules'] as Props[]) : [];
      for (const rule of rules) closeRule(child(rule, 'properties'));
      p['securityRules'] = rules;
    },
    misconfigure: (p, v) => {
      const rules = Array.isArray(p['securityRules']) ? (p['securityRules'] as Props[]) : [];
      p['securityRules'] = [...rules, INSECURE_NSG_RULE(v % 2 === 0 ? '22' : '3389')];
    },
    isMisconfigured: (p) => Array.isArray(p['securityRules']) && (p['securityRules'] as Props[]).some(isOpenToInternet),
  },
  {
    type: 'microsoft.network/networksecuritygroups/securityrules',
    harden: (p) => closeRule(p),
    misconfigure: (p, v) => Object.assign(p, obj(INSECURE_NSG_RULE(v % 2 === 0 ? '22' : '3389')['properties'])),
    isMisconfigured: (p) => isOpenToInternet(p),
  },
  {
    type: 'microsoft.web/sites',
    harden: (p) => {
      p['httpsOnly'] = true;
      Object.assign(child(p, 'siteConfig'), { minTlsVersion: '1.2', ftpsState: 'Disabled' });
    },
    misconfigure: (p, v) => {
      if (v % 2 === 0) p['httpsOnly'] = false;
      else child(p, 'siteConfig')['minTlsVersion'] = '1.0';
    },
    isMisconfigured: (p) => p['httpsOnly'] === false || obj(p['siteConfig'])['minTlsVersion'] === '1.0',
  },
  {
    type: 'microsoft.app/containerapps',
    harden: (p) => Object.assign(child(child(p, 'configuration'), 'ingress'), { external: false, allowInsecure: false }),
    misconfigure: (p, v) => Object.assign(child(child(p, 'configuration'), 'ingress'), { external: true, allowInsecure: v % 2 === 0 }),
    isMisconfigured: (p) => obj(obj(p['configuration'])['ingress'])['external'] === true,
  },
  {
    type: 'microsoft.app/containerapps/authconfigs',
    harden: (p) => {
      child(p, 'platform')['enabled'] = true;
      child(p, 'globalValidation')['unauthenticatedClientAction'] = 'RedirectToLoginPage';
    },
    misconfigure: (p) => {
      child(p, 'platform')['enabled'] = false;
      child(p, 'globalValidation')['unauthenticatedClientAction'] = 'AllowAnonymous';
    },
    isMisconfigured: (p) => obj(p['platform'])['enabled'] === false,
  },
  {
    type: 'microsoft.apimanagement/service',
    harden: (p) => {
      Object.assign(p, { publicNetworkAccess: 'Disabled', virtualNetworkType: 'Internal' });
      child(p, 'customProperties')['Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10'] = 'False';
    },
    misconfigure: (p, v) => {
      Object.assign(p, { publicNetworkAccess: 'Enabled', virtualNetworkType: 'None' });
      if (v % 2 === 0) child(p, 'customProperties')['Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10'] = 'True';
    },
    isMisconfigured: (p) => p['publicNetworkAccess'] === 'Enabled' && p['virtualNetworkType'] === 'None',
  },
  {
    type: 'microsoft.apimanagement/service/tenant',
    harden: (p) => (p['enabled'] = false),
    misconfigure: (p) => (p['enabled'] = true),
    isMisconfigured: (p) => p['enabled'] === true,
  },
  {
    type: 'microsoft.containerservice/managedclusters',
    harden: (p) => {
      Object.assign(p, { enableRBAC: true, disableLocalAccounts: true });
      child(p, 'apiServerAccessProfile')['enablePrivateCluster'] = true;
    },
    misconfigure: (p, v) => {
      if (v % 2 === 0) p['enableRBAC'] = false;
      child(p, 'apiServerAccessProfile')['enablePrivateCluster'] = false;
      p['disableLocalAccounts'] = false;
    },
    isMisconfigured: (p) => p['enableRBAC'] === false || obj(p['apiServerAccessProfile'])['enablePrivateCluster'] === false,
  },
  {
    type: 'microsoft.containerregistry/registries',
    harden: (p) => Object.assign(p, { adminUserEnabled: false, publicNetworkAccess: 'Disabled', anonymousPullEnabled: false }),
    misconfigure: (p, v) => Object.assign(p, v % 2 === 0 ? { adminUserEnabled: true } : { anonymousPullEnabled: true, publicNetworkAccess: 'Enabled' }),
    isMisconfigured: (p) => p['adminUserEnabled'] === true || p['anonymousPullEnabled'] === true,
  },
  {
    type: 'microsoft.documentdb/databaseaccounts',
    harden: (p) => Object.assign(p, { publicNetworkAccess: 'Disabled', disableLocalAuth: true, isVirtualNetworkFilterEnabled: true }),
    misconfigure: (p) => Object.assign(p, { publicNetworkAccess: 'Enabled', disableLocalAuth: false, isVirtualNetworkFilterEnabled: false, ipRules: [] }),
    isMisconfigured: (p) => p['publicNetworkAccess'] === 'Enabled' && p['isVirtualNetworkFilterEnabled'] === false,
  },
  {
    type: 'microsoft.compute/virtualmachines',
    harden: (p) => (p['securityProfile'] = { encryptionAtHost: true, securityType: 'TrustedLaunch', uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } }),
    misconfigure: (p) => (p['securityProfile'] = { encryptionAtHost: false }),
    isMisconfigured: (p) => obj(p['securityProfile'])['encryptionAtHost'] === false,
  },
  {
    type: 'microsoft.storage/storageaccounts/blobservices',
    harden: (p) => (p['deleteRetentionPolicy'] = { enabled: true, days: 14 }),
    misconfigure: (p) => (p['deleteRetentionPolicy'] = { enabled: false }),
    isMisconfigured: (p) => obj(p['deleteRetentionPolicy'])['enabled'] === false,
  },
];

const RULES_BY_TYPE = new Map(SECURITY_RULES.map((r) => [r.type, r]));

/** Whether a generated resource carries one of the misconfigurations this generator knows. */
export const isMisconfigured = (resource: { type?: unknown; properties?: unknown }): boolean => {
  const rule = RULES_BY_TYPE.get(String(resource.type ?? '').toLowerCase());
  return rule ? rule.isMisconfigured(obj(resource.properties)) : false;
};

// --- templates -----------------------------------------------------------------------------------

interface Template {
  readonly type: string;
  /** Lower-cased type, the key into the rules. */
  readonly key: string;
  /** Per name segment of the id: the abbreviation of its type, used in generated names. */
  readonly abbreviations: readonly string[];
  /** JSON of the body with @@SUB@@, @@RG@@, @@N<i>@@ placeholders. */
  readonly text: string;
  /** Per name segment of the id: the fixed name to keep (e.g. blobServices/default), or null. */
  readonly fixedNames: readonly (string | null)[];
  readonly weight: number;
}

/** Relative frequency in a tenant; types not listed weigh 1. */
const WEIGHTS: Record<string, number> = {
  'microsoft.network/networkinterfaces': 6,
  'microsoft.compute/virtualmachines': 5,
  'microsoft.storage/storageaccounts': 5,
  'microsoft.network/networksecuritygroups': 4,
  'microsoft.network/networksecuritygroups/securityrules': 6,
  'microsoft.network/publicipaddresses': 3,
  'microsoft.network/virtualnetworks': 2,
  'microsoft.network/virtualnetworks/subnets': 4,
  'microsoft.web/sites': 4,
  'microsoft.keyvault/vaults': 3,
  'microsoft.keyvault/vaults/secrets': 4,
  'microsoft.sql/servers': 2,
  'microsoft.app/containerapps': 2,
};

const FIXED_NAMES = new Set(['default', 'current', 'access', 'activedirectory']);

const replaceInStrings = (value: unknown, replace: (s: string) => string): unknown => {
  if (typeof value === 'string') return replace(value);
  if (Array.isArray(value)) return value.map((v) => replaceInStrings(v, replace));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceInStrings(v, replace)]));
  }
  return value;
};

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compileTemplate = (body: Props): Template | undefined => {
  const id = String(body['id'] ?? '');
  const match = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+)\/(.+)$/i.exec(id);
  // extension resources (diagnostic settings, assessments: a second /providers/) are left out
  if (!match || /\/providers\//i.test(match[4])) return undefined;
  const [, subscription, group, namespace, rest] = match;
  const segments = rest.split('/');
  const types = segments.filter((_, i) => i % 2 === 0);
  const names = segments.filter((_, i) => i % 2 === 1);
  const type = [namespace, ...types].join('/');
  const fixedNames = names.map((n, i) => (i === names.length - 1 && FIXED_NAMES.has(n.toLowerCase()) ? n : null));
  const replacements: [RegExp, string][] = [
    [new RegExp(escapeRegExp(subscription), 'gi'), '@@SUB@@'],
    [new RegExp(`(resourcegroups/)${escapeRegExp(group)}`, 'gi'), '$1@@RG@@'],
    // longer names first: one may contain another
    ...names
      .map((n, i) => [n, i] as const)
      .filter(([n, i]) => fixedNames[i] === null && n.length >= 3)
      .sort((a, b) => b[0].length - a[0].length)
      .map(([n, i]): [RegExp, string] => [new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(n)}(?![A-Za-z0-9])`, 'g'), `@@N${i}@@`]),
  ];
  const templated = replaceInStrings({ ...body, type }, (s) => replacements.reduce((acc, [re, to]) => acc.replace(re, to), s)) as Props;
  // the id is rebuilt from scratch, whatever the example's names looked like
  templated['id'] = `/subscriptions/@@SUB@@/resourceGroups/@@RG@@/providers/${namespace}/${types.map((t, i) => `${t}/@@N${i}@@`).join('/')}`;
  templated['name'] = `@@N${names.length - 1}@@`;
  const key = type.toLowerCase();
  const abbreviations = types.map((t) => t.replace(/[^A-Za-z]/g, '').slice(0, 4).toLowerCase());
  return { type, key, abbreviations, text: JSON.stringify(templated), fixedNames, weight: WEIGHTS[key] ?? 1 };
};

let cachedTemplates: readonly Template[] | undefined;

/** One template per example body of the corpus (extension resources excepted), in file order. */
export const loadTemplates = (dir = ARM_EXAMPLES_DIR): readonly Template[] => {
  if (dir === ARM_EXAMPLES_DIR && cachedTemplates) return cachedTemplates;
  const templates = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => compileTemplate(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Props))
    .filter((t): t is Template => t !== undefined);
  if (dir === ARM_EXAMPLES_DIR) cachedTemplates = templates;
  return templates;
};

const weightedPicker = (templates: readonly Template[]) => {
  const total = templates.reduce((sum, t) => sum + t.weight, 0);
  return (random: Random): Template => {
    let x = random.next() * total;
    for (const t of templates) {
      x -= t.weight;
      if (x < 0) return t;
    }
    return templates[templates.length - 1];
  };
};

// --- the tenant ----------------------------------------------------------------------------------

const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'uksouth', 'francecentral', 'germanywestcentral', 'swedencentral', 'centralus'];
const ENVIRONMENTS = ['prod', 'prod', 'prod', 'staging', 'test', 'dev'];
const TEAMS = ['payments', 'identity', 'data-platform', 'web', 'mobile', 'risk', 'ops', 'analytics', 'crm', 'hr-apps', 'search', 'billing'];
const WORKLOADS = ['api', 'portal', 'etl', 'reporting', 'gateway', 'ledger', 'auth', 'batch', 'queue', 'ml', 'cms', 'backoffice'];

interface ResourceGroup {
  readonly subscription: string;
  readonly name: string;
  readonly location: string;
  readonly env: string;
  readonly team: string;
  readonly costCenter: string;
}

/**
 * Yields `resources` ARM resource bodies. About `misconfiguredShare` of them carry a
 * misconfiguration (see `isMisconfigured`); the rest of the types that have security settings
 * are hardened, so the share is what was asked for, not whatever the examples happened to hold.
 */
export function* generateTenant(options: TenantOptions): Generator<ArmResource> {
  const { seed, resources, misconfiguredShare } = options;
  if (!Number.isInteger(resources) || resources < 0) throw new Error(`resources must be a non-negative integer, not ${resources}`);
  if (!(misconfiguredShare >= 0 && misconfiguredShare <= 1)) throw new Error(`misconfiguredShare must be within 0..1, not ${misconfiguredShare}`);
  const random = seededRandom(seed);
  const templates = loadTemplates();
  const pickAny = weightedPicker(templates);
  const pickSecurityRelevant = weightedPicker(templates.filter((t) => RULES_BY_TYPE.has(t.key)));

  const subscriptionCount = Math.max(1, options.subscriptions ?? Math.ceil(resources / 2_500));
  const subscriptions = Array.from({ length: subscriptionCount }, () => uuidLike(random));
  // ~40 resources per group, like a real estate of many small workloads
  const groups: ResourceGroup[] = Array.from({ length: Math.max(1, Math.ceil(resources / 40)) }, (_, i) => {
    const env = random.pick(ENVIRONMENTS);
    const team = random.pick(TEAMS);
    return {
      subscription: subscriptions[i % subscriptionCount],
      name: `rg-${team}-${random.pick(WORKLOADS)}-${env}-${(i + 1).toString().padStart(3, '0')}`,
      location: random.pick(LOCATIONS),
      env,
      team,
      costCenter: `CC-${1000 + random.int(9000)}`,
    };
  });

  for (let index = 0; index < resources; index++) {
    const misconfigured = random.next() < misconfiguredShare;
    const template = misconfigured ? pickSecurityRelevant(random) : pickAny(random);
    const group = groups[random.int(groups.length)];
    const serial = index.toString(36).padStart(4, '0');
    const names = template.fixedNames.map((fixed, i) => fixed ?? `${template.abbreviations[i]}${group.env}${serial}${random.hex(3)}`);
    let text = template.text.replace(/@@SUB@@/g, group.subscription).replace(/@@RG@@/g, group.name);
    text = text.replace(/@@N(\d+)@@/g, (_, i: string) => names[Number(i)]);
    const resource = JSON.parse(text) as ArmResource;
    if ('location' in resource) resource['location'] = random.next() < 0.9 ? group.location : random.pick(LOCATIONS);
    resource['tags'] = {
      env: group.env,
      owner: `${group.team}@contoso.example`,
      costCenter: group.costCenter,
      ...(random.next() < 0.3 ? { app: `${group.team}-${random.pick(WORKLOADS)}` } : {}),
    };
    const rule = RULES_BY_TYPE.get(template.key);
    if (rule) {
      const properties = child(resource, 'properties');
      rule.harden(properties);
      if (misconfigured) rule.misconfigure(properties, random.int(6));
    }
    yield resource;
  }
}

/**
 * Returns copies of `resources` where `round(share * n)` of them (chosen by `seed`) have one
 * configuration change: a security setting flipped (hardened if it was misconfigured, and the
 * reverse) for types that have one, an `env` tag change otherwise. The input is not modified.
 */
export const mutate = (resources: readonly ArmResource[], share: number, seed: number): { resources: ArmResource[]; changed: number } => {
  const random = seededRandom(seed ^ 0x5bd1e995);
  const count = Math.min(resources.length, Math.round(share * resources.length));
  // partial Fisher-Yates: the first `count` of a shuffled index list
  const order = Array.from({ length: resources.length }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + random.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = new Set(order.slice(0, count));
  const out = resources.map((resource, i) => {
    if (!chosen.has(i)) return resource;
    const copy = structuredClone(resource);
    const rule = RULES_BY_TYPE.get(copy.type.toLowerCase());
    if (rule) {
      const properties = child(copy, 'properties');
      if (rule.isMisconfigured(properties)) rule.harden(properties);
      else rule.misconfigure(properties, random.int(6));
    } else {
      const tags = obj(copy['tags']);
      copy['tags'] = { ...tags, env: tags['env'] === 'prod' ? 'staging' : 'prod' };
    }
    return copy;
  });
  return { resources: out, changed: count };
};

// --- NDJSON file -----------------------------------------------------------------------------------

export interface WriteResult {
  readonly resources: number;
  readonly misconfigured: number;
  readonly bytes: number;
}

/** Streams the tenant to `file` as NDJSON; `onProgress` gets the count written so far. */
export const writeTenantFile = async (
  file: string,
  options: { seed: number; resources: number; misconfiguredShare: number; subscriptions?: number },
  onProgress?: (written: number) => void,
): Promise<WriteResult> => {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const out = createWriteStream(file, 'utf8');
  let resources = 0;
  let misconfigured = 0;
  let bytes = 0;
  try {
    for (const resource of generateTenant(options)) {
      const line = JSON.stringify(resource) + '\n';
      bytes += Buffer.byteLength(line);
      resources++;
      if (isMisconfigured(resource)) misconfigured++;
      if (!out.write(line)) await once(out, 'drain');
      if (resources % 5_000 === 0) onProgress?.(resources);
    }
  } finally {
    out.end();
    await once(out, 'finish');
  }
  return { resources, misconfigured, bytes };
};

/** The resource with its misconfiguration fixed (a copy), or itself when it has none. */
export const hardened = (resource: ArmResource): ArmResource => {
  const rule = RULES_BY_TYPE.get(resource.type.toLowerCase());
  if (!rule || !rule.isMisconfigured(obj(resource['properties']))) return resource;
  const copy = structuredClone(resource);
  rule.harden(child(copy, 'properties'));
  return copy;
};

/**
 * The settings resource that turns an app's built-in authentication on or off: App Service's
 * `config/web`, a Container Apps `authConfigs` resource; none for other types. The generator never
 * deploys these, so every app it generates starts reachable without authentication.
 */
export const authenticationOf = (resource: ArmResource, enabled: boolean): ArmResource[] => {
  const type = resource.type.toLowerCase();
  if (type === 'microsoft.web/sites') return [{ id: `${resource.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: enabled } }];
  if (type === 'microsoft.app/containerapps') {
    return [
      {
        id: `${resource.id}/authConfigs/current`,
        name: 'current',
        type: 'Microsoft.App/containerApps/authConfigs',
        properties: { platform: { enabled }, globalValidation: { unauthenticatedClientAction: enabled ? 'RedirectToLoginPage' : 'AllowAnonymous' } },
      },
    ];
  }
  return [];
};

/**
 * What a customer changes to secure a resource as the guardrails judge it: its misconfiguration
 * fixed and, for an app, its authentication turned on. The resource comes first.
 */
export const secured = (resource: ArmResource): ArmResource[] => [hardened(resource), ...authenticationOf(resource, true)];
