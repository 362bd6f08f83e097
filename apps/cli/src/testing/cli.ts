// For the CLI's end-to-end suites: the `rampart` command as a separate process with real arguments,
// `rampart standalone` started and stopped (and killed with the test if it overran), GraphQL over HTTP.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..', '..', '..');
export const bin = join(root, 'tools', 'bin', 'rampart.js');
/** The built command (`nx build cli`, tools/build/build.js): what `npm start`, the image and the npm package run. */
export const builtBin = join(root, 'dist', 'cli', 'rampart.js');

/** Builds dist/cli when it is missing or older than a source; `nx e2e cli` has built it already. */
export const ensureBuilt = (): void => {
  const result = spawnSync(process.execPath, [join(root, 'tools', 'build', 'build.js'), '--if-stale'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`the build failed:\n${result.stderr}`);
};

export const rampart = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, RAMPART_LOG_LEVEL: 'silent', ...env },
    timeout: 120_000,
  });

/** Servers still running: a test that timed out never reached its own stop, and the next test needs the data folder. */
const running = new Set<ChildProcess>();
export const killLeftovers = async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL');
      await exited;
    }
    running.delete(child);
  }
};

/** Starts `rampart standalone` (from the sources, or `command` such as builtBin), waits for its banner, returns its base URL and a stop function. */
export const startStandalone = (env: Record<string, string>, command = bin) =>
  new Promise<{ url: string; stop: () => Promise<number | null> }>((resolve, reject) => {
    const child = spawn(process.execPath, [command, 'standalone'], {
      cwd: root,
      env: { ...process.env, RAMPART_PORT: '0', RAMPART_LOG_LEVEL: 'warn', ...env },
    });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let stderr = '';
    // Seeding the demo's weeks of history takes ~15 s on a quiet 2-core machine, several times that on a busy one.
    const timer = setTimeout(() => reject(new Error(`no banner within 150 s:\n${stderr}`)), 150_000);
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      const match = /GraphQL\s+(http:\/\/[^\s]+)\/graphql/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          stop: () =>
            new Promise((done) => {
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${stderr}`)));
  });

export type Answer = { data?: Record<string, { edges?: unknown[] } & Record<string, unknown>>; errors?: unknown[] };
export const query = async (url: string, q: string, token: string): Promise<Answer> =>
  (await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: q }),
  })).json() as Promise<Answer>;

export const devToken = (env: Record<string, string>, ...args: string[]) => {
  const result = rampart(['dev', 'token', ...args], env);
  expect(result.stderr).toBe('');
  return result.stdout.trim();
};

