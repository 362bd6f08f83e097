// What counts as a configuration change: the snapshot minus volatile fields, compared by a hash
// of its canonical JSON (sorted keys), and described by an RFC 6902 patch.
import { createHash } from 'node:crypto';
import { compare } from 'fast-json-patch';
import type { JsonPatch } from '../events';
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

/**
 * Volatile paths compiled once into a lazily built automaton. A state set holds "pattern p, at
 * segment i" pairs alive at a node of the value; its transitions per key are cached, and keys
 * repeat from one resource to the next (same types, same property names), so walking a resource
 * is mostly map lookups. A node no pattern reaches has the empty set: nothing below it is tested.
 */
interface StateSet {
  readonly states: readonly number[];
  readonly empty: boolean;
  readonly transitions: Map<string, Transition>;
}
interface Transition {
  /** A pattern ends at this key: the key is volatile. */
  readonly remove: boolean;
  readonly next: StateSet;
}
interface CompiledPaths {
  readonly patterns: readonly (readonly string[])[];
  readonly start: StateSet;
  readonly sets: Map<string, StateSet>;
}

// A state packs (pattern, segment) into one number: pattern * STRIDE + segment.
const STRIDE = 1_024;
/** Transitions cached per state set; beyond it (keys that never repeat) they are computed each time. */
const MAX_CACHED_TRANSITIONS = 4_096;

const compiledCache = new WeakMap<readonly string[], CompiledPaths>();

const compilePaths = (volatilePaths: readonly string[]): CompiledPaths => {
  let compiled = compiledCache.get(volatilePaths);
  if (!compiled) {
    const patterns = volatilePaths.map(decodePointer).filter((p) => p.length > 0 && p.length < STRIDE);
    const sets = new Map<string, StateSet>();
    const partial = { patterns, sets } as { patterns: typeof patterns; sets: typeof sets; start?: StateSet };
    partial.start = stateSet(partial as CompiledPaths, closure(patterns, patterns.map((_, i) => i * STRIDE)));
    compiled = partial as CompiledPaths;
    compiledCache.set(volatilePaths, compiled);
  }
  return compiled;
};

const stateSet = (compiled: Pick<CompiledPaths, 'sets'>, states: number[]): StateSet => {
  const unique = [...new Set(states)].sort((a, b) => a - b);
  const id = unique.join(',');
  let set = compiled.sets.get(id);
  if (!set) {
    set = { states: unique, empty: unique.length === 0, transitions: new Map() };
    compiled.sets.set(id, set);
  }
  return set;
};

/** `**` matches zero segments too: a state sitting on `**` also stands for the state after it. */
const closure = (patterns: readonly (readonly string[])[], states: readonly number[]): number[] => {
  const out: number[] = [];
  for (const state of states) {
    let st = state;
    for (;;) {
      out.push(st);
      const p = patterns[Math.floor(st / STRIDE)];
      const i = st % STRIDE;
      if (p[i] === '**' && i + 1 < p.length) st += 1;
      else break;
    }
  }
  return out;
};

const step = (compiled: CompiledPaths, set: StateSet, key: string): Transition => {
  const cached = set.transitions.get(key);
  if (cached) return cached;
  let remove = false;
  const advanced: number[] = [];
  for (const st of set.states) {
    const p = compiled.patterns[Math.floor(st / STRIDE)];
    const i = st % STRIDE;
    const head = p[i];
    if (head === '**') {
      advanced.push(st);
    } else if (head === '*' || head === key) {
      if (i + 1 === p.length) remove = true;
      else advanced.push(st + 1);
    }
  }
  const transition = { remove, next: stateSet(compiled, closure(compiled.patterns, advanced)) };
  if (set.transitions.size < MAX_CACHED_TRANSITIONS) set.transitions.set(key, transition);
  return transition;
};

const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;
const isArrayIndex = (key: string) => ARRAY_INDEX.test(key) && Number(key) < 4_294_967_295;

/**
 * Object keys in canonical order. Integer-like keys first, ascending (JavaScript objects order
 * them so whatever the insertion order, and `Object.keys` returns them so), then the others
 * sorted by UTF-16 code units.
 */
const sortedKeys = (value: object): string[] => {
  const keys = Object.keys(value);
  let integers = 0;
  while (integers < keys.length && isArrayIndex(keys[integers])) integers++;
  if (integers === 0) return keys.sort();
  return [...keys.slice(0, integers), ...keys.slice(integers).sort()];
};

/**
 * A copy with volatile paths left out and every object's keys inserted in canonical order, so
 * that JSON.stringify of it is the canonical JSON (one walk, native stringify).
 */
const canonicalCopy = (compiled: CompiledPaths, value: Json, set: StateSet): Json => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) {
      if (set.empty) {
        out.push(canonicalCopy(compiled, value[i], set));
        continue;
      }
      const { remove, next } = step(compiled, set, String(i));
      if (!remove) out.push(canonicalCopy(compiled, value[i], next));
    }
    return out;
  }
  const out: { [key: string]: Json } = {};
  for (const key of sortedKeys(value)) {
    const child = value[key];
    if (child === undefined) continue;
    if (set.empty) {
      out[key] = canonicalCopy(compiled, child, set);
      continue;
    }
    const { remove, next } = step(compiled, set, key);
    if (!remove) out[key] = canonicalCopy(compiled, child, next);
  }
  return out;
};

const NO_PATHS: readonly string[] = [];

/**
 * The part of a snapshot that is configuration: what is hashed, diffed and stored. Keys come out
 * in canonical order, so equal configurations are equal JSON text.
 */
export const configurationOf = (resource: ResourceSnapshot, volatilePaths: readonly string[] = DEFAULT_VOLATILE_PATHS): Json => {
  const compiled = compilePaths(volatilePaths);
  return canonicalCopy(compiled, resource as unknown as Json, compiled.start);
};

/** JSON with object keys sorted at every level: equal content, equal text. */
export const canonicalJson = (value: unknown): string => {
  const compiled = compilePaths(NO_PATHS);
  return JSON.stringify(canonicalCopy(compiled, value as Json, compiled.start));
};

export const contentHash = (content: unknown): string => createHash('sha256').update(canonicalJson(content)).digest('hex');

/** The hash of a configuration `configurationOf` returned (already canonical: no second walk). */
export const hashOfConfiguration = (configuration: Json): string => createHash('sha256').update(JSON.stringify(configuration)).digest('hex');

/** `contentHash(configurationOf(resource))`: the unchanged-resource check. */
export const configurationHash = (resource: ResourceSnapshot, volatilePaths: readonly string[] = DEFAULT_VOLATILE_PATHS): string =>
  hashOfConfiguration(configurationOf(resource, volatilePaths));

export const patchBetween = (before: unknown, after: unknown): JsonPatch =>
  compare(before as object, after as object);
