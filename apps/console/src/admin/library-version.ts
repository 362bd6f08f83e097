// Which version of a library definition (or initiative) a tenant's assignment evaluates, the
// provider's or the tenant's own, as the policies page says it: following the latest (each new
// version adopted) or pinned to one (a rollback), and the version typed in when the library's own
// list is not the person's to read. A tenant's own artifacts are offered for assignment from its
// library, since the baselines query lists none of them.
import type { PolicyLibraryArtifact } from '../api/operations';

/**
 * Mirrors libs/guardrails' library baseline ids: `lib-definition:<name>`, `lib-definition:<name>@<n>`
 * (and `lib-initiative:` alike) for the provider's, `tenant-definition:` and `tenant-initiative:` for a tenant's own.
 */
const LIBRARY_PREFIXES = [
  ['lib-definition:', 'provider', 'definition'],
  ['lib-initiative:', 'provider', 'initiative'],
  ['tenant-definition:', 'tenant', 'definition'],
  ['tenant-initiative:', 'tenant', 'initiative'],
] as const;

export interface LibraryVersion {
  /** Whose library: the provider's, or the tenant's own. */
  readonly owner: 'provider' | 'tenant';
  /** What policyLibraryArtifact (tenantPolicyLibraryArtifact) calls it. */
  readonly kind: 'definition' | 'initiative';
  /** The definition's name as the baseline id carries it (any case: the library knows names case-insensitively). */
  readonly name: string;
  /** The version evaluated now; undefined when the id names none. */
  readonly inForce?: number;
  /** New versions are adopted as the library records them. */
  readonly following: boolean;
}

/** What an assignment says about its library version; undefined when it evaluates nothing of a library. */
export const libraryVersionOf = (assignment: { readonly baselineId: string; readonly follows?: string | null }): LibraryVersion | undefined => {
  const [prefix, owner, kind] = LIBRARY_PREFIXES.find(([p]) => assignment.baselineId.toLowerCase().startsWith(p)) ?? [];
  if (!prefix || !owner || !kind) return undefined;
  const rest = assignment.baselineId.slice(prefix.length);
  const at = rest.lastIndexOf('@');
  const version = at > 0 ? Number(rest.slice(at + 1)) : Number.NaN;
  const versioned = Number.isInteger(version) && version >= 1;
  const name = versioned ? rest.slice(0, at) : rest;
  if (!name) return undefined;
  return { owner, kind, name, following: Boolean(assignment.follows), ...(versioned ? { inForce: version } : {}) };
};

/** The id that follows the artifact's latest version, as the baselines query (or ownLibraryBaselines) offers it. */
export const followingIdOf = (v: Pick<LibraryVersion, 'owner' | 'kind' | 'name'>): string => `${v.owner === 'provider' ? 'lib' : 'tenant'}-${v.kind}:${v.name.toLowerCase()}`;

/**
 * A library baseline's title without the version it names (libs/guardrails titles each version
 * `<display name> (library, version n)`, a tenant's own `(own library, version n)`): the assignment
 * says which version it evaluates itself.
 */
export const unversionedTitle = (title: string): string => title.replace(/ \((?:own )?library(?: initiative)?, version \d+\)$/, '');

/**
 * An assignment's baseline as a page names it: its title, a library artifact's without the version
 * its title was offered with (the assignment says which version it evaluates), else its id.
 */
export const assignedTitle = (assignment: { readonly baselineId: string; readonly follows?: string | null }, titles: ReadonlyMap<string, string>): string => {
  const library = libraryVersionOf(assignment);
  const offered = library && titles.get(followingIdOf(library));
  return titles.get(assignment.baselineId) ?? (offered ? unversionedTitle(offered) : assignment.baselineId);
};

/** A tenant's own artifact as the assign form offers it: the id that follows its latest version, titled as libs/guardrails titles it. */
export interface OwnLibraryBaseline {
  readonly id: string;
  readonly kind: 'definition' | 'initiative';
  readonly name: string;
  readonly title: string;
  /** No longer offered to new assignments; its title still names the assignments already made. */
  readonly retired: boolean;
}

/** The tenant's own definitions, then its initiatives, by title. */
export const ownLibraryBaselines = (artifacts: readonly Pick<PolicyLibraryArtifact, 'kind' | 'name' | 'displayName' | 'version' | 'retired'>[]): OwnLibraryBaseline[] =>
  artifacts
    .flatMap((a): OwnLibraryBaseline[] => {
      if (a.kind !== 'definition' && a.kind !== 'initiative') return [];
      const kind = a.kind;
      const title = `${a.displayName} (own library${kind === 'initiative' ? ' initiative' : ''}, version ${a.version})`;
      return [{ id: followingIdOf({ owner: 'tenant', kind, name: a.name }), kind, name: a.name, title, retired: a.retired }];
    })
    .sort((a, b) => Number(a.kind === 'initiative') - Number(b.kind === 'initiative') || a.title.localeCompare(b.title));

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
