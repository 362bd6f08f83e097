// Routes NestJS's own log lines into the structured pino logger. Nest logs every exception a
// resolver throws at level error, the caller's mistakes included (a bad argument, a forbidden
// tenant): those are the caller's, not ours, and go out at info with their code, so level error
// keeps meaning "something of ours broke".
import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@rampart/runtime';

const CALLER_CODES = new Set(['BAD_USER_INPUT', 'FORBIDDEN', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'RATE_LIMITED']);

/** The client-error code of what Nest is about to log, if it is one. */
const callerCodeOf = (message: unknown): string | undefined => {
  if (typeof message !== 'object' || message === null) return undefined;
  const code = (message as { extensions?: { code?: unknown }; code?: unknown }).extensions?.code ?? (message as { code?: unknown }).code;
  return typeof code === 'string' && CALLER_CODES.has(code) ? code : undefined;
};

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message)); // Nest's start-up chatter; our own logs say what matters
  }
  error(message: unknown, trace?: string, context?: string) {
    const code = callerCodeOf(message);
    if (code) return this.logger.info({ context, code }, `refused: ${(message as Error).message}`);
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
