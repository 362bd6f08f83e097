// Compiles the condition language (allOf/anyOf/not, field/value/count conditions) of `if`,
// `existenceCondition` and `count.where` into closures. Each evaluation can record why it came out as
// it did: the leaf conditions that decided, with the value found and the value expected.
import { CompileError, EvaluationError } from './errors';
import { type CompileContext, type CompiledValue, compileValue, type EvalState } from './expressions';
import { type FieldCategory, type FieldReader, resolveComputedField, resolveField, type Scope, selectMembers } from './fields';
import { LIMITS, spend, weightOf } from './limits';
import { compareWith, existsFlag, OPERATORS, type OperatorName, operandWeight } from './operators';
import { isObject, normaliseLocation } from './resource';
import { preview, typeName } from './values';

/** One leaf condition as evaluated: enough for `rampart policy test` to say why. */
export interface ConditionTrace {
  /** Where in the rule, e.g. `if.allOf[2]` or `then.details.existenceCondition.anyOf[0]`. */
  readonly path: string;
  readonly kind: 'field' | 'value' | 'count';
  /** The field name, the value expression, or what was counted. */
  readonly subject: string;
  readonly operator: OperatorName;
  /** The right-hand side after expressions were evaluated. */
  readonly expected: unknown;
  /** The value found; for an array alias, every selected value (missing ones as null); for a count, the count. */
  readonly actual?: unknown;
  /** The field is not in the resource (`actual` is absent). */
  readonly missing?: boolean;
  /** For an array alias: the condition had to hold for each selected value (none selected holds vacuously). */
  readonly collection?: boolean;
  /** For a count: how many members were enumerated. */
  readonly of?: number;
  readonly result: boolean;
}

export type TraceSink = ConditionTrace[] | null;

/**
 * Applicability (policy-applicability.md): only conditions of the considered categories are
 * evaluated; every other condition counts as true, or as false under an odd number of `not`.
 */
export interface Applicability {
  readonly considered: ReadonlySet<FieldCategory>;
  readonly negated: boolean;
  /** The same with `negated` flipped (what a `not` passes down), built once. */
  readonly flipped: Applicability;
}

/** The field categories `decide` may read: the type, or the type and the kind. */
export type DecidedBy = 'type' | 'type+kind';

export const applicabilityOver = (considered: ReadonlySet<FieldCategory>): Applicability => {
  const straight = { considered, negated: false } as { considered: ReadonlySet<FieldCategory>; negated: boolean; flipped: Applicability };
  const flipped = { considered, negated: true, flipped: straight };
  straight.flipped = flipped;
  return straight;
};

export interface CompiledCondition {
  readonly evaluate: (s: EvalState, trace: TraceSink, applicability?: Applicability) => boolean;
  /**
   * What `evaluate(s, trace, applicability)` returns when that follows from the resource's `type`
   * (and `kind`, when `known` has it) alone, else undefined. Walks the conditions in evaluation
   * order and stops at the first one that needs more (a name or property, an expression that reads
   * the resource or the context): so a definite answer means evaluating any resource with this type
   * (and kind) reads only those, gives this answer, records the same conditions and cannot fail in a
   * condition `decide` did not reach. Throws what the type and kind conditions throw.
   */
  readonly decide: (s: EvalState, applicability: Applicability | undefined, known: DecidedBy) => boolean | undefined;
  /** Field categories of the leaf conditions below (type, name, kind, other). */
  readonly categories: ReadonlySet<FieldCategory>;
  /** Some condition below reads the `location` field (such rules never apply to subscriptions). */
  readonly usesLocation: boolean;
}

const lowerKeys = (node: Record<string, unknown>) => new Map(Object.entries(node).map(([k, v]) => [k.toLowerCase(), { key: k, value: v }]));

