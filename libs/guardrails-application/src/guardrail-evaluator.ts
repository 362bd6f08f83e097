// The guardrails context's process manager: it follows the log, and when a resource is discovered,
// changed or removed, or a tenant's guardrail policy changes (baseline assigned, exemption granted
// or expired …), it evaluates what that touches and records the resource's posture. At-least-once
// (a checkpointed subscription): re-evaluating records nothing new, so redelivery is harmless.
import { randomUUID } from 'node:crypto';
import { formatPosition, handleCommand, handleCommands, type RecordedEvent, type StreamCommand } from '@rampart/event-sourcing';
import {
  builtInCatalog,
  evaluateResource,
  evolveTenantGuardrails,
  initialTenantGuardrails,
  isResourceGroupKey,
  parseLibraryBaselineId,
  policyMayReadResourceGroup,
  postureDecider,
  postureStreamId,
  relatedFinder,
  resourceGroupInfoOf,
  resourceGroupKeyOf,
  TENANT_GUARDRAILS_EVENT_TYPES,
  tenantGuardrailsDecider,
  tenantGuardrailsStreamId,
  type Catalog,
  type EvaluatedResource,
  type PostureCommand,
  type EvaluationCause,
  type KeyedResource,
  type RelatedResourceQuery,
  type ResourceGroupInfo,
  type TenantGuardrails,
  type TenantGuardrailsEvent,
} from '@rampart/guardrails';
import { librarySource } from './library-catalog';
import { expireAttestations } from './attestations';
import { configurationAfter, RESOURCE_EVENT_TYPES, resourceStreamId, type ResourceEvent } from '@rampart/inventory-contract';
import { every, followLog, instruments, type Logger, READ_MODEL_SCHEMA, secondsSince, type Stores } from '@rampart/runtime';

const SYSTEM = { kind: 'system', id: 'guardrail-evaluator' } as const;
const TENANT_POLICY_TYPES = new Set<string>(TENANT_GUARDRAILS_EVENT_TYPES);

export interface TenantEvaluationSummary {
  readonly resources: number;
  readonly evaluations: number;
  readonly postureEvents: number;
}

/** A resource as inventory holds it now. */
export interface CurrentResource {
  readonly key: string;
  readonly configuration: Record<string, unknown>;
}

/**
 * What evaluation asks of inventory's current state, answered by inventory (`inventoryReader` in
 * @rampart/ingestion) and handed in by the composition root: guardrails never reads inventory's tables.
 */
export interface InventoryQueries {
  /** Up to `limit` of the tenant's resources with keys after `afterKey` ('' first), in key order. */
  page(tenantId: string, afterKey: string, limit: number): Promise<readonly CurrentResource[]>;
  /** Up to `limit` of a resource group's resources with keys after `afterKey`, in key order. */
  groupPage(tenantId: string, groupKey: string, afterKey: string, limit: number): Promise<readonly CurrentResource[]>;
  byKeys(tenantId: string, keys: readonly string[]): Promise<readonly CurrentResource[]>;
  ofType(tenantId: string, type: string): Promise<readonly CurrentResource[]>;
}

export interface GuardrailEvaluatorOptions {
  /** Inventory's current resources (related resources, resource groups, whole-tenant evaluation). */
  readonly inventory: InventoryQueries;
  readonly catalog?: Catalog;
  readonly schema?: string;
  readonly now?: () => Date;
}

type EvaluationStores = Pick<Stores, 'eventStore' | 'readModels'>;

/** What a batch's evaluations read, fetched ahead (see `GuardrailEvaluator.prefetch`). */
interface Prefetched {
  /** By event id: the resource as of that event (undefined when it no longer exists there). */
  readonly resources: ReadonlyMap<string, Promise<EvaluatedResource | undefined>>;
  /** Current parents of the batch's child resources, by key. */
  readonly parents: ReadonlyMap<string, CurrentResource>;
}

export class GuardrailEvaluator {
  /** The catalog given, or the built-in one with the provider's library, read again before each piece of work. */
  private catalog: Catalog;
  private readonly fixedCatalog: boolean;
  private readonly schema: string;
  private readonly now: () => Date;
  private readonly inventory: InventoryQueries;

  constructor(
    private readonly stores: EvaluationStores,
    options: GuardrailEvaluatorOptions,
  ) {
    this.inventory = options.inventory;
    this.catalog = options.catalog ?? builtInCatalog();
    this.fixedCatalog = options.catalog !== undefined;
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.now = options.now ?? (() => new Date());
  }

