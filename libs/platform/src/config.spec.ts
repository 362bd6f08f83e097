import { ConfigError, loadConfig, redactUrl } from './config';

describe('configuration', () => {
  it('defaults to the embedded store on loopback', () => {
    expect(loadConfig({})).toEqual({
      store: { kind: 'pglite', dataDir: './.rampart' },
      dataDir: './.rampart',
      auth: { oidc: undefined, devIssuer: true, rateLimitPerMinute: 600 },
      graphqlLimits: { maxDepth: 10, maxCost: 5000, maxAliases: 15, maxTokens: 3000 },
      http: { host: '127.0.0.1', port: 4000 },
      logLevel: 'info',
      projectionBatchSize: 500,
      ingestIntervalMs: 3_600_000,
      production: false,
    });
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

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://rampart:s3cret@db:5432/rampart')).toBe('postgres://rampart:***@db:5432/rampart');
    expect(redactUrl('postgres://db/rampart')).toBe('postgres://db/rampart');
  });
});
