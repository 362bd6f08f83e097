// Shared Jest setup: every project gets three tiers selected by file name
// (*.spec.ts pure, *.int.spec.ts real databases, *.e2e.spec.ts booted app),
// compiled with swc (type-checking is the separate `typecheck` target).
const path = require('node:path');

// Tests prove what users run: on any other Node.js the run stops at once, saying which.
require('./tools/bin/node-version.js').requireSupportedNode();

const root = __dirname;
const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// ESM-only packages (and PGlite's dynamic import()) are compiled to CommonJS too.
const esmPackages = ['@electric-sql', 'jose'];
const esmPattern = `/node_modules/(${esmPackages.join('|')})/`;

const base = (projectDir) => ({
  rootDir: projectDir,
  testEnvironment: 'node',
  transform: {
    [esmPattern + '.+\\.[cm]?js$']: ['@swc/jest', { ...swcOptions, jsc: { ...swcOptions.jsc, parser: { syntax: 'ecmascript' } } }],
    '^.+\\.(t|j)s$': ['@swc/jest', swcOptions],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleNameMapper: {
    '^@rampart/([a-z0-9-]+)/testing$': path.join(root, 'libs/$1/src/testing/index.ts'),
    '^@rampart/([a-z0-9-]+)$': path.join(root, 'libs/$1/src/index.ts'),
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
});

// testTimeout is a global option (ignored inside `projects`): generous, since int and e2e
// tests start databases and processes; unit tests finish long before it.
module.exports = (projectDir, { testTimeout = 60_000 } = {}) => ({
  testTimeout,
  reporters: ['default', path.join(root, 'tools/jest/tally-reporter.cjs')],
  projects: [
    {
      ...base(projectDir),
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
    },
    { ...base(projectDir), displayName: 'int', testMatch: ['**/*.int.spec.ts'] },
    { ...base(projectDir), displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
});
