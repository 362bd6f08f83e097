// Azure Policy aliases: which JSON path of a resource a name like
// `Microsoft.Storage/storageAccounts/networkAcls.defaultAction` reads, per resource type.
// The shipped table is generated from public dumps (README.md next to this file); names are looked up
// case-insensitively because policies spell them freely (`Microsoft.DocumentDB/databaseAccounts/Locations[*]`).
import shipped from './aliases.generated.json';

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

/** Shape of aliases.generated.json (see tools/scripts/build-policy-aliases.ts). */
export interface AliasData {
  readonly types: readonly { readonly type: string; readonly apiVersion?: string; readonly aliases: Readonly<Record<string, string>> }[];
}

/**
 * Expands the generated file's compact path forms: '' is `properties.<key>`; a string of 0/1 digits,
 * one per dot-separated segment of the key, marks the segments preceded by a `properties.` envelope
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

export const createAliasTable = (data: AliasData): AliasTable => {
  const byName = new Map<string, AliasDefinition[]>();
  const apiVersions = new Map<string, string>();
  for (const entry of data.types) {
    if (entry.apiVersion) apiVersions.set(entry.type.toLowerCase(), entry.apiVersion);
    for (const [key, encoded] of Object.entries(entry.aliases)) {
      const full = key.includes('/');
      const name = full ? key : `${entry.type}/${key}`;
      const definition = { name, type: entry.type, path: full ? encoded : decodeAliasPath(key, encoded) };
      const lower = name.toLowerCase();
      const list = byName.get(lower);
      if (list) list.push(definition);
      else byName.set(lower, [definition]);
    }
  }
  return {
    find: (name) => byName.get(name.toLowerCase()) ?? [],
    apiVersion: (type) => apiVersions.get(type.toLowerCase()),
  };
};

/**
 * Aliases Azure defines that the public dumps do not cover, added by hand with their documented
 * paths: role assignments (Resource Graph `authorizationresources`), which the privileged-access
 * guardrail reads.
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
  ],
};

let table: AliasTable | undefined;

/** The alias table shipped with the library (generated data plus the supplement), built on first use. */
export const shippedAliasTable = (): AliasTable =>
  (table ??= createAliasTable({ types: [...(shipped as unknown as AliasData).types, ...SUPPLEMENTARY_ALIASES.types] }));
