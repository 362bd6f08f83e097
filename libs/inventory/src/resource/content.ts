// What counts as a configuration change: the snapshot minus volatile fields, compared by a hash
// of its canonical JSON (sorted keys), and described by an RFC 6902 patch.
import { createHash } from 'node:crypto';
import { compare, type Operation } from 'fast-json-patch';
import type { ResourceSnapshot } from './resource';

/**
 * JSON pointers of fields that change without anyone changing the configuration: etags,
 * timestamps, provisioning transitions. `*` matches one key or index, `**` any depth.
 * Configurable per tenant/connection.
 */
export const DEFAULT_VOLATILE_PATHS: readonly string[] = [
  '/etag',
  '/systemData',
  '/properties/changedTime',
  '/properties/createdTime',
  '/properties/lastModifiedTime',
  '/properties/lastModifiedAt',
  '/properties/extended/instanceView',
  '/properties/**/provisioningState',
  '/properties/**/etag',
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const decodePointer = (pointer: string) => pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** `**` matches zero segments too: the pattern after it applies at this level as well. */
const expand = (patterns: readonly string[][]): string[][] => {
  const out: string[][] = [];
  const add = (p: string[]) => {
    out.push(p);
    if (p[0] === '**' && p.length > 1) add(p.slice(1));
  };
  patterns.forEach(add);
  return out;
};

/**
 * One walk over the value: only the parts that some pattern reaches are copied; the rest is shared
 * (configurations are never mutated), which keeps hashing a resource cheap.
 */
const strip = (value: Json, patterns: readonly string[][]): Json => {
  if (patterns.length === 0 || value === null || typeof value !== 'object') return value;
  const active = expand(patterns);
  const childPatterns = (key: string): { remove: boolean; next: string[][] } => {
    const next: string[][] = [];
    let remove = false;
    for (const p of active) {
      const [head, ...rest] = p;
      if (head === '**') next.push(p);
      else if (head === '*' || head === key) {
        if (rest.length === 0) remove = true;
        else next.push(rest);
      }
    }
    return { remove, next };
  };
  if (Array.isArray(value)) {
    const out: Json[] = [];
    value.forEach((item, i) => {
      const { remove, next } = childPatterns(String(i));
      if (!remove) out.push(strip(item, next));
    });
    return out;
  }
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    const { remove, next } = childPatterns(key);
    if (!remove) out[key] = strip(child, next);
  }
  return out;
};

/** The part of a snapshot that is configuration: what is hashed, diffed and stored. */
export const configurationOf = (resource: ResourceSnapshot, volatilePaths: readonly string[] = DEFAULT_VOLATILE_PATHS): Json =>
  strip(resource as unknown as Json, volatilePaths.map(decodePointer));

/** JSON with object keys sorted at every level: equal content, equal text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

export const contentHash = (content: unknown): string => createHash('sha256').update(canonicalJson(content)).digest('hex');

export type JsonPatch = Operation[];

export const patchBetween = (before: unknown, after: unknown): JsonPatch =>
  compare(before as object, after as object);
