// The guardrail and baseline catalog (built in, the same for every tenant): loaded once per tab.
import type { GraphqlClient } from './client';
import { CATALOG_QUERY, type CatalogQuery } from './operations';

let cached: Promise<CatalogQuery> | undefined;

export const loadCatalog = (client: GraphqlClient): Promise<CatalogQuery> => {
  cached ??= client.request<CatalogQuery>(CATALOG_QUERY).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
};
