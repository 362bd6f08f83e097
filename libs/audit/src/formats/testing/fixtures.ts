// Hand-built envelopes for the format tests: a tenant's log written in order, with stream revisions,
// global positions and times that advance the way a store assigns them, and a small catalog shaped
// like the built-in one (real control ids, several frameworks per guardrail).
import type { Actor, RecordedEvent } from '@rampart/event-sourcing';
import type { EvidenceFileRef } from '@rampart/guardrails-contract';
import type { AuditCatalog, AuditGuardrail, AuditBaseline, ExportContext } from '../types';

export const TENANT = 'contoso';

export const SUBSCRIPTION = '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333';
export const WEB_APP = {
  id: `${SUBSCRIPTION}/resourceGroups/rg-shop/providers/Microsoft.Web/sites/shop-api`,
  key: `${SUBSCRIPTION}/resourcegroups/rg-shop/providers/microsoft.web/sites/shop-api`,
  type: 'microsoft.web/sites',
};
export const OTHER_WEB_APP = {
  id: `${SUBSCRIPTION}/resourceGroups/rg-shop/providers/Microsoft.Web/sites/shop-admin`,
  key: `${SUBSCRIPTION}/resourcegroups/rg-shop/providers/microsoft.web/sites/shop-admin`,
  type: 'microsoft.web/sites',
};
export const STORAGE = {
  id: `${SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/shopdata`,
  key: `${SUBSCRIPTION}/resourcegroups/rg-data/providers/microsoft.storage/storageaccounts/shopdata`,
  type: 'microsoft.storage/storageaccounts',
};
export type Resource = typeof WEB_APP;

/** One posture stream per resource, as guardrails keeps them (it names them by a hash of the key). */
const postureStream = (resource: Resource) => `posture-${resource.key.split('/').pop()}`;

export const GUARDRAILS: readonly AuditGuardrail[] = [
  {
    id: 'web-app-without-authentication',
    title: 'Web app reachable without authentication',
    severity: 'high',
    controls: [
      { framework: 'MCSB', control: 'IM-1' },
      { framework: 'CIS-Azure', control: '9.1' },
      { framework: 'ISO27001', control: 'A.8.5' },
    ],
    remediation: 'Turn on App Service Authentication (Easy Auth) with Microsoft Entra ID.',
  },
  {
    id: 'storage-public-network-access',
    title: 'Storage account open to public networks',
    severity: 'medium',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
    remediation: 'Set publicNetworkAccess to Disabled and reach the account through private endpoints.',
  },
  {
    id: 'web-app-public-network-access',
    title: 'Web app open to public networks',
    severity: 'medium',
    controls: [
      { framework: 'MCSB', control: 'NS-2' },
      { framework: 'ISO27001', control: 'A.8.20' },
    ],
  },
  {
    id: 'storage-http-allowed',
    title: 'Storage account accepts HTTP',
    severity: 'medium',
    controls: [{ framework: 'MCSB', control: 'DP-3' }],
  },
];

export const BASELINES: readonly AuditBaseline[] = [
  { id: 'landing-zone-core', title: 'Landing zone — core', guardrailIds: ['web-app-without-authentication', 'storage-http-allowed'] },
  { id: 'financial-services', title: 'Financial services', guardrailIds: GUARDRAILS.map((g) => g.id) },
];

export const catalog: AuditCatalog = {
  guardrail: (id) => GUARDRAILS.find((g) => g.id === id),
  baseline: (id) => BASELINES.find((b) => b.id === id),
};

export const PERIOD = { from: new Date('2025-03-01T00:00:00.000Z'), to: new Date('2025-04-01T00:00:00.000Z') };

export const exportContext = (overrides: Partial<ExportContext> = {}): ExportContext => ({
  tenantId: TENANT,
  from: PERIOD.from,
  to: PERIOD.to,
  exportId: 'exp-2025-03-contoso',
  generatedAt: new Date('2025-04-01T02:00:00.000Z'),
  catalog,
  product: { name: 'Rampart', version: '0.1.0', vendor: 'Rampart' },
  ...overrides,
});

