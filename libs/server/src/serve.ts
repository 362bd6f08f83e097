// The three ways to run Rampart: the API, the worker, or both in one process (standalone, what
// `npm start` runs on the embedded store). Each opens the configured stores, starts, and shuts
// down cleanly on SIGINT/SIGTERM.
import {
  Authenticator,
  consoleBuilt,
  createOidcVerifier,
  DevIssuer,
  parseRoleMap,
  SignInCodes,
  startApi,
  validateOidcSettings,
  type ConsoleOptions,
  type RunningApi,
} from '@rampart/graphql-api';
import { AuditExports } from '@rampart/audit-application';
import { auditExportPorts, projectionRunners, startWorker, type AgreementSource, type Worker } from '@rampart/platform';
import { credentialFromReference } from '@rampart/inventory-azure';
import { createLogger, createMetrics, type Logger, openStores, startTracing, type RampartConfig, type Stores } from '@rampart/runtime';
import { seedDemo, seedDemoTenants, type DemoKind } from '@rampart/demo';
import { rampartVersion } from './version';
import { startWorkerHttp, type WorkerHttp } from './worker-http';

export type ServeMode = 'api' | 'worker' | 'standalone';

export interface Server {
  readonly mode: ServeMode;
  readonly stores: Stores;
  readonly log: Logger;
  readonly api?: RunningApi;
  readonly worker?: Worker;
  /** The worker's /metrics and /health (worker mode with RAMPART_WORKER_METRICS_PORT). */
  readonly workerHttp?: WorkerHttp;
  /** The console's address to open (with a development sign-in code), when one is served. */
  readonly consoleUrl?: string;
  /** When the sign-in code in consoleUrl stops working (it also signs in only once); undefined: no code, or the operator's fixed one. */
  readonly consoleUrlExpiresAt?: string;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Standalone only: `full` (default) seeds the demo's tenants and weeks of history once, `tenants` just the tenants, false nothing. */
  readonly demo?: boolean | DemoKind;
  readonly log?: Logger;
  /** PGlite: a fresh cluster to start a new data folder from, skipping initdb (the test harness). */
  readonly pgliteImage?: Blob;
  /** How cloud connections reach Azure Resource Graph; default: their credential reference, from the environment. */
  readonly resourceGraph?: AgreementSource;
}

