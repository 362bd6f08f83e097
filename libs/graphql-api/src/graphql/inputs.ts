// Refusing bad arguments the same way everywhere: BAD_USER_INPUT with what was expected.
import { GraphQLError } from 'graphql';
import { nestsDeeperThan, parseInstant, unstorableTextIn } from '@rampart/event-sourcing';

export const badInput = (message: string, extensions: Record<string, unknown> = {}): GraphQLError =>
  new GraphQLError(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });

/** An ISO-8601 argument as a Date. */
export const instantArg = (text: string, name: string): Date => {
  const at = parseInstant(text);
  if (!at) throw badInput(`${name} is an ISO-8601 time with its offset, e.g. 2026-11-01T00:00:00Z; got "${text.slice(0, 100)}"`);
  return at;
};

/** A [from, to) period argument pair. */
export const periodArgs = (from: string, to: string): { start: Date; end: Date } => {
  const start = instantArg(from, 'from');
  const end = instantArg(to, 'to');
  if (start >= end) throw badInput('from comes before to');
  return { start, end };
};

/** How deeply a JSON argument may nest: more than any real parameter set or alert, far less than a stack. */
export const MAX_JSON_ARGUMENT_DEPTH = 64;

/** A JSON-text argument, parsed: refused when it is not JSON, nests too deeply, or holds text that cannot be stored. */
export const jsonArg = (text: string, name: string): unknown => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badInput(`${name} is not JSON: ${(error as Error).message}`);
  }
  if (nestsDeeperThan(value, MAX_JSON_ARGUMENT_DEPTH)) throw badInput(`${name} nests deeper than ${MAX_JSON_ARGUMENT_DEPTH} levels`);
  const unstorable = unstorableTextIn(value, name);
  if (unstorable) throw badInput(`${unstorable}, which cannot be stored`, { reason: 'invalid-text' });
  return value;
};

/** An optional JSON argument that must be an object (values by name): undefined when absent. */
export const jsonObjectArg = (text: string | undefined, name: string): Record<string, unknown> | undefined => {
  if (!text) return undefined;
  const value = jsonArg(text, name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badInput(`${name} must be a JSON object`);
  return value as Record<string, unknown>;
};
