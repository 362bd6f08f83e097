import type { RecordedEvent } from '@rampart/event-sourcing';
import {
  isComplianceStateChanged,
  isFindingOpened,
  isFindingResolved,
  isPostureEvent,
  isTenantGuardrailsEvent,
  POSTURE_EVENT_TYPES,
  TENANT_GUARDRAILS_EVENT_TYPES,
  type FindingOpened,
  type PostureEvent,
  type TenantGuardrailsEvent,
} from './events';
import { ATTESTATION_EVENT_TYPES, isAttestationEvent, type AttestationEvent } from './attestation-events';

// Every type name of each union, once: a name added to a union but not to its list fails here.
const POSTURE: Record<PostureEvent['type'], true> = {
  'guardrails.ComplianceStateChanged.v1': true,
  'guardrails.FindingOpened.v1': true,
  'guardrails.FindingResolved.v1': true,
};
const TENANT_POLICY: Record<TenantGuardrailsEvent['type'], true> = {
  'guardrails.BaselineAssigned.v1': true,
  'guardrails.BaselineUnassigned.v1': true,
  'guardrails.ExemptionRequested.v1': true,
  'guardrails.ExemptionGranted.v1': true,
  'guardrails.ExemptionRevoked.v1': true,
  'guardrails.ExemptionExpired.v1': true,
  'guardrails.ReportingPolicySet.v1': true,
  'guardrails.LibraryVersionSet.v1': true,
  'guardrails.AttestationPolicySet.v1': true,
  'guardrails.CoveragePolicySet.v1': true,
};
const ATTESTATION: Record<AttestationEvent['type'], true> = {
  'guardrails.AttestationRecorded.v1': true,
  'guardrails.AttestationApproved.v1': true,
  'guardrails.AttestationRejected.v1': true,
  'guardrails.AttestationRevoked.v1': true,
  'guardrails.AttestationExpired.v1': true,
};

const read = (type: string, data: unknown = {}) => ({ type, data }) as Pick<RecordedEvent, 'type' | 'data'>;

const finding: FindingOpened['data'] = {
  findingId: 'f-1',
  resourceKey: '/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/api',
  resourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/api',
  resourceType: 'microsoft.web/sites',
  assignmentId: 'a-1',
  guardrailId: 'app-service-authentication',
  severity: 'high',
  title: 'App Service apps should have authentication enabled',
  playbookId: 'restrict-public-api',
  reason: 'siteAuthEnabled is false',
  causedBy: null,
  notify: false,
};

describe("the guardrails' contract", () => {
  it('lists every type name of its unions once', () => {
    expect([...POSTURE_EVENT_TYPES].sort()).toEqual(Object.keys(POSTURE).sort());
    expect([...TENANT_GUARDRAILS_EVENT_TYPES].sort()).toEqual(Object.keys(TENANT_POLICY).sort());
    expect([...ATTESTATION_EVENT_TYPES].sort()).toEqual(Object.keys(ATTESTATION).sort());
  });

  it('narrows a finding read from the log to its payload', () => {
    const e = read('guardrails.FindingOpened.v1', finding);
    expect(isFindingOpened(e) && e.data.severity).toBe('high');
    expect([isFindingResolved(e), isComplianceStateChanged(e)]).toEqual([false, false]);
    expect(isFindingResolved(read('guardrails.FindingResolved.v1'))).toBe(true);
    expect(isComplianceStateChanged(read('guardrails.ComplianceStateChanged.v1'))).toBe(true);
  });

  it("tells a resource's posture from a tenant's policy and from other contexts' events", () => {
    expect(POSTURE_EVENT_TYPES.every((t) => isPostureEvent(read(t)) && !isTenantGuardrailsEvent(read(t)))).toBe(true);
    expect(TENANT_GUARDRAILS_EVENT_TYPES.every((t) => isTenantGuardrailsEvent(read(t)) && !isPostureEvent(read(t)))).toBe(true);
    expect(ATTESTATION_EVENT_TYPES.every((t) => isAttestationEvent(read(t)) && !isTenantGuardrailsEvent(read(t)) && !isPostureEvent(read(t)))).toBe(true);
    expect(isPostureEvent(read('incidents.IncidentOpened.v1'))).toBe(false);
    expect(isFindingOpened(read('guardrails.FindingOpened.v2'))).toBe(false);
  });
});
