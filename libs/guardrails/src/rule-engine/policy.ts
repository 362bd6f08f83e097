// An Azure Policy definition compiled once into an evaluator, then bound to assignment parameters and
// evaluated per resource, offline. Follows Microsoft's documented semantics: effect order (disabled
// first, compliant by default without evaluating anything: effect-disabled.md), modes (Indexed
// evaluates only types with tags and location), applicability (policy-applicability.md) and compliance
// (compliance-states.md), auditIfNotExists/deployIfNotExists over caller-supplied related resources,
// counted only where Azure looks (effect-audit-if-not-exists.md, related-scope.ts). What cannot be
// evaluated is refused with a named reason or yields the state `error`, never "compliant"; so is a
// definition over the limits of limits.ts, or an evaluation past its budget of steps.
import { type AliasTable, shippedAliasTable } from '../aliases/alias-table';
import { type Applicability, applicabilityOver, type CompiledCondition, compileCondition, type ConditionTrace, type DecidedBy, type Metered, type Specialised } from './conditions';
import { CompileError, EvaluationError, type EvaluationErrorReason, type Refusal, type RefusalReason } from './errors';
import { type CompileContext, type CompiledValue, compileValue, type EvalState, type EvaluationEnv, type PolicyInfo, type ResourceGroupInfo, type SubscriptionInfo } from './expressions';
import { type FieldCategory, type FieldReader, readsOnce } from './fields';
import { checkDefinitionSize, jsonExcess, LIMITS, spend } from './limits';
import { describeRelatedScope, idsUnder, type RelatedResourceQuery, relatedScopePrefix } from './related-scope';
import { getKey, isObject, type PolicyResource, resourceFullName, resourceName, resourceScope } from './resource';
import { preview, typeName } from './values';

export type EffectName = 'Audit' | 'Deny' | 'Modify' | 'Append' | 'DenyAction' | 'AuditIfNotExists' | 'DeployIfNotExists' | 'Disabled';

const EFFECTS: ReadonlyMap<string, EffectName> = new Map(
  (['Audit', 'Deny', 'Modify', 'Append', 'DenyAction', 'AuditIfNotExists', 'DeployIfNotExists', 'Disabled'] as const).map((e) => [e.toLowerCase(), e]),
);
/** Effects Azure knows that say nothing about an ARM resource's configuration offline. */
const UNSUPPORTED_EFFECTS = new Set(['manual', 'mutate', 'addtonetworkgroup', 'enforceopaconstraint', 'enforceregopolicy']);

const isIfNotExists = (effect: EffectName) => effect === 'AuditIfNotExists' || effect === 'DeployIfNotExists';

export type PolicyMode = 'All' | 'Indexed';

export type ParameterType = 'String' | 'Array' | 'Object' | 'Boolean' | 'Integer' | 'Float' | 'DateTime';
const PARAMETER_TYPES: ReadonlyMap<string, ParameterType> = new Map(
  (['String', 'Array', 'Object', 'Boolean', 'Integer', 'Float', 'DateTime'] as const).map((t) => [t.toLowerCase(), t]),
);

export interface ParameterDefinition {
  readonly name: string;
  readonly type: ParameterType;
  readonly defaultValue?: unknown;
  readonly allowedValues?: readonly unknown[];
}

export type { PolicyInfo } from './expressions';
export type { RelatedResourceQuery } from './related-scope';

export type ComplianceState = 'compliant' | 'nonCompliant' | 'notApplicable' | 'error';

export type VerdictReason =
  /** The effect is Disabled: the rule is not evaluated, and the resource is compliant by default (the verdict says `disabled`). */
  | 'effect-disabled'
  /** The mode does not evaluate this resource (Indexed: no tags and location; Microsoft.Resources types). */
  | 'mode-excludes-resource'
  /** The type/name/kind conditions of `if` do not select the resource (audit, deny, modify, append, denyAction). */
  | 'not-targeted'
  /** auditIfNotExists/deployIfNotExists: `if` is false, so the policy does not apply. */
  | 'if-false'
  | 'if-true'
  /** Compliant audit-like rule: `if` evaluated to false. */
  | 'if-not-matched'
  | 'related-resource-satisfies'
  | 'no-related-resource'
  | 'no-related-resource-satisfies'
  | 'evaluation-failed'
  | 'invalid-parameters';

export interface EvaluationContext {
  /** Assignment parameter values by name; defaults fill the rest. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /**
   * Related resources for auditIfNotExists/deployIfNotExists. The engine keeps only those of the type
   * and name asked for whose id places them where the query looks (a resource without an id there is
   * an error: it cannot be placed).
   */
  readonly related?: (query: RelatedResourceQuery) => readonly PolicyResource[];
  /** For utcNow(); defaults to the current time. */
  readonly now?: Date;
  /** The resource group, for resourceGroup() (name, location, tags, managedBy). */
  readonly resourceGroup?: ResourceGroupInfo;
  readonly subscription?: SubscriptionInfo;
  /** For policy(): the assignment's id and the rest, as Azure names them (the definition id defaults to the definition's own). */
  readonly policy?: PolicyInfo;
  /** requestContext().apiVersion; by default the latest API version of the resource type, as compliance scans use. */
  readonly apiVersion?: string;
  /**
   * Record the deciding conditions (default true). False is for bulk scoring: the verdict's state
   * and effect are the same, its explanation lists no conditions; evaluate again with it on to
   * show why.
   */
  readonly explain?: boolean;
}

export interface RelatedEvaluation {
  /** Name or id of the related resource. */
  readonly resource: string;
  readonly satisfied: boolean;
  readonly conditions: readonly ConditionTrace[];
}

export interface Explanation {
  readonly reason: VerdictReason;
  /** One sentence for people. */
  readonly summary: string;
  /** The conditions of `if` that decided (for not-targeted: the type/name/kind conditions). */
  readonly conditions: readonly ConditionTrace[];
  /** auditIfNotExists/deployIfNotExists: what was looked for and how each candidate fared. */
  readonly related?: {
    readonly query: RelatedResourceQuery;
    /** Related resources of the type and name where the query looks. */
    readonly candidates: number;
    /** Those of the type and name found elsewhere, not counted (present only when there were some). */
    readonly elsewhere?: number;
    readonly evaluations: readonly RelatedEvaluation[];
  };
}

export interface Verdict {
  readonly state: ComplianceState;
  readonly effect: EffectName;
  /**
   * The effect is Disabled: the rule was not evaluated and the state is `compliant` by default, as
   * Azure reports it. Nothing was checked: show it as disabled, never as a passed check.
   */
  readonly disabled?: true;
  readonly explanation: Explanation;
  readonly error?: { readonly reason: EvaluationErrorReason | RefusalReason; readonly message: string; readonly path?: string };
}

