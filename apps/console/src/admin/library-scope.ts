// Whose policy library a page works on: the provider's, which platform admins keep for every tenant
// (under four-eyes when its policy asks), or one tenant's own, which only that tenant can be held to
// and its customer admins and SOC keep. The pages and their words are the same otherwise.

export type LibraryScope = { readonly owner: 'provider' } | { readonly owner: 'tenant'; readonly tenantId: string };

export const PROVIDER_LIBRARY: LibraryScope = { owner: 'provider' };

export const tenantLibrary = (tenantId: string): LibraryScope => ({ owner: 'tenant', tenantId });

/** The library as a sentence names it. */
export const libraryName = (scope: LibraryScope): string => (scope.owner === 'provider' ? "the provider's policy library" : "the tenant's own policy library");

/** Whose trail records its changes (and the reasons given for them). */
export const trailOf = (scope: LibraryScope): string => (scope.owner === 'provider' ? "the provider's trail" : "the tenant's trail");
