// What a library import would find before it is recorded: each definition it adds or changes, and
// each member of each initiative it adds or changes, replayed over the recorded history of the
// tenants it would reach (those whose assignments follow it, and any others named), with the replay
// machinery (replayPolicy): which resources it would find now, how many ever, and since when, with
// the parameter values each tenant's assignment gives it (the defaults for a tenant only named).
// An initiative is read as the catalog will read it once recorded: the library with the import's
// versions in it. Reads only; records nothing.
import { START } from '@rampart/event-sourcing';
import {
  builtInCatalog,
  displayNameOf,
  evolveTenantGuardrails,
  extensionOf,
  guardrailKeyOf,
  initialTenantGuardrails,
  libraryBaselineId,
  memberValuesFrom,
  withLibrary,
  type Assignment,
  type ImportPlan,
  type LibraryDefinitionVersion,
  type LibraryHolding,
  type LibraryInitiativeVersion,
  type LibraryScope,
  type LibrarySnapshot,
  type PlanItem,
  type TenantGuardrails,
  type TenantGuardrailsEvent,
} from '@rampart/guardrails';
import { librarySource } from '@rampart/guardrails-application';
import type { Stores } from '@rampart/runtime';
import { replayPolicy } from './history';

export interface WhatIfRow {
  /** The definition, or the initiative whose member this is. */
  readonly definition: string;
  /** For an initiative: the member's reference id. */
  readonly member?: string;
  /** The version the import would record. */
  readonly version: number | null;
  readonly tenantId: string;
  /** Why this tenant: its assignment follows the definition or initiative, or it was named. */
  readonly reason: 'follows' | 'named';
  /** Resources that would break it now. */
  readonly nonCompliantNow: number;
  /** Resources that would have broken it at some time in the recorded history. */
  readonly nonCompliantEver: number;
  /** Resources it could not evaluate at some time. */
  readonly errors: number;
  /** When the earliest breach it would find began. */
  readonly since: string | null;
  /** The definition could not be replayed (it compiles for the library, yet a parameter has no value, say). */
  readonly refusal?: string;
}

/**
 * Tenants whose assignments follow each library definition or initiative, with the assignment:
 * folded from the tenants' policy events themselves (a one-off command has no read models to ask,
 * and a worker's may lag).
 */
const followers = async (stores: Pick<Stores, 'eventStore'>): Promise<Map<string, Map<string, Assignment>>> => {
  const policies = new Map<string, TenantGuardrails>();
  for (let from = START; ; ) {
    const page = await stores.eventStore.readAll({ from, filter: { eventTypes: ASSIGNMENT_EVENT_TYPES }, maxCount: 5_000 });
    for (const event of page.events) {
      const tenantId = event.metadata.tenantId;
      policies.set(tenantId, evolveTenantGuardrails(policies.get(tenantId) ?? initialTenantGuardrails(), event as unknown as TenantGuardrailsEvent));
    }
    if (page.isEnd) break;
    from = page.position;
  }
  const byBaseline = new Map<string, Map<string, Assignment>>();
  for (const [tenantId, policy] of policies) {
    for (const assignment of policy.assignments.values()) {
      if (assignment.follows) byBaseline.set(assignment.follows, (byBaseline.get(assignment.follows) ?? new Map()).set(tenantId, assignment));
    }
  }
  return byBaseline;
};

/** What decides a tenant's assignments (exemptions and reporting do not). */
const ASSIGNMENT_EVENT_TYPES = ['guardrails.BaselineAssigned.v1', 'guardrails.BaselineUnassigned.v1', 'guardrails.LibraryVersionSet.v1'];

const EMPTY_LIBRARY: LibrarySnapshot = { definition: () => undefined, initiative: () => undefined };

/** The library as it would be with the plan recorded: each added or changed artifact at the version the plan gives it. */
const withPlan = (library: LibrarySnapshot, plan: ImportPlan): LibrarySnapshot => {
  const definitions = new Map<string, LibraryDefinitionVersion>();
  const initiatives = new Map<string, LibraryInitiativeVersion>();
  for (const item of plan.items) {
    if ((item.action !== 'add' && item.action !== 'change') || !item.command || item.version === null) continue;
    const { command, version } = item;
    if (command.kind === 'PublishDefinition') {
      const artifact = { kind: 'definition' as const, name: command.name, content: command.definition, at: '' };
      const extension = extensionOf(artifact);
      definitions.set(command.name.toLowerCase(), { name: command.name, version, displayName: displayNameOf(artifact), definition: command.definition, extension: 'extension' in extension ? extension.extension : {} });
    } else if (command.kind === 'PublishInitiative') {
      const artifact = { kind: 'initiative' as const, name: command.name, content: command.initiative, at: '' };
      initiatives.set(command.name.toLowerCase(), { name: command.name, version, displayName: displayNameOf(artifact), initiative: command.initiative, members: command.members });
    }
  }
  const overlay = <V extends { version: number }>(held: LibraryHolding<V> | undefined, planned: V | undefined): LibraryHolding<V> | undefined =>
    planned ? { versions: [...(held?.versions ?? []).filter((v) => v.version !== planned.version), planned], retired: false } : held;
  return {
    definition: (name) => overlay(library.definition(name), definitions.get(name.toLowerCase())),
    initiative: (name) => overlay(library.initiative(name), initiatives.get(name.toLowerCase())),
  };
};

