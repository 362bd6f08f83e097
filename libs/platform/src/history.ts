// History, answered from the log: the tenant exactly as it was at an instant, its compliance score
// over time, and a guardrail that was never assigned replayed over the recorded configuration
// history. Each folds the tenant's events with the same pure read models (key + evolve) that build
// the live tables, so "as of now" and the live read model cannot disagree. Nothing here appends.
import { formatPosition, type RecordedEvent } from '@rampart/event-sourcing';
import {
  attestationHolds,
  attestations as attestationsModel,
  compilePolicy,
  coverageOf,
  notEvaluatedKeys,
  complianceScore,
  complianceStates,
  ControlStateTracker,
  findings,
  isResourceGroupKey,
  mayReadResourceGroup,
  relatedFinder,
  resourceGroupInfoOf,
  resourceGroupKeyOf,
  standardScore,
  tenantGuardrailsDirectory,
  type AttestationEntry,
  type ComplianceEntry,
  type ComplianceScore,
  type Coverage,
  type ControlState,
  type FindingEntry,
  type KeyedResource,
  type PolicyResource,
  type RelatedResourceQuery,
  type ResourceGroupInfo,
  type StateCount,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import { incidentQueue, type IncidentEntry } from '@rampart/incidents';
import { INGESTION_RUN_EVENT_TYPES, resourceInventory, type ResourceInventoryEntry } from '@rampart/inventory';
import { CompleteCollections } from '@rampart/inventory-contract';
import { collectedResources, maxEvidenceAgeOf } from './coverage';
import { assembleStandardCompliance, catalogWithLibrary, compiledStandard, countInScopes, type TenantStandardCompliance } from '@rampart/guardrails-application';
import { type Stores, tenantLogPages } from '@rampart/runtime';
import { resourceGroupScopeOf, subscriptionScopeOf } from '@rampart/resource-model';

type HistoryStores = Pick<Stores, 'eventStore'>;

interface PureReadModel<D> {
  readonly name: string;
  readonly eventTypes: readonly string[];
  keyOf(event: RecordedEvent): string | undefined;
  evolve(document: D | undefined, event: RecordedEvent): D | null;
}

/** One read model's documents, kept in memory instead of a table. */
class Folded<D> {
  readonly docs = new Map<string, D>();
  private readonly types: ReadonlySet<string>;

  constructor(private readonly model: PureReadModel<D>) {
    this.types = new Set(model.eventTypes);
  }

  /** The document the event changed: before and after (undefined when it did not touch one). */
  apply(event: RecordedEvent): { key: string; before: D | undefined; after: D | null } | undefined {
    if (!this.types.has(event.type)) return undefined;
    const key = this.model.keyOf(event);
    if (key === undefined) return undefined;
    const before = this.docs.get(key);
    const after = this.model.evolve(before, event);
    if (after === null) this.docs.delete(key);
    else this.docs.set(key, after);
    return { key, before, after };
  }
}

const asModel = <D>(model: unknown): PureReadModel<D> => model as PureReadModel<D>;

export interface HistoryProgress {
  readonly eventsRead: number;
  readonly position: string;
}

/** A tenant's events of the given types recorded up to `until`, in log order. */
export async function* tenantHistory(
  stores: HistoryStores,
  tenantId: string,
  eventTypes: readonly string[],
  options: { until?: Date; onProgress?: (progress: HistoryProgress) => void } = {},
): AsyncGenerator<RecordedEvent> {
  const until = options.until?.getTime() ?? Number.POSITIVE_INFINITY;
  let read = 0;
  for await (const page of tenantLogPages(stores, tenantId, { eventTypes, until: options.until })) {
    for (const event of page.events) if (Date.parse(event.recordedAt) <= until) yield event;
    read += page.events.length;
    options.onProgress?.({ eventsRead: read, position: formatPosition(page.position) });
  }
}

export interface PostureAsOf {
  readonly tenantId: string;
  readonly asOf: string;
  /** The last event folded in (null: the tenant had no history yet). */
  readonly position: string | null;
  readonly events: number;
  readonly resources: ResourceInventoryEntry[];
  readonly guardrails: TenantGuardrailsEntry | null;
  /** Approved exemptions not expired at the instant. */
  readonly exemptionsInForce: TenantGuardrailsEntry['exemptions'];
  readonly compliance: ComplianceEntry[];
  readonly openFindings: FindingEntry[];
  readonly openIncidents: IncidentEntry[];
  /** Resources not evaluated within the tenant's interval count as not evaluable in it (proof of coverage). */
  readonly score: ComplianceScore;
  readonly coverage: Coverage;
}

const POSTURE_MODELS = () => ({
  resources: new Folded<ResourceInventoryEntry>(asModel(resourceInventory)),
  guardrails: new Folded<TenantGuardrailsEntry>(asModel(tenantGuardrailsDirectory)),
  compliance: new Folded<ComplianceEntry>(asModel(complianceStates)),
  findings: new Folded<FindingEntry>(asModel(findings)),
  incidents: new Folded<IncidentEntry>(asModel(incidentQueue)),
});

export const POSTURE_EVENT_TYPES: readonly string[] = [
  ...new Set([...[resourceInventory, tenantGuardrailsDirectory, complianceStates, findings, incidentQueue].flatMap((m) => m.eventTypes as readonly string[]), ...INGESTION_RUN_EVENT_TYPES]),
];

const byKey = <D>(docs: Map<string, D>): D[] => [...docs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, d]) => d);

