// Agreement with Azure for one tenant: Azure Policy's own states, read from Resource Graph through
// each of the tenant's cloud connections (with its credential reference, as collection does), beside
// Rampart's current verdicts (the compliance read model), compared by guardrails' rule. Read only:
// nothing is recorded; each ask reads Azure again.
import { agreementLookup, azureAgreement, type AzureAgreement, type ComplianceEntry } from '@rampart/guardrails';
import { catalogWithLibrary } from '@rampart/guardrails-application';
import { describeError, readPolicyStates, type ResourceGraphSourceOptions, type SubscriptionFailure } from '@rampart/inventory-azure';
import { connectionSubscriptions } from '@rampart/ingestion';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { cloudConnections } from '@rampart/tenancy-application';
import type { CloudConnection } from '@rampart/tenancy';

export interface TenantAzureAgreement extends AzureAgreement {
  readonly tenantId: string;
  /** The connections read, with their subscriptions; a subscription Azure refused is in `failures`. */
  readonly connections: readonly { readonly connectionId: string; readonly subscriptions: readonly string[]; readonly states: number }[];
  readonly failures: readonly SubscriptionFailure[];
  /** Rows Resource Graph answered without a resource, definition or state. */
  readonly malformed: number;
}

export class NoCloudConnectionError extends Error {
  constructor(tenantId: string) {
    super(`tenant ${tenantId} has no cloud connection: Azure's own states are read through one (addCloudConnection)`);
    this.name = 'NoCloudConnectionError';
  }
}

/** How a connection reaches Resource Graph: its credential (from its reference) and, in tests, a local endpoint. */
export type AgreementSource = (connection: CloudConnection) => ResourceGraphSourceOptions;

export const tenantAzureAgreement = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  tenantId: string,
  source: AgreementSource,
  options: { schema?: string } = {},
): Promise<TenantAzureAgreement> => {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const connections = (await cloudConnections(stores.readModels, schema)()).filter((c) => c.tenantId === tenantId).map((c) => c.connection);
  if (connections.length === 0) throw new NoCloudConnectionError(tenantId);
  const states = [];
  const failures: SubscriptionFailure[] = [];
  let malformed = 0;
  const read: TenantAzureAgreement['connections'][number][] = [];
  for (const connection of connections) {
    // a connection that cannot be read (its credential not configured here, Azure unreachable) is
    // reported with why, and the others are still compared
    try {
      const options = source(connection);
      const { subscriptions, failures: groupFailures } = await connectionSubscriptions(connection, options);
      for (const g of groupFailures) failures.push({ subscriptionId: `managementGroup:${g.managementGroup}`, table: 'managementgroups', error: g.error });
      const result = await readPolicyStates(subscriptions, options);
      states.push(...result.states);
      failures.push(...result.failures);
      malformed += result.malformed;
      read.push({ connectionId: connection.connectionId, subscriptions, states: result.states.length });
    } catch (error) {
      failures.push({ subscriptionId: `connection:${connection.connectionId}`, table: 'policyresources', error: describeError(error) });
      read.push({ connectionId: connection.connectionId, subscriptions: [...connection.subscriptions], states: 0 });
    }
  }
  const { rows } = await stores.readModels.query<{ doc: ComplianceEntry }>(`SELECT doc FROM "${schema}".compliance WHERE tenant_id = $1`, [tenantId]);
  const catalog = await catalogWithLibrary(stores.eventStore, undefined, tenantId);
  return { tenantId, connections: read, failures, malformed, ...azureAgreement(states, rows.map((r) => r.doc), agreementLookup(catalog)) };
};