/** A definition bound to parameter values, as an assignment would be. */
export interface PolicyAssignment {
  readonly effect: EffectName;
  readonly parameters: Readonly<Record<string, unknown>>;
  /**
   * A verdict may be one object handed out for many resources (mode exclusions, resources the type
   * alone decides, every `explain: false` verdict): it is immutable, as its type says.
   */
  evaluate(resource: PolicyResource, context?: Omit<EvaluationContext, 'parameters'>): Verdict;
  /**
   * The verdict `evaluate` gives this resource when its type spelling and its `locationClass` alone
   * decide it (a mode exclusion, type conditions that cannot select the type, the Disabled effect):
   * then every resource with the same type spelling and location class gets this same verdict
   * object. Undefined when the verdict may depend on anything else. For callers that evaluate many
   * assignments per resource (assignment-index.ts).
   */
  fixedVerdict(resource: PolicyResource, explain: boolean): Verdict | undefined;
}

export type BindResult = { readonly ok: true; readonly assignment: PolicyAssignment } | { readonly ok: false; readonly refusal: Refusal };

export interface CompiledPolicy {
  /** The definition's name (a GUID for built-ins) and display name, when it has them. */
  readonly name?: string;
  readonly displayName?: string;
  readonly mode: PolicyMode;
  readonly parameters: readonly ParameterDefinition[];
  /** Effects the definition can have: the literal effect, or the allowed values of its effect parameter. */
  readonly effects: readonly EffectName[];
  bind(parameters?: Readonly<Record<string, unknown>>): BindResult;
  /** Binds `context.parameters` (remembered per parameters object) and evaluates; invalid parameters give the state `error`. */
  evaluate(resource: PolicyResource, context?: EvaluationContext): Verdict;
}

export type CompileResult = { readonly ok: true; readonly policy: CompiledPolicy } | { readonly ok: false; readonly refusal: Refusal };

export interface CompileOptions {
  /** Alias table; the shipped one by default. */
  readonly aliases?: AliasTable;
  /**
   * `[[` handling. Definitions written as ARM template resources (Landing Zone files: top-level `type`
   * Microsoft.Authorization/policyDefinitions and `apiVersion`) escape every expression as `[[...]`,
   * which ARM unescapes on deployment; 'auto' does the same for that form. 'policy' reads `[[` as a
   * literal `[` (the policy language's own escape) everywhere.
   */
  readonly templateEscaping?: 'auto' | 'arm-template' | 'policy';
}

// ---------------------------------------------------------------------------------------------

const refuse = (reason: RefusalReason, message: string, path?: string): never => {
  throw new CompileError(reason, message, path);
};

/** What ARM does to a template resource on deployment: a string starting with `[[` loses one `[`. */
const unescapeTemplate = (value: unknown): unknown => {
  if (typeof value === 'string') return value.startsWith('[[') ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(unescapeTemplate);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeTemplate(v)]));
  return value;
};

const isTemplateResource = (definition: Record<string, unknown>) =>
  typeof definition['apiVersion'] === 'string' && String(definition['type']).toLowerCase() === 'microsoft.authorization/policydefinitions';

/**
 * A definition or initiative as Azure holds it once deployed: an ARM template resource (top-level
 * `type` and `apiVersion`) loses one `[` of each `[[`; anything else is returned as it is.
 */
export const asDeployed = (content: Record<string, unknown>): Record<string, unknown> =>
  typeof content['apiVersion'] === 'string' && /^microsoft\.authorization\/policy(set)?definitions$/i.test(String(content['type'])) ? (unescapeTemplate(content) as Record<string, unknown>) : content;

const matchesType = (value: unknown, type: ParameterType): boolean => {
  switch (type) {
    case 'String':
    case 'DateTime':
      return typeof value === 'string';
    case 'Array':
      return Array.isArray(value);
    case 'Object':
      return isObject(value);
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'Float':
      return typeof value === 'number';
  }
};

/**
 * allowedValues compare case-sensitively (definition-structure-parameters.md), as their JSON text;
 * an array value is checked per element. The allowed texts are a set: a long array against a long
 * list takes linear time, not their product.
 */
const allowed = (value: unknown, allowedValues: readonly unknown[]): boolean => {
  const texts = new Set<string | undefined>();
  allowedValues.forEach((a) => texts.add(JSON.stringify(a))); // as `some` did: holes are skipped
  if (Array.isArray(value) && !allowedValues.some(Array.isArray)) return value.every((v) => texts.has(JSON.stringify(v)));
  return texts.has(JSON.stringify(value));
};

const checkParameterValue = (definition: ParameterDefinition, value: unknown, what: string): Refusal | undefined => {
  if (!matchesType(value, definition.type))
    return { reason: 'invalid-parameter', message: `${what} of parameter "${definition.name}" must be ${definition.type}, got ${typeName(value)} ${preview(value)}` };
  if (definition.allowedValues && !allowed(value, definition.allowedValues))
    return {
      reason: 'invalid-parameter',
      message: `${what} ${preview(value)} of parameter "${definition.name}" is not one of its allowed values ${preview(definition.allowedValues, 200)}`,
    };
  return undefined;
};

const parseParameters = (raw: unknown): ParameterDefinition[] => {
  if (raw === undefined || raw === null) return [];
  if (!isObject(raw)) return refuse('invalid-definition', 'parameters must be an object', 'parameters');
  return Object.entries(raw).map(([name, spec]) => {
    if (!isObject(spec)) return refuse('invalid-definition', `parameter "${name}" must be an object`, `parameters.${name}`);
    const type = PARAMETER_TYPES.get(String(getKey(spec, 'type')).toLowerCase());
    if (!type) return refuse('invalid-parameter', `parameter "${name}" has an unknown type ${preview(getKey(spec, 'type'))}`, `parameters.${name}.type`);
    const allowedValues = getKey(spec, 'allowedValues');
    if (allowedValues !== undefined && !Array.isArray(allowedValues))
      return refuse('invalid-parameter', `allowedValues of parameter "${name}" must be an array`, `parameters.${name}.allowedValues`);
    // An empty list restricts nothing: Azure publishes a built-in with one and a default outside it
    // (Guest Configuration's AdministratorsGroupMembers_AINE, "allowedValues": [], "defaultValue": "Administrator").
    const restricts = Array.isArray(allowedValues) && allowedValues.length > 0;
    const definition: ParameterDefinition = { name, type, defaultValue: getKey(spec, 'defaultValue'), allowedValues: restricts ? (allowedValues as unknown[]) : undefined };
    if (definition.defaultValue !== undefined && definition.defaultValue !== null) {
      const problem = checkParameterValue(definition, definition.defaultValue, 'the default value');
      if (problem) return refuse(problem.reason, problem.message, `parameters.${name}.defaultValue`);
    }
    return definition;
  });
};