/** How many (resource, guardrail) pairs are in each state, per baseline and guardrail: what a score is made of. */
class StateCounts {
  private readonly counts = new Map<string, StateCount & { count: number }>();

  add(entry: ComplianceEntry | null | undefined, delta = 1): this {
    if (!entry) return this;
    const key = `${entry.baselineId}|${entry.guardrailId}|${entry.state}`;
    const c = this.counts.get(key) ?? { baselineId: entry.baselineId, guardrailId: entry.guardrailId, state: entry.state, count: 0 };
    c.count += delta;
    if (c.count === 0) this.counts.delete(key);
    else this.counts.set(key, c);
    return this;
  }

  list(): StateCount[] {
    return [...this.counts.values()];
  }

  /** Every count of `other` added to these. */
  addAll(other: StateCounts): this {
    for (const c of other.list()) this.add({ baselineId: c.baselineId, guardrailId: c.guardrailId, state: c.state } as ComplianceEntry, c.count);
    return this;
  }
}

const OPEN_INCIDENT = (i: IncidentEntry) => i.status !== 'closed' && i.status !== 'merged';

/** The tenant exactly as it was at `asOf`: rebuilt from its events up to that instant. */
export const postureAsOf = async (
  stores: HistoryStores,
  tenantId: string,
  asOf: Date,
  options: { onProgress?: (progress: HistoryProgress) => void } = {},
): Promise<PostureAsOf> => {
  const models = POSTURE_MODELS();
  const collections = new CompleteCollections();
  let last: RecordedEvent | undefined;
  let events = 0;
  for await (const event of tenantHistory(stores, tenantId, POSTURE_EVENT_TYPES, { until: asOf, onProgress: options.onProgress })) {
    for (const model of Object.values(models)) (model as Folded<unknown>).apply(event);
    collections.add(event);
    last = event;
    events++;
  }
  const guardrails = models.guardrails.docs.values().next().value ?? null;
  const compliance = byKey(models.compliance.docs);
  const coverage = coverageFromFold(models.resources, guardrails ?? undefined, collections, asOf);
  const stale = notEvaluatedKeys(coverage);
  // a verdict resting on stale evidence counts as not evaluable in the score, as it does now
  const judged = stale.size ? compliance.map((e) => (e.state === 'compliant' && stale.has(e.resourceKey) ? { ...e, state: 'error' as const } : e)) : compliance;
  return {
    tenantId,
    asOf: asOf.toISOString(),
    position: last ? formatPosition(last.globalPosition) : null,
    events,
    resources: byKey(models.resources.docs),
    guardrails,
    exemptionsInForce: (guardrails?.exemptions ?? []).filter((e) => e.status === 'active' && Date.parse(e.expiresAt) > asOf.getTime()),
    compliance,
    openFindings: byKey(models.findings.docs).filter((f) => f.status === 'open'),
    openIncidents: byKey(models.incidents.docs).filter(OPEN_INCIDENT),
    score: complianceScore(await catalogWithLibrary(stores.eventStore, undefined, tenantId), judged.reduce((counts, entry) => counts.add(entry), new StateCounts()).list()),
    coverage,
  };
};

