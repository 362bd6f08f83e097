import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, configurationHash, configurationOf, contentHash, DEFAULT_VOLATILE_PATHS } from './content';
import { normaliseArmResource } from './resource';

describe('configuration content', () => {
  it('hashes equal content equally, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });

  it('drops volatile fields, with configurable paths and wildcards', () => {
    const result = normaliseArmResource({
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/nsg',
      etag: 'W/"1"',
      properties: { provisioningState: 'Succeeded', securityRules: [{ name: 'a', properties: { access: 'Allow', provisioningState: 'Updating' } }] },
    });
    if (!result.ok) throw new Error(result.reason);
    const config = configurationOf(result.resource) as { etag?: string; properties: Record<string, unknown> };
    expect(config.etag).toBeUndefined();
    expect(config.properties['provisioningState']).toBeUndefined();
    expect(config.properties['securityRules']).toEqual([{ name: 'a', properties: { access: 'Allow' } }]);
    // etag is not configuration at all: the snapshot does not carry it
    const custom = configurationOf(result.resource, ['/properties/securityRules']) as { properties: Record<string, unknown> };
    expect(custom.properties['provisioningState']).toBe('Succeeded');
    expect(custom.properties['securityRules']).toBeUndefined();
  });
});

// The definitions the fast walkers must agree with, written the obvious way: a copy with volatile
// paths removed, then JSON.stringify with every object's keys sorted. Hashes already stored in
// events were made this way, so any difference would report unchanged resources as changed.
const referenceStrip = (value: unknown, patterns: string[][]): unknown => {
  if (patterns.length === 0 || value === null || typeof value !== 'object') return value;
  const active: string[][] = [];
  const add = (p: string[]) => {
    active.push(p);
    if (p[0] === '**' && p.length > 1) add(p.slice(1));
  };
  patterns.forEach(add);
  const child = (key: string) => {
    const next: string[][] = [];
    let remove = false;
    for (const [head, ...rest] of active) {
      if (head === '**') next.push([head, ...rest]);
      else if (head === '*' || head === key) {
        if (rest.length === 0) remove = true;
        else next.push(rest);
      }
    }
    return { remove, next };
  };
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => {
      const { remove, next } = child(String(i));
      return remove ? [] : [referenceStrip(item, next)];
    });
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const { remove, next } = child(key);
    if (!remove) out[key] = referenceStrip(v, next);
  }
  return out;
};
const referenceCanonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
const pointers = (paths: readonly string[]) => paths.map((p) => p.split('/').slice(1));

describe('the fast content walkers agree with the obvious definitions', () => {
  const examplesDir = join(__dirname, '..', 'testing', 'arm-examples');
  const corpus = readdirSync(examplesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => normaliseArmResource(JSON.parse(readFileSync(join(examplesDir, f), 'utf8'))))
    .flatMap((r) => (r.ok ? [r.resource] : []));
  const tricky = normaliseArmResource({
    id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/app',
    etag: 'x',
    properties: {
      b: 1,
      a: [3, { provisioningState: 'x', z: null, '10': 'ten', '2': 'two', 'é': 1, A: 2 }, [{ etag: 'e', keep: true }]],
      '007': 'not an index',
      '4294967295': 'too big for an index',
      '1': 'one',
      nested: { deeper: { provisioningState: 'Succeeded', value: -0, big: 1e21, text: 'quote " and \u2028' } },
    },
  });
  if (!tricky.ok) throw new Error(tricky.reason);
  const resources = [...corpus, tricky.resource];
  const pathSets: readonly (readonly string[])[] = [
    DEFAULT_VOLATILE_PATHS,
    [],
    ['/properties/a/*'],
    ['/properties/a/1', '/**/keep', '/tags'],
    ['/**'],
    ['/properties/**/**/value'],
  ];

  it('configurationOf equals a plain strip, for every volatile-path set', () => {
    expect(corpus.length).toBeGreaterThan(20);
    for (const paths of pathSets) {
      for (const r of resources) expect(configurationOf(r, paths)).toEqual(referenceStrip(r, pointers(paths)));
    }
  });

  it('canonicalJson and configurationHash equal sorting keys with JSON.stringify', () => {
    for (const paths of pathSets) {
      for (const r of resources) {
        const expected = referenceCanonical(referenceStrip(r, pointers(paths)));
        expect(canonicalJson(configurationOf(r, paths))).toBe(expected);
        expect(configurationHash(r, paths)).toBe(createHash('sha256').update(expected).digest('hex'));
      }
    }
  });
});
