// Walks the committed SDL into fuzzable operations: for every Query and Mutation field, a document
// whose every argument (and every argument of the nested fields it selects) is a variable, a small
// valid selection of the return type, and the positions (leaves) a hostile value can be put at.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  astFromValue,
  buildSchema,
  print,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

export const SCHEMA_FILE = join(__dirname, '..', '..', '..', '..', 'graphql-api', 'schema.graphql');

export const loadCommittedSchema = (file = SCHEMA_FILE): GraphQLSchema => buildSchema(readFileSync(file, 'utf8'));

/** Nesting of object selections below the operation: the root field's own selection is level 1. */
export const MAX_SELECTION_LEVEL = 3;

/** A position in the variables a value can be put at: a variable, or a field of an input object in it. */
export interface InputSlot {
  /** From the variables' root: `['input', 'tenantId']`, `['first']`, `['filter', 'tag', 'name']`. */
  readonly path: readonly string[];
  /** The argument or input field name (what the value means: tenantId, after, definitionJson…). */
  readonly name: string;
  readonly type: GraphQLInputType;
  /** Non-null without a default: leaving it out is invalid. */
  readonly required: boolean;
  /** An input object (or a list of them): its fields are slots too. */
  readonly container: boolean;
}

export interface VariableSpec {
  readonly name: string;
  /** The argument's default as GraphQL text, declared with the variable (a non-null one may then be left out). */
  readonly defaultText?: string;
  /** The argument it is bound to (a nested field's argument has a longer variable name). */
  readonly argName: string;
  readonly type: GraphQLInputType;
  readonly required: boolean;
}

export interface FuzzOperation {
  /** `Query.incident`, `Mutation.openIncident`. */
  readonly name: string;
  readonly operationType: 'query' | 'mutation';
  readonly field: string;
  readonly document: string;
  readonly variables: readonly VariableSpec[];
  readonly slots: readonly InputSlot[];
  /** Whether the answer can be a Rejection (a union with it). */
  readonly rejectable: boolean;
}

const unwrapNonNull = (type: GraphQLInputType): GraphQLInputType => (isNonNullType(type) ? (type.ofType as GraphQLInputType) : type);

const isRequired = (type: GraphQLInputType, defaultValue: unknown) => isNonNullType(type) && defaultValue === undefined;

/** Every slot of a value of `type` at `path`, the value's own slot first. */
export const slotsOf = (path: readonly string[], name: string, type: GraphQLInputType, required: boolean): InputSlot[] => {
  const named = getNamedType(type);
  const inner = unwrapNonNull(type);
  if (!isInputObjectType(named)) return [{ path, name, type, required, container: false }];
  const own: InputSlot = { path, name, type, required, container: true };
  // A list of input objects is one slot (its elements are generated whole); a plain input object
  // opens up into its fields.
  if (isListType(inner)) return [own];
  return [
    own,
    ...Object.values(named.getFields()).flatMap((f) => slotsOf([...path, f.name], f.name, f.type, isRequired(f.type, f.defaultValue))),
  ];
};

interface SelectionBuilder {
  readonly variables: VariableSpec[];
}

const argsOf = (field: GraphQLField<unknown, unknown>, prefix: string, b: SelectionBuilder): string => {
  if (field.args.length === 0) return '';
  const parts = field.args.map((a: GraphQLArgument) => {
    const variable = prefix ? `${prefix}_${a.name}` : a.name;
    const defaultAst = a.defaultValue === undefined ? undefined : astFromValue(a.defaultValue, a.type);
    b.variables.push({ name: variable, argName: a.name, type: a.type, required: isRequired(a.type, a.defaultValue), defaultText: defaultAst ? print(defaultAst) : undefined });
    return `${a.name}: $${variable}`;
  });
  return `(${parts.join(', ')})`;
};

/** Fields of an object type within the level limit, `__typename` first. */
const objectSelection = (type: GraphQLObjectType, level: number, path: string[], b: SelectionBuilder, typename = true): string => {
  const parts = typename ? ['__typename'] : [];
  for (const field of Object.values(type.getFields())) {
    // Nested fields with a required argument would need more than a small selection.
    if (field.args.some((a) => isRequired(a.type, a.defaultValue))) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(`${field.name}${argsOf(field, [...path, field.name].join('_'), b)}`);
    } else if (level < MAX_SELECTION_LEVEL) {
      const nested = selectionOf(field.type, level + 1, [...path, field.name], b);
      if (nested) parts.push(`${field.name}${argsOf(field, [...path, field.name].join('_'), b)} ${nested}`);
    }
  }
  return parts.join(' ');
};