export const ANA: Actor = { kind: 'user', id: 'ana@soc.example' };
export const BEN: Actor = { kind: 'user', id: 'ben@soc.example', onBehalfOfTenant: TENANT };
export const EVALUATOR: Actor = { kind: 'service', id: 'guardrail-evaluator' };
export const REACTOR: Actor = { kind: 'service', id: 'incident-reactor' };
export const RUNNER: Actor = { kind: 'service', id: 'action-runner' };
export const EXPIRY: Actor = { kind: 'service', id: 'attestation-expiry' };
export const COLLECTOR: Actor = { kind: 'service', id: 'inventory-collector' };

/** Two evidence files by content, as an attestation names them. */
export const EVIDENCE: readonly EvidenceFileRef[] = [
  { sha256: 'a3f1c0de5b7e9d2c4f6a8b0e1d3c5f7a9b2d4e6f8a0c1e3b5d7f9a2c4e6b8d0f', name: 'access-control-policy-v4.pdf', mediaType: 'application/pdf', size: 248_331 },
  { sha256: '0b9e8d7c6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d', name: 'review-minutes 2025-Q1.docx', mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 18_204 },
];

interface RecordOptions {
  readonly actor?: Actor;
  readonly correlationId?: string;
  readonly causationId?: string | null;
  /** Moves the log's clock to this time before recording. */
  readonly at?: string;
}

/**
 * A tenant's log as the store would hand it out: call `record` in the order things happened. Event
 * ids are UUIDs built from a counter, so a failing test names the same event every run.
 */
export class TenantLog {
  private readonly revisions = new Map<string, number>();
  private position = 1_000n;
  private clock: number;
  private counter = 0;

  constructor(
    readonly tenantId: string = TENANT,
    start = '2025-02-01T09:00:00.000Z',
  ) {
    this.clock = Date.parse(start);
  }

  at(iso: string): this {
    this.clock = Date.parse(iso);
    return this;
  }

  record<D>(stream: string, type: string, data: D, options: RecordOptions = {}): RecordedEvent<string, D> {
    if (options.at) this.at(options.at);
    const streamId = `t-${this.tenantId}:${stream}`;
    const revision = (this.revisions.get(streamId) ?? -1) + 1;
    this.revisions.set(streamId, revision);
    this.counter += 1;
    this.position += 7n;
    const occurredAt = new Date(this.clock).toISOString();
    this.clock += 1_000;
    const eventId = `6f1c0000-0000-4000-8000-${this.counter.toString(16).padStart(12, '0')}`;
    return {
      eventId,
      streamId,
      revision,
      globalPosition: { commit: this.position, prepare: this.position + 1n },
      recordedAt: new Date(Date.parse(occurredAt) + 40).toISOString(),
      type,
      data,
      metadata: {
        tenantId: this.tenantId,
        actor: options.actor ?? EVALUATOR,
        correlationId: options.correlationId ?? `corr-${this.counter}`,
        causationId: options.causationId === undefined ? null : options.causationId,
        occurredAt,
        schemaVersion: 1,
      },
    };
  }

  // --- guardrails -------------------------------------------------------------------------------

  assignBaseline(assignmentId: string, baselineId: string, options: RecordOptions = {}) {
    return this.record('guardrails-policy', 'guardrails.BaselineAssigned.v1', { assignmentId, baselineId, scope: '*', parameters: {} }, { actor: ANA, ...options });
  }

  unassignBaseline(assignmentId: string, baselineId: string, options: RecordOptions = {}) {
    return this.record('guardrails-policy', 'guardrails.BaselineUnassigned.v1', { assignmentId, baselineId }, { actor: ANA, ...options });
  }

