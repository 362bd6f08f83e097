// GET /audit-exports/:tenantId/:exportId/:file — the files of an audit export, through the links
// auditExport hands out. A link alone is not enough: the caller is authenticated like on every
// route and must be allowed to export the tenant's trail; the link adds that it is unexpired and
// names exactly this file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/http-auth';
import { createRequestContext } from '../context';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { refusal as refuse } from './errors';

const CONTENT_TYPES: Record<string, string> = {
  'events.ndjson': 'application/x-ndjson',
  'ocsf.ndjson': 'application/x-ndjson',
  'events.csv': 'text/csv; charset=utf-8',
  'oscal-assessment-results.json': 'application/json',
  'manifest.json': 'application/json',
};

@Controller('audit-exports')
export class AuditDownloadController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Get(':tenantId/:exportId/:file')
  async download(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Param('tenantId') tenantId: string,
    @Param('exportId') exportId: string,
    @Param('file') file: string,
    @Query('expires') expires: string,
    @Query('signature') signature: string,
  ): Promise<void> {
    if (!req.principal) throw refuse(401, 'UNAUTHENTICATED', 'authentication required');
    const ctx = await createRequestContext(req.principal, req.correlationId ?? 'download', this.runtime.stores);
    if (!ctx.scope.can('audit.export', tenantId)) throw refuse(403, 'FORBIDDEN', `not allowed to export the audit trail of tenant ${tenantId}`);
    const link = this.runtime.audit.resolveLink(tenantId, exportId, file, expires, signature);
    if (!link.ok) throw refuse(link.status, link.status === 404 ? 'NOT_FOUND' : 'FORBIDDEN', link.reason);
    const size = await stat(link.path).then((s) => s.size, () => undefined);
    if (size === undefined) throw refuse(404, 'NOT_FOUND', 'the export file is not on this instance (exports are kept in the data folder of the instance that wrote them)');
    res.status(200).set({
      'content-type': CONTENT_TYPES[file] ?? 'application/octet-stream',
      'content-length': String(size),
      'content-disposition': `attachment; filename="${file}"`,
      'cache-control': 'no-store',
    });
    createReadStream(link.path).pipe(res);
  }
}
