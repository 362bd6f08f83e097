// docker-compose.yml cannot run here (no Docker engine), so it is checked by reading it the way
// Docker Compose does (merge keys, `${…}` interpolation, profiles): the default stack is the one CI
// runs (apps/cli/src/compose-stack.e2e.spec.ts), the KurrentDB profile is wired to it, every
// variable the Rampart services set is one Rampart reads and accepts, and no secret has a default.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_VARIABLES, loadConfig } from '@rampart/runtime';
import {
  activeServices,
  COMPOSE_FILE,
  interpolate,
  MissingComposeVariableError,
  OPERATOR_ENV,
  readCompose,
  type ComposeFile,
  type ComposeService,
} from '@rampart/runtime/testing';

const root = join(__dirname, '..', '..');
const compose = readCompose();
const services = compose.services;
const isRampart = (service: ComposeService) => service.build !== undefined;
type Dependency = { readonly condition?: string; readonly required?: boolean };
const dependencies = (service: ComposeService): Record<string, Dependency> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries((service.depends_on as readonly string[]).map((name): [string, Dependency] => [name, {}]))
    : ((service.depends_on ?? {}) as Record<string, Dependency>);

/** A Rampart service's environment as its process sees it, through the real configuration parser. */
const configOf = (service: ComposeService) => loadConfig({ ...service.environment });

