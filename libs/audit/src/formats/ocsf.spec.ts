import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedEvent } from '@rampart/event-sourcing';
import { OCSF_VERSION, OcsfMemory, ocsfRecords, type OcsfRecord } from './ocsf';
import { OcsfSchema } from './testing/ocsf-schema';
import { ANA, BEN, EVALUATOR, EVIDENCE, EXPIRY, REACTOR, STORAGE, TENANT, TenantLog, WEB_APP, breachStory, exportContext } from './testing/fixtures';

const CORPUS = join(__dirname, '..', '..', 'corpus', 'ocsf');
const schema = new OcsfSchema((path) => JSON.parse(readFileSync(join(CORPUS, path), 'utf8')));
const CLASS_NAMES: Readonly<Record<number, string>> = { 2003: 'compliance_finding', 2005: 'incident_finding', 7001: 'remediation_activity' };

const problemsOf = (record: OcsfRecord): string[] => {
  const name = CLASS_NAMES[record['class_uid'] as number];
  if (!name) return [`class_uid ${String(record['class_uid'])} is not one the export produces`];
  const profiles = ((record['metadata'] as OcsfRecord | undefined)?.['profiles'] as string[] | undefined) ?? [];
  return schema.problems(record, schema.eventClass(name), profiles);
};

const ctx = exportContext();

/** Maps a log the way the export does: earlier events seed the memory, the period's are mapped. */
const mapAll = (events: readonly RecordedEvent[], seed: readonly RecordedEvent[] = []) => {
  const memory = new OcsfMemory();
  seed.forEach((e) => memory.seed(e));
  return events.map((e) => ({ event: e, records: ocsfRecords(e, ctx, memory) }));
};

