// A regulatory standard as Azure publishes it: a built-in initiative whose policy definition groups
// are the standard's controls and whose members are policy definitions with parameter values.
// Importing one keeps it unchanged — the members' parameters resolved against the initiative's
// defaults, as an assignment with no overrides would have them — and gives each control a readable
// title from what the vendored data holds (see titleOf). Pure: the definitions come from a source.
import { createHash } from 'node:crypto';
import type { BuiltInEntry } from '../builtins/azure-builtins';
import { CONTROL_DOMAINS, CONTROL_TITLES } from './control-titles';

/** How a member can be assessed: by evaluating resources, or only by attestation. */
export type MemberKind =
  /** A rule over ARM resources: the engine evaluates it (if it can compile it). */
  | 'automated'
  /** policyType Static or effect Manual: a control that needs evidence (an attestation), not an evaluation. */
  | 'manual'
  /** A Resource Provider mode (`Microsoft.KeyVault.Data`, `Microsoft.Kubernetes.Data`): data-plane objects no ARM inventory holds. */
  | 'data-plane';

export interface StandardMember {
  /** The guardrail id it is evaluated under: `<standard>:<policyDefinitionReferenceId>`. */
  readonly guardrailId: string;
  readonly referenceId: string;
  /** The definition's name (its GUID), lowercase. */
  readonly definitionName: string;
  readonly displayName: string;
  readonly description: string;
  /** The definition's category, e.g. `Storage`, `Security Center`. */
  readonly category: string;
  readonly kind: MemberKind;
  /** The effect the standard assigns by default (resolved through the parameters), when the definition says. */
  readonly effect: string | null;
  /** Member parameter values with `[parameters('x')]` resolved to the initiative's default of x. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Member parameter name → the initiative parameter it takes its value from. */
  readonly initiativeParameters: Readonly<Record<string, string>>;
  /** Member parameters whose initiative parameter has no default: the definition's own default applies. */
  readonly unresolvedParameters: readonly string[];
  /** Ids of the controls it evidences. */
  readonly controlIds: readonly string[];
  /** Where the definition is in the vendored corpus (`azure-builtins:<path>`). */
  readonly source: string;
}

export type ControlTitleSource =
  /** Rampart's table of the standard's control titles (control-titles.ts). */
  | 'curated'
  /** The group itself: a title in its name (`B.01 - Laws and Regulations`), a displayName, or its description. */
  | 'group'
  /** A "Microsoft Managed Control NNNN - <title>" member (policyType Static) names it. */
  | 'managed-control'
  /** None of the above: what its member definitions check (a summary, not the standard's own wording). */
  | 'definitions'
  /** Nothing to go on (a control without members): its id. */
  | 'id';

export interface StandardControl {
  /** The control's id in the standard (`NS-1`, `3.1`, `AC-2(1)`), from the group name. */
  readonly id: string;
  /** Azure's group name (`Azure_Security_Benchmark_v3.0_NS-1`), the key its members use. */
  readonly group: string;
  readonly title: string;
  readonly titleFrom: ControlTitleSource;
  readonly description: string | null;
  readonly domain: string | null;
  /** The members' guardrail ids. */
  readonly memberIds: readonly string[];
}

export interface InitiativeParameter {
  readonly type: string;
  readonly defaultValue?: unknown;
  readonly allowedValues?: readonly unknown[];
  readonly displayName?: string;
}

export interface StandardSummary {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** The initiative's name (GUID): the reference to Azure's built-in. */
  readonly initiativeName: string;
  readonly initiativeId: string;
  readonly version: string | null;
  readonly category: string;
  readonly controlCount: number;
  readonly definitionCount: number;
}

export interface Standard extends StandardSummary {
  readonly controls: readonly StandardControl[];
  readonly members: readonly StandardMember[];
  readonly parameters: Readonly<Record<string, InitiativeParameter>>;
}

/** Where an import reads definitions from: the vendored built-ins in production, fixtures in tests. */
export interface DefinitionSource {
  entry(idOrName: string): BuiltInEntry | undefined;
  definition(idOrName: string): unknown;
}

// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const lowerKeys = <T>(o: Json): Map<string, [string, T]> => new Map(Object.entries(o).map(([k, v]) => [k.toLowerCase(), [k, v as T]]));

const PARAMETER_REFERENCE = /^\[parameters\('([^']+)'\)\]$/i;

interface Group {
  readonly name: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly category?: string;
}

interface MemberRef {
  readonly policyDefinitionId: string;
  readonly policyDefinitionReferenceId?: string;
  readonly parameters?: Json;
  readonly groupNames?: string[];
}

const propertiesOf = (initiative: unknown): Json => {
  if (!isObject(initiative)) throw new TypeError('an initiative must be a JSON object');
  const properties = isObject(initiative['properties']) ? initiative['properties'] : initiative;
  if (!Array.isArray(properties['policyDefinitions'])) throw new TypeError('an initiative has policyDefinitions');
  return properties;
};

const groupsOf = (properties: Json): Group[] =>
  (Array.isArray(properties['policyDefinitionGroups']) ? properties['policyDefinitionGroups'] : [])
    .filter(isObject)
    .filter((g) => typeof g['name'] === 'string')
    .map((g) => ({ name: g['name'] as string, displayName: str(g['displayName']), description: str(g['description']), category: str(g['category']) }));

export const summarizeInitiative = (id: string, initiative: unknown): StandardSummary => {
  const properties = propertiesOf(initiative);
  const metadata = isObject(properties['metadata']) ? properties['metadata'] : {};
  const root = initiative as Json;
  const name = String(root['name'] ?? '').toLowerCase();
  return {
    id,
    title: str(properties['displayName']) ?? id,
    description: str(properties['description']) ?? '',
    initiativeName: name,
    initiativeId: str(root['id']) ?? `/providers/Microsoft.Authorization/policySetDefinitions/${name}`,
    version: str(properties['version']) ?? str(metadata['version']) ?? null,
    category: str(metadata['category']) ?? '',
    controlCount: groupsOf(properties).length,
    definitionCount: (properties['policyDefinitions'] as unknown[]).length,
  };
};

/** `<standard>:<reference id>`; a reference id that is a display name (Spain ENS, NIS2) is hashed. */
export const memberGuardrailId = (standardId: string, referenceId: string): string =>
  /^[A-Za-z0-9._-]{1,100}$/.test(referenceId) ? `${standardId}:${referenceId}` : `${standardId}:ref-${createHash('sha256').update(referenceId).digest('hex').slice(0, 12)}`;

/**
 * The control ids of a standard's groups. Most names are `<standard prefix>_<control id>`
 * (`CIS_Azure_2.0.0_3.1`): the prefix all of them share is cut. Some carry their title after the id
 * (`B.01 - Laws and Regulations`, `op.pl.1 Risk analysis`).
 */
const controlNames = (groups: readonly Group[]): Map<string, { id: string; title?: string }> => {
  const plain = groups.map((g) => g.name).filter((n) => !/\s/.test(n));
  let prefix = '';
  if (plain.length > 1) {
    prefix = plain.reduce((p, n) => {
      let i = 0;
      while (i < p.length && i < n.length && p[i] === n[i]) i++;
      return p.slice(0, i);
    });
    prefix = prefix.slice(0, prefix.lastIndexOf('_') + 1);
  } else if (plain.length === 1) {
    const tail = plain[0].slice(plain[0].lastIndexOf('_') + 1);
    prefix = /^\d/.test(tail) ? plain[0].slice(0, plain[0].length - tail.length) : '';
  }
  return new Map(
    groups.map((g) => {
      const titled = /^(\S+)\s+(?:-\s+)?(\S.*)$/.exec(g.name);
      if (titled) return [g.name, { id: titled[1], title: titled[2].trim() }];
      return [g.name, { id: g.name.slice(prefix.length) || g.name }];
    }),
  );
};

const firstSentence = (text: string, max = 140): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/[.!?](\s|$)/);
  const sentence = end > 0 ? flat.slice(0, end + 1) : flat;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
};

