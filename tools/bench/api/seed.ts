// The rows the list query reads: TENANT_COUNT tenants, onboarded by appending the event the
// tenant decider would decide (tenancy.TenantOnboarded.v1, one stream per tenant, metadata built
// by toNewEvents), then left to the platform's own projection to land in the tenant directory.
import { randomUUID } from 'node:crypto';
import { toNewEvents, type EventStore } from '@rampart/event-sourcing';
import type { Worker } from '@rampart/platform';
import { READ_MODEL_SCHEMA } from '@rampart/runtime';
import type { SqlClient } from '@rampart/event-store';
import { SECTORS, tenantStreamId, type TenantOnboarded } from '@rampart/tenancy';

export const TENANT_COUNT = 10_000;

export type Progress = (message: string) => void;

export interface SeedTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly sector: (typeof SECTORS)[number];
  readonly contactEmail: string;
}

/** `bench-00001` …: sorts before the demo tenants the platform seeds, so page one is all ours. */
export const seedTenants = (count = TENANT_COUNT): SeedTenant[] =>
  Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      tenantId: `bench-${n}`,
      displayName: `Bench Tenant ${n}`,
      sector: SECTORS[i % SECTORS.length],
      contactEmail: `secops@bench-${n}.example`,
    };
  });

/** A tenant as the bare server holds it: the fields of Rampart's Tenant type that it serves. */
export interface BareTenant {
  readonly tenantId: string;
  readonly displayName: string;
  readonly sector: string;
  readonly status: 'active' | 'suspended';
  readonly onboardedAt: string;
  readonly suspendedReason: string | null;
  readonly socTeams: readonly string[];
}

/** What the tenant directory projection makes of them (onboardedAt is the store's clock; the query does not read it). */
export const bareTenants = (tenants: readonly SeedTenant[], onboardedAt: string): BareTenant[] =>
  tenants.map((t) => ({ tenantId: t.tenantId, displayName: t.displayName, sector: t.sector, status: 'active', onboardedAt, suspendedReason: null, socTeams: [] }));

export interface Interruptible {
  readonly interrupted: boolean;
}

/** Appends one TenantOnboarded per tenant, `concurrency` appends in flight; returns seconds taken. */
export const appendTenants = async (
  store: EventStore,
  tenants: readonly SeedTenant[],
  options: { concurrency: number; progress: Progress; run: Interruptible },
): Promise<number> => {
  const started = Date.now();
  const correlationId = randomUUID();
  let next = 0;
  let done = 0;
  let lastReport = Date.now();
  const appendOne = async (tenant: SeedTenant): Promise<void> => {
    const event: TenantOnboarded = { type: 'tenancy.TenantOnboarded.v1', data: { ...tenant } };
    const events = toNewEvents([event], {
      tenantId: tenant.tenantId,
      actor: { kind: 'system', id: 'api-bench-seed' },
      correlationId,
      now: new Date(),
    });
    await store.appendToStream(tenantStreamId(tenant.tenantId), events, { expectedRevision: 'no_stream' });
  };
  const lane = async (): Promise<void> => {
    while (next < tenants.length && !options.run.interrupted) {
      await appendOne(tenants[next++]);
      done++;
      if (Date.now() - lastReport >= 2_000) {
        lastReport = Date.now();
        const seconds = (Date.now() - started) / 1000;
        options.progress(`seeded ${done.toLocaleString('en-US')}/${tenants.length.toLocaleString('en-US')} tenants (${Math.round(done / seconds)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return (Date.now() - started) / 1000;
};

/** Waits until every projection has applied the whole log, reporting the lag; returns seconds waited. */
export const waitForProjections = async (worker: Worker, options: { timeoutSeconds: number; progress: Progress; run: Interruptible }): Promise<number> => {
  const started = Date.now();
  let lastReport = Date.now();
  for (;;) {
    const statuses = await worker.statuses();
    const behind = statuses.filter((s) => s.eventsBehind > 0);
    if (behind.length === 0 || options.run.interrupted) return (Date.now() - started) / 1000;
    if (Date.now() - started > options.timeoutSeconds * 1000) {
      throw new Error(`projections did not catch up within ${options.timeoutSeconds} s: ${behind.map((s) => `${s.name} ${s.eventsBehind} behind`).join(', ')}`);
    }
    if (Date.now() - lastReport >= 2_000) {
      lastReport = Date.now();
      options.progress(`projections catching up: ${behind.map((s) => `${s.name} ${s.eventsBehindIsLowerBound ? '>=' : ''}${s.eventsBehind} behind`).join(', ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export const countDirectoryRows = async (sql: SqlClient): Promise<number> => {
  const { rows } = await sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM "${READ_MODEL_SCHEMA}".tenant_directory WHERE id LIKE 'bench-%'`);
  return Number(rows[0]?.n ?? 0);
};
