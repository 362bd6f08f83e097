// Evidence files for attestations, by content: PUT /evidence/:tenantId?name=<file name> with the
// file's bytes as the body (its media type as content-type) stores it once per tenant and answers
// with the digest recordAttestation names it by; GET /evidence/:tenantId/:sha256 gives it back to
// anyone who may read the tenant (its auditors too). Authenticated like every route; one tenant's
// digest never finds another tenant's file.
import { Controller, Get, HttpCode, Inject, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EvidenceError, MAX_EVIDENCE_BYTES } from '@rampart/guardrails-application';
import type { AuthenticatedRequest } from '../auth/http-auth';
import { createRequestContext } from '../context';
import { evidencePath, evidenceStoreOf } from '../graphql/evidence';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { refusal as refuse } from './errors';

export { MAX_EVIDENCE_BYTES };
const SHA256 = /^[0-9a-f]{64}$/;
/** Types a browser would run or render as a page: served as bytes, whatever they were uploaded as. */
const ACTIVE_CONTENT = /html|xml|svg|javascript|ecmascript/i;

@Controller('evidence')
export class EvidenceController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Put(':tenantId')
  @HttpCode(201)
  async upload(@Req() req: AuthenticatedRequest & Request, @Param('tenantId') tenantId: string, @Query('name') name: string | undefined) {
    if (!req.principal) throw refuse(401, 'UNAUTHENTICATED', 'authentication required');
    const ctx = await createRequestContext(req.principal, req.correlationId ?? 'evidence', this.runtime.stores);
    if (!ctx.scope.can('attestations.record', tenantId)) throw refuse(403, 'FORBIDDEN', `not allowed to store evidence for tenant ${tenantId}`);
    if (!Buffer.isBuffer(req.body)) throw refuse(400, 'BAD_USER_INPUT', 'send the file as the request body, with its media type as content-type');
    if (!name) throw refuse(400, 'BAD_USER_INPUT', 'name the file: PUT /evidence/<tenant>?name=<file name>');
    const store = await evidenceStoreOf(this.runtime.stores);
    try {
      const stored = await store.put(tenantId, req.body, { name, mediaType: req.headers['content-type'] });
      this.runtime.log.info({ tenantId, sha256: stored.sha256, size: stored.size, principal: req.principal.id }, 'evidence file stored');
      return { ...stored, downloadPath: evidencePath(tenantId, stored.sha256) };
    } catch (error) {
      if (error instanceof EvidenceError) throw refuse(error.code === 'evidence-too-large' ? 413 : 400, error.code === 'evidence-too-large' ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', error.message);
      throw error;
    }
  }

  @Get(':tenantId/:sha256')
  async download(@Req() req: AuthenticatedRequest, @Res() res: Response, @Param('tenantId') tenantId: string, @Param('sha256') sha256: string): Promise<void> {
    if (!req.principal) throw refuse(401, 'UNAUTHENTICATED', 'authentication required');
    const ctx = await createRequestContext(req.principal, req.correlationId ?? 'evidence', this.runtime.stores);
    if (!ctx.scope.can('tenants.read', tenantId)) throw refuse(403, 'FORBIDDEN', `not allowed to read tenant ${tenantId}`);
    if (!SHA256.test(sha256)) throw refuse(400, 'BAD_USER_INPUT', 'a lowercase hex SHA-256');
    const file = await (await evidenceStoreOf(this.runtime.stores)).read(tenantId, sha256);
    if (!file) throw refuse(404, 'NOT_FOUND', `tenant ${tenantId} has no evidence file ${sha256}`);
    res.status(200).set({
      'content-type': ACTIVE_CONTENT.test(file.mediaType) ? 'application/octet-stream' : file.mediaType,
      'content-length': String(file.size),
      'content-disposition': `attachment; filename="${file.name.replace(/["\\\r\n]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cache-control': 'no-store',
      digest: `sha-256=${Buffer.from(sha256, 'hex').toString('base64')}`,
    });
    res.end(file.content);
  }
}
