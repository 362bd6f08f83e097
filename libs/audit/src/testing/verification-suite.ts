// Every way of tampering with an export that verification must catch, as one suite any verifier
// runs: the library in process (verify.spec.ts) and the standalone script auditors download
// (libs/audit-verifier), which must find exactly the same problems in the same words. Exports are
// built in memory; a verifier under test gets the files, the public key and the options.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  EXPORT_FILES,
  manifestDigest,
  MANIFEST_FORMAT,
  MANIFEST_FORMAT_V1,
  serializeManifest,
  sha256Hex,
  signatureFileOf,
  signManifest,
  type AuditManifest,
  type ManifestFormat,
} from '../manifest';
import type { ExportReader, VerifyResult } from '../verify';

/** An export as file name -> bytes. */
export type ExportFiles = Map<string, Buffer>;

export interface VerifierOptions {
  /** One key, or a key ring (every key of the deployment, across rotations). */
  readonly publicKey: KeyObject | readonly KeyObject[];
  /** The previous export's manifest.json, as received. */
  readonly previousManifest?: string;
  readonly maxProblemsPerFile?: number;
}

/** A verifier as the suite drives it: the export's files in, the library's result out. */
export type VerifierUnderTest = (files: ExportFiles, options: VerifierOptions) => Promise<VerifyResult>;

const keys = generateKeyPairSync('ed25519');
const intruder = generateKeyPairSync('ed25519');
const TENANT = 'contoso-bank';
const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-02-01T00:00:00.000Z';

interface Line {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  globalPosition: string;
  recordedAt: string;
  data: unknown;
  metadata: { tenantId: string; actor: { kind: string; id: string }; correlationId: string; causationId: string | null; occurredAt: string; schemaVersion: number };
}

/** Ten events over three streams, in log order, as events.ndjson carries them. */
const eventLines = (tenantId = TENANT): Line[] => {
  const revisions = new Map<string, number>();
  return Array.from({ length: 10 }, (_, i) => {
    const streamId = `t-${tenantId}:incident-${i % 3}`;
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return {
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      type: 'incidents.IncidentCommented.v1',
      streamId,
      revision,
      globalPosition: `${100 + i}/${1000 + i}`,
      recordedAt: new Date(Date.parse(FROM) + i * 3_600_000).toISOString(),
      data: { text: `comment ${i}` },
      metadata: { tenantId, actor: { kind: 'user', id: 'ana' }, correlationId: 'c', causationId: null, occurredAt: FROM, schemaVersion: 1 },
    };
  });
};

type Files = ExportFiles;

const build = (
  lines: Line[] = eventLines(),
  options: { previousManifestSha256?: string | null; exportId?: string; from?: string; to?: string; generatedAt?: string; signWith?: typeof keys.privateKey; format?: ManifestFormat } = {},
): Files => {
  const files: Files = new Map();
  files.set('events.ndjson', Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join('')));
  files.set('events.csv', Buffer.from(['eventId,type', ...lines.map((l) => `${l.eventId},${l.type}`)].join('\r\n') + '\r\n'));
  files.set('oscal-assessment-results.json', Buffer.from(JSON.stringify({ 'assessment-results': { uuid: 'x', results: [] } })));
  files.set('ocsf.ndjson', Buffer.from(lines.map((l) => `${JSON.stringify({ class_uid: 6003, time: Date.parse(l.recordedAt) })}\n`).join('')));
  const manifest = signManifest(
    {
      format: options.format ?? MANIFEST_FORMAT,
      exportId: options.exportId ?? 'export-1',
      tenantId: TENANT,
      from: options.from ?? FROM,
      to: options.to ?? TO,
      generatedAt: options.generatedAt ?? '2026-02-01T00:10:00.000Z',
      files: EXPORT_FILES.map((name) => ({ name, bytes: files.get(name)!.length, sha256: sha256Hex(files.get(name)!) })),
      eventCount: lines.length,
      firstPosition: lines[0]?.globalPosition ?? null,
      lastPosition: lines.at(-1)?.globalPosition ?? null,
      previousManifestSha256: options.previousManifestSha256 ?? null,
    },
    options.signWith ?? keys.privateKey,
  );
  files.set('manifest.json', Buffer.from(serializeManifest(manifest)));
  if (manifest.format !== MANIFEST_FORMAT_V1) files.set('manifest.json.sig', signatureFileOf(manifest));
  return files;
};