const parseMode = (raw: unknown): PolicyMode => {
  // "A null mode is the same as using indexed to support backward compatibility."
  if (raw === undefined || raw === null) return 'Indexed';
  const mode = String(raw).toLowerCase();
  if (mode === 'all') return 'All';
  if (mode === 'indexed') return 'Indexed';
  const dataPlane = /\.data$/i.test(String(raw));
  return refuse(
    'unsupported-mode',
    dataPlane
      ? `mode ${String(raw)} is a Resource Provider mode: it evaluates data-plane objects (such as Key Vault keys and secrets) that an ARM inventory does not carry`
      : `mode ${preview(raw)} is not a Resource Manager mode (All, Indexed)`,
    'mode',
  );
};

const childOrExtension = (relatedType: string, resourceType: string): 'children' | 'extension' | undefined => {
  const related = relatedType.toLowerCase();
  if (related.startsWith(`${resourceType}/`)) return 'children';
  // Extension resources attach to any resource (extension-resource-types.md); the ones policies look up:
  if (EXTENSION_TYPES.has(related)) return 'extension';
  return undefined;
};

const EXTENSION_TYPES = new Set([
  'microsoft.insights/diagnosticsettings',
  'microsoft.security/assessments',
  'microsoft.security/advancedthreatprotectionsettings',
  'microsoft.authorization/locks',
  'microsoft.authorization/roleassignments',
  'microsoft.guestconfiguration/guestconfigurationassignments',
  'microsoft.insights/datacollectionruleassociations',
]);

// Types are few and repeat across an inventory: lowercase each spelling once.
const lowerTypes = new Map<string, string>();
const typeOf = (resource: PolicyResource) => {
  const type = typeof resource.type === 'string' ? resource.type : String(getKey(resource, 'type') ?? '');
  let lower = lowerTypes.get(type);
  if (lower === undefined) {
    lower = type.toLowerCase();
    if (lowerTypes.size < 10_000) lowerTypes.set(type, lower);
  }
  return lower;
};

/** `name` of details: `web`, `current`, `parent/child`, or `parent/?` for every child of a parent. */
const nameMatches = (resource: PolicyResource, wanted: string) => {
  const want = wanted.toLowerCase().split('/');
  if (want.length === 1) return resourceName(resource)?.toLowerCase() === want[0];
  const have = (resourceFullName(resource) ?? '').toLowerCase().split('/');
  const tail = have.slice(-want.length);
  return tail.length === want.length && want.every((w, i) => w === '?' || w === tail[i]);
};

interface Details {
  readonly type: CompiledValue;
  readonly name?: CompiledValue;
  readonly resourceGroupName?: CompiledValue;
  readonly existenceScope: 'resourceGroup' | 'subscription';
  readonly existenceCondition?: CompiledCondition;
}

const compileDetails = (raw: unknown, ctx: CompileContext): Details => {
  if (!isObject(raw)) return refuse('invalid-rule', 'auditIfNotExists/deployIfNotExists need then.details with the related type', 'then.details');
  const value = (key: string) => getKey(raw, key);
  if (typeof value('type') !== 'string') return refuse('invalid-rule', 'then.details.type (the related resource type) is required', 'then.details.type');
  const scope = value('existenceScope');
  if (scope !== undefined && !/^(resourcegroup|subscription)$/i.test(String(scope)))
    return refuse('invalid-rule', `then.details.existenceScope must be ResourceGroup or Subscription, got ${preview(scope)}`, 'then.details.existenceScope');
  const compiled = (key: string) => (value(key) === undefined ? undefined : compileValue(value(key), { ...ctx, path: `then.details.${key}` }));
  const condition = value('existenceCondition');
  return {
    type: compileValue(value('type'), { ...ctx, path: 'then.details.type' }),
    name: compiled('name'),
    resourceGroupName: compiled('resourceGroupName'),
    existenceScope: String(scope ?? '').toLowerCase() === 'subscription' ? 'subscription' : 'resourceGroup',
    existenceCondition:
      condition === undefined
        ? undefined
        : compileCondition(condition, { ...ctx, path: 'then.details.existenceCondition' }),
  };
};

/** Categories applicability evaluates, from the table in policy-applicability.md. */
const applicabilityOf = (categories: ReadonlySet<FieldCategory>): Applicability => {
  const hasType = categories.has('type');
  // Only type (and name/kind) conditions: only type decides; no type and nothing else: applies to all.
  if (!categories.has('other')) return applicabilityOver(new Set<FieldCategory>(hasType ? ['type'] : []));
  return applicabilityOver(new Set<FieldCategory>(['type', 'name', 'kind']));
};

const RESOURCE_CONTAINERS = new Set(['microsoft.resources/subscriptions', 'microsoft.resources/subscriptions/resourcegroups', 'microsoft.resources/resourcegroups']);

/** Top-level types that carry neither tags nor location: extension and authorization resources. */
const LOCATIONLESS_NAMESPACES = ['microsoft.authorization/', 'microsoft.insights/diagnosticsettings', 'microsoft.security/', 'microsoft.policyinsights/', 'microsoft.management/'];

/**
 * Whether a resource supports tags and location, judged offline: an instance that carries a
 * location does; without one, a top-level type (`Namespace/type`) does unless it is an extension or
 * authorization type, and a child type (`Namespace/type/child`: subnets, security rules, agent
 * pools) does not (`byType`, see typePlan). A bare body (`type` and `properties` only, as
 * `rampart policy test` accepts) is thereby judged by its type, as Azure judges it.
 */
const supportsTagsAndLocation = (resource: PolicyResource, byType: boolean): boolean => {
  const location = getKey(resource, 'location');
  if (typeof location === 'string' && location.trim()) return true;
  if (location !== undefined && location !== null) return false;
  return byType;
};

/**
 * What the mode's location test reads of a resource (supportsTagsAndLocation): a location that is
 * not blank (0), another location value (1), none (2, the type decides). Resources of one type
 * spelling and one class are judged alike by every mode.
 */
export type LocationClass = 0 | 1 | 2;
export const locationClass = (resource: PolicyResource): LocationClass => {
  const location = getKey(resource, 'location');
  if (typeof location === 'string' && location.trim()) return 0;
  return location !== undefined && location !== null ? 1 : 2;
};

/**
 * How the mode's location test (supportsTagsAndLocation) judges a resource, read without getKey's
 * generic lookup: true (a location that is not blank), false (none under any spelling: the type
 * decides), undefined (anything else: ask supportsTagsAndLocation). A resource is JSON: what it
 * holds under `location` is its own property, as planOf takes its `type`.
 */
const locationPresent = (resource: PolicyResource): boolean | undefined => {
  const location = resource.location;
  if (typeof location === 'string') {
    const first = location.charCodeAt(0);
    // A first character that no trim removes settles it without a copy.
    return (first > 32 && first < 160) || location.trim() !== '' ? true : undefined;
  }
  if (location !== undefined) return undefined;
  // Another spelling (`Location`) would be read instead.
  for (const key in resource) if (key.length === 8 && key.toLowerCase() === 'location') return undefined;
  return false;
};