/** A tenant's month: the breach story, an evaluation error episode, exemptions, an uncertain action, a merge, attestations. */
const realisticLog = () => {
  const log = new TenantLog();
  const story = breachStory(log);
  const more = [
    log.posture(STORAGE, 'storage-http-allowed', 'compliant', 'error', { reason: 'unknown alias Microsoft.Storage/storageAccounts/supportsHttpsTrafficOnly' }),
    log.posture(STORAGE, 'storage-http-allowed', 'error', 'nonCompliant', { reason: 'supportsHttpsTrafficOnly is false' }),
    log.findingOpened(STORAGE, 'storage-http-allowed', '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5', { raiseIncident: false }),
    log.requestExemption('exm-1', 'storage-http-allowed', STORAGE.key),
    log.grantExemption('exm-1'),
    log.posture(STORAGE, 'storage-http-allowed', 'nonCompliant', 'exempt', { exemptionId: 'exm-1', reason: 'exemption exm-1 (mitigated)' }),
    log.findingResolved(STORAGE, 'storage-http-allowed', '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5', 'exempted'),
    log.findingResolved(WEB_APP, 'web-app-public-network-access', '1d2e3f40-5b6c-4d7e-8f90-a1b2c3d4e5f6', 'resource-removed'),
    log.findingResolved(WEB_APP, 'retired-guardrail', '2e3f4051-6c7d-4e8f-9a01-b2c3d4e5f607', 'unassigned'),
    log.action('act-rotate', 'ActionProposed', {
      incidentId: story.incidentId,
      actionKind: 'rotate-secret',
      verb: 'Restore',
      phase: 'remediate',
      target: WEB_APP.key,
      parameters: { secretName: 'shop-api-key' },
      destructive: false,
      proposedBy: ANA.id,
      playbookId: null,
    }, { actor: ANA }),
    log.action('act-rotate', 'ActionApproved', { approvedBy: 'tenant-policy', preApproved: true }, { actor: ANA }),
    log.action('act-rotate', 'ActionExecutionStarted', { executor: 'webhook', idempotencyKey: 'act-rotate:1' }),
    log.action('act-rotate', 'ActionFailed', { reason: 'no answer within 30 s', uncertain: true }),
    log.action('act-rotate', 'ActionOutcomeResolved', { outcome: 'succeeded', note: 'automation run 4711 rotated the key', evidenceUri: null, resolvedBy: BEN.id }, { actor: BEN }),
    log.action('act-evict', 'ActionProposed', {
      incidentId: story.incidentId,
      actionKind: 'revoke-service-principal-credentials',
      verb: 'Evict',
      phase: 'remediate',
      target: 'sp:shop-deployer',
      parameters: { servicePrincipalId: '7a1b' },
      destructive: true,
      proposedBy: ANA.id,
      playbookId: null,
    }, { actor: ANA }),
    log.action('act-evict', 'ActionCancelled', { reason: 'credentials already revoked by hand' }, { actor: ANA }),
    log.action('act-stale', 'ActionProposed', {
      incidentId: story.incidentId,
      actionKind: 'isolate-workload',
      verb: 'Isolate',
      phase: 'respond',
      target: WEB_APP.key,
      parameters: {},
      destructive: true,
      proposedBy: ANA.id,
      playbookId: null,
    }, { actor: ANA }),
    log.action('act-stale', 'ActionExpired', { expiredAt: '2025-03-06T10:00:00.000Z', approvalExpiryMinutes: 1440 }, { actor: REACTOR }),
    log.incident('inc-dup', 'IncidentOpened', {
      title: 'Defender alert: suspicious sign-in',
      severity: 'medium',
      signal: { kind: 'alert', ref: 'mdc-123', title: 'Suspicious sign-in', severity: 'medium', resourceKeys: [], entities: ['account:deployer'], detectedAt: '2025-03-05T10:00:00.000Z' },
    }, { actor: EVALUATOR }),
    log.incident('inc-dup', 'SignalAttached', {
      signal: { kind: 'alert', ref: 'mdc-124', title: 'Impossible travel', severity: 'critical', resourceKeys: [], entities: ['account:deployer'], detectedAt: '2025-03-05T10:05:00.000Z' },
    }, { actor: EVALUATOR }),
    log.incident('inc-dup', 'IncidentMerged', { into: story.incidentId }, { actor: BEN }),
    log.incident(story.incidentId, 'IncidentReopened', { reason: 'The same principal signed in again.' }),
    log.record('resource-x', 'inventory.ResourceDiscovered.v1', { resourceKey: STORAGE.key, id: STORAGE.id, type: STORAGE.type, configuration: {}, contentHash: 'h', runId: 'run-1' }),
    log.setAttestationPolicy(true),
    log.setCoveragePolicy(72),
    ...log.ingestionRun('run-2', '*'),
    log.recordAttestation('att-ac-1', { approvalRequired: true }),
    log.approveAttestation('att-ac-1'),
    log.revokeAttestation('att-ac-1'),
    log.recordAttestation('att-pv-1', { standardId: 'mcsb', controlId: 'PV-1', validUntil: '2025-03-20T00:00:00.000Z' }),
    log.expireAttestation('att-pv-1', '2025-03-20T00:00:00.000Z', { at: '2025-03-20T00:05:00.000Z' }),
    log.recordAttestation('att-ac-2', { controlId: 'AC-2', approvalRequired: true }),
    log.rejectAttestation('att-ac-2'),
  ];
  return { ...story, events: [...story.events, ...more] };
};

