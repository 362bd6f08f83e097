// Why a definition is refused at compile time, or why one resource could not be evaluated.
// Neither ever becomes "compliant": a refusal has no evaluator, an evaluation error is the state `error`.

export type RefusalReason =
  | 'invalid-definition'
  | 'invalid-rule'
  | 'invalid-expression'
  | 'unsupported-mode'
  | 'unsupported-effect'
  | 'unsupported-function'
  | 'unknown-alias'
  | 'unknown-parameter'
  | 'invalid-parameter'
  | 'missing-parameter'
  /** Over a limit of limits.ts: the definition's JSON, the parameter values' JSON, nesting, conditions. */
  | 'definition-too-large'
  | 'parameters-too-large'
  | 'nesting-too-deep'
  | 'too-many-conditions';

export interface Refusal {
  readonly reason: RefusalReason;
  readonly message: string;
  /** Where in the definition, e.g. `policyRule.if.allOf[2].field`. */
  readonly path?: string;
}

export type EvaluationErrorReason =
  | 'type-mismatch'
  | 'function-failed'
  | 'invalid-parameter'
  | 'missing-parameter'
  | 'missing-context'
  | 'unknown-alias'
  | 'unknown-api-version'
  /** The evaluation took more steps than one resource may (limits.ts): the rule, not the resource, is at fault. */
  | 'evaluation-budget-exceeded';

/**
 * Thrown inside compiled closures and turned into the state `error` at the evaluation boundary. An
 * expected outcome, not a bug: it carries no stack trace, whose capture cost more than the rest of
 * the evaluation (a standard's members fail this way on tens of thousands of resources per pass).
 */
export class EvaluationError extends Error {
  readonly reason: EvaluationErrorReason;
  /** Where in the rule, once known (the innermost condition). */
  path?: string;
  /** The innermost template expression that failed, once known. */
  expression?: string;

  constructor(reason: EvaluationErrorReason, message: string, path?: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.reason = reason;
    this.path = path;
  }
}

/** Thrown while compiling and turned into a refusal at the compile boundary. */
export class CompileError extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}
