// A tenant's audit trail as the benchmarks write it: a realistic mix of posture, finding, incident,
// response-action, API key and exemption events, with another tenant's events interleaved as noise.
// Used by the audit export benchmark and by the CLI benchmark's `audit verify` export.
import { randomUUID } from 'node:crypto';
import type { NewEvent, StreamAppend } from '@rampart/event-sourcing';
import type { SqlEventStore } from '@rampart/event-store';

export const NOISE_SHARE = 0.1;
/** Streams per appendToStreams call; each stream gets all its events at once. */
const STREAMS_PER_APPEND = 500;

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const GUARDRAILS = ['storage-public-blob-access', 'storage-weak-tls', 'web-app-without-authentication', 'sql-weak-tls', 'key-vault-not-recoverable', 'management-ports-open-to-internet'];

const meta = (tenantId: string, actor: string, kind: 'user' | 'system' | 'service' = 'user') => ({
  tenantId,
  actor: { kind, id: actor },
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
});

export const ev = (tenantId: string, type: string, data: unknown, actor: string, kind?: 'user' | 'system' | 'service'): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: meta(tenantId, actor, kind),
});

/**
 * The tenant's world: a fixed estate of resources and a pool of incidents, so the large trail is
 * the baseline's world over a longer time (more events about the same things). What the formats
 * remember is bounded by the world; whether memory grows with the number of events is the question.
 */
const RESOURCES = 5_000;
const INCIDENTS = 500;

/**
 * One "case" of the tenant's life, as the streams it touches (in order): a resource's posture turns
 * non-compliant and back (4 events), the incident it joins gets a comment, and a response action
 * runs to verified (5); every 10th case an API key is issued and revoked and an exemption requested
 * and granted. About 10.6 events per case.
 */
