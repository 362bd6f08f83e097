// npm run aliases:build -- <aliases dir>
// Rebuilds libs/guardrails/src/aliases/data/, the Azure Policy alias table the guardrails rule engine
// ships with (one JSON file per resource-provider namespace plus index.json, loaded on first use of a
// namespace), from two public dumps of every alias Azure defines (libs/guardrails/src/aliases/README.md):
//   <aliases dir>/psrule-providers/microsoft.<ns>/types.json   PSRule.Rules.Azure provider data (per type, 2026)
//   <aliases dir>/policy-aliases.full-2024.csv.gz              azure-policy-evaluator dump (name,defaultPath, 2024)
// PSRule's data is newer and says which type owns each alias: it wins where both name an alias. The CSV
// adds the namespaces PSRule lacks (Microsoft.Network) and the aliases PSRule no longer lists.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

const root = join(__dirname, '..', '..');
const OUTPUT_DIR = 'libs/guardrails/src/aliases/data';
const CSV_FILE = 'policy-aliases.full-2024.csv.gz';

interface Alias {
  /** As the source spells it. */
  readonly name: string;
  readonly path: string;
}

interface TypeEntry {
  /** Display spelling, e.g. Microsoft.Storage/storageAccounts. */
  name: string;
  apiVersions: string[];
  /** By lowercase alias name. */
  aliases: Map<string, Alias>;
}

const lower = (s: string) => s.toLowerCase();
const ownerTypeOf = (aliasName: string) => aliasName.slice(0, aliasName.lastIndexOf('/'));
const namespaceOf = (name: string) => lower(name.slice(0, name.indexOf('/')));
const byLower = (a: string, b: string) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : a < b ? -1 : a > b ? 1 : 0);

/** The spelling most alias names use for a type (PSRule and the CSV spell some types several ways). */
const displayName = (fallback: string, aliasNames: Iterable<string>) => {
  const wanted = lower(fallback);
  const counts = new Map<string, number>();
  for (const name of aliasNames) {
    const owner = ownerTypeOf(name);
    if (lower(owner) === wanted) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || byLower(a[0], b[0]))[0]?.[0] ?? fallback;
};

const counts = {
  psRuleTypes: 0,
  psRuleAliases: 0,
  csvLines: 0,
  csvAgreeing: 0,
  /** Same alias, other default path: PSRule's is kept. */
  disagreements: [] as { name: string; csv: string; psRule: string }[],
  /** Aliases PSRule does not list, taken from the CSV, per namespace. */
  csvOnly: new Map<string, number>(),
  /** CSV lines naming an alias already read from the CSV (provider-level aliases of several types). */
  csvRepeated: 0,
  /** One-slash aliases only the CSV has: it does not say which types define them. */
  csvUnplaced: [] as string[],
};

const readPsRule = (dir: string, types: Map<string, TypeEntry>) => {
  const providersDir = join(dir, 'psrule-providers');
  for (const folder of readdirSync(providersDir).sort()) {
    const file = join(providersDir, folder, 'types.json');
    if (!existsSync(file)) continue;
    const entries = JSON.parse(readFileSync(file, 'utf8')) as {
      resourceType: string;
      apiVersions?: string[] | null;
      aliases?: Record<string, string | null> | null;
    }[];
    const allNames = entries.flatMap((e) => Object.keys(e.aliases ?? {}));
    // Namespace spelling as the aliases write it (the folder name is lowercase).
    const namespace = allNames.map((n) => n.slice(0, n.indexOf('/'))).find((n) => lower(n) === folder && n !== folder) ?? folder;
    for (const entry of entries) {
      counts.psRuleTypes++;
      const aliases = new Map<string, Alias>();
      for (const [name, path] of Object.entries(entry.aliases ?? {})) {
        if (!path) continue;
        if (namespaceOf(name) !== folder) throw new Error(`${folder}/types.json: alias ${name} is of another namespace`);
        aliases.set(lower(name), { name, path });
        counts.psRuleAliases++;
      }
      const name = displayName(`${namespace}/${entry.resourceType}`, [...aliases.values()].map((a) => a.name));
      // The lazy table finds an alias in its namespace's file; the engine reads it on its owner type.
      for (const alias of aliases.values())
        if (ownerTypeOf(alias.name).includes('/') && lower(ownerTypeOf(alias.name)) !== lower(name))
          throw new Error(`${folder}/types.json: alias ${alias.name} is listed under another type, ${name}`);
      if (types.has(lower(name))) throw new Error(`${folder}/types.json lists ${name} twice`);
      types.set(lower(name), { name, apiVersions: entry.apiVersions ?? [], aliases });
    }
  }
};

/**
 * The CSV has no type column: the owner type is the alias name up to its last '/', except for
 * provider-level (one-slash) aliases, which resolve per type; PSRule's data says on which.
 */
