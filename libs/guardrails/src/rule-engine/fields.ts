// `field` references: the documented keywords (name, fullName, kind, type, location, id, identity.type,
// tags in its spellings), identity.userAssignedIdentities (which built-ins read as a field) and aliases.
// Each is resolved once, at compile time, into a reader; aliases become per-type JSON paths, so
// evaluating a resource does no alias lookup.
// Array aliases (`[*]`) select a collection; inside `count.where` the counted array is narrowed to the
// current member (docs: author-policies-for-arrays, "Referencing array resource properties").
import type { AliasTable } from '../aliases/alias-table';
import { CompileError, EvaluationError } from './errors';
import { getKey, normaliseLocation, type PolicyResource, resourceFullName, resourceName } from './resource';

/** Path segments; `*` is an array wildcard. Compared ignoring case. */
export interface JsonPath {
  readonly segments: readonly string[];
  readonly lower: readonly string[];
  readonly collection: boolean;
}

export const parsePath = (text: string): JsonPath => {
  const segments = text
    .replace(/\[\*\]/g, '.*')
    .split('.')
    .filter((s) => s !== '');
  const lower = segments.map((s) => s.toLowerCase());
  return { segments, lower, collection: lower.includes('*') };
};

/** A count iteration: the member of a counted array (field count) or of a value array (value count). */
export type Scope =
  | {
      readonly kind: 'field';
      readonly parent: Scope | undefined;
      /** The document whose array is counted, its type (lowercase) and the counted path (lowercase segments). */
      readonly doc: PolicyResource;
      readonly docType: string;
      readonly path: readonly string[];
      readonly element: unknown;
    }
  | { readonly kind: 'value'; readonly parent: Scope | undefined; readonly name: string; readonly element: unknown };

export type Selection = { readonly collection: false; readonly value: unknown } | { readonly collection: true; readonly values: readonly unknown[] };

const MISSING: Selection = { collection: false, value: undefined };
const EMPTY: Selection = { collection: true, values: [] };

/** Values at `path` below `root`, from segment `from` on; missing members stay as `undefined`. */
const select = (root: unknown, path: JsonPath, from: number): unknown[] => {
  let values: unknown[] = [root];
  for (let i = from; i < path.segments.length; i++) {
    const segment = path.segments[i];
    if (segment === '*') {
      const members: unknown[] = [];
      // As flatMap does: holes in an array are skipped (JSON has none).
      for (const v of values) if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (k in v) members.push(v[k]);
      values = members;
    } else {
      // In place: `values` is always an array this function made.
      for (let j = 0; j < values.length; j++) values[j] = getKey(values[j], segment);
    }
  }
  return values;
};

/** The one value at `path` below `root`, from segment `from` on (a path without `[*]`). */
export const selectOne = (root: unknown, path: JsonPath, from: number): unknown => {
  let value = root;
  for (let i = from; i < path.segments.length && value !== undefined; i++) value = getKey(value, path.segments[i]);
  return value;
};

const hasWildcardFrom = (path: JsonPath, from: number) => path.lower.indexOf('*', from) >= 0;

/** What `path` selects below `root` from segment `from` on: one value, or a collection if a `[*]` remains. */
export const selectBelow = (root: unknown, path: JsonPath, from: number): Selection =>
  hasWildcardFrom(path, from) ? { collection: true, values: select(root, path, from) } : { collection: false, value: selectOne(root, path, from) };

export const isPrefix = (prefix: readonly string[], of: readonly string[]) => prefix.length <= of.length && prefix.every((s, i) => s === of[i]);

/** The innermost field-count scope over this document whose counted array contains the path. */
const scopeFor = (scope: Scope | undefined, doc: PolicyResource, path: JsonPath) => {
  for (let s = scope; s; s = s.parent) if (s.kind === 'field' && s.doc === doc && isPrefix(s.path, path.lower)) return s;
  return undefined;
};

/** The members a field count enumerates: the elements at the alias's last `[*]`, within the enclosing counts. */
export const selectMembers = (reader: FieldReader, doc: PolicyResource, docType: string, scope: Scope | undefined): unknown[] => {
  const path = reader.pathFor(docType);
  if (!path) return [];
  const within = scopeFor(scope, doc, path);
  return within ? select(within.element, path, within.path.length) : select(doc, path, 0);
};

export type FieldCategory = 'type' | 'name' | 'kind' | 'other';

