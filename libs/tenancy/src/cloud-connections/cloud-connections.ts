// Cloud connections and offboarding: what a tenant lets Rampart read, and the end of a tenancy.
import { reject, type Decision } from '@rampart/event-sourcing';
import type { TenancyEvent } from '../events';
import type { Tenant } from '../tenant';

export interface AddCloudConnection {
  readonly kind: 'AddCloudConnection';
  readonly tenantId: string;
  readonly connectionId: string;
  readonly entraTenantId: string;
  readonly subscriptions: readonly string[];
  readonly managementGroups: readonly string[];
  readonly credentialReference: string;
}

export interface RemoveCloudConnection {
  readonly kind: 'RemoveCloudConnection';
  readonly tenantId: string;
  readonly connectionId: string;
}

export interface OffboardTenant {
  readonly kind: 'OffboardTenant';
  readonly tenantId: string;
  readonly reason: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
const MANAGEMENT_GROUP = /^[A-Za-z0-9_().-]{1,90}$/;

export const decideAddCloudConnection = (cmd: AddCloudConnection, tenant: Tenant): Decision<TenancyEvent> => {
  // The tenant's standing (offboarded: refused) is judged by tenantDecider through standingOf.
  if (!tenant.exists) return reject('tenant-not-found');
  if (!SLUG.test(cmd.connectionId)) return reject('invalid-connection-id', 'use 1-40 lowercase letters, digits and inner hyphens');
  if (tenant.connections.has(cmd.connectionId)) return reject('connection-exists');
  if (!GUID.test(cmd.entraTenantId)) return reject('invalid-entra-tenant-id', 'the Entra tenant (directory) id is a GUID');
  if (cmd.subscriptions.length + cmd.managementGroups.length === 0) return reject('empty-scope', 'name subscriptions and/or management groups');
  if (!cmd.subscriptions.every((s) => GUID.test(s))) return reject('invalid-subscription-id', 'subscription ids are GUIDs');
  if (!cmd.managementGroups.every((m) => MANAGEMENT_GROUP.test(m))) return reject('invalid-management-group');
  // A reference is a name in configuration; anything else (a secret pasted by mistake) is refused
  // so that it never lands in an event.
  if (!SLUG.test(cmd.credentialReference)) {
    return reject('invalid-credential-reference', 'give the name of a configured credential (e.g. "contoso"), not the credential itself');
  }
  return [
    {
      type: 'tenancy.CloudConnectionAdded.v1',
      data: {
        tenantId: tenant.tenantId,
        connectionId: cmd.connectionId,
        provider: 'azure',
        entraTenantId: cmd.entraTenantId.toLowerCase(),
        subscriptions: [...new Set(cmd.subscriptions.map((s) => s.toLowerCase()))],
        managementGroups: [...new Set(cmd.managementGroups)],
        credentialReference: cmd.credentialReference,
      },
    },
  ];
};

export const decideRemoveCloudConnection = (cmd: RemoveCloudConnection, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (!tenant.connections.has(cmd.connectionId)) return reject('unknown-connection');
  return [{ type: 'tenancy.CloudConnectionRemoved.v1', data: { tenantId: tenant.tenantId, connectionId: cmd.connectionId } }];
};

export const decideOffboardTenant = (cmd: OffboardTenant, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (!cmd.reason.trim()) return reject('reason-required');
  return [{ type: 'tenancy.TenantOffboarded.v1', data: { tenantId: tenant.tenantId, reason: cmd.reason.trim() } }];
};
