#!/usr/bin/env node
// Builds the standalone audit verifier: one readable JavaScript file, the library's own checks
// (libs/audit/src/verify.ts, through libs/audit-verifier) with everything they use bundled in, so
// it needs Node.js and nothing else, not even an npm install. An auditor can read it, compare its
// SHA-256 with the one the release names, and run it without trusting the platform it checks.
//
//   node tools/build/verifier.js [--out <folder>]    default: dist/audit-verifier
//
// The folder is also an npm package (@rampart-platform/audit-verify, no dependencies). `npm run
// build` builds it with the CLI; the console build copies the file to the auditor's page.
const { builtinModules } = require('node:module');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const FILE = 'rampart-audit-verify.js';
const PACKAGE_NAME = '@rampart-platform/audit-verify';
/** What an auditor's machine may run: node:util's parseArgs and Ed25519 in node:crypto are both in Node 18. */
const NODE_TARGET = 'node18';

/**
 * Only Node's built-ins stay outside the file: an npm package would need an install. The workspace's
 * modules only define things (nothing runs when one is imported), which esbuild is told, so that of
 * a library index only what the verifier calls is bundled, not every format and decider beside it.
 */
const builtinsOnly = {
  name: 'builtins-only',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.replace(/^node:/, '').split('/')[0];
      if (args.path.startsWith('node:') || builtins.has(name)) return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, external: true };
      return undefined;
    });
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving || args.kind === 'entry-point') return undefined;
      const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolving: true } });
      if (resolved.errors.length) return { errors: resolved.errors };
      if (resolved.external || resolved.path.includes(`${path.sep}node_modules${path.sep}`)) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

const BANNER = (version) => `#!/usr/bin/env node
// rampart-audit-verify ${version}: checks a Rampart audit export offline (signature, digests, every
// event line, the chain). Built from Rampart's own verification code (libs/audit/src/verify.ts) with
// its dependencies bundled in; it needs Node.js 18 or later and nothing else.
// Usage: node ${FILE} <export-folder> --public-key <pem-file> [--previous <manifest.json>] [--json]
// Specification of the format, and how to check an export with openssl and sha256sum alone:
// docs/audit-format.md in the Rampart repository.`;

/** `packageJson: false` writes only the file and its digest (the console's copy). */
const buildVerifier = async ({ outDir = path.join(root, 'dist', 'audit-verifier'), packageJson = true } = {}) => {
  const esbuild = require('esbuild');
  const staging = `${outDir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['libs/audit-verifier/src/bin.ts'],
    outfile: path.join(staging, FILE),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    tsconfig: 'tsconfig.base.json',
    // Readable, not minified: an auditor may want to read what they run.
    minify: false,
    keepNames: true,
    legalComments: 'inline',
    banner: { js: BANNER(rootPackage.version) },
    define: { RAMPART_VERIFIER_VERSION: JSON.stringify(rootPackage.version) },
    metafile: true,
    logLevel: 'warning',
    plugins: [builtinsOnly],
  });
  const file = path.join(staging, FILE);
  fs.chmodSync(file, 0o755);
  const bytes = fs.readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // sha256sum's format: `sha256sum -c rampart-audit-verify.js.sha256` checks a download.
  fs.writeFileSync(`${file}.sha256`, `${sha256}  ${FILE}\n`);
  const pkg = {
    name: PACKAGE_NAME,
    version: rootPackage.version,
    description: 'Verify a Rampart audit export offline: one file, Node.js built-ins only',
    license: rootPackage.license,
    bin: { 'rampart-audit-verify': FILE },
    files: [FILE],
    engines: { node: '>=18' },
  };
  if (packageJson) fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(staging, outDir);
  const packages = new Set(Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/')).map((input) => input.split('node_modules/').pop().split('/').slice(0, input.split('node_modules/').pop().startsWith('@') ? 2 : 1).join('/')));
  return { file: path.join(outDir, FILE), bytes: bytes.length, sha256, bundledPackages: [...packages].sort() };
};

module.exports = { buildVerifier, VERIFIER_FILE: FILE, VERIFIER_PACKAGE_NAME: PACKAGE_NAME };

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  buildVerifier({ outDir }).then(
    ({ file, bytes, sha256, bundledPackages }) =>
      process.stderr.write(`built ${path.relative(process.cwd(), file)}: ${(bytes / 1024).toFixed(0)} KB, sha256 ${sha256}, bundles ${bundledPackages.join(', ') || 'no npm package'}\n`),
    (error) => {
      process.stderr.write(`the verifier did not build: ${error.message}\n`);
      process.exit(1);
    },
  );
}
