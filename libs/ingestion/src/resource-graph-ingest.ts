// Ingests a tenant's Azure connection through Resource Graph: one run per subscription, so a
// subscription that fails is reported on its own (its run fails and removes nothing) while the
// others are recorded as complete snapshots of their scope. Management groups are expanded into
// the subscriptions under them first; a group that cannot be read is reported, and since its
// subscriptions are unknown nothing is concluded about them.
import type { Actor, EventStore, TenantStanding } from '@rampart/event-sourcing';
import {
  DEFAULT_TABLES,
  scanResourceGraph,
  subscriptionsOfManagementGroups,
  type ManagementGroupExpansion,
  type ResourceGraphSourceOptions,
  type SubscriptionFailure,
} from '@rampart/inventory-azure';
import type { FileItem } from './file-source';
import { ingest, IngestionRefusedError, SourceFailedError, type IngestResult, type PresentResources } from './ingest';
import { INGESTION_COMMAND_INTENTS } from './intents';

/** What ingestion needs of a tenancy cloud connection (tenancy publishes it in CloudConnectionAdded). */
export interface AzureConnection {
  readonly connectionId: string;
  readonly subscriptions: readonly string[];
  readonly managementGroups?: readonly string[];
}

export interface SubscriptionIngestResult {
  readonly subscriptionId: string;
  readonly result?: IngestResult;
  readonly failures: readonly SubscriptionFailure[];
}

export interface AzureConnectionIngestResult {
  readonly subscriptions: SubscriptionIngestResult[];
  /** Management groups whose subscriptions could not be listed. */
  readonly managementGroupFailures: ManagementGroupExpansion['failures'];
}

export const ingestAzureConnection = async (
  store: EventStore,
  tenantId: string,
  connection: AzureConnection,
  source: ResourceGraphSourceOptions,
  options: { standing: TenantStanding; actor?: Actor; tables?: string[]; presentResources?: PresentResources },
): Promise<AzureConnectionIngestResult> => {
  // Asked before Azure is: a tenant that may not be collected costs no call to its cloud.
  const refused = await options.standing(tenantId, INGESTION_COMMAND_INTENTS.StartIngestionRun);
  if (refused) throw new IngestionRefusedError(refused.code, refused.message ?? refused.code);
  const expansion: ManagementGroupExpansion = connection.managementGroups?.length
    ? await subscriptionsOfManagementGroups([...connection.managementGroups], source)
    : { subscriptions: [], failures: [] };
  const subscriptions = [...new Set([...connection.subscriptions, ...expansion.subscriptions].map((s) => s.toLowerCase()))];
  const results: SubscriptionIngestResult[] = [];
  for (const subscriptionId of subscriptions) {
    const scan = scanResourceGraph([subscriptionId], options.tables ?? DEFAULT_TABLES, source);
    const items = (async function* (): AsyncGenerator<FileItem> {
      for await (const page of scan.pages) for (const row of page.rows) yield { ok: true, value: row };
    })();
    try {
      const result = await ingest(store, items, {
        tenantId,
        standing: options.standing,
        actor: options.actor ?? { kind: 'service', id: 'ingestion' },
        source: 'azure-resource-graph',
        connectionId: connection.connectionId,
        scope: `/subscriptions/${subscriptionId}`,
        presentResources: options.presentResources,
        complete: () => scan.failures.length === 0,
        failureReason: () =>
          scan.failures.length ? scan.failures.map((f) => `${f.table} in ${f.subscriptionId}: ${f.error}`).join('; ') : undefined,
      });
      results.push({ subscriptionId, result, failures: scan.failures });
    } catch (error) {
      if (!(error instanceof SourceFailedError)) throw error;
      results.push({ subscriptionId, failures: scan.failures });
    }
  }
  return { subscriptions: results, managementGroupFailures: expansion.failures };
};
