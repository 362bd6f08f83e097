// What a library import would find before it is recorded: each definition it adds or changes,
// replayed over the recorded history of the tenants it would reach (those whose assignments follow
// it, and any others named), with the replay machinery (replayPolicy): which resources it would
// find now, how many ever, and since when, with the parameter values each tenant's assignment gives
// it (the definition's defaults for a tenant only named). Reads only; records nothing.
import { START } from '@rampart/event-sourcing';
import { evolveTenantGuardrails, initialTenantGuardrails, libraryBaselineId, type ImportPlan, type TenantGuardrails, type TenantGuardrailsEvent } from '@rampart/guardrails';
import type { Stores } from '@rampart/runtime';
import { replayPolicy } from './history';

export interface WhatIfRow {
  readonly definition: string;
  /** The version the import would record. */
  readonly version: number | null;
  readonly tenantId: string;
  /** Why this tenant: its assignment follows the definition, or it was named. */
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
 * Tenants whose assignments follow each library definition, with the parameter values they assign:
 * folded from the tenants' policy events themselves (a one-off command has no read models to ask,
 * and a worker's may lag).
 */
const followers = async (stores: Pick<Stores, 'eventStore'>): Promise<Map<string, Map<string, Record<string, unknown>>>> => {
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
  const byBaseline = new Map<string, Map<string, Record<string, unknown>>>();
  for (const [tenantId, policy] of policies) {
    for (const assignment of policy.assignments.values()) {
      if (!assignment.follows) continue;
      const values = Object.values(assignment.parameters)[0] ?? {};
      byBaseline.set(assignment.follows, (byBaseline.get(assignment.follows) ?? new Map()).set(tenantId, values));
    }
  }
  return byBaseline;
};

/** What decides a tenant's assignments (exemptions and reporting do not). */
const ASSIGNMENT_EVENT_TYPES = ['guardrails.BaselineAssigned.v1', 'guardrails.BaselineUnassigned.v1', 'guardrails.LibraryVersionSet.v1'];

export const libraryWhatIf = async (
  stores: Pick<Stores, 'eventStore'>,
  plan: ImportPlan,
  options: { readonly tenants?: readonly string[]; readonly onProgress?: (done: number, total: number) => void } = {},
): Promise<WhatIfRow[]> => {
  const following = await followers(stores);
  const named = [...new Set(options.tenants ?? [])];
  const work = plan.items.flatMap((item) => {
    if (item.kind !== 'definition' || !item.command || item.command.kind !== 'PublishDefinition' || (item.action !== 'add' && item.action !== 'change')) return [];
    const followers = following.get(libraryBaselineId(item.command.name)) ?? new Map<string, Record<string, unknown>>();
    const tenants = new Map<string, { reason: WhatIfRow['reason']; parameters: Record<string, unknown> }>([...followers].map(([t, parameters]) => [t, { reason: 'follows' as const, parameters }]));
    for (const t of named) if (!tenants.has(t)) tenants.set(t, { reason: 'named', parameters: {} });
    return [...tenants].map(([tenantId, { reason, parameters }]) => ({ item, definition: item.command as { name: string; definition: Record<string, unknown> }, tenantId, reason, parameters }));
  });
  const rows: WhatIfRow[] = [];
  for (const [i, { item, definition, tenantId, reason, parameters }] of work.entries()) {
    // with the values the tenant's assignment gives it (a library baseline has its one guardrail)
    const result = await replayPolicy(stores, tenantId, definition.definition, { parameters });
    const base = { definition: definition.name, version: item.version, tenantId, reason };
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
