// Parser for the ARM template expression language used inside policy rules:
// `[concat('tags[', parameters('tagName'), ']')]`, `[resourceGroup().tags[parameters('x')]]`, ...
// A string is an expression when it starts with `[` and ends with `]`; a leading `[[` escapes a
// literal string that starts with `[` (the bracket is dropped).
import { CompileError } from './errors';

export type ExpressionNode =
  | { readonly kind: 'literal'; readonly value: string | number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly ExpressionNode[] }
  | { readonly kind: 'property'; readonly target: ExpressionNode; readonly name: string }
  | { readonly kind: 'index'; readonly target: ExpressionNode; readonly index: ExpressionNode };

export type TemplateString = { readonly expression: ExpressionNode; readonly text: string } | { readonly literal: string };

/** Classifies a JSON string of a policy rule: an expression to evaluate, or a literal (with `[[` unescaped). */
export const parseTemplateString = (text: string, path?: string): TemplateString => {
  if (text.startsWith('[[')) return { literal: text.slice(1) };
  if (text.length >= 2 && text.startsWith('[') && text.endsWith(']')) return { expression: parseExpression(text.slice(1, -1), path), text };
  return { literal: text };
};

export const parseExpression = (source: string, path?: string): ExpressionNode => {
  let at = 0;
  const fail = (message: string): never => {
    throw new CompileError('invalid-expression', `${message} at character ${at + 1} of "[${source}]"`, path);
  };
  const skipSpace = () => {
    while (at < source.length && /\s/.test(source[at])) at++;
  };
  const peek = () => {
    skipSpace();
    return source[at];
  };
  const expect = (ch: string) => {
    if (peek() !== ch) fail(`expected "${ch}"`);
    at++;
  };
  const identifier = () => {
    skipSpace();
    const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(at));
    if (!m) return fail('expected a name');
    at += m[0].length;
    return m[0];
  };
  const stringLiteral = (): ExpressionNode => {
    at++; // opening quote
    let value = '';
    for (;;) {
      if (at >= source.length) fail('unterminated string');
      const ch = source[at++];
      if (ch !== "'") value += ch;
      else if (source[at] === "'") {
        value += "'";
        at++;
      } else break;
    }
    return { kind: 'literal', value };
  };
  const primary = (): ExpressionNode => {
    const ch = peek();
    if (ch === "'") return stringLiteral();
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(at));
    if (number) {
      at += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    const name = identifier();
    expect('(');
    const args: ExpressionNode[] = [];
    if (peek() !== ')') {
      args.push(expression());
      while (peek() === ',') {
        at++;
        args.push(expression());
      }
    }
    expect(')');
    return { kind: 'call', name, args };
  };
  const expression = (): ExpressionNode => {
    let node = primary();
    for (;;) {
      const ch = peek();
      if (ch === '.') {
        at++;
        node = { kind: 'property', target: node, name: identifier() };
      } else if (ch === '[') {
        at++;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  };
  const node = expression();
  if (peek() !== undefined) fail('unexpected text');
  return node;
};

/** Source text of a parsed expression (for explanations). */
export const printExpression = (node: ExpressionNode): string => {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value.replace(/'/g, "''")}'` : String(node.value);
    case 'call':
      return `${node.name}(${node.args.map(printExpression).join(', ')})`;
    case 'property':
      return `${printExpression(node.target)}.${node.name}`;
    case 'index':
      return `${printExpression(node.target)}[${printExpression(node.index)}]`;
  }
};
