// npm run builtins:vendor -- <built-in-policies dir>
// Copies Azure's built-in policy definitions and initiatives (the `built-in-policies` folder of the
// public Azure/azure-policy repository, MIT) into libs/guardrails/corpus/azure-builtins/, in the
// form the guardrails library loads lazily: one minified JSON file per category folder, mapping each
// file's repository path to its content (unchanged but for whitespace), and an index from
// definition/initiative name (the GUID in its id) to where it lives, its display name, mode and
// version. A CLI call that needs one definition reads its category's file and nothing else.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
const OUT = join(root, 'libs', 'guardrails', 'corpus', 'azure-builtins');

const source = process.argv[2];
if (!source) {
  process.stderr.write('usage: npm run builtins:vendor -- <the built-in-policies folder of Azure/azure-policy>\n');
  process.exit(2);
}

interface IndexEntry {
  readonly file: string;
  readonly path: string;
  readonly displayName: string;
  readonly category: string;
  readonly mode?: string;
  readonly version?: string;
  readonly policyType?: string;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.json') ? [path] : [];
  });

/** `Azure Government/Key Vault` -> `azure-government--key-vault`: a file name for a category folder. */
const slug = (category: string) =>
  category
    .toLowerCase()
    .split('/')
    .map((part) => part.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''))
    .join('--');

const vendor = (kind: 'policyDefinitions' | 'policySetDefinitions', outDir: string) => {
  const base = join(source, kind);
  const byCategory = new Map<string, Record<string, unknown>>();
  const index: Record<string, IndexEntry> = {};
  let count = 0;
  let duplicates = 0;
  for (const file of walk(base).sort()) {
    const path = relative(base, file).split('\\').join('/');
    const category = path.slice(0, path.lastIndexOf('/'));
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const json = JSON.parse(text) as { name?: string; properties?: Record<string, unknown> };
    const entries = byCategory.get(category) ?? {};
    entries[path] = json;
    byCategory.set(category, entries);
    count++;
    const name = String(json.name ?? path).toLowerCase();
    const properties = json.properties ?? {};
    const entry: IndexEntry = {
      file: `${slug(category)}.json`,
      path,
      displayName: String(properties['displayName'] ?? ''),
      category,
      ...(typeof properties['mode'] === 'string' ? { mode: properties['mode'] } : {}),
      ...(typeof properties['version'] === 'string' ? { version: properties['version'] } : {}),
      ...(typeof properties['policyType'] === 'string' ? { policyType: properties['policyType'] } : {}),
    };
    const existing = index[name];
    if (existing) {
      duplicates++;
      // Azure Government keeps copies under its own folder with the same names: the public cloud's wins.
      if (existing.category.startsWith('Azure Government') && !category.startsWith('Azure Government')) index[name] = entry;
    } else {
      index[name] = entry;
    }
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  let bytes = 0;
  for (const [category, entries] of byCategory) {
    const text = JSON.stringify(entries);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(outDir, `${slug(category)}.json`), text);
  }
  const indexText = JSON.stringify(Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b))));
  writeFileSync(join(outDir, 'index.json'), indexText);
  process.stdout.write(
    `${kind}: ${count} files in ${byCategory.size} categories, ${(bytes / 1e6).toFixed(1)} MB; index of ${Object.keys(index).length} names (${duplicates} names repeat, mostly Azure Government copies), ${(Buffer.byteLength(indexText) / 1e6).toFixed(2)} MB\n`,
  );
};

vendor('policyDefinitions', join(OUT, 'definitions'));
vendor('policySetDefinitions', join(OUT, 'initiatives'));
writeFileSync(join(OUT, 'LICENSE'), readFileSync(join(source, '..', 'LICENSE'), 'utf8'));
