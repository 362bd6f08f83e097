// The policy library as baselines a tenant can be assigned. A definition: `lib-definition:<name>`
// follows the latest version, `lib-definition:<name>@<n>` is version n, with one guardrail,
// `lib:<name>`, whatever the version: a finding outlives a new version of its definition (a
// version-named guardrail would resolve every finding and open it again). An initiative:
// `lib-initiative:<name>[@<n>]`, whose members are guardrails `libset:<name>:<reference id>`, each
// evaluating the member definition's version that initiative version fixed, with the initiative's
// parameters as Azure resolves them. Which version an assignment evaluates is its baseline id; the
// compiled policies of that version are found through the baseline's guardrail keys. Pure: the
// caller brings the library as it is (a snapshot).
import type { BuiltInEntry } from '../builtins/azure-builtins';
import { builtInDefinition, builtInDefinitions } from '../builtins/azure-builtins';
import type { LibraryMemberRef, Severity } from '../events';
import type { Baseline, Catalog, CompiledGuardrail, ControlRef, Framework, Guardrail } from '../catalog/guardrail';
import { CatalogLookup, FRAMEWORKS } from '../catalog/guardrail';
import { asDeployed, compilePolicy } from '../rule-engine/policy';
import { curatedByDefinition, memberGuardrail } from '../standards/member-guardrail';
import { importStandard, type DefinitionSource, type Standard } from '../standards/standard';
import { propertiesOf, type ArtifactKind } from './artifacts';
import type { LibraryExtension } from '../events';

export const LIBRARY_DEFINITION_BASELINE = 'lib-definition:';
export const LIBRARY_INITIATIVE_BASELINE = 'lib-initiative:';
export const LIBRARY_GUARDRAIL = 'lib:';
export const LIBRARY_MEMBER_GUARDRAIL = 'libset:';

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
  readonly kind: ArtifactKind;
  readonly name: string;
  readonly version?: number;
}

const PREFIXES: readonly (readonly [string, ArtifactKind])[] = [
  [LIBRARY_DEFINITION_BASELINE, 'definition'],
  [LIBRARY_INITIATIVE_BASELINE, 'initiative'],
];

/** What a library baseline id says: the artifact, and the version when it names one. */
export const parseLibraryBaselineId = (id: string): LibraryBaselineRef | undefined => {
  const found = PREFIXES.find(([prefix]) => id.toLowerCase().startsWith(prefix));
  if (!found) return undefined;
  const [prefix, kind] = found;
  const rest = id.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return rest ? { kind, name: rest.toLowerCase() } : undefined;
  const version = Number(rest.slice(at + 1));
  if (!Number.isInteger(version) || version < 1 || at === 0) return undefined;
  return { kind, name: rest.slice(0, at).toLowerCase(), version };
};

export const libraryBaselineId = (name: string, version?: number, kind: ArtifactKind = 'definition'): string =>
  `${kind === 'definition' ? LIBRARY_DEFINITION_BASELINE : LIBRARY_INITIATIVE_BASELINE}${name.toLowerCase()}${version === undefined ? '' : `@${version}`}`;
export const libraryGuardrailId = (name: string): string => `${LIBRARY_GUARDRAIL}${name.toLowerCase()}`;
/** The standard id a library initiative's members are named under: `libset:<name>`, members `libset:<name>:<reference id>`. */
export const libraryInitiativeStandardId = (name: string): string => `${LIBRARY_MEMBER_GUARDRAIL}${name.toLowerCase()}`;
const versionKey = (name: string, version: number) => `${libraryGuardrailId(name)}@${version}`;

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
const compiledOf = (v: LibraryDefinitionVersion): CompiledGuardrail | undefined => {
  const compiled = compilePolicy(v.definition);
  if (!compiled.ok) return undefined; // recorded versions compiled when they were published
  const description = propertiesOf(v.definition)['description'];
  const severity: Severity = v.extension.severity ?? 'medium';
  return {
    policy: compiled.policy,
    guardrail: {
      id: libraryGuardrailId(v.name),
      title: v.displayName,
      severity,
      definition: v.definition,
      source: `library:${v.name}@${v.version}`,
      controls: controlsOf(v.extension),
      remediation: v.extension.remediation ?? (typeof description === 'string' && description.trim() ? description.trim() : `Bring the resource in line with ${v.displayName}.`),
      playbookId: v.extension.playbookId ?? DEFAULT_PLAYBOOK,
    },
  };
};

