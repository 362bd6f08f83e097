// A guardrail is an Azure Policy definition plus what Rampart needs to act on it: a stable id, a
// severity, the controls it evidences, remediation text and the response playbook to propose when
// it fails. Baselines group guardrails the way initiatives group policy definitions; Azure's
// regulatory standards are baselines too (standards/), found by id and compiled on first use.
import type { Severity } from '../events';
import { compilePolicy, type CompiledPolicy } from '../rule-engine/policy';
import { azureStandards, type StandardsCatalog } from '../standards/standards-catalog';
import { BUILT_IN_GUARDRAILS } from './built-in';

/** MCSB v1, CIS Microsoft Azure Foundations Benchmark v2.0.0, ISO/IEC 27001:2022 Annex A. */
export type Framework = 'MCSB' | 'CIS-Azure' | 'ISO27001';
export const FRAMEWORKS: readonly Framework[] = ['MCSB', 'CIS-Azure', 'ISO27001'];

export interface ControlRef {
  readonly framework: Framework;
  readonly control: string;
}

export interface Guardrail {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** The Azure Policy definition, as published (built-in export or Landing Zone file). */
  readonly definition: unknown;
  /** Where the definition comes from (path in the corpus for built-ins). */
  readonly source: string;
  /** Parameter values Rampart assigns by default (e.g. Audit where the definition defaults to Deny). */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** For an initiative's member: its parameter → the initiative parameter it takes its value from. */
  readonly initiativeParameters?: Readonly<Record<string, string>>;
  readonly controls: readonly ControlRef[];
  readonly remediation: string;
  readonly playbookId: string;
}

export interface Baseline {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly guardrailIds: readonly string[];
  /** Set for an imported standard: the Azure initiative it is (`/providers/Microsoft.Authorization/policySetDefinitions/<guid>`). */
  readonly initiativeId?: string;
  /**
   * Where the catalog compiles a guardrail of this baseline when that is not its id: a library
   * definition's version (`lib:x` evaluates as `lib:x@2`), so its id, and its findings, outlive versions.
   */
  readonly guardrailKeys?: Readonly<Record<string, string>>;
  /** For an initiative (a standard, a library initiative): the names of its parameters, which an assignment may set. */
  readonly parameters?: readonly string[];
}

/**
 * A member's parameter values from an assignment's initiative parameters (names compare
 * case-insensitively, as Azure's do): what Azure gives the member when the initiative is assigned.
 */
export const memberValuesFrom = (guardrail: Guardrail, initiativeValues: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> => {
  if (!initiativeValues || !guardrail.initiativeParameters) return {};
  const byName = new Map(Object.entries(initiativeValues).map(([k, v]) => [k.toLowerCase(), v]));
  const values: Record<string, unknown> = {};
  for (const [memberParameter, initiativeParameter] of Object.entries(guardrail.initiativeParameters)) {
    const key = initiativeParameter.toLowerCase();
    if (byName.has(key)) values[memberParameter] = byName.get(key);
  }
  return values;
};

export interface CompiledGuardrail {
  readonly guardrail: Guardrail;
  readonly policy: CompiledPolicy;
}

export interface Catalog {
  /**
   * Iterating lists the curated guardrails; `get`/`has` also find the members of the standards
   * (`mcsb:<reference id>`), compiling a standard's members on first use.
   */
  readonly guardrails: ReadonlyMap<string, CompiledGuardrail>;
  /** Iterating lists the curated baselines; `get`/`has` also find the standards (`mcsb`, `cis-azure-2.0.0` …). */
  readonly baselines: ReadonlyMap<string, Baseline>;
  /** Azure's regulatory standards (absent from catalogs built for a test). */
  readonly standards?: StandardsCatalog;
}

/**
 * A map that lists what it was built with and also answers for keys `resolve` knows: the
 * catalog's curated entries plus the standards' members (too many to build up front), or the
 * provider's library definitions (library/library-catalog.ts).
 */
export class CatalogLookup<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly listed: ReadonlyMap<string, V>,
    private readonly resolve: (key: string) => V | undefined,
  ) {}

  get(key: string): V | undefined {
    return this.listed.get(key) ?? this.resolve(key);
  }
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }
  get size(): number {
    return this.listed.size;
  }
  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.listed.forEach((value, key) => callback.call(thisArg, value, key, this));
  }
  entries() {
    return this.listed.entries();
  }
  keys() {
    return this.listed.keys();
  }
  values() {
    return this.listed.values();
  }
  [Symbol.iterator]() {
    return this.listed[Symbol.iterator]();
  }
}

