// Every document the console sends is valid against the committed SDL: a renamed field or a new
// required argument fails here, not in a customer's browser.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
});
