// Key files in the data folder (the development issuer's, the console sign-in codes'), created once
// however many processes start at the same moment.
import { link, unlink, writeFile } from 'node:fs/promises';

/**
 * Writes `text` to `file` (mode 0600) unless it exists: written whole to a private temporary file,
 * then linked into place. Link never replaces an existing file, so when two processes create it at
 * once, one wins and the other is told to read the winner's. True when this call created it.
 */
export const createPrivateFileOnce = async (file: string, text: string): Promise<boolean> => {
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await unlink(temporary);
  }
};