/** A member's definition as the compiled initiative finds it: a built-in, or a library definition's version. */
const LIBRARY_MEMBER_ID = '/providers/Microsoft.Authorization/policyDefinitions/library@';

/**
 * The initiative as a standard (importStandard's reading: members' parameters resolved against
 * the initiative's defaults, groups as controls), its members pointed at the definitions they
 * evaluate: a built-in by its GUID, a library definition as `library@<name>@<version>`.
 */
const initiativeStandard = (v: LibraryInitiativeVersion, definitionOf: (name: string, version?: number) => LibraryDefinitionVersion | undefined): Standard => {
  const deployed = asDeployed(v.initiative);
  const properties = propertiesOf(deployed);
  const byReference = new Map(v.members.map((m) => [m.referenceId.toLowerCase(), m]));
  const list = (Object.entries(properties).find(([k]) => k.toLowerCase() === 'policydefinitions')?.[1] ?? []) as Record<string, unknown>[];
  const policyDefinitions = list.map((entry, i) => {
    const referenceId = typeof entry['policyDefinitionReferenceId'] === 'string' && entry['policyDefinitionReferenceId'] ? entry['policyDefinitionReferenceId'] : `member-${i}`;
    const member = byReference.get(referenceId.toLowerCase());
    const target = !member
      ? '/providers/Microsoft.Authorization/policyDefinitions/unresolved'
      : member.source === 'built-in'
        ? `/providers/Microsoft.Authorization/policyDefinitions/${member.name}`
        : `${LIBRARY_MEMBER_ID}${member.name.toLowerCase()}@${member.version ?? definitionOf(member.name)?.version ?? 0}`;
    return { ...entry, policyDefinitionReferenceId: referenceId, policyDefinitionId: target };
  });
  const source: DefinitionSource = {
    entry: (id) => {
      const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
      if (!name.startsWith('library@')) return builtInEntries().get(name);
      const [lowerName, version] = splitVersion(name.slice('library@'.length));
      const found = definitionOf(lowerName, version);
      if (!found) return undefined;
      const properties = propertiesOf(asDeployed(found.definition));
      const metadata = properties['metadata'] as { category?: unknown } | undefined;
      return {
        name,
        path: `library:${found.name}@${found.version}`,
        displayName: found.displayName,
        category: typeof metadata?.category === 'string' ? metadata.category : '',
        ...(typeof properties['mode'] === 'string' ? { mode: properties['mode'] } : {}),
        policyType: 'Custom',
      };
    },
    definition: (id) => {
      const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
      if (!name.startsWith('library@')) return builtInDefinition(name);
      const [lowerName, version] = splitVersion(name.slice('library@'.length));
      return definitionOf(lowerName, version)?.definition;
    },
  };
  return importStandard(libraryInitiativeStandardId(v.name), { ...deployed, name: v.name, properties: { ...properties, policyDefinitions } }, source);
};

let builtInIndex: Map<string, BuiltInEntry> | undefined;
const builtInEntries = () => (builtInIndex ??= new Map(builtInDefinitions().map((e) => [e.name, e])));

/**
 * The catalog with the library's definitions and initiatives in it. A retired artifact is no longer
 * offered to new assignments (its id without a version resolves to nothing), but its versions
 * still resolve, so assignments already made keep evaluating until they are changed.
 */
