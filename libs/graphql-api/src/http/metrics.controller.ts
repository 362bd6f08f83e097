// Prometheus scrape endpoint. The API binds to loopback until authentication lands; when it
// binds elsewhere, /metrics must sit behind a private address (see docs/operations.md).
import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RUNTIME, type ApiRuntime } from '../runtime';

@Controller()
export class MetricsController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() res: Response): Promise<void> {
    res.type(this.runtime.metrics.contentType).send(await this.runtime.metrics.metrics());
  }
}
