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

export const handleCommand = async <C, S, E extends DomainEvent>(
  store: EventStore,
  decider: Decider<C, S, E>,
  streamId: string,
  command: C,
  ctx: CommandContext,
  options: HandleCommandOptions = {},
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
