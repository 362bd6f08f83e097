import { givenWhenThen } from '@rampart/event-sourcing';
import { builtInCatalog } from '../catalog/guardrail';
import type { BaselineAssigned, ExemptionGranted, ExemptionRequested } from '../events';
import { scopeCovers, tenantGuardrailsDecider, type TenantGuardrailsCommand } from './tenant-guardrails';

const given = givenWhenThen(tenantGuardrailsDecider(builtInCatalog()));
const now = new Date('2026-11-29T10:00:00Z');

const assigned: BaselineAssigned = {
  type: 'guardrails.BaselineAssigned.v1',
  data: { assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*', parameters: {} },
};
const request = (over: Partial<Extract<TenantGuardrailsCommand, { kind: 'RequestExemption' }>> = {}): TenantGuardrailsCommand => ({
  kind: 'RequestExemption',
  exemptionId: 'legacy-rdp',
  guardrailId: 'management-ports-open-to-internet',
  scope: '/subscriptions/s1/resourceGroups/RG-Legacy',
  category: 'mitigated',
  justification: 'Jump host behind the vendor VPN until the Bastion migration',
  requestedBy: 'ana@contoso.example',
  expiresAt: '2027-01-31T00:00:00Z',
  now,
  ...over,
});
const requested: ExemptionRequested = {
  type: 'guardrails.ExemptionRequested.v1',
  data: {
    exemptionId: 'legacy-rdp',
    guardrailId: 'management-ports-open-to-internet',
    scope: '/subscriptions/s1/resourcegroups/rg-legacy',
    category: 'mitigated',
    justification: 'Jump host behind the vendor VPN until the Bastion migration',
    requestedBy: 'ana@contoso.example',
    expiresAt: '2027-01-31T00:00:00.000Z',
  },
};
const granted: ExemptionGranted = { type: 'guardrails.ExemptionGranted.v1', data: { exemptionId: 'legacy-rdp', approvedBy: 'ciso@contoso.example' } };
const approve = (approvedBy: string, at = now): TenantGuardrailsCommand => ({ kind: 'ApproveExemption', exemptionId: 'legacy-rdp', approvedBy, now: at });

describe('a tenant guardrail policy', () => {
  describe('assigning baselines', () => {
    it('assigns a known baseline to the tenant or a scope, once per assignment id', () => {
      given().when({ kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'landing-zone-core', scope: '*' }).then(assigned);
      given(assigned).when({ kind: 'AssignBaseline', assignmentId: 'core', baselineId: 'financial-services', scope: '*' }).thenRejects('duplicate-assignment');
      given()
        .when({ kind: 'AssignBaseline', assignmentId: 'fin-prod', baselineId: 'financial-services', scope: '/subscriptions/S1' })
        .then({ type: 'guardrails.BaselineAssigned.v1', data: { assignmentId: 'fin-prod', baselineId: 'financial-services', scope: '/subscriptions/s1', parameters: {} } });
    });

    it('refuses unknown baselines, bad scopes and parameters the definition does not allow', () => {
      given().when({ kind: 'AssignBaseline', assignmentId: 'x', baselineId: 'nist-everything', scope: '*' }).thenRejects('unknown-baseline');
      given().when({ kind: 'AssignBaseline', assignmentId: 'x', baselineId: 'landing-zone-core', scope: 'subscriptions' }).thenRejects('invalid-scope');
      given().when({ kind: 'AssignBaseline', assignmentId: 'Not Valid', baselineId: 'landing-zone-core', scope: '*' }).thenRejects('invalid-assignment-id');
      given()
        .when({ kind: 'AssignBaseline', assignmentId: 'x', baselineId: 'landing-zone-core', scope: '*', parameters: { 'storage-weak-tls': { minimumTlsVersion: 'TLS9' } } })
        .thenRejects('invalid-parameters');
      given()
        .when({ kind: 'AssignBaseline', assignmentId: 'x', baselineId: 'landing-zone-core', scope: '*', parameters: { 'sql-public-network-access': {} } })
        .thenRejects('unknown-guardrail'); // not in that baseline
    });

    it('unassigns what is assigned', () => {
      given(assigned)
        .when({ kind: 'UnassignBaseline', assignmentId: 'core' })
        .then({ type: 'guardrails.BaselineUnassigned.v1', data: { assignmentId: 'core', baselineId: 'landing-zone-core' } });
      given().when({ kind: 'UnassignBaseline', assignmentId: 'core' }).thenRejects('unknown-assignment');
    });
  });

  describe('exemptions', () => {
    it('are requested with a justification and an expiry at most a year out', () => {
      given(assigned).when(request()).then(requested);
      given().when(request({ justification: 'because' })).thenRejects('justification-required');
      given().when(request({ expiresAt: '2026-11-01T00:00:00Z' })).thenRejects('expiry-in-past');
      given().when(request({ expiresAt: '2028-06-01T00:00:00Z' })).thenRejects('expiry-too-far');
      given().when(request({ expiresAt: 'next tuesday' })).thenRejects('invalid-expiry');
      given().when(request({ guardrailId: 'no-such-guardrail' })).thenRejects('unknown-guardrail');
      given(requested).when(request()).thenRejects('duplicate-exemption');
    });

    it('are in force only once a second person approves them, before they expire', () => {
      given(requested).when(approve('ciso@contoso.example')).then(granted);
      given(requested).when(approve('ANA@contoso.example')).thenRejects('approver-must-differ');
      given(requested).when(approve('ciso@contoso.example', new Date('2027-02-01T00:00:00Z'))).thenRejects('expiry-in-past');
      given(requested, granted).when(approve('cfo@contoso.example')).thenRejects('exemption-not-requested');
      given().when(approve('ciso@contoso.example')).thenRejects('unknown-exemption');
    });

    it('expire by themselves only at their expiry time, and can be revoked before', () => {
      given(requested, granted).when({ kind: 'ExpireExemption', exemptionId: 'legacy-rdp', now }).thenRejects('not-yet-expired');
      const expired = { type: 'guardrails.ExemptionExpired.v1' as const, data: { exemptionId: 'legacy-rdp', expiredAt: '2027-01-31T00:00:00.000Z' } };
      given(requested, granted).when({ kind: 'ExpireExemption', exemptionId: 'legacy-rdp', now: new Date('2027-01-31T00:00:00Z') }).then(expired);
      given(requested, granted, expired).when({ kind: 'RevokeExemption', exemptionId: 'legacy-rdp', reason: 'x' }).thenRejects('exemption-not-active');
      given(requested, granted).when({ kind: 'RevokeExemption', exemptionId: 'legacy-rdp', reason: '  ' }).thenRejects('reason-required');
      given(requested, granted)
        .when({ kind: 'RevokeExemption', exemptionId: 'legacy-rdp', reason: 'Bastion is live' })
        .then({ type: 'guardrails.ExemptionRevoked.v1', data: { exemptionId: 'legacy-rdp', reason: 'Bastion is live' } });
    });
  });

  it('sets which severities raise incidents and which notify', () => {
    given()
      .when({ kind: 'SetReportingPolicy', incidentSeverities: ['high', 'critical'], notifySeverities: ['medium'] })
      .then({ type: 'guardrails.ReportingPolicySet.v1', data: { incidentSeverities: ['critical', 'high'], notifySeverities: ['medium'] } });
    given().when({ kind: 'SetReportingPolicy', incidentSeverities: ['urgent' as never], notifySeverities: [] }).thenRejects('invalid-severity');
    // the deprecated incident severities, left out, stay as recorded
    given({ type: 'guardrails.ReportingPolicySet.v1', data: { incidentSeverities: ['critical'], notifySeverities: [] } })
      .when({ kind: 'SetReportingPolicy', notifySeverities: ['high'] })
      .then({ type: 'guardrails.ReportingPolicySet.v1', data: { incidentSeverities: ['critical'], notifySeverities: ['high'] } });
  });

  it('records whether an attestation needs a second person, and nothing when it already says so', () => {
    const required = { type: 'guardrails.AttestationPolicySet.v1', data: { approvalRequired: true } } as const;
    given().when({ kind: 'SetAttestationPolicy', approvalRequired: true }).then(required);
    given(required).when({ kind: 'SetAttestationPolicy', approvalRequired: true }).then();
    given().when({ kind: 'SetAttestationPolicy', approvalRequired: false }).then();
    given(required).when({ kind: 'SetAttestationPolicy', approvalRequired: false }).then({ type: 'guardrails.AttestationPolicySet.v1', data: { approvalRequired: false } });
  });

  it('matches scopes by prefix of whole path segments, ignoring case', () => {
    expect(scopeCovers('/subscriptions/s1/resourcegroups/rg', '/subscriptions/s1/resourcegroups/rg/providers/x/y/z')).toBe(true);
    expect(scopeCovers('/subscriptions/s1/resourcegroups/rg', '/subscriptions/s1/resourcegroups/rg-other/providers/x/y/z')).toBe(false);
    expect(scopeCovers('*', '/subscriptions/s2/resourcegroups/a/providers/x/y/z')).toBe(true);
  });
});
