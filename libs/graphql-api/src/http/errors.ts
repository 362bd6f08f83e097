// The body every non-GraphQL route refuses with, shaped like a GraphQL error so clients read one form;
// also what Express and body-parser would otherwise answer themselves (malformed or oversize bodies,
// unknown routes, failures in middleware), in that same shape, never a stack or an HTML page.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '@rampart/runtime';

export const errorBody = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ errors: [{ message, extensions: { code, ...extra } }] });

/** For Nest controllers: throw it. */
export const refusal = (status: number, code: string, message: string): HttpException => new HttpException(errorBody(code, message), status);

/** For plain Express middleware: send it. */
export const sendRefusal = (res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  res.status(status).json(errorBody(code, message, extra));

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** 1048576 -> "1 MiB", 4096 -> "4 KiB". */
export const formatBytes = (bytes: number): string =>
  bytes >= 1 << 20 && bytes % (1 << 20) === 0 ? `${bytes / (1 << 20)} MiB` : bytes >= 1 << 10 && bytes % (1 << 10) === 0 ? `${bytes / (1 << 10)} KiB` : `${bytes} bytes`;

interface ExpressError {
  readonly status?: unknown;
  readonly statusCode?: unknown;
  /** body-parser's kind of failure. */
  readonly type?: unknown;
  readonly limit?: unknown;
}

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** What a failure raised by Express, body-parser or serve-static tells the client; undefined: a fault of ours. */
export const refusalOf = (error: unknown): Refusal | undefined => {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ExpressError;
  switch (e.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'BAD_REQUEST', message: 'request body is not valid JSON' };
    case 'entity.too.large':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: typeof e.limit === 'number' ? `request body larger than ${formatBytes(e.limit)}` : 'request body too large' };
    case 'encoding.unsupported':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'request body content-encoding not supported (use gzip, deflate, br or none)' };
    case 'charset.unsupported':
      return { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'request body charset not supported (use utf-8)' };
    case 'request.aborted':
    case 'request.size.invalid':
      return { status: 400, code: 'BAD_REQUEST', message: 'request body incomplete: it does not match its content-length' };
  }
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status > 499) return undefined;
  return { status, code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message: `request refused: ${(STATUS_CODES[status] ?? 'bad request').toLowerCase()}` };
};

const isErrorBody = (body: unknown): boolean => typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);

/** The last error handler: whatever middleware failed with, the client gets a refusal or a correlation id. */
export const refuseFailures =
  (log: Logger): ErrorRequestHandler =>
  (error: unknown, req: Request, res: Response, next) => {
    if (res.headersSent) return next(error);
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const status = error.getStatus();
      if (isErrorBody(body)) return void res.status(status).json(body);
      return void sendRefusal(res, status, CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST'), error.message);
    }
    const refused = refusalOf(error);
    if (refused) return void sendRefusal(res, refused.status, refused.code, refused.message);
    const correlationId = (req as { correlationId?: string }).correlationId ?? randomUUID();
    log.error({ err: error, correlationId, method: req.method, path: req.path }, 'request failed');
    sendRefusal(res, 500, 'INTERNAL_SERVER_ERROR', `Internal error; quote correlation id ${correlationId} when reporting it`, { correlationId });
  };

/** No route answered: 404 in the refusal shape (Express and Nest would say "Cannot GET /x" their own ways). */
export const refuseUnknownRoute: RequestHandler = (req, res) => {
  const path = req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path;
  sendRefusal(res, 404, 'NOT_FOUND', `no route ${req.method} ${path}`);
};

/**
 * Express as Nest runs it, except for the two answers it would make on its own: the unknown route and
 * the failure in middleware (body-parser's 400 and 413 among them), which take the refusal shape here.
 * Nest installs both after every route; GraphQL errors never reach them.
 */
export class RefusingExpressAdapter extends ExpressAdapter {
  readonly #log: Logger;

  constructor(log: Logger) {
    super();
    this.#log = log;
  }

  override setNotFoundHandler() {
    return this.use(refuseUnknownRoute);
  }

  override setErrorHandler() {
    return this.use(refuseFailures(this.#log));
  }
}
