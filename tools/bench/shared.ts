// Small pieces both benchmarks use: how busy the machine is before a run, readable errors, and
// URLs without passwords.
import os from 'node:os';

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
