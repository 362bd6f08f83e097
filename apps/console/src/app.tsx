// The shell: skip link, header with who is signed in, navigation by role and tenant, and the page
// of the current route.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { describeGrant, isPlatformAdmin, isSoc, offers, homePath } from './auth/roles';
import { Loading } from './components/ui';
import { SignInPage } from './pages/sign-in-page';
import { SocQueuePage } from './pages/soc-queue-page';
import { Link, useRouter } from './router/router';
import { pathFor, tenantOf, type Route } from './router/routes';
import { useSession, useSignedIn } from './session';

// Each page's code loads when it is first shown (the queue, where most people start, comes with
// the shell): the first screen does not wait for charts and forms it does not show.
const ApprovalsPage = lazy(() => import('./pages/approvals-page').then((m) => ({ default: m.ApprovalsPage })));
const AuditPage = lazy(() => import('./pages/audit-page').then((m) => ({ default: m.AuditPage })));
const FindingsPage = lazy(() => import('./pages/findings-page').then((m) => ({ default: m.FindingsPage })));
const IncidentPage = lazy(() => import('./pages/incident-page').then((m) => ({ default: m.IncidentPage })));
const PosturePage = lazy(() => import('./pages/posture-page').then((m) => ({ default: m.PosturePage })));
const ResourcePage = lazy(() => import('./pages/resource-page').then((m) => ({ default: m.ResourcePage })));
const SocOverviewPage = lazy(() => import('./pages/soc-overview-page').then((m) => ({ default: m.SocOverviewPage })));
const CoveragePage = lazy(() => import('./pages/coverage-page').then((m) => ({ default: m.CoveragePage })));
const AgreementPage = lazy(() => import('./pages/agreement-page').then((m) => ({ default: m.AgreementPage })));
const AttestationsPage = lazy(() => import('./pages/attestations-page').then((m) => ({ default: m.AttestationsPage })));
const StandardsPage = lazy(() => import('./pages/standards-page').then((m) => ({ default: m.StandardsPage })));
const TenantIncidentsPage = lazy(() => import('./pages/tenant-incidents-page').then((m) => ({ default: m.TenantIncidentsPage })));
const AdminTenantsPage = lazy(() => import('./pages/admin-pages').then((m) => ({ default: m.AdminTenantsPage })));
const AdminTenantPage = lazy(() => import('./pages/admin-pages').then((m) => ({ default: m.AdminTenantPage })));
const AdminPoliciesPage = lazy(() => import('./pages/admin-policies-page').then((m) => ({ default: m.AdminPoliciesPage })));
const AdminLibraryPage = lazy(() => import('./pages/admin-library-page').then((m) => ({ default: m.AdminLibraryPage })));
const AdminLibraryArtifactPage = lazy(() => import('./pages/admin-library-page').then((m) => ({ default: m.AdminLibraryArtifactPage })));
const AdminGroupsPage = lazy(() => import('./pages/admin-groups-page').then((m) => ({ default: m.AdminGroupsPage })));
const AdminGroupPage = lazy(() => import('./pages/admin-groups-page').then((m) => ({ default: m.AdminGroupPage })));
const AdminRolloutsPage = lazy(() => import('./pages/admin-rollouts-page').then((m) => ({ default: m.AdminRolloutsPage })));
const AdminRolloutPage = lazy(() => import('./pages/admin-rollouts-page').then((m) => ({ default: m.AdminRolloutPage })));
const AdminNewRolloutPage = lazy(() => import('./pages/admin-new-rollout-page').then((m) => ({ default: m.AdminNewRolloutPage })));
const TenantLibraryPage = lazy(() => import('./pages/tenant-library-page').then((m) => ({ default: m.TenantLibraryPage })));
const TenantLibraryArtifactPage = lazy(() => import('./pages/tenant-library-page').then((m) => ({ default: m.TenantLibraryArtifactPage })));

