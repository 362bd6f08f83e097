// Configuration from the environment, validated once at start-up: a bad value stops the process
// with a message that names the variable, what was given and what is accepted.
import { z } from 'zod';

/** Every environment variable Rampart reads; docker-compose.yml and the README are checked against it. */
export const ENVIRONMENT_VARIABLES = {
  RAMPART_STORE: 'event store: pglite (embedded, default) | postgres | eventstoredb',
  RAMPART_DATA_DIR: 'PGlite data folder (default ./.rampart)',
  DATABASE_URL: 'PostgreSQL URL: the event store when RAMPART_STORE=postgres, read models when postgres or eventstoredb',
  EVENTSTORE_CONNECTION_STRING: 'EventStoreDB/KurrentDB connection string (RAMPART_STORE=eventstoredb)',
  RAMPART_HOST: 'address the API listens on (default 127.0.0.1)',
  RAMPART_PORT: 'port the API listens on (default 4000)',
  RAMPART_LOG_LEVEL: 'fatal | error | warn | info (default) | debug | trace | silent',
  RAMPART_PROJECTION_BATCH_SIZE: 'events per projection transaction (default 500)',
  NODE_ENV: 'production switches off development conveniences',
} as const;

export type EnvironmentVariable = keyof typeof ENVIRONMENT_VARIABLES;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL');

const schema = z
  .object({
    RAMPART_STORE: z.enum(['pglite', 'postgres', 'eventstoredb']).default('pglite'),
    RAMPART_DATA_DIR: z.string().min(1).default('./.rampart'),
    DATABASE_URL: postgresUrl.optional(),
    EVENTSTORE_CONNECTION_STRING: z
      .string()
      .refine((v) => /^(esdb|kurrentdb|kdb)(\+discover)?:\/\//.test(v), 'must be an esdb://, esdb+discover:// or kurrentdb:// connection string')
      .optional(),
    RAMPART_HOST: z.string().min(1).default('127.0.0.1'),
    RAMPART_PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
    RAMPART_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    RAMPART_PROJECTION_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
    NODE_ENV: z.string().default('development'),
  })
  .superRefine((env, ctx) => {
    if (env.RAMPART_STORE !== 'pglite' && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: `is required when RAMPART_STORE=${env.RAMPART_STORE} (${env.RAMPART_STORE === 'postgres' ? 'event store and read models' : 'read models'})`,
      });
    }
    if (env.RAMPART_STORE === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
      ctx.addIssue({ code: 'custom', path: ['EVENTSTORE_CONNECTION_STRING'], message: 'is required when RAMPART_STORE=eventstoredb' });
    }
  });

export type StoreConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly databaseUrl: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly databaseUrl: string };

export interface RampartConfig {
  readonly store: StoreConfig;
  readonly http: { readonly host: string; readonly port: number };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly projectionBatchSize: number;
  readonly production: boolean;
}

export const loadConfig = (env: Record<string, string | undefined> = process.env): RampartConfig => {
  const picked = Object.fromEntries(
    Object.keys(ENVIRONMENT_VARIABLES).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? 'environment');
        const given = picked[name];
        const shown = given === undefined ? 'not set' : name.includes('URL') || name.includes('CONNECTION') ? 'given' : `"${given}"`;
        return `${name} ${issue.message} (${shown})`;
      }),
    );
  }
  const e = parsed.data;
  // superRefine above guarantees the URLs each store needs; `?? ''` only satisfies the compiler.
  const databaseUrl = e.DATABASE_URL ?? '';
  const store: StoreConfig =
    e.RAMPART_STORE === 'pglite'
      ? { kind: 'pglite', dataDir: e.RAMPART_DATA_DIR }
      : e.RAMPART_STORE === 'postgres'
        ? { kind: 'postgres', databaseUrl }
        : { kind: 'eventstoredb', connectionString: e.EVENTSTORE_CONNECTION_STRING ?? '', databaseUrl };
  return {
    store,
    http: { host: e.RAMPART_HOST, port: e.RAMPART_PORT },
    logLevel: e.RAMPART_LOG_LEVEL,
    projectionBatchSize: e.RAMPART_PROJECTION_BATCH_SIZE,
    production: e.NODE_ENV === 'production',
  };
};

/** Connection strings without their passwords, for logs and `rampart config`. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
