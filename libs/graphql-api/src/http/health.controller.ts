// /health for load balancers and orchestrators: 200 when the event store and the read-model
// database answer, 503 (with which one failed) when not. It reveals no data, so it is the one
// route that needs no principal.
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RUNTIME, type ApiRuntime } from '../runtime';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

@Controller()
export class HealthController {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  @Get('health')
  async health(@Res() res: Response): Promise<void> {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await withTimeout(probe(), 2_000);
        return 'up' as const;
      } catch (error) {
        this.runtime.log.warn({ err: error }, 'health check failed');
        return 'down' as const;
      }
    };
    const [eventStore, readModels] = await Promise.all([
      check(() => this.runtime.stores.eventStore.headPosition()),
      check(() => this.runtime.stores.readModels.query('SELECT 1')),
    ]);
    const up = eventStore === 'up' && readModels === 'up';
    res.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json({
      status: up ? 'ok' : 'unavailable',
      version: this.runtime.version,
      store: this.runtime.stores.eventStore.kind,
      checks: { eventStore, readModels },
    });
  }
}
