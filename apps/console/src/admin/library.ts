// What the library page sends of the files a person picks: policy files only (.json, .jsonc), each
// under its path within the chosen folder (the folder's own name dropped, as `rampart policy import
// <folder>` names them), hidden folders and node_modules left out, as the CLI leaves them.
import { jsonChanges, type ChangedPath } from '../resources/configuration-history';

export interface PickedFile {
  /** The file's name. */
  readonly name: string;
  /** `library/policyDefinitions/x.json` when a folder was picked; empty for a single file. */
  readonly webkitRelativePath: string;
}

/** The path the import names a picked file by, or undefined when it is no policy file. */
export const importPathOf = (file: PickedFile): string | undefined => {
  const full = (file.webkitRelativePath || file.name).replace(/\\/g, '/');
  if (!/\.jsonc?$/i.test(full)) return undefined;
  const parts = full.split('/');
  // the picked folder itself is not part of the path
  const inside = file.webkitRelativePath ? parts.slice(1) : parts;
  if (inside.slice(0, -1).some((p) => p.startsWith('.') || p === 'node_modules')) return undefined;
  return inside.join('/');
};

/** What the plan's counts say, in words. */
export const planSummary = (counts: { add: number; change: number; unchanged: number; refused: number; skipped: number }): string =>
  `${counts.add} to add, ${counts.change} to change, ${counts.unchanged} unchanged, ${counts.refused} refused, ${counts.skipped} skipped`;


/** What changed from one version of a library artifact to another, path by path (JSON Pointer), in path order. */
export const versionChanges = (from: string, to: string): ChangedPath[] =>
  jsonChanges(JSON.parse(from) as object, JSON.parse(to) as object).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
