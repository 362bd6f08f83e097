import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RecordedEvent } from '@rampart/event-sourcing';
import { COVERAGE_SUBJECTS_LISTED, OscalAssessment, oscalControlId } from './oscal';
import { ANA, BEN, EVIDENCE, OTHER_WEB_APP, PERIOD, STORAGE, SUBSCRIPTION, TenantLog, WEB_APP, breachStory, exportContext, type Resource } from './testing/fixtures';
import type { ExportContext } from './types';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'oscal-1.1.3', 'oscal_assessment-results_schema.json'), 'utf8'));
// The schema is draft-07, Ajv's default dialect. Its token pattern uses \p{L} and \p{N}, which need
// the `u` flag: ajv adds it to every pattern (its `unicodeRegExp` option, on by default).
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const schemaErrors = (doc: unknown): string[] => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IN_PERIOD = '2025-03-10T12:00:00.000Z';
const LATER_IN_PERIOD = '2025-03-20T12:00:00.000Z';

/** Runs a log through an assessment the way the export does: before the period seeds, the rest adds. */
const assess = (events: readonly RecordedEvent[], ctx: ExportContext = exportContext()) => {
  const assessment = new OscalAssessment(ctx);
  for (const e of events) {
    if (Date.parse(e.recordedAt) < ctx.from.getTime()) assessment.seed(e);
    else assessment.add(e);
  }
  const doc = assessment.document() as Json;
  const result = doc['assessment-results'].results[0] as Json;
  const findings = (result.findings ?? []) as Json[];
  const verdicts = Object.fromEntries(findings.map((f) => [f.target['target-id'].replace(/_obj$/, ''), f.target.status.state]));
  const observation = (uuid: string) => (result.observations as Json[]).find((o) => o.uuid === uuid)!;
  const evidenceOf = (controlId: string) =>
    findings.find((f) => f.target['target-id'] === `${controlId}_obj`)!['related-observations'].map((r: Json) => observation(r['observation-uuid']));
  return { doc, result, findings, verdicts, evidenceOf };
};

/** A tenant with the core baseline since February and both guardrails evaluated compliant before the period. */
const compliantTenant = () => {
  const log = new TenantLog();
  const events = [
    log.assignBaseline('asg-core', 'landing-zone-core', { at: '2025-02-01T09:00:00.000Z' }),
    log.posture(WEB_APP, 'web-app-without-authentication', null, 'compliant'),
    log.posture(STORAGE, 'storage-http-allowed', null, 'compliant'),
  ];
  return { log, events };
};

const CORE_CONTROLS = ['cis-azure-9.1', 'iso27001-a.8.5', 'mcsb-dp-3', 'mcsb-im-1'];

describe('oscalControlId', () => {
  const token = new RegExp(schema.definitions.TokenDatatype.pattern, 'u');

  it.each([
    ['MCSB', 'IM-1', 'mcsb-im-1'],
    ['ISO27001', 'A.8.5', 'iso27001-a.8.5'],
    ['CIS-Azure', '9.1', 'cis-azure-9.1'],
    ['NIST SP 800-53', 'AC-6(1)', 'nist-sp-800-53-ac-6-1'],
    ['BSI C5', 'OPS-05 §2', 'bsi-c5-ops-05-2'],
    ['27001', 'A.5.1', '_27001-a.5.1'],
  ])('%s %s -> %s, an OSCAL token', (framework, control, expected) => {
    const id = oscalControlId({ framework, control });
    expect(id).toBe(expected);
    expect(token.test(id)).toBe(true);
  });

  it('the token pattern is enforced, \\p{} escapes included', () => {
    expect(token.test('MCSB IM-1')).toBe(false);
    expect(token.test('ärger-1')).toBe(true);
  });
});

