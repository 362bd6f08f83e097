// The two shapes every background process of the worker takes: following the log from a stored
// checkpoint (process managers), and a periodic task that never overlaps itself.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { runCheckpointedSubscription, type CheckpointStore, type RecordedEvent } from '@rampart/event-sourcing';
import { SqlCheckpointStore } from '@rampart/event-store';
import { Leases } from './leases';
import type { Logger } from './logger';
import { READ_MODEL_SCHEMA } from './read-model';
import type { Stores } from './stores';

export interface Background {
  stop(): Promise<void>;
}

/** How long a worker holds a subscription without renewing it: a killed worker's work moves on after this. */
export const DEFAULT_LEASE_MS = 30_000;

class LeaseLostError extends Error {
  constructor(subscriptionId: string) {
    super(`the lease on ${subscriptionId} passed to another worker`);
    this.name = 'LeaseLostError';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Hands every batch of matching events to `handle`, from the subscription's checkpoint, until
 * stopped. At least once: a batch that fails is logged and delivered again from the checkpoint.
 *
 * With several workers, one of them runs the subscription at a time: it holds the subscription's
 * lease (renewed at a third of its time to live) and the others stand by, taking over when it
 * expires — after a crash, within `leaseMs`. The checkpoint is fenced by the lease (saved only by
 * its holder) and only ever moves forward, so a worker paused past its lease cannot undo the
 * progress of the one that took over. What a handler does must still tolerate a batch delivered
 * twice (derived ids, idempotency keys): a worker can die after acting and before its checkpoint.
 */
export const followLog = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  log: Logger,
  options: {
    readonly subscriptionId: string;
    readonly eventTypes: readonly string[];
    readonly batchSize?: number;
    readonly schema?: string;
    readonly leaseMs?: number;
    readonly handle: (events: readonly RecordedEvent[], signal: AbortSignal) => Promise<unknown>;
  },
): Promise<Background> => {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const checkpoints = await SqlCheckpointStore.open(stores.readModels, schema);
  const leases = await Leases.open(stores.readModels, schema);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const key = `subscription:${options.subscriptionId}`;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const controller = new AbortController();

  /** One turn as the subscription's holder: until stopped, the lease is lost, or the handler fails. */
  const hold = async () => {
    const turn = new AbortController();
    const stop = () => turn.abort();
    controller.signal.addEventListener('abort', stop);
    const renewal = setInterval(() => {
      leases.acquire(key, holder, leaseMs).then(
        (held) => {
          if (held) return;
          log.warn({ subscription: options.subscriptionId, holder }, 'lease passed to another worker; standing by');
          turn.abort();
        },
        (error: unknown) => {
          log.warn({ err: error, subscription: options.subscriptionId }, 'could not renew the lease; standing by');
          turn.abort();
        },
      );
    }, Math.max(100, Math.floor(leaseMs / 3)));
    const fenced: CheckpointStore = {
      load: (id) => checkpoints.load(id),
      save: async (id, position) => {
        if (!(await leases.acquire(key, holder, leaseMs))) throw new LeaseLostError(options.subscriptionId);
        await checkpoints.save(id, position);
      },
    };
    try {
      await runCheckpointedSubscription(stores.eventStore, fenced, options.subscriptionId, (batch) => options.handle(batch.events, turn.signal).then(() => undefined), {
        filter: { eventTypes: options.eventTypes },
        signal: turn.signal,
        batchSize: options.batchSize ?? 200,
      });
    } finally {
      clearInterval(renewal);
      controller.signal.removeEventListener('abort', stop);
    }
  };

  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        if (!(await leases.acquire(key, holder, leaseMs))) {
          await sleep(Math.max(100, Math.floor(leaseMs / 6)), controller.signal);
          continue;
        }
        await hold();
      } catch (error) {
        if (controller.signal.aborted) break;
        if (error instanceof LeaseLostError) {
          log.warn({ subscription: options.subscriptionId, holder }, error.message);
          continue;
        }
        log.error({ err: error, subscription: options.subscriptionId }, `${options.subscriptionId} failed; retrying from its checkpoint`);
        await sleep(2_000, controller.signal);
      }
    }
    await leases.release(key, holder).catch(() => undefined);
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
