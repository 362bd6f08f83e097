#!/usr/bin/env node
// `npx rampart …` from the repository root: runs the CLI from source (see run-ts.js).
const path = require('node:path');
process.argv.splice(2, 0, path.join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.ts'));
require('./run-ts.js');
