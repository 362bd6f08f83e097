// Prometheus scrape endpoint. The authentication middleware lets a scraper through without a
// principal when it connects from the machine itself or presents RAMPART_METRICS_TOKEN; anyone
// else arrives authenticated and must be staff (the metrics span every tenant).
import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/http-auth';
import { RUNTIME, type ApiRuntime } from '../runtime';
import { sendRefusal } from './errors';

@Controller()
export class MetricsController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const principal = req.principal;
    if (principal && !principal.grants.some((g) => g.role === 'platform.admin' || g.role === 'soc.lead' || g.role === 'soc.analyst')) {
      sendRefusal(res, 403, 'FORBIDDEN', 'metrics are for platform staff, a scraper on this machine, or one presenting RAMPART_METRICS_TOKEN');
      return;
    }
    res.type(this.runtime.metrics.contentType).send(await this.runtime.metrics.metrics());
  }
}