export interface FieldReader {
  /** As written in the rule. */
  readonly text: string;
  readonly category: FieldCategory;
  /** `location` values are normalised (`East US 2` = `eastus2`). */
  readonly location: boolean;
  /** An array alias: conditions must hold for every selected value. */
  readonly collection: boolean;
  /** What the field selects in `doc` (a resource of type `docType`, lowercase), within the count scopes. */
  read(doc: PolicyResource, docType: string, scope: Scope | undefined): Selection;
  /**
   * For fields that never select a collection: `read(...).value` without building the Selection
   * (conditions read fields on every evaluation).
   */
  readonly readOne?: (doc: PolicyResource, docType: string, scope: Scope | undefined) => unknown;
  /**
   * With readOne: `readOne(doc, docType, undefined)` for one type, worked out once (an alias's path
   * for that type, its segments fixed): what a condition outside any count reads. With `reads`, each
   * step is read once per evaluation, whichever condition reads it first.
   */
  readonly readerFor?: (docType: string, reads?: Reads) => (doc: PolicyResource) => unknown;
  /**
   * For array aliases: the JSON path for `docType`, so a count can enumerate it and `current()` can
   * find the member being counted.
   */
  pathFor(docType: string): JsonPath | undefined;
}

/**
 * Reads shared by the conditions of one specialised rule (conditions.ts): a value is read once per
 * evaluation of the resource, by whichever condition asks first. `key` names what is read exactly
 * (spellings matter: an exact key comes before a case-insensitive match).
 */
export interface Reads {
  once(key: string, read: (doc: PolicyResource) => unknown): (doc: PolicyResource) => unknown;
}

/** Reads for one specialised rule; `next()` before each evaluation. */
export const readsOnce = (): Reads & { next(): void } => {
  let evaluation = 0;
  const readers = new Map<string, (doc: PolicyResource) => unknown>();
  return {
    next: () => {
      evaluation++;
    },
    once: (key, read) => {
      let reader = readers.get(key);
      if (reader === undefined) {
        let readIn = -1;
        let value: unknown;
        reader = (doc) => {
          if (readIn !== evaluation) {
            value = read(doc);
            readIn = evaluation;
          }
          return value;
        };
        readers.set(key, reader);
      }
      return reader;
    },
  };
};

const keyword = (text: string, category: FieldCategory, get: (doc: PolicyResource) => unknown, location = false, key = text.toLowerCase()): FieldReader => ({
  text,
  category,
  location,
  collection: false,
  read: (doc) => ({ collection: false, value: get(doc) }),
  readOne: (doc) => get(doc),
  readerFor: (_docType, reads) => (reads ? reads.once(`field:${key}`, get) : get),
  pathFor: () => undefined,
});

const nothing = (): unknown => undefined;

/** selectOne(doc, path, 0) with the segments fixed: each step (`properties`, then `properties.x`) read once per evaluation with `reads`. */
const pathReader = (path: JsonPath | undefined, reads: Reads | undefined): ((doc: PolicyResource) => unknown) => {
  if (!path) return nothing;
  const segments = path.segments;
  if (!reads) {
    if (segments.length === 1) {
      const [a] = segments;
      return (doc) => getKey(doc, a);
    }
    if (segments.length === 2) {
      const [a, b] = segments;
      return (doc) => {
        const v = getKey(doc, a);
        return v === undefined ? undefined : getKey(v, b);
      };
    }
    return (doc) => selectOne(doc, path, 0);
  }
  let reader: (doc: PolicyResource) => unknown = (doc) => doc;
  for (let i = 0; i < segments.length; i++) {
    const above = reader;
    const segment = segments[i];
    reader = reads.once(`path:${segments.slice(0, i + 1).join('\u0000')}`, (doc) => {
      const v = above(doc);
      return v === undefined ? undefined : getKey(v, segment);
    });
  }
  return reader;
};

/** The first `length` segments of `path` read as pathReader reads them (with `reads`, shared with the readers of longer paths). */
export const prefixReader = (path: JsonPath, length: number, reads: Reads): ((doc: PolicyResource) => unknown) =>
  pathReader({ segments: path.segments.slice(0, length), lower: path.lower.slice(0, length), collection: false }, reads);

const tagReader = (text: string, tag: string) => keyword(text, 'other', (doc) => getKey(getKey(doc, 'tags'), tag), false, `tags[${tag}]`);

