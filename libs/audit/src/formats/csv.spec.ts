import { CSV_COLUMNS, CSV_HEADER, CSV_LINE_END, csvField, csvRow } from './csv';
import { SUMMARY_MAX_LENGTH, summarize } from './summary';
import { BEN, EVIDENCE, TenantLog, WEB_APP, breachStory } from './testing/fixtures';

/** RFC 4180 read back, written independently of the code under test: quoted fields, doubled quotes, CRLF rows. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
};

describe('events.csv', () => {
  const { events, findingId } = breachStory();
  const file = [CSV_HEADER, ...events.map(csvRow)].map((line) => line + CSV_LINE_END).join('');
  const rows = parseCsv(file);
  const cell = (row: string[], column: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(column)];

  it('has the header and one row per event, each with every column', () => {
    expect(rows[0]).toEqual([
      'global_position', 'recorded_at', 'tenant_id', 'stream_id', 'revision', 'event_type', 'event_id',
      'actor_kind', 'actor_id', 'actor_issued_by', 'on_behalf_of', 'correlation_id', 'causation_id', 'summary', 'data_json',
    ]);
    expect(rows).toHaveLength(events.length + 1);
    rows.forEach((row) => expect(row).toHaveLength(15));
  });

  it("names the person behind an API key's work (the actor chain)", () => {
    const keyed = { ...events[0], metadata: { ...events[0].metadata, actor: { kind: 'api-key' as const, id: 'k1', issuedBy: { kind: 'user' as const, id: 'lead@soc.example' }, onBehalfOfTenant: 'contoso' } } };
    const row = parseCsv(csvRow(keyed) + CSV_LINE_END)[0];
    expect([cell(row, 'actor_kind'), cell(row, 'actor_id'), cell(row, 'actor_issued_by'), cell(row, 'on_behalf_of')]).toEqual(['api-key', 'k1', 'lead@soc.example', 'contoso']);
  });

  it('carries the envelope: position, actor, on-behalf-of, correlation and the payload as JSON', () => {
    const approval = events.findIndex((e) => e.type === 'incidents.ActionApproved.v1');
    const row = rows[approval + 1];
    const e = events[approval];
    expect(cell(row, 'global_position')).toBe(`${e.globalPosition.commit}/${e.globalPosition.prepare}`);
    expect(cell(row, 'actor_kind')).toBe('user');
    expect(cell(row, 'actor_id')).toBe(BEN.id);
    expect(cell(row, 'actor_issued_by')).toBe('');
    expect(cell(row, 'on_behalf_of')).toBe('contoso');
    expect(cell(row, 'correlation_id')).toBe(e.metadata.correlationId);
    expect(cell(row, 'causation_id')).toBe('');
    expect(JSON.parse(cell(row, 'data_json'))).toEqual(e.data);
  });

  it('summarises known types in words', () => {
    const opened = rows[events.findIndex((e) => e.type === 'guardrails.FindingOpened.v1') + 1];
    expect(cell(opened, 'summary')).toBe(`finding opened: Web app reachable without authentication on ${WEB_APP.id} (high)`);
    const resolved = events.find((e) => e.type === 'guardrails.FindingResolved.v1')!;
    expect(summarize(resolved)).toBe(`finding resolved (compliant): web-app-without-authentication on ${WEB_APP.key}`);
    expect(findingId).toBeTruthy();
  });

  it('says what a coverage policy means for a resource not collected within it', () => {
    expect(summarize(new TenantLog().setCoveragePolicy(72))).toBe('coverage policy set: a resource whose configuration was not collected and evaluated within 72 h counts as not evaluated');
  });

  it("says when a proposal expired unapproved, and under which approval lifetime", () => {
    const e = new TenantLog().action('act-stale', 'ActionExpired', { expiredAt: '2025-03-06T10:00:00.000Z', approvalExpiryMinutes: 1440 });
    expect(summarize(e)).toBe('action act-stale expired unapproved at 2025-03-06T10:00:00.000Z (approval lifetime 1440 min)');
    const row = parseCsv(csvRow(e) + CSV_LINE_END)[0];
    expect([cell(row, 'event_type'), cell(row, 'summary')]).toEqual(['incidents.ActionExpired.v1', summarize(e)]);
  });

  it('words every attestation event, and keeps the evidence digests in the payload', () => {
    const log = new TenantLog();
    const attestations = [
      log.setAttestationPolicy(true),
      log.recordAttestation('att-ac-1', { approvalRequired: true }),
      log.approveAttestation('att-ac-1'),
      log.revokeAttestation('att-ac-1'),
      log.recordAttestation('att-ac-2', { approvalRequired: true }),
      log.rejectAttestation('att-ac-2'),
      log.recordAttestation('att-ac-3'),
      log.expireAttestation('att-ac-3', '2025-09-30T00:00:00.000Z'),
    ];
    const rows = parseCsv(attestations.map((e) => csvRow(e) + CSV_LINE_END).join(''));
    expect(rows.map((row) => cell(row, 'summary'))).toEqual([
      'attestations need a second person from now on',
      'attestation att-ac-1 of nist-sp-800-53-r5 AC-1 by ana@soc.example until 2025-09-30T00:00:00.000Z, awaiting a second person: 2 evidence file(s); The access control policy is reviewed and approved by the CISO every quarter.',
      'attestation att-ac-1 approved by ben@soc.example',
      'attestation att-ac-1 revoked by ana@soc.example: The policy was withdrawn for rework.',
      'attestation att-ac-2 of nist-sp-800-53-r5 AC-1 by ana@soc.example until 2025-09-30T00:00:00.000Z, awaiting a second person: 2 evidence file(s); The access control policy is reviewed and approved by the CISO every quarter.',
      'attestation att-ac-2 rejected by ben@soc.example: The minutes of the last review are missing.',
      'attestation att-ac-3 of nist-sp-800-53-r5 AC-1 by ana@soc.example until 2025-09-30T00:00:00.000Z: 2 evidence file(s); The access control policy is reviewed and approved by the CISO every quarter.',
      'attestation att-ac-3 expired at 2025-09-30T00:00:00.000Z',
    ]);
    expect(JSON.parse(cell(rows[1], 'data_json')).evidence.map((f: { sha256: string }) => f.sha256)).toEqual(EVIDENCE.map((f) => f.sha256));
  });

  it('falls back to the compact JSON of an unknown type, cut to a readable length', () => {
    const e = new TenantLog().record('thing-1', 'elsewhere.ThingHappened.v1', { note: 'x'.repeat(1_000) });
    const summary = summarize(e);
    expect(summary.startsWith('{"note":"xxx')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(200);
    expect(summary.endsWith('…')).toBe(true);
    expect(summarize({ type: 'incidents.CommentAdded.v1', data: { incidentId: 'inc-1', text: 'y'.repeat(2_000) } }).length).toBe(SUMMARY_MAX_LENGTH);
  });

  it('does not break on a known type whose payload is not what it expects', () => {
    expect(summarize({ type: 'guardrails.FindingOpened.v1', data: null })).toBe('null');
    expect(summarize({ type: 'incidents.SignalAttached.v1', data: { incidentId: 'inc-1', signal: 'odd' } })).toBe('signal attached to inc-1: -');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and reads them back unchanged', () => {
    const text = 'Reached only through the WAF, "mostly"\r\nsecond line';
    const e = new TenantLog().record('incident-inc-1', 'incidents.CommentAdded.v1', { incidentId: 'inc-1', commentId: 'c-1', text });
    const line = csvRow(e);
    const [row] = parseCsv(line + CSV_LINE_END);
    expect(JSON.parse(cell(row, 'data_json')).text).toBe(text);
    expect(cell(row, 'summary')).toBe('comment on inc-1: Reached only through the WAF, "mostly" second line');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")'],
    ['+1+cmd|/C calc!A0'],
    ['-2+3'],
    ['@SUM(A1:A2)'],
    ['\t=1+1'],
    ['\r=1+1'],
  ])('neutralises a cell that a spreadsheet would run as a formula: %j', (payload) => {
    const log = new TenantLog();
    const e = log.record('apikey-k1', 'tenancy.ApiKeyIssued.v1', { tenantId: 'contoso', keyId: 'k1', name: 'ci', roles: [], secretSha256: 'ab', expiresAt: '2026-01-01T00:00:00.000Z' }, {
      actor: { kind: 'api-key', id: payload },
      correlationId: payload,
    });
    const [row] = parseCsv(csvRow(e) + CSV_LINE_END);
    expect(cell(row, 'actor_id')).toBe(`'${payload}`);
    expect(cell(row, 'correlation_id')).toBe(`'${payload}`);
    for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('leaves ordinary cells alone', () => {
    expect(csvField('web-app-without-authentication')).toBe('web-app-without-authentication');
    expect(csvField('1000/1001')).toBe('1000/1001');
  });
});
