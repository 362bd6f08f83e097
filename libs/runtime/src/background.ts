// The two shapes every background process of the worker takes: following the log from stored
// checkpoints (process managers), shared among workers by tenant partition, and a periodic task
// that never overlaps itself.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  assertPartitionCount,
  comparePositions,
  pause,
  START,
  subscribe,
  type EventStore,
  type GlobalPosition,
  type RecordedEvent,
} from '@rampart/event-sourcing';
import { SqlCheckpointStore } from '@rampart/event-store';
import { Leases } from './leases';
import type { Logger } from './logger';
import { planAssignment, type PartitionLease } from './partition-assignment';
import { READ_MODEL_SCHEMA } from './read-model';
import type { Stores } from './stores';
import { inBatchSpan } from './tracing';

export interface Background {
  stop(): Promise<void>;
}

/** How long a worker holds a partition without renewing it: a killed worker's work moves on after this. */
export const DEFAULT_LEASE_MS = 30_000;
/** Partitions of each process manager's subscription: up to this many workers share one. */
export const DEFAULT_PARTITIONS = 8;

export class LeaseLostError extends Error {
  constructor(what: string) {
    super(`the lease on ${what} is no longer this worker's`);
    this.name = 'LeaseLostError';
  }
}

/** The partition whose handler is running, for `fenceAppends`. */
const fence = new AsyncLocalStorage<{ readonly name: string; held(): boolean; refused: boolean }>();

/**
 * The store as a process manager's handler should write to it: an append made while handling a
 * partition whose lease this worker can no longer be sure of (its renewal is overdue: the process
 * was paused — a long GC, SIGSTOP — or the database is unreachable) is refused before it is sent,
 * so a worker that wakes up after another took its tenants over does not record, late, what it
 * decided from an older state (an evaluation of a configuration since changed). Outside a
 * handler (the periodic tasks, the API) appends pass as they are.
 */
export const fenceAppends = (store: EventStore): EventStore => {
  const check = () => {
    const partition = fence.getStore();
    if (!partition || partition.held()) return;
    partition.refused = true; // even if the handler swallowed the error, its batch is not done
    throw new LeaseLostError(partition.name);
  };
  return {
    get kind() {
      return store.kind;
    },
    get atomicMultiStreamAppend() {
      return store.atomicMultiStreamAppend;
    },
    commandObserver: store.commandObserver,
    appendToStream: async (...args) => {
      check();
      return store.appendToStream(...args);
    },
    appendToStreams: async (...args) => {
      check();
      return store.appendToStreams(...args);
    },
    readStream: (...args) => store.readStream(...args),
    readAll: (...args) => store.readAll(...args),
    headPosition: () => store.headPosition(),
    waitForAppend: (...args) => store.waitForAppend(...args),
    appendNotifications: () => store.appendNotifications?.() ?? 0,
    close: () => store.close(),
  };
};

export interface FollowLogOptions {
  readonly subscriptionId: string;
  readonly eventTypes: readonly string[];
  readonly batchSize?: number;
  readonly schema?: string;
  readonly leaseMs?: number;
  /** Partitions the subscription is split into (default 8): every tenant's events belong to one. */
  readonly partitions?: number;
  /** One batch of one partition (so of some tenants, each tenant's events in log order). */
  readonly handle: (events: readonly RecordedEvent[], signal: AbortSignal) => Promise<unknown>;
}

/** Names of a subscription's rows in the lease and checkpoint tables. */
export const partitionNames = (subscriptionId: string, count: number) => ({
  /** An older version's single lease and checkpoint of the whole subscription. */
  whole: subscriptionId,
  partition: (index: number) => `${subscriptionId}[${index}/${count}]`,
  leaseOf: (index: number) => `subscription:${subscriptionId}[${index}/${count}]`,
  leasePrefix: `subscription:${subscriptionId}[`,
  wholeLease: `subscription:${subscriptionId}`,
  memberPrefix: `worker:${subscriptionId}[`,
  member: (holder: string) => `worker:${subscriptionId}[${count}]:${holder}`,
});