const MANAGED_CONTROL = /^Microsoft Managed Control \d+ - (.+)$/;

const definitionsSummary = (names: readonly string[]): string => {
  const distinct = [...new Set(names)];
  return distinct.length === 1 ? distinct[0] : `${distinct[0]} (+${distinct.length - 1} more)`;
};

const titleOf = (
  group: Group,
  named: { id: string; title?: string },
  members: readonly StandardMember[],
  curated: string | undefined,
): { title: string; titleFrom: ControlTitleSource } => {
  if (curated) return { title: curated, titleFrom: 'curated' };
  if (named.title) return { title: named.title, titleFrom: 'group' };
  if (group.displayName) return { title: group.displayName, titleFrom: 'group' };
  if (group.description) return { title: firstSentence(group.description), titleFrom: 'group' };
  const managed = members.map((m) => MANAGED_CONTROL.exec(m.displayName)?.[1]).filter((t): t is string => !!t);
  if (managed.length) return { title: definitionsSummary(managed), titleFrom: 'managed-control' };
  // What is evaluated says more than the attestation activities (CMA_…) that often accompany it.
  const automated = members.filter((m) => m.kind !== 'manual');
  if (members.length) return { title: definitionsSummary((automated.length ? automated : members).map((m) => m.displayName)), titleFrom: 'definitions' };
  return { title: named.id, titleFrom: 'id' };
};

interface DefinitionFacts {
  readonly description: string;
  readonly mode: string;
  readonly effect: unknown;
  readonly parameterDefaults: Map<string, [string, unknown]>;
}

const factsOf = (definition: unknown): DefinitionFacts => {
  const properties = isObject(definition) && isObject(definition['properties']) ? definition['properties'] : isObject(definition) ? definition : {};
  const rule = isObject(properties['policyRule']) ? properties['policyRule'] : {};
  const then = isObject(rule['then']) ? rule['then'] : {};
  const parameters = isObject(properties['parameters']) ? properties['parameters'] : {};
  return {
    description: str(properties['description']) ?? '',
    mode: str(properties['mode']) ?? 'Indexed',
    effect: then['effect'],
    parameterDefaults: new Map(Object.entries(parameters).map(([k, p]) => [k.toLowerCase(), [k, isObject(p) ? p['defaultValue'] : undefined]])),
  };
};

/** Whether a definition's mode is a Resource Provider mode (`Microsoft.KeyVault.Data`): data-plane objects. */
export const isDataPlaneMode = (mode: string | undefined): boolean => !!mode && !['all', 'indexed'].includes(mode.toLowerCase());

/**
 * Imports an initiative as a standard: its controls (groups) with readable titles, its members with
 * their parameters resolved against the initiative's defaults and how each can be assessed.
 * Definitions are read from `source`; nothing is compiled here.
 */
