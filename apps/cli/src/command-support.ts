// What several commands share: the tenant they name must exist, input files are JSON with a clear
// error when they are not, and long work shows its progress. Kept light: `rampart --version` loads it.
import { readFileSync } from 'node:fs';
import type { Stores } from '@rampart/runtime';

/** A usage problem with the inputs (unreadable file, not JSON, wrong shape): exit 2 with the reason. */
export class InputError extends Error {}

/** A use case's refusal as the command's failure: what was not done, the code and its message. */
export const failIfRefused = (what: string, outcome: { readonly ok: boolean; readonly rejection?: { readonly code: string; readonly message?: string } }): void => {
  if (!outcome.ok) throw new InputError(`${what}: ${outcome.rejection?.code}${outcome.rejection?.message ? ` (${outcome.rejection.message})` : ''}`);
};

/** Brings every read model up to the log: what a command reads next sees what it just recorded (the worker does this when one runs). */
export const catchUp = async (stores: Stores): Promise<void> => {
  const [{ projectionRunners }, { createLogger }] = await Promise.all([import('@rampart/platform'), import('@rampart/runtime')]);
  for (const runner of projectionRunners(stores, createLogger('silent'))) {
    await runner.prepare();
    for (;;) if ((await runner.runBatch()).caughtUp) break;
  }
};

export const readJson = (path: string, what: string): unknown => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
};

export const requireTenant = async (stores: Stores, tenantId: string): Promise<void> => {
  const { tenantStreamId } = await import('@rampart/tenancy');
  if ((await stores.eventStore.readStream(tenantStreamId(tenantId), { maxCount: 1 })).length === 0) {
    throw new Error(`unknown tenant "${tenantId}": onboard it first (rampart tenants onboard)`);
  }
};

/**
 * Progress on stderr while long work runs: one line rewritten in place on a terminal (at most five
 * times a second), a line a second when stderr is a log. `force` shows a step however recent the last.
 */
export const progressLine = () => {
  const interactive = process.stderr.isTTY;
  let last = 0;
  let shown = false;
  return {
    show(text: string, force = false): void {
      if (!force && Date.now() - last < (interactive ? 200 : 1_000)) return;
      last = Date.now();
      shown = true;
      process.stderr.write(`${interactive ? '\r' : ''}${text}${interactive ? '' : '\n'}`);
    },
    done(): void {
      if (interactive && shown) process.stderr.write('\n');
    },
  };
};