/**
 * Whether a type, lowercased, may start with `microsoft.resources/` (the types the mode itself
 * excludes or treats apart): only `R` or `r` lowercases to `r`, and a character that lowercases to
 * two would shift the prefix out of place.
 */
const mayBeResourcesType = (type: string): boolean => type.length >= 20 && (type.charCodeAt(10) | 32) === 114;

// ---------------------------------------------------------------------------------------------

export const compilePolicy = (definition: unknown, options: CompileOptions = {}): CompileResult => {
  try {
    return { ok: true, policy: compile(definition, options) };
  } catch (error) {
    if (error instanceof CompileError) return { ok: false, refusal: { reason: error.reason, message: error.message, ...(error.path ? { path: error.path } : {}) } };
    throw error;
  }
};

const compile = (input: unknown, options: CompileOptions): CompiledPolicy => {
  if (!isObject(input)) return refuse('invalid-definition', `a policy definition must be a JSON object, got ${typeName(input)}`);
  // Before anything walks it recursively (unescaping, compiling).
  checkDefinitionSize(input);
  const escaping = options.templateEscaping ?? 'auto';
  const unescape = escaping === 'arm-template' || (escaping === 'auto' && isTemplateResource(input));
  const definition = (unescape ? unescapeTemplate(input) : input) as Record<string, unknown>;
  const properties = isObject(getKey(definition, 'properties')) ? (getKey(definition, 'properties') as Record<string, unknown>) : definition;
  const rule = getKey(properties, 'policyRule');
  if (!isObject(rule)) return refuse('invalid-definition', 'the definition has no policyRule object', 'policyRule');

  const mode = parseMode(getKey(properties, 'mode'));
  const parameters = parseParameters(getKey(properties, 'parameters'));
  const aliases = options.aliases ?? shippedAliasTable();
  const ctx: CompileContext = {
    aliases,
    parameters: new Set(parameters.map((p) => p.name.toLowerCase())),
    counts: [],
    path: 'if',
    dynamicFields: new Map<string, FieldReader>(),
    depth: 0,
    tally: { conditions: 0, expressionNodes: 0 },
    definitionId: typeof getKey(definition, 'id') === 'string' ? (getKey(definition, 'id') as string) : undefined,
  };

  const ifNode = getKey(rule, 'if');
  const then = getKey(rule, 'then');
  if (ifNode === undefined) return refuse('invalid-rule', 'policyRule has no if', 'if');
  if (!isObject(then)) return refuse('invalid-rule', 'policyRule has no then object', 'then');
  const condition = compileCondition(ifNode, ctx);

  const rawEffect = getKey(then, 'effect');
  if (typeof rawEffect !== 'string') return refuse('invalid-rule', 'then.effect must be a string', 'then.effect');
  const effect = compileValue(rawEffect, { ...ctx, path: 'then.effect' });
  const effects = possibleEffects(rawEffect, effect, parameters);
  const rawDetails = getKey(then, 'details');
  // Details matter for auditIfNotExists/deployIfNotExists only; refused here when no other effect could be chosen.
  const onlyIfNotExists = effects.every((e) => isIfNotExists(e) || e === 'Disabled');
  const details = effects.some(isIfNotExists) && (rawDetails !== undefined || onlyIfNotExists) ? compileDetails(rawDetails, ctx) : undefined;
  const applicability = applicabilityOf(condition.categories);

  const bind = (values: Readonly<Record<string, unknown>> = {}): BindResult => {
    const resolved = resolveParameters(parameters, values);
    if (!(resolved instanceof Map)) return { ok: false, refusal: resolved };
    const chosen = resolveEffect(effect, { parameters: resolved, aliases });
    if (typeof chosen !== 'string') return { ok: false, refusal: chosen };
    if (isIfNotExists(chosen) && !details) return { ok: false, refusal: { reason: 'invalid-rule', message: `${chosen} needs then.details`, path: 'then.details' } };
    const assignment: PolicyAssignment = {
      effect: chosen,
      parameters: Object.fromEntries(parameters.map((p) => [p.name, resolved.get(p.name.toLowerCase())])),
      ...evaluator({ effect: chosen, mode, condition, applicability, details, parameters: resolved, aliases }),
    };
    return { ok: true, assignment };
  };

  const bound = new WeakMap<object, BindResult>();
  const noParameters = {};
  return {
    name: typeof getKey(definition, 'name') === 'string' ? (getKey(definition, 'name') as string) : undefined,
    displayName: typeof getKey(properties, 'displayName') === 'string' ? (getKey(properties, 'displayName') as string) : undefined,
    mode,
    parameters,
    effects,
    bind,
    evaluate: (resource, context = {}) => {
      const key = context.parameters ?? noParameters;
      let binding = bound.get(key);
      if (!binding) bound.set(key, (binding = bind(context.parameters)));
      if (!binding.ok) {
        const { refusal } = binding;
        return {
          state: 'error',
          effect: effects[0] ?? 'Disabled',
          explanation: { reason: 'invalid-parameters', summary: `Not evaluated: ${refusal.message}`, conditions: [] },
          error: refusal,
        };
      }
      return binding.assignment.evaluate(resource, context);
    },
  };
};

// Built field by field on purpose: an object literal that spreads another and adds properties
// costs microseconds per evaluation on V8 (measured: the engine ran 3.6x slower), this costs nanoseconds.
const evaluationEnv = (parameters: ReadonlyMap<string, unknown>, aliases: AliasTable, context: Omit<EvaluationContext, 'parameters'>) => ({
  parameters,
  aliases,
  now: context.now ?? new Date(),
  resourceGroup: context.resourceGroup,
  subscription: context.subscription,
  policy: context.policy,
  apiVersion: context.apiVersion,
  steps: 0,
});

const possibleEffects = (raw: string, effect: CompiledValue, parameters: readonly ParameterDefinition[]): EffectName[] => {
  if (!effect.isExpression) {
    const name = EFFECTS.get(raw.toLowerCase());
    if (name) return [name];
    return refuse(UNSUPPORTED_EFFECTS.has(raw.toLowerCase()) ? 'unsupported-effect' : 'invalid-rule', `effect "${raw}" is not supported offline`, 'then.effect');
  }
  const parameter = /^\[parameters\('([^']+)'\)\]$/i.exec(raw)?.[1];
  const definition = parameter ? parameters.find((p) => p.name.toLowerCase() === parameter.toLowerCase()) : undefined;
  const known = [...new Set((definition?.allowedValues ?? []).map((c) => EFFECTS.get(String(c).toLowerCase())).filter((e): e is EffectName => !!e))];
  // Without allowed values any effect may be assigned.
  return known.length ? known : [...EFFECTS.values()];
};

