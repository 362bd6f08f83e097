// What `rampart audit verify` checks, as pure logic over a reader the caller supplies (files on
// disk, a zip, memory), so an auditor's offline check and the tests run the same code. Every
// problem names the file, the line where it applies, and what was expected against what was found.
import { createHash } from 'node:crypto';
// A namespace import: the standalone verifier's bundle then holds only the parts of zod used here.
import * as z from 'zod';
import { comparePositions, parsePosition, tenantOfStream, type GlobalPosition } from '@rampart/event-sourcing';
import {
  EXPORT_FILES,
  MANIFEST_FILE,
  MANIFEST_FORMAT_V1,
  MANIFEST_FORMATS,
  manifestDigest,
  SIGNATURE_FILE,
  serializeManifest,
  keyIdOf,
  toPublicKey,
  verifyManifestSignature,
  type AuditManifest,
  type PublicKeyInput,
} from './manifest';
import { parseNdjsonLine } from './formats/ndjson';

export interface ExportReader {
  /** The text of manifest.json, or null when the export has none. */
  manifestText(): Promise<string | null>;
  /** The file's bytes in order, or null when the export has no such file. */
  stream(name: string): AsyncIterable<Uint8Array> | null;
  /** Every file in the export, when the reader can tell: names files the manifest does not cover. */
  list?(): Promise<readonly string[]>;
}

export interface VerifyOptions {
  /**
   * The deployment's public key, or several (every key it has signed with, across rotations): the
   * one whose id the manifest names is used.
   */
  readonly publicKey: PublicKeyInput | readonly PublicKeyInput[];
  /** The manifest file of the export this one says it follows, exactly as received (its bytes are what the chain hashes). */
  readonly previousManifest?: string | Uint8Array;
  /** Problems reported per file before the rest are only counted (a reordered million-line file would fill a screen). */
  readonly maxProblemsPerFile?: number;
}

export interface VerifySummary {
  readonly format: string;
  readonly exportId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly to: string;
  readonly generatedAt: string;
  readonly eventCount: number;
  readonly firstPosition: string | null;
  readonly lastPosition: string | null;
  readonly keyId: string;
  readonly previousManifestSha256: string | null;
  /** Events read from events.ndjson, and in how many streams. */
  readonly eventsRead: number;
  readonly streams: number;
  readonly chainChecked: boolean;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Worth knowing, not wrong: files in the folder that the manifest does not cover. */
  readonly warnings: readonly string[];
  /** Null when the manifest could not be read. */
  readonly summary: VerifySummary | null;
}

const HEX64 = /^[0-9a-f]{64}$/;
const POSITION = /^\d+\/\d+$/;
const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v, 'expected an ISO 8601 UTC instant such as 2026-01-01T00:00:00.000Z');

const manifestSchema = z
  .object({
    format: z.enum(MANIFEST_FORMATS),
    exportId: z.string().min(1),
    tenantId: z.string().min(1),
    from: instant,
    to: instant,
    generatedAt: instant,
    files: z.array(z.object({ name: z.string().min(1), bytes: z.number().int().min(0), sha256: z.string().regex(HEX64, 'expected 64 lowercase hex digits') }).strict()),
    eventCount: z.number().int().min(0),
    firstPosition: z.string().regex(POSITION, 'expected "<commit>/<prepare>"').nullable(),
    lastPosition: z.string().regex(POSITION, 'expected "<commit>/<prepare>"').nullable(),
    previousManifestSha256: z.string().regex(HEX64, 'expected 64 lowercase hex digits').nullable(),
    // value: format 1 only (format 2 keeps it in manifest.json.sig), checked below
    signature: z.object({ algorithm: z.literal('Ed25519'), keyId: z.string().regex(HEX64, 'expected 64 lowercase hex digits'), value: z.string().min(1).optional() }).strict(),
  })
  .strict();

export type ManifestParse = { readonly ok: true; readonly manifest: AuditManifest } | { readonly ok: false; readonly problems: string[] };