export const serve = async (mode: ServeMode, config: RampartConfig, options: ServeOptions = {}): Promise<Server> => {
  const log = options.log ?? createLogger(config.logLevel, { name: `rampart-${mode}` });
  // Before anything is opened, so every span of the process goes to the one provider.
  const tracing = await startTracing(config.tracing, { name: `rampart-${mode}`, version: rampartVersion() }, log);
  const stores = await openStores(config.store, { pgliteImage: options.pgliteImage }).catch(async (error: unknown) => {
    await tracing.stop();
    throw error;
  });
  log.info({ mode, store: stores.description }, 'stores open');
  let worker: Worker | undefined;
  let api: RunningApi | undefined;
  let workerHttp: WorkerHttp | undefined;
  let consoleOptions: ConsoleOptions | undefined;
  try {
    // The demo's history is written before the worker starts, which then takes over from it.
    if (mode === 'standalone' && options.demo !== false) {
      if (options.demo === 'tenants') await seedDemoTenants(stores.eventStore, log);
      else await seedDemo(stores, log);
    }
    if (mode !== 'api') worker = await startWorker(stores, log, { batchSize: config.projectionBatchSize, ingestIntervalMs: config.ingestIntervalMs, ingestSnapshotIntervalMs: config.ingestSnapshotIntervalMs, ingestChangesIntervalMs: config.ingestChangesIntervalMs, actions: config.actions, notifications: config.notifications, leaseMs: config.workerLeaseMs, partitions: config.workerPartitions });
    if (worker && mode === 'worker' && config.workerMetricsPort !== undefined) {
      const runners = worker.runners;
      workerHttp = await startWorkerHttp(
        { host: config.http.host, port: config.workerMetricsPort, metrics: createMetrics(() => Promise.all(runners.map((r) => r.status()))), metricsToken: config.auth.metricsToken, stores, version: rampartVersion() },
        log,
      );
    }
    if (mode !== 'worker') {
      // One development issuer for the API's authentication and the console's sign-in.
      const devIssuer = config.auth.devIssuer ? await DevIssuer.open(config.dataDir, { production: config.production }) : undefined;
      const signInCodes = devIssuer ? await SignInCodes.open(config.dataDir, { production: config.production }) : undefined;
      consoleOptions = consoleOptionsOf(config, devIssuer, signInCodes);
      // An API replica without a worker still reports projection lag, read from the checkpoints.
      const runners = worker?.runners ?? projectionRunners(stores, log);
      const statuses = () => Promise.all(runners.map((r) => r.status()));
      api = await startApi(
        {
          version: rampartVersion(),
          stores,
          log,
          metrics: createMetrics(statuses),
          projectionStatuses: statuses,
          production: config.production,
          authenticator: createAuthenticator(config, stores, log, devIssuer),
          rateLimitPerMinute: config.auth.rateLimitPerMinute,
          metricsToken: config.auth.metricsToken,
          limits: config.graphqlLimits,
          console: consoleOptions,
          audit: new AuditExports(stores, config, log, { product: { name: 'Rampart', version: rampartVersion() }, ...auditExportPorts(stores) }),
          resourceGraph: options.resourceGraph ?? ((connection) => ({ credential: credentialFromReference(connection.credentialReference, process.env) })),
        },
        config.http,
      );
    }
  } catch (error) {
    await workerHttp?.close().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
    await stores.close().catch(() => undefined);
    await tracing.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const consoleAddress = api && consoleOptions && consoleBuilt(consoleOptions.dir) ? await consoleAddressOf(api.url, consoleOptions) : undefined;
  return {
    mode,
    consoleUrl: consoleAddress?.url,
    consoleUrlExpiresAt: consoleAddress?.expiresAt,
    stores,
    log,
    api,
    worker,
    workerHttp,
    stop: () =>
      (stopping ??= (async () => {
        await api?.close();
        await workerHttp?.close();
        await worker?.stop();
        await stores.close();
        // Last, so the spans of the shutdown itself are exported too.
        await tracing.stop();
        log.info('stopped');
      })()),
  };
};

/** How the console signs in: sign-in codes and personas locally, the OIDC client otherwise. */
const consoleOptionsOf = (config: RampartConfig, issuer: DevIssuer | undefined, codes: SignInCodes | undefined): ConsoleOptions => {
  const oidc = config.auth.oidc && config.console.oidcClientId ? { issuer: config.auth.oidc.issuer, clientId: config.console.oidcClientId, scopes: config.console.oidcScopes } : undefined;
  if (!issuer || !codes) return { dir: config.console.dir, oidc };
  return {
    dir: config.console.dir,
    oidc,
    devSignIn: {
      codes,
      fixedCode: config.console.signInCode,
      async sign(persona) {
        const expiresInSeconds = 8 * 3600;
        const token = await issuer.sign({ subject: persona.subject, name: persona.label, grants: [persona.grant], expiresInSeconds });
        return { token, expiresAt: new Date(Date.now() + expiresInSeconds * 1000).toISOString() };
      },
    },
  };
};

/**
 * The address printed at start: with the operator's fixed code, or else a fresh code that signs in
 * once within 15 minutes (`rampart dev sign-in-link` mints the next ones).
 */
const consoleAddressOf = async (apiUrl: string, options: ConsoleOptions): Promise<{ url: string; expiresAt?: string }> => {
  const dev = options.devSignIn;
  if (!dev) return { url: `${apiUrl}/` };
  if (dev.fixedCode !== undefined) return { url: `${apiUrl}/?code=${encodeURIComponent(dev.fixedCode)}` };
  const { code, expiresAt } = await dev.codes.mint();
  return { url: `${apiUrl}/?code=${code}`, expiresAt };
};

export const createAuthenticator = (config: RampartConfig, stores: Stores, log: Logger, devIssuer: DevIssuer | undefined): Authenticator => {
  const oidc = config.auth.oidc;
  let oidcDeps: ConstructorParameters<typeof Authenticator>[0]['oidc'];
  if (oidc) {
    // An empty RAMPART_OIDC_ALLOWED_TENANTS (as docker-compose.yml passes it through) is no list at
    // all: with a single-tenant issuer a list, even an empty one, is refused as a mistake.
    const allowedTenants = oidc.allowedTenants.length > 0 ? oidc.allowedTenants : undefined;
    const settings = { issuer: oidc.issuer, audience: oidc.audience, jwksUri: oidc.jwksUri, allowedTenants };
    validateOidcSettings(settings);
    oidcDeps = { verifier: createOidcVerifier(settings), roleMap: parseRoleMap(oidc.roleMap), issuer: oidc.issuer };
  }
  if (devIssuer) log.warn('development token issuer is on: `rampart dev token` mints tokens this API accepts (off in production)');
  if (!oidc && !devIssuer) log.warn('no OIDC issuer configured: only API keys can authenticate');
  return new Authenticator({ oidc: oidcDeps, devIssuer, readModels: stores.readModels, eventStore: stores.eventStore });
};

/** Stops the server on SIGINT/SIGTERM; a second signal exits at once. */
export const stopOnSignals = (server: Server): void => {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(1);
    signalled = true;
    server.log.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (error) => {
        server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
};
