// The console's addresses. Pure: path -> route and route -> path, so links and the History API
// router agree, and a tampered URL is just another route the API then authorizes.

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'signed-in' }
  | { readonly name: 'soc-queue' }
  | { readonly name: 'soc-overview' }
  /** Every response action waiting for approval that the person may see, oldest first. */
  | { readonly name: 'approvals' }
  | { readonly name: 'tenant-incidents'; readonly tenantId: string }
  | { readonly name: 'incident'; readonly tenantId: string; readonly incidentId: string }
  | { readonly name: 'posture'; readonly tenantId: string }
  | { readonly name: 'findings'; readonly tenantId: string }
  /** Regulatory compliance: the tenant's standards, one of them with its controls when `standardId` is set. */
  | { readonly name: 'standards'; readonly tenantId: string; readonly standardId?: string }
  /** The tenant's attestations of controls no rule checks: their status, approval and revocation, and the policy. */
  | { readonly name: 'attestations'; readonly tenantId: string }
  /** Proof of coverage: which resources' verdicts rest on evidence older than the tenant's interval, and the interval. */
  | { readonly name: 'coverage'; readonly tenantId: string }
  /** Agreement with Azure: Azure Policy's own states beside Rampart's verdicts (`?kind=` filters the rows). */
  | { readonly name: 'agreement'; readonly tenantId: string }
  | { readonly name: 'resource'; readonly tenantId: string; readonly resourceId: string }
  | { readonly name: 'audit'; readonly tenantId: string }
  /** A tenant's own policy library: its custom definitions and initiatives, and their import. */
  | { readonly name: 'tenant-library'; readonly tenantId: string }
  /** One artifact of a tenant's own library: its versions, where the tenant assigns it, its retirement. */
  | { readonly name: 'tenant-library-artifact'; readonly tenantId: string; readonly kind: 'definition' | 'initiative'; readonly artifact: string }
  /** Administration (platform admins): every tenant, and one tenant's teams, connections and keys. */
  | { readonly name: 'admin-tenants' }
  | { readonly name: 'admin-tenant'; readonly tenantId: string }
  /** A tenant's baselines and standards, exemptions, notifications and incident policy. */
  | { readonly name: 'admin-policies'; readonly tenantId: string }
  /** The provider's policy library: custom definitions and initiatives, and their import. */
  | { readonly name: 'admin-library' }
  /** One artifact of the library: its versions, and what changed between two of them. */
  | { readonly name: 'admin-library-artifact'; readonly kind: 'definition' | 'initiative'; readonly artifact: string }
  /** The provider's tenant groups (platform admins), and one group's members and assignments. */
  | { readonly name: 'admin-groups' }
  | { readonly name: 'admin-group'; readonly groupId: string }
  /** Staged rollouts of a baseline to a tenant group (platform admins): every one (`?group=` one group's), one, and planning one (`?group=` preselects it). */
  | { readonly name: 'admin-rollouts' }
  | { readonly name: 'admin-rollout'; readonly rolloutId: string }
  | { readonly name: 'admin-new-rollout' }
  | { readonly name: 'not-found'; readonly path: string };

const enc = encodeURIComponent;

export const pathFor = (route: Route): string => {
  switch (route.name) {
    case 'home':
      return '/';
    case 'signed-in':
      return '/signed-in';
    case 'soc-queue':
      return '/soc/queue';
    case 'soc-overview':
      return '/soc/overview';
    case 'approvals':
      return '/approvals';
    case 'tenant-incidents':
      return `/tenants/${enc(route.tenantId)}/incidents`;
    case 'incident':
      return `/tenants/${enc(route.tenantId)}/incidents/${enc(route.incidentId)}`;
    case 'posture':
      return `/tenants/${enc(route.tenantId)}/posture`;
    case 'findings':
      return `/tenants/${enc(route.tenantId)}/findings`;
    case 'standards':
      return `/tenants/${enc(route.tenantId)}/standards${route.standardId ? `/${enc(route.standardId)}` : ''}`;
    case 'attestations':
      return `/tenants/${enc(route.tenantId)}/attestations`;
    case 'coverage':
      return `/tenants/${enc(route.tenantId)}/coverage`;
    case 'agreement':
      return `/tenants/${enc(route.tenantId)}/agreement`;
    case 'resource':
      // An ARM id is a path itself: its segments follow /resources, each encoded.
      return `/tenants/${enc(route.tenantId)}/resources/${route.resourceId.replace(/^\/+/, '').split('/').map(enc).join('/')}`;
    case 'audit':
      return `/tenants/${enc(route.tenantId)}/audit`;
    case 'tenant-library':
      return `/tenants/${enc(route.tenantId)}/library`;
    case 'tenant-library-artifact':
      return `/tenants/${enc(route.tenantId)}/library/${route.kind}s/${enc(route.artifact)}`;
    case 'admin-tenants':
      return '/admin/tenants';
    case 'admin-tenant':
      return `/admin/tenants/${enc(route.tenantId)}`;
    case 'admin-policies':
      return `/admin/tenants/${enc(route.tenantId)}/policies`;
    case 'admin-library':
      return '/admin/library';
    case 'admin-library-artifact':
      return `/admin/library/${route.kind}s/${enc(route.artifact)}`;
    case 'admin-groups':
      return '/admin/groups';
    case 'admin-group':
      return `/admin/groups/${enc(route.groupId)}`;
    case 'admin-rollouts':
      return '/admin/rollouts';
    case 'admin-rollout':
      return `/admin/rollouts/${enc(route.rolloutId)}`;
    case 'admin-new-rollout':
      // not /admin/rollouts/new: "new" is a rollout id the domain accepts
      return '/admin/new-rollout';
    case 'not-found':
      return route.path;
  }
};