  async policyOf(tenantId: string): Promise<TenantGuardrails> {
    const events = await this.stores.eventStore.readStream(tenantGuardrailsStreamId(tenantId));
    return (events as unknown as TenantGuardrailsEvent[]).reduce(evolveTenantGuardrails, initialTenantGuardrails());
  }

  /** The libraries as recorded now (a definition a tenant's policy names may be newer than what this process read). */
  private async currentCatalog(): Promise<void> {
    if (!this.fixedCatalog) await librarySource(this.stores.eventStore).refresh();
  }

  /** A tenant's catalog: the provider's library and the tenant's own, never another tenant's. */
  private catalogFor(tenantId: string): Catalog {
    return this.fixedCatalog ? this.catalog : librarySource(this.stores.eventStore).catalog(undefined, tenantId);
  }

  /** One batch of the log: resource events re-evaluate their resource, policy events the whole tenant. */
  async handle(events: readonly RecordedEvent[]): Promise<void> {
    await this.currentCatalog();
    const byTenant = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      const list = byTenant.get(e.metadata.tenantId) ?? [];
      list.push(e);
      byTenant.set(e.metadata.tenantId, list);
    }
    for (const [tenantId, tenantEvents] of byTenant) {
      const policyChanged = tenantEvents.some((e) => TENANT_POLICY_TYPES.has(e.type) && !NOT_EVALUATED_POLICY_TYPES.has(e.type));
      const resourceEvents = tenantEvents.filter((e) => !TENANT_POLICY_TYPES.has(e.type));
      const policy = await this.policyOf(tenantId);
      const latest = new Map<string, RecordedEvent>();
      for (const e of resourceEvents) latest.set((e.data as { resourceKey: string }).resourceKey, e);
      const related = new RelatedCache(this.inventory, tenantId);
      // Resource groups first: the batch's resources are then evaluated with the groups it holds.
      const ordered = [...latest.values()].sort((a, b) => Number(isGroupEvent(b)) - Number(isGroupEvent(a)));
      const readsGroups = policy.assignments.size > 0 && policyMayReadResourceGroup(this.catalogFor(tenantId), policy);
      const postures = new PostureWrites();
      const prefetched = policy.assignments.size > 0 ? await this.prefetch(tenantId, ordered) : undefined;
      for (const e of ordered) {
        const { resourceKey, type } = e.data as { resourceKey: string; type: string };
        if (e.type === 'inventory.ResourceRemoved.v1') {
          related.observe(type, resourceKey, null);
          await postures.flush(this.stores.eventStore); // what was evaluated before the removal lands before it
          await this.recordRemoval(tenantId, e);
        } else if (policy.assignments.size > 0) {
          await this.evaluateFromEvent(tenantId, policy, e, related, postures, prefetched);
          // A group discovered after its resources (Resource Graph lists resources before their
          // containers) or changed (its tags): what resourceGroup() tells its resources changed.
          if (readsGroups && isResourceGroupKey(resourceKey)) await this.evaluateGroup(tenantId, policy, resourceKey, related, latest, e, postures);
        }
      }
      await postures.flush(this.stores.eventStore);
      // The inventory read model may lag behind this batch; the resources above were evaluated
      // from their own events, and evaluating one twice records nothing the second time.
      if (policyChanged) await this.evaluateTenant(tenantId, { policy });
    }
  }

  private cause(e: RecordedEvent): EvaluationCause {
    return { eventId: e.eventId, type: e.type, position: formatPosition(e.globalPosition) };
  }

  private async recordRemoval(tenantId: string, e: RecordedEvent): Promise<void> {
    const data = (e as unknown as ResourceEvent).data as { resourceKey: string; id: string; type: string };
    await handleCommand(
      this.stores.eventStore,
      postureDecider,
      postureStreamId(tenantId, data.resourceKey),
      { kind: 'RecordResourceRemoved', tenantId, resource: { key: data.resourceKey, id: data.id, type: data.type }, cause: this.cause(e) },
      { tenantId, actor: SYSTEM, correlationId: e.metadata.correlationId, causationId: e.eventId, now: this.now() },
    );
  }

  /** The resource as of the event: discoveries carry it; a change is applied to the stream's history up to it. */
  private async resourceAt(tenantId: string, e: RecordedEvent): Promise<EvaluatedResource | undefined> {
    const data = e.data as { resourceKey: string; configuration?: Record<string, unknown> };
    if (e.type === 'inventory.ResourceDiscovered.v1' && data.configuration) return { ...(data.configuration as object), key: data.resourceKey } as EvaluatedResource;
    const history = await this.stores.eventStore.readStream(resourceStreamId(tenantId, data.resourceKey), { maxCount: e.revision + 1 });
    const state = configurationAfter(history as unknown as ResourceEvent[]);
    return state.exists ? ({ ...(state.configuration as object), key: data.resourceKey } as EvaluatedResource) : undefined;
  }

  /** The resources of a resource group, from the inventory read model, but those the batch evaluates anyway. */
  private async evaluateGroup(
    tenantId: string,
    policy: TenantGuardrails,
    groupKey: string,
    related: RelatedCache,
    inBatch: ReadonlyMap<string, unknown>,
    e: RecordedEvent,
    postures: PostureWrites,
  ): Promise<void> {
    let after = '';
    for (;;) {
      const rows = await this.inventory.groupPage(tenantId, groupKey, after, 500);
      for (const row of rows)
        if (!inBatch.has(row.key)) await this.record(tenantId, policy, { ...row.configuration, key: row.key } as EvaluatedResource, related, this.cause(e), e.metadata.correlationId, postures);
      if (rows.length < 500) break;
      after = rows[rows.length - 1].key;
    }
  }

  /**
   * What the batch's evaluations will read, fetched before them and a few at a time: the resource
   * as of each change (its stream's history), and the current parents of child resources (in one
   * query). Evaluating one by one, these were a round trip each.
   */
  private async prefetch(tenantId: string, events: readonly RecordedEvent[]): Promise<Prefetched> {
    const resources = new Map<string, Promise<EvaluatedResource | undefined>>();
    const changes = events.filter((e) => e.type !== 'inventory.ResourceRemoved.v1');
    let next = 0;
    const readNext = async () => {
      for (let i = next++; i < changes.length; i = next++) {
        const result = this.resourceAt(tenantId, changes[i]);
        resources.set(changes[i].eventId, result);
        await result;
      }
    };
    await Promise.all(Array.from({ length: Math.min(8, changes.length) }, readNext));
    const parentKeys = [...new Set(changes.map((e) => parentOf((e.data as { resourceKey: string }).resourceKey)).filter((k): k is string => k !== undefined))];
    const parents = new Map<string, CurrentResource>();
    for (let i = 0; i < parentKeys.length; i += 500) for (const row of await this.inventory.byKeys(tenantId, parentKeys.slice(i, i + 500))) parents.set(row.key, row);
    return { resources, parents };
  }

  private async evaluateFromEvent(
    tenantId: string,
    policy: TenantGuardrails,
    e: RecordedEvent,
    related: RelatedCache,
    postures: PostureWrites,
    prefetched?: Prefetched,
  ): Promise<void> {
    const resource = await (prefetched?.resources.get(e.eventId) ?? this.resourceAt(tenantId, e));
    if (!resource) return;
    related.observe(resource.type, resource.key, resource);
    await this.record(tenantId, policy, resource, related, this.cause(e), e.metadata.correlationId, postures);
    // A child or extension resource (a site's auth config, a database's encryption, diagnostic
    // settings) is what auditIfNotExists rules of its parent look for: the parent is re-evaluated.
    const parentKey = parentOf(resource.key);
    if (!parentKey) return;
    const rows = prefetched ? [prefetched.parents.get(parentKey)].filter((r): r is CurrentResource => r !== undefined) : await this.inventory.byKeys(tenantId, [parentKey]);
    if (rows[0]) await this.record(tenantId, policy, { ...rows[0].configuration, key: parentKey } as EvaluatedResource, related, this.cause(e), e.metadata.correlationId, postures);
  }

  /**
   * Evaluates one resource and adds what to record to `postures` (recorded when they are flushed).
   * The engine asks for related resources synchronously, so a first pass notes which types it asked
   * for; they are fetched and the resource evaluated again.
   */
  private async record(
    tenantId: string,
    policy: TenantGuardrails,
    resource: EvaluatedResource,
    related: RelatedCache,
    cause: EvaluationCause | null,
    correlationId: string,
    postures: PostureWrites,
  ): Promise<{ evaluations: number }> {
    const now = this.now();
    await related.fetchGroups([resource.key]);
    const resourceGroup = related.resourceGroupOf(resource.key);
    let started = performance.now();
    let results = evaluateResource(this.catalogFor(tenantId), policy, resource, { now, related: related.finder(), resourceGroup });
    if (related.missing.size > 0) {
      await related.fetchMissing();
      started = performance.now();
      results = evaluateResource(this.catalogFor(tenantId), policy, resource, { now, related: related.finder(), resourceGroup });
    }
    instruments.evaluation(secondsSince(started));
    postures.add({
      streamId: postureStreamId(tenantId, resource.key),
      command: {
        kind: 'RecordEvaluation',
        tenantId,
        resource: { key: resource.key, id: String(resource.id ?? resource.key), type: resource.type },
        results,
        reporting: policy.reporting,
        cause,
      },
      ctx: { tenantId, actor: SYSTEM, correlationId, causationId: cause?.eventId ?? null, now },
    });
    return { evaluations: results.length };
  }

  /** Every resource of the tenant's inventory against its policy now (`rampart evaluate`, and after policy changes). */
  async evaluateTenant(
    tenantId: string,
    options: { policy?: TenantGuardrails; onProgress?: (done: number) => void } = {},
  ): Promise<TenantEvaluationSummary> {
    await this.currentCatalog();
    const policy = options.policy ?? (await this.policyOf(tenantId));
    const related = new RelatedCache(this.inventory, tenantId);
    const correlationId = randomUUID();
    let resources = 0;
    let evaluations = 0;
    let postureEvents = 0;
    let after = '';
    for (;;) {
      const rows = await this.inventory.page(tenantId, after, 500);
      await related.fetchGroups(rows.map((r) => r.key));
      const postures = new PostureWrites();
      for (const row of rows) {
        const done = await this.record(tenantId, policy, { ...row.configuration, key: row.key } as EvaluatedResource, related, null, correlationId, postures);
        resources++;
        evaluations += done.evaluations;
      }
      postureEvents += await postures.flush(this.stores.eventStore);
      options.onProgress?.(resources);
      if (rows.length < 500) break;
      after = rows[rows.length - 1].key;
    }
    return { resources, evaluations, postureEvents };
  }

  /** Records the expiry of every exemption past its time; the evaluation that follows brings the findings back. */
  async expireExemptions(): Promise<{ tenantId: string; exemptionId: string }[]> {
    await this.currentCatalog();
    const now = this.now();
    const { rows } = await this.stores.readModels.query<{ tenant_id: string; exemption_id: string }>(
      `SELECT t.tenant_id, e->>'exemptionId' AS exemption_id FROM "${this.schema}".tenant_guardrails t, jsonb_array_elements(t.doc->'exemptions') e
       WHERE e->>'status' = 'active' AND (e->>'expiresAt')::timestamptz <= $1 ORDER BY 1, 2`,
      [now.toISOString()],
    );
    const expired: { tenantId: string; exemptionId: string }[] = [];
    for (const row of rows) {
      const outcome = await handleCommand(
        this.stores.eventStore,
        tenantGuardrailsDecider(this.catalogFor(row.tenant_id)),
        tenantGuardrailsStreamId(row.tenant_id),
        { kind: 'ExpireExemption', exemptionId: row.exemption_id, now },
        { tenantId: row.tenant_id, actor: SYSTEM, correlationId: randomUUID(), causationId: null, now },
      );
      if (outcome.ok) expired.push({ tenantId: row.tenant_id, exemptionId: row.exemption_id });
    }
    return expired;
  }
}

