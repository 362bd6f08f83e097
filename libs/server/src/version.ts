import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The product version: the root package.json's, which is what `npm start` runs. */
export const rampartVersion = (): string => {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return process.env['npm_package_version'] ?? 'unknown';
  }
};