/** Serves the files in 7-byte chunks, so lines straddle chunk boundaries as they do on disk. */
export const memoryReader = (files: ExportFiles): ExportReader => ({
  manifestText: async () => files.get('manifest.json')?.toString('utf8') ?? null,
  stream: (name) => {
    const content = files.get(name);
    if (!content) return null;
    return (async function* () {
      for (let i = 0; i < content.length; i += 7) yield content.subarray(i, i + 7);
    })();
  },
  list: async () => [...files.keys()],
});

const edit = (files: Files, name: string, change: (content: Buffer) => Buffer): Files => new Map([...files, [name, change(Buffer.from(files.get(name)!))]]);
const ndjsonLines = (files: Files) => files.get('events.ndjson')!.toString('utf8').split('\n').slice(0, -1);
const withLines = (files: Files, lines: string[]) => edit(files, 'events.ndjson', () => Buffer.from(lines.map((l) => `${l}\n`).join('')));
const manifestOf = (files: Files): AuditManifest => JSON.parse(files.get('manifest.json')!.toString('utf8'));
/** The manifest with its signature value, as verification reads it from both files. */
const manifestWithValue = (files: Files): AuditManifest => {
  const m = manifestOf(files);
  return { ...m, signature: { ...m.signature, value: files.get('manifest.json.sig')!.toString('base64') } };
};