/**
 * Every assignment that follows a library definition's latest version and is behind it adopts the
 * newer version (recorded in the tenant's policy, which the evaluation of the whole tenant follows).
 * Run by every worker each minute: the decider takes a version only forward, so two workers adopting
 * at once record it once.
 */
export const adoptLibraryVersions = async (
  stores: EvaluationStores,
  options: { readonly schema?: string; readonly now?: () => Date } = {},
): Promise<{ tenantId: string; assignmentId: string; baselineId: string }[]> => {
  const source = librarySource(stores.eventStore);
  await source.refresh();
  const { rows } = await stores.readModels.query<{ tenant_id: string; assignment_id: string; baseline_id: string; follows: string }>(
    `SELECT t.tenant_id, a->>'assignmentId' AS assignment_id, a->>'baselineId' AS baseline_id, a->>'follows' AS follows
       FROM "${options.schema ?? READ_MODEL_SCHEMA}".tenant_guardrails t, jsonb_array_elements(t.doc->'assignments') a
      WHERE a ? 'follows' ORDER BY 1, 2`,
  );
  const adopted: { tenantId: string; assignmentId: string; baselineId: string }[] = [];
  for (const row of rows) {
    const catalog = source.catalog(undefined, row.tenant_id);
    const latest = catalog.baselines.get(row.follows);
    const version = latest && parseLibraryBaselineId(latest.id)?.version;
    if (!latest || version === undefined || latest.id === row.baseline_id) continue;
    const now = options.now?.() ?? new Date();
    const outcome = await handleCommand(
      stores.eventStore,
      tenantGuardrailsDecider(catalog),
      tenantGuardrailsStreamId(row.tenant_id),
      { kind: 'AdoptLibraryVersion', assignmentId: row.assignment_id, version },
      { tenantId: row.tenant_id, actor: SYSTEM, correlationId: randomUUID(), causationId: null, now },
    );
    if (outcome.ok && outcome.events.length > 0) adopted.push({ tenantId: row.tenant_id, assignmentId: row.assignment_id, baselineId: latest.id });
  }
  return adopted;
};