/** One partition while this worker holds it: its lease, its loop, and the signals that end them. */
interface Hold {
  readonly index: number;
  readonly name: string;
  /** Monotonic time until which the lease is this worker's for sure (the renewal was sent before it began). */
  validUntil: number;
  /** Aborted when the lease is lost or the worker stops: the handler's signal. */
  readonly work: AbortController;
  /** Also aborted to hand the partition over, after the batch in hand. */
  readonly reading: AbortController;
  lost: boolean;
  handingOver: boolean;
  /** An append of the batch in hand was refused by the fence. */
  refused: boolean;
  events: number;
  held(): boolean;
  done?: Promise<void>;
}

/**
 * Hands every batch of matching events to `handle`, from stored checkpoints, until stopped. At
 * least once: a batch that fails is logged and delivered again from the checkpoint.
 *
 * The subscription is split into `partitions` by tenant (`tenantPartitionOf`), each with its own
 * lease and checkpoint, and the workers following it share the partitions: each registers
 * itself (a `worker:` lease row it renews), counts the live workers, takes free or expired
 * partitions up to its share and hands back what is past it, at a batch boundary, when others
 * join (see planAssignment). A tenant's events are therefore handled in order, by one worker at
 * a time; a killed worker's partitions are taken over once their leases expire (`leaseMs`).
 *
 * Fencing: a partition's checkpoint is saved only while its lease names this worker, in the
 * same statement, and only forwards; its handler's appends go through only while the lease's
 * last renewal is recent enough (`fenceAppends`, for the stores handed to the handler), and a
 * partition whose lease turns out lost stops reading and is started again from its checkpoint
 * only after it is taken again. What a handler does must still tolerate a batch delivered twice
 * (derived ids, idempotency keys): a worker can die after acting and before its checkpoint.
 *
 * Upgrades and a changed partition count: a partition without a checkpoint starts from the
 * earliest checkpoint the subscription has under another setting (the single checkpoint of
 * versions before partitions, or another count), so nothing is skipped and little repeated; and
 * workers of a new setting take nothing while leases of another setting are live.
 */
