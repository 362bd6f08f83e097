// What several commands share: the tenant they name must exist, and long work shows its progress.
import type { Stores } from '@rampart/runtime';
import { tenantStreamId } from '@rampart/tenancy';

export const requireTenant = async (stores: Stores, tenantId: string): Promise<void> => {
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