const Page = ({ route }: { route: Route }): ReactNode => {
  switch (route.name) {
    case 'soc-queue':
      return <SocQueuePage />;
    case 'soc-overview':
      return <SocOverviewPage />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'incident':
      return <IncidentPage key={`${route.tenantId}/${route.incidentId}`} tenantId={route.tenantId} incidentId={route.incidentId} />;
    case 'tenant-incidents':
      return <TenantIncidentsPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'posture':
      return <PosturePage key={route.tenantId} tenantId={route.tenantId} />;
    case 'findings':
      return <FindingsPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'standards':
      return <StandardsPage key={route.tenantId} tenantId={route.tenantId} standardId={route.standardId} />;
    case 'attestations':
      return <AttestationsPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'coverage':
      return <CoveragePage key={route.tenantId} tenantId={route.tenantId} />;
    case 'agreement':
      return <AgreementPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'resource':
      return <ResourcePage key={`${route.tenantId}/${route.resourceId}`} tenantId={route.tenantId} resourceId={route.resourceId} />;
    case 'audit':
      return <AuditPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'tenant-library':
      return <TenantLibraryPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'tenant-library-artifact':
      return <TenantLibraryArtifactPage key={`${route.tenantId}/${route.kind}/${route.artifact}`} tenantId={route.tenantId} kind={route.kind} name={route.artifact} />;
    case 'admin-tenants':
      return <AdminTenantsPage />;
    case 'admin-tenant':
      return <AdminTenantPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'admin-policies':
      return <AdminPoliciesPage key={route.tenantId} tenantId={route.tenantId} />;
    case 'admin-library':
      return <AdminLibraryPage />;
    case 'admin-library-artifact':
      return <AdminLibraryArtifactPage key={`${route.kind}/${route.artifact}`} kind={route.kind} name={route.artifact} />;
    case 'admin-groups':
      return <AdminGroupsPage />;
    case 'admin-group':
      return <AdminGroupPage key={route.groupId} groupId={route.groupId} />;
    case 'admin-rollouts':
      return <AdminRolloutsPage />;
    case 'admin-rollout':
      return <AdminRolloutPage key={route.rolloutId} rolloutId={route.rolloutId} />;
    case 'admin-new-rollout':
      return <AdminNewRolloutPage />;
    case 'home':
    case 'signed-in':
      return <Loading what="your start page" />;
    case 'not-found':
      return (
        <section className="notice" role="alert">
          <h1>Page not found</h1>
          <p>
            There is no page at <code>{route.path}</code>. <Link to="/">Go to your start page</Link>.
          </p>
        </section>
      );
  }
};