export const importStandard = (id: string, initiative: unknown, source: DefinitionSource): Standard => {
  const summary = summarizeInitiative(id, initiative);
  const properties = propertiesOf(initiative);
  const initiativeParameters = lowerKeys<Json>(isObject(properties['parameters']) ? properties['parameters'] : {});
  const groups = groupsOf(properties);

  const refs = (properties['policyDefinitions'] as unknown[]).filter(isObject) as unknown as MemberRef[];
  const members: StandardMember[] = [];
  for (const raw of refs) {
    const entry = source.entry(raw.policyDefinitionId);
    const definitionName = raw.policyDefinitionId.slice(raw.policyDefinitionId.lastIndexOf('/') + 1).toLowerCase();
    const referenceId = raw.policyDefinitionReferenceId ?? definitionName;
    const facts = factsOf(entry ? source.definition(raw.policyDefinitionId) : undefined);

    const parameters: Record<string, unknown> = {};
    const fromInitiative: Record<string, string> = {};
    const unresolved: string[] = [];
    for (const [name, wrapped] of Object.entries(isObject(raw.parameters) ? raw.parameters : {})) {
      const value = isObject(wrapped) ? wrapped['value'] : undefined;
      const reference = typeof value === 'string' ? PARAMETER_REFERENCE.exec(value) : null;
      if (reference) {
        const found = initiativeParameters.get(reference[1].toLowerCase());
        if (found) fromInitiative[name] = found[0];
        if (found && isObject(found[1]) && 'defaultValue' in found[1]) parameters[name] = found[1]['defaultValue'];
        else unresolved.push(name);
      } else if (typeof value === 'string' && value.startsWith('[[')) parameters[name] = value.slice(1);
      else if (typeof value === 'string' && value.startsWith('[') && value.endsWith(']')) unresolved.push(name); // another expression: not Azure's practice in built-ins
      else parameters[name] = value;
    }

    // The effect the standard assigns: the definition's literal effect, or the parameter it names.
    let effect: string | null = null;
    if (typeof facts.effect === 'string') {
      const named = PARAMETER_REFERENCE.exec(facts.effect);
      if (!named) effect = facts.effect;
      else {
        const key = named[1].toLowerCase();
        const given = Object.entries(parameters).find(([k]) => k.toLowerCase() === key);
        const value = given ? given[1] : facts.parameterDefaults.get(key)?.[1];
        effect = typeof value === 'string' ? value : null;
      }
    }
    const kind: MemberKind =
      entry?.policyType === 'Static' || effect?.toLowerCase() === 'manual' ? 'manual' : isDataPlaneMode(entry?.mode ?? facts.mode) ? 'data-plane' : 'automated';

    members.push({
      guardrailId: memberGuardrailId(id, referenceId),
      referenceId,
      definitionName,
      displayName: entry?.displayName ?? definitionName,
      description: facts.description,
      category: entry?.category ?? '',
      kind,
      effect,
      parameters,
      initiativeParameters: fromInitiative,
      unresolvedParameters: unresolved,
      controlIds: [],
      source: entry ? `azure-builtins:${entry.path}` : `missing:${definitionName}`,
    });
  }

  const domainOf = CONTROL_DOMAINS[id];
  const memberGroups = refs.map((m) => (Array.isArray(m.groupNames) ? m.groupNames.filter((g) => typeof g === 'string') : []));
  // Groups a member names but the initiative does not declare still are controls.
  const declared = new Set(groups.map((g) => g.name));
  const allGroups: Group[] = [...groups, ...[...new Set(memberGroups.flat())].filter((n) => !declared.has(n)).map((name) => ({ name }))];
  const names = controlNames(allGroups);
  const controls: StandardControl[] = allGroups.map((group) => {
    const named = names.get(group.name) ?? { id: group.name };
    const inGroup = members.filter((_, i) => memberGroups[i].includes(group.name));
    const { title, titleFrom } = titleOf(group, named, inGroup, CONTROL_TITLES[id]?.[named.id]);
    return {
      id: named.id,
      group: group.name,
      title,
      titleFrom,
      description: group.description ?? null,
      domain: group.category ?? domainOf?.(named.id) ?? null,
      memberIds: inGroup.map((m) => m.guardrailId),
    };
  });
  const controlIdByGroup = new Map(controls.map((c) => [c.group, c.id]));
  const withControls = members.map((m, i) => ({ ...m, controlIds: memberGroups[i].map((g) => controlIdByGroup.get(g) ?? g) }));

  const parameters: Record<string, InitiativeParameter> = {};
  for (const [, [name, p]] of initiativeParameters) {
    if (!isObject(p)) continue;
    const metadata = isObject(p['metadata']) ? p['metadata'] : {};
    parameters[name] = {
      type: str(p['type']) ?? 'String',
      ...('defaultValue' in p ? { defaultValue: p['defaultValue'] } : {}),
      ...(Array.isArray(p['allowedValues']) ? { allowedValues: p['allowedValues'] } : {}),
      ...(str(metadata['displayName']) ? { displayName: str(metadata['displayName']) } : {}),
    };
  }
  return { ...summary, controls, members: withControls, parameters };
};
