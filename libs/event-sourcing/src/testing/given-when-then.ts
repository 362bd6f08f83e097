// given(events).when(command).then(events) | .thenRejects(code) for deciders, and
// given(events).when(trigger).then(commands) for workflows: the way every context states its
// business rules as tests.
import { deepStrictEqual, fail, strictEqual } from 'node:assert/strict';
import type { DomainEvent } from '../envelope';
import { isRejection, type Decider, type Decision, type Rejection, type Workflow } from '../decider';

export interface Scenario<C, S, E extends DomainEvent> {
  when(command: C): Outcome<S, E>;
  /** The state after folding the given events (for evolve-only tests). */
  state(): S;
}

export interface Outcome<S, E extends DomainEvent> {
  then(...expected: E[]): void;
  thenRejects(code: string): void;
  /** For expectations that are easier as code (generated ids, partial matches). */
  thenMatches(check: (decision: Decision<E>, state: S) => void): void;
}

const describeDecision = (decision: Decision<DomainEvent>): string =>
  isRejection(decision) ? `rejection "${decision.code}"` : `events [${decision.map((e) => e.type).join(', ')}]`;

export const givenWhenThen = <C, S, E extends DomainEvent>(decider: Decider<C, S, E>) => {
  return (...history: E[]): Scenario<C, S, E> => {
    const state = () => history.reduce(decider.evolve, decider.initialState());
    return {
      state,
      when: (command) => {
        const before = state();
        const decision = decider.decide(command, before);
        return {
          then: (...expected) => {
            if (isRejection(decision)) fail(`expected ${describeDecision(expected)} but got ${describeDecision(decision)}`);
            deepStrictEqual(decision, expected);
            // evolve must accept what decide produced without throwing
            decision.reduce(decider.evolve, before);
          },
          thenRejects: (code) => {
            if (!isRejection(decision)) fail(`expected rejection "${code}" but got ${describeDecision(decision)}`);
            strictEqual(decision.code, code);
          },
          thenMatches: (check) => check(decision, before),
        };
      },
    };
  };
};

export interface WorkflowScenario<T, S, C> {
  when(trigger: T): WorkflowOutcome<S, C>;
  state(): S;
}

export interface WorkflowOutcome<S, C> {
  /** The commands, in the order they are to be taken. */
  then(...expected: C[]): void;
  thenRejects(code: string): void;
  thenMatches(check: (decision: readonly C[] | Rejection, state: S) => void): void;
}

const describeCommands = (decision: readonly unknown[] | Rejection): string =>
  isRejection(decision) ? `rejection "${decision.code}"` : `${decision.length} command(s)`;

/**
 * given(facts).when(trigger).then(commands) for workflows (process managers). `initial` replaces the
 * workflow's initial state, for what the workflow is told rather than folds (a tenant's standing).
 */
export const givenWhenThenWorkflow = <T, S, C, E extends DomainEvent>(workflow: Workflow<T, S, C, E>, initial: () => S = () => workflow.initialState()) => {
  return (...history: E[]): WorkflowScenario<T, S, C> => {
    const state = () => history.reduce(workflow.evolve, initial());
    return {
      state,
      when: (trigger) => {
        const before = state();
        const decision = workflow.decide(trigger, before);
        return {
          then: (...expected) => {
            if (isRejection(decision)) fail(`expected ${expected.length} command(s) but got ${describeCommands(decision)}`);
            deepStrictEqual(decision, expected);
          },
          thenRejects: (code) => {
            if (!isRejection(decision)) fail(`expected rejection "${code}" but got ${describeCommands(decision)}`);
            strictEqual(decision.code, code);
          },
          thenMatches: (check) => check(decision, before),
        };
      },
    };
  };
};