export type SeriesBucket = 'hour' | 'day';
export const MAX_SERIES_POINTS = 2_000;

export interface ScorePoint {
  /** The end of the bucket: the score is the one in force at that instant. */
  readonly at: string;
  readonly score: ComplianceScore;
  /** Proof of coverage at that instant (its resources not listed). */
  readonly coverage: Omit<Coverage, 'perResource'>;
}

/**
 * The compliance score at the end of each hour or day of [from, to): one pass over the tenant's
 * compliance changes, with the counts kept current as it goes. At each point, what resources whose
 * evidence was stale then passed counts as not evaluable, as it does in the score now.
 */
export const complianceSeries = async (stores: HistoryStores, tenantId: string, options: { from: Date; to: Date; bucket: SeriesBucket }): Promise<ScorePoint[]> => {
  const step = options.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const first = Math.floor(options.from.getTime() / step) * step + step;
  const points = Math.ceil((options.to.getTime() - first) / step) + 1;
  if (points > MAX_SERIES_POINTS) throw new RangeError(`${points} ${options.bucket}s asked for; at most ${MAX_SERIES_POINTS} points per series`);
  const catalog = await catalogWithLibrary(stores.eventStore, undefined, tenantId);
  const model = new Folded<ComplianceEntry>(asModel(complianceStates));
  const resources = new Folded<ResourceInventoryEntry>(asModel(resourceInventory));
  const policy = new Folded<TenantGuardrailsEntry>(asModel(tenantGuardrailsDirectory));
  const collections = new CompleteCollections();
  const counts = new StateCounts();

  const pointAt = (instant: number): ScorePoint => {
    const { perResource, ...coverage } = coverageFromFold(resources, policy.docs.values().next().value, collections, new Date(instant));
    const stale = notEvaluatedKeys({ perResource });
    const at = new Date(instant).toISOString();
    if (stale.size === 0) return { at, score: complianceScore(catalog, counts.list()), coverage };
    const judged = new StateCounts().addAll(counts);
    for (const e of model.docs.values()) if (e.state === 'compliant' && stale.has(e.resourceKey)) judged.add(e, -1).add({ ...e, state: 'error' }, 1);
    return { at, score: complianceScore(catalog, judged.list()), coverage };
  };
  const series: ScorePoint[] = [];
  let next = first;
  const emitUntil = (instant: number) => {
    while (next <= instant && next <= options.to.getTime() && series.length < points) {
      series.push(pointAt(next));
      next += step;
    }
  };
  for await (const event of tenantHistory(stores, tenantId, SERIES_EVENT_TYPES, { until: options.to })) {
    // a point stands for the state at its instant: events recorded after it come after it
    emitUntil(Date.parse(event.recordedAt) - 1);
    resources.apply(event);
    policy.apply(event);
    collections.add(event);
    const change = model.apply(event);
    if (change) {
      counts.add(change.before, -1).add(change.after, +1);
    }
  }
  emitUntil(options.to.getTime());
  return series;
};

