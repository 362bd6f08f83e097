// Guardrails' catalog as the audit formats look it up: the one place the two contexts' vocabularies
// meet for an export (audit names guardrails and baselines; guardrails owns what they are).
import type { AuditCatalog } from '@rampart/audit';
import type { TenantStanding } from '@rampart/event-sourcing';
import { builtInCatalog, type Catalog } from '@rampart/guardrails';
import type { Stores } from '@rampart/runtime';
import { librarySource } from '@rampart/guardrails-application';
import { tenantStanding } from '@rampart/tenancy-application';

export const auditCatalog = (catalog: Catalog = builtInCatalog()): AuditCatalog => ({
  guardrail: (id) => {
    const g = catalog.guardrails.get(id)?.guardrail;
    return g && { id: g.id, title: g.title, severity: g.severity, controls: g.controls, remediation: g.remediation };
  },
  baseline: (id) => {
    const b = catalog.baselines.get(id);
    return b && { id: b.id, title: b.title, guardrailIds: b.guardrailIds };
  },
});

/**
 * What an audit export needs from the other contexts: guardrails' catalog, with the provider's
 * library and the exported tenant's own as they are when the export starts (their guardrails'
 * titles and control mappings), and tenancy's standing rule.
 */
export const auditExportPorts = (stores: Pick<Stores, 'eventStore'>): { catalog: AuditCatalog; standing: TenantStanding } => {
  const library = librarySource(stores.eventStore);
  return {
    catalog: {
      ...auditCatalog(),
      forTenant: async (tenantId) => {
        await library.refresh();
        return auditCatalog(library.catalog(undefined, tenantId));
      },
    },
    standing: tenantStanding(stores.eventStore),
  };
};
