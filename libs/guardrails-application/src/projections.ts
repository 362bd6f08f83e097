// Guardrails' read models as SQL document projections.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import {
  complianceStates,
  findings,
  tenantGuardrailsDirectory,
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
];