const STANDARD_MODELS = () => ({
  resources: new Folded<ResourceInventoryEntry>(asModel(resourceInventory)),
  guardrails: new Folded<TenantGuardrailsEntry>(asModel(tenantGuardrailsDirectory)),
  compliance: new Folded<ComplianceEntry>(asModel(complianceStates)),
  attestations: new Folded<AttestationEntry>(asModel(attestationsModel)),
});
const STANDARD_EVENT_TYPES: readonly string[] = [
  ...new Set([...[resourceInventory, tenantGuardrailsDirectory, complianceStates, attestationsModel].flatMap((m) => m.eventTypes as readonly string[]), ...INGESTION_RUN_EVENT_TYPES]),
];
const SERIES_EVENT_TYPES: readonly string[] = [...new Set([...complianceStates.eventTypes, ...resourceInventory.eventTypes, ...tenantGuardrailsDirectory.eventTypes, ...INGESTION_RUN_EVENT_TYPES])];
const COVERAGE_EVENT_TYPES: readonly string[] = [...new Set([...resourceInventory.eventTypes, ...tenantGuardrailsDirectory.eventTypes, ...INGESTION_RUN_EVENT_TYPES])];

/** Coverage at `asOf` from folded models; the evaluator is taken to have kept up (its past lag is not recorded). */
const coverageFromFold = (resources: Folded<ResourceInventoryEntry>, policy: TenantGuardrailsEntry | undefined, collections: CompleteCollections, asOf: Date): Coverage =>
  coverageOf(collectedResources(resources.docs.values(), collections.list()), { at: asOf, maxEvidenceAgeHours: maxEvidenceAgeOf(policy), evaluatedThrough: null });

/** A tenant's proof of coverage as it was at `asOf`, rebuilt from its events. */
export const coverageAsOf = async (stores: HistoryStores, tenantId: string, asOf: Date): Promise<Coverage> => {
  const resources = new Folded<ResourceInventoryEntry>(asModel(resourceInventory));
  const policy = new Folded<TenantGuardrailsEntry>(asModel(tenantGuardrailsDirectory));
  const collections = new CompleteCollections();
  for await (const event of tenantHistory(stores, tenantId, COVERAGE_EVENT_TYPES, { until: asOf })) {
    resources.apply(event);
    policy.apply(event);
    collections.add(event);
  }
  return coverageFromFold(resources, policy.docs.values().next().value, collections, asOf);
};

/**
 * A tenant's per-control compliance with a standard as it was at `asOf`, rebuilt from its events
 * with the same read models as the live tables (so as of now it equals tenantStandardCompliance).
 * Undefined when no standard has that id.
 */
export const standardComplianceAsOf = async (
  stores: HistoryStores,
  tenantId: string,
  standardId: string,
  asOf: Date,
  options: { onProgress?: (progress: HistoryProgress) => void } = {},
): Promise<TenantStandardCompliance | undefined> => {
  const compiled = compiledStandard(standardId);
  if (!compiled) return undefined;
  const models = STANDARD_MODELS();
  const collections = new CompleteCollections();
  for await (const event of tenantHistory(stores, tenantId, STANDARD_EVENT_TYPES, { until: asOf, onProgress: options.onProgress })) {
    for (const model of Object.values(models)) (model as Folded<unknown>).apply(event);
    collections.add(event);
  }
  const policy = models.guardrails.docs.values().next().value;
  const assignments = (policy?.assignments ?? []).filter((a) => a.baselineId === standardId).map((a) => ({ assignmentId: a.assignmentId, scope: a.scope }));
  const entries = assignments.length ? byKey(models.compliance.docs).filter((e) => e.baselineId === standardId) : [];
  const inScope = assignments.length ? countInScopes([...models.resources.docs.values()].map((r) => r.resourceKey), assignments.map((a) => a.scope)) : 0;
  const attested = assignments.length ? [...models.attestations.docs.values()] : [];
  const coverage = assignments.length ? coverageFromFold(models.resources, policy, collections, asOf) : undefined;
  return assembleStandardCompliance(tenantId, compiled, assignments, entries, inScope, asOf.toISOString(), attested, coverage);
};