export const followLog = async (stores: Pick<Stores, 'eventStore' | 'readModels'>, log: Logger, options: FollowLogOptions): Promise<Background> => {
  const schema = options.schema ?? READ_MODEL_SCHEMA;
  const checkpoints = await SqlCheckpointStore.open(stores.readModels, schema);
  const leases = await Leases.open(stores.readModels, schema);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const count = options.partitions ?? DEFAULT_PARTITIONS;
  assertPartitionCount(count);
  const names = partitionNames(options.subscriptionId, count);
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const subscription = options.subscriptionId;
  const tickMs = Math.max(100, Math.floor(leaseMs / 3));
  // Renewals are sent every third of the lease; this much of it is left as a margin for timers.
  const safeMs = leaseMs - Math.min(2_000, Math.floor(leaseMs / 10));
  const controller = new AbortController();
  const holds = new Map<number, Hold>();

  /**
   * Where a partition starts: its checkpoint; without one, the furthest point every tenant's
   * events were handled up to under another setting — the single checkpoint of versions before
   * partitions, or the earliest checkpoint of another partition count with all its partitions
   * saved (each tenant is in one of them) — whichever is furthest; without any, the start.
   */
  const startingPoint = async (index: number): Promise<GlobalPosition> => {
    const known = await checkpoints.list(subscription);
    const own = known.get(names.partition(index));
    if (own) return own;
    // By setting: 'whole' (before partitions) or a partition count, with the checkpoints it saved.
    const settings = new Map<string, { partitions: number; positions: GlobalPosition[] }>();
    for (const [id, position] of known) {
      const partitions = id === names.whole ? 1 : Number(/^\[\d+\/(\d+)\]$/.exec(id.slice(subscription.length))?.[1]);
      if (!partitions || (id !== names.whole && partitions === count)) continue;
      const setting = id === names.whole ? 'whole' : String(partitions);
      const entry = settings.get(setting) ?? { partitions, positions: [] };
      entry.positions.push(position);
      settings.set(setting, entry);
    }
    let from: { setting: string; position: GlobalPosition } | undefined;
    for (const [setting, { partitions, positions }] of settings) {
      if (positions.length < partitions) continue; // not every partition saved: some tenants may be behind
      const earliest = positions.reduce((a, b) => (comparePositions(b, a) < 0 ? b : a));
      if (!from || comparePositions(earliest, from.position) > 0) from = { setting, position: earliest };
    }
    if (!from) return START;
    log.info({ subscription, partition: `${index}/${count}`, fromPartitions: from.setting }, 'partition starts from the checkpoints of an earlier setting');
    return from.position;
  };

  /** Reads and handles the partition from its checkpoint until it is handed over, lost or stopped. */
  const follow = async (hold: Hold): Promise<void> => {
    let position = await startingPoint(hold.index);
    for await (const batch of subscribe(stores.eventStore, {
      from: position,
      filter: { eventTypes: options.eventTypes, tenantPartition: { index: hold.index, count } },
      batchSize: options.batchSize ?? 200,
      signal: hold.reading.signal,
    })) {
      if (batch.events.length > 0) {
        if (!hold.held()) throw new LeaseLostError(hold.name);
        if (hold.events === 0) log.info({ subscription, partition: `${hold.index}/${count}`, holder, events: batch.events.length }, 'partition: handling events');
        hold.refused = false;
        await fence.run(hold, () =>
          inBatchSpan(`react ${subscription}`, batch.events, { 'rampart.process_manager': subscription, 'rampart.partition': `${hold.index}/${count}` }, () =>
            options.handle(batch.events, hold.work.signal),
          ),
        );
        // A handler stopped half-way (the worker stops, the lease was lost) did not do the whole
        // batch: the checkpoint stays, and the batch is delivered again.
        if (hold.work.signal.aborted) return;
        if (hold.refused) throw new LeaseLostError(hold.name);
        hold.events += batch.events.length;
      }
      if (comparePositions(batch.position, position) > 0) {
        if (!(await checkpoints.saveWhileHeld(hold.name, batch.position, { table: leases.tableName, key: names.leaseOf(hold.index), holder }))) {
          throw new LeaseLostError(hold.name);
        }
        position = batch.position;
      }
    }
  };

  const lose = (hold: Hold, why: string) => {
    if (hold.lost) return;
    hold.lost = true;
    hold.work.abort();
    hold.reading.abort();
    log.warn({ subscription, partition: `${hold.index}/${count}`, holder, events: hold.events }, `partition lease lost (${why}); stopped`);
  };

  /** Runs the partition's loop, again from its checkpoint after a failure, until it ends; then lets the lease go. */
  const run = (hold: Hold) =>
    (async () => {
      while (!hold.reading.signal.aborted) {
        try {
          await follow(hold);
        } catch (error) {
          if (hold.reading.signal.aborted) break;
          if (error instanceof LeaseLostError) {
            // Renewal overdue but maybe not lost: wait for the next one to tell.
            log.warn({ subscription, partition: `${hold.index}/${count}`, holder }, error.message);
            await pause(tickMs, hold.reading.signal);
            continue;
          }
          log.error({ err: error, subscription, partition: `${hold.index}/${count}` }, `${subscription} failed; retrying from its checkpoint`);
          await pause(2_000, hold.reading.signal);
        }
      }
      // The lease goes before the hold, so a tick in between never takes it back as a free one.
      if (!hold.lost) await leases.release(names.leaseOf(hold.index), holder).catch(() => undefined);
      if (holds.get(hold.index) === hold) holds.delete(hold.index);
      if (hold.handingOver && !hold.lost) log.info({ subscription, partition: `${hold.index}/${count}`, holder, events: hold.events }, 'partition handed over');
    })();

  const take = (index: number, validUntil: number) => {
    const hold: Hold = {
      index,
      name: names.partition(index),
      validUntil,
      work: new AbortController(),
      reading: new AbortController(),
      lost: false,
      handingOver: false,
      refused: false,
      events: 0,
      held: () => !hold.lost && !hold.work.signal.aborted && performance.now() < hold.validUntil,
    };
    holds.set(index, hold);
    log.info({ subscription, partition: `${index}/${count}`, holder }, 'partition taken');
    hold.done = run(hold);
  };

  /** Who holds what, and who is alive, as the lease table says now. */
  const view = async () => {
    const rows = await leases.list([names.wholeLease], [names.leasePrefix, names.memberPrefix]);
    const members: string[] = [];
    const partitionLeases = new Map<number, PartitionLease>();
    let otherSettingActive = false;
    let yieldToOtherSetting = false;
    for (const row of rows) {
      if (row.key === names.wholeLease) {
        otherSettingActive ||= row.live;
      } else if (row.key.startsWith(names.memberPrefix)) {
        const [setting, ...rest] = row.key.slice(names.memberPrefix.length).split(']:');
        const theirs = Number(setting);
        if (!row.live) continue;
        if (theirs === count) members.push(rest.join(']:'));
        else if (theirs < count) yieldToOtherSetting = true;
      } else {
        const [index, theirs] = row.key.slice(names.leasePrefix.length, -1).split('/').map(Number);
        if (theirs === count) partitionLeases.set(index, { holder: row.holder, live: row.live });
        else otherSettingActive ||= row.live;
      }
    }
    return { members, partitionLeases, otherSettingActive, yieldToOtherSetting };
  };

  /** One round: say this worker is alive, renew what it holds, and take or hand over partitions. */
  const tick = async () => {
    const sent = performance.now();
    await leases.acquire(names.member(holder), holder, leaseMs);
    const renewed = await leases.renew([...holds.values()].filter((h) => !h.lost).map((h) => names.leaseOf(h.index)), holder, leaseMs);
    for (const hold of holds.values()) {
      if (renewed.has(names.leaseOf(hold.index))) hold.validUntil = sent + safeMs;
      else lose(hold, 'taken over or released while this worker was not renewing it');
    }
    if (controller.signal.aborted) return;
    const seen = await view();
    // A lease the table says is this worker's but no loop runs here (its release failed): free to take again.
    for (const [index, lease] of seen.partitionLeases) if (lease.holder === holder && !holds.has(index)) seen.partitionLeases.set(index, { holder: '', live: false });
    const releasing = new Set([...holds.values()].filter((h) => h.handingOver || h.lost).map((h) => h.index));
    const plan = planAssignment({
      count,
      self: holder,
      members: seen.members,
      leases: seen.partitionLeases,
      releasing,
      otherSettingActive: seen.otherSettingActive,
      yieldToOtherSetting: seen.yieldToOtherSetting,
    });
    if (seen.yieldToOtherSetting && holds.size > 0) log.warn({ subscription, holder, partitions: count }, 'a worker runs this subscription with fewer partitions; handing over');
    if (seen.otherSettingActive && holds.size === 0 && plan.take.length === 0)
      log.debug({ subscription, holder }, 'leases of another partition setting are live; waiting for them to end');
    for (const index of plan.release) {
      const hold = holds.get(index);
      if (hold) {
        hold.handingOver = true;
        hold.reading.abort(); // the batch in hand finishes and is saved first
      } else {
        await leases.release(names.leaseOf(index), holder); // held in the table, not running here
      }
    }
    for (const index of plan.take) {
      if (controller.signal.aborted) return;
      const asked = performance.now();
      if (await leases.acquire(names.leaseOf(index), holder, leaseMs)) take(index, asked + safeMs);
    }
  };

  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        await tick();
      } catch (error) {
        if (controller.signal.aborted) break;
        log.warn({ err: error, subscription }, 'could not renew or share the partitions; trying again');
      }
      await pause(tickMs, controller.signal);
    }
    const ending = [...holds.values()];
    for (const hold of ending) {
      hold.work.abort();
      hold.reading.abort();
    }
    await Promise.all(ending.map((h) => h.done));
    await leases.release(names.member(holder), holder).catch(() => undefined);
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
