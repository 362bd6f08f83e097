// The three ways to run Rampart: the API, the worker, or both in one process (standalone, what
// `npm start` runs on the embedded store). Each opens the configured stores, starts, and shuts
// down cleanly on SIGINT/SIGTERM.
import {
  Authenticator,
  createOidcVerifier,
  DevIssuer,
  parseRoleMap,
  startApi,
  validateOidcSettings,
  type RunningApi,
} from '@rampart/graphql-api';
import {
  createLogger,
  createMetrics,
  openStores,
  projectionRunners,
  startWorker,
  type Logger,
  type RampartConfig,
  type Stores,
  type Worker,
} from '@rampart/platform';
import { seedDemo } from './demo';
import { rampartVersion } from './version';

export type ServeMode = 'api' | 'worker' | 'standalone';

export interface Server {
  readonly mode: ServeMode;
  readonly stores: Stores;
  readonly log: Logger;
  readonly api?: RunningApi;
  readonly worker?: Worker;
  stop(): Promise<void>;
}

export interface ServeOptions {
  readonly demo?: boolean;
  readonly log?: Logger;
}

export const serve = async (mode: ServeMode, config: RampartConfig, options: ServeOptions = {}): Promise<Server> => {
  const log = options.log ?? createLogger(config.logLevel, { name: `rampart-${mode}` });
  const stores = await openStores(config.store);
  log.info({ mode, store: stores.description }, 'stores open');
  let worker: Worker | undefined;
  let api: RunningApi | undefined;
  try {
    if (mode !== 'api') worker = await startWorker(stores, log, { batchSize: config.projectionBatchSize, ingestIntervalMs: config.ingestIntervalMs, actions: config.actions, notifications: config.notifications });
    if (mode === 'standalone' && options.demo !== false) await seedDemo(stores.eventStore, log);
    if (mode !== 'worker') {
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
          authenticator: await createAuthenticator(config, stores, log),
          rateLimitPerMinute: config.auth.rateLimitPerMinute,
          limits: config.graphqlLimits,
        },
        config.http,
      );
    }
  } catch (error) {
    await worker?.stop().catch(() => undefined);
    await stores.close().catch(() => undefined);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    mode,
    stores,
    log,
    api,
    worker,
    stop: () =>
      (stopping ??= (async () => {
        await api?.close();
        await worker?.stop();
        await stores.close();
        log.info('stopped');
      })()),
  };
};

export const createAuthenticator = async (config: RampartConfig, stores: Stores, log: Logger): Promise<Authenticator> => {
  const oidc = config.auth.oidc;
  let oidcDeps: ConstructorParameters<typeof Authenticator>[0]['oidc'];
  if (oidc) {
    const settings = { issuer: oidc.issuer, audience: oidc.audience, jwksUri: oidc.jwksUri, allowedTenants: oidc.allowedTenants };
    validateOidcSettings(settings);
    oidcDeps = { verifier: createOidcVerifier(settings), roleMap: parseRoleMap(oidc.roleMap), issuer: oidc.issuer };
  }
  const devIssuer = config.auth.devIssuer ? await DevIssuer.open(config.dataDir, { production: config.production }) : undefined;
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