/**
 * The resource a child or extension resource belongs to: `…/sites/app/config/web` → `…/sites/app`,
 * `…/vaults/kv/providers/microsoft.insights/diagnosticsettings/d` → `…/vaults/kv`,
 * `/subscriptions/s/providers/microsoft.security/assessments/a` → `/subscriptions/s`. Undefined for
 * top-level resources.
 */
export const parentOf = (key: string): string | undefined => {
  const at = key.lastIndexOf('/providers/');
  if (at < 0) return undefined;
  const own = key.slice(at + '/providers/'.length).split('/');
  // namespace/type/name: top-level; each further type/name pair is a child level
  if (own.length > 3 && own.length % 2 === 1) return key.slice(0, key.length - own.slice(-2).join('/').length - 1);
  // an extension resource: another resource's id, then /providers/<namespace>/<type>/<name>
  if (own.length === 3 && key.slice(0, at).includes('/providers/')) return key.slice(0, at);
  // at a subscription's own scope (Defender assessments, pricings, role assignments): the subscription's
  if (own.length === 3 && /^\/subscriptions\/[^/]+$/.test(key.slice(0, at))) return key.slice(0, at);
  return undefined;
};

/**
 * The posture records a batch of evaluations makes, written together: one multi-stream append per
 * few hundred resources instead of a read and a commit each. A resource evaluated twice in one batch
 * (from its own event, then as a child's parent) keeps its last evaluation, as recording both in
 * order would have left it.
 */
