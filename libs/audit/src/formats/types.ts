// What the export formats need to know beyond the events themselves. The audit context reads
// other contexts' events as published data (by type name and fields), never their code; the
// guardrail catalog reaches it through this lookup, which the platform fills from the catalog.
import type { RecordedEvent } from '@rampart/event-sourcing';

export interface ControlRef {
  /** `MCSB`, `CIS-Azure`, `ISO27001`, … as the catalog names them. */
  readonly framework: string;
  /** The control's identifier within its framework, e.g. `IM-1`, `9.1`, `A.8.5`. */
  readonly control: string;
}

export interface AuditGuardrail {
  readonly id: string;
  readonly title: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly controls: readonly ControlRef[];
  readonly remediation?: string;
}

export interface AuditBaseline {
  readonly id: string;
  readonly title: string;
  readonly guardrailIds: readonly string[];
}

export interface AuditCatalog {
  guardrail(id: string): AuditGuardrail | undefined;
  baseline(id: string): AuditBaseline | undefined;
  /**
   * The catalog one tenant's export reads, as it is when the export starts: for a catalog that
   * changes and differs by tenant (the provider's policy library and each tenant's own).
   */
  forTenant?(tenantId: string): Promise<AuditCatalog>;
}

/** One export: whose events, which period, and when it was made. */
export interface ExportContext {
  readonly tenantId: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly exportId: string;
  readonly generatedAt: Date;
  readonly catalog: AuditCatalog;
  /** Product name and version for the generator fields of OSCAL/OCSF; `vendor` defaults to the name. */
  readonly product: { readonly name: string; readonly version: string; readonly vendor?: string };
}

export type ExportEvent = RecordedEvent;