const decode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

export const matchRoute = (pathname: string): Route => {
  const segments = pathname.split('/').filter((s) => s !== '');
  const parts = segments.map(decode);
  const notFound: Route = { name: 'not-found', path: pathname };
  if (parts.some((p) => p === undefined || p === '')) return notFound;
  const [a, b, c, d, ...rest] = parts as string[];
  if (segments.length === 0) return { name: 'home' };
  if (segments.length === 1 && a === 'signed-in') return { name: 'signed-in' };
  if (segments.length === 1 && a === 'approvals') return { name: 'approvals' };
  if (a === 'soc' && segments.length === 2) {
    if (b === 'queue') return { name: 'soc-queue' };
    if (b === 'overview') return { name: 'soc-overview' };
    return notFound;
  }
  if (a === 'admin') {
    if (segments.length === 1 || (segments.length === 2 && b === 'tenants')) return { name: 'admin-tenants' };
    if (segments.length === 2 && b === 'library') return { name: 'admin-library' };
    if (segments.length === 2 && b === 'groups') return { name: 'admin-groups' };
    if (segments.length === 3 && b === 'groups' && c) return { name: 'admin-group', groupId: c };
    if (segments.length === 2 && b === 'rollouts') return { name: 'admin-rollouts' };
    if (segments.length === 3 && b === 'rollouts' && c) return { name: 'admin-rollout', rolloutId: c };
    if (segments.length === 2 && b === 'new-rollout') return { name: 'admin-new-rollout' };
    if (segments.length === 4 && b === 'library' && (c === 'definitions' || c === 'initiatives') && d) {
      return { name: 'admin-library-artifact', kind: c === 'definitions' ? 'definition' : 'initiative', artifact: d };
    }
    if (segments.length === 3 && b === 'tenants' && c) return { name: 'admin-tenant', tenantId: c };
    if (segments.length === 4 && b === 'tenants' && c && d === 'policies') return { name: 'admin-policies', tenantId: c };
    return notFound;
  }
  if (a === 'tenants' && segments.length === 1) return { name: 'admin-tenants' };
  if (a !== 'tenants' || !b || !c) return notFound;
  const tenantId = b;
  if (c === 'resources' && d) return { name: 'resource', tenantId, resourceId: `/${[d, ...rest].join('/')}` };
  if (segments.length === 3) {
    if (c === 'incidents') return { name: 'tenant-incidents', tenantId };
    if (c === 'posture') return { name: 'posture', tenantId };
    if (c === 'findings') return { name: 'findings', tenantId };
    if (c === 'audit') return { name: 'audit', tenantId };
    if (c === 'standards') return { name: 'standards', tenantId };
    if (c === 'attestations') return { name: 'attestations', tenantId };
    if (c === 'coverage') return { name: 'coverage', tenantId };
    if (c === 'agreement') return { name: 'agreement', tenantId };
    if (c === 'library') return { name: 'tenant-library', tenantId };
  }
  if (segments.length === 5 && c === 'library' && (d === 'definitions' || d === 'initiatives') && rest[0]) {
    return { name: 'tenant-library-artifact', tenantId, kind: d === 'definitions' ? 'definition' : 'initiative', artifact: rest[0] };
  }
  if (segments.length === 4 && c === 'standards' && d) return { name: 'standards', tenantId, standardId: d };
  if (segments.length === 4 && c === 'incidents' && d) return { name: 'incident', tenantId, incidentId: d };
  return notFound;
};

/** The tenant a route is about, if any: what an authorization message names. */
export const tenantOf = (route: Route): string | undefined => ('tenantId' in route ? route.tenantId : undefined);
