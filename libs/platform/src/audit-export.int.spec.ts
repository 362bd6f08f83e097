// A tenant's audit trail exported from a real log (written by the contexts' own deciders) and
// verified from the files on disk; then every kind of tampering an auditor could meet, each of
// which must fail verification with a message that says what changed and where.
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  auditTrailDecider,
  auditTrailStreamId,
  keyIdOf,
  manifestDigest,
  parseNdjsonLine,
  publicKeyPem,
  serializeManifest,
  signManifest,
  type AuditManifest,
  type AuditTrailEvent,
} from '@rampart/audit';
import { fold, handleCommand, type Decider, type DomainEvent, type EventStore, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { builtInCatalog, postureDecider, postureStreamId, tenantGuardrailsDecider, tenantGuardrailsStreamId } from '@rampart/guardrails';
import { actionDecider, actionStreamId, DEFAULT_APPROVAL_EXPIRY_MINUTES, incidentDecider, incidentStreamId } from '@rampart/incidents';
import { apiKeyDecider, apiKeyStreamId, tenantDecider, tenantStreamId } from '@rampart/tenancy';
import { auditExportPorts } from './audit-catalog';
import { type AuditKeyConfig, exportAuditTrail, generatedAuditKeyFile, loadAuditSigningKey } from '@rampart/audit-application';
import { verifyAuditExportDir } from '@rampart/audit-verifier';
import { loadConfig } from '@rampart/runtime';

const TENANT = 'contoso-bank';
const OTHER = 'fabrikam-retail';
const keys = generateKeyPairSync('ed25519');
const intruder = generateKeyPairSync('ed25519');
const PUBLIC = publicKeyPem(keys.publicKey);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('audit trail export', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let work: string;
  let from: Date;
  let to: Date;
  let first: Awaited<ReturnType<typeof exportAuditTrail>>;
  let firstDir: string;

  const ctx = (tenantId: string, actor = 'ana@soc.example') => ({ tenantId, actor: { kind: 'user' as const, id: actor }, correlationId: 'c', now: new Date() });
  const run = async <C, S, E extends DomainEvent>(tenantId: string, decider: Decider<C, S, E>, streamId: string, cmd: C, actor?: string) => {
    const outcome = await handleCommand(store, decider, streamId, cmd, ctx(tenantId, actor));
    if (!outcome.ok) throw new Error(`${streamId}: ${outcome.rejection.code} ${outcome.rejection.message ?? ''}`);
  };

  /** What a tenant's month looks like: people, keys, policy, posture, an incident and its response. */
  const month = async (tenantId: string, n: number) => {
    const tenant = tenantStreamId(tenantId);
    await run(tenantId, tenantDecider, tenant, { kind: 'AssignSocTeam', tenantId, socTeam: `team-${n}` });
    const keyId = `key-${n}`;
    const now = new Date();
    await run(tenantId, apiKeyDecider, apiKeyStreamId(tenantId, keyId), {
      kind: 'IssueApiKey',
      tenantId,
      keyId,
      name: `SIEM connector ${n}`,
      roles: ['customer.viewer'],
      secretSha256: 'f'.repeat(64),
      expiresAt: new Date(now.getTime() + 30 * 86_400_000),
      now,
      issuer: { kind: 'user', id: `it@${tenantId}.example`, grantsInTenant: [{ role: 'customer.admin', tenantId }] },
    });
    const policy = tenantGuardrailsDecider(builtInCatalog());
    await run(tenantId, policy, tenantGuardrailsStreamId(tenantId), {
      kind: 'RequestExemption',
      exemptionId: `ex-${n}`,
      guardrailId: 'storage-weak-tls',
      scope: '/subscriptions/sub-1',
      category: 'mitigated',
      justification: 'legacy client, behind a TLS-terminating gateway',
      requestedBy: 'ana@soc.example',
      expiresAt: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
      now,
    });
    await run(tenantId, policy, tenantGuardrailsStreamId(tenantId), { kind: 'ApproveExemption', exemptionId: `ex-${n}`, approvedBy: 'ben@soc.example', now }, 'ben@soc.example');
    const resource = { key: `/subscriptions/sub-1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/st${n}`, id: `/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st${n}`, type: 'microsoft.storage/storageaccounts' };
    const result = (state: 'compliant' | 'nonCompliant') => ({
      assignmentId: 'core',
      baselineId: 'landing-zone-core',
      guardrailId: 'storage-public-blob-access',
      title: 'Storage account allows public blob access',
      severity: 'high' as const,
      playbookId: 'restrict-public-storage',
      state,
      reason: state === 'compliant' ? 'allowBlobPublicAccess is false' : 'allowBlobPublicAccess is true',
      exemptionId: null,
    });
    const reporting = { incidentSeverities: ['critical' as const, 'high' as const], notifySeverities: [] };
    const posture = postureStreamId(tenantId, resource.key);
    await run(tenantId, postureDecider, posture, { kind: 'RecordEvaluation', tenantId, resource, results: [result('nonCompliant')], reporting, cause: null }, 'guardrail-evaluator');
    const incidentId = `inc-${n}`;
    const incident = incidentStreamId(tenantId, incidentId);
    await run(tenantId, incidentDecider, incident, {
      kind: 'OpenIncident',
      incidentId,
      title: 'Public blob access on a storage account',
      signal: { kind: 'finding', ref: `finding-${n}`, title: 'Storage account allows public blob access', severity: 'high', resourceKeys: [resource.key], entities: [], detectedAt: now.toISOString() },
    });
    await run(tenantId, incidentDecider, incident, { kind: 'TriageIncident', severity: 'high', assignee: 'ana@soc.example' });
    await run(tenantId, incidentDecider, incident, { kind: 'AddComment', commentId: `c-${n}`, text: 'Owner confirmed: no public data expected.' });
    const action = actionStreamId(tenantId, `act-${n}`);
    await run(tenantId, actionDecider, action, { kind: 'ProposeAction', actionId: `act-${n}`, incidentId, actionKind: 'harden-configuration', phase: 'remediate', target: resource.id, proposedBy: 'ana@soc.example' });
    await run(tenantId, actionDecider, action, { kind: 'ApproveAction', approvedBy: 'ben@soc.example', now, approvalExpiryMinutes: DEFAULT_APPROVAL_EXPIRY_MINUTES }, 'ben@soc.example');
    await run(tenantId, actionDecider, action, { kind: 'StartExecution', executor: 'dry-run', idempotencyKey: `act-${n}` }, 'action-runner');
    await run(tenantId, actionDecider, action, { kind: 'RecordSuccess', outcome: 'allowBlobPublicAccess set to false' }, 'action-runner');
    await run(tenantId, postureDecider, posture, { kind: 'RecordEvaluation', tenantId, resource, results: [result('compliant')], reporting, cause: null }, 'guardrail-evaluator');
    await run(tenantId, apiKeyDecider, apiKeyStreamId(tenantId, keyId), { kind: 'RevokeApiKey', keyId, reason: 'connector replaced', by: 'user' });
  };

  /** A storage account left non-compliant before the period: the OSCAL results must still show it at the period's end. */
  const failingBeforePeriod = async () => {
    const resource = { key: '/subscriptions/sub-1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/stlegacy', id: '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stlegacy', type: 'microsoft.storage/storageaccounts' };
    const results = [
      { assignmentId: 'core', baselineId: 'landing-zone-core', guardrailId: 'storage-weak-tls', title: 'Storage account accepts TLS below 1.2', severity: 'medium' as const, playbookId: 'harden-transport', state: 'nonCompliant' as const, reason: 'minimumTlsVersion is TLS1_0', exemptionId: null },
    ];
    await run(TENANT, postureDecider, postureStreamId(TENANT, resource.key), { kind: 'RecordEvaluation', tenantId: TENANT, resource, results, reporting: { incidentSeverities: [], notifySeverities: [] }, cause: null }, 'guardrail-evaluator');
  };

  /** Every event of the tenant, read independently of the exporter. */
  const tenantLog = async (tenantId: string): Promise<RecordedEvent[]> => (await store.readAll({ filter: { tenantId }, maxCount: 100_000 })).events;
  const inPeriod = (e: RecordedEvent, a: Date, b: Date) => Date.parse(e.recordedAt) >= a.getTime() && Date.parse(e.recordedAt) < b.getTime();

  // settleMs 0: every append of these tests has committed before an export starts
  const exportTo = async (dir: string, a: Date, b: Date, signingKey = keys.privateKey) =>
    exportAuditTrail({ eventStore: store }, { ...auditExportPorts({ eventStore: store }), tenantId: TENANT, from: a, to: b, outDir: dir, signingKey, actor: { kind: 'user', id: 'auditor-liaison@soc.example' }, pageSize: 7, settleMs: 0 });

  /** A copy of the first export to damage. */
  const copy = () => {
    const dir = mkdtempSync(join(work, 'tampered-'));
    cpSync(firstDir, dir, { recursive: true });
    return dir;
  };
  const lines = (dir: string) => readFileSync(join(dir, 'events.ndjson'), 'utf8').split('\n').slice(0, -1);
  const writeLines = (dir: string, content: string[]) => writeFileSync(join(dir, 'events.ndjson'), content.map((l) => `${l}\n`).join(''));
  const manifestIn = (dir: string): AuditManifest => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const problems = async (dir: string, publicKey = PUBLIC, previous?: string) => {
    const result = await verifyAuditExportDir(dir, publicKey, { previousManifestPath: previous });
    expect(result.ok).toBe(false);
    return result.problems;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'rampart-audit-'));
    db = await pgliteTestDatabase('audit');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    for (const tenantId of [TENANT, OTHER]) {
      await run(tenantId, tenantDecider, tenantStreamId(tenantId), { kind: 'OnboardTenant', tenantId, displayName: tenantId, sector: 'finance', contactEmail: `soc@${tenantId}.example` });
    }
    await month(TENANT, 1); // before the period: seeds the OSCAL state only
    await failingBeforePeriod();
    await sleep(5);
    from = new Date();
    await sleep(5);
    for (let n = 2; n <= 4; n++) {
      await month(TENANT, n);
      await month(OTHER, n); // interleaved noise from another tenant
    }
    await sleep(5);
    to = new Date();
    await sleep(5);
    await month(TENANT, 5); // after the period
    firstDir = join(work, 'first');
    first = await exportTo(firstDir, from, to);
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('exports exactly the tenant\'s events of the period, in log order, and verifies', async () => {
    const expected = (await tenantLog(TENANT)).filter((e) => inPeriod(e, from, to));
    expect(expected.length).toBeGreaterThan(40);
    const exported = lines(firstDir).map((line, i) => parseNdjsonLine(line, i + 1));
    expect(exported.map((e) => e.eventId)).toEqual(expected.map((e) => e.eventId));
    expect(new Set(exported.map((e) => e.type))).toEqual(
      new Set([
        'tenancy.SocTeamAssigned.v1',
        'tenancy.ApiKeyIssued.v1',
        'tenancy.ApiKeyRevoked.v1',
        'guardrails.ExemptionRequested.v1',
        'guardrails.ExemptionGranted.v1',
        'guardrails.ComplianceStateChanged.v1',
        'guardrails.FindingOpened.v1',
        'guardrails.FindingResolved.v1',
        'incidents.IncidentOpened.v1',
        'incidents.IncidentTriaged.v1',
        'incidents.CommentAdded.v1',
        'incidents.ActionProposed.v1',
        'incidents.ActionApproved.v1',
        'incidents.ActionExecutionStarted.v1',
        'incidents.ActionSucceeded.v1',
      ]),
    );
    expect(exported.every((e) => e.metadata.tenantId === TENANT)).toBe(true);
    expect(readFileSync(join(firstDir, 'events.csv'), 'utf8')).not.toContain(OTHER);
    expect(readFileSync(join(firstDir, 'ocsf.ndjson'), 'utf8')).not.toContain(OTHER);

    const m = first.manifest;
    expect(m).toMatchObject({
      tenantId: TENANT,
      from: from.toISOString(),
      to: to.toISOString(),
      eventCount: expected.length,
      firstPosition: exported[0].globalPosition,
      lastPosition: exported.at(-1)!.globalPosition,
      previousManifestSha256: null,
      signature: { algorithm: 'Ed25519', keyId: keyIdOf(keys.publicKey) },
    });
    expect(m.files.map((f) => f.name)).toEqual(['events.ndjson', 'events.csv', 'oscal-assessment-results.json', 'ocsf.ndjson']);
    expect(first.manifestSha256).toBe(manifestDigest(readFileSync(join(firstDir, 'manifest.json'))));

    // seeded with the events before the period: what was failing then still fails at its end
    expect(exported.some((e) => JSON.stringify(e.data).includes('stlegacy'))).toBe(false);
    expect(readFileSync(join(firstDir, 'oscal-assessment-results.json'), 'utf8')).toContain('storageAccounts/stlegacy');

    const result = await verifyAuditExportDir(firstDir, PUBLIC);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, warnings: [], summary: { eventCount: expected.length, eventsRead: expected.length } });
  });

  it('records the export in the tenant\'s trail', async () => {
    const trail = await store.readStream(auditTrailStreamId(TENANT));
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      type: 'audit.AuditExported.v1',
      data: { exportId: first.manifest.exportId, manifestSha256: first.manifestSha256, previousManifestSha256: null, eventCount: first.manifest.eventCount },
      metadata: { tenantId: TENANT, actor: { kind: 'user', id: 'auditor-liaison@soc.example' } },
    });
  });

  it.each(['events.ndjson', 'events.csv', 'oscal-assessment-results.json', 'ocsf.ndjson'])('fails when one byte of %s changed', async (name) => {
    const dir = copy();
    const content = readFileSync(join(dir, name));
    content[Math.floor(content.length / 3)] ^= 0x20;
    writeFileSync(join(dir, name), content);
    expect((await problems(dir))[0]).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: SHA-256 is [0-9a-f]{64}, the manifest lists ${manifestIn(dir).files.find((f) => f.name === name)!.sha256}: the content was changed \\(same size: bytes were altered in place\\)$`));
  });

  it('fails when a line is removed, and names the stream that now skips a revision', async () => {
    const dir = copy();
    const all = lines(dir);
    // a line whose stream has events before and after it in the export
    const envelopes = all.map((l, i) => parseNdjsonLine(l, i + 1));
    const victim = envelopes.findIndex((e, i) => i > 0 && envelopes.slice(0, i).some((p) => p.streamId === e.streamId) && envelopes.slice(i + 1).some((n) => n.streamId === e.streamId));
    const removed = envelopes[victim];
    writeLines(dir, all.filter((_, i) => i !== victim));
    const next = envelopes.findIndex((e, i) => i > victim && e.streamId === removed.streamId);
    const found = await problems(dir);
    expect(found).toContain(`events.ndjson holds ${all.length - 1} events, the manifest says ${all.length}`);
    expect(found).toContainEqual(
      expect.stringMatching(new RegExp(`^events\\.ndjson line ${next}: stream ${removed.streamId} jumps from revision ${removed.revision - 1} \\(line \\d+\\) to ${removed.revision + 1}: revision ${removed.revision} is missing$`)),
    );
    expect(found[0]).toMatch(/^events\.ndjson: truncated: \d+ of \d+ bytes/);
  });

  it('fails when two lines are swapped, and says which', async () => {
    const dir = copy();
    const all = lines(dir);
    [all[10], all[11]] = [all[11], all[10]];
    writeLines(dir, all);
    const [a, b] = [parseNdjsonLine(all[10]), parseNdjsonLine(all[11])];
    expect(await problems(dir)).toContain(`events.ndjson lines 11 and 12 are out of order: global position ${b.globalPosition} at line 12 does not come after ${a.globalPosition} at line 11`);
  });

  it('fails when a file is truncated', async () => {
    const dir = copy();
    const name = 'oscal-assessment-results.json';
    const full = readFileSync(join(dir, name));
    writeFileSync(join(dir, name), full.subarray(0, 1000));
    expect(await problems(dir)).toEqual([
      `${name}: truncated: 1000 of ${full.length} bytes (${full.length - 1000} missing)`,
      expect.stringMatching(new RegExp(`^${name.replace(/\./g, '\\.')}: SHA-256 is`)),
    ]);
  });

  it('fails when a file is deleted', async () => {
    const dir = copy();
    unlinkSync(join(dir, 'events.csv'));
    const bytes = first.manifest.files.find((f) => f.name === 'events.csv')!.bytes;
    expect(await problems(dir)).toEqual([`events.csv is missing (the manifest lists it with ${bytes} bytes)`]);
  });

  it('fails when a manifest field is edited', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'manifest.json'), serializeManifest({ ...manifestIn(dir), to: new Date(to.getTime() + 86_400_000).toISOString() }));
    expect(await problems(dir)).toEqual([expect.stringMatching(/^manifest\.json: the signature does not match the manifest's content: a field was changed after signing/)]);
  });

  it('fails when the manifest is re-signed by another key, or checked with the wrong public key', async () => {
    const dir = copy();
    writeFileSync(join(dir, 'manifest.json'), serializeManifest(signManifest(manifestIn(dir), intruder.privateKey)));
    expect(await problems(dir)).toEqual([`manifest.json is signed by key ${keyIdOf(intruder.publicKey)}, not by the public key given (${keyIdOf(keys.publicKey)}): it was not signed by this deployment, or the wrong public key was given`]);
    expect(await problems(firstDir, publicKeyPem(intruder.publicKey))).toEqual([expect.stringContaining(`is signed by key ${keyIdOf(keys.publicKey)}, not by the public key given (${keyIdOf(intruder.publicKey)})`)]);
  });

  describe('the next export', () => {
    let secondDir: string;
    let second: Awaited<ReturnType<typeof exportTo>>;
    beforeAll(async () => {
      await sleep(5);
      secondDir = join(work, 'second');
      second = await exportTo(secondDir, to, new Date());
    });

    it('chains to the first and carries its export event', async () => {
      expect(second.manifest.previousManifestSha256).toBe(first.manifestSha256);
      const exported = lines(secondDir).map((l) => parseNdjsonLine(l));
      expect(exported.filter((e) => e.type === 'audit.AuditExported.v1').map((e) => (e.data as { exportId: string }).exportId)).toEqual([first.manifest.exportId]);
      const result = await verifyAuditExportDir(secondDir, PUBLIC, { previousManifestPath: join(firstDir, 'manifest.json') });
      expect(result.problems).toEqual([]);
      expect(result.summary?.chainChecked).toBe(true);
      expect((await store.readStream(auditTrailStreamId(TENANT))).map((e) => (e.data as { manifestSha256: string }).manifestSha256)).toEqual([first.manifestSha256, second.manifestSha256]);
    });

    it('does not chain to another manifest', async () => {
      const otherDir = join(work, 'other-tenant');
      await exportAuditTrail({ eventStore: store }, { ...auditExportPorts({ eventStore: store }), tenantId: OTHER, from, to, outDir: otherDir, signingKey: keys.privateKey, actor: { kind: 'system', id: 'test' }, settleMs: 0 });
      expect(await problems(secondDir, PUBLIC, join(otherDir, 'manifest.json'))).toEqual([
        `manifest.json follows the manifest with SHA-256 ${first.manifestSha256}, but the previous manifest given has SHA-256 ${manifestDigest(readFileSync(join(otherDir, 'manifest.json')))}: it is another export's manifest, or it was changed`,
        `the previous manifest is tenant "${OTHER}"'s, this export is tenant "${TENANT}"'s`,
        expect.stringMatching(/^the previous manifest was generated at .*, not before this export/),
      ]);
      // the first manifest with one changed byte is not the first manifest any more
      const changed = join(work, 'changed-first.json');
      writeFileSync(changed, readFileSync(join(firstDir, 'manifest.json'), 'utf8').replace(first.manifest.exportId, first.manifest.exportId.replace(/^./, (c) => (c === 'f' ? 'e' : 'f'))));
      expect((await problems(secondDir, PUBLIC, changed))[0]).toMatch(/^manifest\.json follows the manifest with SHA-256 [0-9a-f]{64}, but the previous manifest given has SHA-256/);
    });
  });

  it('keeps to the period when the log delivers an event recorded before it after one recorded in it', async () => {
    const tenantId = 'northwind';
    await run(tenantId, tenantDecider, tenantStreamId(tenantId), { kind: 'OnboardTenant', tenantId, displayName: 'Northwind', sector: 'manufacturing', contactEmail: 'soc@northwind.example' });
    await sleep(5);
    const start = new Date();
    await month(tenantId, 1);
    const [late] = (await tenantLog(tenantId)).slice(-1);
    // what a transaction straddling `from` leaves behind: the last event in log order, recorded before the period
    await db.sql.query(`UPDATE "${db.schema}".events SET recorded_at = $1 WHERE event_id = $2`, [new Date(start.getTime() - 1_000).toISOString(), late.eventId]);
    const dir = join(work, 'straddling');
    const end = new Date();
    const result = await exportAuditTrail({ eventStore: store }, { ...auditExportPorts({ eventStore: store }), tenantId, from: start, to: end, outDir: dir, signingKey: keys.privateKey, actor: { kind: 'system', id: 'test' }, settleMs: 0 });
    const exported = lines(dir).map((l) => parseNdjsonLine(l).eventId);
    expect(exported).not.toContain(late.eventId);
    expect(result.manifest.eventCount).toBe((await tenantLog(tenantId)).filter((e) => inPeriod(e, start, end)).length);
    expect((await verifyAuditExportDir(dir, PUBLIC)).problems).toEqual([]);
  });

  it('refuses what cannot be a complete export', async () => {
    const opts = { eventStore: store };
    const base = { ...auditExportPorts({ eventStore: store }), tenantId: TENANT, from, to, signingKey: keys.privateKey, actor: { kind: 'system' as const, id: 'test' }, settleMs: 0 };
    await expect(exportAuditTrail(opts, { ...base, to: new Date(Date.now() + 60_000), outDir: join(work, 'future') })).rejects.toThrow(/is in the future/);
    await expect(exportAuditTrail(opts, { ...base, outDir: firstDir })).rejects.toThrow(/is not empty/);
    await expect(exportAuditTrail(opts, { ...base, tenantId: 'woodgrove', outDir: join(work, 'unknown') })).rejects.toThrow(/no tenant "woodgrove" was onboarded/);
    await expect(exportAuditTrail(opts, { ...base, from: to, to: from, outDir: join(work, 'reversed') })).rejects.toThrow(/from must be before to/);
  });

  it('refuses to fork the chain when another export was recorded meanwhile, and removes its files', async () => {
    const trailStream = auditTrailStreamId(OTHER);
    let raced = false;
    const racing: EventStore = {
      kind: store.kind,
      atomicMultiStreamAppend: store.atomicMultiStreamAppend,
      readStream: (streamId, options) => store.readStream(streamId, options),
      readAll: (options) => store.readAll(options),
      appendToStreams: (appends) => store.appendToStreams(appends),
      headPosition: () => store.headPosition(),
      waitForAppend: (ms, signal) => store.waitForAppend(ms, signal),
      close: () => store.close(),
      appendToStream: async (streamId, events, options) => {
        if (streamId === trailStream && !raced) {
          raced = true; // another export of the tenant finishes first
          const last = fold(auditTrailDecider, (await store.readStream(trailStream)) as unknown as AuditTrailEvent[]).lastManifestSha256;
          await run(OTHER, auditTrailDecider, trailStream, {
            kind: 'RecordExport', exportId: 'concurrent', from: from.toISOString(), to: to.toISOString(), manifestSha256: 'e'.repeat(64),
            previousManifestSha256: last, eventCount: 0, firstPosition: null, lastPosition: null, files: [],
          });
        }
        return store.appendToStream(streamId, events, options);
      },
    };
    const dir = join(work, 'forked');
    await expect(exportAuditTrail({ eventStore: racing }, { ...auditExportPorts({ eventStore: store }), tenantId: OTHER, from, to, outDir: dir, signingKey: keys.privateKey, actor: { kind: 'system', id: 'test' }, settleMs: 0 })).rejects.toThrow(
      /another export of fabrikam-retail was recorded while this one ran/,
    );
    expect(raced).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  describe('the signing key', () => {
    const config = (extra: Partial<AuditKeyConfig> = {}): AuditKeyConfig => ({ dataDir: join(work, 'keys-data'), production: false, ...extra });

    it('is generated once in the data folder, private to its owner, and the same on every load', async () => {
      await expect(loadAuditSigningKey(config(), { create: false })).rejects.toThrow(/no audit signing key yet/);
      const created = await loadAuditSigningKey(config());
      expect(statSync(generatedAuditKeyFile(config().dataDir)).mode & 0o777).toBe(0o600);
      const again = await loadAuditSigningKey(config(), { create: false });
      expect(again.keyId).toBe(created.keyId);
      expect(again.keyId).toBe(keyIdOf(created.publicKeyPem));
      expect(created.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(created.publicKeyPem).not.toMatch(/PRIVATE/);
    });

    it('comes from RAMPART_AUDIT_SIGNING_KEY_FILE when set, and is required in production', async () => {
      const file = join(work, 'configured.pem');
      writeFileSync(file, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const configured = await loadAuditSigningKey(config({ auditSigningKeyFile: file, production: true }));
      expect(configured.keyId).toBe(keyIdOf(keys.publicKey));
      expect(loadConfig({ RAMPART_AUDIT_SIGNING_KEY_FILE: file }).auditSigningKeyFile).toBe(file);
      await expect(loadAuditSigningKey(config({ production: true }))).rejects.toThrow(/set RAMPART_AUDIT_SIGNING_KEY_FILE to an Ed25519 private key/);
      await expect(loadAuditSigningKey(config({ auditSigningKeyFile: join(work, 'missing.pem') }))).rejects.toThrow(/missing\.pem, which does not exist/);
      const rsa = join(work, 'rsa.pem');
      writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      await expect(loadAuditSigningKey(config({ auditSigningKeyFile: rsa }))).rejects.toThrow(/holds a rsa key; audit manifests are signed with Ed25519/);
    });
  });
});