export interface StandardScorePoint {
  /** The end of the bucket: the states in force at that instant. */
  readonly at: string;
  /** Whether the tenant had the standard assigned then (if not, every count is 0). */
  readonly assigned: boolean;
  /** How many controls were in each state. */
  readonly states: Readonly<Record<ControlState, number>>;
  /** (passed + attested) / (passed + attested + failed + notEvaluable) controls; null when none could be assessed. */
  readonly score: number | null;
}

/**
 * A standard's control states at the end of each hour or day of [from, to): one pass over the
 * tenant's compliance changes, the counts per member kept current. Undefined for an unknown standard.
 */
export const standardComplianceSeries = async (
  stores: HistoryStores,
  tenantId: string,
  standardId: string,
  options: { from: Date; to: Date; bucket: SeriesBucket },
): Promise<StandardScorePoint[] | undefined> => {
  const compiled = compiledStandard(standardId);
  if (!compiled) return undefined;
  const step = options.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const first = Math.floor(options.from.getTime() / step) * step + step;
  const points = Math.ceil((options.to.getTime() - first) / step) + 1;
  if (points > MAX_SERIES_POINTS) throw new RangeError(`${points} ${options.bucket}s asked for; at most ${MAX_SERIES_POINTS} points per series`);
  const model = new Folded<ComplianceEntry>(asModel(complianceStates));
  const policy = new Folded<TenantGuardrailsEntry>(asModel(tenantGuardrailsDirectory));
  const tracker = new ControlStateTracker(compiled.standard, compiled);
  const ofStandard = (e: ComplianceEntry | null | undefined) => (e && e.baselineId === standardId ? e : undefined);
  const attested = new Folded<AttestationEntry>(asModel(attestationsModel));
  const unassigned = { failed: 0, notEvaluable: 0, passed: 0, attested: 0, manual: 0, notApplicable: 0 };

  const series: StandardScorePoint[] = [];
  let next = first;
  let assigned = false;
  const emitUntil = (instant: number) => {
    while (next <= instant && next <= options.to.getTime() && series.length < points) {
      // an attestation stops holding at its validUntil, whether or not its expiry is recorded yet
      tracker.attest(new Set([...attested.docs.values()].filter((a) => a.standardId === standardId && attestationHolds(a, new Date(next))).map((a) => a.controlId.toLowerCase())));
      const states = assigned ? tracker.states() : unassigned;
      series.push({ at: new Date(next).toISOString(), assigned, states, score: standardScore(states) });
      next += step;
    }
  };
  const types = [...complianceStates.eventTypes, ...tenantGuardrailsDirectory.eventTypes, ...attestationsModel.eventTypes];
  for await (const event of tenantHistory(stores, tenantId, types, { until: options.to })) {
    emitUntil(Date.parse(event.recordedAt) - 1);
    if (attested.apply(event)) continue;
    if (policy.apply(event)) {
      assigned = [...policy.docs.values()].some((d) => d.assignments.some((a) => a.baselineId === standardId));
      continue;
    }
    const change = model.apply(event);
    if (change) {
      tracker.add(ofStandard(change.before), -1);
      tracker.add(ofStandard(change.after), 1);
    }
  }
  emitUntil(options.to.getTime());
  return series;
};

export interface ReplayInterval {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  /** When the recorded configuration started breaking the guardrail. */
  readonly from: string;
  /** When it stopped (fixed, removed, no longer targeted); null: still at `until`. */
  readonly to: string | null;
  /** Why, as the rule's deciding conditions said when it started. */
  readonly reason: string;
  readonly state: 'nonCompliant' | 'error';
}

export interface PolicyReplay {
  readonly tenantId: string;
  readonly policy: { readonly name: string | null; readonly displayName: string | null; readonly mode: string; readonly effects: readonly string[] };
  readonly since: string | null;
  readonly until: string;
  readonly eventsRead: number;
  readonly resourcesEvaluated: number;
  /** Non-compliance, in order of start; `error` intervals are the times it could not be evaluated. */
  readonly intervals: ReplayInterval[];
}

