// One artifact of the provider's library as its page shows it: the tenants' assignments of it with
// the version each evaluates, an initiative version's members, and its retirement in words.
import type { PolicyLibraryAssignment, PolicyLibraryMember } from '../api/operations';
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

/** How many tenants and assignments, in words. */
export const assignmentSummary = (rows: readonly AssignmentRow[]): string => {
  if (rows.length === 0) return 'No tenant is assessed against it.';
  const tenants = new Set(rows.map((r) => r.tenantId)).size;
  const pinned = rows.filter((r) => !r.following).length;
  return `${rows.length} assignment${rows.length === 1 ? '' : 's'} in ${tenants} tenant${tenants === 1 ? '' : 's'}${pinned ? `, ${pinned} pinned to a version` : ''}.`;
};

/** Where a member comes from, in words. */
export const memberSource = (member: Pick<PolicyLibraryMember, 'source'>): string => (member.source === 'library' ? 'library' : member.source === 'built-in' ? 'built-in (Azure)' : member.source);

/** An initiative version's members in words: how many, and how many are the library's own. */
export const memberSummary = (members: readonly PolicyLibraryMember[]): string => {
  const library = members.filter((m) => m.source === 'library').length;
  const builtIn = members.length - library;
  const parts = [library ? `${library} library definition${library === 1 ? '' : 's'}` : '', builtIn ? `${builtIn} built-in${builtIn === 1 ? '' : 's'}` : ''].filter(Boolean);
  return `${members.length} member${members.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(' and ')}` : ''}`;
};

/** The sentence after a retirement. */
export const retiredMessage = (retired: { readonly kind: string; readonly name: string; readonly version: number }): string =>
  `Retired ${retired.kind} ${retired.name} at version ${retired.version}: no longer offered to new assignments; the assignments already made keep the version they evaluate until changed.`;
