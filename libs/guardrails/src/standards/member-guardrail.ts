// A standard's member as a guardrail: Azure's definition and the standard's parameter values, with
// Rampart's metadata around it. Where the curated catalog (built-in.ts) already covers the same
// definition its severity, controls, remediation and playbook are kept; every other definition gets
// defaults from what Azure says about it, so its findings read well without hand curation.
import type { ControlRef, Framework, Guardrail } from '../catalog/guardrail';
import type { Severity } from '../events';
import type { Standard, StandardMember } from './standard';

/** The curated guardrails by the name (GUID) of the built-in definition they wrap. */
export const curatedByDefinition = (guardrails: readonly Guardrail[]): ReadonlyMap<string, Guardrail> => {
  const byName = new Map<string, Guardrail>();
  for (const g of guardrails) {
    const name = (g.definition as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && !byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), g);
  }
  return byName;
};

/** Standards whose controls are one of Rampart's frameworks, so their members count in its scores. */
const FRAMEWORK_OF: Readonly<Record<string, Framework>> = { mcsb: 'MCSB', 'cis-azure-2.0.0': 'CIS-Azure' };

// Categories whose definitions mostly check that a log, agent, tag or backup is in place: hygiene,
// rarely an exposure by itself.
const HYGIENE_CATEGORIES = new Set(
  ['Monitoring', 'Guest Configuration', 'Tags', 'General', 'Backup', 'Azure Update Manager', 'Automanage', 'ChangeTrackingAndInventory', 'Site Recovery', 'Regulatory Compliance', 'Managed Identity'].map((c) =>
    c.toLowerCase(),
  ),
);
// Categories of services whose misconfiguration exposes data or access directly.
const EXPOSURE_CATEGORIES = new Set(
  ['Security Center', 'Network', 'Key Vault', 'Storage', 'SQL', 'App Service', 'Kubernetes', 'Container Registry', 'Container Apps', 'Container Instance', 'Cosmos DB', 'API Management', 'Compute', 'Cache', 'Event Hub', 'Service Bus', 'Azure Ai Services', 'Cognitive Services', 'Machine Learning', 'Synapse', 'Data Lake', 'Azure Data Explorer', 'App Configuration', 'Search', 'SignalR', 'Web PubSub', 'Event Grid', 'Batch', 'Internet of Things', 'Logic Apps', 'Stream Analytics', 'Data Factory', 'HDInsight', 'Service Fabric', 'API for FHIR', 'Automation', 'App Platform'].map((c) =>
    c.toLowerCase(),
  ),
);

/**
 * Severity of a definition Rampart has not curated, from its category and effect: medium for the
 * services whose misconfiguration exposes something, low for hygiene (logs, agents, tags, backup)
 * and for "a companion resource is missing" (auditIfNotExists) elsewhere. Never high or critical:
 * those raise incidents by default, and only a curated guardrail should page the SOC.
 */
export const defaultSeverity = (category: string, effect: string | null): Severity => {
  const c = category.toLowerCase();
  if (HYGIENE_CATEGORIES.has(c)) return 'low';
  if (EXPOSURE_CATEGORIES.has(c)) return 'medium';
  return effect && /ifnotexists$/i.test(effect) ? 'low' : 'medium';
};

/** The shipped playbook that fits a definition best, by what it talks about. */
export const defaultPlaybook = (member: Pick<StandardMember, 'displayName' | 'description'>): string => {
  const text = `${member.displayName} ${member.description}`.toLowerCase();
  if (/public network access|private link|private endpoint|publicly accessible|firewall|public ip|internet/.test(text)) return 'restrict-public-network';
  if (/\btls\b|https|secure transfer|ssl|ftps/.test(text)) return 'harden-transport';
  if (/encrypt|customer-managed key|cmk|double encryption/.test(text)) return 'enable-encryption';
  if (/owner|privileged|guest account|external account|role assignment|rbac/.test(text)) return 'remove-privileged-assignment';
  if (/expiration|rotate|rotation|secret/.test(text)) return 'rotate-secret';
  return 'harden-configuration';
};

const MAX_REMEDIATION = 600;

/** What to do, from Azure's description of the definition (what good looks like, and why). */
export const defaultRemediation = (member: Pick<StandardMember, 'displayName' | 'description'>): string => {
  const description = member.description.replace(/\s+/g, ' ').trim();
  const why = description.length > MAX_REMEDIATION ? `${description.slice(0, MAX_REMEDIATION - 1).trimEnd()}…` : description;
  return `Bring the resource in line with "${member.displayName}".${why ? ` ${why}` : ''}`;
};

const uniqueControls = (refs: readonly ControlRef[]): ControlRef[] => {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.framework}|${r.control}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/** The member as a guardrail: the standard's parameters, curated metadata where Rampart has some. */
export const memberGuardrail = (standard: Standard, member: StandardMember, definition: unknown, curated: Guardrail | undefined): Guardrail => {
  const framework = FRAMEWORK_OF[standard.id];
  const own: ControlRef[] = framework ? member.controlIds.map((control) => ({ framework, control })) : [];
  return {
    id: member.guardrailId,
    title: curated?.title ?? member.displayName,
    severity: curated?.severity ?? defaultSeverity(member.category, member.effect),
    definition,
    source: member.source,
    parameters: member.parameters,
    initiativeParameters: member.initiativeParameters,
    controls: uniqueControls([...(curated?.controls ?? []), ...own]),
    remediation: curated?.remediation ?? defaultRemediation(member),
    playbookId: curated?.playbookId ?? defaultPlaybook(member),
  };
};