const resolveParameters = (definitions: readonly ParameterDefinition[], values: Readonly<Record<string, unknown>>): Map<string, unknown> | Refusal => {
  // Parameter values come from the caller as the definition does, and are read as deep (equality, JSON).
  const excess = jsonExcess(values, LIMITS.parametersSize, LIMITS.jsonDepth);
  if (excess === 'size') return { reason: 'parameters-too-large', message: `the parameter values are larger than ${LIMITS.parametersSize.toLocaleString('en-US')} characters of JSON` };
  if (excess === 'depth') return { reason: 'nesting-too-deep', message: `the parameter values nest objects and arrays more than ${LIMITS.jsonDepth} deep` };
  const given = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), { name: k, value: v }]));
  for (const { name } of given.values())
    if (!definitions.some((d) => d.name.toLowerCase() === name.toLowerCase()))
      return { reason: 'unknown-parameter', message: `the definition has no parameter "${name}"` };
  const resolved = new Map<string, unknown>();
  for (const definition of definitions) {
    const supplied = given.get(definition.name.toLowerCase())?.value;
    const value = supplied ?? definition.defaultValue;
    if (value === undefined || value === null)
      return { reason: 'missing-parameter', message: `parameter "${definition.name}" has no value and no default` };
    const problem = supplied === undefined || supplied === null ? undefined : checkParameterValue(definition, supplied, 'the value');
    if (problem) return problem;
    resolved.set(definition.name.toLowerCase(), value);
  }
  return resolved;
};

const PLACEHOLDER: PolicyResource = { name: '', type: '' };

const resolveEffect = (effect: CompiledValue, env: Pick<EvaluationEnv, 'parameters' | 'aliases'>): EffectName | Refusal => {
  let value: unknown;
  try {
    const s: EvalState = {
      env: { ...env, now: new Date(0), steps: 0 },
      resource: PLACEHOLDER,
      resourceType: '',
      target: PLACEHOLDER,
      targetType: '',
      scope: undefined,
    };
    value = effect.evaluate(s);
  } catch (error) {
    if (error instanceof EvaluationError) return { reason: 'invalid-rule', message: `the effect ${effect.text} cannot be resolved: ${error.message}`, path: 'then.effect' };
    throw error;
  }
  const name = EFFECTS.get(String(value).toLowerCase());
  if (name) return name;
  return {
    reason: UNSUPPORTED_EFFECTS.has(String(value).toLowerCase()) ? 'unsupported-effect' : 'invalid-parameter',
    message: `effect ${preview(value)} (from ${effect.text}) is not an effect the engine evaluates`,
    path: 'then.effect',
  };
};

// ---------------------------------------------------------------------------------------------

// Most of an inventory is of types a rule does not target (91% of the evaluations in the
// benchmark). What the type alone decides is worked out once per assignment and type spelling (a
// TypePlan); the rest is evaluated per resource. Verdicts that say nothing about one resource
// (mode exclusions, decided by type, and every verdict of `explain: false`) are built once and
// shared: treat verdicts as immutable.

/** Distinct type spellings remembered per assignment; beyond it, plans are worked out on every evaluation. */
const MAX_PLANNED_TYPES = 4_096;
/** Type spellings of one length remembered per assignment (they are compared one by one). */
const MAX_SAME_LENGTH = 64;

/** Distinct `kind` values remembered per type, for rules whose applicability reads the kind. */
const MAX_PLANNED_KINDS = 1_024;

/**
 * What the type decides: `if` (for ifNotExists effects) or applicability (for the others). For
 * rules with kind conditions (web apps that are not function apps), the type and the kind together.
 */
type TypeDecision =
  | { readonly is: 'per-resource' }
  | { readonly is: 'applies' }
  | { readonly is: 'not-applicable'; readonly explained: Verdict; readonly quiet: Verdict }
  | { readonly is: 'by-kind'; readonly kinds: Map<unknown, TypeDecision> };

const PER_RESOURCE: TypeDecision = { is: 'per-resource' };
const APPLIES: TypeDecision = { is: 'applies' };

interface TypePlan {
  /** The type as the resource spells it. */
  readonly key: string;
  /** Lowercase. */
  readonly type: string;
  /** The mode excludes every resource of the type: Microsoft.Resources types, containers in mode Indexed, subscriptions for location rules. */
  readonly excluded: Verdict | undefined;
  /** Mode Indexed: the verdict for a resource of the type that does not support tags and location. */
  readonly noLocation: Verdict | undefined;
  /** A resource of the type without any location field supports one (by its type). */
  readonly locationByType: boolean;
  /** Whether the assignment keeps this plan; only kept plans remember a decision. */
  readonly kept: boolean;
  /** Worked out on the first resource of the type that the mode lets through. */
  decision: TypeDecision | undefined;
  /** The rule specialised for the type (state only), worked out on first use. */
  special: SpecialPlan | undefined;
}

/**
 * The rule for one type (conditions.ts, specialise): closures over the resource alone that charge
 * nothing, when all of it fits the budget; else closures over the evaluation state that charge as
 * they go. `applies`: applicability (what `condition.evaluate(s, null, applicability)` answers);
 * `matches`: the `if` condition.
 */
type SpecialPlan =
  | { readonly metered: false; readonly applies: (resource: PolicyResource) => boolean; readonly matches: (resource: PolicyResource) => boolean }
  | { readonly metered: true; readonly applies: Metered; readonly matches: Metered };

const ALWAYS = (): boolean => true;
const NEVER = (): boolean => false;
const closureOf = (special: Specialised): ((resource: PolicyResource) => boolean) => (typeof special !== 'boolean' ? special : special ? ALWAYS : NEVER);

interface BoundRule {
  readonly effect: EffectName;
  readonly mode: PolicyMode;
  readonly condition: CompiledCondition;
  readonly applicability: Applicability;
  readonly details?: Details;
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly aliases: AliasTable;
}

const verdict = (
  state: ComplianceState,
  effect: EffectName,
  reason: VerdictReason,
  summary: string,
  conditions: readonly ConditionTrace[] = [],
  related?: Explanation['related'],
): Verdict =>
  // No spread: an object literal spreading another costs microseconds per call on V8.
  related ? { state, effect, explanation: { reason, summary, conditions, related } } : { state, effect, explanation: { reason, summary, conditions } };

/**
 * A verdict handed out again and again (every `explain: false` verdict, mode exclusions, verdicts the
 * type decided), built at its own allocation sites with its conditions copied. V8 decides per
 * allocation site whether to allocate in the old generation: long-lived verdicts built by verdict()
 * made it allocate every short-lived per-evaluation verdict there too (the benchmark's peak RSS
 * doubled, from garbage the young generation would have freed).
 */
const keptVerdict = (state: ComplianceState, effect: EffectName, reason: VerdictReason, summary: string, conditions: readonly ConditionTrace[] = []): Verdict => ({
  state,
  effect,
  explanation: { reason, summary, conditions: conditions.map(keptCondition) },
});
const keptCondition = (t: ConditionTrace): ConditionTrace => Object.assign({}, t);

