// Refuses GraphQL documents with too many tokens before anything parses them: parsing cost grows
// with the document, and depth/cost limits only run after a full parse. A document that does not
// lex is left to GraphQL's own parser, which answers with a proper syntax error.
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

export const countTokens = (query: string, max: number): number => {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++count > max) return count;
    }
  } catch (error) {
    if (error instanceof GraphQLError) return count; // a syntax error: the parser reports it
    throw error;
  }
  return count;
};

/**
 * Documents already counted within the limit, so that the console's few documents, sent again and
 * again, are lexed once (Apollo keeps their parsed form too). Bounded in entries and in the size of
 * what it holds; a caller sending ever new documents only gets them counted each time.
 */
class WithinLimit {
  private readonly documents = new Set<string>();
  constructor(
    private readonly maxEntries = 500,
    private readonly maxLength = 16 * 1024,
  ) {}

  has(query: string): boolean {
    return this.documents.has(query);
  }

  add(query: string): void {
    if (query.length > this.maxLength) return;
    this.documents.add(query);
    if (this.documents.size > this.maxEntries) this.documents.delete(this.documents.values().next().value as string);
  }
}

export const tokenLimit = (maxTokens: number) => {
  const counted = new WithinLimit();
  return (req: Request, res: Response, next: NextFunction) => {
    const query = (req.body as { query?: unknown } | undefined)?.query;
    if (typeof query !== 'string' || counted.has(query)) return next();
    if (countTokens(query, maxTokens) <= maxTokens) {
      counted.add(query);
      return next();
    }
    res.status(400).json({
      errors: [{ message: `the document has more than ${maxTokens} tokens`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
  };
};
