#!/usr/bin/env node
// `npm run test:kurrentdb`: the event store's contract suite against a real KurrentDB, in one
// command. Starts docker-compose.yml's `kurrentdb-test` service (one node, in memory, its port on
// 127.0.0.1) as a compose project of its own, waits until it is healthy, runs
// libs/event-store/src/eventstoredb/esdb-event-store.int.spec.ts against it, and removes it again,
// whatever happened. Needs Docker with the compose plugin (2.20 or later).
//
//   npm run test:kurrentdb
//   RAMPART_TEST_KURRENTDB_PORT=21130 npm run test:kurrentdb     # another host port (default: a free one)
//   npm run test:kurrentdb -- --keep                              # leave the node running afterwards
import { spawn, spawnSync } from 'node:child_process';
import { devNull } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROJECT = 'rampart-kurrentdb-test';
const SERVICE = 'kurrentdb-test';
const keep = process.argv.includes('--keep');

const fail = (message, code = 2) => {
  process.stderr.write(`test:kurrentdb: ${message}\n`);
  process.exit(code);
};

// --- Docker and its compose plugin, or a message that says which is missing -----------------------
const probe = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8' });
if (probe.error?.code === 'ENOENT') {
  fail('needs Docker (https://docs.docker.com/engine/install/): no `docker` command on PATH. The contract suite runs against KurrentDB in a container; nothing was started.');
}
if (probe.status !== 0) {
  const said = `${probe.stderr}${probe.stdout}`.trim().split('\n').slice(0, 3).join('\n');
  fail(
    /Cannot connect|daemon|permission denied/i.test(said)
      ? `Docker is installed but its engine does not answer (is it running, may this user use it?):\n${said}`
      : `needs the Docker Compose plugin, 2.20 or later (https://docs.docker.com/compose/install/); \`docker compose version\` said:\n${said}`,
  );
}
const [major = 0, minor = 0] = probe.stdout.trim().replace(/^v/, '').split('.').map(Number);
if (major < 2 || (major === 2 && minor < 20)) fail(`needs Docker Compose 2.20 or later (profiles with optional dependencies); found ${probe.stdout.trim()}`);

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const port = process.env.RAMPART_TEST_KURRENTDB_PORT || String(await freePort());
// Compose interpolates the whole file before picking a service, so the variables the Rampart
// services require must have some value; this project starts none of those services.
const composeEnv = {
  ...process.env,
  RAMPART_TEST_KURRENTDB_PORT: port,
  POSTGRES_PASSWORD: process.env.POSTGRES_PASSWORD || 'unused-by-the-kurrentdb-test-node',
  RAMPART_OIDC_ISSUER: process.env.RAMPART_OIDC_ISSUER || 'https://unused.invalid/',
  RAMPART_OIDC_AUDIENCE: process.env.RAMPART_OIDC_AUDIENCE || 'unused',
  RAMPART_OIDC_JWKS_URI: process.env.RAMPART_OIDC_JWKS_URI || 'https://unused.invalid/keys',
  RAMPART_AUDIT_SIGNING_KEY_PATH: process.env.RAMPART_AUDIT_SIGNING_KEY_PATH || devNull,
};
const compose = (...args) => ['compose', '--project-name', PROJECT, '--file', join(root, 'docker-compose.yml'), '--profile', SERVICE, ...args];

const run = (command, args, env) =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.once('error', (error) => {
      process.stderr.write(`test:kurrentdb: ${command} failed to start: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

let tornDown = false;
const tearDown = async () => {
  if (tornDown || keep) return;
  tornDown = true;
  await run('docker', compose('down', '--volumes', '--remove-orphans', '--timeout', '5'), composeEnv);
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    void tearDown().then(() => process.exit(130));
  });
}

let status = 1;
try {
  process.stderr.write(`test:kurrentdb: starting KurrentDB (${SERVICE}) on 127.0.0.1:${port} and waiting until it is healthy…\n`);
  const up = await run('docker', compose('up', '--detach', '--wait', '--wait-timeout', '180', SERVICE), composeEnv);
  if (up !== 0) {
    await run('docker', compose('logs', '--tail', '50', SERVICE), composeEnv);
    throw new Error(`KurrentDB did not become healthy (docker compose up exited with ${up}); its last log lines are above`);
  }
  const connectionString = `esdb://127.0.0.1:${port}?tls=false`;
  process.stderr.write(`test:kurrentdb: running the event store's contract suite against ${connectionString}\n`);
  status = await run(
    process.execPath,
    [
      join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
      '-c', join(root, 'libs', 'event-store', 'jest.config.cjs'),
      '--selectProjects', 'int',
      '--testPathPatterns', 'eventstoredb/',
      '--runInBand',
    ],
    { ...process.env, EVENTSTORE_CONNECTION_STRING: connectionString },
  );
} catch (error) {
  process.stderr.write(`test:kurrentdb: ${error.message}\n`);
  status = 1;
} finally {
  await tearDown();
  if (keep) process.stderr.write(`test:kurrentdb: left running (--keep); remove it with: docker ${compose('down', '--volumes').join(' ')}\n`);
}
process.exit(status);
