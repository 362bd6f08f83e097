// Tenancy's standing rule, answered for use cases and reactions outside tenancy: the tenant's status
// is read from its own stream (a handful of events, never behind like a read model could be).
import { fold, isProviderScope, type EventStore, type TenantStanding } from '@rampart/event-sourcing';
import { standingOf, standingStatusOf, tenantDecider, tenantStreamId, type StandingStatus, type TenancyEvent } from '@rampart/tenancy';

/** The tenant's status now, `unknown` if it was never onboarded; `provider` for the provider's own scope. */
export const tenantStatusNow = async (store: Pick<EventStore, 'readStream'>, tenantId: string): Promise<StandingStatus> =>
  isProviderScope(tenantId) ? 'provider' : standingStatusOf(fold(tenantDecider, (await store.readStream(tenantStreamId(tenantId))) as unknown as TenancyEvent[]));

/** Whether a tenant may take a command of an intent now, by tenancy's rule. */
export const tenantStanding = (store: Pick<EventStore, 'readStream'>): TenantStanding => async (tenantId, intent) =>
  standingOf(tenantId, await tenantStatusNow(store, tenantId), intent);
