// The read models this deployment keeps. Each context's pure read model (key + evolve) becomes
// a SQL document projection here, at the composition root.
import { documentProjection, type SqlProjection } from '@rampart/event-store';
import { ingestionRuns, resourceInventory, type IngestionRunEntry, type ResourceInventoryEntry } from '@rampart/inventory';
import { apiKeyDirectory, tenantDirectory, type ApiKeyEntry, type TenantDirectoryEntry } from '@rampart/tenancy';
import {
  complianceStates,
  findings,
  tenantGuardrailsDirectory,
  type ComplianceEntry,
  type FindingEntry,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import { incidentQueue, responseActions, type ActionEntry, type IncidentEntry } from '@rampart/incidents';

export const READ_MODEL_SCHEMA = 'rampart_read';

export const platformProjections = (): SqlProjection[] => [
  documentProjection<TenantDirectoryEntry>({
    ...tenantDirectory,
    // every SOC request looks up the tenants of its teams
    indexes: [{ name: 'tenant_directory_soc_teams', using: 'gin', expression: "(doc->'socTeams')" }],
  }),
  documentProjection<ApiKeyEntry>(apiKeyDirectory),
  documentProjection<ResourceInventoryEntry>({
    ...resourceInventory,
    indexes: [
      { name: 'resource_inventory_type', expression: "tenant_id, (doc->>'type'), id" },
      { name: 'resource_inventory_group', expression: "tenant_id, (doc->>'resourceGroup'), id" },
      { name: 'resource_inventory_tags', using: 'gin', expression: "(doc->'tags')" },
    ],
  }),
  documentProjection<IngestionRunEntry>({
    ...ingestionRuns,
    indexes: [{ name: 'ingestion_runs_started', expression: "tenant_id, (doc->>'startedAt') DESC" }],
  }),
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
  documentProjection<IncidentEntry>({
    ...incidentQueue,
    indexes: [{ name: 'incidents_queue', expression: "tenant_id, (doc->>'status'), (doc->>'openedAt') DESC" }],
  }),
  documentProjection<ActionEntry>({
    ...responseActions,
    indexes: [
      { name: 'response_actions_incident', expression: "tenant_id, (doc->>'incidentId')" },
      // the action runner's polls: approved actions, and executing ones by age
      { name: 'response_actions_status', expression: "(doc->>'status'), updated_at" },
    ],
  }),
];