class PostureWrites {
  private readonly writes = new Map<string, StreamCommand<PostureCommand>>();

  add(write: StreamCommand<PostureCommand>): void {
    this.writes.delete(write.streamId);
    this.writes.set(write.streamId, write);
  }

  /** Records what was added; the number of posture events appended. */
  async flush(store: EvaluationStores['eventStore']): Promise<number> {
    if (this.writes.size === 0) return 0;
    const batch = [...this.writes.values()];
    this.writes.clear();
    const outcomes = await handleCommands(store, postureDecider, batch);
    const appended = outcomes.flatMap((o) => (o.ok ? o.events : []));
    instruments.finding('opened', appended.filter((e) => e.type === 'guardrails.FindingOpened.v1').length);
    instruments.finding('resolved', appended.filter((e) => e.type === 'guardrails.FindingResolved.v1').length);
    return appended.length;
  }
}

const isGroupEvent = (e: RecordedEvent) => isResourceGroupKey((e.data as { resourceKey: string }).resourceKey);

/**
 * Related-resource candidates of a tenant by type, and its resource groups by key: fetched from the
 * inventory read model once per batch (or tenant evaluation), and kept current with the resources
 * the batch itself observes, which the read model may not show yet.
 */
class RelatedCache {
  private readonly byType = new Map<string, Map<string, KeyedResource>>();
  private readonly observed = new Map<string, Map<string, KeyedResource | null>>();
  /** By key; null: the inventory does not hold the group (or it is not one). */
  private readonly groups = new Map<string, ResourceGroupInfo | null>();
  readonly missing = new Set<string>();

  constructor(
    private readonly inventory: InventoryQueries,
    private readonly tenantId: string,
  ) {}

  finder(): (query: RelatedResourceQuery) => readonly KeyedResource[] {
    return relatedFinder((type) => {
      const known = this.byType.get(type);
      if (known) return [...known.values()];
      this.missing.add(type);
      return [];
    }) as (query: RelatedResourceQuery) => readonly KeyedResource[];
  }