const caseEvents = (tenantId: string, i: number): [string, NewEvent[]][] => {
  const prefix = `t-${tenantId}:`;
  const r = i % RESOURCES;
  const guardrailId = GUARDRAILS[r % GUARDRAILS.length];
  const severity = SEVERITIES[i % SEVERITIES.length];
  const resourceKey = `/subscriptions/sub-${r % 20}/resourcegroups/rg-${r % 50}/providers/microsoft.storage/storageaccounts/st${r}`;
  const resourceId = resourceKey.replace('resourcegroups', 'resourceGroups').replace('microsoft.storage/storageaccounts', 'Microsoft.Storage/storageAccounts');
  const findingId = randomUUID();
  const incidentId = `inc-${i % INCIDENTS}`;
  const actionId = `act-${i}`;
  const base = { resourceKey, resourceId, resourceType: 'microsoft.storage/storageaccounts', assignmentId: 'core', baselineId: 'landing-zone-core', guardrailId, exemptionId: null, causedBy: null };
  const streams: [string, NewEvent[]][] = [
    [
      `${prefix}posture-${r.toString(16).padStart(32, '0')}`,
      [
        ev(tenantId, 'guardrails.ComplianceStateChanged.v1', { ...base, from: i < RESOURCES ? null : 'compliant', to: 'nonCompliant', reason: 'allowBlobPublicAccess is true' }, 'guardrail-evaluator', 'system'),
        ev(tenantId, 'guardrails.FindingOpened.v1', { findingId, resourceKey, resourceId, resourceType: base.resourceType, assignmentId: 'core', guardrailId, severity, title: 'Storage account allows public blob access', playbookId: 'restrict-public-storage', reason: 'allowBlobPublicAccess is true', causedBy: null, notify: false }, 'guardrail-evaluator', 'system'),
        ev(tenantId, 'guardrails.ComplianceStateChanged.v1', { ...base, from: 'nonCompliant', to: 'compliant', reason: 'allowBlobPublicAccess is false' }, 'guardrail-evaluator', 'system'),
        ev(tenantId, 'guardrails.FindingResolved.v1', { findingId, resourceKey, guardrailId, assignmentId: 'core', resolution: 'compliant', causedBy: null }, 'guardrail-evaluator', 'system'),
      ],
    ],
    [
      `${prefix}incident-${incidentId}`,
      i < INCIDENTS
        ? [
            ev(tenantId, 'incidents.IncidentOpened.v1', { incidentId, title: 'Public blob access on storage accounts', severity, signal: { kind: 'finding', ref: findingId, title: 'Storage account allows public blob access', severity, resourceKeys: [resourceKey], entities: [], detectedAt: new Date().toISOString() } }, 'incident-reactor', 'system'),
          ]
        : [ev(tenantId, 'incidents.CommentAdded.v1', { incidentId, commentId: `c-${i}`, text: `Storage account st${r} fixed by its owner; no public data was exposed.` }, 'ana@soc.example')],
    ],
    [
      `${prefix}action-${actionId}`,
      [
        ev(tenantId, 'incidents.ActionProposed.v1', { actionId, incidentId, actionKind: 'harden-configuration', verb: 'Harden', phase: 'remediate', target: resourceId, parameters: {}, destructive: false, proposedBy: 'ana@soc.example', playbookId: 'restrict-public-storage' }, 'ana@soc.example'),
        ev(tenantId, 'incidents.ActionApproved.v1', { actionId, approvedBy: 'ben@soc.example', preApproved: false }, 'ben@soc.example'),
        ev(tenantId, 'incidents.ActionExecutionStarted.v1', { actionId, executor: 'dry-run', idempotencyKey: actionId }, 'action-runner', 'system'),
        ev(tenantId, 'incidents.ActionSucceeded.v1', { actionId, outcome: 'allowBlobPublicAccess set to false', evidenceUri: null }, 'action-runner', 'system'),
        ev(tenantId, 'incidents.ActionVerified.v1', { actionId, evidence: 'compliant at the next evaluation' }, 'incident-reactor', 'system'),
      ],
    ],
  ];
  if (i % 10 === 0) {
    const keyId = `key-${i}`;
    streams.push(
      [
        `${prefix}apikey-${keyId}`,
        [
          ev(tenantId, 'tenancy.ApiKeyIssued.v1', { tenantId, keyId, name: `SIEM connector ${i}`, roles: ['customer.viewer'], secretSha256: 'f'.repeat(64), expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() }, 'admin@customer.example'),
          ev(tenantId, 'tenancy.ApiKeyRevoked.v1', { tenantId, keyId, reason: 'connector replaced' }, 'admin@customer.example'),
        ],
      ],
      [
        `${prefix}guardrails-policy`,
        [
          ev(tenantId, 'guardrails.ExemptionRequested.v1', { exemptionId: `ex-${i}`, guardrailId, scope: `/subscriptions/sub-${r % 20}`, category: 'mitigated', justification: 'behind a TLS-terminating gateway', requestedBy: 'ana@soc.example', expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, 'ana@soc.example'),
          ev(tenantId, 'guardrails.ExemptionGranted.v1', { exemptionId: `ex-${i}`, approvedBy: 'ben@soc.example' }, 'ben@soc.example'),
        ],
      ],
    );
  }
  return streams;
};

/** Streams of one multi-stream append, a stream's events merged in order (a stream may appear once per append). */
class Batch {
  readonly streams = new Map<string, NewEvent[]>();
  add(streamId: string, events: readonly NewEvent[]): void {
    const list = this.streams.get(streamId) ?? [];
    list.push(...events);
    this.streams.set(streamId, list);
  }
  appends(): StreamAppend[] {
    return [...this.streams].map(([streamId, events]) => ({ streamId, events, expectedRevision: 'any' as const }));
  }
}

/** Writes exactly `events` events for `tenantId`, and NOISE_SHARE as many for `noiseTenant` interleaved. */
export const writeTrail = async (store: SqlEventStore, tenantId: string, noiseTenant: string, events: number, say: (m: string) => void): Promise<void> => {
  let written = 0;
  let noise = 0;
  let batch = new Batch();
  let last = Date.now();
  for (let i = 0; written < events; i++) {
    for (const [streamId, list] of caseEvents(tenantId, i)) {
      const take = list.slice(0, events - written);
      if (take.length) batch.add(streamId, take);
      written += take.length;
    }
    if (noise < written * NOISE_SHARE) {
      for (const [streamId, list] of caseEvents(noiseTenant, i)) {
        batch.add(streamId, list);
        noise += list.length;
      }
    }
    if (batch.streams.size >= STREAMS_PER_APPEND) {
      await store.appendToStreams(batch.appends());
      batch = new Batch();
    }
    if (Date.now() - last > 10_000) {
      say(`  ${written.toLocaleString('en-US')} events written`);
      last = Date.now();
    }
  }
  if (batch.streams.size) await store.appendToStreams(batch.appends());
};