  /** A state change as the evaluator records it, caused by an inventory event. */
  posture(
    resource: Resource,
    guardrailId: string,
    from: string | null,
    to: string,
    { assignmentId = 'asg-core', baselineId = 'landing-zone-core', exemptionId = null as string | null, reason = 'evaluated', ...options }: RecordOptions & {
      assignmentId?: string;
      baselineId?: string;
      exemptionId?: string | null;
      reason?: string;
    } = {},
  ) {
    return this.record(
      postureStream(resource),
      'guardrails.ComplianceStateChanged.v1',
      {
        resourceKey: resource.key,
        resourceId: resource.id,
        resourceType: resource.type,
        assignmentId,
        baselineId,
        guardrailId,
        from,
        to,
        reason,
        exemptionId,
        causedBy: { eventId: '5e2d0000-0000-4000-8000-00000000aaaa', type: 'inventory.ResourceConfigurationChanged.v1', position: '900/901' },
      },
      options,
    );
  }

  findingOpened(resource: Resource, guardrailId: string, findingId: string, options: RecordOptions & { assignmentId?: string; raiseIncident?: boolean } = {}) {
    const guardrail = GUARDRAILS.find((g) => g.id === guardrailId);
    return this.record(
      postureStream(resource),
      'guardrails.FindingOpened.v1',
      {
        findingId,
        resourceKey: resource.key,
        resourceId: resource.id,
        resourceType: resource.type,
        assignmentId: options.assignmentId ?? 'asg-core',
        guardrailId,
        severity: guardrail?.severity ?? 'medium',
        title: guardrail?.title ?? guardrailId,
        playbookId: 'restrict-public-api',
        reason: 'properties.siteConfig.authSettings.enabled is false, expected true',
        causedBy: { eventId: '5e2d0000-0000-4000-8000-00000000aaaa', type: 'inventory.ResourceConfigurationChanged.v1', position: '900/901' },
        raiseIncident: options.raiseIncident ?? true,
        notify: true,
      },
      options,
    );
  }

  findingResolved(resource: Resource, guardrailId: string, findingId: string, resolution: string, options: RecordOptions & { assignmentId?: string } = {}) {
    return this.record(
      postureStream(resource),
      'guardrails.FindingResolved.v1',
      { findingId, resourceKey: resource.key, guardrailId, assignmentId: options.assignmentId ?? 'asg-core', resolution, causedBy: null },
      options,
    );
  }

  requestExemption(exemptionId: string, guardrailId: string, scope: string, options: RecordOptions = {}) {
    return this.record(
      'guardrails-policy',
      'guardrails.ExemptionRequested.v1',
      {
        exemptionId,
        guardrailId,
        scope,
        category: 'mitigated',
        justification: 'Reached only through the WAF; authentication is enforced there.',
        requestedBy: ANA.id,
        expiresAt: '2025-09-30T00:00:00.000Z',
      },
      { actor: ANA, ...options },
    );
  }

  grantExemption(exemptionId: string, options: RecordOptions = {}) {
    return this.record('guardrails-policy', 'guardrails.ExemptionGranted.v1', { exemptionId, approvedBy: BEN.id }, { actor: BEN, ...options });
  }

  // --- attestations ---------------------------------------------------------------------------

  /** Recorded by ANA; holds at once unless `approvalRequired` (then from its approval). */
  recordAttestation(
    attestationId: string,
    {
      standardId = 'nist-sp-800-53-r5',
      controlId = 'AC-1',
      validUntil = '2025-09-30T00:00:00.000Z',
      approvalRequired = false,
      evidence = EVIDENCE,
      ...options
    }: RecordOptions & { standardId?: string; controlId?: string; validUntil?: string; approvalRequired?: boolean; evidence?: readonly EvidenceFileRef[] } = {},
  ) {
    return this.record(
      `attestation-${attestationId}`,
      'guardrails.AttestationRecorded.v1',
      {
        attestationId,
        standardId,
        controlId,
        statement: 'The access control policy is reviewed and approved by the CISO every quarter.',
        evidence: [...evidence],
        attestedBy: ANA.id,
        validUntil,
        approvalRequired,
      },
      { actor: ANA, ...options },
    );
  }

  approveAttestation(attestationId: string, options: RecordOptions = {}) {
    return this.record(`attestation-${attestationId}`, 'guardrails.AttestationApproved.v1', { attestationId, approvedBy: BEN.id }, { actor: BEN, ...options });
  }