/** Parses and shape-checks a manifest; `what` names it in messages (manifest.json, the previous manifest). */
export const parseManifest = (text: string, what = MANIFEST_FILE): ManifestParse => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${what} is not JSON: ${(error as Error).message}`] };
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${what}: ${issue.path.length ? issue.path.join('.') : 'top level'}: ${issue.message}`),
    };
  }
  const manifest = parsed.data as AuditManifest;
  const problems: string[] = [];
  if (manifest.format === MANIFEST_FORMAT_V1 && manifest.signature.value === undefined) problems.push(`${what}: signature.value: format 1 carries its signature here`);
  if (manifest.format !== MANIFEST_FORMAT_V1 && manifest.signature.value !== undefined) problems.push(`${what}: signature.value: format ${manifest.format} keeps its signature in ${SIGNATURE_FILE}, not here`);
  if (Date.parse(manifest.from) >= Date.parse(manifest.to)) problems.push(`${what}: the period [${manifest.from}, ${manifest.to}) is empty or reversed`);
  const names = manifest.files.map((f) => f.name);
  for (const name of EXPORT_FILES) if (!names.includes(name)) problems.push(`${what} lists no ${name}; every export has ${EXPORT_FILES.join(', ')}`);
  for (const [i, name] of names.entries()) {
    if (!(EXPORT_FILES as readonly string[]).includes(name)) problems.push(`${what} lists an unknown file "${name}"`);
    else if (names.indexOf(name) !== i) problems.push(`${what} lists ${name} twice`);
  }
  if ((manifest.eventCount === 0) !== (manifest.firstPosition === null) || (manifest.firstPosition === null) !== (manifest.lastPosition === null)) {
    problems.push(`${what}: eventCount ${manifest.eventCount} does not agree with firstPosition ${String(manifest.firstPosition)} and lastPosition ${String(manifest.lastPosition)}`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, manifest };
};

/** One file's line-level problems: the first `limit` in full, the rest counted. */
class LineProblems {
  readonly shown: string[] = [];
  #count = 0;
  constructor(
    private readonly file: string,
    private readonly limit: number,
  ) {}
  add(message: string): void {
    if (++this.#count <= this.limit) this.shown.push(message);
  }
  finish(): string[] {
    return this.#count > this.limit ? [...this.shown, `${this.file}: ${this.#count - this.limit} more problems like these not shown`] : this.shown;
  }
}

/** Splits a byte stream at '\n', yielding each line (without it) and whether it was terminated. */
async function* lines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<{ bytes: Buffer; terminated: boolean }> {
  let pending: Buffer[] = [];
  for await (const chunk of chunks) {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buffer.indexOf(10, start); nl !== -1; nl = buffer.indexOf(10, start)) {
      pending.push(buffer.subarray(start, nl));
      yield { bytes: pending.length === 1 ? pending[0] : Buffer.concat(pending), terminated: true };
      pending = [];
      start = nl + 1;
    }
    // copied: the reader may reuse its chunk's memory once we ask for the next one
    if (start < buffer.length) pending.push(Buffer.from(buffer.subarray(start)));
  }
  if (pending.length) yield { bytes: Buffer.concat(pending), terminated: false };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface LineEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: GlobalPosition;
  readonly positionText: string;
  readonly recordedAt: string;
  readonly tenantId: string;
}

/** The envelope fields verification needs, read from one line of events.ndjson; a string says what is wrong. */
const readEventLine = (bytes: Buffer, lineNo: number): LineEvent | string => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return `events.ndjson line ${lineNo} is not valid UTF-8`;
  }
  try {
    const e = parseNdjsonLine(text, lineNo);
    return {
      eventId: e.eventId,
      streamId: e.streamId,
      revision: e.revision,
      position: parsePosition(e.globalPosition),
      positionText: e.globalPosition,
      recordedAt: e.recordedAt,
      tenantId: e.metadata.tenantId,
    };
  } catch (error) {
    return (error as Error).message;
  }
};