/** The selection set for a value of `type` at `level` (1 for the operation's field), or '' for a leaf. */
const selectionOf = (type: GraphQLOutputType, level: number, path: string[], b: SelectionBuilder): string => {
  const named: GraphQLNamedType = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isObjectType(named)) return `{ ${objectSelection(named, level, path, b)} }`;
  if (isUnionType(named)) {
    // Members share the level: an inline fragment adds no depth. Rejection first, as `code` tells a refusal.
    const members = [...named.getTypes()].sort((a, b2) => (a.name === 'Rejection' ? -1 : b2.name === 'Rejection' ? 1 : 0));
    const fragments = members.map((m) => `... on ${m.name} { ${objectSelection(m, level, [...path, m.name], b, false)} }`);
    return `{ __typename ${fragments.join(' ')} }`;
  }
  throw new Error(`no selection for ${named.name} (interfaces are not used by this schema)`);
};

const declaration = (v: VariableSpec) => `$${v.name}: ${String(v.type)}${v.defaultText ? ` = ${v.defaultText}` : ''}`;

export const operationOf = (schema: GraphQLSchema, operationType: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): FuzzOperation => {
  const b: SelectionBuilder = { variables: [] };
  const args = argsOf(field, '', b);
  const selection = selectionOf(field.type, 1, [], b);
  const definitions = b.variables.map(declaration).join(', ');
  const opName = `Fuzz_${field.name}`;
  const document = `${operationType} ${opName}${definitions ? `(${definitions})` : ''} { ${field.name}${args}${selection ? ` ${selection}` : ''} }`;
  const named = getNamedType(field.type);
  return {
    name: `${operationType === 'query' ? 'Query' : 'Mutation'}.${field.name}`,
    operationType,
    field: field.name,
    document,
    variables: b.variables,
    slots: b.variables.flatMap((v) => slotsOf([v.name], v.argName, v.type, v.required)),
    rejectable: isUnionType(named) && named.getTypes().some((t) => t.name === 'Rejection'),
  };
};

/** Every Query and Mutation field of the schema, queries first, in schema order. */
export const fuzzOperations = (schema: GraphQLSchema): FuzzOperation[] => {
  const out: FuzzOperation[] = [];
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) for (const f of Object.values(query.getFields())) out.push(operationOf(schema, 'query', f));
  if (mutation) for (const f of Object.values(mutation.getFields())) out.push(operationOf(schema, 'mutation', f));
  return out;
};

/** What a slot's type accepts at the leaf: the scalar name, or ENUM:<values>, or INPUT:<name>. */
export const leafTypeOf = (type: GraphQLInputType): { scalar?: string; enumValues?: string[]; input?: string; list: boolean; nonNull: boolean } => {
  const nonNull = isNonNullType(type);
  const inner = unwrapNonNull(type);
  const list = isListType(inner);
  const named = getNamedType(type);
  if (isEnumType(named)) return { enumValues: named.getValues().map((v) => v.name), list, nonNull };
  if (isInputObjectType(named)) return { input: named.name, list, nonNull };
  return { scalar: named.name, list, nonNull };
};

/**
 * The smallest document for the operation: its own arguments only, and just `__typename` (and a
 * Rejection's code) selected. Undefined when a nested field's argument is among `variables`.
 */
export const smallDocument = (op: FuzzOperation, variables: Record<string, unknown>): string | undefined => {
  const rootArgs = op.variables.filter((v) => v.name === v.argName);
  if (Object.keys(variables).some((name) => !rootArgs.some((v) => v.name === name))) return undefined;
  const used = rootArgs.filter((v) => v.required || v.name in variables);
  const definitions = used.map(declaration).join(', ');
  const args = used.map((v) => `${v.argName}: $${v.name}`).join(', ');
  const selection = op.rejectable ? '{ __typename ... on Rejection { code message } }' : '{ __typename }';
  return `${op.operationType}${definitions ? `(${definitions})` : ''} { ${op.field}${args ? `(${args})` : ''} ${selection} }`;
};