  rejectAttestation(attestationId: string, reason = 'The minutes of the last review are missing.', options: RecordOptions = {}) {
    return this.record(`attestation-${attestationId}`, 'guardrails.AttestationRejected.v1', { attestationId, rejectedBy: BEN.id, reason }, { actor: BEN, ...options });
  }

  revokeAttestation(attestationId: string, reason = 'The policy was withdrawn for rework.', options: RecordOptions = {}) {
    return this.record(`attestation-${attestationId}`, 'guardrails.AttestationRevoked.v1', { attestationId, revokedBy: ANA.id, reason }, { actor: ANA, ...options });
  }

  /** As the expiry worker records it, some time after `expiredAt` (the attestation's validUntil). */
  expireAttestation(attestationId: string, expiredAt: string, options: RecordOptions = {}) {
    return this.record(`attestation-${attestationId}`, 'guardrails.AttestationExpired.v1', { attestationId, expiredAt }, { actor: EXPIRY, ...options });
  }

  setAttestationPolicy(approvalRequired: boolean, options: RecordOptions = {}) {
    return this.record('guardrails-policy', 'guardrails.AttestationPolicySet.v1', { approvalRequired }, { actor: ANA, ...options });
  }

  setCoveragePolicy(maxEvidenceAgeHours: number, options: RecordOptions = {}) {
    return this.record('guardrails-policy', 'guardrails.CoveragePolicySet.v1', { maxEvidenceAgeHours }, { actor: ANA, ...options });
  }

  // --- inventory ------------------------------------------------------------------------------

  discoverResource(resource: Resource, options: RecordOptions & { runId?: string } = {}) {
    const { runId = 'run-discovery', ...rest } = options;
    return this.record(
      `resource-${resource.key.split('/').pop()}`,
      'inventory.ResourceDiscovered.v1',
      { resourceKey: resource.key, id: resource.id, type: resource.type, configuration: { name: resource.key.split('/').pop() }, contentHash: 'h-0', runId },
      { actor: COLLECTOR, ...rest },
    );
  }

  changeResource(resource: Resource, options: RecordOptions & { runId?: string } = {}) {
    const { runId = 'run-change', ...rest } = options;
    return this.record(
      `resource-${resource.key.split('/').pop()}`,
      'inventory.ResourceConfigurationChanged.v1',
      { resourceKey: resource.key, id: resource.id, type: resource.type, patch: [{ op: 'add', path: '/tags', value: {} }], beforeHash: 'h-0', afterHash: 'h-1', runId },
      { actor: COLLECTOR, ...rest },
    );
  }

  removeResource(resource: Resource, options: RecordOptions & { runId?: string } = {}) {
    const { runId = 'run-removal', ...rest } = options;
    return this.record(
      `resource-${resource.key.split('/').pop()}`,
      'inventory.ResourceRemoved.v1',
      { resourceKey: resource.key, id: resource.id, type: resource.type, lastHash: 'h-1', runId },
      { actor: COLLECTOR, ...rest },
    );
  }

  /** An ingestion run: started, then completed (or failed) `minutes` later; `complete` declares it a full snapshot of its scope. */
  ingestionRun(runId: string, scope: string, { complete = true, outcome = 'completed', minutes = 5, ...options }: RecordOptions & { complete?: boolean; outcome?: 'completed' | 'failed'; minutes?: number } = {}) {
    const counts = { seen: 2, discovered: 0, changed: 0, removed: 0, unchanged: 2, rejected: 0 };
    const started = this.record(`ingestion-${runId}`, 'inventory.IngestionRunStarted.v1', { runId, connectionId: 'conn-1', source: 'azure-resource-graph', scope, complete }, { actor: COLLECTOR, ...options });
    this.clock += minutes * 60_000;
    const ended =
      outcome === 'completed'
        ? this.record(`ingestion-${runId}`, 'inventory.IngestionRunCompleted.v1', { runId, counts, rejections: [] }, { actor: COLLECTOR })
        : this.record(`ingestion-${runId}`, 'inventory.IngestionRunFailed.v1', { runId, reason: 'Resource Graph throttled the query', counts }, { actor: COLLECTOR });
    return [started, ended] as const;
  }

