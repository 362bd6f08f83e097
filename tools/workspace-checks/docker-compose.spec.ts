// docker-compose.yml cannot run here (no Docker engine), so it is checked by reading it: every
// service it refers to exists, the Rampart services run commands the CLI has, and every variable
// they set is one Rampart reads and accepts.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ENVIRONMENT_VARIABLES, loadConfig } from '@rampart/runtime';

const root = join(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
  volumes?: string[];
  networks?: string[] | Record<string, unknown>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const services = compose.services;
const rampartServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

/** What an operator's environment provides for the variables compose requires (`${NAME:?…}`). */
const OPERATOR_ENV: Record<string, string> = {
  RAMPART_OIDC_ISSUER: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/v2.0',
  RAMPART_OIDC_AUDIENCE: 'api://rampart',
  RAMPART_OIDC_JWKS_URI: 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
};

/** What Docker Compose does with `${NAME:-default}` (unset: the default) and `${NAME:?message}` (unset: an error). */
const interpolate = (value: string) =>
  value
    .replace(/\$\{([A-Z_]+):-([^}]*)\}/g, '$2')
    .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_, name: string) => {
      if (!(name in OPERATOR_ENV)) throw new Error(`compose requires ${name}, which the test does not provide`);
      return OPERATOR_ENV[name];
    });

describe('docker-compose.yml', () => {
  it('describes the production shape: a 3-node KurrentDB cluster, PostgreSQL, api and worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'kurrentdb1', 'kurrentdb2', 'kurrentdb3', 'postgres', 'worker']);
    for (const node of ['kurrentdb1', 'kurrentdb2', 'kurrentdb3']) {
      expect(services[node].environment?.['KURRENTDB_CLUSTER_SIZE']).toBe('3');
    }
  });

  it('refers only to services, volumes and networks it defines', () => {
    for (const [name, service] of Object.entries(services)) {
      const deps = Array.isArray(service.depends_on) ? service.depends_on : Object.keys(service.depends_on ?? {});
      for (const dep of deps) expect({ service: name, dependsOn: dep, exists: dep in services }).toMatchObject({ exists: true });
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.') && !source.startsWith('/')) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
      for (const network of networks) expect(Object.keys(compose.networks ?? {})).toContain(network);
    }
  });

  it('builds the Rampart services from the Dockerfile and runs CLI commands that exist, from the build', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    expect(rampartServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    // dist/cli/rampart.js is the built command the image holds (apps/cli/src/build.e2e.spec.ts checks the image's layout)
    for (const [name, service] of rampartServices) {
      expect(service.command).toEqual(['node', 'dist/cli/rampart.js', name]);
    }
  });

  it('sets only variables Rampart reads, with values its configuration accepts', () => {
    for (const [name, service] of rampartServices) {
      const env = Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
      const unknown = Object.keys(env).filter((key) => !(key in ENVIRONMENT_VARIABLES));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
      const config = loadConfig(env);
      expect(config.store.kind).toBe('eventstoredb');
      expect(config.production).toBe(true);
      expect(config.auth.devIssuer).toBe(false);
      expect(config.auth.oidc?.issuer).toBe(OPERATOR_ENV['RAMPART_OIDC_ISSUER']);
      if (config.store.kind === 'eventstoredb') {
        expect(config.store.connectionString).toContain('kurrentdb1:2113');
        expect(config.store.databaseUrl).toContain('@postgres:5432/');
      }
    }
  });
});