/** On a phone the navigation folds behind a Menu button (CSS shows it always on wider screens). */
const Navigation = ({ open }: { open: boolean }) => {
  const { me, tenants } = useSignedIn();
  const { route, navigate } = useRouter();
  const routeTenant = tenantOf(route);
  const reachable = me.tenantIds;
  const tenantId = routeTenant && reachable.includes(routeTenant) ? routeTenant : reachable[0];
  const soc = isSoc(me);
  const switchTenant = (next: string) => {
    // one tenant's artifact is no other's: the other tenant's own library instead
    const name = route.name === 'tenant-library-artifact' ? 'tenant-library' : route.name;
    const kind = routeTenant && ['posture', 'coverage', 'agreement', 'standards', 'attestations', 'findings', 'tenant-incidents', 'audit', 'admin-tenant', 'admin-policies', 'tenant-library'].includes(name) ? name : 'posture';
    navigate(pathFor({ name: kind as 'posture', tenantId: next }));
  };
  return (
    <nav id="app-nav" className={open ? 'app-nav app-nav-open' : 'app-nav'} aria-label="Main">
      {soc ? (
        <>
          <h2 className="nav-heading">SOC</h2>
          <ul>
            <li>
              <Link to="/soc/queue">Incident queue</Link>
            </li>
            <li>
              <Link to="/soc/overview">SOC overview</Link>
            </li>
            {me.tenantIds.some((t) => offers(me, 'approveActions', t)) ? (
              <li>
                <Link to="/approvals">Approvals</Link>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      {isPlatformAdmin(me) ? (
        <>
          <h2 className="nav-heading">Administration</h2>
          <ul>
            <li>
              <Link to="/admin/tenants">Tenants</Link>
            </li>
            <li>
              <Link to="/admin/library">Policy library</Link>
            </li>
            <li>
              <Link to="/admin/groups">Tenant groups</Link>
            </li>
            <li>
              <Link to="/admin/rollouts">Rollouts</Link>
            </li>
          </ul>
        </>
      ) : null}
      {tenantId ? (
        <>
          <h2 className="nav-heading">{reachable.length > 1 ? 'Tenant pages' : (tenants.get(tenantId)?.displayName ?? tenantId)}</h2>
          {reachable.length > 1 ? (
            <div className="field field-compact">
              <label htmlFor="nav-tenant">Tenant</label>
              <select id="nav-tenant" value={tenantId} onChange={(e) => switchTenant(e.target.value)}>
                {reachable.map((t) => (
                  <option key={t} value={t}>
                    {tenants.get(t)?.displayName ?? t}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <ul>
            <li>
              <Link to={{ name: 'posture', tenantId }}>Posture</Link>
            </li>
            <li>
              <Link to={{ name: 'coverage', tenantId }}>Coverage</Link>
            </li>
            {offers(me, 'manageConnections', tenantId) ? (
              <li>
                <Link to={{ name: 'agreement', tenantId }}>Agreement with Azure</Link>
              </li>
            ) : null}
            <li>
              <Link to={{ name: 'standards', tenantId }}>Regulatory standards</Link>
            </li>
            <li>
              <Link to={{ name: 'attestations', tenantId }}>Attestations</Link>
            </li>
            <li>
              <Link to={{ name: 'findings', tenantId }}>Findings</Link>
            </li>
            <li>
              <Link to={{ name: 'tenant-incidents', tenantId }}>Incidents</Link>
            </li>
            {!soc && offers(me, 'approveActions', tenantId) ? (
              <li>
                <Link to="/approvals">Approvals</Link>
              </li>
            ) : null}
            {offers(me, 'manageApiKeys', tenantId) || offers(me, 'manageConnections', tenantId) ? (
              <li>
                <Link to={{ name: 'admin-tenant', tenantId }}>Tenant settings</Link>
              </li>
            ) : null}
            {offers(me, 'managePolicies', tenantId) ? (
              <li>
                <Link to={{ name: 'admin-policies', tenantId }}>Guardrails and policies</Link>
              </li>
            ) : null}
            <li>
              <Link to={{ name: 'tenant-library', tenantId }}>Own policy library</Link>
            </li>
            {offers(me, 'auditExport', tenantId) ? (
              <li>
                <Link to={{ name: 'audit', tenantId }}>Audit export</Link>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
    </nav>
  );
};

const Shell = () => {
  const { state, signOut } = useSession();
  const { route, navigate } = useRouter();
  const signedIn = state.status === 'signed-in' ? state : undefined;
  useEffect(() => {
    if (signedIn && (route.name === 'home' || route.name === 'signed-in')) navigate(homePath(signedIn.me), { replace: true });
  }, [signedIn, route.name, navigate]);
  const [menuOpen, setMenuOpen] = useState(false);
  const path = pathFor(route);
  // A page chosen from the menu replaces it: the phone's screen is for the page.
  useEffect(() => setMenuOpen(false), [path]);
  if (!signedIn) return null;
  const { me, session } = signedIn;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Rampart, start page">
          <span aria-hidden="true" className="brand-mark">
            ◆
          </span>{' '}
          Rampart
        </Link>
        <button type="button" className="button button-small menu-button" aria-expanded={menuOpen} aria-controls="app-nav" onClick={() => setMenuOpen((o) => !o)}>
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <div className="who">
          <span className="who-name">{me.displayName ?? session.label}</span>
          <span className="who-roles">{me.grants.map(describeGrant).join(', ')}</span>
          <button type="button" className="button button-small" onClick={() => signOut('You signed out.')}>
            Sign out
          </button>
        </div>
      </header>
      <div className="app-body">
        <Navigation open={menuOpen} />
        <main id="main" tabIndex={-1} className="app-main">
          <Suspense fallback={<Loading what="the page" />}>
            <Page route={route} />
          </Suspense>
        </main>
      </div>
    </div>
  );
};

export const App = () => {
  const { state } = useSession();
  switch (state.status) {
    case 'loading':
      return (
        <main id="main" className="centered">
          <Loading what="the console" />
        </main>
      );
    case 'failed':
      return (
        <main id="main" className="centered">
          <section className="notice notice-error" role="alert">
            <h1>The console cannot start</h1>
            <p>{state.message}</p>
            <button type="button" className="button" onClick={() => window.location.reload()}>
              Try again
            </button>
          </section>
        </main>
      );
    case 'signed-out':
      return <SignInPage config={state.config} notice={state.notice} />;
    case 'signed-in':
      return <Shell />;
  }
};