  // --- incidents ------------------------------------------------------------------------------

  incident<D>(incidentId: string, type: string, data: D, options: RecordOptions = {}) {
    return this.record(`incident-${incidentId}`, `incidents.${type}.v1`, { incidentId, ...data }, { actor: ANA, ...options });
  }

  action<D>(actionId: string, type: string, data: D, options: RecordOptions = {}) {
    return this.record(`action-${actionId}`, `incidents.${type}.v1`, { actionId, ...data }, { actor: RUNNER, ...options });
  }
}

/** The story of the product brief, as one tenant's log: a finding raises an incident, the SOC responds. */
export const breachStory = (log = new TenantLog()) => {
  const incidentId = 'inc-4f2a9c1b7d3e';
  const actionId = 'act-restrict-shop-api';
  const findingId = '9b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3';
  return {
    incidentId,
    actionId,
    findingId,
    events: [
      log.record('tenant-contoso', 'tenancy.SocTeamAssigned.v1', { tenantId: TENANT, socTeam: 'soc-emea' }, { actor: ANA, at: '2025-02-01T09:00:00.000Z' }),
      log.assignBaseline('asg-core', 'landing-zone-core'),
      log.posture(WEB_APP, 'web-app-without-authentication', null, 'nonCompliant', { at: '2025-03-02T10:00:00.000Z', reason: 'authentication is disabled' }),
      log.findingOpened(WEB_APP, 'web-app-without-authentication', findingId),
      log.incident(
        incidentId,
        'IncidentOpened',
        {
          title: 'Web app reachable without authentication',
          severity: 'high',
          signal: {
            kind: 'finding',
            ref: findingId,
            title: 'Web app reachable without authentication',
            severity: 'high',
            resourceKeys: [WEB_APP.key],
            entities: [],
            detectedAt: '2025-03-02T10:00:01.000Z',
          },
        },
        { actor: REACTOR },
      ),
      log.action(
        actionId,
        'ActionProposed',
        {
          incidentId,
          actionKind: 'restrict-public-network-access',
          verb: 'Isolate',
          phase: 'respond',
          target: WEB_APP.key,
          parameters: {},
          destructive: true,
          proposedBy: REACTOR.id,
          playbookId: 'restrict-public-api',
        },
        { actor: REACTOR },
      ),
      log.incident(incidentId, 'IncidentTriaged', { severity: 'critical', assignee: ANA.id }, { at: '2025-03-02T10:20:00.000Z' }),
      log.action(actionId, 'ActionApproved', { approvedBy: BEN.id, preApproved: false }, { actor: BEN }),
      log.incident(incidentId, 'IncidentResponseStarted', { summary: 'Isolating the API from the Internet.' }),
      log.action(actionId, 'ActionExecutionStarted', { executor: 'webhook', idempotencyKey: 'act-restrict-shop-api:1' }),
      log.action(actionId, 'ActionSucceeded', { outcome: 'publicNetworkAccess set to Disabled', evidenceUri: null }),
      log.incident(incidentId, 'IncidentContained', { summary: 'API reachable only through the private endpoint.' }),
      log.posture(WEB_APP, 'web-app-without-authentication', 'nonCompliant', 'compliant', { at: '2025-03-03T08:00:00.000Z' }),
      log.findingResolved(WEB_APP, 'web-app-without-authentication', findingId, 'compliant'),
      log.action(actionId, 'ActionVerified', { evidence: 'guardrail web-app-without-authentication compliant since 2025-03-03' }, { actor: REACTOR }),
      log.incident(incidentId, 'IncidentRemediated', { summary: 'Service principal credentials rotated.' }),
      log.incident(incidentId, 'IncidentRecovered', { summary: 'Guardrails switched to deny.' }),
      log.incident(incidentId, 'IncidentClosed', {
        classification: 'true-positive',
        reason: 'Contained and remediated.',
        rootCause: 'The API was deployed without authentication.',
        lessonsLearned: 'Deny unauthenticated apps at deployment.',
      }),
    ],
  };
};
