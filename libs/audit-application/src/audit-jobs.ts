// Audit exports asked for through the API: each runs in the background of the process that took
// the request, into the data folder, one at a time per tenant (each export chains to the one
// before it), and is downloaded through short-lived signed links. The export itself is
// exportAuditTrail, the same as `rampart audit export`.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { EXPORT_FILES, MANIFEST_FILE, SIGNATURE_FILE, type AuditManifest } from '@rampart/audit';
import type { Actor } from '@rampart/event-sourcing';
import { AUDIT_COMMAND_INTENTS } from '@rampart/audit';
import { AuditExportError, exportAuditTrail, type AuditExportOptions } from './audit-export';
import { loadAuditSigningKey, type AuditKeyConfig, type AuditSigningKey } from './audit-keys';
import { type Logger, type Stores } from '@rampart/runtime';

/** Jobs live in this process only: every export they link to was written in the current format, signature file included. */
export const AUDIT_DOWNLOAD_FILES: readonly string[] = [...EXPORT_FILES, MANIFEST_FILE, SIGNATURE_FILE];
/** How long a download link works. */
export const AUDIT_LINK_TTL_MS = 15 * 60_000;
const KEPT_JOBS = 200;

export type AuditJobStatus = 'running' | 'succeeded' | 'failed';

export interface AuditExportJob {
  readonly exportId: string;
  readonly tenantId: string;
  readonly from: string;
  readonly to: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  status: AuditJobStatus;
  eventsWritten: number;
  manifest?: AuditManifest;
  manifestSha256?: string;
  error?: string;
  finishedAt?: string;
}

export interface AuditLink {
  readonly file: string;
  readonly url: string;
  readonly expiresAt: string;
}

export class AuditExports {
  private readonly jobs = new Map<string, AuditExportJob>();
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Signs download links; a restart invalidates them, which a 15-minute link can afford. */
  private readonly linkKey = randomBytes(32);
  private signingKey?: Promise<AuditSigningKey>;

  constructor(
    private readonly stores: Pick<Stores, 'eventStore'>,
    private readonly config: AuditKeyConfig,
    private readonly log: Logger,
    private readonly options: Pick<AuditExportOptions, 'catalog' | 'standing'> & { product?: AuditExportOptions['product']; settleMs?: number; now?: () => Date },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** The key that signs manifests, created on first use outside production. */
  key(): Promise<AuditSigningKey> {
    this.signingKey ??= loadAuditSigningKey(this.config).catch((error: unknown) => {
      this.signingKey = undefined;
      throw error;
    });
    return this.signingKey;
  }

  private folder(tenantId: string, exportId: string): string {
    return join(this.config.dataDir, 'exports', tenantId, exportId);
  }

  /** Starts an export; it runs after the tenant's earlier ones (their manifests chain). */
  async start(tenantId: string, from: Date, to: Date, actor: Actor): Promise<AuditExportJob> {
    const now = this.now();
    if (!(from.getTime() < to.getTime())) throw new RangeError('from must be before to');
    if (to.getTime() > now.getTime()) throw new RangeError('to is in the future: only a period that has ended can be exported completely');
    // Refusals are said now, not in a failed job later: the tenant's standing, a missing production key.
    const refused = await this.options.standing(tenantId, AUDIT_COMMAND_INTENTS.RecordExport);
    if (refused) throw new AuditExportError(refused.message ?? refused.code, refused.code);
    const key = await this.key();
    const job: AuditExportJob = {
      exportId: randomUUID(),
      tenantId,
      from: from.toISOString(),
      to: to.toISOString(),
      requestedBy: actor.id,
      requestedAt: now.toISOString(),
      status: 'running',
      eventsWritten: 0,
    };
    this.jobs.set(job.exportId, job);
    for (const id of [...this.jobs.keys()].slice(0, Math.max(0, this.jobs.size - KEPT_JOBS))) this.jobs.delete(id);
    const previous = this.queues.get(tenantId) ?? Promise.resolve();
    const run = previous.then(async () => {
      try {
        const result = await exportAuditTrail(this.stores, {
          tenantId,
          from,
          to,
          outDir: this.folder(tenantId, job.exportId),
          signingKey: key.privateKey,
          actor,
          exportId: job.exportId,
          product: this.options.product,
          catalog: this.options.catalog,
          standing: this.options.standing,
          settleMs: this.options.settleMs,
          onProgress: (p) => (job.eventsWritten = p.eventsWritten),
        });
        job.manifest = result.manifest;
        job.manifestSha256 = result.manifestSha256;
        job.eventsWritten = result.manifest.eventCount;
        job.status = 'succeeded';
        this.log.info({ tenantId, exportId: job.exportId, events: result.manifest.eventCount }, 'audit export written');
      } catch (error) {
        job.status = 'failed';
        job.error = (error as Error).message;
        this.log.error({ tenantId, exportId: job.exportId, err: error }, 'audit export failed');
      } finally {
        job.finishedAt = new Date().toISOString();
      }
    });
    this.queues.set(tenantId, run);
    void run.finally(() => {
      if (this.queues.get(tenantId) === run) this.queues.delete(tenantId);
    });
    return job;
  }

  job(tenantId: string, exportId: string): AuditExportJob | undefined {
    const job = this.jobs.get(exportId);
    return job?.tenantId === tenantId ? job : undefined;
  }

  /** Waits for a job to end (tests, CLI-like callers). */
  async settled(tenantId: string): Promise<void> {
    await this.queues.get(tenantId);
  }

  private signature(tenantId: string, exportId: string, file: string, expires: number): string {
    return createHmac('sha256', this.linkKey).update(`${tenantId}\n${exportId}\n${file}\n${expires}`).digest('base64url');
  }

  /** Links to each file of a finished export, valid for AUDIT_LINK_TTL_MS. */
  links(job: AuditExportJob): AuditLink[] {
    if (job.status !== 'succeeded') return [];
    const expires = this.now().getTime() + AUDIT_LINK_TTL_MS;
    return AUDIT_DOWNLOAD_FILES.map((file) => ({
      file,
      url: `/audit-exports/${encodeURIComponent(job.tenantId)}/${job.exportId}/${file}?expires=${expires}&signature=${this.signature(job.tenantId, job.exportId, file, expires)}`,
      expiresAt: new Date(expires).toISOString(),
    }));
  }

  /** The file a link names, when the link is genuine and unexpired; otherwise why not. */
  resolveLink(tenantId: string, exportId: string, file: string, expires: string, signature: string): { ok: true; path: string } | { ok: false; status: 403 | 404 | 410; reason: string } {
    if (!AUDIT_DOWNLOAD_FILES.includes(file) || !/^[0-9a-f-]{36}$/.test(exportId)) return { ok: false, status: 404, reason: 'no such export file' };
    const at = Number(expires);
    if (!Number.isSafeInteger(at)) return { ok: false, status: 403, reason: 'the link is not valid' };
    const expected = Buffer.from(this.signature(tenantId, exportId, file, at));
    const given = Buffer.from(signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, status: 403, reason: 'the link is not valid' };
    if (at < this.now().getTime()) return { ok: false, status: 410, reason: 'the link has expired: ask for the export again (auditExport) to get fresh links' };
    return { ok: true, path: join(this.folder(tenantId, exportId), file) };
  }
}
