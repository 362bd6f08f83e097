// Proves the boundary rule has teeth: the same ESLint config the `lint` targets use rejects
// domain code that imports NestJS, a database driver, an HTTP client, the file system or a
// data-access library, and accepts what domain code is allowed to import.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
// A file that would live in a type:domain library (libs/tenancy); it is linted as text, never written.
const domainFile = join(root, 'libs/tenancy/src/boundary-fixture.ts');
const dataAccessFile = join(root, 'libs/event-store/src/boundary-fixture.ts');

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
  dataAccess: fixture('dataAccess', domainFile, importing('SqlEventStore', '@rampart/event-store')),
  otherContext: fixture('otherContext', domainFile, importing('loadConfig', '@rampart/platform')),
  http: fixture('http', domainFile, importing('request', 'node:http')),
  fs: fixture('fs', domainFile, importing('readFileSync', 'fs')),
  dataAccessToFeature: fixture('dataAccessToFeature', dataAccessFile, importing('loadConfig', '@rampart/platform')),
};
const accepted = fixture('accepted', domainFile, importing('reject', '@rampart/event-sourcing'));

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
