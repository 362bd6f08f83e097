// Refusing bad arguments the same way everywhere: BAD_USER_INPUT with what was expected.
import { GraphQLError } from 'graphql';

export const badInput = (message: string, extensions: Record<string, unknown> = {}): GraphQLError =>
  new GraphQLError(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });

/** An ISO-8601 argument as a Date. */
export const instantArg = (text: string, name: string): Date => {
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw badInput(`${name} is an ISO-8601 time, e.g. 2026-11-01T00:00:00Z; got "${text}"`);
  return at;
};

/** A [from, to) period argument pair. */
export const periodArgs = (from: string, to: string): { start: Date; end: Date } => {
  const start = instantArg(from, 'from');
  const end = instantArg(to, 'to');
  if (start >= end) throw badInput('from comes before to');
  return { start, end };
};
