// POST /webhooks/alerts/:tenantId — for automation that can only send a webhook (a Defender for
// Cloud workflow automation Logic App, a Sentinel playbook): the body is the alert as the source
// sends it. Authenticated like every route (API key or bearer token), authorized like the
// ingestAlerts mutation, answered with the same result.
import { Body, Controller, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/http-auth';
import { createRequestContext } from '../context';
import { recordAlerts } from '../graphql/incidents.resolver';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { refusal as refuse } from './errors';

@Controller('webhooks')
export class AlertsWebhookController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Post('alerts/:tenantId')
  @HttpCode(200)
  async alerts(@Req() req: AuthenticatedRequest, @Param('tenantId') tenantId: string, @Body() body: unknown) {
    // The middleware in front of every route has authenticated the caller already.
    if (!req.principal) throw refuse(401, 'UNAUTHENTICATED', 'authentication required');
    const ctx = await createRequestContext(req.principal, req.correlationId ?? 'webhook', this.runtime.stores);
    if (!ctx.scope.can('alerts.ingest', tenantId)) throw refuse(403, 'FORBIDDEN', `not allowed to send alerts for tenant ${tenantId}`);
    if (body === undefined || body === null || typeof body !== 'object') throw refuse(400, 'BAD_USER_INPUT', 'send the alert as a JSON body (content-type: application/json)');
    const outcome = await recordAlerts(this.runtime, ctx, tenantId, body);
    if ('error' in outcome) throw refuse(400, 'BAD_USER_INPUT', outcome.error);
    return outcome;
  }
}
