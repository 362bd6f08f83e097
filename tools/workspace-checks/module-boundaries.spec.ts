// Proves the boundary rule has teeth: the same ESLint config the `lint` targets use rejects
// domain code that imports NestJS, a database driver, an HTTP client, the file system or a
// data-access library, and accepts what domain code is allowed to import. Contexts meet through
// contracts: a context imports of another only the contracts it reacts to, and a contract is pure
// and stands on shared utilities alone.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// A file that would live in a type:domain library (libs/tenancy); it is linted as text, never written.
const domainFile = join(root, 'libs/tenancy/src/boundary-fixture.ts');
const dataAccessFile = join(root, 'libs/event-store/src/boundary-fixture.ts');
/** A file that would live in a library of the workspace, e.g. `inLib('guardrails')`. */
const inLib = (lib: string) => join(root, 'libs', lib, 'src/boundary-fixture.ts');

const cases: { name: string; filePath: string; code: string }[] = [];
const results = new Map<string, string[]>();
const fixture = (name: string, filePath: string, code: string) => {
  cases.push({ name, filePath, code });
  return () => {
    const found = results.get(name);
    if (!found) throw new Error(`no lint result for ${name}`);
    return found;
  };
};

const importing = (what: string, from: string) => `import { ${what} } from '${from}';\nexport const x = ${what};\n`;
const rejected = {
  nest: fixture('nest', domainFile, importing('Injectable', '@nestjs/common')),
  pg: fixture('pg', domainFile, importing('Pool', 'pg')),
  pglite: fixture('pglite', domainFile, importing('PGlite', '@electric-sql/pglite')),
  esdb: fixture('esdb', domainFile, importing('EventStoreDBClient', '@eventstore/db-client')),
  otel: fixture('otel', domainFile, importing('trace', '@opentelemetry/api')),
  prom: fixture('prom', domainFile, importing('Counter', 'prom-client')),
  dataAccess: fixture('dataAccess', domainFile, importing('SqlEventStore', '@rampart/event-store')),
  otherContext: fixture('otherContext', domainFile, importing('loadConfig', '@rampart/platform')),
  http: fixture('http', domainFile, importing('request', 'node:http')),
  fs: fixture('fs', domainFile, importing('readFileSync', 'fs')),
  dataAccessToFeature: fixture('dataAccessToFeature', dataAccessFile, importing('loadConfig', '@rampart/platform')),
};
const accepted = fixture('accepted', domainFile, importing('reject', '@rampart/event-sourcing'));

/** [what, importing library, imported specifier, the tag whose constraint must refuse it] */
const refusedAcrossContexts: [string, string, string, string][] = [
  ["tenancy importing inventory's domain", 'tenancy', '@rampart/inventory', 'scope:tenancy'],
  ["inventory importing the guardrails' domain", 'inventory', '@rampart/guardrails', 'scope:inventory'],
  ["guardrails importing inventory's domain", 'guardrails', '@rampart/inventory', 'scope:guardrails'],
  ["incidents importing the guardrails' domain", 'incidents', '@rampart/guardrails', 'scope:incidents'],
  ["audit importing the incidents' domain", 'audit', '@rampart/incidents', 'scope:audit'],
  ["inventory importing the guardrails' contract", 'inventory', '@rampart/guardrails-contract', 'scope:inventory'],
  ["tenancy importing the guardrails' contract", 'tenancy', '@rampart/guardrails-contract', 'scope:tenancy'],
  ["guardrails importing the incidents' contract", 'guardrails', '@rampart/incidents-contract', 'scope:guardrails'],
  ["incidents importing inventory's contract", 'incidents', '@rampart/inventory-contract', 'scope:incidents'],
  ["ingestion (inventory's feature library) importing the guardrails' contract", 'ingestion', '@rampart/guardrails-contract', 'scope:inventory'],
  ['a contract importing a domain library', 'guardrails-contract', '@rampart/inventory', 'type:contract'],
  ['a contract importing a data-access library', 'inventory-contract', '@rampart/event-store', 'type:contract'],
  ['a contract importing another contract', 'guardrails-contract', '@rampart/inventory-contract', 'type:contract'],
  ['a contract importing NestJS', 'incidents-contract', '@nestjs/common', 'type:contract'],
  ['a contract importing the pg driver', 'tenancy-contract', 'pg', 'type:contract'],
];
const refused = new Map(
  refusedAcrossContexts.map(([what, lib, specifier]) => [what, fixture(`refused: ${what}`, inLib(lib), importing('published', specifier))]),
);