const CORE = [
  'management-ports-open-to-internet',
  'subnet-without-network-security-group',
  'storage-http-allowed',
  'storage-weak-tls',
  'storage-public-blob-access',
  'key-vault-not-recoverable',
  'web-app-http-allowed',
  'sql-weak-tls',
  'web-app-without-authentication',
  'function-app-without-authentication',
  'container-app-without-authentication',
  'aks-without-rbac',
  'privileged-role-assigned-directly',
  'guest-owner-accounts',
];

export const BUILT_IN_BASELINES: readonly Baseline[] = [
  {
    id: 'landing-zone-core',
    title: 'Landing zone — core',
    description: 'The guardrails every Azure landing zone should hold: no management ports to the Internet, segmented subnets, encrypted transport, authenticated apps.',
    guardrailIds: CORE,
  },
  {
    id: 'financial-services',
    title: 'Financial services',
    description: 'Core plus private networking, encryption at rest, key rotation and registry hygiene, as regulated financial workloads (DORA, PCI DSS) expect.',
    guardrailIds: BUILT_IN_GUARDRAILS.map((g) => g.id),
  },
];

/** A definition the catalog cannot evaluate is a programming error in Rampart, not a tenant's problem. */
export class CatalogError extends Error {}

export const buildCatalog = (
  guardrails: readonly Guardrail[] = BUILT_IN_GUARDRAILS,
  baselines: readonly Baseline[] = BUILT_IN_BASELINES,
  standards?: StandardsCatalog,
): Catalog => {
  const compiled = new Map<string, CompiledGuardrail>();
  for (const guardrail of guardrails) {
    if (compiled.has(guardrail.id)) throw new CatalogError(`guardrail id ${guardrail.id} appears twice`);
    const result = compilePolicy(guardrail.definition);
    if (!result.ok) throw new CatalogError(`guardrail ${guardrail.id} (${guardrail.source}) is refused: ${result.refusal.reason}: ${result.refusal.message}`);
    const bound = result.policy.bind(guardrail.parameters ?? {});
    if (!bound.ok) throw new CatalogError(`guardrail ${guardrail.id}: default parameters refused: ${bound.refusal.message}`);
    compiled.set(guardrail.id, { guardrail, policy: result.policy });
  }
  const byId = new Map<string, Baseline>();
  for (const baseline of baselines) {
    const unknown = baseline.guardrailIds.filter((id) => !compiled.has(id));
    if (unknown.length) throw new CatalogError(`baseline ${baseline.id} names unknown guardrails: ${unknown.join(', ')}`);
    byId.set(baseline.id, baseline);
  }
  if (!standards) return { guardrails: compiled, baselines: byId };
  for (const id of byId.keys()) if (standards.has(id)) throw new CatalogError(`baseline ${id} has the id of a standard`);
  return {
    guardrails: new CatalogLookup(compiled, (id) => {
      const standardId = standards.standardIdOf(id);
      return standardId && standards.has(standardId) ? standards.compiled(standardId)?.guardrails.get(id) : undefined;
    }),
    baselines: new CatalogLookup(byId, (id) => standards.baseline(id)),
    standards,
  };
};

let builtIn: Catalog | undefined;
/**
 * The built-in catalog: the curated guardrails compiled once per process, Azure's standards found
 * by id and compiled when first used (see standards/standards-catalog.ts).
 */
export const builtInCatalog = (): Catalog => (builtIn ??= buildCatalog(BUILT_IN_GUARDRAILS, BUILT_IN_BASELINES, azureStandards(BUILT_IN_GUARDRAILS)));