/** `tags.x`, `tags[x]`, `tags['x']` and `tags['''x''']` (apostrophes doubled inside quotes). */
const tagName = (text: string): string | undefined => {
  const dotted = /^tags\.(.+)$/is.exec(text);
  if (dotted) return dotted[1];
  const bracket = /^tags\[(.*)\]$/is.exec(text);
  if (!bracket) return undefined;
  const inner = bracket[1];
  return inner.length >= 2 && inner.startsWith("'") && inner.endsWith("'") ? inner.slice(1, -1).replace(/''/g, "'") : inner;
};

const aliasReader = (text: string, paths: ReadonlyMap<string, JsonPath>): FieldReader => {
  const collection = [...paths.values()].some((p) => p.collection);
  // A rule reads its aliases mostly on resources of one type, whose lowercase spelling is one
  // shared string: remembering the last type spares a map lookup per read.
  let lastType: string | undefined;
  let lastPath: JsonPath | undefined;
  const pathOf = (docType: string): JsonPath | undefined => {
    if (docType !== lastType) {
      lastPath = paths.get(docType);
      lastType = docType;
    }
    return lastPath;
  };
  const read = (doc: PolicyResource, docType: string, scope: Scope | undefined): Selection => {
    const path = pathOf(docType);
    // An alias of another resource type reads nothing on this one.
    if (!path) return collection ? EMPTY : MISSING;
    const within = scopeFor(scope, doc, path);
    const root = within ? within.element : doc;
    const from = within ? within.path.length : 0;
    const selection = selectBelow(root, path, from);
    // Inside a count, the counted array alias is still a collection: the current member only.
    return path.collection && !selection.collection ? { collection: true, values: [selection.value] } : selection;
  };
  if (collection) return { text, category: 'other', location: false, collection, read, pathFor: pathOf };
  // No `[*]` in any type's path: always one value (what `read` would return as `value`).
  const readOne = (doc: PolicyResource, docType: string, scope: Scope | undefined): unknown => {
    const path = pathOf(docType);
    if (!path) return undefined;
    const within = scope === undefined ? undefined : scopeFor(scope, doc, path);
    return within ? selectOne(within.element, path, within.path.length) : selectOne(doc, path, 0);
  };
  return { text, category: 'other', location: false, collection, read, readOne, readerFor: (docType, reads) => pathReader(paths.get(docType), reads), pathFor: pathOf };
};

/** Resolves a field name of a rule; unknown names are refused like Azure refuses `InvalidPolicyAlias`. */
export const resolveField = (text: string, aliases: AliasTable, path?: string): FieldReader => {
  switch (text.toLowerCase()) {
    case 'name':
      return keyword(text, 'name', resourceName);
    case 'fullname':
      return keyword(text, 'other', resourceFullName);
    case 'type':
      return keyword(text, 'type', (doc) => getKey(doc, 'type'));
    case 'kind':
      return keyword(text, 'kind', (doc) => getKey(doc, 'kind'));
    case 'id':
      return keyword(text, 'other', (doc) => getKey(doc, 'id'));
    case 'identity.type':
      return keyword(text, 'other', (doc) => getKey(getKey(doc, 'identity'), 'type'));
    // The identities by resource id (an object): built-ins test it with containsKey and length(field(...)).
    case 'identity.userassignedidentities':
      return keyword(text, 'other', (doc) => getKey(getKey(doc, 'identity'), 'userAssignedIdentities'));
    case 'tags':
      return keyword(text, 'other', (doc) => getKey(doc, 'tags'));
    case 'location':
      return keyword(
        text,
        'other',
        (doc) => {
          const value = getKey(doc, 'location');
          return typeof value === 'string' ? normaliseLocation(value) : value;
        },
        true,
      );
  }
  const tag = tagName(text);
  if (tag !== undefined) return tagReader(text, tag);
  const definitions = aliases.find(text);
  if (!definitions.length) throw new CompileError('unknown-alias', `"${text}" is neither a policy field nor a known alias`, path);
  return aliasReader(text, new Map(definitions.map((d) => [d.type.toLowerCase(), parsePath(d.path)])));
};

/**
 * A field whose name an expression computes (`[concat('tags[', parameters('tagName'), ']')]`): resolved
 * on first use and remembered per name; an unknown name fails that evaluation instead of the compile.
 */
export const resolveComputedField = (name: string, aliases: AliasTable, cache: Map<string, FieldReader>, path: string): FieldReader => {
  let reader = cache.get(name);
  if (!reader) {
    try {
      reader = resolveField(name, aliases, path);
    } catch (error) {
      if (error instanceof CompileError) throw new EvaluationError('unknown-alias', error.message, path);
      throw error;
    }
    cache.set(name, reader);
  }
  return reader;
};
