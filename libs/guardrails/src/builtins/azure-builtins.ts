// Azure's built-in policy definitions and initiatives, as vendored in corpus/azure-builtins (see its
// README): loaded on demand, one category file at a time, so code that needs one definition does
// not parse thirty megabytes. They are data compiled into the library like the alias table, read
// through the module loader: no file-system access in this domain library.

export interface BuiltInEntry {
  /** The definition's or initiative's name: the GUID at the end of its id, lowercase. */
  readonly name: string;
  /** Repository path below policyDefinitions/ or policySetDefinitions/. */
  readonly path: string;
  readonly displayName: string;
  /** The category folder, e.g. `Storage`, `Regulatory Compliance`, `Azure Government/Key Vault`. */
  readonly category: string;
  readonly mode?: string;
  readonly version?: string;
  /** `BuiltIn` or `Static` (a placeholder for a control that needs evidence, not an evaluation). */
  readonly policyType?: string;
}

interface IndexEntry extends Omit<BuiltInEntry, 'name'> {
  readonly file: string;
}

type Kind = 'definitions' | 'initiatives';

const load = (kind: Kind, file: string): unknown => require(`../../corpus/azure-builtins/${kind}/${file}`);

const indexes = new Map<Kind, ReadonlyMap<string, IndexEntry>>();
const indexOf = (kind: Kind): ReadonlyMap<string, IndexEntry> => {
  let index = indexes.get(kind);
  if (!index) {
    index = new Map(Object.entries(load(kind, 'index.json') as Record<string, IndexEntry>));
    indexes.set(kind, index);
  }
  return index;
};

/** The name in a policy definition or initiative id (`/providers/Microsoft.Authorization/policyDefinitions/<name>`), lowercase. */
export const builtInNameOf = (idOrName: string): string => idOrName.slice(idOrName.lastIndexOf('/') + 1).toLowerCase();

const entries = (kind: Kind): BuiltInEntry[] => [...indexOf(kind)].map(([name, { file: _file, ...entry }]) => ({ name, ...entry }));

const contentOf = (kind: Kind, idOrName: string): unknown => {
  const entry = indexOf(kind).get(builtInNameOf(idOrName));
  if (!entry) return undefined;
  return (load(kind, entry.file) as Record<string, unknown>)[entry.path];
};

/** Every built-in definition, one per name (Azure Government's copies only where the public cloud has none). */
export const builtInDefinitions = (): BuiltInEntry[] => entries('definitions');
/** Every built-in initiative (one per name). */
export const builtInInitiatives = (): BuiltInEntry[] => entries('initiatives');

/** A built-in definition as Azure publishes it, by id or name; undefined when Azure has none of that name. */
export const builtInDefinition = (idOrName: string): unknown => contentOf('definitions', idOrName);
/** A built-in initiative as Azure publishes it, by id or name. */
export const builtInInitiative = (idOrName: string): unknown => contentOf('initiatives', idOrName);
