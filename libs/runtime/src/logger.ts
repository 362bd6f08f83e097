// Structured JSON logs (pino). Secrets never reach a log line: credentials, tokens and
// connection strings are redacted by path wherever they appear.
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

export const REDACTED_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.connectionString',
  '*.databaseUrl',
  'connectionString',
  'databaseUrl',
  // the response-action webhook: its key, and its URL (a Logic App trigger URL carries a SAS signature)
  '*.webhookSecret',
  '*.webhookPreviousSecret',
  '*.webhookUrl',
  'webhookSecret',
  'webhookPreviousSecret',
  'webhookUrl',
];

export const createLogger = (
  level: string,
  options: { name?: string; destination?: pino.DestinationStream } = {},
): Logger =>
  pino(
    {
      name: options.name ?? 'rampart',
      level,
      base: { service: options.name ?? 'rampart' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
