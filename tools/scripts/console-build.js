#!/usr/bin/env node
// Builds the web console (apps/console -> apps/console/dist) when its build is missing or older
// than its sources, so `npm start` serves the console from a fresh checkout without a separate step.
// `--force` builds regardless. The standalone audit verifier is built into it as a download.
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
const force = process.argv.includes('--force');
const sources = Math.max(...['src', 'public', 'index.html', 'vite.config.mts'].map((p) => newest(path.join(app, p))));
const consoleFresh = !force && existsSync(built) && statSync(built).mtimeMs >= sources;

if (!consoleFresh) {
  process.stderr.write('building the web console (apps/console/dist)…\n');
  const started = Date.now();
  const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', app, '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('the console did not build; the API starts without it (see the errors above)\n');
    process.exit(0);
  }
  process.stderr.write(`built the web console in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

// The auditor's page offers the standalone verifier for download: every console build makes it (see
// vite.config.mts); here it is made again alone when only the verification code changed.
const { buildVerifier, VERIFIER_FILE } = require('../build/verifier.js');
const downloads = path.join(app, 'dist', 'downloads');
const verifierCopy = path.join(downloads, VERIFIER_FILE);
const verifierSources = Math.max(...['libs/audit-verifier/src', 'libs/audit/src', 'libs/event-sourcing/src', 'tools/build/verifier.js'].map((p) => newest(path.join(root, p))));
if (!existsSync(verifierCopy) || statSync(verifierCopy).mtimeMs < verifierSources) {
  buildVerifier({ outDir: downloads, packageJson: false }).then(
    ({ sha256 }) => process.stderr.write(`built the standalone audit verifier for the console (sha256 ${sha256})\n`),
    (error) => {
      process.stderr.write(`the standalone audit verifier did not build: ${error.message}\n`);
      process.exit(1);
    },
  );
}