describe('the OCSF class definitions as resolved for the test', () => {
  it('inherit through extends and name what the README of the corpus lists as required', () => {
    const required = (name: string) =>
      [...schema.eventClass(name).attributes.values()].filter((a) => a.requirement === 'required' && a.profile === null).map((a) => a.name).sort();
    const base = ['activity_id', 'category_uid', 'class_uid', 'metadata', 'severity_id', 'time', 'type_uid'];
    expect(required('compliance_finding')).toEqual([...base, 'compliance', 'finding_info'].sort());
    expect(required('incident_finding')).toEqual([...base, 'finding_info_list', 'status_id'].sort());
    expect(required('remediation_activity')).toEqual([...base, 'command_uid'].sort());
  });

  it('add class enums to the dictionary ones and derive the uid enums', () => {
    const remediation = schema.eventClass('remediation_activity');
    expect(Object.keys(remediation.attributes.get('status_id')!.enum!).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '99']);
    expect(remediation.uid).toBe(7001);
    expect(Object.keys(remediation.attributes.get('type_uid')!.enum!)).toContain('700101');
    expect(schema.eventClass('compliance_finding').attributes.get('status_id')!.enum!['3'].caption).toBe('Suppressed');
    // `actor` comes from the host profile, `cloud` (required there) from the cloud profile.
    expect(schema.eventClass('compliance_finding').attributes.get('actor')!.profile).toBe('host');
    expect(schema.eventClass('compliance_finding').attributes.get('cloud')!.profile).toBe('cloud');
  });

  it('catch what a wrong record gets wrong', () => {
    const good = ocsfRecords(breachStory().events[3], ctx)[0];
    expect(problemsOf(good)).toEqual([]);
    const bad = {
      ...good,
      activity_id: 7,
      severity: 'Critical',
      finding_info: { title: 'no uid' },
      compliance: { ...(good['compliance'] as OcsfRecord), verdict: 'x' },
      metadata: { ...(good['metadata'] as OcsfRecord), profiles: [] },
      resource: { uid: 'x' },
      rampart_extra: true,
    };
    const problems = problemsOf(bad).join('\n');
    expect(problems).toMatch(/^activity_id: 7 is not one of/m);
    expect(problems).toMatch(/^severity: "Critical" but severity_id 4 is "High"/m);
    expect(problems).toMatch(/^finding_info\.uid: required by finding_info, missing/m);
    expect(problems).toMatch(/^compliance\.verdict: not an attribute of compliance/m);
    expect(problems).toMatch(/^actor: belongs to profile host/m);
    expect(problems).toMatch(/^resource: deprecated in compliance_finding/m);
    expect(problems).toMatch(/^rampart_extra: not an attribute of compliance_finding/m);
    const deeper = problemsOf({ ...good, time: new Date(good['time'] as number).toISOString(), actor: { user: { uid: 'ana', type_id: 42 } }, finding_info: { uid: 'f', types: 'guardrail' } }).join('\n');
    expect(deeper).toMatch(/^time: "[^"]+" is not a timestamp_t/m);
    expect(deeper).toMatch(/^actor\.user\.type_id: 42 is not one of/m);
    expect(deeper).toMatch(/^finding_info\.types: expected an array/m);
  });
});

