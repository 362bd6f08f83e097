// Lints source texts as if they were files at the given paths, with the workspace's ESLint
// config. Runs as its own process because ESLint loads its config with import(), which Jest's
// CommonJS sandbox cannot do. stdin: [{ filePath, code }]; stdout: [[ "rule: message", ... ], ...]
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';

// The boundary rule reads Nx's cached project graph: make sure it knows every project and tag.
await createProjectGraphAsync({ exitOnError: true });

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => (text += chunk)).on('end', () => resolve(text));
}));
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { filePath, code } of input) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`));
}
process.stdout.write(JSON.stringify(out));
