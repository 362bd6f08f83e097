// A tenant's proof of coverage: when each resource was last collected (inventory's record: its own
// changes and the complete snapshots that saw it), how far the evaluator had got, and the tenant's
// interval (its guardrail policy) — put together for guardrails' coverage rule. Now from the read
// models and the evaluator's checkpoints; as of an instant, folded from the log with the same read
// models (where the evaluator is taken to have kept up: its past lag is not recorded).
import { tenantPartitionOf, type GlobalPosition } from '@rampart/event-sourcing';
import { SqlCheckpointStore } from '@rampart/event-store';
import {
  coverageHoldsUntil,
  coverageOf,
  DEFAULT_MAX_EVIDENCE_AGE_HOURS,
  notEvaluatedKeys,
  type CollectedResource,
  type ComplianceScore,
  type Coverage,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import { GUARDRAIL_EVALUATOR_EVENT_TYPES, GUARDRAIL_EVALUATOR_SUBSCRIPTION, tenantComplianceScore } from '@rampart/guardrails-application';
import { lastCollectedAt, latestPerScope, type CompleteCollection } from '@rampart/inventory-contract';
import type { ResourceInventoryEntry } from '@rampart/inventory';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { answerCacheOf } from './answer-cache';

type CoverageStores = Pick<Stores, 'eventStore' | 'readModels'>;

/** The collected resources of a tenant, each with when it was last collected. */
export const collectedResources = (resources: Iterable<Pick<ResourceInventoryEntry, 'resourceKey' | 'id' | 'type' | 'changedAt'>>, collections: readonly CompleteCollection[]): CollectedResource[] => {
  const latest = latestPerScope(collections);
  return [...resources].map((r) => ({ resourceKey: r.resourceKey, resourceId: r.id, resourceType: r.type, lastCollectedAt: lastCollectedAt(r, latest) }));
};

const PARTITION = /^\[(\d+)\/(\d+)\]$/;

// Opening the store makes sure its table exists (DDL under the migration lock): once per database
// and schema, not on every score a request asks for.
const checkpointStores = new WeakMap<object, Map<string, Promise<SqlCheckpointStore>>>();
const checkpointsOf = (sql: CoverageStores['readModels'], schema: string): Promise<SqlCheckpointStore> => {
  let bySchema = checkpointStores.get(sql);
  if (!bySchema) checkpointStores.set(sql, (bySchema = new Map()));
  let store = bySchema.get(schema);
  if (!store) {
    store = SqlCheckpointStore.open(sql, schema);
    store.catch(() => bySchema?.delete(schema));
    bySchema.set(schema, store);
  }
  return store;
};

/**
 * The instant before which the evaluator has handled every event of the tenant it reacts to: the
 * recording time of the first one past its checkpoint for the tenant's partition. Null when it is
 * not behind, or when no evaluator checkpoint exists (evaluation ran in the command that recorded
 * the change, as the CLI does; or no worker ever ran).
 */
export const evaluatedThrough = async (stores: CoverageStores, tenantId: string, schema = READ_MODEL_SCHEMA): Promise<string | null> => {
  const checkpoints = await checkpointsOf(stores.readModels, schema);
  let furthest: GlobalPosition | undefined;
  for (const [id, position] of await checkpoints.list(GUARDRAIL_EVALUATOR_SUBSCRIPTION)) {
    const rest = id.slice(GUARDRAIL_EVALUATOR_SUBSCRIPTION.length);
    const partition = PARTITION.exec(rest);
    // any setting's checkpoint for the tenant's partition proves what it handled
    if (rest !== '' && !(partition && tenantPartitionOf(tenantId, Number(partition[2])) === Number(partition[1]))) continue;
    if (!furthest || position.commit > furthest.commit || (position.commit === furthest.commit && position.prepare > furthest.prepare)) furthest = position;
  }
  if (!furthest) return null;
  const next = await stores.eventStore.readAll({ from: furthest, filter: { tenantId, eventTypes: GUARDRAIL_EVALUATOR_EVENT_TYPES }, maxCount: 1 });
  return next.events[0]?.recordedAt ?? null;
};

/** The tenant's interval, as its guardrail policy says (or the default). */
export const maxEvidenceAgeOf = (policy: Pick<TenantGuardrailsEntry, 'maxEvidenceAgeHours'> | undefined): number => policy?.maxEvidenceAgeHours ?? DEFAULT_MAX_EVIDENCE_AGE_HOURS;

/** The tenant's proof of coverage now, from the read models. */
export const tenantCoverage = async (stores: CoverageStores, tenantId: string, options: { schema?: string; now?: Date } = {}): Promise<Coverage> => {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const [resources, runs, policy, through] = await Promise.all([
    stores.readModels.query<{ doc: ResourceInventoryEntry }>(
      `SELECT jsonb_build_object('resourceKey', doc->'resourceKey', 'id', doc->'id', 'type', doc->'type', 'changedAt', doc->'changedAt') AS doc FROM "${schema}".resource_inventory WHERE tenant_id = $1`,
      [tenantId],
    ),
    // the latest complete snapshot per scope that completed
    stores.readModels.query<{ scope: string; finished_at: string }>(
      `SELECT doc->>'scope' AS scope, max(doc->>'finishedAt') AS finished_at FROM "${schema}".ingestion_runs
       WHERE tenant_id = $1 AND doc->>'status' = 'completed' AND (doc->>'complete')::boolean GROUP BY 1`,
      [tenantId],
    ),
    stores.readModels.query<{ doc: TenantGuardrailsEntry }>(`SELECT doc FROM "${schema}".tenant_guardrails WHERE id = $1`, [tenantId]),
    evaluatedThrough(stores, tenantId, schema),
  ]);
  return coverageOf(
    collectedResources(
      resources.rows.map((r) => r.doc),
      runs.rows.map((r) => ({ scope: r.scope, finishedAt: r.finished_at })),
    ),
    { at: options.now ?? new Date(), maxEvidenceAgeHours: maxEvidenceAgeOf(policy.rows[0]?.doc), evaluatedThrough: through },
  );
};

/**
 * A tenant's compliance score now with its coverage, as `complianceScore` answers it: kept while
 * neither the read side nor the clock can have changed it (the first evidence to age past the
 * interval ends it), so a dashboard open on many screens computes it once per change.
 */
export const tenantScoreNow = (stores: CoverageStores, tenantId: string, readAt?: Promise<string>): Promise<{ coverage: Coverage; score: ComplianceScore }> =>
  answerCacheOf(stores).get(
    `score\0${tenantId}`,
    async () => {
      const coverage = await tenantCoverage(stores, tenantId);
      const score = await tenantComplianceScore(stores, tenantId, READ_MODEL_SCHEMA, notEvaluatedKeys(coverage));
      return { value: { coverage, score }, validUntil: coverageHoldsUntil(coverage) };
    },
    readAt,
  );
