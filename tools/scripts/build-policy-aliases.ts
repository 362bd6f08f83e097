// npm run aliases:build -- <aliases dir>
// Rebuilds libs/guardrails/src/aliases/aliases.generated.json, the Azure Policy alias table the
// guardrails rule engine ships with, from two public dumps (see libs/guardrails/src/aliases/README.md):
//   <aliases dir>/psrule-providers/microsoft.<ns>/types.json   PSRule.Rules.Azure provider data (per type)
//   <aliases dir>/policy-aliases.corpus-subset.csv             azure-policy-evaluator dump (name,defaultPath)
// Only the resource types that the policy definitions under DEFINITION_DIRS use are kept (every alias
// of each such type), so the module stays small; add a folder there when new guardrails ship.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const DEFINITION_DIRS = ['libs/guardrails/corpus/azure-policy'];
const OUTPUT = 'libs/guardrails/src/aliases/aliases.generated.json';

interface TypeEntry {
  /** Display spelling, e.g. Microsoft.Storage/storageAccounts. */
  name: string;
  apiVersions: string[];
  aliases: Map<string, string>;
  source: 'psrule' | 'csv';
}

const lower = (s: string) => s.toLowerCase();
const ownerTypeOf = (aliasName: string) => aliasName.slice(0, aliasName.lastIndexOf('/'));

/** The spelling most alias names use for a type (PSRule lowercases some resourceType values). */
const displayName = (namespace: string, resourceType: string, aliasNames: string[]) => {
  const wanted = lower(`${namespace}/${resourceType}`);
  const counts = new Map<string, number>();
  for (const name of aliasNames) {
    const owner = ownerTypeOf(name);
    if (lower(owner) === wanted) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best ?? `${namespace}/${resourceType}`;
};

const readPsRule = (dir: string, types: Map<string, TypeEntry>) => {
  const namespaces = new Set<string>();
  const providersDir = join(dir, 'psrule-providers');
  for (const folder of readdirSync(providersDir).sort()) {
    const file = join(providersDir, folder, 'types.json');
    if (!existsSync(file)) continue;
    namespaces.add(folder);
    const entries = JSON.parse(readFileSync(file, 'utf8')) as {
      resourceType: string;
      apiVersions?: string[];
      aliases?: Record<string, string | null> | null;
    }[];
    const allNames = entries.flatMap((e) => Object.keys(e.aliases ?? {}));
    // Namespace spelling as the aliases write it (the folder name is lowercase).
    const namespace =
      allNames.map((n) => n.slice(0, n.indexOf('/'))).find((n) => lower(n) === folder && n !== folder) ?? folder;
    for (const entry of entries) {
      const aliases = new Map<string, string>();
      for (const [name, path] of Object.entries(entry.aliases ?? {})) if (path) aliases.set(name, path);
      const name = displayName(namespace, entry.resourceType, [...aliases.keys()]);
      types.set(lower(name), { name, apiVersions: entry.apiVersions ?? [], aliases, source: 'psrule' });
    }
  }
  return namespaces;
};

/** The CSV has no type column: the owner type is the alias name up to its last '/'. */
const readCsv = (dir: string, types: Map<string, TypeEntry>, psRuleNamespaces: Set<string>) => {
  const text = readFileSync(join(dir, 'policy-aliases.corpus-subset.csv'), 'utf8');
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    const comma = line.indexOf(',');
    const name = line.slice(0, comma);
    const path = line.slice(comma + 1);
    const owner = ownerTypeOf(name);
    // PSRule's newer data is authoritative for its namespaces; provider-level (one-slash) aliases
    // resolve per type and a flat list cannot say for which, so the CSV's are left out.
    if (psRuleNamespaces.has(lower(name.slice(0, name.indexOf('/')))) || !owner.includes('/')) continue;
    const key = lower(owner);
    const entry = types.get(key) ?? { name: owner, apiVersions: [], aliases: new Map(), source: 'csv' as const };
    types.set(key, entry);
    if (!entry.aliases.has(name)) entry.aliases.set(name, path);
  }
};

const listJson = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    if (statSync(path).isDirectory()) return f === 'policySetDefinitions' ? [] : listJson(path);
    return f.endsWith('.json') ? [path] : [];
  });

/** Types a definition needs: owners of the aliases it names, type literals it compares, related types. */
const typesUsedBy = (definition: unknown, aliasOwners: Map<string, Set<string>>, known: Map<string, TypeEntry>) => {
  const used = new Set<string>();
  const addAlias = (name: string) => aliasOwners.get(lower(name))?.forEach((t) => used.add(t));
  const addType = (value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string' && known.has(lower(v))) used.add(lower(v));
  };
  const visit = (node: unknown, key?: string): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n));
    if (typeof node === 'string') {
      const text = node.startsWith('[[') ? node.slice(1) : node;
      for (const m of text.matchAll(/(?:field|current)\('([^']+)'\)/gi)) addAlias(m[1]);
      if (key && lower(key) === 'field' && !text.startsWith('[')) addAlias(text);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record['field'] === 'string' && lower(record['field']) === 'type') Object.values(record).forEach(addType);
    if (typeof record['type'] === 'string' && key === 'details') addType(record['type']);
    for (const [k, v] of Object.entries(record)) if (k !== 'deployment') visit(v, k);
  };
  visit(definition);
  return used;
};

