// For the CLI's crash and scale-out tests: a throwaway PostgreSQL database with a data folder, real
// `rampart worker` processes on it (killed with the suite, whatever happened), and a wait that says
// what the workers printed when it gives up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { testDatabaseUrl } from '@rampart/event-store/testing';

export const ROOT = join(__dirname, '..', '..', '..', '..');
export const BIN = join(ROOT, 'tools', 'bin', 'rampart.js');

export interface RunningWorker {
  readonly child: ChildProcess;
  output(): string;
}

export interface WorkerBench {
  /** The environment of every process: the database, the data folder, and what the suite adds. */
  readonly env: Record<string, string>;
  worker(): RunningWorker;
  /** Polls until `ok`; on timeout the error carries the end of each worker's output. */
  until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs?: number): Promise<void>;
  /** Kills every worker, drops the database and removes the data folder. */
  dispose(): Promise<void>;
}

/** `name` must be unique among the suites that may run at once: the database is named after it and the process. */
export const workerBench = async (name: string, env: Record<string, string>): Promise<WorkerBench> => {
  const database = `rampart_${name}_${process.pid}`;
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  const dir = mkdtempSync(join(tmpdir(), `rampart-${name}-`));
  const full = {
    ...(process.env as Record<string, string>),
    RAMPART_STORE: 'postgres',
    DATABASE_URL: testDatabaseUrl().replace(/\/[^/?]+(\?|$)/, `/${database}$1`),
    RAMPART_DATA_DIR: dir,
    ...env,
  };
  const workers: RunningWorker[] = [];
  return {
    env: full,
    worker() {
      const child = spawn(process.execPath, [BIN, 'worker'], { cwd: ROOT, env: full });
      let output = '';
      child.stdout.on('data', (chunk) => (output += String(chunk)));
      child.stderr.on('data', (chunk) => (output += String(chunk)));
      const worker = { child, output: () => output };
      workers.push(worker);
      return worker;
    },
    async until(what, ok, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!(await ok())) {
        if (Date.now() > deadline)
          throw new Error(`${what}: not within ${timeoutMs} ms; the workers said:\n${workers.map((w, i) => `--- worker ${i + 1}\n${w.output().slice(-2_000)}`).join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async dispose() {
      for (const { child } of workers) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
};