  /** The resource group of the resource with this key, if fetched and in the inventory. */
  resourceGroupOf(resourceKey: string): ResourceGroupInfo | undefined {
    const groupKey = resourceGroupKeyOf(resourceKey);
    return (groupKey && this.groups.get(groupKey)) || undefined;
  }

  /** Fetches the resource groups of these resources not known yet, in one query (keys are unique: a primary-key lookup each). */
  async fetchGroups(resourceKeys: readonly string[]): Promise<void> {
    const wanted = new Set<string>();
    for (const key of resourceKeys) {
      const groupKey = resourceGroupKeyOf(key);
      if (groupKey && !this.groups.has(groupKey)) wanted.add(groupKey);
    }
    if (wanted.size === 0) return;
    const rows = await this.inventory.byKeys(this.tenantId, [...wanted]);
    for (const key of wanted) this.groups.set(key, null);
    for (const row of rows) this.groups.set(row.key, resourceGroupInfoOf(row.configuration as unknown as KeyedResource) ?? null);
  }

  /** A resource as the batch saw it (null: removed), over whatever the read model says. */
  observe(type: string, key: string, resource: KeyedResource | null): void {
    if (isResourceGroupKey(key)) this.groups.set(key, (resource && resourceGroupInfoOf(resource)) ?? null);
    const lower = type.toLowerCase();
    const observed = this.observed.get(lower) ?? new Map<string, KeyedResource | null>();
    observed.set(key, resource);
    this.observed.set(lower, observed);
    const known = this.byType.get(lower);
    if (known) apply(known, key, resource);
  }

  async fetchMissing(): Promise<void> {
    for (const type of this.missing) {
      const rows = await this.inventory.ofType(this.tenantId, type);
      const byKey = new Map(rows.map((r) => [r.key, { ...(r.configuration as object), key: r.key } as KeyedResource]));
      for (const [key, resource] of this.observed.get(type) ?? []) apply(byKey, key, resource);
      this.byType.set(type, byKey);
    }
    this.missing.clear();
  }
}

const apply = (byKey: Map<string, KeyedResource>, key: string, resource: KeyedResource | null) => {
  if (resource) byKey.set(key, resource);
  else byKey.delete(key);
};

export const GUARDRAIL_EVALUATOR_SUBSCRIPTION = 'guardrail-evaluator';
/** Policy changes that change no verdict: who must approve an attestation, how old evidence may be. */
const NOT_EVALUATED_POLICY_TYPES = new Set<string>(['guardrails.AttestationPolicySet.v1', 'guardrails.CoveragePolicySet.v1']);
/** What the evaluator reacts to: resource changes, and changes of a tenant's guardrail policy that change verdicts. */
export const GUARDRAIL_EVALUATOR_EVENT_TYPES: readonly string[] = [...RESOURCE_EVENT_TYPES, ...TENANT_GUARDRAILS_EVENT_TYPES.filter((t) => !NOT_EVALUATED_POLICY_TYPES.has(t))];

/** Runs the evaluator from its checkpoint until stopped, and expires exemptions and attestations every minute. */
export const startGuardrailEvaluator = async (
  stores: Stores,
  log: Logger,
  options: GuardrailEvaluatorOptions & { expiryIntervalMs?: number; leaseMs?: number; partitions?: number },
): Promise<{ evaluator: GuardrailEvaluator; stop(): Promise<void> }> => {
  const evaluator = new GuardrailEvaluator(stores, options);
  const following = await followLog(stores, log, {
    subscriptionId: GUARDRAIL_EVALUATOR_SUBSCRIPTION,
    eventTypes: GUARDRAIL_EVALUATOR_EVENT_TYPES,
    schema: options.schema,
    leaseMs: options.leaseMs,
    partitions: options.partitions,
    handle: (events) => evaluator.handle(events),
  });
  const expiry = every(options.expiryIntervalMs ?? 60_000, log, 'expiring exemptions and attestations, adopting library versions', async () => {
    for (const e of await evaluator.expireExemptions()) log.info(e, 'exemption expired; its findings come back');
    for (const a of await adoptLibraryVersions(stores, { schema: options.schema, now: options.now })) log.info(a, 'assignment adopted a new library version; the tenant is evaluated again');
    for (const a of await expireAttestations(stores, { schema: options.schema, now: options.now?.() })) log.info(a, 'attestation expired; its control needs evidence again');
  });
  return {
    evaluator,
    async stop() {
      await expiry.stop();
      await following.stop();
    },
  };
};
