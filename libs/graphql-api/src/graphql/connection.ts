// Relay-style connections: opaque cursors over a stable sort key, `first` capped so a client
// cannot ask for everything at once.
import type { Type } from '@nestjs/common';
import { Field, ObjectType } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import { unstorableTextIn } from '@rampart/event-sourcing';
import { InheritsAuthorization } from '../authorization/rules';

export const MAX_PAGE = 100;

@ObjectType()
@InheritsAuthorization()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export const encodeCursor = (key: string): string => Buffer.from(JSON.stringify({ k: key })).toString('base64url');

export const decodeCursor = (cursor: string | null | undefined): string | undefined => {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown };
    // Our cursors hold keys we wrote; one holding text no key has is forged.
    if (typeof parsed.k === 'string' && parsed.k.length <= 1_024 && !unstorableTextIn(parsed.k)) return parsed.k;
  } catch {
    // fall through
  }
  throw new GraphQLError('invalid cursor: pass an endCursor this API returned', { extensions: { code: 'BAD_USER_INPUT' } });
};

/** A page size argument; `argument` names it in the error (`first`, `last`, …). */
export const pageSize = (first: number | null | undefined, argument = 'first', fallback = 50): number => {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) {
    throw new GraphQLError(`${argument} must be between 1 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return n;
};

/** Rows fetched with LIMIT first + 1, sorted by key: builds edges and page info. */
export const toConnection = <T>(rows: T[], first: number, keyOf: (row: T) => string) => {
  const page = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(keyOf(page[page.length - 1])) : null },
  };
};

/**
 * A Relay connection type for a node type: `<Name>Connection { edges: [<Name>Edge!]!, pageInfo }`
 * with `<Name>Edge { cursor, node }`. Both carry no tenant data of their own: the node's rule applies.
 */
export const connectionOf = <T>(node: Type<T>, name: string) => {
  @ObjectType(`${name}Edge`)
  @InheritsAuthorization()
  class Edge {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  @InheritsAuthorization()
  class Connection {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return Connection;
};
