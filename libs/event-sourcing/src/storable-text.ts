// Text no event store can keep and no real input holds: the NUL character (PostgreSQL's text and
// jsonb refuse it) and UTF-16 surrogates without their pair (not Unicode at all; jsonb refuses
// them too). Every edge refuses input holding either with a reason (a GraphQL argument, a pushed
// or ingested resource), instead of failing when the event is appended.

/** In a JSON text, an escape that may stand for such a character: `\u0000` or a surrogate `\uD800`–`\uDFFF`. */
const SUSPECT_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;
// Without the `u` flag a regular expression sees UTF-16 code units, so unpaired surrogates show.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const describe = (text: string) => (text.includes('\u0000') ? 'a NUL character' : 'an unpaired UTF-16 surrogate');

/** Where `value` holds unstorable text (a JSON path and what), or undefined. Walks keys and strings. */
export const unstorableTextIn = (value: unknown, path = '$'): string | undefined => {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? `${path} holds ${describe(value)}` : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unstorableTextIn(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return `a property name under ${path} holds ${describe(key)}`;
      const found = unstorableTextIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
};

/**
 * The same answer for a value whose JSON text is at hand: a native scan of the text, and the walk
 * only when the text has an escape that might be one (a NUL or a surrogate can only appear escaped
 * in JSON read from a UTF-8 file or made by JSON.stringify).
 */
export const unstorableTextInJson = (value: unknown, json: string): string | undefined =>
  SUSPECT_ESCAPE.test(json) ? unstorableTextIn(value) : undefined;

/** For text that goes into the record whatever it holds (a refused item's id): unstorable characters become U+FFFD. */
export const storableText = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  UNSTORABLE.test(text) ? text.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') : text;

/**
 * Whether a JSON value nests deeper than `max` levels, without recursion (a value built to overflow
 * the stack cannot). Every store and every walker of ours recurses over what it records, so input
 * nesting deeper than any real configuration is refused at the edge.
 */
export const nestsDeeperThan = (root: unknown, max: number): boolean => {
  const values: unknown[] = [root];
  const depths: number[] = [1];
  while (values.length) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    if (Array.isArray(value)) {
      for (const child of value) {
        values.push(child);
        depths.push(depth + 1);
      }
    } else {
      for (const key in value) {
        values.push((value as Record<string, unknown>)[key]);
        depths.push(depth + 1);
      }
    }
  }
  return false;
};
