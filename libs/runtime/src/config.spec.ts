import { ConfigError, loadConfig, redactedConfig, redactUrl } from './config';

describe('configuration', () => {
  it('defaults to the embedded store on loopback', () => {
    expect(loadConfig({})).toEqual({
      store: { kind: 'pglite', dataDir: './.rampart' },
      dataDir: './.rampart',
      auth: { oidc: undefined, devIssuer: true, rateLimitPerMinute: 600, metricsToken: undefined },
      graphqlLimits: { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxTokens: 3000 },
      http: { host: '127.0.0.1', port: 4000 },
      logLevel: 'info',
      projectionBatchSize: 500,
      ingestIntervalMs: 3_600_000,
      ingestSnapshotIntervalMs: 3_600_000,
      ingestChangesIntervalMs: 600_000,
      workerLeaseMs: 30_000,
      workerPartitions: 8,
      actions: { executor: 'dry-run' },
      auditSigningKeyFile: undefined,
      production: false,
      demo: 'full',
      console: { dir: 'apps/console/dist', oidcClientId: undefined, oidcScopes: 'openid profile offline_access', signInCode: undefined },
    });
    expect(loadConfig({ RAMPART_CONSOLE_DIR: 'off' }).console.dir).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production', RAMPART_OIDC_ISSUER: 'https://login.example/v2.0', RAMPART_OIDC_AUDIENCE: 'api://rampart', RAMPART_OIDC_JWKS_URI: 'https://login.example/keys', RAMPART_CONSOLE_SIGNIN_CODE: 'a-code-that-is-long-enough' }).console.signInCode).toBeUndefined();
  });

  it('reads the full-snapshot and change-feed intervals, and switches both off with scheduled collection', () => {
    expect(loadConfig({ RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES: '1440', RAMPART_INGEST_CHANGES_INTERVAL_MINUTES: '5' })).toMatchObject({
      ingestIntervalMs: 3_600_000,
      ingestSnapshotIntervalMs: 86_400_000,
      ingestChangesIntervalMs: 300_000,
    });
    expect(loadConfig({ RAMPART_INGEST_INTERVAL_MINUTES: '120' })).toMatchObject({ ingestSnapshotIntervalMs: 7_200_000, ingestChangesIntervalMs: 600_000 });
    expect(loadConfig({ RAMPART_INGEST_INTERVAL_MINUTES: '0', RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES: '60' })).toMatchObject({ ingestSnapshotIntervalMs: 0, ingestChangesIntervalMs: 0 });
    expect(() => loadConfig({ RAMPART_INGEST_SNAPSHOT_INTERVAL_MINUTES: '0' })).toThrow(ConfigError);
  });

  it('reads PostgreSQL and EventStoreDB settings', () => {
    expect(loadConfig({ RAMPART_STORE: 'postgres', DATABASE_URL: 'postgres://u:p@db/rampart' }).store).toEqual({
      kind: 'postgres',
      databaseUrl: 'postgres://u:p@db/rampart',
    });
    expect(
      loadConfig({
        RAMPART_STORE: 'eventstoredb',
        DATABASE_URL: 'postgres://db/rampart',
        EVENTSTORE_CONNECTION_STRING: 'esdb+discover://node1:2113?tls=false',
      }).store,
    ).toMatchObject({ kind: 'eventstoredb', connectionString: 'esdb+discover://node1:2113?tls=false' });
  });

  it('names every bad variable with what was given', () => {
    const attempt = () => loadConfig({ RAMPART_STORE: 'mongodb', RAMPART_PORT: 'eighty', RAMPART_LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems, message } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(message).toMatch(/RAMPART_STORE .*"mongodb"/);
      expect(message).toMatch(/pglite/);
      expect(message).toMatch(/RAMPART_PORT .*"eighty"/);
      expect(message).toMatch(/RAMPART_LOG_LEVEL .*"loud"/);
    }
  });

  it('takes a partition count for the process managers from 1 to 256, whole', () => {
    expect(loadConfig({ RAMPART_WORKER_PARTITIONS: '3' }).workerPartitions).toBe(3);
    for (const bad of ['0', '2.5', '257', 'eight']) {
      expect(() => loadConfig({ RAMPART_WORKER_PARTITIONS: bad })).toThrow(new RegExp(`RAMPART_WORKER_PARTITIONS .*"${bad.replace('.', '\\.')}"`));
    }
  });

  it('requires the URLs its store needs, without echoing them', () => {
    expect(() => loadConfig({ RAMPART_STORE: 'postgres' })).toThrow(/DATABASE_URL is required when RAMPART_STORE=postgres/);
    expect(() => loadConfig({ RAMPART_STORE: 'eventstoredb', DATABASE_URL: 'postgres://db/x' })).toThrow(
      /EVENTSTORE_CONNECTION_STRING is required/,
    );
    expect(() => loadConfig({ RAMPART_STORE: 'postgres', DATABASE_URL: 'mysql://root:hunter2@db' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('reads OIDC settings, all or none, and never runs the development issuer in production', () => {
    const oidc = loadConfig({
      RAMPART_OIDC_ISSUER: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      RAMPART_OIDC_AUDIENCE: 'api://rampart, api://rampart-dev',
      RAMPART_OIDC_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
      RAMPART_OIDC_ALLOWED_TENANTS: 'aaaa-1,bbbb-2',
      NODE_ENV: 'production',
    }).auth;
    expect(oidc).toMatchObject({
      devIssuer: false,
      oidc: { audience: ['api://rampart', 'api://rampart-dev'], allowedTenants: ['aaaa-1', 'bbbb-2'], roleMap: '{}' },
    });
    expect(() => loadConfig({ RAMPART_OIDC_ISSUER: 'https://issuer.example' })).toThrow(/RAMPART_OIDC_AUDIENCE is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', RAMPART_DEV_ISSUER: 'on' })).toThrow(/RAMPART_DEV_ISSUER cannot be on/);
    expect(() => loadConfig({ RAMPART_OIDC_ROLE_MAP: '{not json' })).toThrow(/RAMPART_OIDC_ROLE_MAP must be a JSON object/);
    expect(loadConfig({ RAMPART_DEV_ISSUER: 'off' }).auth.devIssuer).toBe(false);
  });

  it('runs response actions dry unless told otherwise; a webhook needs an https URL and a long secret', () => {
    const secret = 'whsec-0123456789abcdef0123456789abcdef';
    const url = 'https://prod-07.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sig=sas-signature-value';
    expect(loadConfig({ RAMPART_ACTION_EXECUTOR: 'manual' }).actions).toEqual({ executor: 'manual' });
    expect(loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: url, RAMPART_ACTION_WEBHOOK_SECRET: secret }).actions).toEqual({
      executor: 'webhook',
      webhookUrl: url,
      webhookSecret: secret,
    });
    expect(loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: 'http://127.0.0.1:7071/api/rampart', RAMPART_ACTION_WEBHOOK_SECRET: secret }).actions).toMatchObject({
      webhookUrl: 'http://127.0.0.1:7071/api/rampart',
    });
    expect(() => loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook' })).toThrow(
      /RAMPART_ACTION_WEBHOOK_URL is required when RAMPART_ACTION_EXECUTOR=webhook[\s\S]*RAMPART_ACTION_WEBHOOK_SECRET is required/,
    );
    expect(() => loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: 'http://automation.example/hook?sig=x', RAMPART_ACTION_WEBHOOK_SECRET: secret })).toThrow(
      /RAMPART_ACTION_WEBHOOK_URL must be an https:\/\/ URL/,
    );
    expect(() => loadConfig({ RAMPART_ACTION_EXECUTOR: 'sometimes' })).toThrow(/RAMPART_ACTION_EXECUTOR/);
    const short = () => loadConfig({ RAMPART_ACTION_EXECUTOR: 'webhook', RAMPART_ACTION_WEBHOOK_URL: url, RAMPART_ACTION_WEBHOOK_SECRET: 'hunter2' });
    expect(short).toThrow(/RAMPART_ACTION_WEBHOOK_SECRET must be at least 32 characters .*\(given\)/);
    expect(short).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('shows the configuration without the webhook secret or the URL\'s query (a Logic App URL carries its signature)', () => {
    const cfg = loadConfig({
      RAMPART_STORE: 'postgres',
      DATABASE_URL: 'postgres://rampart:s3cret@db:5432/rampart',
      RAMPART_ACTION_EXECUTOR: 'webhook',
      RAMPART_ACTION_WEBHOOK_URL: 'https://prod-07.westeurope.logic.azure.com/workflows/abc/invoke?api-version=2016-10-01&sig=sas-signature-value',
      RAMPART_ACTION_WEBHOOK_SECRET: 'whsec-0123456789abcdef0123456789abcdef',
    });
    const shown = JSON.stringify(redactedConfig(cfg));
    expect(shown).not.toMatch(/s3cret|sas-signature-value|whsec-0123/);
    expect(redactedConfig(cfg)).toMatchObject({
      store: { databaseUrl: 'postgres://rampart:***@db:5432/rampart' },
      actions: { executor: 'webhook', webhookUrl: 'https://prod-07.westeurope.logic.azure.com/workflows/abc/invoke?***', webhookSecret: '[redacted]' },
    });
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://rampart:s3cret@db:5432/rampart')).toBe('postgres://rampart:***@db:5432/rampart');
    expect(redactUrl('postgres://db/rampart')).toBe('postgres://db/rampart');
  });
});

describe('tracing and worker metrics configuration', () => {
  it('leaves tracing off unless OTEL_TRACES_EXPORTER names an exporter, whatever else is set', () => {
    expect(loadConfig({}).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeUndefined();
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toBeUndefined();
  });

  it('sends OTLP to <endpoint>/v1/traces, or to the traces endpoint as given, named as the process says', () => {
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toEqual({
      exporter: 'otlp',
      tracesUrl: 'http://localhost:4318/v1/traces',
      serviceName: undefined,
      resourceAttributes: {},
      scheduleDelayMs: 5_000,
    });
    expect(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example:4318/' }).tracing?.tracesUrl).toBe('https://otel.example:4318/v1/traces');
    expect(
      loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/ingest' }).tracing?.tracesUrl,
    ).toBe('https://traces.example/ingest');
    expect(
      loadConfig({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'rampart-eu-api', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=soc%20blue', OTEL_BSP_SCHEDULE_DELAY: '250' }).tracing,
    ).toMatchObject({ exporter: 'console', serviceName: 'rampart-eu-api', resourceAttributes: { 'deployment.environment.name': 'prod', team: 'soc blue' }, scheduleDelayMs: 250 });
  });

  it('refuses a bad exporter, endpoint or attribute list, naming the variable without echoing URLs', () => {
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER .*"jaeger"/);
    expect(() => loadConfig({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/otlp/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL \(given\)/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://x/v1/traces' })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
    expect(() => loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'just-a-word' })).toThrow(/OTEL_RESOURCE_ATTRIBUTES must be key=value pairs/);
    expect(() => loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E0%A4%A' })).toThrow(/OTEL_RESOURCE_ATTRIBUTES/);
    expect(() => loadConfig({ OTEL_SERVICE_NAME: 'two words' })).toThrow(/OTEL_SERVICE_NAME/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key: s3cr3t' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs .*\(given\)/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key: s3cr3t' })).not.toThrow(/s3cr3t/);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t' }).tracing).toBeUndefined();
    expect(() => loadConfig({ OTEL_BSP_SCHEDULE_DELAY: '0' })).toThrow(/OTEL_BSP_SCHEDULE_DELAY/);
  });

  it('gives the worker a metrics port only when asked', () => {
    expect(loadConfig({}).workerMetricsPort).toBeUndefined();
    expect(loadConfig({ RAMPART_WORKER_METRICS_PORT: '9464' }).workerMetricsPort).toBe(9464);
    expect(() => loadConfig({ RAMPART_WORKER_METRICS_PORT: '70000' })).toThrow(/RAMPART_WORKER_METRICS_PORT/);
  });

  it('prints the traces URL without credentials', () => {
    const printed = redactedConfig(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://user:pw@traces.example/v1/traces?sig=abc' })) as { tracing: { tracesUrl: string } };
    expect(printed.tracing.tracesUrl).toBe('https://traces.example/v1/traces?***');
  });
});
