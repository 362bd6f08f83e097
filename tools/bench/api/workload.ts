// The data behind the two heavier shapes: a SOC team's incident queue across the tenants it
// serves, and one tenant's posture with per-control scores. Nothing is written behind the
// platform's back: WORKLOAD_TENANTS tenants are onboarded, assigned to the SOC team, assessed
// against a regulatory standard with an incident policy for high and critical findings, and then
// collect a synthetic Azure estate through the real ingestion. The platform's own worker evaluates
// it, records findings and opens incidents; the bench waits until that has settled.
import { comparePositions, handleCommand, type EventStore } from '@rampart/event-sourcing';
import { SqlCheckpointStore } from '@rampart/event-store';
import { generateTenant } from '@rampart/demo';
import { changeTenantGuardrails, GUARDRAIL_EVALUATOR_SUBSCRIPTION } from '@rampart/guardrails-application';
import { INCIDENT_REACTOR_SUBSCRIPTION, setIncidentPolicy } from '@rampart/incidents-application';
import { ingest, itemsOf, presentResourcesFromReadModel } from '@rampart/ingestion';
import type { Worker } from '@rampart/platform';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { tenantStanding } from '@rampart/tenancy-application';
import type { Interruptible, Progress, SeedTenant } from './seed';

export const SOC_TEAM = 'bench-soc';
export const WORKLOAD_TENANTS = 10;
export const RESOURCES_PER_TENANT = 300;
/** Besides the workload tenants, this many of the 10,000 directory tenants are the team's too: a SOC serves hundreds. */
export const EXTRA_SOC_TENANTS = 190;
export const STANDARD = 'mcsb';

/** `fleet-01` …: after `bench-…` in the directory, so the tenants page stays all bench tenants. */
export const workloadTenants = (): string[] => Array.from({ length: WORKLOAD_TENANTS }, (_, i) => `fleet-${String(i + 1).padStart(2, '0')}`);

const cause = (tenantId: string) => ({ tenantId, actor: { kind: 'user' as const, id: 'bench@mssp.example' }, correlationId: 'bench-api-workload', causationId: null, now: new Date() });

const assignTeam = async (store: EventStore, tenantId: string): Promise<void> => {
  const outcome = await handleCommand(store, tenantDecider, tenantStreamId(tenantId), { kind: 'AssignSocTeam', tenantId, socTeam: SOC_TEAM }, cause(tenantId));
  if (!outcome.ok) throw new Error(`${SOC_TEAM} not assigned to ${tenantId}: ${outcome.rejection.code}`);
};

const countOf = async (stores: Stores, table: string, tenants: readonly string[]): Promise<number> => {
  const { rows } = await stores.readModels.query<{ n: string | number }>(`SELECT count(*) AS n FROM "${READ_MODEL_SCHEMA}".${table} WHERE tenant_id = ANY($1::text[])`, [tenants]);
  return Number(rows[0]?.n ?? 0);
};

export interface WorkloadSummary {
  readonly tenants: readonly string[];
  readonly resources: number;
  readonly complianceRows: number;
  readonly incidents: number;
  readonly seconds: number;
}

/**
 * Onboards and assesses the workload tenants, ingests their estates, and waits until evaluation
 * and incidents have stopped changing (every projection caught up and the row counts still for
 * `quietMs`).
 */
