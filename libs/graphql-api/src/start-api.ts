// Boots the API over HTTP. Until authentication lands, Rampart refuses to listen on anything but
// loopback: an API without authentication on a network is exactly how the customer in the
// product story was breached.
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { isIP } from 'node:net';
import { ApiModule } from './api.module';
import { PinoNestLogger } from './nest-logger';
import type { ApiRuntime } from './runtime';

export const MAX_REQUEST_BYTES = 1024 * 1024;

export interface RunningApi {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

export const isLoopback = (host: string): boolean =>
  LOOPBACK_NAMES.has(host) || (isIP(host) === 4 && host.startsWith('127.'));

export class UnsafeBindError extends Error {
  constructor(host: string) {
    super(
      `refusing to listen on ${host}: the API has no authentication yet, so it binds to loopback only (RAMPART_HOST=127.0.0.1)`,
    );
    this.name = 'UnsafeBindError';
  }
}

export const assertSafeBind = (host: string): void => {
  if (!isLoopback(host)) throw new UnsafeBindError(host);
};

export const startApi = async (runtime: ApiRuntime, http: { host: string; port: number }): Promise<RunningApi> => {
  assertSafeBind(http.host);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(runtime), {
    logger: new PinoNestLogger(runtime.log.child({ component: 'nest' })),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: MAX_REQUEST_BYTES });
  app.disable('x-powered-by');
  await app.listen(http.port, http.host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${http.host.includes(':') ? `[${http.host}]` : http.host}:${address.port}`;
  runtime.log.info({ url: `${url}/graphql`, store: runtime.stores.description }, 'api listening');
  return { url, port: address.port, close: () => app.close() };
};