/** Compiles the condition at `ctx.path` (e.g. `if`, `if.allOf[2]`, `then.details.existenceCondition`). */
export const compileCondition = (node: unknown, ctx: CompileContext): CompiledCondition => {
  const path = ctx.path;
  if (ctx.depth > LIMITS.conditionDepth)
    throw new CompileError('nesting-too-deep', `conditions (allOf, anyOf, not, count.where) nest more than ${LIMITS.conditionDepth} deep`, path);
  if (++ctx.tally.conditions > LIMITS.conditions) throw new CompileError('too-many-conditions', `the definition has more than ${LIMITS.conditions.toLocaleString('en-US')} conditions`, path);
  if (!isObject(node)) throw new CompileError('invalid-rule', `a condition must be an object, got ${typeName(node)}`, path);
  const keys = lowerKeys(node);
  const logical = ['allof', 'anyof', 'not'].filter((k) => keys.has(k));
  if (logical.length) {
    if (keys.size !== 1) throw new CompileError('invalid-rule', `a logical operator must stand alone, found ${Object.keys(node).join(', ')}`, path);
    const [op] = logical;
    const body = keys.get(op)?.value;
    const depth = ctx.depth + 1;
    if (op === 'not') return negate(compileCondition(body, { ...ctx, path: `${path}.not`, depth }));
    if (!Array.isArray(body)) throw new CompileError('invalid-rule', `${keys.get(op)?.key} must be an array`, path);
    const name = op === 'allof' ? 'allOf' : 'anyOf';
    const children = body.map((child, i) => compileCondition(child, { ...ctx, path: `${path}.${name}[${i}]`, depth }));
    return op === 'allof' ? allOf(children) : anyOf(children);
  }
  return compileLeaf(keys, path, ctx);
};

const union = (children: readonly CompiledCondition[]) => new Set(children.flatMap((c) => [...c.categories]));

/**
 * allOf and anyOf: children in order until one decides (false for allOf, true for anyOf). The
 * trace then keeps only that child's conditions: the others do not explain the outcome.
 */
const junction = (children: readonly CompiledCondition[], decidesWith: boolean): CompiledCondition => ({
  categories: union(children),
  usesLocation: children.some((c) => c.usesLocation),
  evaluate: (s, trace, applicability) => {
    if (trace === null) {
      for (const child of children) if (child.evaluate(s, null, applicability) === decidesWith) return decidesWith;
      return !decidesWith;
    }
    const mark = trace.length;
    for (const child of children) {
      const start = trace.length;
      if (child.evaluate(s, trace, applicability) === decidesWith) {
        if (start > mark) trace.splice(mark, start - mark);
        return decidesWith;
      }
    }
    return !decidesWith;
  },
  decide: (s, applicability, known) => {
    for (const child of children) {
      const outcome = child.decide(s, applicability, known);
      if (outcome === undefined) return undefined;
      if (outcome === decidesWith) return decidesWith;
    }
    return !decidesWith;
  },
});

const allOf = (children: readonly CompiledCondition[]) => junction(children, false);
const anyOf = (children: readonly CompiledCondition[]) => junction(children, true);

const negate = (child: CompiledCondition): CompiledCondition => ({
  categories: child.categories,
  usesLocation: child.usesLocation,
  evaluate: (s, trace, applicability) => !child.evaluate(s, trace, applicability?.flipped),
  decide: (s, applicability, known) => {
    const outcome = child.decide(s, applicability?.flipped, known);
    return outcome === undefined ? undefined : !outcome;
  },
});

const operatorOf = (keys: ReturnType<typeof lowerKeys>, path: string) => {
  const subjects = ['field', 'value', 'count'].filter((k) => keys.has(k));
  const operators = [...keys].flatMap(([k, { value }]) => {
    const operator = OPERATORS.get(k);
    return operator ? [{ ...operator, operand: value }] : [];
  });
  const unknown = [...keys.values()].filter(({ key }) => !OPERATORS.has(key.toLowerCase()) && !['field', 'value', 'count'].includes(key.toLowerCase()));
  if (subjects.length !== 1) throw new CompileError('invalid-rule', 'a condition needs exactly one of field, value or count', path);
  if (unknown.length) throw new CompileError('invalid-rule', `unknown condition operator "${unknown[0].key}"`, path);
  if (operators.length !== 1) throw new CompileError('invalid-rule', `a condition needs exactly one operator, found ${operators.length}`, path);
  return { subject: subjects[0], ...operators[0] };
};

