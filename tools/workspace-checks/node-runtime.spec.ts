// Every script, test and image runs on the Node.js that package.json's engines names: the `node`
// package that `npm ci` installs (npm scripts put node_modules/.bin first on PATH), the Docker
// image's base, and the guard that stops any other Node at start-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const { supported } = require('../bin/node-version.js') as { supported: (version?: string) => boolean };

describe('the Node.js runtime', () => {
  it('is Node 24 LTS, the one this test runs on', () => {
    expect(pkg.engines.node).toBe('>=24.11');
    expect(process.versions.node.split('.')[0]).toBe('24');
    expect(supported(process.versions.node)).toBe(true);
  });

  it('is installed by npm ci as the exact `node` package, its install script allowed', () => {
    expect(pkg.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
    expect(supported(pkg.devDependencies.node)).toBe(true);
    expect(pkg.allowScripts.node).toBe(true);
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/node'].version).toBe(pkg.devDependencies.node);
    // npm itself may run on an older Node: devEngines says which, so npm does not warn about the root.
    expect(pkg.devEngines.runtime).toEqual(expect.objectContaining({ name: 'node', onFail: 'warn' }));
  });

  it('is the base of the Docker image', () => {
    const from = /^FROM node:(\d+)-/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    expect(from?.[1]).toBe(pkg.devDependencies.node.split('.')[0]);
  });

  it('refuses older and accepts newer versions', () => {
    expect(supported('20.20.2')).toBe(false);
    expect(supported('22.15.0')).toBe(false);
    expect(supported('24.10.9')).toBe(false);
    expect(supported('24.11.0')).toBe(true);
    expect(supported('26.1.0')).toBe(true);
  });

  it('stops a process started by another Node with what to do instead', () => {
    // Pretend to be Node 20 the only way that reaches the guard as it runs: its version check.
    const result = spawnSync(
      process.execPath,
      ['-e', "Object.defineProperty(process.versions, 'node', { value: '20.20.2' }); require('./tools/bin/run-ts.js')", 'x.ts'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Rampart needs Node.js >=24.11');
    expect(result.stderr).toContain('npx rampart');
  });
});