export type PolicyReplayResult =
  | { readonly ok: true; readonly replay: PolicyReplay }
  | { readonly ok: false; readonly refusal: { readonly reason: string; readonly message: string; readonly path?: string } };

const INVENTORY_EVENT_TYPES: readonly string[] = resourceInventory.eventTypes;

/** A resource's place, for which related-resource changes can matter to it. */
const subscriptionOf = (key: string) => subscriptionScopeOf(key) ?? key;
const resourceGroupOf = (key: string) => resourceGroupScopeOf(key) ?? subscriptionOf(key);
const mayRelate = (scope: RelatedResourceQuery['scope'], dependent: string, changed: string): boolean => {
  switch (scope) {
    case 'children':
    case 'extension':
      return changed.startsWith(`${dependent}/`);
    case 'resourceGroup':
      return resourceGroupOf(changed) === resourceGroupOf(dependent);
    case 'subscription':
      return subscriptionOf(changed) === subscriptionOf(dependent);
  }
};

/**
 * How long a replay evaluates before it lets the event loop run what is waiting (health checks,
 * other requests): a page of history can hold thousands of evaluations, none of them awaiting.
 * One evaluation is bounded by the engine's step budget (tens of milliseconds at most).
 */
export const REPLAY_SLICE_MS = 20;

/** Resolves on the event loop's next turn, after the timers and I/O callbacks already due. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Evaluates a guardrail that was never assigned against the tenant's recorded configuration
 * history: which resources would have broken it, from when to when. Each resource is evaluated at
 * every recorded change of it (and of the related resources auditIfNotExists rules look for, and
 * of its resource group when the definition may read resourceGroup()), at that change's time. Read-only: it appends nothing. Every REPLAY_SLICE_MS of work it yields to
 * the event loop, so a long replay over a big tenant delays nothing else for long.
 */
