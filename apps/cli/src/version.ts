// The version `rampart --version` prints, read without loading the server (whose rampartVersion
// reads the same file): the repository's package.json, or in the build the copy of it that sits
// where this source file's folder is mirrored (see tools/build/build.js).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const cliVersion = (): string => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return process.env['npm_package_version'] ?? 'unknown';
  }
};