/** Location conditions compare normalised names on both sides. */
const normaliseExpected = (expected: unknown): unknown => {
  if (typeof expected === 'string') return normaliseLocation(expected);
  if (Array.isArray(expected)) return expected.map((e) => (typeof e === 'string' ? normaliseLocation(e) : e));
  return expected;
};

const json = (v: unknown): unknown => (v === undefined ? null : v);

/** An evaluation error from below a condition learns where it happened (the innermost condition). */
const located = (error: unknown, path: string): unknown => {
  if (error instanceof EvaluationError && !error.path) error.path = path;
  return error;
};

const compileLeaf = (keys: ReturnType<typeof lowerKeys>, path: string, ctx: CompileContext): CompiledCondition => {
  const { subject, name: operator, test, operand: rawOperand } = operatorOf(keys, path);
  if (operator === 'exists' && typeof rawOperand !== 'string' && typeof rawOperand !== 'boolean')
    throw new CompileError('invalid-rule', `exists takes true or false, got ${preview(rawOperand)}`, path);
  if (operator === 'exists' && typeof rawOperand === 'string' && !rawOperand.startsWith('[') && existsFlag(rawOperand) === undefined)
    throw new CompileError('invalid-rule', `exists takes true or false, got ${preview(rawOperand)}`, path);
  const operand = compileValue(rawOperand, ctx);
  // A literal operand costs comparing with it (its weight for this operator); an expression, its nodes.
  const operandCost = operand.isExpression ? operand.weight : operandWeight(operator, operand.literal);
  const raw = keys.get(subject)?.value;

  if (subject === 'count') return compileCount(raw, operator, test, operand, path, ctx);

  if (subject === 'value') {
    const value = compileValue(raw, ctx);
    const compare = operand.isExpression ? undefined : compareWith(operator, operand.literal);
    const evaluate = (s: EvalState, trace: TraceSink) => {
      try {
        const actual = value.evaluate(s);
        const expected = operand.evaluate(s);
        // Values computed now cost what comparing them does (a literal's cost is in the weight).
        if (value.isExpression || operand.isExpression) spend(s.env, weightOf(actual) + (operand.isExpression ? operandWeight(operator, expected) : 0));
        const result = compare ? compare(actual) : test(actual, expected);
        if (trace) trace.push(traced(path, 'value', value.text, operator, expected, actual, result));
        return result;
      } catch (error) {
        throw located(error, path);
      }
    };
    return leaf('other', evaluate, 1 + value.weight + operandCost);
  }

  if (typeof raw !== 'string') throw new CompileError('invalid-rule', `field must be a string, got ${typeName(raw)}`, path);
  // [*] outside count: every selected value must satisfy the condition ("logical and between elements").
  const fieldCondition = (
    s: EvalState,
    trace: TraceSink,
    reader: FieldReader,
    expected: unknown,
    expectedWeight: number,
    compare?: (actual: unknown) => boolean,
  ): boolean => {
    const selection = reader.read(s.target, s.targetType, s.scope);
    if (selection.collection) {
      spend(s.env, selection.values.length * (1 + expectedWeight));
      let result = true;
      for (const v of selection.values)
        if (!(compare ? compare(v) : test(v, expected))) {
          result = false;
          break;
        }
      if (trace) trace.push({ path, kind: 'field', subject: reader.text, operator, expected, actual: selection.values.map(json), collection: true, result });
      return result;
    }
    const result = compare ? compare(selection.value) : test(selection.value, expected);
    if (trace) trace.push(traced(path, 'field', reader.text, operator, expected, selection.value, result));
    return result;
  };

  const fieldText = compileValue(raw, ctx);
  if (fieldText.isExpression) {
    const evaluate = (s: EvalState, trace: TraceSink) => {
      try {
        const reader = resolveComputedField(String(fieldText.evaluate(s)), ctx.aliases, ctx.dynamicFields, `${path}.field`);
        const expected = reader.location ? normaliseExpected(operand.evaluate(s)) : operand.evaluate(s);
        const expectedWeight = operandWeight(operator, expected);
        if (operand.isExpression) spend(s.env, expectedWeight);
        return fieldCondition(s, trace, reader, expected, expectedWeight);
      } catch (error) {
        throw located(error, path);
      }
    };
    return leaf('other', evaluate, 1 + fieldText.weight + operandCost);
  }

  const reader = resolveField(raw, ctx.aliases, `${path}.field`);
  // Most rules compare `type` (some also `kind`) with a literal or a parameter: the same answer for
  // every resource with that type (and kind).
  const decidable = (reader.category === 'type' || reader.category === 'kind') && !operand.varies;
  if (operand.isExpression) {
    const evaluate = (s: EvalState, trace: TraceSink) => {
      try {
        const expected = reader.location ? normaliseExpected(operand.evaluate(s)) : operand.evaluate(s);
        const expectedWeight = operandWeight(operator, expected);
        spend(s.env, expectedWeight);
        return fieldCondition(s, trace, reader, expected, expectedWeight);
      } catch (error) {
        throw located(error, path);
      }
    };
    return leaf(reader.category, evaluate, 1 + operand.weight, reader.location, decidable);
  }
  // The common case: a literal operand, so the comparison is compiled with it (lowercased, patterns parsed).
  const expected = reader.location ? normaliseExpected(operand.literal) : operand.literal;
  const compare = compareWith(operator, expected);
  const expectedWeight = operandWeight(operator, expected);
  const readOne = reader.readOne;
  const evaluate = readOne
    ? (s: EvalState, trace: TraceSink) => {
        try {
          const actual = readOne(s.target, s.targetType, s.scope);
          const result = compare(actual);
          if (trace) trace.push(traced(path, 'field', reader.text, operator, expected, actual, result));
          return result;
        } catch (error) {
          throw located(error, path);
        }
      }
    : (s: EvalState, trace: TraceSink) => {
        try {
          return fieldCondition(s, trace, reader, expected, expectedWeight, compare);
        } catch (error) {
          throw located(error, path);
        }
      };
  return leaf(reader.category, evaluate, 1 + expectedWeight, reader.location, decidable);
};

