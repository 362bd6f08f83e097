// Configuration from the environment, validated once at start-up: a bad value stops the process
// with a message that names the variable, what was given and what is accepted.
import { z } from 'zod';
import { MAX_TENANT_PARTITIONS } from '@rampart/event-sourcing';

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
  RAMPART_OIDC_ISSUER: 'OIDC issuer of bearer tokens; Entra multi-tenant: https://login.microsoftonline.com/{tenantid}/v2.0',
  RAMPART_OIDC_AUDIENCE: 'expected token audience(s), comma-separated (e.g. api://rampart)',
  RAMPART_OIDC_JWKS_URI: 'JWKS URL of the issuer (e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys)',
  RAMPART_OIDC_ALLOWED_TENANTS: 'Entra tenant ids (tid) allowed with a {tenantid} issuer, comma-separated',
  RAMPART_OIDC_ROLE_MAP: 'JSON: roles/groups claim value -> Rampart grants, e.g. {"Rampart.SOC.Lead":[{"role":"soc.lead","socTeam":"blue"}]}',
  RAMPART_DEV_ISSUER: 'on | off: the local development token issuer (default on, and always off in production)',
  RAMPART_RATE_LIMIT_PER_MINUTE: 'requests per principal per minute before 429 (default 600)',
  RAMPART_METRICS_TOKEN: 'bearer token a Prometheus scraper on another machine presents to read /metrics (at least 32 characters; unset: only scrapers on this machine and staff may)',
  RAMPART_WORKER_LEASE_SECONDS: 'seconds a worker holds a partition of a process manager (evaluator, incident reactor, notifier) without renewing it: after a crash another worker takes over within this time (default 30)',
  RAMPART_WORKER_PARTITIONS: 'tenant partitions of each process manager, shared among the workers (default 8; 1 to 256): at most this many workers share one; give every worker the same value',
  RAMPART_INGEST_INTERVAL_MINUTES: 'minutes between scheduled Resource Graph ingestions of each cloud connection (default 60; 0 = off, change feed included); the full-snapshot interval unless RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES says otherwise',
  RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES: 'minutes between full Resource Graph snapshots of each cloud connection, the source of truth that reconciles what the change feed missed (default RAMPART_INGEST_INTERVAL_MINUTES)',
  RAMPART_INGEST_CHANGES_INTERVAL_MINUTES: 'minutes between reads of Resource Graph\'s change records of each cloud connection between snapshots (default 10; 0 = snapshots only)',
  RAMPART_ACTION_EXECUTOR: 'how the worker carries out approved response actions: dry-run (default: records what it would do) | webhook | manual',
  RAMPART_ACTION_WEBHOOK_URL: 'RAMPART_ACTION_EXECUTOR=webhook: the automation to POST signed actions to (https; http only for localhost)',
  RAMPART_ACTION_WEBHOOK_SECRET: 'RAMPART_ACTION_EXECUTOR=webhook: HMAC-SHA256 key of the x-rampart-signature header (at least 32 characters)',
  RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS: 'during a rotation of RAMPART_ACTION_WEBHOOK_SECRET: the secret it replaces; deliveries then also carry its signature in x-rampart-signatures (unset once receivers have the new one)',
  RAMPART_NOTIFY_WEBHOOK_URL: 'where findings the reporting policy marks "notify" are POSTed, signed like actions (unset: no notifications)',
  RAMPART_NOTIFY_WEBHOOK_SECRET: 'with RAMPART_NOTIFY_WEBHOOK_URL: HMAC-SHA256 key of the notifications (at least 32 characters)',
  RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS: 'during a rotation of RAMPART_NOTIFY_WEBHOOK_SECRET: the secret it replaces, signed with as well (like RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS)',
  RAMPART_AUDIT_SIGNING_KEY_FILE: 'Ed25519 private key (PEM, PKCS#8) that signs audit export manifests (default: a key generated once in the data folder; required in production)',
  RAMPART_DEMO: 'standalone only: full (default: three demo tenants with four weeks of history, seeded once into an empty store) | tenants (the tenants only) | off',
  RAMPART_CONSOLE_DIR: 'the built web console the API serves at / (default apps/console/dist when it exists; "off" serves none)',
  RAMPART_CONSOLE_OIDC_CLIENT_ID: 'the console\'s OIDC client id (public client, authorization code + PKCE) at RAMPART_OIDC_ISSUER',
  RAMPART_CONSOLE_OIDC_SCOPES: 'scopes the console asks for (default "openid profile offline_access"); add the API\'s scope so the access token carries RAMPART_OIDC_AUDIENCE, e.g. "openid profile offline_access api://rampart/access"',
  RAMPART_CONSOLE_SIGNIN_CODE: 'a fixed, reusable development sign-in code of the console, throttled like any (default: none; a code that signs in once within 15 minutes is printed at start and `rampart dev sign-in-link` prints more; never in production)',
  RAMPART_GRAPHQL_MAX_DEPTH: 'deepest selection a GraphQL document may have (default 10)',
  RAMPART_GRAPHQL_MAX_COST: 'estimated cost a GraphQL document may have (default 5000)',
  RAMPART_GRAPHQL_MAX_ALIASES: 'aliases a GraphQL document may use (default 15)',
  RAMPART_GRAPHQL_MAX_TOKENS: 'tokens a GraphQL document may have (default 3000)',
  RAMPART_WORKER_METRICS_PORT: 'worker only: port of its /metrics and /health, on RAMPART_HOST (unset: none; the API and standalone serve them on RAMPART_PORT); give each worker on one machine its own',
  OTEL_TRACES_EXPORTER: 'OpenTelemetry traces: none (default: off, nothing loaded) | otlp (OTLP over HTTP with JSON) | console (spans printed to stdout)',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'OTLP collector base URL; traces go to <url>/v1/traces (default http://localhost:4318)',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'OTLP traces URL, used as given (overrides OTEL_EXPORTER_OTLP_ENDPOINT)',
  OTEL_EXPORTER_OTLP_HEADERS: 'headers sent to the collector (e.g. its API key): key=value pairs, comma-separated, values percent-encoded; the exporter reads them itself',
  OTEL_SERVICE_NAME: 'service.name of the spans (default rampart-api, rampart-worker or rampart-standalone)',
  OTEL_RESOURCE_ATTRIBUTES: 'more resource attributes of the spans: key=value pairs, comma-separated, values percent-encoded (e.g. deployment.environment.name=prod)',
  OTEL_BSP_SCHEDULE_DELAY: 'milliseconds between exports of finished spans (default 5000)',
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

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const webhookUrl = z.string().refine((v) => {
  if (!URL.canParse(v)) return false;
  const url = new URL(v);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}, 'must be an https:// URL (http:// only for localhost or 127.0.0.1)');

