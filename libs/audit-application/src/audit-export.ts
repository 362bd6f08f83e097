// Audit trail export: a tenant's events of a period, streamed from the log page by page into
// events.ndjson, events.csv, an OSCAL assessment-results document and OCSF records, then a signed
// manifest chained to the tenant's previous export, and the export recorded in the tenant's trail.
// Memory holds one page of events at a time, whatever the size of the period.
import { createHash, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  auditTrailDecider,
  auditTrailStreamId,
  csvRow,
  CSV_HEADER,
  CSV_LINE_END,
  EXPORT_FILES,
  manifestDigest,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  ndjsonLine,
  OcsfMemory,
  ocsfRecords,
  OscalAssessment,
  serializeManifest,
  SIGNATURE_FILE,
  signatureFileOf,
  signManifest,
  type AuditCatalog,
  type AuditManifest,
  type AuditTrailEvent,
  type ExportContext,
  type ManifestFile,
  AUDIT_COMMAND_INTENTS,
} from '@rampart/audit';
import { fold, formatPosition, handleCommand, isValidTenantId, type Actor, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import { type Stores, tenantLogPages } from '@rampart/runtime';

/**
 * An append's rows stay invisible until its transaction commits, and readers see nothing past the
 * oldest running one; an export of a period that has only just ended waits this long after `to`,
 * longer than an append transaction lasts, so an event recorded just before `to` is not missed.
 */
export const AUDIT_EXPORT_SETTLE_MS = 5_000;

export interface AuditExportProgress {
  readonly phase: 'reading' | 'signing' | 'recorded';
  /** Events of the tenant read from the log (before the period too: they seed the OSCAL state). */
  readonly eventsRead: number;
  /** Events of the period written to the files. */
  readonly eventsWritten: number;
}

export interface AuditExportOptions {
  readonly tenantId: string;
  /** Inclusive. */
  readonly from: Date;
  /** Exclusive; not in the future (events of a period still running could be missed). */
  readonly to: Date;
  /** Created if missing; must be empty, so no file of an earlier export is mixed in. */
  readonly outDir: string;
  readonly signingKey: KeyObject | string;
  /** The guardrails as the formats name them (control mappings, titles, severities). */
  readonly catalog: AuditCatalog;
  /** Tenancy's standing rule: whose record may be exported. */
  readonly standing: TenantStanding;
  readonly actor: Actor;
  readonly onProgress?: (progress: AuditExportProgress) => void;
  readonly product?: { readonly name: string; readonly version: string };
  readonly now?: () => Date;
  readonly exportId?: string;
  /** Events per read of the log (and so held in memory at once). */
  readonly pageSize?: number;
  /** Default AUDIT_EXPORT_SETTLE_MS; 0 where every append is known to have committed (tests, benchmarks). */
  readonly settleMs?: number;
}

export interface AuditExportResult {
  readonly outDir: string;
  readonly manifest: AuditManifest;
  /** What the tenant's next export chains to. */
  readonly manifestSha256: string;
  readonly eventsRead: number;
}

export class AuditExportError extends Error {
  /** Set when a rule refused the export (e.g. the tenant's standing), for callers that answer with a code. */
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AuditExportError';
  }
}

/** One output file: bytes go to disk as they come, hashed and counted on the way, waiting when the disk is behind. */
class HashedFile {
  readonly #stream: WriteStream;
  readonly #hash = createHash('sha256');
  #bytes = 0;
  #error: Error | undefined;

  #opened = false;

  constructor(
    readonly name: string,
    private readonly path: string,
  ) {
    // 'wx': never overwrite a file that is there already (the folder was checked empty, but not locked)
    this.#stream = createWriteStream(path, { flags: 'wx', mode: 0o644 });
    this.#stream.on('open', () => (this.#opened = true));
    this.#stream.on('error', (error) => (this.#error ??= error));
  }

