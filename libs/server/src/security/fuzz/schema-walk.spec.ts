// The fuzzer's own inputs, checked without a server: every generated document is valid for the
// committed schema and within the API's default query limits (so a refusal is about the variables,
// never the document), and every valid-shaped baseline coerces, so hostile values are the only
// thing wrong with an input.
import { ApolloArmor } from '@escape.tech/graphql-armor';
import fc from 'fast-check';
import { getVariableValues, parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { HOME, OTHER, TEAM, probeAlert, resourcesOf } from './fixtures';
import { fuzzOperations, loadCommittedSchema, smallDocument } from './schema-walk';
import { applyMutations, canonicalVariables, sweepOf, variablesArbitrary, type FuzzContext } from './values';

const schema = loadCommittedSchema();
const operations = fuzzOperations(schema);
// The API's defaults (RAMPART_GRAPHQL_MAX_DEPTH / _COST / _ALIASES).
const armor = new ApolloArmor({ maxDepth: { n: 10, ignoreIntrospection: false }, costLimit: { maxCost: 5_000 }, maxAliases: { n: 15 }, maxTokens: { enabled: false } }).protect();

const ctx: FuzzContext = {
  tenants: { home: HOME, team: TEAM, other: OTHER },
  ids: { incidentId: { home: ['inc-aaaaaaaaaaaa'], other: ['inc-bbbbbbbbbbbb'] }, keyId: { home: ['k1'], other: [] } },
  cursors: { 'Query.incidents': { home: ['eyJrIjoiYSJ9'], other: [] } },
  resources: resourcesOf(HOME),
  alert: probeAlert('a'),
  now: new Date('2026-12-06T12:00:00Z'),
};

const coerce = (document: string, variables: Record<string, unknown>) => {
  const definition = parse(document).definitions[0] as OperationDefinitionNode;
  const result = getVariableValues(schema, definition.variableDefinitions ?? [], variables, { maxErrors: 5 });
  return 'errors' in result && result.errors ? result.errors.map((e) => e.message) : [];
};

describe('schema fuzz inputs', () => {
  it('has an operation for every Query and Mutation field', () => {
    const count = Object.keys(schema.getQueryType()!.getFields()).length + Object.keys(schema.getMutationType()!.getFields()).length;
    expect(operations).toHaveLength(count);
  });

  it.each(operations.map((o) => [o.name, o] as const))('%s: a valid document within the query limits', (_name, op) => {
    expect(validate(schema, parse(op.document), [...specifiedRules, ...armor.validationRules]).map((e) => e.message)).toEqual([]);
    const small = smallDocument(op, canonicalVariables(op, ctx));
    if (small) expect(validate(schema, parse(small), specifiedRules).map((e) => e.message)).toEqual([]);
  });

  it.each(operations.map((o) => [o.name, o] as const))('%s: valid-shaped variables coerce; hostile ones are JSON', (_name, op) => {
    expect(coerce(op.document, canonicalVariables(op, ctx))).toEqual([]);
    for (const vars of [...fc.sample(variablesArbitrary(op, ctx), { seed: 7, numRuns: 40 }), ...sweepOf(op, ctx, 7)]) {
      expect(coerce(op.document, vars.baseline)).toEqual([]);
      const sent = JSON.parse(JSON.stringify(applyMutations(vars)));
      expect(typeof sent).toBe('object');
    }
  });
});
