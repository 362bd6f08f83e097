import { isProviderScope, isValidTenantId, PROVIDER_SCOPE, reject, type Decision } from '@rampart/event-sourcing';
import { SECTORS, type Sector, type TenancyEvent } from '../events';
import type { Tenant } from '../tenant';

export interface OnboardTenant {
  readonly kind: 'OnboardTenant';
  readonly tenantId: string;
  readonly displayName: string;
  readonly sector: string;
  readonly contactEmail: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const decideOnboardTenant = (cmd: OnboardTenant, tenant: Tenant): Decision<TenancyEvent> => {
  if (tenant.exists) return reject('tenant-already-onboarded', `tenant "${cmd.tenantId}" already exists`);
  if (!isValidTenantId(cmd.tenantId)) {
    return reject('invalid-tenant-id', 'use 1-63 lowercase letters, digits and inner hyphens');
  }
  // The provider's own records live under it: a tenant of that id would read and change them.
  if (isProviderScope(cmd.tenantId)) return reject('reserved-tenant-id', `"${PROVIDER_SCOPE}" is reserved for the provider's own records (its policy library); choose another id`);
  const displayName = cmd.displayName.trim();
  if (displayName.length === 0 || displayName.length > 200) return reject('invalid-display-name', 'give 1-200 characters');
  if (!SECTORS.includes(cmd.sector as Sector)) return reject('invalid-sector', `use one of ${SECTORS.join(', ')}`);
  if (!EMAIL.test(cmd.contactEmail)) return reject('invalid-contact-email');
  return [
    {
      type: 'tenancy.TenantOnboarded.v1',
      data: { tenantId: cmd.tenantId, displayName, sector: cmd.sector as Sector, contactEmail: cmd.contactEmail },
    },
  ];
};
