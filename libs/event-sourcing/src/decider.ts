// Deciders as plain functions: decide(command, state) -> events | rejection, and
// evolve(state, event) -> state. Expected refusals are values, not exceptions.
import type { DomainEvent } from './envelope';

export interface Rejection<C extends string = string> {
  readonly rejected: true;
  readonly code: C;
  readonly message?: string;
}

export const reject = <C extends string>(code: C, message?: string): Rejection<C> =>
  message === undefined ? { rejected: true, code } : { rejected: true, code, message };

export const isRejection = (value: unknown): value is Rejection =>
  typeof value === 'object' && value !== null && (value as Rejection).rejected === true;

export type Decision<E extends DomainEvent> = readonly E[] | Rejection;

export interface Decider<C, S, E extends DomainEvent> {
  decide(command: C, state: S): Decision<E>;
  /** Records what happened; never throws and never decides. */
  evolve(state: S, event: E): S;
  initialState(): S;
}

/**
 * A reaction (process manager) as a decider: given what it already knows — folded from the facts
 * in the streams it acts on — a trigger becomes the commands still to take, or a refusal. Its
 * progress is those facts, so a trigger delivered again after a crash decides only what is missing.
 */
export interface Workflow<T, S, C, E extends DomainEvent> {
  decide(trigger: T, state: S): readonly C[] | Rejection;
  /** Records a fact of the streams the workflow acts on; never throws and never decides. */
  evolve(state: S, event: E): S;
  initialState(): S;
}

export const fold = <S, E extends DomainEvent>(decider: Pick<Decider<never, S, E>, 'evolve' | 'initialState'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState());
