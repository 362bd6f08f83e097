// Rampart runs on the Node.js that `npm ci` installs into node_modules/.bin (the `node` package,
// Node 24 LTS): `npm start`, `npm test`, `npm run …` and `npx rampart …` put that folder first on
// PATH, so they use it whatever Node the machine has. A process started by another Node (an old
// system one, say) stops here with what to do instead of failing later in a dependency.
const { readFileSync } = require('node:fs');
const path = require('node:path');

const { engines } = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));

const minimum = /^>=(\d+)\.(\d+)$/.exec(engines.node);
if (!minimum) throw new Error(`package.json engines.node must read ">=major.minor", not ${JSON.stringify(engines.node)}`);

function supported(version = process.versions.node) {
  const [major, minor] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = [Number(minimum[1]), Number(minimum[2])];
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}

function requireSupportedNode() {
  if (supported()) return;
  process.stderr.write(
    `rampart: this is Node.js ${process.version}; Rampart needs Node.js ${engines.node} (Node 24 LTS).\n` +
      '  Run it through npm, which uses the Node.js that `npm ci` installed in node_modules/.bin:\n' +
      '  npm start, npm test, npm run <script>, npx rampart <command>.\n',
  );
  process.exit(1);
}

module.exports = { supported, requireSupportedNode };
