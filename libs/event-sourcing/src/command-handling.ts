// Load the stream, fold, decide, append with the expected revision; on a concurrency conflict
// start again from a fresh read, a bounded number of times.
import { randomUUID } from 'node:crypto';
import type { Actor, DomainEvent, NewEvent } from './envelope';
import { WrongExpectedRevisionError, type AppendResult, type EventStore } from './event-store';
import { fold, isRejection, reject, type Decider, type Rejection } from './decider';

export interface CommandContext {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly correlationId: string;
  /** The event or request that caused this command, when there is one. */
  readonly causationId?: string | null;
  readonly now: Date;
  readonly newEventId?: () => string;
}

export type CommandOutcome<E extends DomainEvent> =
  | { readonly ok: true; readonly events: readonly NewEvent<E['type']>[]; readonly append: AppendResult | null; readonly attempts: number }
  | { readonly ok: false; readonly rejection: Rejection; readonly attempts: number };

export interface HandleCommandOptions {
  /** Attempts in all, including the first. */
  readonly maxAttempts?: number;
  readonly schemaVersion?: number;
  /**
   * The revision the user saw when deciding to act (optimistic concurrency across a person's
   * think time): if the stream moved since, the command is rejected with `stale-revision` instead
   * of being retried against state the user never saw.
   */
  readonly expectedRevision?: number;
}

/** What an observer is told of a command: enough to name it, never its payload. */
export interface ObservedCommand {
  /** The command's `kind` (`ApproveAction`), or `unknown`. */
  readonly name: string;
  readonly streamId: string;
  readonly tenantId: string;
}

export interface CommandObserver {
  /** Runs one command of `handleCommand`: its reads, decision, appends and retries. */
  handle<T extends CommandOutcome<DomainEvent>>(command: ObservedCommand, run: () => Promise<T>): Promise<T>;
  /** What `handleCommands` settled for one command of a batch (its appends are the store's to observe). */
  handled(command: ObservedCommand, outcome: CommandOutcome<DomainEvent>): void;
}

/** A command's `kind` when it is a PascalCase name; a label must come from a small, fixed set. */
export const commandName = (command: unknown): string => {
  const kind = typeof command === 'object' && command !== null ? (command as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' && /^[A-Z][A-Za-z0-9]{0,63}$/.test(kind) ? kind : 'unknown';
};

export class ConcurrencyRetriesExhaustedError extends Error {
  constructor(streamId: string, attempts: number, cause: unknown) {
    super(`gave up on "${streamId}" after ${attempts} concurrent-write conflicts`, { cause });
    this.name = 'ConcurrencyRetriesExhaustedError';
  }
}

export const toNewEvents = <E extends DomainEvent>(
  events: readonly E[],
  ctx: CommandContext,
  schemaVersion = 1,
): NewEvent<E['type']>[] => {
  const newId = ctx.newEventId ?? randomUUID;
  return events.map((e) => ({
    eventId: newId(),
    type: e.type,
    data: e.data,
    metadata: {
      tenantId: ctx.tenantId,
      actor: ctx.actor,
      correlationId: ctx.correlationId,
      causationId: ctx.causationId ?? null,
      occurredAt: ctx.now.toISOString(),
      schemaVersion,
    },
  }));
};

export const handleCommand = <C, S, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  options: HandleCommandOptions = {},
): Promise<CommandOutcome<E>> => {
  const run = () => decideAndAppend(store, decider, streamId, command, ctx, options);
  const observer = store.commandObserver;
  return observer ? observer.handle({ name: commandName(command), streamId, tenantId: ctx.tenantId }, run) : run();
};