/** events.ndjson's own checks, fed line by line while the file is hashed. */
const eventsChecker = (manifest: AuditManifest, problems: LineProblems) => {
  const file = 'events.ndjson';
  const from = Date.parse(manifest.from);
  const to = Date.parse(manifest.to);
  // Per stream, only its highest revision: memory grows with the streams, never with the events.
  const lastRevision = new Map<string, { revision: number; line: number }>();
  let count = 0;
  let lineNo = 0;
  let previous: { position: GlobalPosition; text: string; line: number } | null = null;
  let first: string | null = null;
  return {
    line(bytes: Buffer, terminated: boolean): void {
      lineNo++;
      const cut = terminated ? '' : ' (the last line has no line end: the file was cut short)';
      if (bytes.length === 0) {
        problems.add(`${file} line ${lineNo} is empty`);
        return;
      }
      const event = readEventLine(bytes, lineNo);
      if (typeof event === 'string') {
        problems.add(`${event}${cut}`);
        return;
      }
      if (cut) problems.add(`${file} line ${lineNo}${cut}`);
      count++;
      first ??= event.positionText;
      if (previous && comparePositions(event.position, previous.position) <= 0) {
        problems.add(
          `${file} lines ${previous.line} and ${lineNo} are out of order: global position ${event.positionText} at line ${lineNo} does not come after ${previous.text} at line ${previous.line}`,
        );
      }
      previous = { position: event.position, text: event.positionText, line: lineNo };
      if (event.tenantId !== manifest.tenantId || tenantOfStream(event.streamId) !== manifest.tenantId) {
        problems.add(`${file} line ${lineNo}: event ${event.eventId} belongs to tenant "${event.tenantId}" (stream ${event.streamId}), not to "${manifest.tenantId}"`);
      }
      const at = Date.parse(event.recordedAt);
      if (at < from || at >= to) {
        problems.add(`${file} line ${lineNo}: event ${event.eventId} was recorded at ${event.recordedAt}, outside the export's period [${manifest.from}, ${manifest.to})`);
      }
      const before = lastRevision.get(event.streamId);
      if (before && event.revision !== before.revision + 1) {
        const gap = event.revision - before.revision - 1;
        problems.add(
          event.revision > before.revision
            ? `${file} line ${lineNo}: stream ${event.streamId} jumps from revision ${before.revision} (line ${before.line}) to ${event.revision}: ${gap === 1 ? `revision ${before.revision + 1} is` : `revisions ${before.revision + 1}-${event.revision - 1} are`} missing`
            : `${file} line ${lineNo}: stream ${event.streamId} goes back from revision ${before.revision} (line ${before.line}) to ${event.revision}: lines reordered or repeated`,
        );
      }
      // The highest revision so far: after a swap, the lines that follow are judged against it, not flagged again.
      if (!before || event.revision > before.revision) lastRevision.set(event.streamId, { revision: event.revision, line: lineNo });
    },
    /** The whole file against the manifest's count and positions. */
    finish(): { eventsRead: number; streams: number; problems: string[] } {
      const found: string[] = [];
      if (count !== manifest.eventCount) found.push(`${file} holds ${count} events, the manifest says ${manifest.eventCount}`);
      if (first !== manifest.firstPosition) {
        found.push(`${file}: the first event's global position is ${first ?? 'none (no events)'}, the manifest says ${manifest.firstPosition ?? 'none'}`);
      }
      const last = previous?.text ?? null;
      if (last !== manifest.lastPosition) {
        found.push(`${file}: the last event's global position is ${last ?? 'none (no events)'}${previous ? ` (line ${previous.line})` : ''}, the manifest says ${manifest.lastPosition ?? 'none'}`);
      }
      return { eventsRead: count, streams: lastRevision.size, problems: found };
    },
  };
};

