// What a staged rollout would find before anything is enforced, and the plan that records it: each
// guardrail of the baseline replayed over each tenant's recorded history (replayPolicy), with the
// values the rollout would give it — which resources break it now, which ever did, since when.
// Reads only, until the plan is recorded through guardrails' use case. The tenant's history is read
// once per tenant and shared by the replays of all the baseline's guardrails.
import type { CommandContext, CommandOutcome, EventStore, ReadAllOptions, ReadAllResult } from '@rampart/event-sourcing';
import { guardrailKeyOf, memberValuesFrom, type RolloutCommand, type RolloutEvent, type RolloutTenantWhatIf } from '@rampart/guardrails';
import { catalogWithLibrary, changeRollout, groupMembersNow, resolveRings } from '@rampart/guardrails-application';
import type { Stores } from '@rampart/runtime';
import { replayPolicy } from './history';

/** How many resources a tenant's what-if lists (its counts have them all). */
export const MAX_WHAT_IF_RESOURCES = 100;

export interface RolloutWhatIfResource {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly guardrailId: string;
  readonly state: 'nonCompliant' | 'error';
  readonly since: string;
  /** Still so at the end of the replay. */
  readonly now: boolean;
}

export interface TenantRolloutWhatIf extends RolloutTenantWhatIf {
  /** Breaches (and errors), those still open first, then by start. */
  readonly resources: readonly RolloutWhatIfResource[];
  /** Guardrails the engine could not replay (a data-plane definition, a parameter without a value). */
  readonly refused: readonly { readonly guardrailId: string; readonly reason: string }[];
}

export interface RolloutWhatIfInput {
  readonly tenants: readonly string[];
  readonly baselineId: string;
  readonly parameters?: Readonly<Record<string, Record<string, unknown>>>;
  readonly initiativeParameters?: Readonly<Record<string, unknown>>;
  readonly until?: Date;
  readonly onProgress?: (done: { readonly tenantId: string; readonly guardrails: number }) => void;
}

const bigintSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value);

/** The same reads answered once: every replay of one tenant reads the same pages of its history. */
const sharedReads = (store: EventStore): Pick<Stores, 'eventStore'> => {
  const pages = new Map<string, Promise<ReadAllResult>>();
  const readAll = (options: ReadAllOptions) => {
    const key = JSON.stringify(options, bigintSafe);
    let page = pages.get(key);
    if (!page) pages.set(key, (page = store.readAll(options)));
    return page;
  };
  return { eventStore: new Proxy(store, { get: (target, name) => (name === 'readAll' ? readAll : Reflect.get(target, name, target)) }) };
};

/** Undefined when the catalog has no baseline of that id. */
export const rolloutWhatIf = async (stores: Pick<Stores, 'eventStore'>, input: RolloutWhatIfInput): Promise<TenantRolloutWhatIf[] | undefined> => {
  const catalog = await catalogWithLibrary(stores.eventStore);
  const baseline = catalog.baselines.get(input.baselineId);
  if (!baseline) return undefined;
  const until = input.until ?? new Date();
  const results: TenantRolloutWhatIf[] = [];
  for (const tenantId of input.tenants) {
    const reads = sharedReads(stores.eventStore);
    const found = new Map<string, RolloutWhatIfResource>(); // by guardrail and resource, the earliest breach
    const refused: { guardrailId: string; reason: string }[] = [];
    for (const guardrailId of baseline.guardrailIds) {
      const compiled = catalog.guardrails.get(guardrailKeyOf(baseline, guardrailId));
      if (!compiled) continue;
      const parameters = { ...compiled.guardrail.parameters, ...memberValuesFrom(compiled.guardrail, input.initiativeParameters), ...input.parameters?.[guardrailId] };
      const replay = await replayPolicy(reads, tenantId, compiled.guardrail.definition, { parameters, until });
      if (!replay.ok) {
        refused.push({ guardrailId, reason: `${replay.refusal.reason}: ${replay.refusal.message}` });
        continue;
      }
      for (const i of replay.replay.intervals) {
        const key = `${guardrailId}\n${i.resourceKey}\n${i.state}`;
        const seen = found.get(key);
        const now = i.to === null || (seen?.now ?? false);
        if (!seen || i.from < seen.since) found.set(key, { resourceId: i.resourceId, resourceType: i.resourceType, guardrailId, state: i.state, since: i.from, now });
        else if (now !== seen.now) found.set(key, { ...seen, now });
      }
    }
    const all = [...found.values()];
    const resourcesWith = (keep: (r: RolloutWhatIfResource) => boolean) => new Set(all.filter(keep).map((r) => r.resourceId)).size;
    const breaches = all.filter((r) => r.state === 'nonCompliant');
    results.push({
      tenantId,
      nonCompliantNow: resourcesWith((r) => r.state === 'nonCompliant' && r.now),
      nonCompliantEver: resourcesWith((r) => r.state === 'nonCompliant'),
      errors: resourcesWith((r) => r.state === 'error'),
      since: breaches.length ? breaches.reduce((a, b) => (a.since <= b.since ? a : b)).since : null,
      resources: all.sort((a, b) => Number(b.now) - Number(a.now) || (a.since < b.since ? -1 : a.since > b.since ? 1 : a.resourceId < b.resourceId ? -1 : 1)).slice(0, MAX_WHAT_IF_RESOURCES),
      refused,
    });
    input.onProgress?.({ tenantId, guardrails: baseline.guardrailIds.length });
  }
  return results;
};

/** The plan as a person asks for it; the group's members and the what-if are the composition's to add. A ring of `['*']` is the members no other ring names. */
export type PlanRolloutInput = Omit<Extract<RolloutCommand, { kind: 'PlanRollout' }>, 'kind' | 'members' | 'whatIf'>;

/** The what-if over the plan's tenants, then the plan recorded with it (guardrails' use case decides). */
export const planRollout = async (
  stores: Pick<Stores, 'eventStore'>,
  input: PlanRolloutInput,
  context: Omit<CommandContext, 'tenantId'>,
  options: { readonly onProgress?: RolloutWhatIfInput['onProgress'] } = {},
): Promise<{ readonly outcome: CommandOutcome<RolloutEvent>; readonly whatIf: readonly TenantRolloutWhatIf[] }> => {
  const members = await groupMembersNow(stores.eventStore, input.groupId);
  const tenants = members ? [...new Set(resolveRings(input.rings, members).flatMap((r) => r.tenants))].filter((t) => members.has(t)) : [];
  // an unknown baseline or group is the use case's to refuse: nothing to replay then
  const whatIf = (tenants.length ? await rolloutWhatIf(stores, { tenants, baselineId: input.baselineId, parameters: input.parameters, initiativeParameters: input.initiativeParameters, onProgress: options.onProgress }) : undefined) ?? [];
  const outcome = await changeRollout(
    stores.eventStore,
    input.rolloutId,
    {
      kind: 'PlanRollout',
      ...input,
      whatIf: whatIf.map(({ tenantId, nonCompliantNow, nonCompliantEver, errors, since }) => ({ tenantId, nonCompliantNow, nonCompliantEver, errors, since })),
    },
    context,
  );
  return { outcome, whatIf };
};