const failed = (effect: EffectName, error: EvaluationError, conditions: readonly ConditionTrace[]): Verdict => ({
  state: 'error',
  effect,
  explanation: { reason: 'evaluation-failed', summary: `Not evaluated: ${error.message}`, conditions },
  error: error.path ? { reason: error.reason, message: error.message, path: error.path } : { reason: error.reason, message: error.message },
});

/**
 * The mode's part, which depends on the type (Indexed evaluates "only resource types that support
 * tags and location"; Azure Policy skips Microsoft.Resources types other than subscriptions and
 * resource groups; location rules skip subscriptions).
 */
const typePlan = (resource: PolicyResource, mode: PolicyMode, effect: EffectName, usesLocation: boolean, kept: boolean): TypePlan => {
  const type = typeOf(resource);
  const excludedBecause = (why: string) => keptVerdict('notApplicable', effect, 'mode-excludes-resource', `Not applicable: ${why}.`);
  let excluded: Verdict | undefined;
  if (type.startsWith('microsoft.resources/') && !RESOURCE_CONTAINERS.has(type))
    excluded = excludedBecause(`Azure Policy does not evaluate ${resource.type} (Microsoft.Resources types other than subscriptions and resource groups)`);
  else if (mode === 'Indexed' && RESOURCE_CONTAINERS.has(type))
    excluded = excludedBecause(`mode Indexed does not evaluate ${resource.type}; resource groups and subscriptions need mode All`);
  // (In mode Indexed subscriptions were excluded just above.)
  else if (usesLocation && type === 'microsoft.resources/subscriptions') excluded = excludedBecause('a rule with a location condition does not apply to subscriptions');
  return {
    key: String(resource.type),
    type,
    excluded,
    noLocation:
      mode === 'Indexed' ? excludedBecause(`mode Indexed evaluates only resources that support tags and location; this ${resource.type} has no location`) : undefined,
    locationByType: type.split('/').length === 2 && !LOCATIONLESS_NAMESPACES.some((prefix) => type.startsWith(prefix)),
    kept,
    decision: undefined,
    special: undefined,
  };
};

const NO_CONTEXT: Omit<EvaluationContext, 'parameters'> = {};

type Evaluation = Pick<PolicyAssignment, 'evaluate' | 'fixedVerdict'>;

/**
 * The types outside which the rule is decided not applicable by the type alone (TypeGate), worked
 * out once per assignment from its parameters; undefined when the rule makes no such claim, or when
 * the conditions that decide could cost more than an evaluation's budget.
 */
const typeGateFor = (condition: CompiledCondition, applicability: Applicability | undefined, parameters: ReadonlyMap<string, unknown>, aliases: AliasTable) => {
  const s: EvalState = {
    env: { parameters, aliases, now: new Date(0), steps: 0 },
    resource: PLACEHOLDER,
    resourceType: '',
    target: PLACEHOLDER,
    targetType: '',
    scope: undefined,
  };
  const gate = condition.typeGate(s, applicability).whenFalse;
  return gate && gate.weight <= LIMITS.evaluationSteps ? gate : undefined;
};

