// The policy library's definitions as baselines a tenant can be assigned: `lib-definition:<name>`
// follows the latest version, `lib-definition:<name>@<n>` is version n. Each has one guardrail,
// `lib:<name>`, whatever the version: a finding outlives a new version of its definition (a
// version-named guardrail would resolve every finding and open it again). Which version a tenant's
// assignment evaluates is its baseline id; the compiled policy of that version is found through the
// baseline's guardrail keys. Pure: the caller brings the library as it is (a snapshot).
import type { Severity } from '../events';
import type { Baseline, Catalog, CompiledGuardrail, ControlRef, Framework } from '../catalog/guardrail';
import { CatalogLookup, FRAMEWORKS } from '../catalog/guardrail';
import { compilePolicy } from '../rule-engine/policy';
import { propertiesOf } from './artifacts';
import type { LibraryExtension } from '../events';

export const LIBRARY_DEFINITION_BASELINE = 'lib-definition:';
export const LIBRARY_GUARDRAIL = 'lib:';

export interface LibraryDefinitionVersion {
  readonly name: string;
  readonly version: number;
  readonly displayName: string;
  readonly definition: Record<string, unknown>;
  readonly extension: LibraryExtension;
}

/** The library's definitions now: every version of each, and whether it is retired. */
export interface LibrarySnapshot {
  /** Versions oldest first; undefined when the library never held the name. Names are lowercase. */
  definition(name: string): { readonly versions: readonly LibraryDefinitionVersion[]; readonly retired: boolean } | undefined;
}

/** What a library baseline id says: the definition, and the version when it names one. */
export const parseLibraryBaselineId = (id: string): { readonly name: string; readonly version?: number } | undefined => {
  if (!id.toLowerCase().startsWith(LIBRARY_DEFINITION_BASELINE)) return undefined;
  const rest = id.slice(LIBRARY_DEFINITION_BASELINE.length);
  const at = rest.lastIndexOf('@');
  if (at < 0) return rest ? { name: rest.toLowerCase() } : undefined;
  const version = Number(rest.slice(at + 1));
  if (!Number.isInteger(version) || version < 1 || at === 0) return undefined;
  return { name: rest.slice(0, at).toLowerCase(), version };
};

export const libraryBaselineId = (name: string, version?: number): string => `${LIBRARY_DEFINITION_BASELINE}${name.toLowerCase()}${version === undefined ? '' : `@${version}`}`;
export const libraryGuardrailId = (name: string): string => `${LIBRARY_GUARDRAIL}${name.toLowerCase()}`;
const versionKey = (name: string, version: number) => `${libraryGuardrailId(name)}@${version}`;

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

/**
 * The catalog with the library's definitions in it. A retired definition is no longer offered to
 * new assignments (its id without a version resolves to nothing), but its versions still resolve,
 * so assignments already made keep evaluating until they are changed.
 */
export const withLibrary = (base: Catalog, library: LibrarySnapshot): Catalog => {
  const compiled = new Map<string, CompiledGuardrail | null>();
  const compiledVersion = (v: LibraryDefinitionVersion): CompiledGuardrail | undefined => {
    const key = versionKey(v.name, v.version);
    if (!compiled.has(key)) compiled.set(key, compiledOf(v) ?? null);
    return compiled.get(key) ?? undefined;
  };
  const versionOf = (name: string, version?: number, allowRetired = true): LibraryDefinitionVersion | undefined => {
    const held = library.definition(name);
    if (!held || held.versions.length === 0) return undefined;
    if (version === undefined) return held.retired && !allowRetired ? undefined : held.versions[held.versions.length - 1];
    return held.versions.find((v) => v.version === version);
  };
  const baselineOf = (id: string): Baseline | undefined => {
    const parsed = parseLibraryBaselineId(id);
    if (!parsed) return undefined;
    const v = versionOf(parsed.name, parsed.version, parsed.version !== undefined);
    if (!v || !compiledVersion(v)) return undefined;
    const guardrailId = libraryGuardrailId(v.name);
    return {
      id: libraryBaselineId(v.name, v.version),
      title: `${v.displayName} (library, version ${v.version})`,
      description: `The provider's library definition ${v.name}, version ${v.version}.`,
      guardrailIds: [guardrailId],
      guardrailKeys: { [guardrailId]: versionKey(v.name, v.version) },
    };
  };
  const guardrailOf = (key: string): CompiledGuardrail | undefined => {
    if (!key.startsWith(LIBRARY_GUARDRAIL)) return undefined;
    const rest = key.slice(LIBRARY_GUARDRAIL.length);
    const at = rest.lastIndexOf('@');
    const v = at < 0 ? versionOf(rest) : versionOf(rest.slice(0, at), Number(rest.slice(at + 1)));
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
