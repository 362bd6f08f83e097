// Guardrails' read models as SQL document projections.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import {
  attestations,
  complianceStates,
  findings,
  tenantGuardrailsDirectory,
  type AttestationEntry,
  type ComplianceEntry,
  type FindingEntry,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';

export const guardrailsProjections = (): SqlProjection[] => [
  documentProjection<TenantGuardrailsEntry>(tenantGuardrailsDirectory),
  documentProjection<ComplianceEntry>({
    ...complianceStates,
    // scores group a tenant's states by baseline and guardrail
    indexes: [{ name: 'compliance_guardrail', expression: "tenant_id, (doc->>'baselineId'), (doc->>'guardrailId'), (doc->>'state')" }],
  }),
  documentProjection<FindingEntry>({
    ...findings,
    indexes: [{ name: 'findings_status_opened', expression: "tenant_id, (doc->>'status'), (doc->>'openedAt') DESC" }],
  }),
  documentProjection<AttestationEntry>({
    ...attestations,
    // the per-control views ask for a standard's; the expiry sweep for those still holding
    indexes: [{ name: 'attestations_standard', expression: "tenant_id, (doc->>'standardId'), (doc->>'status')" }],
  }),
];
