#!/usr/bin/env node
// Builds the web console (apps/console -> apps/console/dist) when its build is missing or older
// than its sources, so `npm start` serves the console from a fresh checkout without a separate step.
// `--force` builds regardless.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');
require('../bin/node-version.js').requireSupportedNode();

const root = path.join(__dirname, '..', '..');
const app = path.join(root, 'apps', 'console');
const built = path.join(app, 'dist', 'index.html');

const newest = (entry) => {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newest(path.join(entry, name))));
};

if (!existsSync(path.join(app, 'index.html'))) process.exit(0); // no console in this checkout
const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.mts'].map((p) => newest(path.join(app, p))));
if (!process.argv.includes('--force') && existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);

process.stderr.write('building the web console (apps/console/dist)…\n');
const started = Date.now();
const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
const result = spawnSync(process.execPath, [vite, 'build', app, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('the console did not build; the API starts without it (see the errors above)\n');
  process.exit(0);
}
process.stderr.write(`built the web console in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
