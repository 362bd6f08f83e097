// A catch-up subscription over any EventStore: read the global log in batches from a position,
// and once caught up, sleep until the store signals an append. Because it is built only on the
// port, every adapter gets the same semantics and the contract suite covers them all.
import { comparePositions, START, type GlobalPosition, type RecordedEvent } from './envelope';
import type { EventStore, LogFilter } from './event-store';

export interface SubscriptionBatch {
  readonly events: RecordedEvent[];
  /** Checkpoint to store once the batch is handled. */
  readonly position: GlobalPosition;
  /** True when this batch reached the end of what was visible. */
  readonly caughtUp: boolean;
}

export interface SubscribeOptions {
  readonly from?: GlobalPosition;
  readonly filter?: LogFilter;
  readonly batchSize?: number;
  /** Longest sleep between polls when the store cannot signal appends (or a signal is lost). */
  readonly idleTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Yields batches until `signal` aborts. A batch with no events is yielded when the position
 * moved past filtered-out events, so the caller's checkpoint keeps up with the log.
 */
/** How soon a caught-up reader reads again when committed events are held back from view. */
export const HELD_BACK_RETRY_MS = 25;

export async function* subscribe(store: EventStore, options: SubscribeOptions = {}): AsyncGenerator<SubscriptionBatch> {
  let position = options.from ?? START;
  const batchSize = options.batchSize ?? 500;
  const idle = options.idleTimeoutMs ?? 1_000;
  while (!options.signal?.aborted) {
    const since = store.appendNotifications?.();
    const result = await store.readAll({ from: position, filter: options.filter, maxCount: batchSize });
    const moved = comparePositions(result.position, position) > 0;
    position = result.position;
    if (result.events.length > 0 || moved) {
      yield { events: result.events, position, caughtUp: result.isEnd };
    }
    if (result.isEnd && !options.signal?.aborted) await store.waitForAppend(result.heldBack ? Math.min(idle, HELD_BACK_RETRY_MS) : idle, options.signal, since);
  }
}

export interface CheckpointStore {
  load(subscriptionId: string): Promise<GlobalPosition | undefined>;
  save(subscriptionId: string, position: GlobalPosition): Promise<void>;
}

/**
 * At-least-once delivery for reactions (process managers): the checkpoint is saved after the
 * handler, so a crash in between redelivers the batch. Handlers must be idempotent; projections
 * that need exactly-once effects use the projection runner, which commits both together.
 */
export const runCheckpointedSubscription = async (
  store: EventStore,
  checkpoints: CheckpointStore,
  subscriptionId: string,
  handle: (batch: SubscriptionBatch) => Promise<void>,
  options: Omit<SubscribeOptions, 'from'> = {},
): Promise<void> => {
  const from = (await checkpoints.load(subscriptionId)) ?? START;
  for await (const batch of subscribe(store, { ...options, from })) {
    if (batch.events.length > 0) await handle(batch);
    await checkpoints.save(subscriptionId, batch.position);
  }
};
