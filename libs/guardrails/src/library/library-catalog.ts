// The policy library as baselines a tenant can be assigned. A definition: `lib-definition:<name>`
// follows the latest version, `lib-definition:<name>@<n>` is version n, with one guardrail,
// `lib:<name>`, whatever the version: a finding outlives a new version of its definition (a
// version-named guardrail would resolve every finding and open it again). An initiative:
// `lib-initiative:<name>[@<n>]`, whose members are guardrails `libset:<name>:<reference id>`, each
// evaluating the member definition's version that initiative version fixed, with the initiative's
// parameters as Azure resolves them. A tenant's own library is the same under its own ids
// (`tenant-definition:`, `tenant-initiative:`, guardrails `tlib:`, `tlibset:`), in that tenant's
// catalog only. Which version an assignment evaluates is its baseline id; the compiled policies of
// that version are found through the baseline's guardrail keys. Pure: the caller brings the
// libraries as they are (snapshots).
import type { BuiltInEntry } from '../builtins/azure-builtins';
import { builtInDefinition, builtInDefinitions } from '../builtins/azure-builtins';
import type { LibraryExtension, LibraryMemberRef, Severity } from '../events';
import type { Baseline, Catalog, CompiledGuardrail, ControlRef, Framework, Guardrail } from '../catalog/guardrail';
import { CatalogLookup, FRAMEWORKS } from '../catalog/guardrail';
import { asDeployed, compilePolicy } from '../rule-engine/policy';
import { curatedByDefinition, memberGuardrail } from '../standards/member-guardrail';
import { importStandard, type DefinitionSource, type Standard } from '../standards/standard';
import { propertiesOf, type ArtifactKind } from './artifacts';

/**
 * Whose library: the provider's, shared by every tenant, or one tenant's own. Each has its own ids,
 * so what a tenant is held to says whose definition it is, and two libraries may use one name.
 */
export type LibraryScope = 'provider' | 'tenant';

interface Naming {
  readonly definitionBaseline: string;
  readonly initiativeBaseline: string;
  readonly guardrail: string;
  readonly member: string;
  /** How a member's definition is named inside a compiled initiative (see initiativeStandard). */
  readonly memberDefinition: string;
  readonly label: string;
}

const NAMING: Readonly<Record<LibraryScope, Naming>> = {
  provider: { definitionBaseline: 'lib-definition:', initiativeBaseline: 'lib-initiative:', guardrail: 'lib:', member: 'libset:', memberDefinition: 'library@', label: "the provider's library" },
  tenant: { definitionBaseline: 'tenant-definition:', initiativeBaseline: 'tenant-initiative:', guardrail: 'tlib:', member: 'tlibset:', memberDefinition: 'tenantlib@', label: "the tenant's own library" },
};

export interface LibraryDefinitionVersion {
  readonly name: string;
  readonly version: number;
  readonly displayName: string;
  readonly definition: Record<string, unknown>;
  readonly extension: LibraryExtension;
}

export interface LibraryInitiativeVersion {
  readonly name: string;
  readonly version: number;
  readonly displayName: string;
  readonly initiative: Record<string, unknown>;
  /** In the initiative's order; a library member names the definition version it evaluates. */
  readonly members: readonly LibraryMemberRef[];
}

export interface LibraryHolding<V> {
  /** Oldest first. */
  readonly versions: readonly V[];
  readonly retired: boolean;
}

/** The library now: every version of each artifact, and whether it is retired. Names are known case-insensitively. */
export interface LibrarySnapshot {
  /** Undefined when the library never held the name. */
  definition(name: string): LibraryHolding<LibraryDefinitionVersion> | undefined;
  initiative(name: string): LibraryHolding<LibraryInitiativeVersion> | undefined;
}

export interface LibraryBaselineRef {
  readonly scope: LibraryScope;
  readonly kind: ArtifactKind;
  readonly name: string;
  readonly version?: number;
}

const PREFIXES: readonly (readonly [string, LibraryScope, ArtifactKind])[] = (['provider', 'tenant'] as const).flatMap((scope) => [
  [NAMING[scope].definitionBaseline, scope, 'definition'] as const,
  [NAMING[scope].initiativeBaseline, scope, 'initiative'] as const,
]);

