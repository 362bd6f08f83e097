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

const removePath = (value: Json, segments: string[]): Json => {
  if (segments.length === 0 || value === null || typeof value !== 'object') return value;
  const [head, ...rest] = segments;
  if (head === '**') {
    // zero segments here, or one more level down with the same pattern
    const here = removePath(value, rest);
    if (here === null || typeof here !== 'object') return here;
    if (Array.isArray(here)) return here.map((item) => removePath(item, segments));
    return Object.fromEntries(Object.entries(here).map(([k, child]) => [k, removePath(child, segments)]));
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => (head === '*' || String(i) === head ? (rest.length ? removePath(item, rest) : (undefined as never)) : item)).filter((v) => v !== undefined);
  }
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) {
    const matches = head === '*' || key === head;
    if (matches && rest.length === 0) continue;
    out[key] = matches ? removePath(child, rest) : child;
  }
  return out;
};

const decodePointer = (pointer: string) => pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

/** The part of a snapshot that is configuration: what is hashed, diffed and stored. */
export const configurationOf = (resource: ResourceSnapshot, volatilePaths: readonly string[] = DEFAULT_VOLATILE_PATHS): Json => {
  let content = JSON.parse(JSON.stringify(resource)) as Json;
  for (const pointer of volatilePaths) content = removePath(content, decodePointer(pointer));
  return content;
};

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
