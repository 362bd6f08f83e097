import { reject, type Decision } from '@rampart/event-sourcing';
import type { TenancyEvent } from '../events';
import type { Tenant } from '../tenant';

export interface SuspendTenant {
  readonly kind: 'SuspendTenant';
  readonly tenantId: string;
  readonly reason: string;
}

export interface ReinstateTenant {
  readonly kind: 'ReinstateTenant';
  readonly tenantId: string;
}

export const decideSuspendTenant = (cmd: SuspendTenant, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (tenant.status === 'suspended') return reject('tenant-already-suspended');
  if (cmd.reason.trim().length === 0) return reject('reason-required', 'say why the tenant is suspended');
  return [{ type: 'tenancy.TenantSuspended.v1', data: { tenantId: tenant.tenantId, reason: cmd.reason.trim() } }];
};

export const decideReinstateTenant = (_cmd: ReinstateTenant, tenant: Tenant): Decision<TenancyEvent> => {
  if (!tenant.exists) return reject('tenant-not-found');
  if (tenant.status !== 'suspended') return reject('tenant-not-suspended');
  return [{ type: 'tenancy.TenantReinstated.v1', data: { tenantId: tenant.tenantId } }];
};
