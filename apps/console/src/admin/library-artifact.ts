// One artifact of a policy library (the provider's or a tenant's own) as its page shows it: the
// assignments of it with the version each evaluates, an initiative version's members, and its
// retirement in words.
import type { PolicyLibraryAssignment, PolicyLibraryMember } from '../api/operations';
import { PROVIDER_LIBRARY, type LibraryScope } from './library-scope';
import { libraryVersionOf } from './library-version';

export interface AssignmentRow {
  readonly tenantId: string;
  readonly assignmentId: string;
  readonly scope: string;
  /** The version it evaluates now; undefined when its id names none. */
  readonly inForce?: number;
  /** New versions are adopted as the library records them (else pinned). */
  readonly following: boolean;
}

/** Where the artifact is assigned, by tenant and assignment. */
export const assignmentRows = (assignments: readonly PolicyLibraryAssignment[]): AssignmentRow[] =>
  assignments
    .map((a) => {
      const inForce = libraryVersionOf(a)?.inForce;
      return { tenantId: a.tenantId, assignmentId: a.assignmentId, scope: a.scope, following: Boolean(a.follows), ...(inForce === undefined ? {} : { inForce }) };
    })
    .sort((a, b) => a.tenantId.localeCompare(b.tenantId) || a.assignmentId.localeCompare(b.assignmentId));

/** How many tenants and assignments, in words; a tenant's own artifact is assigned in that tenant only. */
export const assignmentSummary = (rows: readonly AssignmentRow[], scope: LibraryScope = PROVIDER_LIBRARY): string => {
  const pinned = rows.filter((r) => !r.following).length;
  const pins = pinned ? `, ${pinned} pinned to a version` : '';
  if (scope.owner === 'tenant') return rows.length === 0 ? 'No assignment of the tenant evaluates it.' : `${plural(rows.length, 'assignment')} of the tenant${pins}.`;
  if (rows.length === 0) return 'No tenant is assessed against it.';
  return `${plural(rows.length, 'assignment')} in ${plural(new Set(rows.map((r) => r.tenantId)).size, 'tenant')}${pins}.`;
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** Where a member comes from, in words: in a tenant's initiative, its own library or the provider's. */
export const memberSource = (member: Pick<PolicyLibraryMember, 'source'>, scope: LibraryScope = PROVIDER_LIBRARY): string => {
  switch (member.source) {
    case 'built-in':
      return 'built-in (Azure)';
    case 'library':
      return scope.owner === 'provider' ? 'library' : "provider's library";
    case 'tenant':
      return 'own library';
    default:
      return member.source;
  }
};

/** An initiative version's members in words: how many, and how many come from each library. */
export const memberSummary = (members: readonly PolicyLibraryMember[], scope: LibraryScope = PROVIDER_LIBRARY): string => {
  const count = (source: string) => members.filter((m) => m.source === source).length;
  const own = count('tenant');
  const library = count('library');
  const builtIn = members.length - own - library;
  const parts = [
    own ? plural(own, 'own definition') : '',
    library ? (scope.owner === 'provider' ? plural(library, 'library definition') : `${plural(library, 'definition')} of the provider's library`) : '',
    builtIn ? plural(builtIn, 'built-in') : '',
  ].filter(Boolean);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
  return `${plural(members.length, 'member')}${listed ? `: ${listed}` : ''}`;
};

/** The sentence after a retirement. */
export const retiredMessage = (retired: { readonly kind: string; readonly name: string; readonly version: number }): string =>
  `Retired ${retired.kind} ${retired.name} at version ${retired.version}: no longer offered to new assignments; the assignments already made keep the version they evaluate until changed.`;
