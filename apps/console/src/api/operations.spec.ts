// Every document the console sends is valid against the committed SDL: a renamed field or a new
// required argument fails here, not in a customer's browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { buildSchema, parse, validate } from 'graphql';
import * as operations from './operations';

const schema = buildSchema(readFileSync(join(__dirname, '..', '..', '..', '..', 'libs', 'graphql-api', 'schema.graphql'), 'utf8'));

const documents: [string, string][] = [
  ...Object.entries(operations as Record<string, unknown>).flatMap(([name, value]): [string, string][] => (typeof value === 'string' ? [[name, value]] : [])),
  ...Object.entries(operations.INCIDENT_MUTATIONS),
  ['tenantScoresQuery(3)', operations.tenantScoresQuery(3)],
  ['tenantSeriesQuery(2)', operations.tenantSeriesQuery(2)],
];

describe('console GraphQL documents', () => {
  it('covers every document', () => {
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents)('%s is valid against schema.graphql', (_name, document) => {
    expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
  });

  // The API's default limits (RAMPART_GRAPHQL_MAX_DEPTH / _COST / _ALIASES, as libs/graphql-api
  // applies them): a page size too large for the cost limit is refused with a 400 in the browser.
  const limits = new ApolloArmor({
    maxDepth: { n: 10, ignoreIntrospection: false },
    costLimit: { maxCost: 5_000, ignoreIntrospection: false },
    maxAliases: { n: 15 },
    maxTokens: { enabled: false },
    maxDirectives: { n: 20 },
  }).protect().validationRules;

  it.each(documents)("%s stays within the API's default depth, cost and alias limits", (_name, document) => {
    expect(validate(schema, parse(document), limits).map((e) => e.message)).toEqual([]);
  });
});