const evaluator = (rule: BoundRule): Evaluation => {
  const { effect, mode, condition, applicability, details, parameters, aliases } = rule;
  if (effect === 'Disabled') {
    // "Policy definitions that use the disabled effect have the default compliance state Compliant"
    // (effect-disabled.md), and Azure checks Disabled before anything else: no mode, no condition.
    const disabled: Verdict = {
      state: 'compliant',
      effect,
      disabled: true,
      explanation: {
        reason: 'effect-disabled',
        summary: 'Compliant by default, not evaluated: the effect is Disabled, so nothing was checked (Azure reports Disabled definitions as compliant).',
        conditions: [],
      },
    };
    return { evaluate: () => disabled, fixedVerdict: () => disabled };
  }
  const ifNotExists = isIfNotExists(effect);
  // ifNotExists effects have no applicability step: `if` itself says whether the rule applies.
  const typeApplicability = ifNotExists ? undefined : applicability;
  const notApplicable: VerdictReason = ifNotExists ? 'if-false' : 'not-targeted';
  const notApplicableSummary = ifNotExists ? 'Not applicable: the if condition is false.' : "Not applicable: the rule's type/name/kind conditions do not select this resource.";
  const nonCompliantSummary = `Non-compliant (${effect}): the if condition matched.`;
  const compliantSummary = 'Compliant: the if condition is false.';
  const quiet = {
    notApplicable: keptVerdict('notApplicable', effect, notApplicable, notApplicableSummary),
    nonCompliant: keptVerdict('nonCompliant', effect, 'if-true', nonCompliantSummary),
    compliant: keptVerdict('compliant', effect, 'if-not-matched', compliantSummary),
  };
  const gate = typeGateFor(condition, typeApplicability, parameters, aliases);
  const indexed = mode === 'Indexed';

  // Plans by the length of their type spelling, then compared: a length differs for most types,
  // which spares hashing each resource's type string (its own allocation, seldom in cache).
  const plans: (TypePlan[] | undefined)[] = [];
  let planned = 0;
  // The last plan is tried first: state-only evaluation gets here only for types inside the gate,
  // for most rules one.
  let lastPlan: TypePlan | undefined;
  const planOf = (resource: PolicyResource): TypePlan => {
    const key = resource.type;
    if (typeof key !== 'string') return typePlan(resource, mode, effect, condition.usesLocation, false);
    if (lastPlan !== undefined && lastPlan.key === key) return lastPlan;
    const sameLength = plans[key.length];
    if (sameLength !== undefined)
      for (const plan of sameLength)
        if (plan.key === key) {
          lastPlan = plan;
          return plan;
        }
    const kept = planned < MAX_PLANNED_TYPES && (sameLength === undefined || sameLength.length < MAX_SAME_LENGTH);
    const plan = typePlan(resource, mode, effect, condition.usesLocation, kept);
    if (kept) {
      (plans[key.length] ??= []).push(plan);
      planned++;
    }
    return plan;
  };

  const decide = (s: EvalState, known: DecidedBy): TypeDecision => {
    let outcome: boolean | undefined;
    const trace: ConditionTrace[] = [];
    try {
      outcome = condition.decide(s, typeApplicability, known);
      // The conditions the type decided with: what evaluating any resource of the type records.
      if (outcome === false && !condition.evaluate(s, trace, typeApplicability))
        return { is: 'not-applicable', explained: keptVerdict('notApplicable', effect, notApplicable, notApplicableSummary, trace), quiet: quiet.notApplicable };
    } catch (error) {
      // A type condition that fails fails for every resource of the type: each evaluation says so.
      if (!(error instanceof EvaluationError)) throw error;
      return PER_RESOURCE;
    }
    return outcome === true ? APPLIES : PER_RESOURCE;
  };
  const readsKind = condition.categories.has('kind');

  /** What the type alone decides, worked out and remembered on first sight of the type. */
  const byType = (plan: TypePlan, s: EvalState): TypeDecision => {
    if (plan.decision === undefined) {
      const decision = decide(s, 'type');
      plan.decision = decision === PER_RESOURCE && readsKind ? { is: 'by-kind', kinds: new Map() } : decision;
    }
    return plan.decision;
  };

  /** The plan's decision for this resource, worked out and remembered on first sight of its type (and kind). */
  const decisionFor = (plan: TypePlan, s: EvalState): TypeDecision => {
    if (!plan.kept) return PER_RESOURCE;
    const decision = byType(plan, s);
    if (decision.is !== 'by-kind') return decision;
    const kinds = decision.kinds;
    // Read as the kind conditions read it.
    const kind = getKey(s.resource, 'kind');
    let byKind = kinds.get(kind);
    if (byKind === undefined) {
      byKind = decide(s, 'type+kind');
      if (kinds.size < MAX_PLANNED_KINDS) kinds.set(kind, byKind);
    }
    return byKind;
  };

  const stateOf = (resource: PolicyResource, type: string, context: Omit<EvaluationContext, 'parameters'>): EvalState => ({
    env: evaluationEnv(parameters, aliases, context),
    resource,
    resourceType: type,
    target: resource,
    targetType: type,
    scope: undefined,
  });

  // One state kept for the metered state-only path, refilled per evaluation instead of allocating
  // a state and its env each time. Taken while in use: an evaluation that starts meanwhile (from
  // a caller's related-resource lookup) gets its own.
  let spare: Mutable<EvalState> | undefined;
  const borrowState = (resource: PolicyResource, type: string, context: Omit<EvaluationContext, 'parameters'>): EvalState => {
    const s = spare;
    if (s === undefined) return stateOf(resource, type, context);
    spare = undefined;
    const env = s.env as Mutable<EvaluationEnv>;
    env.now = context.now ?? new Date();
    env.resourceGroup = context.resourceGroup;
    env.subscription = context.subscription;
    env.policy = context.policy;
    env.apiVersion = context.apiVersion;
    env.steps = 0;
    s.resource = resource;
    s.resourceType = type;
    s.target = resource;
    s.targetType = type;
    return s;
  };
  const returnState = (s: EvalState) => {
    const kept = s as Mutable<EvalState>;
    // Not holding on to the caller's resource.
    kept.resource = PLACEHOLDER;
    kept.target = PLACEHOLDER;
    spare = kept;
  };

  const fixedVerdict = (resource: PolicyResource, explain: boolean): Verdict | undefined => {
    const plan = planOf(resource);
    if (!plan.kept) return undefined;
    if (plan.excluded !== undefined) return plan.excluded;
    if (plan.noLocation !== undefined && !supportsTagsAndLocation(resource, plan.locationByType)) return plan.noLocation;
    const decision = byType(plan, stateOf(resource, plan.type, NO_CONTEXT));
    return decision.is === 'not-applicable' ? (explain ? decision.explained : decision.quiet) : undefined;
  };

  const gateTests = gate?.tests ?? [];
  // One length for most rules (one type): a type of another length is outside without a test.
  const gateLength = gate?.lengths?.length === 1 ? gate.lengths[0] : -1;
  const gateLengths = gate?.lengths !== undefined && gate.lengths.length > 1 ? new Set(gate.lengths) : undefined;

  /** The state-only verdict of a type outside the gate, when the mode does not need the plan: else undefined. */
  const outsideGate = (resource: PolicyResource): Verdict | undefined => {
    const type = resource.type;
    if (typeof type !== 'string') return undefined;
    const length = type.length;
    if (length === gateLength || (gateLengths !== undefined && gateLengths.has(length))) return undefined;
    if (gateLength < 0 && gateLengths === undefined) for (let i = 0; i < gateTests.length; i++) if (gateTests[i](type)) return undefined;
    if (mayBeResourcesType(type)) return undefined;
    if (!indexed) return quiet.notApplicable;
    // Mode Indexed: a resource without a location is judged by its type, and excluded with the plan's reason.
    const located = locationPresent(resource);
    if (located === undefined) return undefined;
    if (located) return quiet.notApplicable;
    const plan = planOf(resource);
    return plan.locationByType ? quiet.notApplicable : plan.noLocation;
  };

  /**
   * The rule specialised for the plan's type, for state-only evaluation with no `apiVersion` in the
   * context (requestContext() then depends on the type alone): charging nothing when every
   * condition has a specialised form and both passes together fit the budget, else charging as the
   * general evaluation does.
   */
  const specialFor = (plan: TypePlan, resource: PolicyResource): SpecialPlan => {
    const reads = readsOnce();
    const to = { type: plan.type, state: stateOf(resource, plan.type, NO_CONTEXT), steps: 0, reads };
    // ifNotExists effects go on to related resources, which charge steps too: `if` must charge as it goes.
    const applies = ifNotExists ? undefined : condition.specialise(to, applicability);
    const matches = applies === undefined ? undefined : condition.specialise(to, undefined);
    if (applies !== undefined && matches !== undefined && to.steps <= LIMITS.evaluationSteps) {
      const whether = closureOf(applies);
      const match = closureOf(matches);
      return {
        metered: false,
        applies: (r) => {
          reads.next();
          return whether(r);
        },
        matches: (r) => {
          reads.next();
          return match(r);
        },
      };
    }
    const whether = condition.specialiseMetered(to, applicability);
    const match = condition.specialiseMetered(to, undefined);
    return {
      metered: true,
      applies: (s) => {
        reads.next();
        return whether(s);
      },
      matches: (s) => {
        reads.next();
        return match(s);
      },
    };
  };

  const evaluate = (resource: PolicyResource, context: Omit<EvaluationContext, 'parameters'> = NO_CONTEXT): Verdict => {
    const explain = context.explain !== false;
    // State only, a type the rule cannot select: what the hand-written `type !==` costs, no plan looked up.
    if (!explain && gate !== undefined) {
      const outside = outsideGate(resource);
      if (outside !== undefined) return outside;
    }
    const plan = planOf(resource);
    if (plan.excluded !== undefined) return plan.excluded;
    if (plan.noLocation !== undefined) {
      const present = locationPresent(resource);
      if (present === undefined ? !supportsTagsAndLocation(resource, plan.locationByType) : !present && !plan.locationByType) return plan.noLocation;
    }
    let decision = plan.decision;
    if (decision !== undefined && decision.is === 'by-kind') decision = decision.kinds.get(getKey(resource, 'kind'));
    if (decision !== undefined && decision.is === 'not-applicable') return explain ? decision.explained : decision.quiet;
    // State only, the type's decision known (so its plan is kept): the rule specialised for the type.
    if (!explain && decision !== undefined && context.apiVersion === undefined) {
      const special = (plan.special ??= specialFor(plan, resource));
      try {
        if (!special.metered) {
          if (decision !== APPLIES && !special.applies(resource)) return quiet.notApplicable;
          return special.matches(resource) ? quiet.nonCompliant : quiet.compliant;
        }
        const s = borrowState(resource, plan.type, context);
        try {
          if (ifNotExists) {
            // Decided true by the type: `if` is not evaluated again.
            if (decision !== APPLIES && !special.matches(s)) return quiet.notApplicable;
            if (!details) throw new EvaluationError('missing-context', `${effect} needs then.details`, 'then.details');
            return evaluateRelated(effect, context, details, s, []);
          }
          if (decision !== APPLIES && !special.applies(s)) return quiet.notApplicable;
          return special.matches(s) ? quiet.nonCompliant : quiet.compliant;
        } finally {
          returnState(s);
        }
      } catch (error) {
        if (!(error instanceof EvaluationError)) throw error;
        return failed(effect, error, []);
      }
    }

    const s = stateOf(resource, plan.type, context);
    if (decision === undefined) {
      decision = decisionFor(plan, s);
      if (decision.is === 'not-applicable') return explain ? decision.explained : decision.quiet;
    }
    const trace: ConditionTrace[] | null = explain ? [] : null;
    try {
      if (ifNotExists) {
        // Decided true by the type: evaluating `if` again would only record its conditions.
        if ((decision !== APPLIES || trace) && !condition.evaluate(s, trace))
          return trace ? verdict('notApplicable', effect, 'if-false', notApplicableSummary, trace) : quiet.notApplicable;
        if (!details) throw new EvaluationError('missing-context', `${effect} needs then.details`, 'then.details');
        return evaluateRelated(effect, context, details, s, trace ?? []);
      }
      if (decision !== APPLIES) {
        if (!condition.evaluate(s, trace, applicability)) return trace ? verdict('notApplicable', effect, 'not-targeted', notApplicableSummary, trace) : quiet.notApplicable;
        if (trace) trace.length = 0;
      }
      if (condition.evaluate(s, trace)) return trace ? verdict('nonCompliant', effect, 'if-true', nonCompliantSummary, trace) : quiet.nonCompliant;
      return trace ? verdict('compliant', effect, 'if-not-matched', compliantSummary, trace) : quiet.compliant;
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      return failed(effect, error, trace ?? []);
    }
  };
  return { evaluate, fixedVerdict };
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const evaluateRelated = (
  effect: EffectName,
  context: Omit<EvaluationContext, 'parameters'>,
  details: Details,
  s: EvalState,
  ifTrace: readonly ConditionTrace[],
): Verdict => {
  const resource = s.resource;
  const relatedType = String(details.type.evaluate(s));
  const name = details.name ? String(details.name.evaluate(s)) : undefined;
  const { subscriptionId, resourceGroup } = resourceScope(resource);
  const nested = childOrExtension(relatedType, s.resourceType);
  // "If type is a resource type underneath the if condition resource, the policy queries for resources of
  // this type within the scope of the evaluated resource"; otherwise the resource group or subscription.
  // Built field by field, not with a spread (microseconds per object on V8).
  const scope = nested ?? details.existenceScope;
  const query: Mutable<RelatedResourceQuery> = name ? { type: relatedType, name, scope } : { type: relatedType, scope };
  if (nested) {
    query.resourceId = resource.id;
    query.subscriptionId = subscriptionId;
    query.resourceGroup = resourceGroup;
  } else if (scope === 'subscription') {
    query.subscriptionId = subscriptionId;
  } else {
    query.subscriptionId = subscriptionId;
    query.resourceGroup = details.resourceGroupName ? String(details.resourceGroupName.evaluate(s)) : resourceGroup;
  }
  if (!context.related)
    throw new EvaluationError('missing-context', `${effect} looks for related ${relatedType} resources; pass context.related to supply them`, 'then.details');

  // Of what the caller offers, the resources of the type and name asked for, where Azure looks.
  const wantedType = relatedType.toLowerCase();
  const candidates: PolicyResource[] = [];
  let elsewhere = 0;
  let inScope: ((id: string) => boolean) | undefined;
  for (const r of context.related(query)) {
    if (typeOf(r) !== wantedType || (name && !nameMatches(r, name))) continue;
    if (typeof r.id !== 'string' || !r.id)
      throw new EvaluationError(
        'missing-context',
        `the related ${relatedType} ${resourceName(r) ?? '(unnamed)'} has no id, so whether it is ${describeRelatedScope(query)} cannot be told`,
        'then.details',
      );
    if (!inScope) {
      const prefix = relatedScopePrefix(query);
      if (prefix === undefined)
        throw new EvaluationError(
          'missing-context',
          `${effect} looks for related ${relatedType} resources ${describeRelatedScope(query)}, which the evaluated resource's id does not say`,
          'then.details',
        );
      inScope = idsUnder(prefix);
    }
    if (inScope(r.id)) candidates.push(r);
    else elsewhere++;
  }
  const evaluations: RelatedEvaluation[] = [];
  for (const related of candidates) {
    // The candidate's own state; the existence condition's conditions charge themselves.
    spend(s.env, 2);
    const conditions: ConditionTrace[] = [];
    const target: EvalState = { env: s.env, resource, resourceType: s.resourceType, target: related, targetType: typeOf(related) || wantedType, scope: undefined };
    const satisfied = details.existenceCondition ? details.existenceCondition.evaluate(target, conditions) : true;
    evaluations.push({ resource: related.id ?? resourceName(related) ?? '(unnamed)', satisfied, conditions });
    if (satisfied) {
      return verdict(
        'compliant',
        effect,
        'related-resource-satisfies',
        `Compliant: related ${relatedType} ${resourceName(related) ?? '(unnamed)'} satisfies the existence condition.`,
        ifTrace,
        relatedOutcome(query, candidates.length, elsewhere, evaluations),
      );
    }
  }
  const described = `${relatedType}${name ? ` named ${name}` : ''}`;
  return candidates.length
    ? verdict(
        'nonCompliant',
        effect,
        'no-related-resource-satisfies',
        `Non-compliant (${effect}): no related ${described} satisfies the existence condition.`,
        ifTrace,
        relatedOutcome(query, candidates.length, elsewhere, evaluations),
      )
    : verdict('nonCompliant', effect, 'no-related-resource', `Non-compliant (${effect}): no related ${described} exists.`, ifTrace, relatedOutcome(query, 0, elsewhere, evaluations));
};

/** What was looked for and found; `elsewhere` only when something was (the shape verdicts had before it). */
const relatedOutcome = (query: RelatedResourceQuery, candidates: number, elsewhere: number, evaluations: readonly RelatedEvaluation[]): NonNullable<Explanation['related']> =>
  elsewhere ? { query, candidates, elsewhere, evaluations } : { query, candidates, evaluations };
