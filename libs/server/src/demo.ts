// A first look for newcomers: a demo tenant, seeded once (re-running finds it onboarded and
// changes nothing). Later issues grow this into the full product story.
import { randomUUID } from 'node:crypto';
import { handleCommand } from '@rampart/event-sourcing';
import type { EventStore } from '@rampart/event-sourcing';
import type { Logger } from '@rampart/platform';
import { tenantDecider, tenantStreamId, type OnboardTenant } from '@rampart/tenancy';

export const DEMO_TENANTS: readonly (Omit<OnboardTenant, 'kind'> & { socTeam: string })[] = [
  { tenantId: 'contoso-bank', displayName: 'Contoso Bank', sector: 'finance', contactEmail: 'secops@contoso-bank.example', socTeam: 'blue' },
  { tenantId: 'fabrikam-retail', displayName: 'Fabrikam Retail', sector: 'retail', contactEmail: 'it@fabrikam.example', socTeam: 'blue' },
  {
    tenantId: 'northwind-mfg',
    displayName: 'Northwind Manufacturing',
    sector: 'manufacturing',
    contactEmail: 'ot-security@northwind.example',
    socTeam: 'red',
  },
];

export const seedDemo = async (store: EventStore, log: Logger): Promise<number> => {
  let seeded = 0;
  for (const { socTeam, ...tenant } of DEMO_TENANTS) {
    const context = { tenantId: tenant.tenantId, actor: { kind: 'system' as const, id: 'demo-seed' }, correlationId: randomUUID(), now: new Date() };
    const streamId = tenantStreamId(tenant.tenantId);
    const onboarded = await handleCommand(store, tenantDecider, streamId, { kind: 'OnboardTenant', ...tenant }, context);
    const assigned = await handleCommand(store, tenantDecider, streamId, { kind: 'AssignSocTeam', tenantId: tenant.tenantId, socTeam }, context);
    if (onboarded.ok) seeded++;
    for (const outcome of [onboarded, assigned]) {
      if (!outcome.ok && !['tenant-already-onboarded', 'soc-team-already-assigned'].includes(outcome.rejection.code)) {
        log.warn({ tenantId: tenant.tenantId, rejection: outcome.rejection }, 'demo tenant not seeded');
      }
    }
  }
  if (seeded > 0) log.info({ seeded }, 'demo tenants seeded');
  return seeded;
};
