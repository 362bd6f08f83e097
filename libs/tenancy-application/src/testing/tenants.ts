// For tests: tenants onboarded the way the product onboards them, so that tenancy's standing rule
// admits their collection and their incidents.
import { handleCommand, type EventStore } from '@rampart/event-sourcing';
import { tenantDecider, tenantStreamId } from '@rampart/tenancy';

export const onboardTenants = async (store: EventStore, ...tenantIds: string[]): Promise<void> => {
  for (const tenantId of tenantIds) {
    const outcome = await handleCommand(store, tenantDecider, tenantStreamId(tenantId), { kind: 'OnboardTenant', tenantId, displayName: tenantId, sector: 'other', contactEmail: `soc@${tenantId}.example` }, {
      tenantId,
      actor: { kind: 'user', id: 'test' },
      correlationId: `onboard-${tenantId}`,
      causationId: null,
      now: new Date(),
    });
    if (!outcome.ok && outcome.rejection.code !== 'tenant-already-onboarded') throw new Error(`${tenantId} not onboarded: ${outcome.rejection.code}`);
  }
};