/** OTEL_RESOURCE_ATTRIBUTES as the OpenTelemetry specification writes it: `key=value,…`, values percent-encoded. */
export const parseResourceAttributes = (text: string): Record<string, string> | undefined => {
  const attributes: Record<string, string> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9._-]{1,255})=([^=]{0,255})$/.exec(pair);
    if (!match) return undefined;
    try {
      attributes[match[1]] = decodeURIComponent(match[2].trim());
    } catch {
      return undefined;
    }
  }
  return attributes;
};

const collectorUrl = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'must be an http:// or https:// URL');

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
    RAMPART_OIDC_ISSUER: z.string().url().optional(),
    RAMPART_OIDC_AUDIENCE: z.string().min(1).optional(),
    RAMPART_OIDC_JWKS_URI: z.string().url().optional(),
    RAMPART_OIDC_ALLOWED_TENANTS: z.string().optional(),
    RAMPART_OIDC_ROLE_MAP: z
      .string()
      .refine((v) => {
        try {
          return typeof JSON.parse(v) === 'object';
        } catch {
          return false;
        }
      }, 'must be a JSON object')
      .optional(),
    RAMPART_DEV_ISSUER: z.enum(['on', 'off']).optional(),
    RAMPART_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    RAMPART_WORKER_LEASE_SECONDS: z.coerce.number().min(1).max(3_600).default(30),
    RAMPART_WORKER_PARTITIONS: z.coerce.number().int('must be a whole number').min(1).max(MAX_TENANT_PARTITIONS).default(8),
    RAMPART_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters (openssl rand -hex 32)').optional(),
    RAMPART_INGEST_INTERVAL_MINUTES: z.coerce.number().min(0).max(10_080).default(60),
    RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES: z.coerce.number().min(1).max(10_080).optional(),
    RAMPART_INGEST_CHANGES_INTERVAL_MINUTES: z.coerce.number().min(0).max(10_080).default(10),
    RAMPART_ACTION_EXECUTOR: z.enum(['dry-run', 'webhook', 'manual']).default('dry-run'),
    RAMPART_ACTION_WEBHOOK_URL: webhookUrl.optional(),
    RAMPART_ACTION_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    RAMPART_NOTIFY_WEBHOOK_URL: webhookUrl.optional(),
    RAMPART_NOTIFY_WEBHOOK_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
    RAMPART_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
    RAMPART_DEMO: z.enum(['full', 'tenants', 'off']).default('full'),
    RAMPART_CONSOLE_DIR: z.string().min(1).optional(),
    RAMPART_CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
    RAMPART_CONSOLE_OIDC_SCOPES: z.string().min(1).default('openid profile offline_access'),
    RAMPART_CONSOLE_SIGNIN_CODE: z.string().min(16, 'must be at least 16 characters').optional(),
    RAMPART_GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(10),
    RAMPART_GRAPHQL_MAX_COST: z.coerce.number().int().min(10).max(1_000_000).default(5_000),
    RAMPART_GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1_000).default(15),
    RAMPART_GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(50).max(100_000).default(3_000),
    RAMPART_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
    OTEL_TRACES_EXPORTER: z.enum(['none', 'otlp', 'console']).default('none'),
    OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl.optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collectorUrl.optional(),
    OTEL_EXPORTER_OTLP_HEADERS: z
      .string()
      .max(8_192)
      .refine((v) => parseResourceAttributes(v) !== undefined, 'must be key=value pairs separated by commas (values percent-encoded)')
      .optional(),
    OTEL_SERVICE_NAME: z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters').optional(),
    OTEL_RESOURCE_ATTRIBUTES: z
      .string()
      .max(4_096)
      .refine((v) => parseResourceAttributes(v) !== undefined, 'must be key=value pairs separated by commas (values percent-encoded)')
      .optional(),
    OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(600_000).default(5_000),
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
    const oidc = [env.RAMPART_OIDC_ISSUER, env.RAMPART_OIDC_AUDIENCE, env.RAMPART_OIDC_JWKS_URI];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: [!env.RAMPART_OIDC_ISSUER ? 'RAMPART_OIDC_ISSUER' : !env.RAMPART_OIDC_AUDIENCE ? 'RAMPART_OIDC_AUDIENCE' : 'RAMPART_OIDC_JWKS_URI'],
        message: 'is required: RAMPART_OIDC_ISSUER, RAMPART_OIDC_AUDIENCE and RAMPART_OIDC_JWKS_URI go together',
      });
    }
    if (env.NODE_ENV === 'production' && env.RAMPART_DEV_ISSUER === 'on') {
      ctx.addIssue({ code: 'custom', path: ['RAMPART_DEV_ISSUER'], message: 'cannot be on when NODE_ENV=production' });
    }
    if (env.RAMPART_STORE === 'eventstoredb' && !env.EVENTSTORE_CONNECTION_STRING) {
      ctx.addIssue({ code: 'custom', path: ['EVENTSTORE_CONNECTION_STRING'], message: 'is required when RAMPART_STORE=eventstoredb' });
    }
    if (env.RAMPART_NOTIFY_WEBHOOK_URL && !env.RAMPART_NOTIFY_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['RAMPART_NOTIFY_WEBHOOK_SECRET'], message: 'is required when RAMPART_NOTIFY_WEBHOOK_URL is set' });
    }
    if (env.RAMPART_ACTION_EXECUTOR === 'webhook') {
      for (const name of ['RAMPART_ACTION_WEBHOOK_URL', 'RAMPART_ACTION_WEBHOOK_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when RAMPART_ACTION_EXECUTOR=webhook' });
      }
    }
  });