const readCsv = (dir: string, types: Map<string, TypeEntry>) => {
  const psRuleTypesOf = new Map<string, TypeEntry[]>();
  for (const entry of types.values())
    for (const key of entry.aliases.keys()) psRuleTypesOf.set(key, [...(psRuleTypesOf.get(key) ?? []), entry]);
  const fromCsv = new Set<string>();
  const text = gunzipSync(readFileSync(join(dir, CSV_FILE))).toString('utf8');
  for (const line of text.split(/\r?\n/)) {
    if (!line) continue;
    counts.csvLines++;
    const comma = line.indexOf(',');
    const name = line.slice(0, comma);
    const path = line.slice(comma + 1);
    const key = lower(name);
    const known = psRuleTypesOf.get(key);
    if (known) {
      if (known.some((t) => t.aliases.get(key)?.path === path)) counts.csvAgreeing++;
      else counts.disagreements.push({ name, csv: path, psRule: known.map((t) => t.aliases.get(key)?.path).join(' | ') });
      continue;
    }
    if (fromCsv.has(key)) {
      counts.csvRepeated++;
      continue;
    }
    const owner = ownerTypeOf(name);
    if (!owner.includes('/')) {
      counts.csvUnplaced.push(name);
      continue;
    }
    fromCsv.add(key);
    const entry = types.get(lower(owner)) ?? { name: owner, apiVersions: [], aliases: new Map<string, Alias>() };
    types.set(lower(owner), entry);
    entry.aliases.set(key, { name, path });
    counts.csvOnly.set(namespaceOf(name), (counts.csvOnly.get(namespaceOf(name)) ?? 0) + 1);
  }
  // Types only the CSV knows take the spelling most of their aliases use.
  for (const entry of types.values()) entry.name = displayName(entry.name, [...entry.aliases.values()].map((a) => a.name));
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

/** `"<n> <rest>"`: text is the first n characters of previous, then rest (PackedAliasData in alias-table.ts). */
const frontCoded = (previous: string, text: string) => {
  let n = 0;
  while (n < previous.length && n < text.length && previous[n] === text[n]) n++;
  return `${n} ${text.slice(n)}`;
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

interface Written {
  readonly entries: TypeEntry[];
  readonly apiVersions: Map<string, string | undefined>;
  readonly bytes: Map<string, number>;
}

const write = (types: Map<string, TypeEntry>): Written => {
  const byNamespace = new Map<string, TypeEntry[]>();
  const apiVersions = new Map<string, string | undefined>();
  for (const entry of types.values()) {
    const apiVersion = latestApiVersion(apiVersionsOf(entry.name, types));
    apiVersions.set(entry.name, apiVersion);
    // A type without aliases is kept for its API version (what requestContext().apiVersion returns).
    if (!entry.aliases.size && !apiVersion) continue;
    const namespace = namespaceOf(entry.name);
    // The library requires `./data/<namespace>.json`: a plain file name.
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(namespace)) throw new Error(`type ${entry.name}: namespace "${namespace}" is not a plain file name`);
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), entry]);
  }
  const outDir = join(root, OUTPUT_DIR);
  mkdirSync(outDir, { recursive: true });
  const bytes = new Map<string, number>();
  const index: Record<string, number> = {};
  for (const [namespace, unsorted] of [...byNamespace].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const entries = unsorted.sort((a, b) => byLower(a.name, b.name));
    const out = entries.map((entry) => {
      const aliases: string[] = [];
      let previousKey = '';
      let previousPath = '';
      for (const { name, path } of [...entry.aliases.values()].sort((a, b) => byLower(a.name, b.name))) {
        const prefix = `${entry.name}/`;
        const key = name.startsWith(prefix) && !name.slice(prefix.length).includes('/') ? name.slice(prefix.length) : name;
        const value = key.includes('/') ? path : compactPath(key, path);
        if (/\s/.test(name) || /\s/.test(path)) throw new Error(`alias ${name} -> ${path}: the packed format needs names and paths without spaces`);
        aliases.push(frontCoded(previousKey, key));
        previousKey = key;
        if (value === '' || /^[01]+$/.test(value)) aliases.push(value);
        else aliases.push(frontCoded(previousPath, (previousPath = value)));
      }
      const apiVersion = apiVersions.get(entry.name);
      return { type: entry.name, ...(apiVersion ? { apiVersion } : {}), aliases };
    });
    const text = JSON.stringify({ types: out }) + '\n';
    writeFileSync(join(outDir, `${namespace}.json`), text);
    bytes.set(namespace, Buffer.byteLength(text));
    index[namespace] = entries.reduce((n, e) => n + e.aliases.size, 0);
  }
  const indexText =
    JSON.stringify({ comment: 'Generated by tools/scripts/build-policy-aliases.ts; do not edit. Namespace -> alias count.', namespaces: index }, null, 0) + '\n';
  writeFileSync(join(outDir, 'index.json'), indexText);
  bytes.set('index', Buffer.byteLength(indexText));
  // Namespaces no longer in the data.
  for (const file of readdirSync(outDir))
    if (file.endsWith('.json') && file !== 'index.json' && !byNamespace.has(file.slice(0, -'.json'.length))) rmSync(join(outDir, file));
  return { entries: [...byNamespace.values()].flat(), apiVersions, bytes };
};

