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
