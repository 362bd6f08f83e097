// A first look for newcomers: a demo tenant, seeded once (re-running finds it onboarded and
// changes nothing). Later issues grow this into the full product story.
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@rampart/event-sourcing';
import type { EventStore } from '@rampart/event-sourcing';
import type { Logger } from '@rampart/platform';
import { tenantDecider, tenantStreamId, type OnboardTenant } from '@rampart/tenancy';

export const DEMO_TENANTS: readonly Omit<OnboardTenant, 'kind'>[] = [
  { tenantId: 'contoso-bank', displayName: 'Contoso Bank', sector: 'finance', contactEmail: 'secops@contoso-bank.example' },
  { tenantId: 'fabrikam-retail', displayName: 'Fabrikam Retail', sector: 'retail', contactEmail: 'it@fabrikam.example' },
  { tenantId: 'northwind-mfg', displayName: 'Northwind Manufacturing', sector: 'manufacturing', contactEmail: 'ot-security@northwind.example' },
];

export const seedDemo = async (store: EventStore, log: Logger): Promise<number> => {
  let seeded = 0;
  for (const tenant of DEMO_TENANTS) {
    const outcome = await handleCommand(store, tenantDecider, tenantStreamId(tenant.tenantId), { kind: 'OnboardTenant', ...tenant }, {
      tenantId: tenant.tenantId,
      actor: { kind: 'system', id: 'demo-seed' },
      correlationId: randomUUID(),
      now: new Date(),
    });
    if (outcome.ok) seeded++;
    else if (outcome.rejection.code !== 'tenant-already-onboarded') {
      log.warn({ tenantId: tenant.tenantId, rejection: outcome.rejection }, 'demo tenant not seeded');
    }
  }
  if (seeded > 0) log.info({ seeded }, 'demo tenants seeded');
  return seeded;
};