/** A trace entry; built without a spread, which costs microseconds per object on V8. */
const traced = (path: string, kind: 'field' | 'value', subject: string, operator: OperatorName, expected: unknown, actual: unknown, result: boolean): ConditionTrace =>
  actual === undefined || actual === null
    ? { path, kind, subject, operator, expected, missing: true, result }
    : { path, kind, subject, operator, expected, actual, result };

/**
 * A leaf condition. Each evaluation is charged to the evaluation's step budget (limits.ts) with
 * `weight`, what it costs at most besides function work and values computed now (charged as they
 * happen): 1, its expressions' nodes, and comparing with a literal operand.
 */
const leaf = (
  category: FieldCategory,
  evaluate: (s: EvalState, trace: TraceSink) => boolean,
  weight: number,
  usesLocation = false,
  /** A type or kind condition with a fixed operand: its answer depends on the resource's type or kind alone. */
  decidable = false,
): CompiledCondition => ({
  categories: new Set([category]),
  usesLocation,
  evaluate: (s, trace, applicability) => {
    if (applicability && !applicability.considered.has(category)) return !applicability.negated;
    spend(s.env, weight);
    return evaluate(s, trace);
  },
  decide: (s, applicability, known) => {
    if (applicability && !applicability.considered.has(category)) return !applicability.negated;
    return decidable && (category === 'type' || known === 'type+kind') ? evaluate(s, null) : undefined;
  },
});

interface Counted {
  readonly members: readonly unknown[];
  /** The count iteration `where` sees for one member. */
  readonly scopeOf: (element: unknown) => Scope;
}