export const seedWorkload = async (
  stores: Stores,
  worker: Worker,
  directoryTenants: readonly SeedTenant[],
  options: { progress: Progress; run: Interruptible; quietMs?: number; timeoutSeconds?: number },
): Promise<WorkloadSummary> => {
  const started = Date.now();
  const store = stores.eventStore;
  const standing = tenantStanding(store);
  const tenants = workloadTenants();
  for (const tenantId of tenants) {
    const onboarded = await handleCommand(
      store,
      tenantDecider,
      tenantStreamId(tenantId),
      { kind: 'OnboardTenant', tenantId, displayName: `Fleet Tenant ${tenantId.slice(-2)}`, sector: 'finance', contactEmail: `secops@${tenantId}.example` },
      cause(tenantId),
    );
    if (!onboarded.ok && onboarded.rejection.code !== 'tenant-already-onboarded') throw new Error(`${tenantId} not onboarded: ${onboarded.rejection.code}`);
    await assignTeam(store, tenantId);
    const assigned = await changeTenantGuardrails({ eventStore: store, standing }, cause(tenantId), { kind: 'AssignBaseline', assignmentId: STANDARD, baselineId: STANDARD, scope: '*' });
    if (!assigned.ok) throw new Error(`${STANDARD} not assigned to ${tenantId}: ${assigned.rejection.code}`);
    const policy = await setIncidentPolicy({ stores, standing }, tenantId, { kind: 'SetIncidentPolicy', findingSeverities: ['critical', 'high'] }, cause(tenantId));
    if (!policy.ok) throw new Error(`incident policy not set for ${tenantId}: ${policy.rejection.code}`);
  }
  for (const tenant of directoryTenants.slice(0, EXTRA_SOC_TENANTS)) await assignTeam(store, tenant.tenantId);
  options.progress(`${tenants.length} workload tenants onboarded (${STANDARD}, incidents for high and critical findings); ${SOC_TEAM} serves ${tenants.length + EXTRA_SOC_TENANTS} tenants`);

  for (const [i, tenantId] of tenants.entries()) {
    if (options.run.interrupted) break;
    const estate = generateTenant({ seed: 7_000 + i, resources: RESOURCES_PER_TENANT, misconfiguredShare: 0.2 });
    const result = await ingest(store, itemsOf(estate), {
      tenantId,
      standing,
      actor: { kind: 'system', id: 'bench-api' },
      source: 'push',
      scope: '*',
      complete: true,
      presentResources: presentResourcesFromReadModel(stores),
    });
    options.progress(`${tenantId}: ${result.counts.discovered} resources discovered`);
  }

  // Evaluation and incidents follow asynchronously: done when the evaluator and the incident reactor
  // (every partition) have reached the log's head, every projection has applied it, and nothing
  // has moved for a while (a finding leads to an incident, which leads to more events).
  const checkpoints = await SqlCheckpointStore.open(stores.readModels, READ_MODEL_SCHEMA);
  const reactionsBehind = async (): Promise<string[]> => {
    const head = await store.headPosition();
    const behind: string[] = [];
    for (const subscription of [GUARDRAIL_EVALUATOR_SUBSCRIPTION, INCIDENT_REACTOR_SUBSCRIPTION]) {
      const positions = await checkpoints.list(subscription);
      if (positions.size === 0) behind.push(`${subscription} not started`);
      for (const [id, position] of positions) if (comparePositions(position, head) < 0) behind.push(id);
    }
    return behind;
  };
  const quietMs = options.quietMs ?? 3_000;
  const deadline = Date.now() + (options.timeoutSeconds ?? 300) * 1000;
  let last = '';
  let stillSince = Date.now();
  let lastReport = Date.now();
  for (;;) {
    if (options.run.interrupted) break;
    const behind = (await worker.statuses()).filter((s) => s.eventsBehind > 0);
    const reactions = await reactionsBehind();
    const counts = [await countOf(stores, 'compliance', tenants), await countOf(stores, 'incidents', tenants)];
    const now = `${counts.join('/')}|${behind.length}|${reactions.join()}`;
    if (now !== last) {
      last = now;
      stillSince = Date.now();
    } else if (behind.length === 0 && reactions.length === 0 && Date.now() - stillSince >= quietMs) {
      return { tenants, resources: tenants.length * RESOURCES_PER_TENANT, complianceRows: counts[0], incidents: counts[1], seconds: (Date.now() - started) / 1000 };
    }
    if (Date.now() > deadline) throw new Error(`evaluation did not settle within ${options.timeoutSeconds ?? 300} s (compliance rows/incidents ${counts.join('/')})`);
    if (Date.now() - lastReport >= 5_000) {
      lastReport = Date.now();
      options.progress(
        `evaluating: ${counts[0].toLocaleString('en-US')} verdicts, ${counts[1]} incidents${behind.length ? `, ${behind.map((s) => `${s.name} ${s.eventsBehind} behind`).join(', ')}` : ''}${reactions.length ? `; not at the head yet: ${reactions.join(', ')}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('interrupted');
};
