#!/usr/bin/env node
// Runs a TypeScript entry point of this repo without a build step: swc compiles on the fly
// (decorator metadata included, which NestJS needs) and @rampart/* resolve through tsconfig paths.
const path = require('node:path');
require('./node-version.js').requireSupportedNode();
process.env.SWC_NODE_PROJECT ??= path.join(__dirname, '..', '..', 'tsconfig.base.json');
require('@swc-node/register');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts <file.ts> [args...]');
  process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(entry));