describe('docker-compose.yml', () => {
  it('starts PostgreSQL, two API replicas and two workers by default, and nothing else', () => {
    const stack = activeServices(compose);
    expect(Object.keys(stack).sort()).toEqual(['api', 'postgres', 'worker']);
    expect(stack['api'].deploy?.replicas).toBe(2);
    expect(stack['worker'].deploy?.replicas).toBe(2);
    // one host port per API replica
    const [range] = stack['api'].ports ?? [];
    const [from, to] = /^(\d+)-(\d+):4000$/.exec(range ?? '')?.slice(1).map(Number) ?? [];
    expect(to - from + 1).toBe(2);
  });

  it('puts the events and the read models in the PostgreSQL service by default', () => {
    for (const name of ['api', 'worker']) {
      const config = configOf(services[name]);
      expect(config.store.kind).toBe('postgres');
      if (config.store.kind !== 'postgres') continue;
      const url = new URL(config.store.databaseUrl);
      expect(url.hostname).toBe('postgres');
      expect(url.username).toBe(services['postgres'].environment?.['POSTGRES_USER']);
      expect(decodeURIComponent(url.password)).toBe(OPERATOR_ENV['POSTGRES_PASSWORD']);
      expect(url.pathname).toBe(`/${services['postgres'].environment?.['POSTGRES_DB']}`);
    }
  });

  it('offers a 3-node KurrentDB cluster as the kurrentdb profile, which RAMPART_STORE=eventstoredb uses', () => {
    const withProfile = activeServices(compose, ['kurrentdb']);
    expect(Object.keys(withProfile).sort()).toEqual(['api', 'kurrentdb1', 'kurrentdb2', 'kurrentdb3', 'postgres', 'worker']);
    const nodes = ['kurrentdb1', 'kurrentdb2', 'kurrentdb3'];
    for (const node of nodes) {
      expect(services[node].environment?.['KURRENTDB_CLUSTER_SIZE']).toBe('3');
      expect(services[node].volumes?.[0]).toMatch(new RegExp(`^${node}-data:`));
    }
    const onKurrent = readCompose({ ...OPERATOR_ENV, RAMPART_STORE: 'eventstoredb' });
    for (const name of ['api', 'worker']) {
      const service = onKurrent.services[name];
      const config = configOf(service);
      expect(config.store.kind).toBe('eventstoredb');
      if (config.store.kind !== 'eventstoredb') continue;
      // the connection string names exactly the cluster's nodes, and the services wait for them when the profile is on
      const hosts = /^esdb:\/\/([^?]+)\?/.exec(config.store.connectionString)?.[1].split(',').map((h) => h.split(':')[0]);
      expect(hosts?.sort()).toEqual(nodes);
      expect(new URL(config.store.databaseUrl).hostname).toBe('postgres');
      for (const node of nodes) expect(dependencies(service)[node]).toEqual({ condition: 'service_healthy', required: false });
    }
  });

  it('keeps the contract suite\'s single node out of both stacks, in memory and on the loopback address', () => {
    const node = services['kurrentdb-test'];
    expect(node.profiles).toEqual(['kurrentdb-test']);
    expect(node.environment?.['KURRENTDB_CLUSTER_SIZE']).toBe('1');
    expect(node.environment?.['KURRENTDB_MEM_DB']).toBe('true');
    expect(node.image).toBe(services['kurrentdb1'].image);
    expect(node.ports).toEqual(['127.0.0.1:2113:2113']);
    expect(readCompose({ ...OPERATOR_ENV, RAMPART_TEST_KURRENTDB_PORT: '21139' }).services['kurrentdb-test'].ports).toEqual(['127.0.0.1:21139:2113']);
    expect(node.volumes).toBeUndefined();
  });

  it('waits for what it needs: hard dependencies of the default stack are healthy first, profile ones only when started', () => {
    const defaults = activeServices(compose);
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, how] of Object.entries(dependencies(service))) {
        expect({ service: name, dependsOn: dep, exists: dep in services }).toMatchObject({ exists: true });
        expect({ service: name, dependsOn: dep, condition: how.condition }).toEqual({ service: name, dependsOn: dep, condition: 'service_healthy' });
        expect({ dep, healthcheck: services[dep].healthcheck !== undefined }).toEqual({ dep, healthcheck: true });
        // a dependency outside the default stack must not stop `docker compose up` from starting it
        if (name in defaults && !(dep in defaults)) expect({ service: name, dependsOn: dep, required: how.required }).toEqual({ service: name, dependsOn: dep, required: false });
        if (dep in defaults) expect(how.required).not.toBe(false);
      }
    }
  });

  it('checks the health of every service: PostgreSQL, KurrentDB, and the /health of the API and of the workers', () => {
    expect(services['postgres'].healthcheck?.test.join(' ')).toContain('pg_isready -U rampart -d rampart');
    for (const node of ['kurrentdb1', 'kurrentdb2', 'kurrentdb3', 'kurrentdb-test']) {
      expect(services[node].healthcheck?.test.join(' ')).toContain('http://localhost:2113/health/live');
    }
    const api = services['api'];
    const port = api.environment?.['RAMPART_PORT'];
    expect(api.healthcheck?.test.join(' ')).toContain(`fetch('http://127.0.0.1:${port}/health')`);
    expect(api.ports?.[0]).toMatch(new RegExp(`:${port}$`));
    // the API must listen beyond the container's loopback for the published port to reach it
    expect(configOf(api).http).toEqual({ host: '0.0.0.0', port: Number(port) });
    // the worker's own endpoint, on the port its configuration opens
    const worker = services['worker'];
    const workerPort = configOf(worker).workerMetricsPort;
    expect(workerPort).toEqual(expect.any(Number));
    expect(worker.healthcheck?.test.join(' ')).toContain(`fetch('http://127.0.0.1:${workerPort}/health')`);
  });

  it('refers only to volumes, networks and secrets it defines', () => {
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
      for (const network of networks) expect(Object.keys(compose.networks ?? {})).toContain(network);
      for (const secret of service.secrets ?? []) expect(Object.keys(compose.secrets ?? {})).toContain(secret);
    }
  });

  it('builds the Rampart services from the Dockerfile and runs CLI commands that exist, from the build', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    const rampartServices = Object.entries(services).filter(([, s]) => isRampart(s));
    expect(rampartServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    // dist/cli/rampart.js is the built command the image holds (apps/cli/src/build.e2e.spec.ts checks the image's layout)
    for (const [name, service] of rampartServices) {
      expect(service.command).toEqual(['node', 'dist/cli/rampart.js', name]);
    }
  });

  it('sets only variables Rampart reads, with values its configuration accepts, in production mode', () => {
    for (const [name, service] of Object.entries(services).filter(([, s]) => isRampart(s))) {
      const env = service.environment ?? {};
      const unknown = Object.keys(env).filter((key) => !(key in ENVIRONMENT_VARIABLES));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
      const config = configOf(service);
      expect(config.production).toBe(true);
      expect(config.auth.devIssuer).toBe(false);
      expect(config.auth.oidc?.issuer).toBe(OPERATOR_ENV['RAMPART_OIDC_ISSUER']);
      expect(config.workerPartitions).toBe(8);
      // the audit signing key is the compose secret mounted into the service
      expect(service.secrets).toEqual(['audit-signing-key']);
      expect(config.auditSigningKeyFile).toBe('/run/secrets/audit-signing-key');
    }
    expect(compose.secrets?.['audit-signing-key']?.file).toBe('./secrets/audit-signing-key.pem');
  });

  it('lets the worker deliver signed webhooks, with a previous secret during a rotation', () => {
    const secret = 'a'.repeat(64);
    const previous = 'b'.repeat(64);
    const worker = readCompose({
      ...OPERATOR_ENV,
      RAMPART_ACTION_EXECUTOR: 'webhook',
      RAMPART_ACTION_WEBHOOK_URL: 'https://automation.example/hooks/rampart',
      RAMPART_ACTION_WEBHOOK_SECRET: secret,
      RAMPART_ACTION_WEBHOOK_SECRET_PREVIOUS: previous,
      RAMPART_NOTIFY_WEBHOOK_URL: 'https://automation.example/hooks/findings',
      RAMPART_NOTIFY_WEBHOOK_SECRET: secret,
    }).services['worker'];
    const config = configOf(worker);
    expect(config.actions).toEqual({ executor: 'webhook', webhookUrl: 'https://automation.example/hooks/rampart', webhookSecret: secret, webhookPreviousSecret: previous });
    expect(config.notifications).toEqual({ webhookUrl: 'https://automation.example/hooks/findings', webhookSecret: secret });
    // unset, they are off rather than set to something
    expect(configOf(services['worker']).actions).toEqual({ executor: 'dry-run' });
    expect(configOf(services['worker']).notifications).toBeUndefined();
  });

  it('has no default for any password, secret, token or key: without them `docker compose up` refuses to start', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    const defaults = [...text.matchAll(/\$\{([A-Z0-9_]+):-([^}]*)\}/g)].map(([, name, value]) => ({ name, value }));
    const secretWithDefault = defaults.filter(({ name, value }) => /PASSWORD|SECRET|TOKEN|KEY(?!_PATH)/.test(name) && value !== '');
    expect(secretWithDefault).toEqual([]);
    for (const name of Object.keys(OPERATOR_ENV)) {
      const without: Record<string, string> = { ...OPERATOR_ENV };
      delete without[name];
      expect(() => readCompose(without)).toThrow(MissingComposeVariableError);
      expect(() => readCompose({ ...without, [name]: '' })).toThrow(new RegExp(`requires ${name}`));
    }
    // the password is in no service's environment but the database's and the URLs built from it
    const stack: ComposeFile = readCompose();
    for (const [name, service] of Object.entries(stack.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (value.includes(OPERATOR_ENV['POSTGRES_PASSWORD'])) expect([name, key]).toEqual(expect.arrayContaining([expect.stringMatching(/^(POSTGRES_PASSWORD|DATABASE_URL)$/)]));
      }
    }
  });

  it('interpolates as Docker Compose does', () => {
    expect(interpolate('${A:-x}', {})).toBe('x');
    expect(interpolate('${A:-x}', { A: '' })).toBe('x');
    expect(interpolate('${A:-x}', { A: 'y' })).toBe('y');
    expect(interpolate('a${A}b', {})).toBe('ab');
    expect(() => interpolate('${A:?say why}', { A: '' })).toThrow('compose requires A: say why');
  });
});
