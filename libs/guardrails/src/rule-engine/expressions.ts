// Compiles template expressions of a policy rule into closures, once per definition. Resolves at
// compile time what does not depend on the resource: parameter names, field names and aliases,
// which count `current()` refers to, and refuses unknown functions. Policy-specific functions
// (parameters, field, current, requestContext, resourceGroup, subscription, policy, utcNow) are here;
// value-only functions are in template-functions.ts.
import type { AliasTable } from '../aliases/alias-table';
import { CompileError, EvaluationError } from './errors';
import { type ExpressionNode, parseTemplateString, printExpression } from './expression-parser';
import { type FieldReader, isPrefix, resolveComputedField, resolveField, type Scope, selectBelow } from './fields';
import { LIMITS, spend, type StepMeter, weightOf } from './limits';
import { getKey, isObject, type PolicyResource, resourceScope } from './resource';
import { TEMPLATE_FUNCTIONS } from './template-functions';
import { formatDateTime, preview, typeName } from './values';

export interface ResourceGroupInfo {
  readonly name: string;
  readonly id?: string;
  readonly location?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly managedBy?: string | null;
  /** As the resource group's ARM body has it; `{ provisioningState: 'Succeeded' }` when not given. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SubscriptionInfo {
  readonly subscriptionId: string;
  readonly displayName?: string;
  readonly tenantId?: string;
}

/** What `policy()` returns (definition-structure-policy-rule.md, "Policy functions"): the assignment being evaluated. */
export interface PolicyInfo {
  readonly assignmentId?: string;
  readonly definitionId?: string;
  readonly setDefinitionId?: string;
  readonly definitionReferenceId?: string;
}

/** What one evaluation knows besides the resource: assignment parameters and the context; and the steps it took so far. */
export interface EvaluationEnv extends StepMeter {
  /** Parameter values by lowercase name (defaults applied). */
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly now: Date;
  readonly resourceGroup?: ResourceGroupInfo;
  readonly subscription?: SubscriptionInfo;
  /** For `policy()`: the assignment as Azure would name it. */
  readonly policy?: PolicyInfo;
  /** Overrides `requestContext().apiVersion` (otherwise the type's latest API version). */
  readonly apiVersion?: string;
  readonly aliases: AliasTable;
}

export interface EvalState {
  readonly env: EvaluationEnv;
  /** The resource the policy is evaluated for: `field()` reads it. */
  readonly resource: PolicyResource;
  readonly resourceType: string;
  /** What `field` conditions read: the resource, or a related resource inside `existenceCondition`. */
  readonly target: PolicyResource;
  readonly targetType: string;
  readonly scope: Scope | undefined;
}

/** An enclosing `count` while compiling (for `current()`). */
export type CountFrame = { readonly kind: 'field'; readonly reader: FieldReader } | { readonly kind: 'value'; readonly name: string };

export interface CompileContext {
  readonly aliases: AliasTable;
  /** Defined parameter names, lowercase. */
  readonly parameters: ReadonlySet<string>;
  readonly counts: readonly CountFrame[];
  /** Where in the definition (for refusals). */
  readonly path: string;
  /** Field names computed by expressions (`[concat('tags[', parameters('t'), ']')]`), resolved once each. */
  readonly dynamicFields: Map<string, FieldReader>;
  /** allOf, anyOf, not and count.where around the condition being compiled. */
  readonly depth: number;
  /** Conditions and expression nodes compiled so far in the definition (limits.ts). */
  readonly tally: { conditions: number; expressionNodes: number };
  /** The definition's own id, when it has one: what `policy().definitionId` is unless the context says otherwise. */
  readonly definitionId?: string;
}

export type Compiled = (s: EvalState) => unknown;

export interface CompiledValue {
  readonly evaluate: Compiled;
  /** Source text for explanations: the expression, or the literal as JSON. */
  readonly text: string;
  readonly isExpression: boolean;
  /** The value itself when it holds no expression. */
  readonly literal?: unknown;
  /**
   * What evaluating it once costs, in steps (limits.ts), known before: its expression's calls,
   * properties, indexes and literals, or the elements of a literal array. The condition holding it
   * charges it on each evaluation; what depends on the values (function work) is charged as it happens.
   */
  readonly weight: number;
  /**
   * It may differ between two evaluations of one assignment: it reads the resource, a count member
   * or the evaluation context (field, current, requestContext, resourceGroup, subscription, utcNow).
   * Literals, parameters and functions of them do not.
   */
  readonly varies: boolean;
  /**
   * It may differ between two resources of one type evaluated with the same `apiVersion` in their
   * context: it reads more than requestContext() (which depends on the type and that alone).
   */
  readonly perResource: boolean;
  /**
   * The fields it reads, as written, when `field('<literal>')` is all it reads of the resource and
   * the evaluation (besides requestContext()): then its value follows from theirs. Undefined otherwise.
   */
  readonly fields?: readonly string[];
}

const VARYING_FUNCTIONS = new Set(['field', 'current', 'requestcontext', 'resourcegroup', 'subscription', 'policy', 'utcnow']);
const PER_RESOURCE_FUNCTIONS = new Set(['field', 'current', 'resourcegroup', 'subscription', 'policy', 'utcnow']);

const reads =
  (functions: ReadonlySet<string>) =>
  (node: ExpressionNode): boolean => {
    switch (node.kind) {
      case 'literal':
        return false;
      case 'property':
        return reads(functions)(node.target);
      case 'index':
        return reads(functions)(node.target) || reads(functions)(node.index);
      case 'call':
        return functions.has(node.name.toLowerCase()) || node.args.some(reads(functions));
    }
  };
const varies = reads(VARYING_FUNCTIONS);
const perResource = reads(PER_RESOURCE_FUNCTIONS);

/** The literal field names an expression reads, when those are all it reads per resource (see CompiledValue.fields). */
const fieldsRead = (node: ExpressionNode): string[] | undefined => {
  const all = (nodes: readonly ExpressionNode[]): string[] | undefined => {
    const names: string[] = [];
    for (const n of nodes) {
      const read = fieldsRead(n);
      if (!read) return undefined;
      names.push(...read);
    }
    return names;
  };
  switch (node.kind) {
    case 'literal':
      return [];
    case 'property':
      return fieldsRead(node.target);
    case 'index':
      return all([node.target, node.index]);
    case 'call': {
      const name = node.name.toLowerCase();
      if (name === 'field') {
        const [arg] = node.args;
        return node.args.length === 1 && arg.kind === 'literal' && typeof arg.value === 'string' ? [arg.value] : undefined;
      }
      if (PER_RESOURCE_FUNCTIONS.has(name)) return undefined;
      return all(node.args);
    }
  }
};

// Functions Azure Policy excludes from policy rules (definition-structure-policy-rule.md, "Policy functions").
const EXCLUDED = new Set(
  'copyindex datetimeadd datetimefromepoch datetimetoepoch deployment environment extensionresourceid lambda listaccountsas listkeys listsecrets managementgroup newguid pickzones providers reference resourceid subscriptionresourceid tenantresourceid tenant variables'.split(
    ' ',
  ),
);

/** Context objects we only partly know (no resource group given): reading an unknown property is an error, not "". */
const partial = new WeakSet<object>();

/** Nodes of an expression tree: what evaluating it does besides its functions' own work. */
const nodesOf = (node: ExpressionNode): number => {
  switch (node.kind) {
    case 'literal':
      return 1;
    case 'property':
      return 1 + nodesOf(node.target);
    case 'index':
      return 1 + nodesOf(node.target) + nodesOf(node.index);
    case 'call':
      return node.args.reduce((sum, arg) => sum + nodesOf(arg), 1);
  }
};

const member = (target: unknown, key: string | number, text: string, meter: StepMeter): unknown => {
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) throw new EvaluationError('function-failed', `${text}: an array index must be an integer`);
    if (key < 0 || key >= target.length) throw new EvaluationError('function-failed', `${text}: index ${key} is outside the array (length ${target.length})`);
    return target[key];
  }
  if (isObject(target)) {
    // Not spelled as the object spells it: getKey lowercases and compares every key (a few steps each).
    if (!Object.hasOwn(target, key)) spend(meter, 3 * weightOf(target));
    const value = getKey(target, String(key));
    if (value !== undefined) return value;
    if (partial.has(target))
      throw new EvaluationError('missing-context', `${text}: "${key}" is not known; pass it in the evaluation context`);
    // Like field() on a missing property, a missing member reads as "" (and the built-in tag policies rely on it).
    return '';
  }
  throw new EvaluationError('function-failed', `${text}: cannot read "${key}" of ${typeName(target)} ${preview(target)}`);
};

