#!/usr/bin/env node
// Builds the `rampart` command (apps/cli, which also runs `standalone`, `api` and `worker`) into
// dist/cli: one bundled CommonJS file with its source map, the data files the code reads at run time,
// a small launcher, and a package.json that makes the folder an installable npm package. npm packages
// stay external (installed as production dependencies); only the workspace's own code is bundled.
//
//   node tools/build/build.js             build
//   node tools/build/build.js --if-stale  build only when dist/cli is missing or older than a source
//
// `nx build cli` runs it, and `npm start` (with --if-stale) before it runs the build. Tests and
// `npx rampart` in a checkout keep running the sources (tools/bin/rampart.js).
const { builtinModules } = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
require('../bin/node-version.js').requireSupportedNode();

const root = path.join(__dirname, '..', '..');
const outDir = path.join(root, 'dist', 'cli');
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The installable package's name: `rampart` on the public registry is an unrelated package. */
const PACKAGE_NAME = '@rampart-platform/cli';

/**
 * Files the code reads at run time from paths relative to its own source file (`__dirname`, or a
 * `require()` whose path is built at run time, which a bundler cannot follow). In the bundle every
 * source file's folder is mirrored under assets/ (see withSourceRelativeAssets), so those paths keep
 * working; these are the folders copied there (the build fails if a bundled file reads one that is
 * not: see sourceRelativeReads). Data imported with a literal path (a definition's JSON) is bundled.
 */
const ASSETS = [
  'libs/guardrails/corpus/azure-builtins', // Azure's built-in definitions and initiatives, one category file loaded at a time
  'libs/guardrails/src/aliases/data', // the alias table, one provider namespace loaded at a time
  'libs/inventory/src/testing/arm-examples', // the resource templates the standalone demo generates its tenants from
];

/**
 * Packages needed at run time that no bundled file imports: @nestjs/apollo loads the Express
 * integration itself, and rxjs is NestJS's peer. They go into the package's dependencies too.
 */
const RUNTIME_ONLY_PACKAGES = ['@as-integrations/express5', 'rxjs'];

/** Everything the build reads: a newer file makes the build stale. */
const SOURCES = ['apps/cli/src', 'libs', 'tools/build', 'package.json', 'tsconfig.base.json'];

const newest = (entry) => {
  let stat;
  try {
    stat = fs.statSync(entry);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) if (name !== 'node_modules') max = Math.max(max, newest(path.join(entry, name)));
  return max;
};

const BUILT = path.join(outDir, 'main.js');
const isStale = () => !fs.existsSync(BUILT) || fs.statSync(BUILT).mtimeMs < Math.max(...SOURCES.map((s) => newest(path.join(root, s))));

const toPosix = (p) => p.split(path.sep).join('/');

/**
 * `__dirname` of a bundled file is the bundle's folder. A source file that reads files relative to
 * its own folder gets that folder's mirror under assets/ instead, and a `require()` of a path built
 * at run time (a data file chosen by name) reads from the mirror as well, not from the bundle.
 */