/** A count: how many members satisfy `where` (all when there is none), compared with the operator. */
const countCondition = (
  subject: string,
  enumerate: (s: EvalState) => Counted,
  where: CompiledCondition | undefined,
  operator: OperatorName,
  test: (a: unknown, e: unknown) => boolean,
  operand: CompiledValue,
  weight: number,
  path: string,
): CompiledCondition =>
  leaf(
    'other',
    (s, trace) => {
      try {
        const { members, scopeOf } = enumerate(s);
        // A member's own state, before the loop runs; the conditions of `where` charge themselves.
        spend(s.env, members.length * (where ? 2 : 1));
        let count = members.length;
        if (where) {
          count = 0;
          for (const element of members) {
            // Field by field: a spread of the state costs microseconds per member on V8.
            const member: EvalState = { env: s.env, resource: s.resource, resourceType: s.resourceType, target: s.target, targetType: s.targetType, scope: scopeOf(element) };
            if (where.evaluate(member, null)) count++;
          }
        }
        const expected = operand.evaluate(s);
        const result = test(count, expected);
        if (trace) trace.push({ path, kind: 'count', subject: `count(${subject}${where ? ' where …' : ''})`, operator, expected, actual: count, of: members.length, result });
        return result;
      } catch (error) {
        throw located(error, path);
      }
    },
    weight,
    where?.usesLocation,
  );

const compileCount = (
  raw: unknown,
  operator: OperatorName,
  test: (a: unknown, e: unknown) => boolean,
  operand: CompiledValue,
  path: string,
  ctx: CompileContext,
): CompiledCondition => {
  if (!isObject(raw)) throw new CompileError('invalid-rule', 'count must be an object with field or value', path);
  const keys = lowerKeys(raw);
  const unknown = [...keys.values()].filter(({ key }) => !['field', 'value', 'name', 'where'].includes(key.toLowerCase()));
  if (unknown.length) throw new CompileError('invalid-rule', `unknown count property "${unknown[0].key}"`, path);
  if (keys.has('field') === keys.has('value')) throw new CompileError('invalid-rule', 'count needs exactly one of field or value', path);
  const whereNode = keys.get('where')?.value;
  const wherePath = `${path}.count.where`;
  const depth = ctx.depth + 1;

  if (keys.has('field')) {
    const fieldName = keys.get('field')?.value;
    if (typeof fieldName !== 'string' || fieldName.startsWith('['))
      throw new CompileError('invalid-rule', 'count.field must be an array alias written literally', `${path}.count.field`);
    const reader = resolveField(fieldName, ctx.aliases, `${path}.count.field`);
    if (!reader.collection || !/\[\*\]$/.test(fieldName))
      throw new CompileError('invalid-rule', `count.field "${fieldName}" is not an array alias ([*])`, `${path}.count.field`);
    const where = whereNode === undefined ? undefined : compileCondition(whereNode, { ...ctx, path: wherePath, depth, counts: [...ctx.counts, { kind: 'field', reader }] });
    const enumerate = (s: EvalState): Counted => {
      const counted = reader.pathFor(s.targetType)?.lower ?? [];
      return {
        members: selectMembers(reader, s.target, s.targetType, s.scope),
        scopeOf: (element) => ({ kind: 'field', parent: s.scope, doc: s.target, docType: s.targetType, path: counted, element }),
      };
    };
    return countCondition(fieldName, enumerate, where, operator, test, operand, 1 + operand.weight, path);
  }

  const array = compileValue(keys.get('value')?.value, ctx);
  const nameValue = keys.get('name')?.value;
  if (nameValue !== undefined && (typeof nameValue !== 'string' || !/^[A-Za-z0-9]+$/.test(nameValue)))
    throw new CompileError('invalid-rule', 'count.name must be English letters and digits', `${path}.count.name`);
  // "When not provided, the index name is implicitly set to default."
  const name = (nameValue ?? 'default').toLowerCase();
  const where = whereNode === undefined ? undefined : compileCondition(whereNode, { ...ctx, path: wherePath, depth, counts: [...ctx.counts, { kind: 'value', name }] });
  const enumerate = (s: EvalState): Counted => {
    const members = array.evaluate(s);
    if (!Array.isArray(members)) throw new EvaluationError('type-mismatch', `count.value must be an array, got ${typeName(members)} ${preview(members)}`);
    return { members, scopeOf: (element) => ({ kind: 'value', parent: s.scope, name, element }) };
  };
  return countCondition(array.text, enumerate, where, operator, test, operand, 1 + operand.weight + array.weight, path);
};