export type StoreConfig =
  | { readonly kind: 'pglite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly databaseUrl: string }
  | { readonly kind: 'eventstoredb'; readonly connectionString: string; readonly databaseUrl: string };

/** Traces: where they go and what the process is called (see tracing.ts). */
export interface TracingConfig {
  readonly exporter: 'otlp' | 'console';
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  readonly tracesUrl: string;
  /** Undefined: `rampart-<mode>`. */
  readonly serviceName?: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly scheduleDelayMs: number;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly audience: string[];
  readonly jwksUri: string;
  readonly allowedTenants: string[];
  /** Raw JSON; parsed and validated by the API's claims mapping. */
  readonly roleMap: string;
}

/** Which executor runs approved response actions (see action-executor.ts). */
export type ActionExecutorConfig =
  | { readonly executor: 'dry-run' }
  | { readonly executor: 'manual' }
  | {
      readonly executor: 'webhook';
      readonly webhookUrl: string;
      readonly webhookSecret: string;
      /** During a rotation: the secret being replaced, signed with too (webhooks.ts). */
      readonly webhookPreviousSecret?: string;
    };

export interface RampartConfig {
  readonly store: StoreConfig;
  readonly dataDir: string;
  readonly auth: {
    readonly oidc?: OidcConfig;
    readonly devIssuer: boolean;
    readonly rateLimitPerMinute: number;
    /** Lets a scraper elsewhere read /metrics; undefined: loopback peers and staff only. */
    readonly metricsToken?: string;
  };
  readonly graphqlLimits: { readonly maxDepth: number; readonly maxCost: number; readonly maxAliases: number; readonly maxTokens: number };
  readonly http: { readonly host: string; readonly port: number };
  /** The worker's own /metrics and /health port (worker mode only); undefined: none. */
  readonly workerMetricsPort?: number;
  /** Undefined: tracing off. */
  readonly tracing?: TracingConfig;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly projectionBatchSize: number;
  /** Scheduled collection: 0 = none at all. */
  readonly ingestIntervalMs: number;
  /** Full snapshots of each connection this often (0 when collection is off). */
  readonly ingestSnapshotIntervalMs: number;
  /** Change records of each connection this often between snapshots (0: snapshots only). */
  readonly ingestChangesIntervalMs: number;
  /** How long a worker holds a process manager's partition without renewing it. */
  readonly workerLeaseMs: number;
  /** Tenant partitions of each process manager's subscription. */
  readonly workerPartitions: number;
  readonly actions: ActionExecutorConfig;
  /** Where finding notifications go; undefined: none are sent. */
  readonly notifications?: { readonly webhookUrl: string; readonly webhookSecret: string; readonly webhookPreviousSecret?: string };
  /** The audit export signing key's file; undefined: the data folder's generated key (not in production). */
  readonly auditSigningKeyFile?: string;
  readonly production: boolean;
  /** What standalone seeds into an empty store. */
  readonly demo: 'full' | 'tenants' | 'off';
  readonly console: {
    /** The built console's folder; undefined: the API serves no console. */
    readonly dir?: string;
    readonly oidcClientId?: string;
    readonly oidcScopes: string;
    readonly signInCode?: string;
  };
}

/** Where `nx run console:build` writes the console, relative to the working folder (the repository for `npm start`). */
export const DEFAULT_CONSOLE_DIR = 'apps/console/dist';

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
        const shown = given === undefined ? 'not set' : /URL|CONNECTION|SECRET|TOKEN|ENDPOINT|HEADERS/.test(name) ? 'given' : `"${given}"`;
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
  const list = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const production = e.NODE_ENV === 'production';
  return {
    store,
    dataDir: e.RAMPART_DATA_DIR,
    auth: {
      oidc:
        e.RAMPART_OIDC_ISSUER && e.RAMPART_OIDC_AUDIENCE && e.RAMPART_OIDC_JWKS_URI
          ? {
              issuer: e.RAMPART_OIDC_ISSUER,
              audience: list(e.RAMPART_OIDC_AUDIENCE),
              jwksUri: e.RAMPART_OIDC_JWKS_URI,
              allowedTenants: list(e.RAMPART_OIDC_ALLOWED_TENANTS),
              roleMap: e.RAMPART_OIDC_ROLE_MAP ?? '{}',
            }
          : undefined,
      devIssuer: !production && e.RAMPART_DEV_ISSUER !== 'off',
      rateLimitPerMinute: e.RAMPART_RATE_LIMIT_PER_MINUTE,
      metricsToken: e.RAMPART_METRICS_TOKEN,
    },
    graphqlLimits: {
      maxDepth: e.RAMPART_GRAPHQL_MAX_DEPTH,
      maxCost: e.RAMPART_GRAPHQL_MAX_COST,
      maxAliases: e.RAMPART_GRAPHQL_MAX_ALIASES,
      maxTokens: e.RAMPART_GRAPHQL_MAX_TOKENS,
    },
    http: { host: e.RAMPART_HOST, port: e.RAMPART_PORT },
    workerMetricsPort: e.RAMPART_WORKER_METRICS_PORT,
    tracing:
      e.OTEL_TRACES_EXPORTER === 'none'
        ? undefined
        : {
            exporter: e.OTEL_TRACES_EXPORTER,
            tracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${(e.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/+$/, '')}/v1/traces`,
            serviceName: e.OTEL_SERVICE_NAME,
            resourceAttributes: parseResourceAttributes(e.OTEL_RESOURCE_ATTRIBUTES ?? '') ?? {},
            scheduleDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
          },
    logLevel: e.RAMPART_LOG_LEVEL,
    projectionBatchSize: e.RAMPART_PROJECTION_BATCH_SIZE,
    ingestIntervalMs: Math.round(e.RAMPART_INGEST_INTERVAL_MINUTES * 60_000),
    ingestSnapshotIntervalMs: e.RAMPART_INGEST_INTERVAL_MINUTES === 0 ? 0 : Math.round((e.RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES ?? e.RAMPART_INGEST_INTERVAL_MINUTES) * 60_000),
    ingestChangesIntervalMs: e.RAMPART_INGEST_INTERVAL_MINUTES === 0 ? 0 : Math.round(e.RAMPART_INGEST_CHANGES_INTERVAL_MINUTES * 60_000),
    workerLeaseMs: Math.round(e.RAMPART_WORKER_LEASE_SECONDS * 1_000),
    workerPartitions: e.RAMPART_WORKER_PARTITIONS,
    actions:
      e.RAMPART_ACTION_EXECUTOR === 'webhook'
        ? {
            executor: 'webhook',
            webhookUrl: e.RAMPART_ACTION_WEBHOOK_URL ?? '',
            webhookSecret: e.RAMPART_ACTION_WEBHOOK_SECRET ?? '',
            ...(e.RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS && { webhookPreviousSecret: e.RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS }),
          }
        : { executor: e.RAMPART_ACTION_EXECUTOR },
    notifications: e.RAMPART_NOTIFY_WEBHOOK_URL
      ? {
          webhookUrl: e.RAMPART_NOTIFY_WEBHOOK_URL,
          webhookSecret: e.RAMPART_NOTIFY_WEBHOOK_SECRET ?? '',
          ...(e.RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS && { webhookPreviousSecret: e.RAMPART_NOTIFY_WEBHOOK_SECRET_PREVIOUS }),
        }
      : undefined,
    auditSigningKeyFile: e.RAMPART_AUDIT_SIGNING_KEY_FILE,
    production,
    demo: e.RAMPART_DEMO,
    console: {
      dir: e.RAMPART_CONSOLE_DIR === 'off' ? undefined : (e.RAMPART_CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR),
      oidcClientId: e.RAMPART_CONSOLE_OIDC_CLIENT_ID,
      oidcScopes: e.RAMPART_CONSOLE_OIDC_SCOPES,
      signInCode: production ? undefined : e.RAMPART_CONSOLE_SIGNIN_CODE,
    },
  };
};

/** Connection strings without their passwords, for logs and `rampart config`. */
export const redactUrl = (url: string): string => url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');

/** A webhook URL without its query, which may be a credential (a Logic App trigger's `sig`). */
export const redactWebhookUrl = (url: string): string => {
  if (!URL.canParse(url)) return '***';
  const { origin, pathname, search } = new URL(url);
  return `${origin}${pathname}${search ? '?***' : ''}`;
};

/** The configuration as `rampart config` prints it: no password, secret or signed URL. */
export const redactedConfig = (config: RampartConfig): unknown => ({
  ...config,
  auth: { ...config.auth, metricsToken: config.auth.metricsToken ? '[redacted]' : undefined },
  store: Object.fromEntries(Object.entries(config.store).map(([k, v]) => [k, typeof v === 'string' && /url|connection/i.test(k) ? redactUrl(v) : v])),
  actions:
    config.actions.executor === 'webhook'
      ? { executor: 'webhook', webhookUrl: redactWebhookUrl(config.actions.webhookUrl), webhookSecret: '[redacted]', ...(config.actions.webhookPreviousSecret && { webhookPreviousSecret: '[redacted]' }) }
      : config.actions,
  notifications: config.notifications
    ? { webhookUrl: redactWebhookUrl(config.notifications.webhookUrl), webhookSecret: '[redacted]', ...(config.notifications.webhookPreviousSecret && { webhookPreviousSecret: '[redacted]' }) }
    : undefined,
  // A collector URL may carry credentials (user info, a signed query): like a webhook's, neither is shown.
  tracing: config.tracing ? { ...config.tracing, tracesUrl: redactWebhookUrl(config.tracing.tracesUrl) } : undefined,
});