  async write(text: string): Promise<void> {
    if (this.#error) throw this.#error;
    if (!text) return;
    const bytes = Buffer.from(text, 'utf8');
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    if (!this.#stream.write(bytes)) await once(this.#stream, 'drain');
  }

  async close(): Promise<ManifestFile> {
    this.#stream.end();
    await finished(this.#stream);
    if (this.#error) throw this.#error;
    return { name: this.name, bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }

  /** Stops writing and removes the file, if this export created it. */
  async discard(): Promise<void> {
    this.#stream.destroy();
    if (this.#opened) await rm(this.path, { force: true });
  }
}

const prepareOutDir = async (outDir: string): Promise<void> => {
  await mkdir(outDir, { recursive: true });
  const present = await readdir(outDir);
  if (present.length) throw new AuditExportError(`${outDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}): export into a new folder`);
};

export const exportAuditTrail = async (stores: Pick<Stores, 'eventStore'>, options: AuditExportOptions): Promise<AuditExportResult> => {
  const { tenantId, from, to, actor } = options;
  const store = stores.eventStore;
  const now = options.now ?? (() => new Date());
  const pageSize = options.pageSize ?? 1000;
  if (!isValidTenantId(tenantId)) throw new AuditExportError(`"${tenantId}" is not a valid tenant id`);
  if (!(from.getTime() < to.getTime())) throw new AuditExportError(`the period [${from.toISOString()}, ${to.toISOString()}) is empty: from must be before to`);
  if (to.getTime() > now().getTime()) throw new AuditExportError(`to (${to.toISOString()}) is in the future: only a period that has ended can be exported completely`);
  // Tenancy's rule: an export reads the record, so an offboarded tenant's auditors may still take one.
  const refused = await options.standing(tenantId, AUDIT_COMMAND_INTENTS.RecordExport);
  if (refused) throw new AuditExportError(refused.message ?? refused.code, refused.code);

  const outDir = resolve(options.outDir);
  await prepareOutDir(outDir);
  const settle = to.getTime() + (options.settleMs ?? AUDIT_EXPORT_SETTLE_MS) - now().getTime();
  if (settle > 0) await new Promise((r) => setTimeout(r, settle));
  const catalog = (await options.catalog.forTenant?.(tenantId)) ?? options.catalog;
  const trail = fold(auditTrailDecider, (await store.readStream(auditTrailStreamId(tenantId))) as unknown as AuditTrailEvent[]);
  const exportId = options.exportId ?? randomUUID();
  const context: ExportContext = {
    tenantId,
    from,
    to,
    exportId,
    generatedAt: now(),
    catalog,
    product: options.product ?? { name: 'Rampart', version: 'unknown' },
  };

  const files = {
    ndjson: new HashedFile('events.ndjson', join(outDir, 'events.ndjson')),
    csv: new HashedFile('events.csv', join(outDir, 'events.csv')),
    oscal: new HashedFile('oscal-assessment-results.json', join(outDir, 'oscal-assessment-results.json')),
    ocsf: new HashedFile('ocsf.ndjson', join(outDir, 'ocsf.ndjson')),
  };
  const partialManifest = join(outDir, `${MANIFEST_FILE}.partial`);
  const signatureFile = join(outDir, SIGNATURE_FILE);
  let signatureWritten = false;
  let manifest: AuditManifest;
  let manifestSha256: string;
  let eventsRead = 0;
  try {
    const oscal = new OscalAssessment(context);
    const ocsf = new OcsfMemory();
    await files.csv.write(`${CSV_HEADER}${CSV_LINE_END}`);
    const fromMs = from.getTime();
    const toMs = to.getTime();
    let eventsWritten = 0;
    let first: RecordedEvent | undefined;
    let last: RecordedEvent | undefined;
    for await (const page of tenantLogPages(stores, tenantId, { until: to, pageSize })) {
      let ndjson = '';
      let csv = '';
      let ocsfText = '';
      for (const event of page.events) {
        const at = Date.parse(event.recordedAt);
        if (at < fromMs) {
          // May come after events of the period (the log is in commit order, recordedAt is insert
          // time): the formats take it as state at the period's start all the same.
          oscal.seed(event);
          ocsf.seed(event);
        } else if (at < toMs) {
          ndjson += `${ndjsonLine(event)}\n`;
          csv += `${csvRow(event)}${CSV_LINE_END}`;
          for (const record of ocsfRecords(event, context, ocsf)) ocsfText += `${JSON.stringify(record)}\n`;
          oscal.add(event);
          first ??= event;
          last = event;
          eventsWritten++;
        }
      }
      eventsRead += page.events.length;
      // one page of text per file: the next page is read only once the disk has taken this one
      await Promise.all([files.ndjson.write(ndjson), files.csv.write(csv), files.ocsf.write(ocsfText)]);
      options.onProgress?.({ phase: 'reading', eventsRead, eventsWritten });
    }
    await files.oscal.write(`${JSON.stringify(oscal.document(), null, 2)}\n`);
    options.onProgress?.({ phase: 'signing', eventsRead, eventsWritten });
    const closed = new Map<string, ManifestFile>();
    for (const file of Object.values(files)) closed.set(file.name, await file.close());
    manifest = signManifest(
      {
        format: MANIFEST_FORMAT,
        exportId,
        tenantId,
        from: from.toISOString(),
        to: to.toISOString(),
        generatedAt: context.generatedAt.toISOString(),
        files: EXPORT_FILES.map((name) => closed.get(name) as ManifestFile),
        eventCount: eventsWritten,
        firstPosition: first ? formatPosition(first.globalPosition) : null,
        lastPosition: last ? formatPosition(last.globalPosition) : null,
        previousManifestSha256: trail.lastManifestSha256,
      },
      options.signingKey,
    );
    const text = serializeManifest(manifest);
    manifestSha256 = manifestDigest(text);
    // The manifest takes its final name only once the trail holds the export: a crash in between
    // leaves files that verification refuses (no manifest.json), never a signed export the trail lacks.
    await writeFile(signatureFile, signatureFileOf(manifest), { flag: 'wx', mode: 0o644 });
    signatureWritten = true;
    await writeFile(partialManifest, text, { flag: 'wx', mode: 0o644 });
  } catch (error) {
    await discard(files);
    if (signatureWritten) await rm(signatureFile, { force: true });
    throw error;
  }

  let outcome;
  try {
    outcome = await handleCommand(
      store,
      auditTrailDecider,
      auditTrailStreamId(tenantId),
      {
        kind: 'RecordExport',
        exportId,
        from: manifest.from,
        to: manifest.to,
        manifestSha256,
        previousManifestSha256: manifest.previousManifestSha256,
        eventCount: manifest.eventCount,
        firstPosition: manifest.firstPosition,
        lastPosition: manifest.lastPosition,
        files: manifest.files,
      },
      { tenantId, actor, correlationId: exportId, now: now() },
    );
  } catch (error) {
    // Whether the append reached the store is unknown: the files stay, for someone to compare with the trail.
    throw new AuditExportError(
      `could not record export ${exportId} in ${tenantId}'s trail (${(error as Error).message}); if the trail holds it, rename ${MANIFEST_FILE}.partial to ${MANIFEST_FILE} in ${outDir}, otherwise delete the folder and export again`,
    );
  }
  if (!outcome.ok) {
    await discard(files);
    await rm(partialManifest, { force: true });
    await rm(signatureFile, { force: true });
    throw new AuditExportError(
      outcome.rejection.code === 'chain-moved'
        ? `another export of ${tenantId} was recorded while this one ran, so this one would fork the chain of manifests: export again`
        : `the trail refused the export: ${outcome.rejection.code}${outcome.rejection.message ? `: ${outcome.rejection.message}` : ''}`,
    );
  }
  await rename(partialManifest, join(outDir, MANIFEST_FILE));
  options.onProgress?.({ phase: 'recorded', eventsRead, eventsWritten: manifest.eventCount });
  return { outDir, manifest, manifestSha256, eventsRead };
};

/** Nothing of an export the trail does not hold may remain to be mistaken for one. */
const discard = async (files: Record<string, HashedFile>): Promise<void> => {
  await Promise.all(Object.values(files).map((file) => file.discard()));
};
