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

export const tokenLimit = (maxTokens: number) => (req: Request, res: Response, next: NextFunction) => {
  const query = (req.body as { query?: unknown } | undefined)?.query;
  if (typeof query === 'string' && countTokens(query, maxTokens) > maxTokens) {
    res.status(400).json({
      errors: [{ message: `the document has more than ${maxTokens} tokens`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    return;
  }
  next();
};