interface Replay {
  readonly item: PlanItem;
  readonly name: string;
  readonly member?: string;
  readonly definition: unknown;
  readonly tenantId: string;
  readonly reason: WhatIfRow['reason'];
  readonly parameters: Record<string, unknown>;
}

export const libraryWhatIf = async (
  stores: Pick<Stores, 'eventStore'>,
  plan: ImportPlan,
  options: {
    readonly tenants?: readonly string[];
    /** The plan is for this tenant's own library: only the tenant itself is reached. */
    readonly tenantId?: string;
    readonly onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<WhatIfRow[]> => {
  const own = options.tenantId;
  const scope: LibraryScope = own === undefined ? 'provider' : 'tenant';
  const following = await followers(stores);
  const named = own === undefined ? [...new Set(options.tenants ?? [])] : [own];
  const reached = (followsId: string) => {
    const tenants = new Map<string, { reason: WhatIfRow['reason']; assignment?: Assignment }>(
      [...(following.get(followsId) ?? [])].filter(([t]) => own === undefined || t === own).map(([t, assignment]) => [t, { reason: 'follows' as const, assignment }]),
    );
    for (const t of named) if (!tenants.has(t)) tenants.set(t, { reason: 'named' });
    return [...tenants];
  };
  let catalog: ReturnType<typeof withLibrary> | undefined;
  const plannedCatalog = async () => {
    if (!catalog) {
      const source = librarySource(stores.eventStore);
      await source.refresh();
      catalog = own === undefined ? withLibrary(builtInCatalog(), withPlan(source, plan)) : withLibrary(builtInCatalog(), source, withPlan(source.tenantLibrary(own) ?? EMPTY_LIBRARY, plan));
    }
    return catalog;
  };

  const work: Replay[] = [];
  for (const item of plan.items) {
    if ((item.action !== 'add' && item.action !== 'change') || !item.command) continue;
    const command = item.command;
    if (command.kind === 'PublishDefinition') {
      for (const [tenantId, { reason, assignment }] of reached(libraryBaselineId(command.name, undefined, 'definition', scope))) {
        // a library definition's baseline has its one guardrail
        work.push({ item, name: command.name, definition: command.definition, tenantId, reason, parameters: (assignment && Object.values(assignment.parameters)[0]) ?? {} });
      }
    } else if (command.kind === 'PublishInitiative' && item.version !== null) {
      const planned = await plannedCatalog();
      const baseline = planned.baselines.get(libraryBaselineId(command.name, item.version, 'initiative', scope));
      if (!baseline) continue;
      for (const [tenantId, { reason, assignment }] of reached(libraryBaselineId(command.name, undefined, 'initiative', scope))) {
        for (const guardrailId of baseline.guardrailIds) {
          const compiled = planned.guardrails.get(guardrailKeyOf(baseline, guardrailId));
          if (!compiled) continue; // a member that needs evidence, or one the engine cannot evaluate
          const parameters = { ...compiled.guardrail.parameters, ...memberValuesFrom(compiled.guardrail, assignment?.initiativeParameters), ...assignment?.parameters[guardrailId] };
          work.push({ item, name: command.name, member: guardrailId.slice(guardrailId.lastIndexOf(':') + 1), definition: compiled.guardrail.definition, tenantId, reason, parameters });
        }
      }
    }
  }

  const rows: WhatIfRow[] = [];
  for (const [i, { item, name, member, definition, tenantId, reason, parameters }] of work.entries()) {
    // with the values the tenant's assignment gives it
    const result = await replayPolicy(stores, tenantId, definition, { parameters });
    const base = { definition: name, ...(member ? { member } : {}), version: item.version, tenantId, reason };
    if (!result.ok) {
      rows.push({ ...base, nonCompliantNow: 0, nonCompliantEver: 0, errors: 0, since: null, refusal: `${result.refusal.reason}: ${result.refusal.message}` });
    } else {
      const breaches = result.replay.intervals.filter((x) => x.state === 'nonCompliant');
      rows.push({
        ...base,
        nonCompliantNow: new Set(breaches.filter((x) => x.to === null).map((x) => x.resourceKey)).size,
        nonCompliantEver: new Set(breaches.map((x) => x.resourceKey)).size,
        errors: new Set(result.replay.intervals.filter((x) => x.state === 'error').map((x) => x.resourceKey)).size,
        since: breaches.reduce<string | null>((min, x) => (min === null || x.from < min ? x.from : min), null),
      });
    }
    options.onProgress?.(i + 1, work.length);
  }
  return rows;
};