/** Size and digest of one listed file, plus events.ndjson's line checks in the same pass. */
const checkFile = async (
  entry: AuditManifest['files'][number],
  chunks: AsyncIterable<Uint8Array>,
  manifest: AuditManifest,
  limit: number,
): Promise<{ problems: string[]; events?: { eventsRead: number; streams: number } }> => {
  const hash = createHash('sha256');
  let bytes = 0;
  async function* hashed(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      yield chunk;
    }
  }
  const lineProblems = new LineProblems(entry.name, limit);
  let events: { eventsRead: number; streams: number; problems: string[] } | undefined;
  try {
    if (entry.name === 'events.ndjson') {
      const checker = eventsChecker(manifest, lineProblems);
      for await (const line of lines(hashed())) checker.line(line.bytes, line.terminated);
      events = checker.finish();
    } else {
      for await (const _chunk of hashed());
    }
  } catch (error) {
    return { problems: [`${entry.name} could not be read: ${(error as Error).message}`] };
  }
  const sha256 = hash.digest('hex');
  const problems: string[] = [];
  if (bytes < entry.bytes) problems.push(`${entry.name}: truncated: ${bytes} of ${entry.bytes} bytes (${entry.bytes - bytes} missing)`);
  if (bytes > entry.bytes) problems.push(`${entry.name}: ${bytes} bytes, the manifest lists ${entry.bytes} (${bytes - entry.bytes} bytes were added)`);
  if (sha256 !== entry.sha256) {
    problems.push(
      `${entry.name}: SHA-256 is ${sha256}, the manifest lists ${entry.sha256}: the content was changed${bytes === entry.bytes ? ' (same size: bytes were altered in place)' : ''}`,
    );
  }
  problems.push(...(events?.problems ?? []), ...lineProblems.finish());
  return { problems, events: events && { eventsRead: events.eventsRead, streams: events.streams } };
};

/** Whether the given previous manifest is the one this export chains to, and comes before it. */
const checkChain = (manifest: AuditManifest, previousBytes: string | Uint8Array): string[] => {
  const problems: string[] = [];
  const digest = manifestDigest(previousBytes);
  if (manifest.previousManifestSha256 === null) {
    problems.push(`${MANIFEST_FILE} starts a new chain (previousManifestSha256 is null), but a previous manifest was given (SHA-256 ${digest})`);
  } else if (digest !== manifest.previousManifestSha256) {
    problems.push(
      `${MANIFEST_FILE} follows the manifest with SHA-256 ${manifest.previousManifestSha256}, but the previous manifest given has SHA-256 ${digest}: it is another export's manifest, or it was changed`,
    );
  }
  const what = 'the previous manifest';
  const parsed = parseManifest(typeof previousBytes === 'string' ? previousBytes : Buffer.from(previousBytes).toString('utf8'), what);
  if (!parsed.ok) return [...problems, ...parsed.problems];
  const previous = parsed.manifest;
  if (previous.tenantId !== manifest.tenantId) problems.push(`${what} is tenant "${previous.tenantId}"'s, this export is tenant "${manifest.tenantId}"'s`);
  if (previous.exportId === manifest.exportId) problems.push(`${what} is this export's own (export ${manifest.exportId})`);
  if (Date.parse(previous.generatedAt) >= Date.parse(manifest.generatedAt)) {
    problems.push(`${what} was generated at ${previous.generatedAt}, not before this export (${manifest.generatedAt})`);
  }
  // Exports of one tenant move forward in time; they may overlap (a period exported again).
  if (Date.parse(previous.from) > Date.parse(manifest.from) || Date.parse(previous.to) > Date.parse(manifest.to)) {
    problems.push(`${what} covers [${previous.from}, ${previous.to}), which does not come before this export's [${manifest.from}, ${manifest.to})`);
  }
  if (previous.lastPosition && manifest.lastPosition && comparePositions(parsePosition(previous.lastPosition), parsePosition(manifest.lastPosition)) > 0) {
    problems.push(`${what} ends at global position ${previous.lastPosition}, after this export's last event (${manifest.lastPosition})`);
  }
  return problems;
};

/** A file that should be tiny (a signature), read no further than a little past what it should hold. */
const readSmall = async (chunks: AsyncIterable<Uint8Array>, limit = 1024): Promise<Buffer> => {
  const read: Buffer[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    read.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size > limit) break;
  }
  return Buffer.concat(read);
};