/** What a library baseline id says: whose library, the artifact, and the version when it names one. */
export const parseLibraryBaselineId = (id: string): LibraryBaselineRef | undefined => {
  const found = PREFIXES.find(([prefix]) => id.toLowerCase().startsWith(prefix));
  if (!found) return undefined;
  const [prefix, scope, kind] = found;
  const rest = id.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return rest ? { scope, kind, name: rest.toLowerCase() } : undefined;
  const version = Number(rest.slice(at + 1));
  if (!Number.isInteger(version) || version < 1 || at === 0) return undefined;
  return { scope, kind, name: rest.slice(0, at).toLowerCase(), version };
};

export const libraryBaselineId = (name: string, version?: number, kind: ArtifactKind = 'definition', scope: LibraryScope = 'provider'): string =>
  `${kind === 'definition' ? NAMING[scope].definitionBaseline : NAMING[scope].initiativeBaseline}${name.toLowerCase()}${version === undefined ? '' : `@${version}`}`;
export const libraryGuardrailId = (name: string, scope: LibraryScope = 'provider'): string => `${NAMING[scope].guardrail}${name.toLowerCase()}`;
/** The standard id a library initiative's members are named under: `libset:<name>`, members `libset:<name>:<reference id>`. */
export const libraryInitiativeStandardId = (name: string, scope: LibraryScope = 'provider'): string => `${NAMING[scope].member}${name.toLowerCase()}`;
const versionKey = (name: string, version: number, scope: LibraryScope) => `${libraryGuardrailId(name, scope)}@${version}`;

/** `key@<n>` → [key, n]; a key without a version → [key, undefined]. */
const splitVersion = (key: string): [string, number | undefined] => {
  const at = key.lastIndexOf('@');
  if (at < 0) return [key, undefined];
  const version = Number(key.slice(at + 1));
  return Number.isInteger(version) && version > 0 ? [key.slice(0, at), version] : [key, undefined];
};

const DEFAULT_PLAYBOOK = 'harden-configuration';

const controlsOf = (extension: LibraryExtension): ControlRef[] =>
  (extension.controls ?? []).filter((c): c is ControlRef => (FRAMEWORKS as readonly string[]).includes(c.framework)).map((c) => ({ framework: c.framework as Framework, control: c.control }));

/** A library definition version as a guardrail: Rampart's extension block, or plain defaults. */
const compiledOf = (v: LibraryDefinitionVersion, scope: LibraryScope): CompiledGuardrail | undefined => {
  const compiled = compilePolicy(v.definition);
  if (!compiled.ok) return undefined; // recorded versions compiled when they were published
  const description = propertiesOf(v.definition)['description'];
  const severity: Severity = v.extension.severity ?? 'medium';
  return {
    policy: compiled.policy,
    guardrail: {
      id: libraryGuardrailId(v.name, scope),
      title: v.displayName,
      severity,
      definition: v.definition,
      source: `${scope === 'provider' ? 'library' : 'tenant-library'}:${v.name}@${v.version}`,
      controls: controlsOf(v.extension),
      remediation: v.extension.remediation ?? (typeof description === 'string' && description.trim() ? description.trim() : `Bring the resource in line with ${v.displayName}.`),
      playbookId: v.extension.playbookId ?? DEFAULT_PLAYBOOK,
    },
  };
};

/** Where an initiative member's definition is found: Azure's built-ins, or a library's version. */
type DefinitionFinder = (scope: LibraryScope, name: string, version?: number) => LibraryDefinitionVersion | undefined;

const MEMBER_SCOPE: Readonly<Record<Exclude<LibraryMemberRef['source'], 'built-in'>, LibraryScope>> = { library: 'provider', tenant: 'tenant' };

/** `library@<name>@<n>` / `tenantlib@<name>@<n>` → the library and version; undefined for a built-in's GUID. */
const memberDefinitionOf = (definitionName: string): { scope: LibraryScope; name: string; version?: number } | undefined => {
  for (const scope of ['provider', 'tenant'] as const) {
    const prefix = NAMING[scope].memberDefinition;
    if (definitionName.startsWith(prefix)) {
      const [name, version] = splitVersion(definitionName.slice(prefix.length));
      return { scope, name, ...(version === undefined ? {} : { version }) };
    }
  }
  return undefined;
};

/**
 * The initiative as a standard (importStandard's reading: members' parameters resolved against
 * the initiative's defaults, groups as controls), its members pointed at the definitions they
 * evaluate: a built-in by its GUID, a library definition as `library@<name>@<version>` (the
 * tenant's own: `tenantlib@…`).
 */
