// The two shapes every background process of the worker takes: following the log from a stored
// checkpoint (process managers), and a periodic task that never overlaps itself.
import { runCheckpointedSubscription, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlCheckpointStore } from '@rampart/event-store';
import type { Logger } from './logger';
import { READ_MODEL_SCHEMA } from './projections';
import type { Stores } from './stores';

export interface Background {
  stop(): Promise<void>;
}

/**
 * Hands every batch of matching events to `handle`, from the subscription's checkpoint, until
 * stopped. At least once: a batch that fails is logged and delivered again from the checkpoint.
 */
export const followLog = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  log: Logger,
  options: {
    readonly subscriptionId: string;
    readonly eventTypes: readonly string[];
    readonly batchSize?: number;
    readonly schema?: string;
    readonly handle: (events: readonly RecordedEvent[], signal: AbortSignal) => Promise<unknown>;
  },
): Promise<Background> => {
  const checkpoints = await SqlCheckpointStore.open(stores.readModels, options.schema ?? READ_MODEL_SCHEMA);
  const controller = new AbortController();
  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        await runCheckpointedSubscription(stores.eventStore, checkpoints, options.subscriptionId, (batch) => options.handle(batch.events, controller.signal).then(() => undefined), {
          filter: { eventTypes: options.eventTypes },
          signal: controller.signal,
          batchSize: options.batchSize ?? 200,
        });
      } catch (error) {
        if (controller.signal.aborted) break;
        log.error({ err: error, subscription: options.subscriptionId }, `${options.subscriptionId} failed; retrying from its checkpoint`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    }
  })();
  return {
    async stop() {
      controller.abort();
      await running;
    },
  };
};

/** Runs `task` every `intervalMs`, one run at a time; a failure is logged as `what` and the next run goes ahead. */
export const every = (intervalMs: number, log: Logger, what: string, task: () => Promise<unknown>): Background => {
  let current: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    current = current.then(task).catch((error) => log.error({ err: error }, `${what} failed`));
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
};