describe('OscalAssessment', () => {
  it('validates against the OSCAL 1.1.3 schema, which does reject a wrong document', () => {
    const { doc } = assess(compliantTenant().events);
    expect(schemaErrors(doc)).toEqual([]);
    const broken = JSON.parse(JSON.stringify(doc));
    broken['assessment-results'].results[0]['reviewed-controls']['control-selections'][0]['include-controls'][0]['control-id'] = 'MCSB IM-1';
    broken['assessment-results'].metadata['last-modified'] = '2025-04-01 02:00';
    broken['assessment-results'].results[0].findings[0].target.status.state = 'passed';
    const errors = schemaErrors(broken).join('\n');
    expect(errors).toMatch(/include-controls\/0\/control-id must match pattern/);
    expect(errors).toMatch(/last-modified must match format "date-time"/);
    expect(errors).toMatch(/status\/state must be equal to one of the allowed values/);
  });

  it('compliant only: every control of the assigned baseline is satisfied', () => {
    const { doc, verdicts, result } = assess(compliantTenant().events);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual(Object.fromEntries(CORE_CONTROLS.map((c) => [c, 'satisfied'])));
    expect(result['reviewed-controls']['control-selections']).toEqual([
      { props: [{ name: 'framework', ns: 'urn:rampart:oscal', value: 'CIS-Azure' }], 'include-controls': [{ 'control-id': 'cis-azure-9.1' }] },
      { props: [{ name: 'framework', ns: 'urn:rampart:oscal', value: 'ISO27001' }], 'include-controls': [{ 'control-id': 'iso27001-a.8.5' }] },
      { props: [{ name: 'framework', ns: 'urn:rampart:oscal', value: 'MCSB' }], 'include-controls': [{ 'control-id': 'mcsb-dp-3' }, { 'control-id': 'mcsb-im-1' }] },
    ]);
    // Only the summaries: nothing failing or exempt to show.
    expect((result.observations as Json[]).every((o) => o.types[0] === 'control-objective')).toBe(true);
  });

  it('non-compliant at the end: the controls of that guardrail are not satisfied, with the evidence', () => {
    const { log, events } = compliantTenant();
    const change = log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'nonCompliant', { at: IN_PERIOD, reason: 'authentication is disabled' });
    const opened = log.findingOpened(WEB_APP, 'web-app-without-authentication', 'f-1');
    const { doc, verdicts, evidenceOf, result } = assess([...events, change, opened]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual({ 'cis-azure-9.1': 'not-satisfied', 'iso27001-a.8.5': 'not-satisfied', 'mcsb-im-1': 'not-satisfied', 'mcsb-dp-3': 'satisfied' });

    const [summary, evidence] = evidenceOf('mcsb-im-1');
    expect(summary.props).toEqual(expect.arrayContaining([{ name: 'non-compliant', ns: 'urn:rampart:oscal', value: '1' }, { name: 'findings-opened', ns: 'urn:rampart:oscal', value: '1' }]));
    const props = Object.fromEntries((evidence.props as Json[]).map((p) => [p.name, p.value]));
    expect(props).toMatchObject({
      'guardrail-id': 'web-app-without-authentication',
      'resource-id': WEB_APP.id,
      'posture-state': 'nonCompliant',
      since: IN_PERIOD,
      'finding-id': 'f-1',
    });
    expect(evidence['relevant-evidence']).toEqual([
      expect.objectContaining({
        href: `urn:rampart:event:${change.eventId}`,
        props: expect.arrayContaining([{ name: 'log-position', ns: 'urn:rampart:oscal', value: `${change.globalPosition.commit}/${change.globalPosition.prepare}` }]),
      }),
    ]);
    expect(evidence.collected).toBe(change.recordedAt);
    // The subject is an inventory item the result defines.
    const item = (result['local-definitions']['inventory-items'] as Json[]).find((i) => i.uuid === evidence.subjects[0]['subject-uuid'])!;
    expect(item.description).toContain(WEB_APP.id);
    // The same observation backs every control of the guardrail.
    expect(evidenceOf('iso27001-a.8.5')[1].uuid).toBe(evidence.uuid);
  });

  it('resolved within the period: satisfied, and the summary counts the finding opened and resolved', () => {
    const { log, events } = compliantTenant();
    const { verdicts, evidenceOf, doc } = assess([
      ...events,
      log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'nonCompliant', { at: IN_PERIOD }),
      log.findingOpened(WEB_APP, 'web-app-without-authentication', 'f-1'),
      log.posture(WEB_APP, 'web-app-without-authentication', 'nonCompliant', 'compliant', { at: LATER_IN_PERIOD }),
      log.findingResolved(WEB_APP, 'web-app-without-authentication', 'f-1', 'compliant'),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts['mcsb-im-1']).toBe('satisfied');
    const [summary, ...rest] = evidenceOf('mcsb-im-1');
    expect(rest).toEqual([]);
    expect(summary.description).toMatch(/1 compliant, 0 non-compliant.*opened in the period: 1; resolved: 1/);
  });

  it('non-compliant before the period and never fixed: not satisfied, evidence dated before the period', () => {
    const { log, events } = compliantTenant();
    const before = log.posture(STORAGE, 'storage-http-allowed', 'compliant', 'nonCompliant', { at: '2025-02-15T08:00:00.000Z' });
    const { verdicts, evidenceOf, doc } = assess([...events, before, log.assignBaseline('asg-extra', 'financial-services', { at: IN_PERIOD })]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts['mcsb-dp-3']).toBe('not-satisfied');
    expect(evidenceOf('mcsb-dp-3')[1].props).toEqual(expect.arrayContaining([{ name: 'since', ns: 'urn:rampart:oscal', value: '2025-02-15T08:00:00.000Z' }]));
    // A baseline assigned during the period brings its guardrails' controls into scope.
    expect(verdicts['mcsb-ns-2']).toBe('satisfied');
  });

  it('exempt: satisfied, and the exemption is shown with its justification and approver', () => {
    const { log, events } = compliantTenant();
    const { verdicts, evidenceOf, doc } = assess([
      ...events,
      log.posture(STORAGE, 'storage-http-allowed', 'compliant', 'nonCompliant', { at: IN_PERIOD }),
      log.findingOpened(STORAGE, 'storage-http-allowed', 'f-2'),
      log.requestExemption('exm-1', 'storage-http-allowed', STORAGE.key),
      log.grantExemption('exm-1'),
      log.posture(STORAGE, 'storage-http-allowed', 'nonCompliant', 'exempt', { exemptionId: 'exm-1' }),
      log.findingResolved(STORAGE, 'storage-http-allowed', 'f-2', 'exempted'),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts['mcsb-dp-3']).toBe('satisfied');
    const [, exempt] = evidenceOf('mcsb-dp-3');
    expect(exempt.types).toEqual(['mitigation']);
    const props = Object.fromEntries((exempt.props as Json[]).map((p) => [p.name, p.value]));
    expect(props).toMatchObject({
      'posture-state': 'exempt',
      'exemption-id': 'exm-1',
      'exemption-status': 'granted',
      'exemption-approved-by': 'ben@soc.example',
      'exemption-justification': 'Reached only through the WAF; authentication is enforced there.',
    });
    expect(props['finding-id']).toBeUndefined();
  });

  it('error: a resource that could not be evaluated leaves its controls not satisfied', () => {
    const { log, events } = compliantTenant();
    const { verdicts, evidenceOf, doc } = assess([...events, log.posture(STORAGE, 'storage-http-allowed', 'compliant', 'error', { at: IN_PERIOD, reason: 'unknown alias' })]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts['mcsb-dp-3']).toBe('not-satisfied');
    expect(evidenceOf('mcsb-dp-3')[1].title).toMatch(/not evaluable/);
  });

  it('no baseline: a valid document that reviewed no control', () => {
    const { doc, result, findings } = assess([]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(findings).toEqual([]);
    expect(result['reviewed-controls']['control-selections'][0]['include-controls']).toBeUndefined();
    expect(result.start).toBe(PERIOD.from.toISOString());
    expect(result.end).toBe(PERIOD.to.toISOString());
  });

  it('a baseline unassigned before the period is out of scope; one unassigned during it is in', () => {
    const log = new TenantLog();
    const events = [
      log.assignBaseline('asg-old', 'financial-services', { at: '2025-01-05T09:00:00.000Z' }),
      log.unassignBaseline('asg-old', 'financial-services'),
      log.assignBaseline('asg-core', 'landing-zone-core'),
      log.unassignBaseline('asg-core', 'landing-zone-core', { at: IN_PERIOD }),
    ];
    expect(Object.keys(assess(events).verdicts).sort()).toEqual(CORE_CONTROLS);
  });

  it('a guardrail with posture in the period counts even without its baseline, and the worst assignment decides', () => {
    const { log, events } = compliantTenant();
    const { verdicts, evidenceOf, doc } = assess([
      ...events,
      log.posture(OTHER_WEB_APP, 'web-app-public-network-access', null, 'compliant', { at: IN_PERIOD, assignmentId: 'asg-a', baselineId: 'financial-services' }),
      log.posture(OTHER_WEB_APP, 'web-app-public-network-access', null, 'nonCompliant', { assignmentId: 'asg-b', baselineId: 'financial-services' }),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toMatchObject({ 'mcsb-ns-2': 'not-satisfied', 'iso27001-a.8.20': 'not-satisfied' });
    const observations = evidenceOf('mcsb-ns-2');
    expect(observations).toHaveLength(2);
    expect(observations[1]['relevant-evidence']).toHaveLength(1);
    expect(observations[1]['relevant-evidence'][0].props).toEqual(expect.arrayContaining([{ name: 'assignment-id', ns: 'urn:rampart:oscal', value: 'asg-b' }]));
  });

  it('a resource removed (not applicable) leaves the evaluation', () => {
    const { log, events } = compliantTenant();
    const { verdicts } = assess([
      ...events,
      log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'nonCompliant', { at: IN_PERIOD }),
      log.posture(WEB_APP, 'web-app-without-authentication', 'nonCompliant', 'notApplicable'),
    ]);
    expect(verdicts['mcsb-im-1']).toBe('satisfied');
  });

  it('describes the export: metadata, parties, tenant, plan, deterministic UUIDs', () => {
    const story = breachStory().events;
    const first = assess(story).doc;
    expect(assess(story).doc).toEqual(first);
    const ar = first['assessment-results'];
    expect(ar.metadata).toMatchObject({
      'last-modified': '2025-04-01T02:00:00.000Z',
      version: 'exp-2025-03-contoso',
      'oscal-version': '1.1.3',
      props: [
        { name: 'tenant-id', ns: 'urn:rampart:oscal', value: 'contoso' },
        { name: 'export-id', ns: 'urn:rampart:oscal', value: 'exp-2025-03-contoso' },
      ],
      'responsible-parties': [{ 'role-id': 'prepared-by', 'party-uuids': [ar.metadata.parties[0].uuid] }],
    });
    expect(ar['import-ap'].href).toBe('urn:rampart:assessment-plan:contoso');
    const other = assess(story, exportContext({ exportId: 'exp-other' })).doc['assessment-results'];
    expect(other.uuid).not.toBe(ar.uuid);
    expect(other.results[0].findings[0].uuid).not.toBe(ar.results[0].findings[0].uuid);
    const origin = ar.results[0].findings[0].origins[0].actors[0];
    expect(ar.results[0]['local-definitions']['assessment-assets']['assessment-platforms'][0].uuid).toBe(origin['actor-uuid']);
  });

  it('keeps state per resource and guardrail, not per event: a thousand flips make the same document', () => {
    const flips = (n: number) => {
      const { log, events } = compliantTenant();
      const out = [...events];
      log.at(IN_PERIOD);
      for (let i = 0; i < n; i++) {
        out.push(log.posture(WEB_APP, 'web-app-without-authentication', i % 2 ? 'nonCompliant' : 'compliant', i % 2 ? 'compliant' : 'nonCompliant'));
      }
      return assess(out).result;
    };
    const few = flips(3);
    const many = flips(1_001);
    expect(many.observations.length).toBe(few.observations.length);
    expect(JSON.stringify(many).length - JSON.stringify(few).length).toBeLessThan(200);
  });

  it('takes a late event from before the period (commit order is not time order at the boundary) as state at its start', () => {
    const log = new TenantLog();
    const assessment = new OscalAssessment(exportContext());
    assessment.seed(log.assignBaseline('asg-core', 'landing-zone-core', { at: '2025-02-01T09:00:00.000Z' }));
    assessment.add(log.posture(WEB_APP, 'web-app-without-authentication', null, 'compliant', { at: '2025-03-01T00:00:00.100Z' }));
    assessment.seed(log.assignBaseline('asg-fs', 'financial-services', { at: '2025-02-28T23:59:59.900Z' }));
    assessment.seed(log.posture(STORAGE, 'storage-public-network-access', null, 'nonCompliant', { assignmentId: 'asg-fs', baselineId: 'financial-services' }));
    assessment.seed(log.findingOpened(STORAGE, 'storage-public-network-access', 'f-late', { assignmentId: 'asg-fs' }));
    const doc = assessment.document() as Json;
    expect(schemaErrors(doc)).toEqual([]);
    const findings = doc['assessment-results'].results[0].findings as Json[];
    const ns2 = findings.find((f) => f.target['target-id'] === 'mcsb-ns-2_obj')!;
    expect(ns2.target.status.state).toBe('not-satisfied');
    const summary = (doc['assessment-results'].results[0].observations as Json[]).find((o) => o.uuid === ns2['related-observations'][0]['observation-uuid'])!;
    expect(summary.description).toMatch(/opened in the period: 0;/);
  });

  it('refuses events of another tenant', () => {
    const assessment = new OscalAssessment(exportContext());
    expect(() => assessment.seed(new TenantLog('fabrikam').assignBaseline('asg-1', 'landing-zone-core', { actor: ANA }))).toThrow(/belongs to tenant fabrikam/);
    expect(() => assessment.add(new TenantLog('fabrikam').assignBaseline('asg-1', 'landing-zone-core', { actor: ANA }))).toThrow(/belongs to tenant fabrikam/);
  });
});

describe('OscalAssessment: attestations', () => {
  const AC_1 = 'nist-sp-800-53-r5-ac-1';
  const propsOf = (o: Json) => Object.fromEntries((o.props as Json[]).map((p) => [p.name, p.value]));
  const endedCount = (result: Json) => (result.props as Json[] | undefined)?.find((p) => p.name === 'attestations-ended-in-period')?.value;

  it('holding at the end: a satisfied finding on the control objective, its observation naming every evidence file by SHA-256', () => {
    const { log, events } = compliantTenant();
    const recorded = log.recordAttestation('att-ac-1', { at: IN_PERIOD });
    const { doc, verdicts, evidenceOf, findings, result } = assess([...events, recorded]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual({ ...Object.fromEntries(CORE_CONTROLS.map((c) => [c, 'satisfied'])), [AC_1]: 'satisfied' });

    const finding = findings.find((f) => f.target['target-id'] === `${AC_1}_obj`)!;
    expect(finding.target).toMatchObject({ type: 'objective-id', status: { state: 'satisfied', reason: 'pass' } });
    expect(finding.description).toMatch(/satisfied by attestation until 2025-09-30T00:00:00.000Z/);
    const [observation, ...more] = evidenceOf(AC_1);
    expect(more).toEqual([]);
    expect(observation).toMatchObject({ methods: ['EXAMINE'], types: ['control-objective'], collected: recorded.recordedAt, expires: '2025-09-30T00:00:00.000Z' });
    expect(observation.description).toContain('The access control policy is reviewed and approved by the CISO every quarter.');
    expect(propsOf(observation)).toEqual({
      'attestation-id': 'att-ac-1',
      'standard-id': 'nist-sp-800-53-r5',
      'control-id': 'AC-1',
      'attested-by': ANA.id,
      'valid-until': '2025-09-30T00:00:00.000Z',
    });
    const evidence = observation['relevant-evidence'] as Json[];
    expect(evidence.map((e) => e.href)).toEqual([...EVIDENCE.map((f) => `urn:rampart:evidence:sha256:${f.sha256}`), `urn:rampart:event:${recorded.eventId}`]);
    expect(propsOf(evidence[1])).toEqual({ sha256: EVIDENCE[1].sha256, 'file-name': 'review-minutes 2025-Q1.docx', 'media-type': EVIDENCE[1].mediaType, size: '18204' });
    expect(evidence[1].description).toContain('review-minutes 2025-Q1.docx (application/vnd.openxmlformats-officedocument.wordprocessingml.document, 18204 bytes)');
    expect(propsOf(evidence[2])).toMatchObject({ 'event-id': recorded.eventId, 'log-position': `${recorded.globalPosition.commit}/${recorded.globalPosition.prepare}` });

    // Reviewed next to the guardrail frameworks, as a selection of its own standard.
    const selections = result['reviewed-controls']['control-selections'] as Json[];
    expect(selections).toHaveLength(4);
    expect(selections[3]).toMatchObject({ props: [{ name: 'standard-id', ns: 'urn:rampart:oscal', value: 'nist-sp-800-53-r5' }], 'include-controls': [{ 'control-id': AC_1 }] });
    expect(endedCount(result)).toBeUndefined();
  });

  it('only attestations: the reviewed controls are the attested ones, one selection per standard', () => {
    const log = new TenantLog();
    const { doc, result, verdicts } = assess([
      log.recordAttestation('att-pv-1', { standardId: 'mcsb', controlId: 'PV-1', at: IN_PERIOD }),
      log.recordAttestation('att-ac-2', { controlId: 'AC-2' }),
      log.recordAttestation('att-ac-1', { controlId: 'AC-1' }),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual({ [AC_1]: 'satisfied', 'nist-sp-800-53-r5-ac-2': 'satisfied', 'mcsb-pv-1': 'satisfied' });
    expect(result['reviewed-controls']['control-selections']).toEqual([
      expect.objectContaining({ props: [expect.objectContaining({ value: 'mcsb' })], 'include-controls': [{ 'control-id': 'mcsb-pv-1' }] }),
      expect.objectContaining({ props: [expect.objectContaining({ value: 'nist-sp-800-53-r5' })], 'include-controls': [{ 'control-id': AC_1 }, { 'control-id': 'nist-sp-800-53-r5-ac-2' }] }),
    ]);
    // Sorted by control, whatever order they were recorded in.
    expect((result.observations as Json[]).map((o) => propsOf(o)['attestation-id'])).toEqual(['att-pv-1', 'att-ac-1', 'att-ac-2']);
  });

  it('several holding for one control: one finding, until the longest, with an observation for each', () => {
    const log = new TenantLog();
    const { doc, findings, evidenceOf } = assess([
      log.recordAttestation('att-b', { validUntil: '2025-12-31T00:00:00.000Z', at: IN_PERIOD }),
      log.recordAttestation('att-a', { controlId: 'ac-1', evidence: [EVIDENCE[0]] }),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0].description).toMatch(/until 2025-12-31T00:00:00.000Z/);
    expect(evidenceOf(AC_1).map((o: Json) => propsOf(o)['attestation-id'])).toEqual(['att-a', 'att-b']);
    expect(evidenceOf(AC_1)[0]['relevant-evidence']).toHaveLength(2);
  });

  it('revoked before the end: no finding, and counted as ended in the period', () => {
    const log = new TenantLog();
    const events = [log.recordAttestation('att-ac-1', { at: '2025-02-10T09:00:00.000Z' }), log.revokeAttestation('att-ac-1', undefined, { at: IN_PERIOD })];
    const before = assess(events.slice(0, 1));
    expect(before.verdicts).toEqual({ [AC_1]: 'satisfied' });
    const { doc, findings, result } = assess(events);
    expect(schemaErrors(doc)).toEqual([]);
    expect(findings).toEqual([]);
    expect(result.observations).toBeUndefined();
    expect(result['reviewed-controls']['control-selections'][0].remarks).toMatch(/no control was reviewed/);
    expect(endedCount(result)).toBe('1');
  });

  it('pending approval: nothing until a second person approves, then satisfied from the approval', () => {
    const log = new TenantLog();
    const recorded = log.recordAttestation('att-ac-1', { approvalRequired: true, at: IN_PERIOD });
    const pending = assess([log.setAttestationPolicy(true, { at: '2025-02-01T10:00:00.000Z' }), recorded]);
    expect(schemaErrors(pending.doc)).toEqual([]);
    expect(pending.findings).toEqual([]);
    expect(endedCount(pending.result)).toBeUndefined();

    const approved = log.approveAttestation('att-ac-1', { at: LATER_IN_PERIOD });
    const { doc, verdicts, evidenceOf } = assess([recorded, approved]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual({ [AC_1]: 'satisfied' });
    const [observation] = evidenceOf(AC_1);
    expect(propsOf(observation)['approved-by']).toBe(BEN.id);
    expect(observation.collected).toBe(approved.recordedAt);
    expect((observation['relevant-evidence'] as Json[]).slice(-2).map((e) => e.href)).toEqual([`urn:rampart:event:${recorded.eventId}`, `urn:rampart:event:${approved.eventId}`]);
  });

  it('rejected while pending: never satisfied, counted as ended', () => {
    const log = new TenantLog();
    const { findings, result } = assess([log.recordAttestation('att-ac-1', { approvalRequired: true, at: IN_PERIOD }), log.rejectAttestation('att-ac-1'), log.approveAttestation('att-ac-1')]);
    expect(findings).toEqual([]);
    expect(endedCount(result)).toBe('1');
  });

  it('valid until before the end of the period: not satisfied, even with no expiry recorded', () => {
    const log = new TenantLog();
    const lapsed = [
      log.recordAttestation('att-ac-1', { validUntil: '2025-03-15T00:00:00.000Z', at: '2025-02-10T09:00:00.000Z' }),
      // Valid until the instant the period ends: it does not hold at that end.
      log.recordAttestation('att-ac-2', { controlId: 'AC-2', validUntil: PERIOD.to.toISOString() }),
    ];
    const { doc, findings, result } = assess(lapsed);
    expect(schemaErrors(doc)).toEqual([]);
    expect(findings).toEqual([]);
    expect(endedCount(result)).toBe('2');
    // The expiry the worker records later changes nothing: it stopped holding at its validUntil.
    const expired = assess([...lapsed, log.expireAttestation('att-ac-1', '2025-03-15T00:00:00.000Z', { at: LATER_IN_PERIOD })]);
    expect(expired.findings).toEqual([]);
    expect(endedCount(expired.result)).toBe('2');
  });

  it('counts an attestation that ended before the period in no way, even when its expiry is recorded in it', () => {
    const log = new TenantLog();
    const { findings, result } = assess([
      log.recordAttestation('att-ac-1', { validUntil: '2025-02-20T00:00:00.000Z', at: '2025-02-10T09:00:00.000Z' }),
      log.recordAttestation('att-ac-2', { controlId: 'AC-2' }),
      log.revokeAttestation('att-ac-2'),
      log.expireAttestation('att-ac-1', '2025-02-20T00:00:00.000Z', { at: IN_PERIOD }),
    ]);
    expect(findings).toEqual([]);
    expect(endedCount(result)).toBeUndefined();
  });

  it('a control guardrails also check keeps their verdict: the attestation is shown, never hides a failing check', () => {
    const { log, events } = compliantTenant();
    const { doc, verdicts, evidenceOf, findings, result } = assess([
      ...events,
      log.recordAttestation('att-im-1', { standardId: 'MCSB', controlId: 'IM-1', at: IN_PERIOD }),
      log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'nonCompliant', { at: LATER_IN_PERIOD }),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts['mcsb-im-1']).toBe('not-satisfied');
    expect(findings.filter((f) => f.target['target-id'] === 'mcsb-im-1_obj')).toHaveLength(1);
    const observations = evidenceOf('mcsb-im-1');
    expect(observations.map((o: Json) => o.types[0])).toEqual(['control-objective', 'finding', 'control-objective']);
    expect(propsOf(observations[2])['attestation-id']).toBe('att-im-1');
    expect(findings.find((f) => f.target['target-id'] === 'mcsb-im-1_obj')!.description).toMatch(/guardrails' verdict stands/);
    // Listed once, under the framework the guardrails name.
    const listed = (result['reviewed-controls']['control-selections'] as Json[]).flatMap((c) => c['include-controls'].map((i: Json) => i['control-id']));
    expect(listed.filter((id) => id === 'mcsb-im-1')).toHaveLength(1);
  });

  it('is deterministic and keeps the attestation UUIDs stable within an export', () => {
    const build = () => {
      const log = new TenantLog();
      return assess([log.recordAttestation('att-ac-1', { at: IN_PERIOD }), log.recordAttestation('att-pv-1', { standardId: 'mcsb', controlId: 'PV-1' })]).doc;
    };
    expect(build()).toEqual(build());
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });
});

describe('OscalAssessment: proof of coverage', () => {
  const HOUR = 3_600_000;
  const propsOf = (o: { props?: Json[] }) => Object.fromEntries((o.props ?? []).map((p) => [p.name, p.value]));
  const coverageOf = (result: Json) => {
    const href = (result.links as Json[] | undefined)?.[0]?.href as string | undefined;
    return href ? (result.observations as Json[]).find((o) => `#${o.uuid}` === href) : undefined;
  };
  const ALL_NOT_SATISFIED = Object.fromEntries(CORE_CONTROLS.map((c) => [c, 'not-satisfied']));
  const ALL_SATISFIED = Object.fromEntries(CORE_CONTROLS.map((c) => [c, 'satisfied']));

  /** The core baseline, both resources discovered on 1 February and evaluated compliant then; nothing since. */
  const collectedTenant = () => {
    const log = new TenantLog();
    const webApp = log.discoverResource(WEB_APP, { at: '2025-02-01T09:00:00.000Z' });
    const storage = log.discoverResource(STORAGE);
    const events = [
      log.assignBaseline('asg-core', 'landing-zone-core'),
      webApp,
      storage,
      log.posture(WEB_APP, 'web-app-without-authentication', null, 'compliant'),
      log.posture(STORAGE, 'storage-http-allowed', null, 'compliant'),
    ];
    return { log, events, discovered: { webApp, storage } };
  };

  it('a complete snapshot within the interval proves coverage, with no change to the resources in the period', () => {
    const { log, events } = collectedTenant();
    const run = log.ingestionRun('run-weekly', '*', { at: '2025-03-28T03:00:00.000Z' });
    const { doc, result, verdicts } = assess([...events, ...run]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual(ALL_SATISFIED);
    expect(propsOf(result)).toMatchObject({ 'coverage-score': '1', resources: '2', 'resources-evaluated': '2', 'resources-not-evaluated': '0', 'max-evidence-age-hours': '168' });
    const coverage = coverageOf(result)!;
    expect(coverage).toMatchObject({ methods: ['EXAMINE'], collected: PERIOD.to.toISOString() });
    expect(coverage.description).toMatch(/^Rampart's proof of coverage at the end of the period/);
    expect(coverage.subjects).toBeUndefined();
    expect(propsOf(coverage)).toMatchObject({ 'coverage-score': '1', 'oldest-evidence-at': run[1].recordedAt });
    // Nothing failing, so no finding points to it.
    expect(result.findings.every((f: Json) => f['related-observations'].every((r: Json) => r['observation-uuid'] !== coverage.uuid))).toBe(true);
  });

  it('a resource last collected longer ago than the interval is not evaluated: its compliant pairs no longer satisfy a control', () => {
    const { events, discovered } = collectedTenant();
    const { doc, result, verdicts, evidenceOf, findings } = assess(events);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual(ALL_NOT_SATISFIED);
    expect(findings.find((f) => f.target['target-id'] === 'mcsb-dp-3_obj')!.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(propsOf(result)).toMatchObject({ 'coverage-score': '0', resources: '2', 'resources-evaluated': '0', 'resources-not-evaluated': '2' });

    const [summary, stale, coverage, ...rest] = evidenceOf('mcsb-dp-3');
    expect(rest).toEqual([]);
    expect(propsOf(summary)).toMatchObject({ compliant: '0', 'not-evaluated': '1', error: '0' });
    expect(summary.description).toMatch(/0 compliant, 0 non-compliant, 0 not evaluable, 1 not evaluated within 168 h/);
    expect(stale.types).toEqual(['finding']);
    expect(stale.title).toBe(`Storage account accepts HTTP: not evaluated within 168 h on ${STORAGE.id}`);
    expect(stale.description).toContain(`not evaluated within 168 h: last collected at ${discovered.storage.recordedAt}`);
    expect(propsOf(stale)).toMatchObject({
      'posture-state': 'notEvaluated',
      'recorded-state': 'compliant',
      'last-collected-at': discovered.storage.recordedAt,
      'max-evidence-age-hours': '168',
    });
    // The finding points to the proof of coverage, the result links it.
    expect(coverage.uuid).toBe(coverageOf(result)!.uuid);

    // Its subjects: the resources not evaluated, oldest evidence first, each an inventory item of the result.
    const items = result['local-definitions']['inventory-items'] as Json[];
    expect(coverage.subjects.map((s: Json) => [s.title, propsOf(s)['last-collected-at']])).toEqual([
      [WEB_APP.id, discovered.webApp.recordedAt],
      [STORAGE.id, discovered.storage.recordedAt],
    ]);
    for (const subject of coverage.subjects) expect(items.some((i) => i.uuid === subject['subject-uuid'])).toBe(true);
  });

  it('a partial run, a failed one or one of another scope proves nothing; a complete one of the resource group covers what it holds', () => {
    const { log, events, discovered } = collectedTenant();
    const proveNothing = [
      ...log.ingestionRun('run-push', '*', { complete: false, at: '2025-03-28T03:00:00.000Z' }),
      ...log.ingestionRun('run-failed', '*', { outcome: 'failed', at: '2025-03-29T03:00:00.000Z' }),
      ...log.ingestionRun('run-other', '/subscriptions/99999999-0000-4000-8000-000000000000', { at: '2025-03-30T03:00:00.000Z' }),
    ];
    const partial = assess([...events, ...proveNothing]);
    expect(schemaErrors(partial.doc)).toEqual([]);
    expect(partial.verdicts).toEqual(ALL_NOT_SATISFIED);
    expect(propsOf(partial.evidenceOf('mcsb-dp-3')[1])['last-collected-at']).toBe(discovered.storage.recordedAt);

    // ARM's casing in the scope, the inventory's lowercase in the key: the same resource group.
    const shop = log.ingestionRun('run-shop', `${SUBSCRIPTION}/resourceGroups/rg-shop`, { at: '2025-03-30T06:00:00.000Z' });
    const { doc, verdicts, result } = assess([...events, ...proveNothing, ...shop]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toEqual({ 'cis-azure-9.1': 'satisfied', 'iso27001-a.8.5': 'satisfied', 'mcsb-im-1': 'satisfied', 'mcsb-dp-3': 'not-satisfied' });
    expect(propsOf(result)).toMatchObject({ 'coverage-score': '0.5', 'resources-evaluated': '1', 'resources-not-evaluated': '1' });
    expect(coverageOf(result)!.subjects.map((s: Json) => s.title)).toEqual([STORAGE.id]);
  });

  it("a resource's own change collects it; a run started before the period and completed in it counts; a removed resource leaves the count", () => {
    const { log, events } = collectedTenant();
    // The run sees the web app's resource group only; the storage account is collected by its change.
    const started = log.ingestionRun('run-long', `${SUBSCRIPTION}/resourceGroups/rg-shop`, { at: '2025-02-28T23:59:00.000Z', minutes: 24 * 60 * 30 });
    const changed = log.changeResource(STORAGE, { at: '2025-03-31T12:00:00.000Z' });
    const { doc, verdicts, result } = assess([...events, ...started, changed]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(Date.parse(started[0].recordedAt)).toBeLessThan(PERIOD.from.getTime());
    expect(verdicts).toEqual(ALL_SATISFIED);
    expect(propsOf(coverageOf(result)!)['oldest-evidence-at']).toBe(started[1].recordedAt);

    const removed = assess([...events, log.removeResource(WEB_APP, { at: '2025-03-31T13:00:00.000Z' }), log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'notApplicable'), changed]);
    expect(propsOf(removed.result)).toMatchObject({ 'coverage-score': '1', resources: '1', 'resources-evaluated': '1' });
  });

  it("honours the tenant's interval: a coverage policy set before the period, its event the evidence; the default is a week, to the millisecond", () => {
    const { log, events } = collectedTenant();
    const run = log.ingestionRun('run-weekly', '*', { at: '2025-03-28T03:00:00.000Z' });
    const policy = log.setCoveragePolicy(24, { at: '2025-02-15T10:00:00.000Z' });
    const daily = assess([...events, policy, ...run]);
    expect(schemaErrors(daily.doc)).toEqual([]);
    expect(daily.verdicts).toEqual(ALL_NOT_SATISFIED);
    expect(propsOf(daily.result)).toMatchObject({ 'max-evidence-age-hours': '24', 'resources-not-evaluated': '2' });
    const [, stale] = daily.evidenceOf('mcsb-dp-3');
    expect(stale.description).toContain(`not evaluated within 24 h: last collected at ${run[1].recordedAt}`);
    expect(coverageOf(daily.result)!['relevant-evidence']).toEqual([expect.objectContaining({ href: `urn:rampart:event:${policy.eventId}` })]);

    // Ninety days: the discovery on 1 February is evidence enough.
    const quarterly = assess([...events, log.setCoveragePolicy(2160, { at: '2025-03-02T10:00:00.000Z' })]);
    expect(quarterly.verdicts).toEqual(ALL_SATISFIED);
    expect(propsOf(quarterly.result)['max-evidence-age-hours']).toBe('2160');

    // No policy: 168 h; evidence exactly that old still counts, a millisecond more does not.
    const weekOld = log.ingestionRun('run-week-old', '*', { at: '2025-03-24T12:00:00.000Z' });
    const boundary = Date.parse(weekOld[1].recordedAt) + 168 * HOUR;
    const atBoundary = assess([...events, ...weekOld], exportContext({ to: new Date(boundary) }));
    expect(propsOf(atBoundary.result)).toMatchObject({ 'coverage-score': '1', 'max-evidence-age-hours': '168' });
    expect(coverageOf(atBoundary.result)!['relevant-evidence'][0].description).toMatch(/never set a coverage policy .* default interval of 168 h/);
    const past = assess([...events, ...weekOld], exportContext({ to: new Date(boundary + 1) }));
    expect(propsOf(past.result)).toMatchObject({ 'coverage-score': '0', 'resources-not-evaluated': '2' });
  });

  it('keeps what the evaluator found on a stale resource: non-compliant stays non-compliant, exempt stays exempt', () => {
    const { log, events, discovered } = collectedTenant();
    const { doc, verdicts, evidenceOf } = assess([
      ...events,
      log.posture(WEB_APP, 'web-app-without-authentication', 'compliant', 'nonCompliant', { at: '2025-02-10T10:00:00.000Z' }),
      log.requestExemption('exm-1', 'storage-http-allowed', STORAGE.key),
      log.grantExemption('exm-1'),
      log.posture(STORAGE, 'storage-http-allowed', 'compliant', 'exempt', { exemptionId: 'exm-1' }),
    ]);
    expect(schemaErrors(doc)).toEqual([]);
    expect(verdicts).toMatchObject({ 'mcsb-im-1': 'not-satisfied', 'mcsb-dp-3': 'satisfied' });
    const [, nonCompliant] = evidenceOf('mcsb-im-1');
    expect(propsOf(nonCompliant)).toMatchObject({ 'posture-state': 'nonCompliant', 'last-collected-at': discovered.webApp.recordedAt });
    expect(propsOf(nonCompliant)['recorded-state']).toBeUndefined();
    expect(propsOf(evidenceOf('mcsb-dp-3')[1])['posture-state']).toBe('exempt');
  });

  it(`names at most ${COVERAGE_SUBJECTS_LISTED} resources not evaluated, oldest evidence first then by key, and is deterministic`, () => {
    const build = () => {
      const log = new TenantLog();
      const many: Resource[] = Array.from({ length: 52 }, (_, i) => {
        const id = `${SUBSCRIPTION}/resourceGroups/rg-many/providers/Microsoft.Storage/storageAccounts/acct${String(51 - i).padStart(2, '0')}`;
        return { id, key: id.toLowerCase(), type: 'microsoft.storage/storageaccounts' };
      });
      // Discovered one by one, then all seen by one complete snapshot: their evidence is equally old.
      const events = [...many.map((r) => log.discoverResource(r)), ...log.ingestionRun('run-many', `${SUBSCRIPTION}/resourceGroups/rg-many`, { at: '2025-02-10T00:00:00.000Z' })];
      const { result, doc } = assess(events);
      return { many, result, doc };
    };
    const { many, result, doc } = build();
    expect(schemaErrors(doc)).toEqual([]);
    const coverage = coverageOf(result)!;
    expect(propsOf(coverage)).toMatchObject({ resources: '52', 'resources-not-evaluated': '52', 'coverage-score': '0' });
    expect(coverage.description).toContain('the 50 of the 52 resource(s) not evaluated');
    expect(coverage.subjects.map((s: Json) => s.title)).toEqual(many.map((r) => r.id).sort().slice(0, 50));
    expect(JSON.stringify(build().doc)).toBe(JSON.stringify(doc));
  });

  it('without an inventory: no coverage observation, counts of zero and no score', () => {
    const { result } = assess(compliantTenant().events);
    expect(coverageOf(result)).toBeUndefined();
    const props = propsOf(result);
    expect(props).toMatchObject({ resources: '0', 'resources-evaluated': '0', 'resources-not-evaluated': '0', 'max-evidence-age-hours': '168' });
    expect(props['coverage-score']).toBeUndefined();
  });
});