const initiativeStandard = (v: LibraryInitiativeVersion, scope: LibraryScope, definitionOf: DefinitionFinder): Standard => {
  const deployed = asDeployed(v.initiative);
  const properties = propertiesOf(deployed);
  const byReference = new Map(v.members.map((m) => [m.referenceId.toLowerCase(), m]));
  const list = (Object.entries(properties).find(([k]) => k.toLowerCase() === 'policydefinitions')?.[1] ?? []) as Record<string, unknown>[];
  const policyDefinitions = list.map((entry, i) => {
    const referenceId = typeof entry['policyDefinitionReferenceId'] === 'string' && entry['policyDefinitionReferenceId'] ? entry['policyDefinitionReferenceId'] : `member-${i}`;
    const member = byReference.get(referenceId.toLowerCase());
    let target = '/providers/Microsoft.Authorization/policyDefinitions/unresolved';
    if (member?.source === 'built-in') target = `/providers/Microsoft.Authorization/policyDefinitions/${member.name}`;
    else if (member) {
      const from = MEMBER_SCOPE[member.source];
      target = `/providers/Microsoft.Authorization/policyDefinitions/${NAMING[from].memberDefinition}${member.name.toLowerCase()}@${member.version ?? definitionOf(from, member.name)?.version ?? 0}`;
    }
    return { ...entry, policyDefinitionReferenceId: referenceId, policyDefinitionId: target };
  });
  const source: DefinitionSource = {
    entry: (id) => {
      const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
      const library = memberDefinitionOf(name);
      if (!library) return builtInEntries().get(name);
      const found = definitionOf(library.scope, library.name, library.version);
      if (!found) return undefined;
      const properties = propertiesOf(asDeployed(found.definition));
      const metadata = properties['metadata'] as { category?: unknown } | undefined;
      return {
        name,
        path: `${library.scope === 'provider' ? 'library' : 'tenant-library'}:${found.name}@${found.version}`,
        displayName: found.displayName,
        category: typeof metadata?.category === 'string' ? metadata.category : '',
        ...(typeof properties['mode'] === 'string' ? { mode: properties['mode'] } : {}),
        policyType: 'Custom',
      };
    },
    definition: (id) => {
      const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
      const library = memberDefinitionOf(name);
      return library ? definitionOf(library.scope, library.name, library.version)?.definition : builtInDefinition(name);
    },
  };
  return importStandard(libraryInitiativeStandardId(v.name, scope), { ...deployed, name: v.name, properties: { ...properties, policyDefinitions } }, source);
};

let builtInIndex: Map<string, BuiltInEntry> | undefined;
const builtInEntries = () => (builtInIndex ??= new Map(builtInDefinitions().map((e) => [e.name, e])));

/**
 * The catalog with the provider's library in it, and, for one tenant, that tenant's own library.
 * A retired artifact is no longer offered to new assignments (its id without a version resolves to
 * nothing), but its versions still resolve, so assignments already made keep evaluating until they
 * are changed.
 */