/** Checks an export: the manifest's shape and signature, every file's size and digest, events.ndjson line by line, and the chain. */
export const verifyAuditExport = async (reader: ExportReader, options: VerifyOptions): Promise<VerifyResult> => {
  const limit = options.maxProblemsPerFile ?? 20;
  // a bad key is the caller's error, not a problem of the export
  const keys = (Array.isArray(options.publicKey) ? (options.publicKey as readonly PublicKeyInput[]) : [options.publicKey as PublicKeyInput]).map(toPublicKey);
  if (keys.length === 0) throw new Error('no public key given');
  const text = await reader.manifestText();
  if (text === null) return { ok: false, problems: [`${MANIFEST_FILE} is missing: without it nothing in the export can be checked`], warnings: [], summary: null };
  const parsed = parseManifest(text);
  if (!parsed.ok) return { ok: false, problems: parsed.problems, warnings: [], summary: null };
  const manifest = parsed.manifest;
  const problems: string[] = [];
  const warnings: string[] = [];
  const keyIds = keys.map((key) => keyIdOf(key));
  const named = keyIds.indexOf(manifest.signature.keyId);
  // With one key a mismatch is the signature check's to word; with a key ring, none matching is said here.
  const publicKey = keys[named < 0 ? 0 : named];
  const unknownKey =
    keys.length > 1 && named < 0
      ? `${MANIFEST_FILE} is signed by key ${manifest.signature.keyId}, which is none of the ${keys.length} public keys given (${keyIds.join(', ')}): it was not signed by this deployment, or its key is missing from those given`
      : undefined;

  const reformatted = `${MANIFEST_FILE}: its content is signed, but its bytes are not as the exporter wrote them (reformatted or re-encoded), so the next export's chain no longer matches it`;
  if (unknownKey) problems.push(unknownKey);
  else if (manifest.format === MANIFEST_FORMAT_V1) {
    const signature = verifyManifestSignature(manifest, publicKey);
    if (!signature.ok) problems.push(signature.problem);
    // The signature covers the content; the chain covers the bytes: a reformatted manifest would break the next export's link.
    else if (text !== serializeManifest(manifest)) problems.push(reformatted);
  } else {
    const sig = reader.stream(SIGNATURE_FILE);
    if (!sig) problems.push(`${SIGNATURE_FILE} is missing: it holds the signature of ${MANIFEST_FILE}, which without it cannot be trusted`);
    else {
      const value = await readSmall(sig).catch((error: unknown) => `${SIGNATURE_FILE} could not be read: ${(error as Error).message}`);
      if (typeof value === 'string') problems.push(value);
      else {
        const signed = { ...manifest, signature: { ...manifest.signature, value: value.toString('base64') } };
        const signature = verifyManifestSignature(signed, publicKey, text);
        // The signature covers the bytes: say so when only the layout changed, not the content.
        if (!signature.ok) problems.push(text !== serializeManifest(signed) && verifyManifestSignature(signed, publicKey).ok ? reformatted : signature.problem);
      }
    }
  }

  let events = { eventsRead: 0, streams: 0 };
  for (const entry of manifest.files) {
    const chunks = reader.stream(entry.name);
    if (!chunks) {
      problems.push(`${entry.name} is missing (the manifest lists it with ${entry.bytes} bytes)`);
      continue;
    }
    const checked = await checkFile(entry, chunks, manifest, limit);
    problems.push(...checked.problems);
    if (checked.events) events = checked.events;
  }

  if (reader.list) {
    const listed = new Set([MANIFEST_FILE, ...(manifest.format === MANIFEST_FORMAT_V1 ? [] : [SIGNATURE_FILE]), ...manifest.files.map((f) => f.name)]);
    for (const name of await reader.list()) {
      if (!listed.has(name)) warnings.push(`${name} is not part of the export: the manifest does not cover it, so nothing vouches for it`);
    }
  }

  if (options.previousManifest !== undefined) problems.push(...checkChain(manifest, options.previousManifest));

  return {
    ok: problems.length === 0,
    problems,
    warnings,
    summary: {
      format: manifest.format,
      exportId: manifest.exportId,
      tenantId: manifest.tenantId,
      from: manifest.from,
      to: manifest.to,
      generatedAt: manifest.generatedAt,
      eventCount: manifest.eventCount,
      firstPosition: manifest.firstPosition,
      lastPosition: manifest.lastPosition,
      keyId: manifest.signature.keyId,
      previousManifestSha256: manifest.previousManifestSha256,
      eventsRead: events.eventsRead,
      streams: events.streams,
      chainChecked: options.previousManifest !== undefined,
    },
  };
};