/** The tampering cases, run against one verifier. */
export const describeExportVerification = (title: string, verifier: VerifierUnderTest): void =>
  describe(title, () => {
    const verify = (files: ExportFiles, options: { publicKey?: KeyObject; previousManifest?: string } = {}) =>
      verifier(files, { publicKey: options.publicKey ?? keys.publicKey, previousManifest: options.previousManifest });

    it('accepts an untouched export and sums it up', async () => {
      const result = await verify(build());
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.warnings).toEqual([]);
      expect(result.summary).toMatchObject({ tenantId: TENANT, eventCount: 10, eventsRead: 10, streams: 3, firstPosition: '100/1000', lastPosition: '109/1009', chainChecked: false });
    });

    it('accepts an export of a quiet period (no events)', async () => {
      const result = await verify(build([]));
      expect(result.problems).toEqual([]);
      expect(result.summary).toMatchObject({ eventCount: 0, firstPosition: null, lastPosition: null });
    });

    it.each(EXPORT_FILES)('names the file when one byte of %s changed', async (name) => {
      const files = edit(build(), name, (c) => {
        c[Math.floor(c.length / 2)] ^= 0x01;
        return c;
      });
      const result = await verify(files);
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatch(new RegExp(`^${name.replace('.', '\\.')}: SHA-256 is [0-9a-f]{64}, the manifest lists [0-9a-f]{64}: the content was changed \\(same size: bytes were altered in place\\)$`));
    });

    it('finds the gap a removed line leaves in its stream', async () => {
      const lines = ndjsonLines(build());
      lines.splice(4, 1); // line 5: incident-1 revision 1
      const result = await verify(withLines(build(), lines));
      expect(result.problems).toEqual([
        expect.stringMatching(/^events\.ndjson: truncated: \d+ of \d+ bytes \(\d+ missing\)$/),
        expect.stringMatching(/^events\.ndjson: SHA-256 is .* the content was changed$/),
        'events.ndjson holds 9 events, the manifest says 10',
        'events.ndjson line 7: stream t-contoso-bank:incident-1 jumps from revision 0 (line 2) to 2: revision 1 is missing',
      ]);
    });

    it('says which lines are out of order when two are swapped', async () => {
      const lines = ndjsonLines(build());
      [lines[3], lines[6]] = [lines[6], lines[3]]; // both incident-0: revisions 1 and 2
      const result = await verify(withLines(build(), lines));
      expect(result.problems).toEqual([
        expect.stringMatching(/^events\.ndjson: SHA-256 is .* \(same size: bytes were altered in place\)$/),
        'events.ndjson line 4: stream t-contoso-bank:incident-0 jumps from revision 0 (line 1) to 2: revision 1 is missing',
        'events.ndjson lines 4 and 5 are out of order: global position 104/1004 at line 5 does not come after 106/1006 at line 4',
        'events.ndjson lines 6 and 7 are out of order: global position 103/1003 at line 7 does not come after 105/1005 at line 6',
        'events.ndjson line 7: stream t-contoso-bank:incident-0 goes back from revision 2 (line 4) to 1: lines reordered or repeated',
      ]);
    });

    it('says a file was truncated, and where events.ndjson was cut', async () => {
      const original = build();
      const size = original.get('events.ndjson')!.length;
      const cut = await verify(edit(original, 'events.ndjson', (c) => c.subarray(0, size - 40)));
      expect(cut.problems).toContain(`events.ndjson: truncated: ${size - 40} of ${size} bytes (40 missing)`);
      expect(cut.problems).toContainEqual(expect.stringMatching(/^events\.ndjson line 10 is not JSON: .*\(the last line has no line end: the file was cut short\)$/));
      expect(cut.problems).toContain('events.ndjson holds 9 events, the manifest says 10');

      const csvSize = original.get('events.csv')!.length;
      const csv = await verify(edit(original, 'events.csv', (c) => c.subarray(0, 100)));
      expect(csv.problems[0]).toBe(`events.csv: truncated: 100 of ${csvSize} bytes (${csvSize - 100} missing)`);
    });

    it('says a file is missing, and what it should have held', async () => {
      const files = build();
      const bytes = files.get('oscal-assessment-results.json')!.length;
      files.delete('oscal-assessment-results.json');
      expect((await verify(files)).problems).toEqual([`oscal-assessment-results.json is missing (the manifest lists it with ${bytes} bytes)`]);
      files.delete('manifest.json');
      expect((await verify(files)).problems).toEqual(['manifest.json is missing: without it nothing in the export can be checked']);
    });

    it('notices bytes appended to a file', async () => {
      const result = await verify(edit(build(), 'ocsf.ndjson', (c) => Buffer.concat([c, Buffer.from('{"class_uid":6003}\n')])));
      expect(result.problems[0]).toMatch(/^ocsf\.ndjson: \d+ bytes, the manifest lists \d+ \(19 bytes were added\)$/);
    });

    it('refuses a manifest whose field was edited, even when the files were made to match', async () => {
      const files = build();
      const edited = { ...manifestOf(files), eventCount: 9, lastPosition: '108/1008' };
      const lines = ndjsonLines(files).slice(0, 9);
      const result = await verify(withLines(new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(edited))]]), lines));
      expect(result.problems[0]).toMatch(/^manifest\.json: the signature does not match the manifest's content: a field was changed after signing/);
    });

    it('refuses a manifest whose bytes changed while its content did not (the chain hashes the bytes)', async () => {
      const files = build();
      const reformatted = JSON.stringify(manifestOf(files), null, 4);
      const result = await verify(new Map([...files, ['manifest.json', Buffer.from(reformatted)]]));
      expect(result.problems).toEqual([
        "manifest.json: its content is signed, but its bytes are not as the exporter wrote them (reformatted or re-encoded), so the next export's chain no longer matches it",
      ]);
    });

    it('refuses a manifest re-signed by another key, and names both keys', async () => {
      const forged = build(eventLines(), { signWith: intruder.privateKey });
      const result = await verify(forged);
      expect(result.problems).toEqual([expect.stringMatching(/^manifest\.json is signed by key [0-9a-f]{64}, not by the public key given \([0-9a-f]{64}\)/)]);
      // … and the genuine export checked with the wrong public key says the same
      expect((await verify(build(), { publicKey: intruder.publicKey })).problems).toEqual([expect.stringContaining('not by the public key given')]);
    });

    it('refuses a format 2 export without its signature file, or with something else in it', async () => {
      const files = build();
      files.delete('manifest.json.sig');
      expect((await verify(files)).problems).toEqual(['manifest.json.sig is missing: it holds the signature of manifest.json, which without it cannot be trusted']);
      files.set('manifest.json.sig', Buffer.from(signatureFileOf(manifestWithValue(build())).toString('base64')));
      expect((await verify(files)).problems).toEqual(['manifest.json.sig holds 88 bytes, not an Ed25519 signature (64 bytes)']);
      // another export's signature
      files.set('manifest.json.sig', build(eventLines(), { exportId: 'export-9' }).get('manifest.json.sig')!);
      expect((await verify(files)).problems).toEqual([expect.stringMatching(/^manifest\.json: the signature does not match the manifest's content/)]);
    });

    it('still verifies exports of format 1 (signature inside manifest.json, over its canonical JSON), and refuses them edited', async () => {
      const files = build(eventLines(), { format: MANIFEST_FORMAT_V1 });
      expect([...files.keys()]).not.toContain('manifest.json.sig');
      const result = await verify(files);
      expect(result.problems).toEqual([]);
      expect(result.summary).toMatchObject({ format: MANIFEST_FORMAT_V1, eventCount: 10 });
      const edited = { ...manifestOf(files), generatedAt: '2026-02-01T00:11:00.000Z' };
      expect((await verify(new Map([...files, ['manifest.json', Buffer.from(serializeManifest(edited))]]))).problems).toEqual([
        expect.stringMatching(/^manifest\.json: the signature does not match the manifest's content/),
      ]);
      const reformatted = JSON.stringify(manifestOf(files), null, 4);
      expect((await verify(new Map([...files, ['manifest.json', Buffer.from(reformatted)]]))).problems).toEqual([expect.stringMatching(/its bytes are not as the exporter wrote them/)]);
      // a format 2 manifest with its signature inside is neither format
      const mixed = { ...manifestOf(files), format: MANIFEST_FORMAT };
      expect((await verify(new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(mixed, null, 2))]]))).problems).toEqual([
        'manifest.json: signature.value: format rampart-audit-export/2 keeps its signature in manifest.json.sig, not here',
      ]);
    });

    it('names a manifest that is not even the right shape', async () => {
      const files = build();
      const broken = { ...manifestOf(files), eventCount: '10', files: manifestOf(files).files.slice(1) };
      const result = await verify(new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(broken))]]));
      expect(result.problems).toEqual(['manifest.json: eventCount: Invalid input: expected number, received string']);
      const fewer = { ...manifestOf(files), files: manifestOf(files).files.slice(1) };
      expect((await verify(new Map([...files, ['manifest.json', Buffer.from(JSON.stringify(fewer))]]))).problems).toEqual([
        'manifest.json lists no events.ndjson; every export has events.ndjson, events.csv, oscal-assessment-results.json, ocsf.ndjson',
      ]);
      expect((await verify(new Map([...files, ['manifest.json', Buffer.from('{"format":')]]))).problems[0]).toMatch(/^manifest\.json is not JSON: /);
    });

    it('checks what the lines say even when an exporter signed them: tenant, period, order', async () => {
      const lines = eventLines();
      lines[2] = { ...eventLines('fabrikam-retail')[2] };
      lines[5] = { ...lines[5], recordedAt: TO };
      const result = await verify(build(lines));
      expect(result.problems).toEqual([
        'events.ndjson line 3: event 00000000-0000-4000-8000-000000000002 belongs to tenant "fabrikam-retail" (stream t-fabrikam-retail:incident-2), not to "contoso-bank"',
        `events.ndjson line 6: event 00000000-0000-4000-8000-000000000005 was recorded at ${TO}, outside the export's period [${FROM}, ${TO})`,
      ]);
    });

    it('shows the first problems of a badly broken file and counts the rest', async () => {
      const lines = eventLines().reverse();
      const result = await verifier(build(lines), { publicKey: keys.publicKey, maxProblemsPerFile: 3 });
      expect(result.problems.at(-1)).toMatch(/^events\.ndjson: \d+ more problems like these not shown$/);
      expect(result.problems.filter((p) => p.startsWith('events.ndjson line'))).toHaveLength(3);
    });

    it('takes, from several public keys (a key ring across rotations), the one the manifest names, and names them all when none is', async () => {
      const result = await verifier(build(), { publicKey: [intruder.publicKey, keys.publicKey] });
      expect(result.problems).toEqual([]);
      const third = generateKeyPairSync('ed25519');
      const forged = build(eventLines(), { signWith: intruder.privateKey });
      expect((await verifier(forged, { publicKey: [keys.publicKey, third.publicKey] })).problems).toEqual([
        expect.stringMatching(/^manifest\.json is signed by key [0-9a-f]{64}, which is none of the 2 public keys given \([0-9a-f]{64}, [0-9a-f]{64}\): /),
      ]);
    });

    it('warns about files the manifest does not cover', async () => {
      const files = build();
      files.set('notes.txt', Buffer.from('trust me'));
      const result = await verify(files);
      expect(result.ok).toBe(true);
      expect(result.warnings).toEqual(['notes.txt is not part of the export: the manifest does not cover it, so nothing vouches for it']);
    });

    describe('the chain to the previous export', () => {
      const first = build(eventLines(), { exportId: 'export-1' });
      const firstManifest = first.get('manifest.json')!.toString('utf8');
      const second = build(eventLines().map((l, i) => ({ ...l, revision: l.revision + 4, globalPosition: `${200 + i}/${2000 + i}`, recordedAt: new Date(Date.parse(TO) + i * 1000).toISOString() })), {
        exportId: 'export-2',
        from: TO,
        to: '2026-03-01T00:00:00.000Z',
        generatedAt: '2026-03-01T00:10:00.000Z',
        previousManifestSha256: manifestDigest(firstManifest),
      });

      it('holds when the previous manifest is the one this export names', async () => {
        const result = await verify(second, { previousManifest: firstManifest });
        expect(result.problems).toEqual([]);
        expect(result.summary?.chainChecked).toBe(true);
      });

      it('breaks on another manifest, or the right one changed', async () => {
        const other = build(eventLines(), { exportId: 'export-0' }).get('manifest.json')!.toString('utf8');
        expect((await verify(second, { previousManifest: other })).problems).toEqual([
          expect.stringMatching(/^manifest\.json follows the manifest with SHA-256 [0-9a-f]{64}, but the previous manifest given has SHA-256 [0-9a-f]{64}: it is another export's manifest, or it was changed$/),
        ]);
        expect((await verify(second, { previousManifest: firstManifest.replace('"eventCount": 10', '"eventCount": 11') })).ok).toBe(false);
      });

      it('breaks when the first export of a chain is given a previous one, or an export is chained to a later one', async () => {
        expect((await verify(first, { previousManifest: firstManifest })).problems).toEqual([
          expect.stringMatching(/^manifest\.json starts a new chain \(previousManifestSha256 is null\), but a previous manifest was given/),
          'the previous manifest is this export\'s own (export export-1)',
          'the previous manifest was generated at 2026-02-01T00:10:00.000Z, not before this export (2026-02-01T00:10:00.000Z)',
        ]);
        const secondManifest = second.get('manifest.json')!.toString('utf8');
        const backwards = build(eventLines(), { exportId: 'export-3', previousManifestSha256: manifestDigest(secondManifest) });
        expect((await verify(backwards, { previousManifest: secondManifest })).problems).toEqual([
          'the previous manifest was generated at 2026-03-01T00:10:00.000Z, not before this export (2026-02-01T00:10:00.000Z)',
          `the previous manifest covers [${TO}, 2026-03-01T00:00:00.000Z), which does not come before this export's [${FROM}, ${TO})`,
          "the previous manifest ends at global position 209/2009, after this export's last event (109/1009)",
        ]);
      });
    });
  });
