// The provider's own records (its policy library; later its tenant groups) live under a reserved
// tenant id, so they are streams, a trail and an export like any tenant's, and every rule that
// keeps tenants apart keeps them apart from the provider's too. No tenant is onboarded under it.
import { tenantStreamPrefix } from './envelope';

export const PROVIDER_SCOPE = 'provider';

export const isProviderScope = (tenantId: string): boolean => tenantId === PROVIDER_SCOPE;

/** `t-provider:` — the stream prefix of everything the provider owns. */
export const providerStreamPrefix = (): string => tenantStreamPrefix(PROVIDER_SCOPE);