/** field(): the literal value; a missing property is "", an array alias an array of the selected values. */
export const fieldValue = (reader: FieldReader, s: EvalState): unknown => {
  if (reader.location) return getKey(s.resource, 'location') ?? '';
  if (reader.readOne) {
    const value = reader.readOne(s.resource, s.resourceType, s.scope);
    return value === undefined ? '' : value;
  }
  const selection = reader.read(s.resource, s.resourceType, s.scope);
  if (selection.collection) return selection.values.filter((v) => v !== undefined);
  return selection.value === undefined ? '' : selection.value;
};

/** current('<alias>'): read from the member of the enclosing field count whose array contains the alias path. */
const currentOfAlias = (reader: FieldReader, s: EvalState, text: string): unknown => {
  for (let scope = s.scope; scope; scope = scope.parent) {
    if (scope.kind !== 'field') continue;
    const path = reader.pathFor(scope.docType);
    if (!path || !isPrefix(scope.path, path.lower)) continue;
    const selection = selectBelow(scope.element, path, scope.path.length);
    if (selection.collection) return selection.values.filter((v) => v !== undefined);
    return selection.value === undefined ? '' : selection.value;
  }
  throw new EvaluationError('function-failed', `${text}: no enclosing count enumerates this alias`);
};

const resourceGroupOf = (s: EvalState): Record<string, unknown> => {
  const given = s.env.resourceGroup;
  const { subscriptionId, resourceGroup } = resourceScope(s.resource);
  if (given) {
    return {
      id: given.id ?? (subscriptionId ? `/subscriptions/${subscriptionId}/resourceGroups/${given.name}` : ''),
      name: given.name,
      type: 'Microsoft.Resources/resourceGroups',
      location: given.location ?? '',
      managedBy: given.managedBy ?? null,
      tags: given.tags ?? {},
      properties: given.properties ?? { provisioningState: 'Succeeded' },
    };
  }
  if (!resourceGroup) throw new EvaluationError('missing-context', 'resourceGroup(): the resource has no resource group and none was given');
  const known = { id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`, name: resourceGroup, type: 'Microsoft.Resources/resourceGroups' };
  partial.add(known);
  return known;
};

const subscriptionOf = (s: EvalState): Record<string, unknown> => {
  const given = s.env.subscription;
  const subscriptionId = given?.subscriptionId ?? resourceScope(s.resource).subscriptionId;
  if (!subscriptionId) throw new EvaluationError('missing-context', 'subscription(): the resource has no subscription and none was given');
  const known: Record<string, unknown> = { id: `/subscriptions/${subscriptionId}`, subscriptionId };
  if (given?.displayName !== undefined) known['displayName'] = given.displayName;
  if (given?.tenantId !== undefined) known['tenantId'] = given.tenantId;
  else partial.add(known);
  return known;
};

/**
 * policy(): what the context says about the assignment, the definition id defaulting to the
 * definition's own. An assignment offline has no Azure id: a property not given is an error when read
 * (missing-context), never a made-up value.
 */
const policyOf = (s: EvalState, definitionId: string | undefined): Record<string, unknown> => {
  const given = s.env.policy;
  const known: Record<string, unknown> = {};
  const id = given?.definitionId ?? definitionId;
  if (id !== undefined) known['definitionId'] = id;
  if (given?.assignmentId !== undefined) known['assignmentId'] = given.assignmentId;
  if (given?.setDefinitionId !== undefined) known['setDefinitionId'] = given.setDefinitionId;
  if (given?.definitionReferenceId !== undefined) known['definitionReferenceId'] = given.definitionReferenceId;
  partial.add(known);
  return known;
};

/** One frozen requestContext() object per API version: it is read on every evaluation of rules that branch on it. */
const requestContexts = new Map<string, Readonly<Record<string, unknown>>>();

const requestContextOf = (s: EvalState) => {
  const apiVersion = s.env.apiVersion ?? s.env.aliases.apiVersion(s.resourceType);
  if (!apiVersion)
    throw new EvaluationError('unknown-api-version', `requestContext().apiVersion: no API version is known for ${s.resource.type}; pass one in the evaluation context`);
  let context = requestContexts.get(apiVersion);
  if (context === undefined) {
    context = Object.freeze({ apiVersion });
    partial.add(context);
    if (requestContexts.size < 1_000) requestContexts.set(apiVersion, context);
  }
  return context;
};

// Every evaluation of a context asks for the same instant: remember the last one formatted.
let lastNow = Number.NaN;
let lastNowText = '';
const utcNowOf = (s: EvalState): string => {
  const ms = s.env.now.getTime();
  if (ms !== lastNow) {
    lastNowText = formatDateTime({ ms, sub: 0 });
    lastNow = ms;
  }
  return lastNowText;
};

const asBoolean = (v: unknown, name: string): boolean => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  throw new EvaluationError('function-failed', `${name}(): expected a boolean, got ${typeName(v)} ${preview(v)}`);
};

export const compileExpression = (node: ExpressionNode, ctx: CompileContext): Compiled => {
  const text = printExpression(node);
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'property': {
      const target = compileExpression(node.target, ctx);
      return (s) => member(target(s), node.name, text, s.env);
    }
    case 'index': {
      const target = compileExpression(node.target, ctx);
      const index = compileExpression(node.index, ctx);
      return (s) => {
        const key = index(s);
        if (typeof key !== 'string' && typeof key !== 'number') throw new EvaluationError('function-failed', `${text}: index must be a string or an integer`);
        return member(target(s), key, text, s.env);
      };
    }
    case 'call':
      return compileCall(node.name, node.args, ctx, text);
  }
};

const literalArg = (args: readonly ExpressionNode[], i: number): string | undefined => {
  const arg = args[i];
  return arg?.kind === 'literal' && typeof arg.value === 'string' ? arg.value : undefined;
};

const compileCall = (name: string, args: readonly ExpressionNode[], ctx: CompileContext, text: string): Compiled => {
  const lower = name.toLowerCase();
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max)
      throw new CompileError('invalid-expression', `${name}() takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`, ctx.path);
  };
  const compiledArgs = () => args.map((a) => compileExpression(a, ctx));

  switch (lower) {
    case 'parameters': {
      arity(1, 1);
      const literal = literalArg(args, 0);
      if (literal !== undefined && !ctx.parameters.has(literal.toLowerCase()))
        throw new CompileError('unknown-parameter', `parameters('${literal}') names no parameter of the definition`, ctx.path);
      const arg = compileExpression(args[0], ctx);
      return (s) => {
        const key = String(arg(s)).toLowerCase();
        const value = s.env.parameters.get(key);
        if (value === undefined) throw new EvaluationError('missing-parameter', `parameter "${String(arg(s))}" has no value and no default`);
        return value;
      };
    }
    case 'field': {
      arity(1, 1);
      const literal = literalArg(args, 0);
      if (literal !== undefined) {
        const reader = resolveField(literal, ctx.aliases, ctx.path);
        return (s) => fieldValue(reader, s);
      }
      const arg = compileExpression(args[0], ctx);
      return (s) => fieldValue(resolveComputedField(String(arg(s)), ctx.aliases, ctx.dynamicFields, ctx.path), s);
    }
    case 'current': {
      arity(0, 1);
      if (!ctx.counts.length) throw new CompileError('invalid-rule', `${text} is only available inside count.where`, ctx.path);
      if (args.length === 0) return (s) => scopeElement(s.scope, text);
      const literal = literalArg(args, 0);
      if (literal === undefined) throw new CompileError('invalid-expression', `${text}: the index name must be a string literal`, ctx.path);
      const named = ctx.counts.some((c) => c.kind === 'value' && c.name === literal.toLowerCase());
      if (named) {
        const key = literal.toLowerCase();
        return (s) => {
          for (let scope = s.scope; scope; scope = scope.parent) if (scope.kind === 'value' && scope.name === key) return scope.element;
          throw new EvaluationError('function-failed', `${text}: no enclosing count named "${literal}"`);
        };
      }
      const notInScope = () => new CompileError('invalid-rule', `${text}: no enclosing count is named "${literal}" or enumerates that alias`, ctx.path);
      if (!ctx.counts.some((c) => c.kind === 'field')) throw notInScope();
      let reader: FieldReader;
      try {
        reader = resolveField(literal, ctx.aliases, ctx.path);
      } catch {
        throw notInScope();
      }
      return (s) => currentOfAlias(reader, s, text);
    }
    case 'requestcontext':
      arity(0, 0);
      return requestContextOf;
    case 'resourcegroup':
      arity(0, 0);
      return resourceGroupOf;
    case 'subscription':
      arity(0, 0);
      return subscriptionOf;
    case 'policy': {
      arity(0, 0);
      const definitionId = ctx.definitionId;
      return (s) => policyOf(s, definitionId);
    }
    case 'utcnow':
      // ARM's format argument is not part of the policy function (docs: "utcNow() ... yyyy-MM-ddTHH:mm:ss.fffffffZ").
      if (args.length) throw new CompileError('unsupported-function', `${text}: utcNow() with a format is not supported in policy rules`, ctx.path);
      return utcNowOf;
    case 'if': {
      arity(3, 3);
      const [condition, whenTrue, whenFalse] = compiledArgs();
      // Only the chosen branch is evaluated, as in ARM: a guard like if(length(x) > 3, substring(...), ...) works.
      return (s) => (asBoolean(condition(s), 'if') ? whenTrue(s) : whenFalse(s));
    }
    case 'and': {
      arity(1, Number.POSITIVE_INFINITY);
      const parts = compiledArgs();
      return (s) => {
        for (const p of parts) if (!asBoolean(p(s), 'and')) return false;
        return true;
      };
    }
    case 'or': {
      arity(1, Number.POSITIVE_INFINITY);
      const parts = compiledArgs();
      return (s) => {
        for (const p of parts) if (asBoolean(p(s), 'or')) return true;
        return false;
      };
    }
    case 'coalesce': {
      arity(1, Number.POSITIVE_INFINITY);
      const parts = compiledArgs();
      return (s) => {
        for (const p of parts) {
          const v = p(s);
          if (v !== null && v !== undefined) return v;
        }
        return null;
      };
    }
  }
  const fn = TEMPLATE_FUNCTIONS.get(lower);
  if (!fn) {
    const why = EXCLUDED.has(lower) ? 'is not available in policy rules' : 'is not supported by the rule engine';
    throw new CompileError('unsupported-function', `${name}() ${why}`, ctx.path);
  }
  arity(fn.minArgs, fn.maxArgs);
  const parts = compiledArgs();
  return (s) => {
    try {
      const values: unknown[] = [];
      // A step for the call and its arguments, and one per element or 16 characters of them: what most
      // functions do with them. Functions whose work is not linear in that charge the rest themselves.
      let steps = 1 + parts.length;
      for (const p of parts) {
        const value = p(s);
        values.push(value);
        steps += weightOf(value);
      }
      spend(s.env, steps);
      return fn.call(values, s.env);
    } catch (error) {
      if (error instanceof EvaluationError && !error.expression) {
        error.expression = text;
        error.message = `${error.message} (in ${text})`;
      }
      throw error;
    }
  };
};

const scopeElement = (scope: Scope | undefined, text: string) => {
  if (!scope) throw new EvaluationError('function-failed', `${text}: not inside a count`);
  return scope.element;
};

/**
 * A JSON value of the rule: strings may be expressions; arrays and objects may hold expressions.
 * A value without expressions is kept as it is, so evaluating it does no work.
 */
export const compileValue = (value: unknown, ctx: CompileContext): CompiledValue => compileNested(value, ctx, true);

const compileNested = (value: unknown, ctx: CompileContext, outermost: boolean): CompiledValue => {
  const literal = (v: unknown): CompiledValue => ({
    evaluate: () => v,
    text: outermost ? JSON.stringify(v) : '',
    isExpression: false,
    literal: v,
    weight: weightOf(v),
    varies: false,
    perResource: false,
  });
  if (typeof value === 'string') {
    const parsed = parseTemplateString(value, ctx.path);
    if ('literal' in parsed) return literal(parsed.literal);
    const nodes = nodesOf(parsed.expression);
    if ((ctx.tally.expressionNodes += nodes) > LIMITS.expressionNodes)
      throw new CompileError(
        'definition-too-large',
        `the definition's expressions have more than ${LIMITS.expressionNodes.toLocaleString('en-US')} calls, literals, properties and indexes`,
        ctx.path,
      );
    return {
      evaluate: compileExpression(parsed.expression, ctx),
      text: parsed.text,
      isExpression: true,
      weight: nodes,
      varies: varies(parsed.expression),
      perResource: perResource(parsed.expression),
      fields: fieldsRead(parsed.expression),
    };
  }
  // The text of the outermost value only: each level writing its own would take time quadratic in the nesting.
  if (Array.isArray(value)) {
    const items = value.map((v) => compileNested(v, ctx, false));
    if (!items.some((i) => i.isExpression)) return literal(items.map((i) => i.literal));
    return {
      evaluate: (s) => items.map((i) => i.evaluate(s)),
      text: outermost ? JSON.stringify(value) : '',
      isExpression: true,
      weight: items.reduce((sum, i) => sum + 1 + i.weight, 0),
      varies: items.some((i) => i.varies),
      perResource: items.some((i) => i.perResource),
    };
  }
  if (isObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, compileNested(v, ctx, false)] as const);
    if (!entries.some(([, v]) => v.isExpression)) return literal(Object.fromEntries(entries.map(([k, v]) => [k, v.literal])));
    return {
      evaluate: (s) => Object.fromEntries(entries.map(([k, v]) => [k, v.evaluate(s)])),
      text: outermost ? JSON.stringify(value) : '',
      isExpression: true,
      weight: entries.reduce((sum, [, v]) => sum + 1 + v.weight, 0),
      varies: entries.some(([, v]) => v.varies),
      perResource: entries.some(([, v]) => v.perResource),
    };
  }
  return literal(value);
};