export const withLibrary = (base: Catalog, library: LibrarySnapshot, tenantLibrary?: LibrarySnapshot): Catalog => {
  const snapshots: Readonly<Record<LibraryScope, LibrarySnapshot | undefined>> = { provider: library, tenant: tenantLibrary };
  const compiled = new Map<string, CompiledGuardrail | null>();
  const compiledVersion = (v: LibraryDefinitionVersion, scope: LibraryScope): CompiledGuardrail | undefined => {
    const key = versionKey(v.name, v.version, scope);
    if (!compiled.has(key)) compiled.set(key, compiledOf(v, scope) ?? null);
    return compiled.get(key) ?? undefined;
  };
  const pick = <V extends { version: number }>(held: LibraryHolding<V> | undefined, version: number | undefined, allowRetired: boolean): V | undefined => {
    if (!held || held.versions.length === 0) return undefined;
    if (version === undefined) return held.retired && !allowRetired ? undefined : held.versions[held.versions.length - 1];
    return held.versions.find((v) => v.version === version);
  };
  const definitionOf = (scope: LibraryScope, name: string, version?: number, allowRetired = true) => pick(snapshots[scope]?.definition(name), version, allowRetired);
  const initiativeOf = (scope: LibraryScope, name: string, version?: number, allowRetired = true) => pick(snapshots[scope]?.initiative(name), version, allowRetired);

  let curated: ReadonlyMap<string, Guardrail> | undefined;
  const initiatives = new Map<string, { standard: Standard; guardrails: Map<string, CompiledGuardrail> }>();
  const compiledInitiative = (v: LibraryInitiativeVersion, scope: LibraryScope) => {
    const key = `${libraryInitiativeStandardId(v.name, scope)}@${v.version}`;
    let done = initiatives.get(key);
    if (!done) {
      const standard = initiativeStandard(v, scope, definitionOf);
      curated ??= curatedByDefinition([...base.guardrails.values()].map((c) => c.guardrail));
      const guardrails = new Map<string, CompiledGuardrail>();
      for (const member of standard.members) {
        if (member.kind !== 'automated') continue;
        const from = memberDefinitionOf(member.definitionName);
        const library = from ? definitionOf(from.scope, from.name, from.version) : undefined;
        const definition = library ? library.definition : builtInDefinition(member.definitionName);
        if (definition === undefined) continue;
        const result = compilePolicy(definition);
        if (!result.ok || !result.policy.bind(member.parameters).ok) continue; // a member the engine refuses is never passed
        // a library member keeps the metadata its own file gives it (severity, remediation, controls)
        const own = library && from ? compiledVersion(library, from.scope)?.guardrail : curated.get(member.definitionName);
        const guardrail = memberGuardrail(standard, member, definition, own);
        guardrails.set(member.guardrailId, { guardrail: { ...guardrail, ...(library && own ? { source: own.source } : {}) }, policy: result.policy });
      }
      done = { standard, guardrails };
      initiatives.set(key, done);
    }
    return done;
  };

  const baselineOf = (id: string): Baseline | undefined => {
    const parsed = parseLibraryBaselineId(id);
    if (!parsed || !snapshots[parsed.scope]) return undefined;
    const { scope } = parsed;
    const whose = NAMING[scope].label;
    if (parsed.kind === 'definition') {
      const v = definitionOf(scope, parsed.name, parsed.version, parsed.version !== undefined);
      if (!v || !compiledVersion(v, scope)) return undefined;
      const guardrailId = libraryGuardrailId(v.name, scope);
      return {
        id: libraryBaselineId(v.name, v.version, 'definition', scope),
        title: `${v.displayName} (${scope === 'provider' ? 'library' : 'own library'}, version ${v.version})`,
        description: `The definition ${v.name} of ${whose}, version ${v.version}.`,
        guardrailIds: [guardrailId],
        guardrailKeys: { [guardrailId]: versionKey(v.name, v.version, scope) },
      };
    }
    const v = initiativeOf(scope, parsed.name, parsed.version, parsed.version !== undefined);
    if (!v) return undefined;
    const { standard } = compiledInitiative(v, scope);
    const guardrailIds = standard.members.map((m) => m.guardrailId);
    return {
      id: libraryBaselineId(v.name, v.version, 'initiative', scope),
      title: `${v.displayName} (${scope === 'provider' ? 'library' : 'own library'} initiative, version ${v.version})`,
      description: `The initiative ${v.name} of ${whose}, version ${v.version}: ${guardrailIds.length} members.`,
      guardrailIds,
      guardrailKeys: Object.fromEntries(guardrailIds.map((g) => [g, `${g}@${v.version}`])),
      parameters: Object.keys(standard.parameters),
    };
  };
  const guardrailOf = (key: string): CompiledGuardrail | undefined => {
    for (const scope of ['provider', 'tenant'] as const) {
      if (!snapshots[scope]) continue;
      const naming = NAMING[scope];
      if (key.startsWith(naming.member)) {
        const [id, version] = splitVersion(key);
        const rest = id.slice(naming.member.length);
        const colon = rest.indexOf(':');
        const v = colon > 0 ? initiativeOf(scope, rest.slice(0, colon), version) : undefined;
        return v ? compiledInitiative(v, scope).guardrails.get(id) : undefined;
      }
      if (key.startsWith(naming.guardrail)) {
        const [name, version] = splitVersion(key.slice(naming.guardrail.length));
        const v = definitionOf(scope, name, version);
        return v ? compiledVersion(v, scope) : undefined;
      }
    }
    return undefined;
  };
  return {
    guardrails: new CatalogLookup(base.guardrails, guardrailOf),
    baselines: new CatalogLookup(base.baselines, baselineOf),
    standards: base.standards,
  };
};

/** The catalog key that compiles a baseline's guardrail (the version's, for a library baseline). */
export const guardrailKeyOf = (baseline: Baseline, guardrailId: string): string => baseline.guardrailKeys?.[guardrailId] ?? guardrailId;