export const replayPolicy = async (
  stores: HistoryStores,
  tenantId: string,
  definition: unknown,
  options: { parameters?: Record<string, unknown>; since?: Date; until?: Date; onProgress?: (progress: HistoryProgress & { intervals: number }) => void } = {},
): Promise<PolicyReplayResult> => {
  const compiled = compilePolicy(definition);
  if (!compiled.ok) return { ok: false, refusal: compiled.refusal };
  const policy = compiled.policy;
  const bound = policy.bind(options.parameters ?? {});
  if (!bound.ok) return { ok: false, refusal: bound.refusal };
  const until = options.until ?? new Date();

  const inventory = new Folded<ResourceInventoryEntry>(asModel(resourceInventory));
  const byType = new Map<string, Map<string, KeyedResource>>();
  const keyed = (entry: ResourceInventoryEntry): KeyedResource => ({ ...(entry.configuration as object), key: entry.resourceKey }) as KeyedResource;
  const finder = relatedFinder((type) => [...(byType.get(type)?.values() ?? [])]);
  // Which related types each evaluated resource looked for, and where: their changes re-evaluate it.
  const dependents = new Map<string, Map<string, RelatedResourceQuery['scope']>>();
  // resourceGroup(): the group as recorded at the time, when the inventory held it; a change of the
  // group re-evaluates the resources evaluated in it.
  const readsGroup = mayReadResourceGroup(definition);
  const groupInfos = new WeakMap<ResourceInventoryEntry, ResourceGroupInfo | null>();
  const members = new Map<string, Set<string>>();
  const groupOf = (groupKey: string | undefined): ResourceGroupInfo | undefined => {
    const entry = groupKey === undefined ? undefined : inventory.docs.get(`${tenantId}|${groupKey}`);
    if (!entry) return undefined;
    let info = groupInfos.get(entry);
    if (info === undefined) groupInfos.set(entry, (info = resourceGroupInfoOf(keyed(entry)) ?? null));
    return info ?? undefined;
  };

  const open = new Map<string, ReplayInterval>();
  const closed: ReplayInterval[] = [];
  const evaluated = new Set<string>();

  const evaluate = (key: string, at: string) => {
    const entry = inventory.docs.get(`${tenantId}|${key}`);
    let state: 'compliant' | 'nonCompliant' | 'error' | 'none' = 'none';
    let reason = '';
    if (entry) {
      const groupKey = resourceGroupKeyOf(key);
      if (readsGroup && groupKey) members.set(groupKey, (members.get(groupKey) ?? new Set()).add(key));
      const context = {
        related: (query: RelatedResourceQuery) => {
          const type = query.type.toLowerCase();
          const scopes = dependents.get(type) ?? new Map<string, RelatedResourceQuery['scope']>();
          scopes.set(key, query.scope);
          dependents.set(type, scopes);
          return finder(query) as readonly PolicyResource[];
        },
        now: new Date(at),
        resourceGroup: readsGroup ? groupOf(groupKey) : undefined,
        explain: false,
      };
      const verdict = bound.assignment.evaluate(keyed(entry), context);
      evaluated.add(key);
      if (verdict.state === 'nonCompliant' || verdict.state === 'error') {
        state = verdict.state;
        const explained = open.get(key)?.state === state ? undefined : bound.assignment.evaluate(keyed(entry), { ...context, explain: true });
        reason = explained ? (explained.error ? `${explained.explanation.summary}: ${explained.error.message}` : explained.explanation.summary) : '';
      } else if (verdict.state === 'compliant' && !verdict.disabled) state = 'compliant';
      // Disabled: Azure calls it compliant, but nothing was checked; a replay shows no interval for it.
    }
    const current = open.get(key);
    if (current && current.state === state) return;
    if (current) {
      closed.push({ ...current, to: at });
      open.delete(key);
    }
    if (entry && (state === 'nonCompliant' || state === 'error')) {
      open.set(key, { resourceKey: key, resourceId: entry.id, resourceType: entry.type, from: at, to: null, reason, state });
    }
  };

  let sliceStarted = performance.now();
  const yieldIfDue = async () => {
    if (performance.now() - sliceStarted < REPLAY_SLICE_MS) return;
    await nextTurn();
    sliceStarted = performance.now();
  };

  let eventsRead = 0;
  for await (const event of tenantHistory(stores, tenantId, INVENTORY_EVENT_TYPES, {
    until,
    onProgress: (p) => options.onProgress?.({ ...p, intervals: open.size + closed.length }),
  })) {
    eventsRead++;
    const change = inventory.apply(event);
    if (!change) continue;
    const entry = change.after ?? change.before;
    if (!entry) continue;
    const key = entry.resourceKey;
    const type = entry.type.toLowerCase();
    const ofType = byType.get(type) ?? new Map<string, KeyedResource>();
    if (change.after) ofType.set(key, keyed(change.after));
    else ofType.delete(key);
    byType.set(type, ofType);

    evaluate(key, event.recordedAt);
    await yieldIfDue();
    for (const member of isResourceGroupKey(key) ? (members.get(key) ?? []) : []) {
      if (member !== key) {
        evaluate(member, event.recordedAt);
        await yieldIfDue();
      }
    }
    for (const [dependent, scope] of dependents.get(type) ?? []) {
      if (dependent !== key && mayRelate(scope, dependent, key)) {
        evaluate(dependent, event.recordedAt);
        await yieldIfDue();
      }
    }
  }

  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const intervals = [...closed, ...open.values()]
    .filter((i) => i.to === null || Date.parse(i.to) > since)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.resourceKey < b.resourceKey ? -1 : 1));
  return {
    ok: true,
    replay: {
      tenantId,
      policy: { name: policy.name ?? null, displayName: policy.displayName ?? null, mode: policy.mode, effects: policy.effects },
      since: options.since?.toISOString() ?? null,
      until: until.toISOString(),
      eventsRead,
      resourcesEvaluated: evaluated.size,
      intervals,
    },
  };
};
