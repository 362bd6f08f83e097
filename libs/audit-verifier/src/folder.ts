// An export as it reaches an auditor: a folder of files. Reads it for the library's checks, a file
// at a time, so a million-event export is verified in constant memory.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MANIFEST_FILE, verifyAuditExport, type ExportReader, type PublicKeyInput, type VerifyResult } from '@rampart/audit';

/** What the caller got wrong (no such folder, an unreadable previous manifest): a usage error, not a problem of the export. */
export class VerifyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyInputError';
  }
}

export interface VerifyDirOptions {
  /** Path of the manifest.json of the export this one should follow. */
  readonly previousManifestPath?: string;
  readonly maxProblemsPerFile?: number;
}

export const folderReader = (dir: string): ExportReader => {
  const isFile = (name: string) => {
    const path = join(dir, name);
    return existsSync(path) && statSync(path).isFile();
  };
  return {
    manifestText: async () => (isFile(MANIFEST_FILE) ? readFile(join(dir, MANIFEST_FILE), 'utf8') : null),
    stream: (name) => (isFile(name) ? createReadStream(join(dir, name), { highWaterMark: 1 << 20 }) : null),
    list: async () => (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name),
  };
};

/** `rampart audit verify` and the standalone verifier on a folder: the library's checks over the files on disk. */
/** `publicKey`: one key, or several (a key ring across rotations): the one the manifest names is used. */
export const verifyAuditExportDir = async (dir: string, publicKey: PublicKeyInput | readonly PublicKeyInput[], options: VerifyDirOptions = {}): Promise<VerifyResult> => {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new VerifyInputError(`${dir} is not a folder`);
  let previousManifest: Buffer | undefined;
  if (options.previousManifestPath !== undefined) {
    try {
      previousManifest = await readFile(options.previousManifestPath);
    } catch (error) {
      throw new VerifyInputError(`cannot read the previous manifest ${options.previousManifestPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return verifyAuditExport(folderReader(root), { publicKey, previousManifest, maxProblemsPerFile: options.maxProblemsPerFile });
};
