// Lint for the whole workspace. The heart of it is @nx/enforce-module-boundaries: tags in each
// project.json (type:*, scope:* and contract:*) decide who may import whom, and pure code
// (type:domain, type:contract, type:util) may not reach for NestJS, databases, HTTP clients or the
// file system.
import nx from '@nx/eslint-plugin';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Packages that mean I/O or a framework: never in domain code. */
const IO_AND_FRAMEWORK_PACKAGES = [
  '@nestjs/*',
  '@apollo/*',
  'graphql',
  'graphql-*',
  'express',
  'pg',
  'pg-*',
  '@electric-sql/*',
  '@eventstore/*',
  '@kurrent/*',
  '@azure/*',
  'axios',
  'node-fetch',
  'undici',
  'got',
  'ioredis',
  'redis',
  'prom-client',
  '@opentelemetry/*',
  'pino',
];

/** Node built-ins with the same meaning; Nx's rule only sees npm packages, so these use core ESLint. */
const IO_BUILTINS = ['http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'fs', 'fs/promises', 'child_process', 'cluster', 'worker_threads'];

const pureProjectRoots = ['apps', 'libs']
  .flatMap((dir) => (existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []))
  .filter((root) => existsSync(join(root, 'project.json')))
  .filter((root) => {
    const tags = JSON.parse(readFileSync(join(root, 'project.json'), 'utf8')).tags ?? [];
    return tags.includes('type:domain') || tags.includes('type:contract') || tags.includes('type:util');
  });

export const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contract', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:util'], bannedExternalImports: IO_AND_FRAMEWORK_PACKAGES },
  // A context's published contract (its events, their type names and guards, pure folds over them)
  // is what other contexts import, so it stands on shared utilities alone: no domain, no storage.
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: IO_AND_FRAMEWORK_PACKAGES },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'], bannedExternalImports: IO_AND_FRAMEWORK_PACKAGES },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:contract', 'type:util'] },
  // Contexts meet through events: a context library sees itself, shared code, and of another
  // context only its contract (tag contract:<context>), and only the contracts it reacts to.
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:tenancy', onlyDependOnLibsWithTags: ['scope:tenancy', 'scope:shared'] },
  { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
  // Guardrail evaluation follows inventory's resource events and rebuilds configurations from them;
  // a tenant group's assignments follow tenancy's group membership events.
  { sourceTag: 'scope:guardrails', onlyDependOnLibsWithTags: ['scope:guardrails', 'scope:shared', 'contract:inventory', 'contract:tenancy'] },
  // Incidents open from guardrail findings and verify actions by their resolution.
  { sourceTag: 'scope:incidents', onlyDependOnLibsWithTags: ['scope:incidents', 'scope:shared', 'contract:guardrails'] },
  // The audit trail renders every context's events (OCSF, OSCAL, summaries).
  {
    sourceTag: 'scope:audit',
    onlyDependOnLibsWithTags: ['scope:audit', 'scope:shared', 'contract:tenancy', 'contract:inventory', 'contract:guardrails', 'contract:incidents'],
  },
  // The console is a browser app: it speaks GraphQL over HTTP and imports no server code at all.
  { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['scope:console'] },
  // Apps and tools are composition roots: they wire every context together.
  { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['*'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/coverage', '.nx', 'tmp', '.rampart'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: false,
          allow: [],
          depConstraints,
          // Nothing here is code-split (the CLI's build is one file): a dynamic import() only says
          // when a library loads (the CLI loads heavy libraries in the commands that need them;
          // tools/scripts/build-policy-aliases.ts loads @rampart/guardrails after writing the data it
          // reads), so it must not forbid static imports of that library, or of its testing entry
          // point, elsewhere in the project.
          checkDynamicDependenciesExceptions: ['@rampart/**'],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests assert what they just arranged; a non-null assertion there says exactly that. A suite
    // that several specs run (testing/*-suite.ts) is tests too.
    files: ['**/*.spec.ts', '**/testing/*-suite.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.cjs', 'tools/bin/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Jest configs share the root preset by relative path; they are config, not code.
    files: ['**/jest.config.cjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  ...(pureProjectRoots.length
    ? [
        {
          files: pureProjectRoots.map((root) => `${root}/**/*.ts`),
          ignores: ['**/*.spec.ts'],
          rules: {
            'no-restricted-imports': [
              'error',
              {
                paths: IO_BUILTINS.flatMap((name) => [name, `node:${name}`]).map((name) => ({
                  name,
                  message: 'domain, contract and util libraries do no I/O: take data in, return data out; I/O belongs in adapters',
                })),
              },
            ],
          },
        },
      ]
    : []),
];
