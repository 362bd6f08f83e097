#!/usr/bin/env node
// The `rampart` command of the build (dist/cli/rampart.js, the installed package's bin): checks the
// Node.js version, lets Node cache the bundle's compiled code between runs (most of a short command's
// start-up otherwise), and loads the bundle. Servers get source-mapped stack traces; short commands
// skip reading the map.
const [major, minor] = process.versions.node.split('.').map(Number);
const wanted = /^>=(\d+)\.(\d+)$/.exec(require('./package.json').engines.node);
if (wanted && (major < Number(wanted[1]) || (major === Number(wanted[1]) && minor < Number(wanted[2])))) {
  process.stderr.write(`rampart: this is Node.js ${process.version}; rampart needs Node.js ${wanted[0]} (Node 24 LTS).\n`);
  process.exit(1);
}
require('node:module').enableCompileCache?.();
if (['standalone', 'api', 'worker'].includes(process.argv[2])) process.setSourceMapsEnabled(true);
require('./main.js');
