// The build (`nx build cli`, tools/build/build.js) as production runs it: one bundle of the
// workspace's code with npm packages left to the package's dependencies, decorator metadata for
// NestJS, the data the code reads beside it, heavy packages loaded only by the commands that need
// them; the built standalone answering GraphQL; and the Dockerfile (no Docker engine here) read to
// check it runs exactly what the build produces.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { DEFAULT_CONSOLE_DIR } from '@rampart/runtime';
import { type Answer, builtBin, ensureBuilt, killLeftovers, query, root, startStandalone } from './testing/cli';

const dist = join(root, 'dist', 'cli');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
const built = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [builtBin, ...args], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, RAMPART_LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });

beforeAll(ensureBuilt, 120_000);

describe('the build (dist/cli)', () => {
  it('bundles the workspace into one file with its map, and leaves npm packages to the dependencies of its package', () => {
    const main = readFileSync(join(dist, 'main.js'), 'utf8');
    expect(main).not.toMatch(/require\(["']@rampart\//);
    expect(main.trimEnd().endsWith('//# sourceMappingURL=main.js.map')).toBe(true);
    const map = JSON.parse(readFileSync(join(dist, 'main.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../apps/cli/src/main.ts');
    // esbuild alone would drop these: NestJS's code-first GraphQL reads them
    expect(main).toContain('"design:paramtypes"');
    expect(main).toContain('"design:type"');

    const pkg = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string>; files: string[]; dependencies: Record<string, string> };
    expect(pkg).toMatchObject({ name: '@rampart-platform/cli', version: rootPackage.version, bin: { rampart: 'rampart.js' } });
    for (const file of pkg.files) expect({ file, exists: existsSync(join(dist, file)) }).toEqual({ file, exists: true });
    expect(statSync(builtBin).mode & 0o111).not.toBe(0);
    for (const [name, version] of Object.entries(pkg.dependencies)) expect({ name, version }).toEqual({ name, version: rootPackage.dependencies[name] });
    for (const external of new Set([...main.matchAll(/(?:require|import)\("(?!node:)((?:@[^/"]+\/)?[^/"]+)[^"]*"\)/g)].map((m) => m[1]))) {
      if (builtinModules.includes(external)) continue;
      expect({ external, declared: external in pkg.dependencies }).toEqual({ external, declared: true });
    }
    const lock = JSON.parse(readFileSync(join(dist, 'npm-shrinkwrap.json'), 'utf8')) as { packages: Record<string, { version: string }> };
    for (const name of Object.keys(pkg.dependencies)) expect(lock.packages[`node_modules/${name}`]?.version).toBe(pkg.dependencies[name]);
  });

  it('runs from the build outside the repository, reading the data beside the bundle', () => {
    const version = built(['--version']);
    expect(version.stdout.trim()).toBe(rootPackage.version);
    // Azure's built-in initiatives and definitions (assets/…/azure-builtins) compiled with the alias table (assets/…/aliases/data)
    const standard = built(['baselines', 'show', 'cis-azure-2.0.0']);
    expect(standard.stderr).toBe('');
    expect(standard.status).toBe(0);
    expect(standard.stdout).toMatch(/^cis-azure-2\.0\.0: .*\n\d+ controls, \d+ definitions: [1-9]\d* evaluated/);
  });

  it('loads no npm package but commander for --version, --help and policy test: the rest waits for the commands that need it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-requires-'));
    try {
      // a preload that lists the npm packages the bundle itself requires (not its data files, not Node's modules)
      const trace = join(dir, 'trace.cjs');
      writeFileSync(
        trace,
        `const Module = require('node:module'); const seen = new Set(); const load = Module._load;
        Module._load = function (request, parent) {
          if (parent && parent.filename.endsWith('main.js') && /^[@a-z]/.test(request) && !request.startsWith('node:') && !Module.builtinModules.includes(request)) seen.add(request.split('/').slice(0, request.startsWith('@') ? 2 : 1).join('/'));
          return load.apply(this, arguments);
        };
        process.on('exit', () => require('node:fs').writeFileSync(process.env.TRACE_OUT, JSON.stringify([...seen].sort())));`,
      );
      const required = (...args: string[]) => {
        const out = join(dir, 'required.json');
        const run = spawnSync(process.execPath, ['-r', trace, builtBin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, TRACE_OUT: out } });
        expect(run.stderr).toBe('');
        return JSON.parse(readFileSync(out, 'utf8')) as string[];
      };
      expect(required('--version')).toEqual(['commander', 'reflect-metadata']);
      expect(required('--help')).toEqual(['commander', 'reflect-metadata']);
      const resource = join(dir, 'storage.json');
      writeFileSync(resource, JSON.stringify({ type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_2' } }));
      const policy = join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'Storage', 'StorageAccountMinimumTLSVersion_Audit.json');
      expect(required('policy', 'test', '--policy', policy, '--resource', resource)).toEqual(['commander', 'reflect-metadata']);
      // and the servers' packages load when a server starts
      expect(required('config')).toEqual(expect.arrayContaining(['zod']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('the Dockerfile', () => {
    type Instruction = { readonly op: string; readonly args: string };
    type Stage = { readonly from: string; readonly name: string; readonly instructions: Instruction[] };
    const stages: Stage[] = [];
    for (const line of readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n')) {
      const text = line.trim();
      if (!text || text.startsWith('#')) continue;
      const [, op, args] = /^(\w+)\s+(.*)$/.exec(text) ?? [];
      if (op === 'FROM') {
        const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args) ?? [];
        stages.push({ from, name, instructions: [] });
      } else stages.at(-1)?.instructions.push({ op, args });
    }
    const stage = (name: string) => stages.find((s) => s.name === name) as Stage;
    const last = (s: Stage, op: string) => s.instructions.filter((i) => i.op === op).at(-1)?.args;
    const runs = (s: Stage) => s.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');
    const copiesFrom = (s: Stage, from: string) =>
      s.instructions
        .filter((i) => i.op === 'COPY' && i.args.startsWith(`--from=${from} `))
        .map((i) => i.args.split(/\s+/).slice(1) as [string, string]);

    it('builds in one stage with every dependency and runs in another on production dependencies only', () => {
      expect(stages.map((s) => s.name)).toEqual(['build', 'runtime']);
      for (const s of stages) expect(s.from).toMatch(/^node:24-/);
      expect(runs(stage('build'))).toMatch(/npm ci (?!.*--omit=dev)/);
      expect(runs(stage('build'))).toContain('node tools/build/build.js');
      expect(runs(stage('build'))).toContain('node tools/scripts/console-build.js');
      expect(runs(stage('runtime'))).toMatch(/npm ci --omit=dev/);
      expect(runs(stage('runtime'))).not.toMatch(/--include=dev|tools\/|run-ts/);
      // the runtime installs from the lock file, so the image runs the versions the tests ran
      expect(stage('runtime').instructions.find((i) => i.op === 'COPY')?.args).toBe('package.json package-lock.json ./');
    });

    it('runs the built command, as an unprivileged user, from files the build produces', () => {
      const runtime = stage('runtime');
      const user = last(runtime, 'USER');
      expect(user).toBeDefined();
      expect(user).not.toMatch(/^(root|0)(:|$)/);
      const workdir = last(runtime, 'WORKDIR') as string;
      const buildWorkdir = last(stage('build'), 'WORKDIR') as string;
      const command = JSON.parse(last(runtime, 'CMD') as string) as string[];
      expect(command[0]).toBe('node');
      expect(command[2]).toBe('api');
      // the script the image starts is a file of the build output copied from the build stage
      const script = posix.resolve(workdir, command[1]);
      const copied = copiesFrom(runtime, 'build').map(([from, to]) => ({ from: posix.relative(buildWorkdir, from), to: posix.resolve(workdir, to) }));
      const source = copied.find((c) => script.startsWith(`${c.to}/`));
      expect(source?.from).toBe('dist/cli');
      expect(existsSync(join(root, source?.from ?? '-', posix.relative(source?.to ?? '/', script)))).toBe(true);
      // the console the API serves, where RAMPART_CONSOLE_DIR's default looks (relative to the working folder)
      expect(copied).toContainEqual({ from: 'apps/console/dist', to: posix.resolve(workdir, DEFAULT_CONSOLE_DIR) });
    });
  });

  describe('the built standalone', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(join(tmpdir(), 'rampart-built-'));
    });
    afterEach(killLeftovers);
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    // The demo's tenants only: its weeks of history take minutes on a busy machine and read nothing
    // more from the build (the build itself fails when bundled code reads data it does not copy).
    it('starts, and answers GraphQL with its code-first schema complete', async () => {
      const env = { RAMPART_DATA_DIR: dataDir, RAMPART_CONSOLE_DIR: 'off', RAMPART_DEMO: 'tenants' };
      const server = await startStandalone(env, builtBin);
      try {
        const token = built(['dev', 'token', '--role', 'platform.admin'], env).stdout.trim();
        expect(token).toMatch(/^ey/);
        // `after` and `displayName` take their GraphQL types from decorator metadata (@Args and @Field without a type function)
        let tenants: Answer = {};
        // the worker projects the seeded tenants moments after the API listens
        for (let i = 0; i < 100 && (tenants.data?.['tenants']?.edges?.length ?? 0) < 2; i++) {
          tenants = await query(server.url, '{ tenants(first: 5, after: null) { edges { node { tenantId displayName } } } }', token);
          expect(tenants.errors).toBeUndefined();
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((tenants.data?.['tenants']?.edges ?? []).length).toBeGreaterThanOrEqual(2);
        const types = await query(
          server.url,
          '{ query: __type(name: "Query") { fields { name args { name type { name } } } } tenant: __type(name: "TenantType") { name fields { name type { kind ofType { name } } } } }',
          token,
        );
        const fields = (types.data?.['query']?.['fields'] ?? []) as { name: string; args: { name: string; type: { name: string } }[] }[];
        expect(fields.find((f) => f.name === 'tenants')?.args).toContainEqual({ name: 'after', type: { name: 'String' } });
        // class names survive bundling: the GraphQL type keeps its name, its field its type
        expect(types.data?.['tenant']?.['fields']).toContainEqual({ name: 'displayName', type: { kind: 'NON_NULL', ofType: { name: 'String' } } });
        const queue = await query(server.url, '{ incidents(first: 10) { edges { node { status } } } }', token);
        expect(queue.errors).toBeUndefined();
      } finally {
        expect(await server.stop()).toBe(0);
      }
    }, 180_000);
  });
});
