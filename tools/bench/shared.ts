// Small pieces both benchmarks use: how busy the machine is before a run, readable errors, and
// URLs without passwords.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { quoteIdent, type SqlClient } from '@rampart/event-store';

/** Fraction of all CPUs' time spent not idle during the next `ms` milliseconds. */
export const cpuBusyFraction = async (ms: number): Promise<number> => {
  const sample = () =>
    os.cpus().reduce(
      (acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + Object.values(c.times).reduce((a, b) => a + b, 0) }),
      { idle: 0, total: 0 },
    );
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : 0;
};

export const errorText = (error: unknown): string => {
  const e = error as { message?: string; code?: string; errors?: unknown[] };
  if (e?.message) return e.message;
  if (e?.code) return e.code;
  if (Array.isArray(e?.errors) && e.errors.length) return errorText(e.errors[0]);
  return String(error);
};

export const maskUrl = (url: string): string => url.replace(/:[^:@/]*@/, ':***@');

/**
 * Prints what every benchmark prints first: the machine, and how busy it is right now (the load
 * average lags by minutes; what matters is whether something else is using the CPUs now).
 */
export const machineHeader = async (title: string, mode: string, started: Date) => {
  const cpus = os.cpus();
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.arch()} (${os.release()})`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuCount: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
  console.log(`# ${title} (${mode}), ${started.toISOString()}`);
  console.log(`node ${machine.node}, ${machine.platform}, ${machine.cpuCount} x ${machine.cpuModel}, ${machine.memoryGiB} GiB RAM`);
  const busyAtStart = await cpuBusyFraction(1_000);
  const loadAtStart = os.loadavg();
  console.log(
    `CPU busy before start: ${Math.round(busyAtStart * 100)}% of ${machine.cpuCount} CPUs over 1 s; load average ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`,
  );
  if (busyAtStart > 0.25) console.log('NOTE: something else is using the CPUs; expect noisy numbers.');
  return { machine, busyAtStart, loadAtStart };
};

/** A plain aligned table: a header row, a rule, then the cells; `right[i]` right-aligns column i. */
export const alignedTable = (header: readonly string[], right: readonly boolean[], cells: readonly (readonly string[])[]): string => {
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (right[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
};

/** Drops every schema a run created on this client, then closes it; safe to call twice. */
export const cleanupFor = (sql: SqlClient, schemas: string[]) => {
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    for (const schema of schemas) {
      await sql.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`).catch((error: unknown) => {
        process.stderr.write(`could not drop schema ${schema}: ${errorText(error)}\n`);
      });
    }
    await sql.close().catch(() => undefined);
  };
};

/** The closing lines every benchmark prints, and its results as JSON when asked (`--json <file>`). */
export const finishRun = (started: Date, jsonFile: string | undefined, results: (loadAtEnd: number[]) => Record<string, unknown>): void => {
  const loadAtEnd = os.loadavg();
  console.log(`total time: ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s; load average at end: ${loadAtEnd.map((l) => l.toFixed(2)).join(', ')}`);
  if (!jsonFile) return;
  const file = path.resolve(jsonFile);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results(loadAtEnd), null, 2)}\n`);
  process.stderr.write(`wrote ${jsonFile}\n`);
};

/** Clock ticks per second of /proc's CPU times (Linux's USER_HZ). */
const CLK_TCK = 100;

/** CPU seconds (user + system) a live process used so far, from /proc (Linux); NaN once it is gone. */
export const cpuSecondsOf = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
};

/** On Ctrl+C or SIGTERM: `cleanup` (the run's processes, database and folders), then exit 130. */
export const cleanUpOnInterrupt = (cleanup: () => Promise<void>, log: (message: string) => void): void => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
};