const decideAndAppend = async <C, S, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  options: HandleCommandOptions,
): Promise<CommandOutcome<E>> => {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const current = history.length === 0 ? undefined : history[history.length - 1].revision;
    if (options.expectedRevision !== undefined && current !== options.expectedRevision) {
      return {
        ok: false,
        rejection: reject('stale-revision', `it changed since revision ${options.expectedRevision}; it is now at ${current ?? 'nothing'}`),
        attempts: attempt,
      };
    }
    const state = fold(decider, history as unknown as E[]);
    const decision = decider.decide(command, state);
    if (isRejection(decision)) return { ok: false, rejection: decision, attempts: attempt };
    if (decision.length === 0) return { ok: true, events: [], append: null, attempts: attempt };
    const events = toNewEvents(decision, ctx, options.schemaVersion);
    const expectedRevision = history.length === 0 ? 'no_stream' : history[history.length - 1].revision;
    try {
      const append = await store.appendToStream(streamId, events, { expectedRevision });
      return { ok: true, events, append, attempts: attempt };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= maxAttempts) throw new ConcurrencyRetriesExhaustedError(streamId, attempt, error);
    }
  }
};

/** One command of a batch: its stream, the command, and the context its events are recorded with. */
export interface StreamCommand<C> {
  readonly streamId: string;
  readonly command: C;
  readonly ctx: CommandContext;
}

export interface HandleCommandsOptions {
  /** Streams read at once (default 8: below the connection pool, which others share). */
  readonly readConcurrency?: number;
  /** Streams per multi-stream append (default 500). */
  readonly appendBatchSize?: number;
}

/**
 * `handleCommand` for many streams at once, as a process manager records a batch: the streams are
 * read a few at a time, each command decided against its own stream, and what they decide appended
 * many streams per transaction, each expecting the revision it was decided at. A conflict (another
 * writer got there first) sends that append's commands through `handleCommand` one by one, which
 * re-reads and retries; so the outcome is the same as handling each command alone, in order, with
 * far fewer round trips and commits. Streams must be distinct within a batch.
 */
export const handleCommands = async <C, S, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  items: readonly StreamCommand<C>[],
  options: HandleCommandsOptions = {},
): Promise<CommandOutcome<E>[]> => {
  if (new Set(items.map((i) => i.streamId)).size !== items.length) throw new Error('handleCommands: a batch names a stream twice');
  const outcomes: CommandOutcome<E>[] = new Array(items.length);
  const planned: { index: number; events: NewEvent<E['type']>[]; expectedRevision: number | 'no_stream' }[] = [];
  let next = 0;
  const decideNext = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const { streamId, command, ctx } = items[i];
      const history = await store.readStream(streamId);
      const decision = decider.decide(command, fold(decider, history as unknown as E[]));
      if (isRejection(decision)) outcomes[i] = { ok: false, rejection: decision, attempts: 1 };
      else if (decision.length === 0) outcomes[i] = { ok: true, events: [], append: null, attempts: 1 };
      else planned.push({ index: i, events: toNewEvents(decision, ctx), expectedRevision: history.length === 0 ? 'no_stream' : history[history.length - 1].revision });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.readConcurrency ?? 8, items.length) }, decideNext));
  // Settled without an append; a conflict's commands are observed by handleCommand below.
  if (store.commandObserver) for (let i = 0; i < items.length; i++) if (outcomes[i]) observed(store.commandObserver, items[i], outcomes[i]);
  planned.sort((a, b) => a.index - b.index);
  const size = options.appendBatchSize ?? 500;
  for (let from = 0; from < planned.length; from += size) {
    const chunk = planned.slice(from, from + size);
    try {
      const results = await store.appendToStreams(chunk.map((p) => ({ streamId: items[p.index].streamId, events: p.events, expectedRevision: p.expectedRevision })));
      chunk.forEach((p, k) => (outcomes[p.index] = { ok: true, events: p.events, append: results[k], attempts: 1 }));
      if (store.commandObserver) for (const p of chunk) observed(store.commandObserver, items[p.index], outcomes[p.index]);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      // Each command of the chunk runs alone now, deciding against its stream as re-read: a store
      // without atomic multi-stream appends may have written some of the chunk, which the
      // decision then accounts for like any other writer's events.
      for (const p of chunk) {
        const { streamId, command, ctx } = items[p.index];
        outcomes[p.index] = await handleCommand(store, decider, streamId, command, ctx);
      }
    }
  }
  return outcomes;
};

const observed = <C>(observer: CommandObserver, item: StreamCommand<C>, outcome: CommandOutcome<DomainEvent>): void =>
  observer.handled({ name: commandName(item.command), streamId: item.streamId, tenantId: item.ctx.tenantId }, outcome);
