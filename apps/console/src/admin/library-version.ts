// Which version of a provider's library definition (or initiative) a tenant's assignment evaluates,
// as the policies page says it: following the latest (each new version adopted) or pinned to one (a
// rollback), and the version typed in when the library's own list is not the person's to read.

/** Mirrors libs/guardrails' library baseline ids: `lib-definition:<name>`, `lib-definition:<name>@<n>` (and `lib-initiative:` alike). */
const LIBRARY_PREFIXES = [
  ['lib-definition:', 'definition'],
  ['lib-initiative:', 'initiative'],
] as const;

export interface LibraryVersion {
  /** What policyLibraryArtifact calls it. */
  readonly kind: 'definition' | 'initiative';
  /** The definition's name as the baseline id carries it (any case: the library knows names case-insensitively). */
  readonly name: string;
  /** The version evaluated now; undefined when the id names none. */
  readonly inForce?: number;
  /** New versions are adopted as the library records them. */
  readonly following: boolean;
}

/** What an assignment says about its library version; undefined when it evaluates nothing of the provider's library. */
export const libraryVersionOf = (assignment: { readonly baselineId: string; readonly follows?: string | null }): LibraryVersion | undefined => {
  const [prefix, kind] = LIBRARY_PREFIXES.find(([p]) => assignment.baselineId.toLowerCase().startsWith(p)) ?? [];
  if (!prefix || !kind) return undefined;
  const rest = assignment.baselineId.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  const version = at > 0 ? Number(rest.slice(at + 1)) : Number.NaN;
  const versioned = Number.isInteger(version) && version >= 1;
  const name = versioned ? rest.slice(0, at) : rest;
  if (!name) return undefined;
  return { kind, name, following: Boolean(assignment.follows), ...(versioned ? { inForce: version } : {}) };
};

/** The id that follows the artifact's latest version, as the baselines query offers it. */
export const followingIdOf = (v: LibraryVersion): string => `lib-${v.kind}:${v.name.toLowerCase()}`;

/**
 * A library baseline's title without the version it names (libs/guardrails titles each version
 * `<display name> (library, version n)`): the assignment says which version it evaluates itself.
 */
export const unversionedTitle = (title: string): string => title.replace(/ \(library(?: initiative)?, version \d+\)$/, '');

/** The sentence next to the assignment; `latest` (the library's newest version) when known. */
export const versionLabel = (v: LibraryVersion, latest?: number): string => {
  if (v.following) return v.inForce === undefined ? 'Follows the latest version' : `Follows the latest version: version ${v.inForce} in force`;
  if (v.inForce === undefined) return 'Pinned';
  return `Pinned to version ${v.inForce}${latest !== undefined && latest > v.inForce ? `; the library's latest is version ${latest}` : ''}`;
};

/** The short tag in the assignments table. */
export const versionTag = (v: LibraryVersion): string =>
  v.following ? `follows the latest${v.inForce === undefined ? '' : ` · v${v.inForce}`}` : `pinned${v.inForce === undefined ? '' : ` to v${v.inForce}`}`;

/** The version offered first for pinning: the one before the version in force (a rollback), else the one in force. */
export const suggestedPin = (v: LibraryVersion): number => Math.max(1, (v.inForce ?? 1) - (v.following ? 1 : 0));

/** A version typed in: a whole number from 1 (the API says whether the library has it). */
export const parseVersion = (text: string): { ok: true; version: number } | { ok: false; message: string } => {
  const trimmed = text.trim();
  const version = Number(trimmed);
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(version) && version >= 1 ? { ok: true, version } : { ok: false, message: 'A version is a whole number from 1.' };
};

export const pinnedMessage = (assignmentId: string, version: number): string =>
  `${assignmentId} is pinned to version ${version}: the tenant is evaluated against it again, and later versions are not adopted until it follows the latest again.`;

export const followingMessage = (assignmentId: string): string => `${assignmentId} follows the latest version again: the tenant is evaluated against it, and each new version is adopted.`;
