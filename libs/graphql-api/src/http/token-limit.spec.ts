// The token limit before parsing: a document over it is refused every time, one within it passes,
// and documents counted once are not counted again (the console sends the same few all day).
import type { NextFunction, Request, Response } from 'express';
import * as graphql from 'graphql';
import { countTokens, tokenLimit } from './token-limit';

const call = (middleware: ReturnType<typeof tokenLimit>, query: unknown) => {
  const res = { statusCode: 200, body: undefined as unknown, status(code: number) { this.statusCode = code; return this; }, json(body: unknown) { this.body = body; return this; } };
  let passed = false;
  middleware({ body: { query } } as Request, res as unknown as Response, (() => (passed = true)) as NextFunction);
  return { passed, res };
};

describe('tokenLimit', () => {
  it('counts tokens, stopping past the limit', () => {
    expect(countTokens('{ a b c }', 100)).toBe(5);
    expect(countTokens('{ a b c d e f }', 3)).toBe(4);
    expect(countTokens('{ a "unterminated }', 100)).toBe(2);
  });

  it('refuses a document over the limit every time, and passes one within it', () => {
    const limit = tokenLimit(5);
    for (let i = 0; i < 3; i++) {
      const { passed, res } = call(limit, '{ a b c d e f }');
      expect(passed).toBe(false);
      expect(res.statusCode).toBe(400);
      expect(res.body).toEqual({ errors: [{ message: 'the document has more than 5 tokens', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    }
    expect(call(limit, '{ a b }').passed).toBe(true);
    expect(call(limit, undefined).passed).toBe(true);
  });

  it('lexes a document within the limit once, however often it comes', () => {
    const limit = tokenLimit(100);
    const lexer = jest.spyOn(graphql.Lexer.prototype, 'advance');
    call(limit, '{ tenants { edges { node { tenantId } } } }');
    const once = lexer.mock.calls.length;
    expect(once).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect(call(limit, '{ tenants { edges { node { tenantId } } } }').passed).toBe(true);
    expect(lexer.mock.calls.length).toBe(once);
    lexer.mockRestore();
  });
});
