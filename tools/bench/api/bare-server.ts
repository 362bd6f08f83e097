// The baseline: a bare @apollo/server (standalone, no authentication, no plugins, no limits)
// answering the same tenants connection from an in-memory array, sorted by tenant id as the read
// model's primary key sorts it, and the heavier shapes from answers held in memory. What is left is
// GraphQL parsing, validation, execution and HTTP: the floor any GraphQL API on this stack pays.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import type { BareTenant } from './seed';

/**
 * Answers of the heavier shapes, as Rampart computed them for the same data: the bare server
 * serves them from memory, so what is left is GraphQL execution and HTTP for the same shape.
 */
export interface BareAnswers {
  readonly incidents?: unknown;
  readonly complianceScore?: unknown;
}

/**
 * Rampart's own published SDL, so every shape is answered with the very types, fields and nesting
 * Rampart answers with; only the root fields the bench asks for get resolvers.
 */
const typeDefs = readFileSync(path.join(__dirname, '..', '..', '..', 'libs', 'graphql-api', 'schema.graphql'), 'utf8');

// The same opaque cursors as Rampart's connections.
const encodeCursor = (key: string): string => Buffer.from(JSON.stringify({ k: key })).toString('base64url');
const decodeCursor = (cursor: string): string => (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k: string }).k;

/** Index of the first entry whose id is greater than `key` (the array is sorted by id). */
const firstAfter = (tenants: readonly BareTenant[], key: string): number => {
  let lo = 0;
  let hi = tenants.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tenants[mid].tenantId <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

export interface BareServer {
  readonly url: string;
  stop(): Promise<void>;
}

export const startBareServer = async (entries: readonly BareTenant[], answers: BareAnswers = {}): Promise<BareServer> => {
  const tenants = [...entries].sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
  const server = new ApolloServer({
    typeDefs,
    resolvers: {
      Query: {
        tenants: (_parent: unknown, args: { first?: number | null; after?: string | null }) => {
          const first = args.first ?? 50;
          if (!Number.isInteger(first) || first < 1 || first > 100) throw new GraphQLError('first must be between 1 and 100');
          const start = args.after ? firstAfter(tenants, decodeCursor(args.after)) : 0;
          const page = tenants.slice(start, start + first);
          return {
            edges: page.map((node) => ({ cursor: encodeCursor(node.tenantId), node })),
            pageInfo: {
              hasNextPage: start + first < tenants.length,
              endCursor: page.length ? encodeCursor(page[page.length - 1].tenantId) : null,
            },
          };
        },
        incidents: () => answers.incidents,
        complianceScore: () => answers.complianceScore,
      },
    },
  });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { url: url.replace(/\/$/, ''), stop: () => server.stop() };
};