/**
 * The compact forms the library's alias table decodes (aliases/alias-table.ts): '' is the usual
 * `properties.<key>`; a string of 0/1 (one digit per dot-separated segment of the key) says before
 * which segments a `properties.` envelope sits, e.g. `securityRules[*].access` with '11' is
 * `properties.securityRules[*].properties.access`; anything else is the path itself.
 */
const compactPath = (key: string, path: string) => {
  if (path === `properties.${key}`) return '';
  const segments = key.split('.');
  const mask = segments.map(() => '0');
  let rest = path;
  const startsWithSegment = (text: string, segment: string) => text === segment || text.startsWith(`${segment}.`);
  for (let i = 0; i < segments.length; i++) {
    if (!startsWithSegment(rest, segments[i]) && rest.startsWith('properties.')) {
      mask[i] = '1';
      rest = rest.slice('properties.'.length);
    }
    if (!startsWithSegment(rest, segments[i])) return path;
    rest = rest.slice(segments[i].length + 1);
  }
  return rest === '' ? mask.join('') : path;
};

/** PSRule lists no API versions for some child types; a child is served by its parent's API versions. */
const apiVersionsOf = (type: string, types: Map<string, TypeEntry>): string[] => {
  for (let t = type; t.split('/').length >= 2; t = t.slice(0, t.lastIndexOf('/'))) {
    const versions = types.get(lower(t))?.apiVersions ?? [];
    if (versions.length) return versions;
  }
  return [];
};

const latestApiVersion = (versions: string[]) => {
  const sorted = [...versions].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  return sorted.find((v) => !/preview|alpha|beta/i.test(v)) ?? sorted[0];
};

const main = () => {
  const dir = process.argv[2];
  if (!dir || !existsSync(join(dir, 'psrule-providers'))) {
    process.stderr.write('usage: npm run aliases:build -- <aliases dir holding psrule-providers/ and policy-aliases.corpus-subset.csv>\n');
    process.exit(2);
  }
  const types = new Map<string, TypeEntry>();
  const psRuleNamespaces = readPsRule(dir, types);
  readCsv(dir, types, psRuleNamespaces);

  const aliasOwners = new Map<string, Set<string>>();
  for (const [key, entry] of types)
    for (const name of entry.aliases.keys()) aliasOwners.set(lower(name), (aliasOwners.get(lower(name)) ?? new Set()).add(key));

  const needed = new Set<string>();
  for (const folder of DEFINITION_DIRS)
    for (const file of listJson(join(root, folder)))
      typesUsedBy(JSON.parse(readFileSync(file, 'utf8')), aliasOwners, types).forEach((t) => needed.add(t));

  const kept = [...types].filter(([key]) => needed.has(key)).map(([, entry]) => entry);
  const out = kept
    .sort((a, b) => (lower(a.name) < lower(b.name) ? -1 : 1))
    .map((entry) => {
      const aliases: Record<string, string> = {};
      for (const [name, path] of [...entry.aliases].sort((a, b) => (lower(a[0]) < lower(b[0]) ? -1 : 1))) {
        const prefix = `${entry.name}/`;
        const short = name.startsWith(prefix) && !name.slice(prefix.length).includes('/') ? name.slice(prefix.length) : name;
        aliases[short] = short.includes('/') ? path : compactPath(short, path);
      }
      const apiVersion = latestApiVersion(apiVersionsOf(entry.name, types));
      return { type: entry.name, ...(apiVersion ? { apiVersion } : {}), source: entry.source, aliases };
    });

  const data = {
    comment: 'Generated by tools/scripts/build-policy-aliases.ts; do not edit. See README.md next to this file.',
    types: out,
  };
  const target = join(root, OUTPUT);
  writeFileSync(target, JSON.stringify(data) + '\n');
  const count = out.reduce((n, t) => n + Object.keys(t.aliases).length, 0);
  process.stdout.write(`wrote ${relative(root, target)}: ${out.length} types, ${count} aliases\n`);
  return kept;
};

/** Reads the written file back through the library and checks every alias resolves to its source path. */
const verify = async (written: TypeEntry[]) => {
  const { createAliasTable } = await import('@rampart/guardrails');
  const table = createAliasTable(JSON.parse(readFileSync(join(root, OUTPUT), 'utf8')));
  const wrong = written.flatMap((entry) =>
    [...entry.aliases].filter(([name, path]) => !table.find(name).some((d) => lower(d.type) === lower(entry.name) && d.path === path)),
  );
  if (wrong.length) throw new Error(`${wrong.length} aliases do not read back, e.g. ${wrong.slice(0, 3).join('; ')}`);
};

verify(main()).catch((error: Error) => {
  process.stderr.write(`aliases:build: ${error.message}\n`);
  process.exit(1);
});
