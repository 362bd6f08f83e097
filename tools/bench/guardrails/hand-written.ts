// Five corpus rules written by hand as TypeScript over the normalised snapshot the engine reads:
// what the product would have without a rule engine, and so the speed the engine is measured
// against. Each follows its definition condition by condition, with the engine's documented
// comparison semantics (text ignores case, `"false"` equals false, a missing property satisfies only
// the negative operators, Indexed mode skips what cannot carry a location). Snapshot types are
// already lowercase (`canonicalType`), so a type test is one string comparison.
import type { ResourceSnapshot } from '@rampart/inventory';

export type HandWrittenState = 'compliant' | 'nonCompliant' | 'notApplicable' | 'error';

export interface HandWrittenRule {
  /** Short name for tables. */
  readonly name: string;
  /** The corpus definition it mirrors, relative to libs/guardrails/corpus/azure-policy. */
  readonly definition: string;
  readonly evaluate: (resource: ResourceSnapshot) => HandWrittenState;
}

const isMissing = (v: unknown) => v === undefined || v === null;

/** Condition `equals` against a lowercase literal: a string ignoring case, a boolean or number by its text. */
const textIs = (v: unknown, lower: string): boolean => {
  if (typeof v === 'string') return v.length === lower.length && v.toLowerCase() === lower;
  if (typeof v === 'boolean' || typeof v === 'number') return String(v) === lower;
  return false;
};

/**
 * Mode Indexed evaluates only types that support tags and location. For the top-level types below:
 * a blank location says it does not; a snapshot without one is judged by its type, which does.
 */
const indexed = (r: ResourceSnapshot) => r.location === undefined || r.location.trim() !== '';

/**
 * The port test of the RDP rule's template expression for one port or range: `*` and `3389` are
 * handled by plain conditions; `a-b` covers 3389 when a <= 3389 <= b; anything else does not.
 * `int()` of a part that is not an integer fails the evaluation, as in the engine.
 */
const rangeCovers = (range: unknown, port: number): boolean | 'error' => {
  if (isMissing(range) || range === '') return false;
  if (typeof range !== 'string') return 'error';
  if (!range.includes('-')) return false;
  const parts = range.split('-');
  const integer = /^\s*[+-]?\d+\s*$/;
  if (!integer.test(parts[0]) || !integer.test(parts[parts.length - 1])) return 'error';
  return Number.parseInt(parts[0], 10) <= port && Number.parseInt(parts[parts.length - 1], 10) >= port;
};

const someIs = (values: unknown, lower: string) => Array.isArray(values) && values.some((v) => textIs(v, lower));

export const HAND_WRITTEN_RULES: readonly HandWrittenRule[] = [
  {
    name: 'storage: blob public access',
    definition: 'built-in/Storage/ASC_Storage_DisallowPublicBlobAccess_Audit.json',
    evaluate: (r) => {
      if (r.type !== 'microsoft.storage/storageaccounts' || !indexed(r)) return 'notApplicable';
      // Azure Red Hat OpenShift's own accounts are exempt.
      const aroManaged = r.id.toLowerCase().includes('/resourcegroups/aro-') && /^(cluster|imageregistry)/is.test(r.name);
      return !aroManaged && !textIs(r.properties['allowBlobPublicAccess'], 'false') ? 'nonCompliant' : 'compliant';
    },
  },
  {
    name: 'web app: HTTPS only',
    definition: 'built-in/App Service/Webapp_AuditHTTP_Audit.json',
    evaluate: (r) => {
      if (r.type !== 'microsoft.web/sites' || !indexed(r)) return 'notApplicable';
      // kind is an applicability condition: function apps are not targeted at all.
      if (typeof r.kind === 'string' && r.kind.toLowerCase().includes('functionapp')) return 'notApplicable';
      const httpsOnly = r.properties['httpsOnly'];
      return isMissing(httpsOnly) || textIs(httpsOnly, 'false') ? 'nonCompliant' : 'compliant';
    },
  },
  {
    name: 'key vault: soft delete + purge protection',
    definition: 'built-in/Key Vault/Recoverable_Audit.json',
    evaluate: (r) => {
      if (r.type !== 'microsoft.keyvault/vaults' || !indexed(r)) return 'notApplicable';
      const p = r.properties;
      if (textIs(p['createMode'], 'recover')) return 'compliant';
      // The rule branches on requestContext().apiVersion; compliance scans use the type's latest API
      // version (after 2019-09-01), where soft delete only fails when it is explicitly false.
      const softDeleteOff = textIs(p['enableSoftDelete'], 'false');
      const purge = p['enablePurgeProtection'];
      return softDeleteOff || isMissing(purge) || textIs(purge, 'false') ? 'nonCompliant' : 'compliant';
    },
  },
  {
    name: 'SQL server: public network access',
    definition: 'built-in/SQL/SqlServer_PublicNetworkAccess_Audit.json',
    evaluate: (r) => {
      if (r.type !== 'microsoft.sql/servers' || !indexed(r)) return 'notApplicable';
      return textIs(r.properties['publicNetworkAccess'], 'disabled') ? 'compliant' : 'nonCompliant';
    },
  },
  {
    name: 'NSG rule: RDP from the Internet',
    definition: 'built-in/Network/NetworkSecurityGroup_RDPAccess_Audit.json',
    evaluate: (r) => {
      // mode All: no location needed
      if (r.type !== 'microsoft.network/networksecuritygroups/securityrules') return 'notApplicable';
      const p = r.properties;
      if (!textIs(p['access'], 'allow') || !textIs(p['direction'], 'inbound')) return 'compliant';
      const port = p['destinationPortRange'];
      const ranges = p['destinationPortRanges'];
      let portOpen = textIs(port, '*') || textIs(port, '3389');
      if (!portOpen) {
        const covered = rangeCovers(port, 3389);
        if (covered === 'error') return 'error';
        portOpen = covered;
      }
      if (!portOpen && Array.isArray(ranges)) {
        for (const range of ranges) {
          const covered = rangeCovers(range, 3389);
          if (covered === 'error') return 'error';
          if (covered) portOpen = true;
        }
      }
      portOpen ||= someIs(ranges, '*') || someIs(ranges, '3389');
      if (!portOpen) return 'compliant';
      const source = p['sourceAddressPrefix'];
      const sources = p['sourceAddressPrefixes'];
      const fromInternet = textIs(source, '*') || textIs(source, 'internet') || someIs(sources, '*') || someIs(sources, 'internet');
      return fromInternet ? 'nonCompliant' : 'compliant';
    },
  },
];
