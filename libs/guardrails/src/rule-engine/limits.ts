// What one definition may cost. Definitions come from callers (replayPolicy, `rampart policy test`)
// and are evaluated on the shared event loop, so none may hold it for long: a definition too large or
// too deeply nested is refused before anything walks it recursively, and each resource evaluation has
// a budget of steps (loop iterations, conditions evaluated in them, template function work), past
// which it is the state `error`, never a verdict. The limits are several times what the largest of
// 5,099 definitions needs: the Azure built-ins and the Landing Zone files (docs/performance-guardrails.md).
import { CompileError, EvaluationError } from './errors';

export const LIMITS = {
  /** The definition as compact JSON, in characters (the largest built-in: 42,182). */
  definitionSize: 256 * 1024,
  /** Parameter values handed to `bind`, as compact JSON, in characters. */
  parametersSize: 256 * 1024,
  /** Objects and arrays inside one another anywhere in the definition or a parameter value (built-ins: 23). */
  jsonDepth: 256,
  /** allOf, anyOf, not and count.where inside one another (built-ins: 10). */
  conditionDepth: 64,
  /** Calls, properties and indexes inside one another in one template expression (built-ins: 9). */
  expressionDepth: 64,
  /** Conditions in one definition, leaves and allOf/anyOf/not (built-ins: 632). */
  conditions: 4_096,
  /** Calls, literals, properties and indexes in all the template expressions of one definition (built-ins: 710). */
  expressionNodes: 8_192,
  /**
   * Steps one resource evaluation may take (see `spend`): 10-60 ms of work on the benchmark machine,
   * depending on the kind of step. The corpus needs fewer than 1,000 per resource over the
   * synthetic tenant; the heaviest network rule of the corpus (Deny-MgmtPorts-From-Internet) over an
   * NSG of 1,000 rules (Azure's maximum) with three port ranges each, 450,000-500,000 (about 12 ms).
   */
  evaluationSteps: 1_000_000,
} as const;

/**
 * A step is about 10-60 ns of work: a condition evaluated (plus one per node of its expressions), a
 * count member, an element of an array walked, or this many characters of text copied, folded or
 * searched.
 */
const CHARACTERS_PER_STEP = 16;

/** What going over `characters` of text costs, in steps. */
export const textWeight = (characters: number): number => Math.floor(characters / CHARACTERS_PER_STEP);

/**
 * What a value costs to look at once, in steps: its elements or members (not below), or its
 * characters by 16. Cheap: the length of a string or array, the keys of an object counted.
 */
export const weightOf = (value: unknown): number => {
  if (typeof value === 'string') return textWeight(value.length);
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    let members = 0;
    for (const key in value) if (Object.hasOwn(value, key)) members++;
    return members;
  }
  return 0;
};

/** What a value costs to walk all the way down (JSON.stringify, deep equality), counted up to `cap`. */
export const deepWeightOf = (value: unknown, cap: number): number => {
  if (typeof value !== 'object' || value === null) return 1 + weightOf(value);
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length && total <= cap) {
    const v = pending.pop();
    total += 1 + (typeof v === 'string' ? textWeight(v.length) : 0);
    if (Array.isArray(v)) for (const element of v) pending.push(element);
    else if (typeof v === 'object' && v !== null) for (const key in v) if (Object.hasOwn(v, key)) pending.push((v as Record<string, unknown>)[key]);
  }
  return total;
};

/** Whoever counts the steps of one evaluation: its environment. */
export interface StepMeter {
  steps: number;
}

/** Counts `steps` against the evaluation's budget; past it the evaluation fails (the state `error`). */
export const spend = (meter: StepMeter, steps: number): void => {
  meter.steps += steps;
  if (meter.steps > LIMITS.evaluationSteps)
    throw new EvaluationError(
      'evaluation-budget-exceeded',
      `evaluating this resource takes more than ${LIMITS.evaluationSteps.toLocaleString('en-US')} steps (count iterations, [*] members, template function work); the engine stops there so that no definition holds the service`,
    );
};

/** The steps left before the budget is spent: a cap for counting a value's weight. */
export const stepsLeft = (meter: StepMeter): number => Math.max(0, LIMITS.evaluationSteps - meter.steps);

export type JsonExcess = 'size' | 'depth';

/**
 * Whether `value` as compact JSON is longer than `maxSize` characters or nests objects and arrays
 * deeper than `maxDepth`. Without recursion, and stopping at the first excess: a 100,000-deep
 * definition is answered in microseconds instead of overflowing the stack.
 */
export const jsonExcess = (value: unknown, maxSize: number, maxDepth: number): JsonExcess | undefined => {
  let size = 0;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop();
    const depth = depths.pop() ?? 0;
    if (typeof v === 'string') size += v.length + 2 > maxSize - size ? v.length + 2 : JSON.stringify(v).length;
    else if (typeof v === 'number' || typeof v === 'boolean') size += (JSON.stringify(v) ?? '').length;
    else if (v === null || v === undefined) size += 4;
    else if (typeof v === 'object') {
      if (depth + 1 > maxDepth) return 'depth';
      if (Array.isArray(v)) {
        size += 2 + Math.max(0, v.length - 1);
        if (size > maxSize) return 'size';
        for (const element of v) {
          values.push(element);
          depths.push(depth + 1);
        }
      } else {
        const keys = Object.keys(v);
        size += 2 + Math.max(0, keys.length - 1) + keys.length;
        if (size > maxSize) return 'size';
        for (const key of keys) {
          size += key.length + 2 > maxSize - size ? key.length + 2 : JSON.stringify(key).length;
          values.push((v as Record<string, unknown>)[key]);
          depths.push(depth + 1);
        }
      }
    }
    if (size > maxSize) return 'size';
  }
  return undefined;
};

/** Refuses a definition larger or deeper than the limits, before anything else reads it. */
export const checkDefinitionSize = (definition: unknown): void => {
  const excess = jsonExcess(definition, LIMITS.definitionSize, LIMITS.jsonDepth);
  if (excess === 'size')
    throw new CompileError('definition-too-large', `the definition is larger than ${LIMITS.definitionSize.toLocaleString('en-US')} characters of JSON`);
  if (excess === 'depth') throw new CompileError('nesting-too-deep', `the definition nests objects and arrays more than ${LIMITS.jsonDepth} deep`);
};
