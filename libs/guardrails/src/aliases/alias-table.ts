// Azure Policy aliases: which JSON path of a resource a name like
// `Microsoft.Storage/storageAccounts/networkAcls.defaultAction` reads, per resource type.
// The shipped table is generated from public dumps (README.md next to this file), one JSON module per
// resource-provider namespace, read on the first lookup in that namespace: a run that evaluates a
// storage policy parses the storage aliases, not the 75,000 of every namespace. Names are looked up
// case-insensitively because policies spell them freely (`Microsoft.DocumentDB/databaseAccounts/Locations[*]`).

export interface AliasDefinition {
  /** Alias name as the table spells it. */
  readonly name: string;
  /** Resource type that owns the alias; the alias reads nothing on other types. */
  readonly type: string;
  /** Default path in the resource document, e.g. `properties.securityRules[*].properties.access`. */
  readonly path: string;
}

export interface AliasTable {
  /** Every definition of the alias (provider-level aliases such as `Microsoft.Sql/auditingSettings.state` have one per type). */
  find(name: string): readonly AliasDefinition[];
  /** The latest stable API version known for the type (what compliance scans use for `requestContext().apiVersion`). */
  apiVersion(type: string): string | undefined;
}

/** Aliases and API versions per resource type: keys relative to the type or full names, values compact paths (decodeAliasPath). */
export interface AliasData {
  readonly types: readonly { readonly type: string; readonly apiVersion?: string; readonly aliases: Readonly<Record<string, string>> }[];
}

/**
 * The same, as the generated data/<namespace>.json files hold it in a third of the size: per type, one
 * array alternating key and value, sorted. A key is front-coded against the previous key of the type,
 * `"<n> <rest>"` meaning its first n characters, then rest; a value without a space is a compact path
 * as in AliasData ('' or a 0/1 mask), one with a space a path front-coded against the previous such
 * path of the type. Alias names and paths hold no spaces (the generator checks).
 */
export interface PackedAliasData {
  readonly types: readonly { readonly type: string; readonly apiVersion?: string; readonly aliases: readonly string[] }[];
}

/**
 * Expands the compact path forms: '' is `properties.<key>`; a string of 0/1 digits, one per
 * dot-separated segment of the key, marks the segments preceded by a `properties.` envelope
 * (`securityRules[*].access` + '11' = `properties.securityRules[*].properties.access`); anything else is
 * the path itself.
 */
export const decodeAliasPath = (key: string, encoded: string): string => {
  if (encoded === '') return `properties.${key}`;
  if (/^[01]+$/.test(encoded)) {
    const segments = key.split('.');
    if (segments.length === encoded.length) return segments.map((s, i) => (encoded[i] === '1' ? `properties.${s}` : s)).join('.');
  }
  return encoded;
};

const unfront = (previous: string, coded: string): string => {
  const space = coded.indexOf(' ');
  return previous.slice(0, Number(coded.slice(0, space))) + coded.slice(space + 1);
};

const isPacked = (aliases: Readonly<Record<string, string>> | readonly string[]): aliases is readonly string[] => Array.isArray(aliases);

/** Calls `visit` with each key and compact value of a type's aliases, in either form. */
const eachAlias = (aliases: Readonly<Record<string, string>> | readonly string[], visit: (key: string, encoded: string) => void) => {
  if (!isPacked(aliases)) {
    for (const [key, encoded] of Object.entries(aliases)) visit(key, encoded);
    return;
  }
  let key = '';
  let path = '';
  for (let i = 0; i + 1 < aliases.length; i += 2) {
    key = unfront(key, aliases[i]);
    const value = aliases[i + 1];
    visit(key, value.includes(' ') ? (path = unfront(path, value)) : value);
  }
};

/** Either form, or both mixed (the shipped data plus the supplement). */
export interface AliasSource {
  readonly types: readonly (AliasData['types'][number] | PackedAliasData['types'][number])[];
}

export const createAliasTable = (data: AliasSource): AliasTable => {
  // Definitions are made on the first lookup of a name: a namespace holds thousands of aliases and a
  // policy names a few (building them all took Microsoft.Network three times as long to load).
  const entries = new Map<string, (readonly [type: string, key: string, encoded: string])[]>();
  const definitions = new Map<string, readonly AliasDefinition[]>();
  const apiVersions = new Map<string, string>();
  for (const { type, apiVersion, aliases } of data.types) {
    if (apiVersion) apiVersions.set(type.toLowerCase(), apiVersion);
    const lowerType = type.toLowerCase();
    eachAlias(aliases, (key, encoded) => {
      const lower = key.includes('/') ? key.toLowerCase() : `${lowerType}/${key.toLowerCase()}`;
      const list = entries.get(lower);
      if (list) list.push([type, key, encoded]);
      else entries.set(lower, [[type, key, encoded]]);
    });
  }
  const definitionsOf = (lower: string): readonly AliasDefinition[] => {
    let found = definitions.get(lower);
    if (!found) {
      found = (entries.get(lower) ?? []).map(([type, key, encoded]) =>
        key.includes('/') ? { name: key, type, path: encoded } : { name: `${type}/${key}`, type, path: decodeAliasPath(key, encoded) },
      );
      if (found.length) definitions.set(lower, found);
    }
    return found;
  };
  return {
    find: (name) => definitionsOf(name.toLowerCase()),
    apiVersion: (type) => apiVersions.get(type.toLowerCase()),
  };
};