const withSourceRelativeAssets = (source, file) => {
  if (!source.includes('__dirname') && !/\brequire\(`/.test(source)) return source;
  const mirror = JSON.stringify(`assets/${toPosix(path.relative(root, path.dirname(file)))}`);
  const dir = `require('node:path').join(__dirname, ${mirror})`;
  return source.replace(/\b__dirname\b/g, dir).replace(/\brequire\(`(\.{1,2}\/[^`]*)`\)/g, (_, rest) => `require(${dir} + '/' + \`${rest}\`)`);
};

/**
 * The paths, relative to the repository, that a source file reads relative to its folder and that
 * can be told without running it: `join(__dirname, '…', …)` with literal segments, and the folder of a
 * `require(`./folder/${name}`)`. The build fails when one of them is missing from the mirror.
 */
const sourceRelativeReads = (source, file) => {
  const dir = path.dirname(file);
  const reads = [];
  for (const [, args] of source.matchAll(/\bjoin\(\s*__dirname((?:\s*,\s*'[^']*')*)\s*\)/g)) {
    reads.push(path.join(dir, ...[...args.matchAll(/'([^']*)'/g)].map((m) => m[1])));
  }
  for (const [, rest] of source.matchAll(/\brequire\(`(\.{1,2}\/[^`$]*\/)[^`]*`\)/g)) reads.push(path.join(dir, rest));
  return reads.map((read) => toPosix(path.relative(root, read)));
};

/**
 * esbuild does not emit TypeScript's decorator metadata (`design:type`, `design:paramtypes`), which
 * NestJS's code-first GraphQL reads for `@Field()` and `@Args()` without an explicit type. Files with
 * decorators go through swc first, with the options tests and `run-ts` use; the rest through esbuild.
 */
const hasDecorators = (source) => /^\s*@[A-Z]\w*\(/m.test(source);
const SWC_OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

const workspaceSources = (reads) => ({
  name: 'workspace-sources',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const original = await fs.promises.readFile(args.path, 'utf8');
      for (const read of sourceRelativeReads(original, args.path)) reads.push({ file: toPosix(path.relative(root, args.path)), read });
      let contents = withSourceRelativeAssets(original, args.path);
      if (hasDecorators(contents)) contents = (await require('@swc/core').transform(contents, { ...SWC_OPTIONS, filename: args.path })).code;
      // Still TypeScript to esbuild: an import kept only for metadata may name a type (an interface),
      // which esbuild tolerates from a TypeScript file and refuses from JavaScript.
      return contents === original ? undefined : { contents, loader: 'ts' };
    });
  },
});

const packageNameOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** npm packages stay external; each must be a production dependency, or the image and the installed CLI would miss it. */
const externalPackages = (used) => ({
  name: 'external-packages',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@rampart/')) return undefined;
      const name = packageNameOf(args.path);
      if (name.startsWith('node:') || builtins.has(name)) return { path: args.path, external: true };
      if (!rootPackage.dependencies[name]) {
        return { errors: [{ text: `${name} is imported by ${toPosix(path.relative(root, args.importer))} but is not a production dependency in package.json` }] };
      }
      used.add(name);
      return { path: args.path, external: true };
    });
  },
});

/** The npm package: the dependencies the bundle imports, at the versions the lock file was made with. */
const packageJson = (used) => ({
  name: PACKAGE_NAME,
  version: rootPackage.version,
  description: `${rootPackage.description}: the rampart command (offline policy tests, audit verification, and the API and worker)`,
  license: rootPackage.license,
  bin: { rampart: 'rampart.js' },
  main: 'main.js',
  files: ['rampart.js', 'main.js', 'main.js.map', 'assets/', 'npm-shrinkwrap.json'],
  engines: rootPackage.engines,
  dependencies: Object.fromEntries([...used, ...RUNTIME_ONLY_PACKAGES].sort().map((name) => [name, rootPackage.dependencies[name]])),
});

/**
 * The package's lock (npm-shrinkwrap.json, which npm honours when it installs a package): the root
 * lock's entries for the dependencies and everything they need, at the same places in the tree, so
 * the installed CLI runs on exactly the versions this repository tests, and an install whose
 * tarballs are in npm's cache needs no registry (`--offline`).
 */
const shrinkwrap = (pkg) => {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  // Node's lookup: the dependency beside the dependent's own node_modules, then each folder up.
  const locate = (from, name) => {
    for (let base = from; ; ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
      if (!base) return undefined;
      const up = base.lastIndexOf('/node_modules/');
      base = up < 0 ? '' : base.slice(0, up);
    }
  };
  const packages = { '': { name: pkg.name, version: pkg.version, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines } };
  const pending = Object.keys(pkg.dependencies).map((name) => locate('', name));
  while (pending.length) {
    const key = pending.pop();
    if (packages[key]) continue;
    // `dev` and `devOptional` describe the repository's tree, not the package's
    const entry = { ...lock.packages[key] };
    delete entry.dev;
    delete entry.devOptional;
    packages[key] = entry;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers[name]?.optional),
    ];
    for (const name of needs) {
      const found = locate(key, name);
      if (found) pending.push(found);
      else if (!entry.optionalDependencies?.[name]) throw new Error(`${key} needs ${name}, which package-lock.json does not hold`);
    }
  }
  const sorted = Object.fromEntries(Object.keys(packages).sort().map((key) => [key, packages[key]]));
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: sorted };
};

const build = async () => {
  const esbuild = require('esbuild');
  const started = Date.now();
  // Built beside, then swapped in: a run that reads dist/cli meanwhile sees the old build or the new one.
  const staging = `${outDir}.${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const used = new Set();
  const reads = [];
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { main: 'apps/cli/src/main.ts' },
    outdir: staging,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    tsconfig: 'tsconfig.base.json',
    sourcemap: true,
    sourcesContent: false,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [externalPackages(used), workspaceSources(reads)],
  });
  for (const asset of ASSETS) fs.cpSync(path.join(root, asset), path.join(staging, 'assets', asset), { recursive: true });
  // What `rampartVersion()` reads: the root package.json, three folders above libs/server/src.
  fs.writeFileSync(path.join(staging, 'assets', 'package.json'), `${JSON.stringify({ name: rootPackage.name, version: rootPackage.version, private: true }, null, 2)}\n`);
  const missing = reads.filter(({ read }) => !fs.existsSync(path.join(staging, 'assets', read)));
  if (missing.length) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw new Error(`bundled code reads files the build does not copy; add them to ASSETS in tools/build/build.js:\n${missing.map((m) => `  ${m.read} (read by ${m.file})`).join('\n')}`);
  }
  fs.copyFileSync(path.join(__dirname, 'rampart.js'), path.join(staging, 'rampart.js'));
  fs.chmodSync(path.join(staging, 'rampart.js'), 0o755);
  const pkg = packageJson(used);
  fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(path.join(staging, 'npm-shrinkwrap.json'), `${JSON.stringify(shrinkwrap(pkg), null, 2)}\n`);
  fs.copyFileSync(path.join(__dirname, 'README.md'), path.join(staging, 'README.md'));
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.renameSync(staging, outDir);
  return { used, reads, seconds: (Date.now() - started) / 1000 };
};

module.exports = { build, isStale, outDir, PACKAGE_NAME };

if (require.main === module) {
  if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);
  process.stderr.write('building the rampart command (dist/cli)…\n');
  build().then(
    ({ used, seconds }) => {
      const mb = fs.statSync(BUILT).size / 1e6;
      process.stderr.write(`built dist/cli in ${seconds.toFixed(1)} s: main.js ${mb.toFixed(1)} MB, ${used.size + RUNTIME_ONLY_PACKAGES.length} npm dependencies\n`);
    },
    (error) => {
      process.stderr.write(`the build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