describe('ocsfRecords', () => {
  const mapped = mapAll(realisticLog().events);
  const records = mapped.flatMap((m) => m.records);
  const recordOf = (type: string, nth = 0) => mapped.filter((m) => m.event.type === type)[nth].records[0];

  it('produces records of the three classes from a realistic month, and none for other events', () => {
    expect(new Set(records.map((r) => r['class_uid']))).toEqual(new Set([2003, 2005, 7001]));
    for (const m of mapped) {
      if (/^(tenancy|inventory)\./.test(m.event.type) || /Baseline|Exemption|PolicySet/.test(m.event.type)) expect(m.records).toEqual([]);
    }
  });

  it('gives every record all its class requires, only attributes the class and its objects know, and enum values they list', () => {
    expect(records.length).toBeGreaterThan(30);
    for (const record of records) {
      const event = (record['metadata'] as OcsfRecord)['event_code'];
      expect({ event, problems: problemsOf(record) }).toEqual({ event, problems: [] });
    }
  });

  it('classifies each record: category, class, activity, type_uid = class_uid * 100 + activity_id', () => {
    for (const record of records) {
      expect(record['type_uid']).toBe((record['class_uid'] as number) * 100 + (record['activity_id'] as number));
      expect(record['category_uid']).toBe(Math.floor((record['class_uid'] as number) / 1000));
    }
  });

  it('fills metadata from the envelope and the export: schema version, product, event id, tenant, correlation', () => {
    const { event, records: [record] } = mapped.find((m) => m.event.type === 'incidents.ActionApproved.v1')!;
    expect(OCSF_VERSION).toBe(schema.version);
    expect(record['metadata']).toMatchObject({
      version: '1.8.0',
      product: { name: 'Rampart', vendor_name: 'Rampart', version: '0.1.0' },
      uid: event.eventId,
      tenant_uid: TENANT,
      correlation_uid: event.metadata.correlationId,
      event_code: 'incidents.ActionApproved.v1',
      logged_time: Date.parse(event.recordedAt),
    });
    expect(record['time']).toBe(Date.parse(event.metadata.occurredAt));
    expect(record['actor']).toEqual({ user: { uid: BEN.id, type_id: 1, type: 'User' } });
    expect(record['unmapped']).toMatchObject({ on_behalf_of_tenant: TENANT, log_position: `${event.globalPosition.commit}/${event.globalPosition.prepare}` });
  });

  it('reports a guardrail finding as a Compliance Finding with its framework controls', () => {
    const opened = recordOf('guardrails.FindingOpened.v1');
    expect(opened).toMatchObject({
      class_uid: 2003,
      activity_id: 1,
      status_id: 1,
      severity_id: 4,
      finding_info: { uid: '9b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3', title: 'Web app reachable without authentication' },
      compliance: {
        control: 'web-app-without-authentication',
        standards: ['MCSB', 'CIS-Azure', 'ISO27001'],
        requirements: ['MCSB IM-1', 'CIS-Azure 9.1', 'ISO27001 A.8.5'],
        status_id: 3,
        status: 'Fail',
      },
      resources: [{ uid: WEB_APP.id, name: 'shop-api', type: 'microsoft.web/sites', role_id: 1 }],
      remediation: { desc: 'Turn on App Service Authentication (Easy Auth) with Microsoft Entra ID.' },
    });
    expect(recordOf('guardrails.FindingResolved.v1')).toMatchObject({
      activity_id: 3,
      status_id: 4,
      status: 'Resolved',
      finding_info: { uid: '9b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3' },
      compliance: { status_id: 1, status: 'Pass' },
      resources: [{ uid: WEB_APP.key }],
    });
  });

  it('tells an exemption, a removed resource and an unassignment apart when a finding closes', () => {
    const closes = mapped.filter((m) => m.event.type === 'guardrails.FindingResolved.v1').map((m) => m.records[0]);
    const byResolution = Object.fromEntries(closes.map((r) => [r['status_detail'], [r['status_id'], (r['compliance'] as OcsfRecord)['status_id']]]));
    expect(byResolution).toEqual({ compliant: [4, 1], exempted: [3, 99], 'resource-removed': [4, 99], unassigned: [5, 99] });
    // A guardrail the catalog no longer has still closes its finding, with what the event says.
    const retired = closes.find((r) => (r['compliance'] as OcsfRecord)['control'] === 'retired-guardrail')!;
    expect(retired).toMatchObject({ severity_id: 0, finding_info: { title: 'retired-guardrail' } });
  });

  it('reports an evaluation error episode, which no finding event covers, as a Warning finding', () => {
    const changes = mapped.filter((m) => m.event.type === 'guardrails.ComplianceStateChanged.v1');
    const withRecords = changes.filter((m) => m.records.length);
    expect(withRecords.map((m) => (m.event.data as { to: string }).to)).toEqual(['error', 'nonCompliant']);
    const [opening, closing] = withRecords.map((m) => m.records[0]);
    expect(opening).toMatchObject({ activity_id: 1, compliance: { status_id: 2, status: 'Warning' } });
    expect(closing).toMatchObject({ activity_id: 3, compliance: { status_id: 3 } });
    expect((opening['finding_info'] as OcsfRecord)['uid']).toBe((closing['finding_info'] as OcsfRecord)['uid']);
  });

  it("reports an attestation's life as one Compliance Finding: Pass while it holds, Archived once it ends", () => {
    const lifecycle = mapped.filter((m) => m.event.type.startsWith('guardrails.Attestation') && !m.event.type.endsWith('PolicySet.v1'));
    const row = (r: OcsfRecord) => {
      const compliance = r['compliance'] as OcsfRecord;
      return [(r['finding_info'] as OcsfRecord)['uid'], r['activity_id'], r['status'], compliance['status_id'], compliance['status']];
    };
    expect(lifecycle.map((m) => [m.event.type.split('.')[1], ...row(m.records[0])])).toEqual([
      ['AttestationRecorded', 'att-ac-1', 1, 'New', 99, 'Pending Approval'],
      ['AttestationApproved', 'att-ac-1', 2, 'Resolved', 1, 'Pass'],
      ['AttestationRevoked', 'att-ac-1', 3, 'Archived', 99, 'Revoked'],
      ['AttestationRecorded', 'att-pv-1', 1, 'Resolved', 1, 'Pass'],
      ['AttestationExpired', 'att-pv-1', 3, 'Archived', 99, 'Expired'],
      ['AttestationRecorded', 'att-ac-2', 1, 'New', 99, 'Pending Approval'],
      ['AttestationRejected', 'att-ac-2', 3, 'Archived', 99, 'Rejected'],
    ]);
    const [recorded, approved, revoked] = lifecycle.map((m) => m.records[0]);
    expect(recorded).toMatchObject({
      class_uid: 2003,
      severity_id: 1,
      finding_info: { title: `nist-sp-800-53-r5 AC-1 attested by ${ANA.id}`, types: ['Attestation'], desc: 'The access control policy is reviewed and approved by the CISO every quarter.' },
      compliance: { control: 'AC-1', standards: ['nist-sp-800-53-r5'], requirements: ['nist-sp-800-53-r5 AC-1'] },
      unmapped: {
        attestation_id: 'att-ac-1',
        valid_until: '2025-09-30T00:00:00.000Z',
        approval_required: true,
        evidence: EVIDENCE.map((f) => ({ sha256: f.sha256, name: f.name, media_type: f.mediaType, size: f.size })),
      },
    });
    // Later events only name the attestation: the standard and control come from memory, the actor from the envelope.
    expect(approved).toMatchObject({ actor: { user: { uid: BEN.id } }, compliance: { requirements: ['nist-sp-800-53-r5 AC-1'] }, unmapped: { approved_by: BEN.id } });
    expect(revoked).toMatchObject({ status_detail: 'The policy was withdrawn for rework.', compliance: { standards: ['nist-sp-800-53-r5'] }, unmapped: { revoked_by: ANA.id } });
    const expired = recordOf('guardrails.AttestationExpired.v1');
    expect(expired).toMatchObject({ actor: { user: { uid: EXPIRY.id, type_id: 4 } }, status_detail: 'expired at 2025-03-20T00:00:00.000Z', compliance: { requirements: ['mcsb PV-1'] } });
  });

  it('still reports an attestation event whose recording came before an unseeded export, by its id alone', () => {
    const log = new TenantLog();
    const recorded = log.recordAttestation('att-ac-1', { approvalRequired: true });
    const approved = log.approveAttestation('att-ac-1');
    const [seeded] = mapAll([approved], [recorded]).map((m) => m.records[0]);
    const [unseeded] = mapAll([approved]).map((m) => m.records[0]);
    expect(seeded).toMatchObject({ finding_info: { uid: 'att-ac-1', title: `nist-sp-800-53-r5 AC-1 attested by ${ANA.id}` }, compliance: { control: 'AC-1', status_id: 1 } });
    expect(unseeded).toMatchObject({ finding_info: { uid: 'att-ac-1', title: 'Attestation att-ac-1' }, compliance: { status_id: 1, status: 'Pass' } });
    expect((unseeded['compliance'] as OcsfRecord)['standards']).toBeUndefined();
    for (const record of [seeded, unseeded]) expect(problemsOf(record)).toEqual([]);
  });

  it('follows an incident through its lifecycle as Incident Findings', () => {
    const lifecycle = mapped.filter((m) => (m.event.data as { incidentId?: string }).incidentId === 'inc-4f2a9c1b7d3e' && !m.event.type.includes('Action'));
    expect(lifecycle.map((m) => [m.event.type.split('.')[1], m.records[0]['activity_id'], m.records[0]['status_id']])).toEqual([
      ['IncidentOpened', 1, 1],
      ['IncidentTriaged', 2, 2],
      ['IncidentResponseStarted', 2, 2],
      ['IncidentContained', 2, 2],
      ['IncidentRemediated', 2, 2],
      ['IncidentRecovered', 2, 4],
      ['IncidentClosed', 3, 5],
      ['IncidentReopened', 2, 2],
    ]);
    const opened = lifecycle[0].records[0];
    expect(opened).toMatchObject({
      severity_id: 4,
      desc: 'Web app reachable without authentication',
      finding_info_list: [{ uid: '9b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3', types: ['finding'] }],
      assignee_group: { uid: 'soc-emea', name: 'soc-emea' },
      tickets: [{ uid: 'inc-4f2a9c1b7d3e', type_id: 1 }],
      metadata: { profiles: ['incident', 'host'] },
    });
    expect(opened['assignee']).toBeUndefined();
    // Later events only name the incident: title, triaged severity and assignee come from memory.
    const contained = lifecycle[3].records[0];
    expect(contained).toMatchObject({ severity_id: 5, desc: 'Web app reachable without authentication', assignee: { uid: ANA.id }, comment: 'API reachable only through the private endpoint.' });
    const closed = lifecycle[6].records[0];
    expect(closed).toMatchObject({ verdict_id: 2, verdict: 'True Positive', end_time: closed['time'] });
    expect(closed['comment']).toMatch(/Root cause: The API was deployed without authentication/);
  });

  it('raises an untriaged incident to its most severe signal and closes a merged one as a duplicate', () => {
    const attached = recordOf('incidents.SignalAttached.v1');
    expect(attached).toMatchObject({ severity_id: 5, status_id: 1 });
    expect((attached['finding_info_list'] as OcsfRecord[]).map((f) => f['uid'])).toEqual(['mdc-123', 'mdc-124']);
    expect(recordOf('incidents.IncidentMerged.v1')).toMatchObject({ activity_id: 3, status_id: 5, verdict_id: 10, verdict: 'Duplicate', unmapped: { merged_into: 'inc-4f2a9c1b7d3e' } });
  });

  it('reports response actions as Remediation Activity, the verb as the D3FEND activity', () => {
    const actions = mapped.filter((m) => m.event.type.startsWith('incidents.Action'));
    expect(actions.map((m) => [(m.event.data as { actionId: string }).actionId, m.event.type.split('.')[1], m.records[0]['activity_id'], m.records[0]['status_id'], m.records[0]['status']])).toEqual([
      ['act-restrict-shop-api', 'ActionProposed', 1, 99, 'Proposed'],
      ['act-restrict-shop-api', 'ActionApproved', 1, 99, 'Approved'],
      ['act-restrict-shop-api', 'ActionExecutionStarted', 1, 99, 'Executing'],
      ['act-restrict-shop-api', 'ActionSucceeded', 1, 1, 'Success'],
      ['act-restrict-shop-api', 'ActionVerified', 1, 1, 'Success'],
      ['act-rotate', 'ActionProposed', 3, 99, 'Proposed'],
      ['act-rotate', 'ActionApproved', 3, 99, 'Approved'],
      ['act-rotate', 'ActionExecutionStarted', 3, 99, 'Executing'],
      ['act-rotate', 'ActionFailed', 3, 0, 'Unknown'],
      ['act-rotate', 'ActionOutcomeResolved', 3, 1, 'Success'],
      ['act-evict', 'ActionProposed', 2, 99, 'Proposed'],
      ['act-evict', 'ActionCancelled', 2, 99, 'Cancelled'],
      ['act-stale', 'ActionProposed', 1, 99, 'Proposed'],
      ['act-stale', 'ActionExpired', 1, 99, 'Expired'],
    ]);
    // An expired proposal ran nothing: it says so, when its approval lifetime ran out, and which one applied.
    expect(recordOf('incidents.ActionExpired.v1')).toMatchObject({
      command_uid: 'act-stale',
      severity_id: 1,
      status_detail: 'not approved within 1440 minutes',
      unmapped: { expired_at: '2025-03-06T10:00:00.000Z', approval_expiry_minutes: 1440, destructive: true },
    });
    expect(recordOf('incidents.ActionApproved.v1')).toMatchObject({
      command_uid: 'act-restrict-shop-api',
      type_uid: 700101,
      remediation: { desc: `restrict-public-network-access (respond) on ${WEB_APP.key}` },
      unmapped: { incident_id: 'inc-4f2a9c1b7d3e', approved_by: BEN.id, destructive: true },
    });
    expect(recordOf('incidents.ActionFailed.v1')).toMatchObject({ severity_id: 4, status_detail: 'no answer within 30 s', unmapped: { uncertain: true } });
  });

  it('needs the events before the period to describe what started before it', () => {
    const log = new TenantLog();
    const { events } = breachStory(log);
    const cut = events.findIndex((e) => e.type === 'incidents.IncidentTriaged.v1');
    const [seeded, unseeded] = [mapAll(events.slice(cut), events.slice(0, cut)), mapAll(events.slice(cut))];
    const approvedSeeded = seeded.find((m) => m.event.type === 'incidents.ActionApproved.v1')!.records[0];
    const approvedUnseeded = unseeded.find((m) => m.event.type === 'incidents.ActionApproved.v1')!.records[0];
    expect(approvedSeeded['activity_id']).toBe(1);
    expect(approvedUnseeded['activity_id']).toBe(0);
    const triagedSeeded = seeded[0].records[0];
    const triagedUnseeded = unseeded[0].records[0];
    expect(triagedSeeded).toMatchObject({ desc: 'Web app reachable without authentication', finding_info_list: [{ uid: '9b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3' }] });
    expect(triagedUnseeded).toMatchObject({ finding_info_list: [{ uid: 'inc-4f2a9c1b7d3e' }], assignee: { uid: ANA.id } });
    // Degraded, still valid records.
    for (const record of [...seeded, ...unseeded].flatMap((m) => m.records)) expect(problemsOf(record)).toEqual([]);
  });

  it('waits an untriaged incident in the SOC queue when the tenant has no SOC team', () => {
    const log = new TenantLog();
    const e = log.incident('inc-1', 'IncidentOpened', {
      title: 'Suspicious sign-in',
      severity: 'low',
      signal: { kind: 'manual', ref: 'note-1', title: 'Reported by the customer', severity: 'low', resourceKeys: [], entities: [], detectedAt: '2025-03-09T08:00:00.000Z' },
    });
    const [record] = ocsfRecords(e, ctx);
    expect(record['assignee_group']).toMatchObject({ name: 'SOC queue' });
    expect(problemsOf(record)).toEqual([]);
  });

  it('refuses an event of another tenant', () => {
    const other = new TenantLog('fabrikam').assignBaseline('asg-1', 'landing-zone-core');
    expect(() => ocsfRecords(other, ctx)).toThrow(/belongs to tenant fabrikam/);
  });
});
