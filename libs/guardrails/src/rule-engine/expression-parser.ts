// Parser for the ARM template expression language used inside policy rules:
// `[concat('tags[', parameters('tagName'), ']')]`, `[resourceGroup().tags[parameters('x')]]`, ...
// A string is an expression when it starts with `[` and ends with `]`; a leading `[[` escapes a
// literal string that starts with `[` (the bracket is dropped).
import { CompileError } from './errors';
import { LIMITS } from './limits';

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

/**
 * Parses the text between the outer brackets. Nesting is limited (LIMITS.expressionDepth), counted
 * as the parser descends: the parser and everything that walks the tree recurse once per level.
 */
export const parseExpression = (source: string, path?: string): ExpressionNode => {
  let at = 0;
  const shown = () => (source.length > 200 ? `${source.slice(0, 199)}…` : source);
  const fail = (message: string): never => {
    throw new CompileError('invalid-expression', `${message} at character ${at + 1} of "[${shown()}]"`, path);
  };
  /** `depth` levels of calls, properties and indexes so far: refused past the limit. */
  const within = (depth: number): number => {
    if (depth > LIMITS.expressionDepth)
      throw new CompileError(
        'nesting-too-deep',
        `the expression nests calls, properties and indexes more than ${LIMITS.expressionDepth} deep at character ${at + 1} of "[${shown()}]"`,
        path,
      );
    return depth;
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
  // Each returns the node and how deep it nests (a literal: 1).
  const primary = (level: number): [ExpressionNode, number] => {
    const ch = peek();
    if (ch === "'") return [stringLiteral(), 1];
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(at));
    if (number) {
      at += number[0].length;
      return [{ kind: 'literal', value: Number(number[0]) }, 1];
    }
    const name = identifier();
    expect('(');
    const args: ExpressionNode[] = [];
    let depth = 1;
    const argument = () => {
      const [arg, argDepth] = expression(level + 1);
      args.push(arg);
      depth = Math.max(depth, within(argDepth + 1));
    };
    if (peek() !== ')') {
      argument();
      while (peek() === ',') {
        at++;
        argument();
      }
    }
    expect(')');
    return [{ kind: 'call', name, args }, depth];
  };
  const expression = (level: number): [ExpressionNode, number] => {
    within(level);
    let [node, depth] = primary(level);
    for (;;) {
      const ch = peek();
      if (ch === '.') {
        at++;
        node = { kind: 'property', target: node, name: identifier() };
        depth = within(depth + 1);
      } else if (ch === '[') {
        at++;
        const [index, indexDepth] = expression(level + 1);
        expect(']');
        node = { kind: 'index', target: node, index };
        depth = within(Math.max(depth, indexDepth) + 1);
      } else return [node, depth];
    }
  };
  const [node] = expression(1);
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