export const withLibrary = (base: Catalog, library: LibrarySnapshot): Catalog => {
  const compiled = new Map<string, CompiledGuardrail | null>();
  const compiledVersion = (v: LibraryDefinitionVersion): CompiledGuardrail | undefined => {
    const key = versionKey(v.name, v.version);
    if (!compiled.has(key)) compiled.set(key, compiledOf(v) ?? null);
    return compiled.get(key) ?? undefined;
  };
  const pick = <V extends { version: number }>(held: LibraryHolding<V> | undefined, version: number | undefined, allowRetired: boolean): V | undefined => {
    if (!held || held.versions.length === 0) return undefined;
    if (version === undefined) return held.retired && !allowRetired ? undefined : held.versions[held.versions.length - 1];
    return held.versions.find((v) => v.version === version);
  };
  const definitionOf = (name: string, version?: number, allowRetired = true) => pick(library.definition(name), version, allowRetired);
  const initiativeOf = (name: string, version?: number, allowRetired = true) => pick(library.initiative(name), version, allowRetired);

  let curated: ReadonlyMap<string, Guardrail> | undefined;
  const initiatives = new Map<string, { standard: Standard; guardrails: Map<string, CompiledGuardrail> }>();
  const compiledInitiative = (v: LibraryInitiativeVersion) => {
    const key = `${libraryInitiativeStandardId(v.name)}@${v.version}`;
    let done = initiatives.get(key);
    if (!done) {
      const standard = initiativeStandard(v, definitionOf);
      curated ??= curatedByDefinition([...base.guardrails.values()].map((c) => c.guardrail));
      const guardrails = new Map<string, CompiledGuardrail>();
      for (const member of standard.members) {
        if (member.kind !== 'automated') continue;
        const library = member.definitionName.startsWith('library@') ? definitionOf(...splitVersion(member.definitionName.slice('library@'.length))) : undefined;
        const definition = library ? library.definition : builtInDefinition(member.definitionName);
        if (definition === undefined) continue;
        const result = compilePolicy(definition);
        if (!result.ok || !result.policy.bind(member.parameters).ok) continue; // a member the engine refuses is never passed
        // a library member keeps the metadata its own file gives it (severity, remediation, controls)
        const own = library ? compiledVersion(library)?.guardrail : curated.get(member.definitionName);
        const guardrail = memberGuardrail(standard, member, definition, own);
        guardrails.set(member.guardrailId, { guardrail: { ...guardrail, ...(library ? { source: `library:${library.name}@${library.version}` } : {}) }, policy: result.policy });
      }
      done = { standard, guardrails };
      initiatives.set(key, done);
    }
    return done;
  };

  const baselineOf = (id: string): Baseline | undefined => {
    const parsed = parseLibraryBaselineId(id);
    if (!parsed) return undefined;
    if (parsed.kind === 'definition') {
      const v = definitionOf(parsed.name, parsed.version, parsed.version !== undefined);
      if (!v || !compiledVersion(v)) return undefined;
      const guardrailId = libraryGuardrailId(v.name);
      return {
        id: libraryBaselineId(v.name, v.version),
        title: `${v.displayName} (library, version ${v.version})`,
        description: `The provider's library definition ${v.name}, version ${v.version}.`,
        guardrailIds: [guardrailId],
        guardrailKeys: { [guardrailId]: versionKey(v.name, v.version) },
      };
    }
    const v = initiativeOf(parsed.name, parsed.version, parsed.version !== undefined);
    if (!v) return undefined;
    const { standard } = compiledInitiative(v);
    const guardrailIds = standard.members.map((m) => m.guardrailId);
    return {
      id: libraryBaselineId(v.name, v.version, 'initiative'),
      title: `${v.displayName} (library initiative, version ${v.version})`,
      description: `The provider's library initiative ${v.name}, version ${v.version}: ${guardrailIds.length} members.`,
      guardrailIds,
      guardrailKeys: Object.fromEntries(guardrailIds.map((g) => [g, `${g}@${v.version}`])),
      parameters: Object.keys(standard.parameters),
    };
  };
  const guardrailOf = (key: string): CompiledGuardrail | undefined => {
    if (key.startsWith(LIBRARY_MEMBER_GUARDRAIL)) {
      const [id, version] = splitVersion(key);
      const rest = id.slice(LIBRARY_MEMBER_GUARDRAIL.length);
      const colon = rest.indexOf(':');
      const v = colon > 0 ? initiativeOf(rest.slice(0, colon), version) : undefined;
      return v ? compiledInitiative(v).guardrails.get(id) : undefined;
    }
    if (!key.startsWith(LIBRARY_GUARDRAIL)) return undefined;
    const [id, version] = splitVersion(key.slice(LIBRARY_GUARDRAIL.length));
    const v = definitionOf(id, version);
    return v ? compiledVersion(v) : undefined;
  };
  return {
    guardrails: new CatalogLookup(base.guardrails, guardrailOf),
    baselines: new CatalogLookup(base.baselines, baselineOf),
    standards: base.standards,
  };
};

/** The catalog key that compiles a baseline's guardrail (the version's, for a library baseline). */
export const guardrailKeyOf = (baseline: Baseline, guardrailId: string): string => baseline.guardrailKeys?.[guardrailId] ?? guardrailId;