const report = (types: Map<string, TypeEntry>, { entries, bytes }: Written) => {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const n = (x: number) => x.toLocaleString('en-US');
  const csvOnly = [...counts.csvOnly].sort((a, b) => b[1] - a[1]);
  const caseOnly = counts.disagreements.filter((d) => d.psRule.split(' | ').some((p) => lower(p) === lower(d.csv))).length;
  const aliasCount = entries.reduce((k, e) => k + e.aliases.size, 0);
  out(`PSRule: ${n(counts.psRuleAliases)} aliases on ${n(counts.psRuleTypes)} types`);
  out(
    `CSV: ${n(counts.csvLines)} lines; ${n(counts.csvAgreeing)} agree with PSRule, ${counts.disagreements.length} disagree (PSRule kept; ${caseOnly} only by letter case), ` +
      `${n(csvOnly.reduce((k, [, c]) => k + c, 0))} not in PSRule (taken: ${csvOnly.map(([ns, c]) => `${ns} ${n(c)}`).join(', ')}), ` +
      `${counts.csvRepeated} repeated names, ${counts.csvUnplaced.length} provider-level aliases without a type${counts.csvUnplaced.length ? ` (${counts.csvUnplaced.join(', ')})` : ''}`,
  );
  for (const d of counts.disagreements) out(`  disagreement ${d.name}: CSV ${d.csv}, PSRule ${d.psRule}`);
  const withAliases = entries.filter((e) => e.aliases.size).length;
  const total = [...bytes.values()].reduce((k, b) => k + b, 0);
  const largest = [...bytes].filter(([ns]) => ns !== 'index').sort((a, b) => b[1] - a[1]).slice(0, 5);
  out(
    `wrote ${relative(root, join(root, OUTPUT_DIR))}/: ${bytes.size - 1} namespaces, ${n(entries.length)} types (${n(withAliases)} with aliases), ` +
      `${n(aliasCount)} aliases, ${n(total)} bytes (index ${n(bytes.get('index') ?? 0)}; largest ${largest.map(([ns, b]) => `${ns} ${n(b)}`).join(', ')})`,
  );
};

/** Reads the written files back through the library's lazy table: every alias resolves to its source path on its type. */
const verify = async ({ entries, apiVersions }: Written) => {
  const { shippedAliasTable, SUPPLEMENTARY_ALIASES } = await import('@rampart/guardrails');
  const supplemented = new Set(SUPPLEMENTARY_ALIASES.types.map((t) => lower(t.type)));
  const table = shippedAliasTable();
  let start = performance.now();
  table.find('Microsoft.Storage/storageAccounts/allowBlobPublicAccess');
  const oneNamespace = performance.now() - start;
  start = performance.now();
  const wrong: string[] = [];
  for (const entry of entries) {
    for (const { name, path } of entry.aliases.values()) {
      const found = table.find(name).filter((d) => lower(d.type) === lower(entry.name));
      if (found.length !== 1 || found[0].path !== path) wrong.push(`${name} on ${entry.name}: ${found.map((d) => d.path).join(' | ') || 'nothing'}, not ${path}`);
    }
    const apiVersion = table.apiVersion(entry.name);
    if (apiVersion !== apiVersions.get(entry.name) && !supplemented.has(lower(entry.name)))
      wrong.push(`API version of ${entry.name}: ${apiVersion}, not ${apiVersions.get(entry.name)}`);
  }
  const all = performance.now() - start;
  if (wrong.length) throw new Error(`${wrong.length} aliases do not read back, e.g. ${wrong.slice(0, 3).join('; ')}`);
  process.stdout.write(`read back: every alias resolves; first namespace (microsoft.storage) loaded in ${oneNamespace.toFixed(1)} ms, the rest in ${all.toFixed(0)} ms\n`);
};

const main = async () => {
  const dir = process.argv[2];
  if (!dir || !existsSync(join(dir, 'psrule-providers')) || !statSync(join(dir, CSV_FILE), { throwIfNoEntry: false })) {
    process.stderr.write(`usage: npm run aliases:build -- <aliases dir holding psrule-providers/ and ${CSV_FILE}>\n`);
    process.exit(2);
  }
  const types = new Map<string, TypeEntry>();
  readPsRule(dir, types);
  readCsv(dir, types);
  const written = write(types);
  report(types, written);
  await verify(written);
};

main().catch((error: Error) => {
  process.stderr.write(`aliases:build: ${error.message}\n`);
  process.exit(1);
});