const allowedAcrossContexts: [string, string, string][] = [
  ["guardrails importing inventory's contract", 'guardrails', '@rampart/inventory-contract'],
  ["incidents importing the guardrails' contract", 'incidents', '@rampart/guardrails-contract'],
  ["audit importing tenancy's contract", 'audit', '@rampart/tenancy-contract'],
  ["audit importing inventory's contract", 'audit', '@rampart/inventory-contract'],
  ["audit importing the guardrails' contract", 'audit', '@rampart/guardrails-contract'],
  ["audit importing the incidents' contract", 'audit', '@rampart/incidents-contract'],
  ["a context's domain importing its own contract", 'incidents', '@rampart/incidents-contract'],
  ['a contract importing the event-sourcing utilities', 'inventory-contract', '@rampart/event-sourcing'],
];
const allowed = new Map(allowedAcrossContexts.map(([what, lib, specifier]) => [what, fixture(`allowed: ${what}`, inLib(lib), importing('published', specifier))]));

const contractBuiltins = {
  fs: fixture('contract fs', inLib('inventory-contract'), importing('readFileSync', 'node:fs')),
  http: fixture('contract http', inLib('guardrails-contract'), importing('request', 'http')),
};

beforeAll(() => {
  const out = execFileSync(process.execPath, [join(__dirname, 'lint-texts.mjs')], {
    cwd: root,
    input: JSON.stringify(cases),
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  (JSON.parse(out) as string[][]).forEach((messages, i) => results.set(cases[i].name, messages));
}, 120_000);

const boundaryErrors = (messages: string[]) => messages.filter((m) => m.startsWith('@nx/enforce-module-boundaries'));

describe('module boundaries', () => {
  it.each([
    ['NestJS', rejected.nest],
    ['the pg driver', rejected.pg],
    ['PGlite', rejected.pglite],
    ['the EventStoreDB client', rejected.esdb],
    ['OpenTelemetry', rejected.otel],
    ['prom-client', rejected.prom],
    ['the event-store data-access library', rejected.dataAccess],
    ['a feature library of the platform scope', rejected.otherContext],
  ])('rejects a domain library importing %s', (_what, messages) => {
    expect(boundaryErrors(messages())).not.toEqual([]);
  });

  it.each([
    ['node:http', rejected.http],
    ['fs', rejected.fs],
  ])('rejects a domain library importing the built-in %s', (_what, messages) => {
    expect(messages().filter((m) => m.startsWith('no-restricted-imports'))).not.toEqual([]);
  });

  it('rejects a data-access library importing a feature library', () => {
    expect(boundaryErrors(rejected.dataAccessToFeature())).not.toEqual([]);
  });

  it('accepts a domain library importing the event-sourcing utilities', () => {
    expect(accepted()).toEqual([]);
  });
});

describe('contexts meet through their contracts', () => {
  // The constraint of the named tag must be the one refusing: another rule (a cycle, a scope) refusing
  // instead would leave this tag's rule unproven.
  it.each(refusedAcrossContexts)('rejects %s', (what, _lib, _specifier, tag) => {
    expect(boundaryErrors(refused.get(what)!())).toEqual([expect.stringContaining(`A project tagged with "${tag}"`)]);
  });

  it.each(allowedAcrossContexts)('accepts %s', (what) => {
    expect(allowed.get(what)!()).toEqual([]);
  });

  it.each([
    ['node:fs', contractBuiltins.fs],
    ['http', contractBuiltins.http],
  ])('rejects a contract importing the built-in %s', (_what, messages) => {
    expect(messages().filter((m) => m.startsWith('no-restricted-imports'))).not.toEqual([]);
  });
});
