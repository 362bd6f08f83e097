// Azure's regulatory standards as Rampart baselines, built lazily: listing them reads the
// initiatives only; a standard's members are imported (definitions read) when it is first asked
// for, and compiled when it is first evaluated or assigned — once per process. So the catalog
// costs nothing at start, and a process pays only for the standards its tenants use.
import { builtInDefinition, builtInDefinitions, builtInInitiative, builtInInitiatives, builtInNameOf, type BuiltInEntry } from '../builtins/azure-builtins';
import type { Baseline, CompiledGuardrail, Guardrail } from '../catalog/guardrail';
import type { Refusal } from '../rule-engine/errors';
import { compilePolicy } from '../rule-engine/policy';
import { curatedByDefinition, memberGuardrail } from './member-guardrail';
import { importStandard, memberGuardrailId, summarizeInitiative, type DefinitionSource, type Standard, type StandardSummary } from './standard';
import { MCSB_INITIATIVE, slugStandardId, STANDARD_IDS } from './standard-ids';

export interface CompiledStandard {
  readonly standard: Standard;
  /** The automated members the engine compiled, by guardrail id. */
  readonly guardrails: ReadonlyMap<string, CompiledGuardrail>;
  /** The automated members it refused (unknown alias, unsupported function …): members still, never passed. */
  readonly refused: ReadonlyMap<string, Refusal>;
  /** The members that curated metadata was kept for: guardrail id → curated guardrail id. */
  readonly curated: ReadonlyMap<string, string>;
  /** Import and compile time, milliseconds. */
  readonly compileMs: number;
}

export interface StandardsCatalog {
  /** Every standard with its counts, from the initiatives alone (nothing compiled). */
  list(): readonly StandardSummary[];
  /** Whether a standard of that id exists (reads only the initiative index). */
  has(id: string): boolean;
  /** A standard's controls and members (definitions read, nothing compiled). */
  get(id: string): Standard | undefined;
  /** A standard's members compiled (the first call per process compiles them). */
  compiled(id: string): CompiledStandard | undefined;
  /** The standard as a baseline: every member, from the initiative alone. */
  baseline(id: string): Baseline | undefined;
  /** The standard a member's guardrail id belongs to (`mcsb:…` → `mcsb`), without loading anything. */
  standardIdOf(guardrailId: string): string | undefined;
}

interface InitiativeRef {
  readonly id: string;
  readonly name: string;
}

const builtInSource: DefinitionSource = {
  entry: (idOrName) => definitionIndex().get(builtInNameOf(idOrName)),
  definition: builtInDefinition,
};

let definitionsByName: Map<string, BuiltInEntry> | undefined;
const definitionIndex = () => (definitionsByName ??= new Map(builtInDefinitions().map((e) => [e.name, e])));

/** Every Regulatory Compliance initiative and MCSB, with its pinned id (or a slug for one not pinned yet). */
export const standardInitiatives = (): InitiativeRef[] => {
  const refs: InitiativeRef[] = [];
  for (const entry of builtInInitiatives()) {
    if (entry.category !== 'Regulatory Compliance' && entry.name !== MCSB_INITIATIVE) continue;
    refs.push({ id: STANDARD_IDS.get(entry.name) ?? slugStandardId(entry.displayName), name: entry.name });
  }
  return refs.sort((a, b) => (a.id === 'mcsb' ? -1 : b.id === 'mcsb' ? 1 : a.id.localeCompare(b.id, 'en', { numeric: true })));
};

/**
 * The standards catalog over the vendored built-ins. `curated` are the guardrails whose metadata is
 * kept for the same definition in a standard.
 */
export const azureStandards = (curated: readonly Guardrail[], source: DefinitionSource = builtInSource): StandardsCatalog => {
  let refs: Map<string, InitiativeRef> | undefined;
  const refOf = (id: string) => (refs ??= new Map(standardInitiatives().map((r) => [r.id, r]))).get(id);
  const initiativeOf = (id: string) => {
    const ref = refOf(id);
    return ref ? builtInInitiative(ref.name) : undefined;
  };
  let summaries: StandardSummary[] | undefined;
  const imported = new Map<string, Standard>();
  const compiled = new Map<string, CompiledStandard>();
  const baselines = new Map<string, Baseline>();
  let curatedIndex: ReadonlyMap<string, Guardrail> | undefined;

  const get = (id: string): Standard | undefined => {
    let standard = imported.get(id);
    if (!standard) {
      const initiative = initiativeOf(id);
      if (!initiative) return undefined;
      standard = importStandard(id, initiative, source);
      imported.set(id, standard);
    }
    return standard;
  };

  return {
    list: () => (summaries ??= standardInitiatives().map((r) => summarizeInitiative(r.id, builtInInitiative(r.name)))),
    has: (id) => refOf(id) !== undefined,
    get,
    compiled: (id) => {
      const done = compiled.get(id);
      if (done) return done;
      const started = performance.now();
      const standard = get(id);
      if (!standard) return undefined;
      curatedIndex ??= curatedByDefinition(curated);
      const guardrails = new Map<string, CompiledGuardrail>();
      const refused = new Map<string, Refusal>();
      const kept = new Map<string, string>();
      for (const member of standard.members) {
        if (member.kind !== 'automated') continue;
        const definition = source.definition(member.definitionName);
        const result = definition === undefined ? { ok: false as const, refusal: { reason: 'invalid-definition' as const, message: `Azure has no built-in definition ${member.definitionName}` } } : compilePolicy(definition);
        if (!result.ok) {
          refused.set(member.guardrailId, result.refusal);
          continue;
        }
        const bound = result.policy.bind(member.parameters);
        if (!bound.ok) {
          refused.set(member.guardrailId, bound.refusal);
          continue;
        }
        const match = curatedIndex.get(member.definitionName);
        if (match) kept.set(member.guardrailId, match.id);
        guardrails.set(member.guardrailId, { guardrail: memberGuardrail(standard, member, definition, match), policy: result.policy });
      }
      const entry: CompiledStandard = { standard, guardrails, refused, curated: kept, compileMs: performance.now() - started };
      compiled.set(id, entry);
      return entry;
    },
    baseline: (id) => {
      let baseline = baselines.get(id);
      if (!baseline) {
        const initiative = initiativeOf(id);
        if (!initiative) return undefined;
        const summary = summarizeInitiative(id, initiative);
        const members = ((initiative as { properties: { policyDefinitions: { policyDefinitionId: string; policyDefinitionReferenceId?: string }[] } }).properties.policyDefinitions ?? []).map((m) =>
          memberGuardrailId(id, m.policyDefinitionReferenceId ?? builtInNameOf(m.policyDefinitionId)),
        );
        const declared = (initiative as { properties: { parameters?: Record<string, unknown> } }).properties.parameters ?? {};
        baseline = { id, title: summary.title, description: summary.description, guardrailIds: members, initiativeId: summary.initiativeId, parameters: Object.keys(declared) };
        baselines.set(id, baseline);
      }
      return baseline;
    },
    standardIdOf: (guardrailId) => {
      const at = guardrailId.indexOf(':');
      return at > 0 ? guardrailId.slice(0, at) : undefined;
    },
  };
};