/** The namespace of an alias name or a resource type, lowercase (`microsoft.storage`); '' without one. */
export const aliasNamespaceOf = (name: string): string => {
  const slash = name.indexOf('/');
  return slash < 0 ? '' : name.slice(0, slash).toLowerCase();
};

/**
 * A table whose data is read one namespace at a time, on the first lookup of a name in it: `load` is
 * called at most once per namespace and only for the listed ones (lowercase), so a name a policy
 * makes up never reaches it.
 */
export const createLazyAliasTable = (namespaces: Iterable<string>, load: (namespace: string) => AliasSource): AliasTable => {
  const known = new Set([...namespaces].map((n) => n.toLowerCase()));
  const tables = new Map<string, AliasTable>();
  const tableOf = (name: string): AliasTable | undefined => {
    const namespace = aliasNamespaceOf(name);
    let namespaceTable = tables.get(namespace);
    if (!namespaceTable && known.has(namespace)) tables.set(namespace, (namespaceTable = createAliasTable(load(namespace))));
    return namespaceTable;
  };
  return {
    find: (name) => tableOf(name)?.find(name) ?? [],
    apiVersion: (type) => tableOf(type)?.apiVersion(type),
  };
};

/**
 * Aliases Azure defines that the public dumps may miss, added by hand with their documented paths
 * (README.md, "Supplement"); the generated data wins where it has the alias. Role assignments
 * (Resource Graph `authorizationresources`), which the privileged-access guardrail reads; two
 * Microsoft.MobileNetwork aliases that built-in definitions name, a namespace neither dump covers.
 */
export const SUPPLEMENTARY_ALIASES: AliasData = {
  types: [
    {
      type: 'Microsoft.Authorization/roleAssignments',
      aliases: {
        roleDefinitionId: 'properties.roleDefinitionId',
        principalId: 'properties.principalId',
        principalType: 'properties.principalType',
        scope: 'properties.scope',
      },
    },
    {
      type: 'Microsoft.MobileNetwork/packetCoreControlPlanes',
      aliases: { 'localDiagnosticsAccess.authenticationType': 'properties.localDiagnosticsAccess.authenticationType' },
    },
    { type: 'Microsoft.MobileNetwork/simGroups', aliases: { 'encryptionKey.keyUrl': 'properties.encryptionKey.keyUrl' } },
  ],
};

/** The generated data of a namespace plus the supplement's aliases it lacks. */
const withSupplement = (namespace: string, data: AliasSource): AliasSource => {
  const extra = SUPPLEMENTARY_ALIASES.types.filter((t) => aliasNamespaceOf(t.type) === namespace);
  if (!extra.length) return data;
  const generated = createAliasTable(data);
  const missing = extra.map(({ type, aliases }) => ({
    type,
    aliases: Object.fromEntries(
      Object.entries(aliases).filter(([key]) => !generated.find(key.includes('/') ? key : `${type}/${key}`).some((d) => d.type.toLowerCase() === type.toLowerCase())),
    ),
  }));
  return { types: [...data.types, ...missing] };
};

interface AliasIndex {
  /** Namespace (lowercase) -> how many aliases its file holds. */
  readonly namespaces: Readonly<Record<string, number>>;
}

// JSON modules read through the module loader, like the built-in definitions: no file-system access
// in this domain library. The index is checked first, so only generated file names are required.
let index: AliasIndex | undefined;
const shippedIndex = (): AliasIndex => (index ??= require('./data/index.json') as AliasIndex);
const loadShipped = (namespace: string) =>
  withSupplement(namespace, Object.hasOwn(shippedIndex().namespaces, namespace) ? (require(`./data/${namespace}.json`) as PackedAliasData) : { types: [] });

/** The namespaces the shipped data covers (lowercase), with how many aliases each has. */
export const shippedAliasNamespaces = (): ReadonlyMap<string, number> => new Map(Object.entries(shippedIndex().namespaces));

let table: AliasTable | undefined;

/** The alias table shipped with the library (generated data plus the supplement), each namespace read on first use. */
export const shippedAliasTable = (): AliasTable =>
  (table ??= createLazyAliasTable([...Object.keys(shippedIndex().namespaces), ...SUPPLEMENTARY_ALIASES.types.map((t) => aliasNamespaceOf(t.type))], loadShipped));
