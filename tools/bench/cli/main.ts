// CLI start-up benchmark: how long the commands people run by hand and in pipelines take, end to end
// as a new process each time, from the sources (tools/bin/rampart.js, swc at start-up) and from the
// build (dist/cli/rampart.js), beside `node -e 0` (the floor: Node itself). Cases run round-robin, so
// a busy moment of the machine spreads over all of them. Not a test: it prints a table (stdout) and
// progress (stderr). The standalone audit verifier (tools/build/verifier.js) runs the same check
// as `audit verify`, as an auditor does. See docs/performance.md, "CLI start-up".
//
//   npm run bench:cli                                   10 runs of each case, a 10k-event export
//   node tools/bin/run-ts.js tools/bench/cli/main.ts --runs 20 --events 10000 --json tmp/bench-cli.json
//   npm run bench:cli -- --source-bin ../before/tools/bin/rampart.js    another checkout as "source"
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { exportAuditTrail } from '@rampart/audit-application';
import { publicKeyPem } from '@rampart/audit';
import { createPgliteClient, SqlEventStore } from '@rampart/event-store';
import { auditExportPorts } from '@rampart/platform';
import { ev, writeTrail } from '../audit/trail';
import { alignedTable, finishRun, machineHeader } from '../shared';

const root = path.join(__dirname, '..', '..', '..');
const SOURCE_BIN = path.join(root, 'tools', 'bin', 'rampart.js');
const BUILT_BIN = path.join(root, 'dist', 'cli', 'rampart.js');
const CORPUS = path.join(root, 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in');
const EXAMPLES = path.join(root, 'libs', 'inventory', 'src', 'testing', 'arm-examples');

const log = (message: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

/** Writes a tenant trail of `events` events into in-memory PGlite and exports it, as `rampart audit export` does. */
const makeExport = async (dir: string, events: number): Promise<{ exportDir: string; publicKeyFile: string; bytes: number }> => {
  const sql = await createPgliteClient();
  try {
    const store = await SqlEventStore.open(sql, { schema: 'bench_cli' });
    const tenantId = 'bench-cli';
    await store.appendToStream(`t-${tenantId}:tenant-${tenantId}`, [
      ev(tenantId, 'tenancy.TenantOnboarded.v1', { tenantId, displayName: 'Bench', sector: 'finance', contactEmail: 'soc@bench.example' }, 'bench'),
    ]);
    const from = new Date(Date.now() - 1_000);
    await writeTrail(store, tenantId, `${tenantId}-noise`, events - 1, log);
    await new Promise((r) => setTimeout(r, 10));
    const keys = generateKeyPairSync('ed25519');
    const exportDir = path.join(dir, 'export');
    const result = await exportAuditTrail(
      { eventStore: store },
      {
        tenantId,
        from,
        to: new Date(),
        outDir: exportDir,
        signingKey: keys.privateKey,
        actor: { kind: 'system', id: 'bench-cli' },
        settleMs: 0, // every append above has committed
        ...auditExportPorts({ eventStore: store }),
      },
    );
    const publicKeyFile = path.join(dir, 'rampart-audit.pem');
    writeFileSync(publicKeyFile, publicKeyPem(keys.publicKey));
    return { exportDir, publicKeyFile, bytes: result.manifest.files.reduce((sum, f) => sum + f.bytes, 0) };
  } finally {
    await sql.close();
  }
};

/** The verification's unavoidable part: reading and hashing every file of the export once (in this process). */
const hashingSeconds = (dir: string): number => {
  const started = process.hrtime.bigint();
  for (const name of readdirSync(dir)) createHash('sha256').update(readFileSync(path.join(dir, name))).digest('hex');
  return Number(process.hrtime.bigint() - started) / 1e9;
};

interface Case {
  readonly name: string;
  readonly mode: 'floor' | 'source' | 'build' | 'standalone';
  readonly args: readonly string[];
  readonly exitCode: number;
  /** The target in seconds, for the build. */
  readonly target?: number;
  readonly seconds: number[];
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

const main = async (): Promise<void> => {
  const program = new Command()
    .name('bench-cli')
    .description('CLI start-up: --version, policy test and audit verify as new processes, from the sources and from the build, beside node -e 0')
    .option('--runs <n>', 'runs of each case', (v) => Number(v), 10)
    .option('--events <n>', 'events of the exported trail that audit verify checks', (v) => Number(v), 10_000)
    .option('--no-source', 'only the build (the sources take a second or more per run)')
    .option('--source-bin <file>', "another checkout's tools/bin/rampart.js to run as the sources (a before/after comparison)", SOURCE_BIN)
    .option('--json <file>', 'also write the results as JSON to this file');
  program.parse();
  const opts = program.opts<{ runs: number; events: number; source: boolean; sourceBin: string; json?: string }>();
  const started = new Date();
  const { machine, busyAtStart } = await machineHeader('CLI start-up', `${opts.runs} runs per case`, started);

  const build = spawnSync(process.execPath, [path.join(root, 'tools', 'build', 'build.js'), '--if-stale'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-cli-'));
  try {
    log(`exporting a trail of ${opts.events.toLocaleString('en-US')} events`);
    const exported = await makeExport(dir, opts.events);
    const hashing = hashingSeconds(exported.exportDir);
    const resource = path.join(dir, 'storage.json');
    writeFileSync(resource, JSON.stringify({ type: 'Microsoft.Storage/storageAccounts', properties: { minimumTlsVersion: 'TLS1_0' } }));
    const tlsPolicy = path.join(CORPUS, 'Storage', 'StorageAccountMinimumTLSVersion_Audit.json');
    const { buildVerifier } = require(path.join(root, 'tools', 'build', 'verifier.js')) as { buildVerifier(o: { outDir: string; packageJson: boolean }): Promise<{ file: string }> };
    const verifier = (await buildVerifier({ outDir: path.join(dir, 'verifier'), packageJson: false })).file;

    const commands = [
      { name: '--version', args: ['--version'], exitCode: 0, target: 0.3 },
      { name: 'policy test, 1 definition x 1 resource', args: ['policy', 'test', '--policy', tlsPolicy, '--resource', resource], exitCode: 1, target: 0.6 },
      { name: 'policy test, built-in folder x ARM examples', args: ['policy', 'test', '--policy', CORPUS, '--resource', EXAMPLES], exitCode: 2 },
      {
        name: `audit verify, ${opts.events.toLocaleString('en-US')} events`,
        args: ['audit', 'verify', exported.exportDir, '--public-key', exported.publicKeyFile],
        exitCode: 0,
        target: 1 + hashing,
      },
    ];
    const cases: Case[] = [
      { name: 'node -e 0', mode: 'floor', args: ['-e', '0'], exitCode: 0, seconds: [] },
      ...(['source', 'build'] as const)
        .filter((mode) => mode === 'build' || opts.source)
        .flatMap((mode) => commands.map((c) => ({ ...c, mode, args: [mode === 'source' ? path.resolve(opts.sourceBin) : BUILT_BIN, ...c.args], seconds: [] as number[] }))),
      {
        name: `audit verify, ${opts.events.toLocaleString('en-US')} events`,
        mode: 'standalone',
        args: [verifier, exported.exportDir, '--public-key', exported.publicKeyFile],
        exitCode: 0,
        target: 1 + hashing,
        seconds: [],
      },
    ];
    const env = { ...process.env, RAMPART_LOG_LEVEL: 'silent', RAMPART_DATA_DIR: path.join(dir, 'data') };
    for (let run = 1; run <= opts.runs; run++) {
      for (const c of cases) {
        const t0 = process.hrtime.bigint();
        const result = spawnSync(process.execPath, c.args, { cwd: dir, env, encoding: 'utf8' });
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        if (result.status !== c.exitCode) throw new Error(`${c.mode} ${c.name} exited ${result.status}, expected ${c.exitCode}:\n${result.stderr}${result.stdout.slice(0, 2_000)}`);
        c.seconds.push(seconds);
      }
      log(`run ${run}/${opts.runs} done`);
    }

    const floor = [...cases[0].seconds].sort((a, b) => a - b);
    const floorMedian = quantile(floor, 0.5);
    const rows = cases.map((c) => {
      const sorted = [...c.seconds].sort((a, b) => a - b);
      const median = quantile(sorted, 0.5);
      const p95 = quantile(sorted, 0.95);
      const verdict = c.target === undefined || c.mode === 'source' ? '' : median <= c.target ? 'met' : 'MISSED';
      return { name: c.name, mode: c.mode, median, p95, ratio: median / floorMedian, target: c.mode === 'source' ? undefined : c.target, verdict };
    });
    console.log(
      `\naudit verify checks ${exported.bytes.toLocaleString('en-US')} bytes; reading and hashing them once takes ${hashing.toFixed(2)} s here, so its target is 1 s + that\n`,
    );
    console.log(
      alignedTable(
        ['case', 'from', 'median s', 'p95 s', 'x floor', 'target s', ''],
        [false, false, true, true, true, true, false],
        rows.map((r) => [r.name, r.mode, r.median.toFixed(3), r.p95.toFixed(3), r.ratio.toFixed(1), r.target === undefined ? '' : `<= ${r.target.toFixed(2)}`, r.verdict]),
      ),
    );
    finishRun(started, opts.json, (loadAtEnd) => ({ started, machine, busyAtStart, loadAtEnd, runs: opts.runs, events: opts.events, hashingSeconds: hashing, rows }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error: Error) => {
  process.stderr.write(`bench-cli: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
