// A tenant's own policy library: the custom definitions and initiatives only this tenant can be held
// to, kept as code by its customer admins and the SOC that looks after it (guardrails.manage); whoever
// reads the tenant sees what it holds. Imported as the provider's library is (library-parts.tsx),
// but recorded at once: no second person. Assigned from the tenant's guardrails and policies as
// `tenant-definition:<name>` / `tenant-initiative:<name>`.
import { useQuery } from '../api/hooks';
import { TENANT_POLICY_LIBRARY_ARTIFACT_QUERY, TENANT_POLICY_LIBRARY_QUERY, type TenantPolicyLibraryArtifactQuery, type TenantPolicyLibraryQuery } from '../api/operations';
import { tenantLibrary } from '../admin/library-scope';
import { offers, type Me } from '../auth/roles';
import { ErrorPanel, Loading, NotFound, PageHeader } from '../components/ui';
import { Link } from '../router/router';
import { useSignedIn } from '../session';
import { ArtifactPage, ImportFolder, LibraryTable } from './library-parts';

/** Imports and retirements are for those who manage the tenant's guardrails, and not once its tenancy has ended. */
const mayChange = (me: Me, tenantId: string, tenant: { readonly status: string }): boolean => tenant.status !== 'offboarded' && offers(me, 'managePolicies', tenantId);

const ReadOnlyNotice = ({ offboarded }: { offboarded: boolean }) => (
  <p className="notice">
    {offboarded
      ? 'This tenancy has ended: its own library stays readable, nothing more changes.'
      : "You may read the tenant's own library; a customer admin, a SOC lead or a platform admin imports into it and retires from it."}
  </p>
);

export const TenantLibraryPage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const query = useQuery(`tenant-library:${tenantId}`, (client, signal) => client.request<TenantPolicyLibraryQuery>(TENANT_POLICY_LIBRARY_QUERY, { tenantId }, { signal }));
  if (query.error) return <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />;
  if (!query.data) return <Loading what="the tenant's own policy library" />;
  const { tenant, tenantPolicyLibrary: artifacts } = query.data;
  if (!tenant) return <NotFound what={`tenant ${tenantId}`} />;
  const scope = tenantLibrary(tenantId);
  const manage = mayChange(me, tenantId, tenant);
  return (
    <>
      <PageHeader
        title={`Own policy library of ${tenant.displayName}`}
        subtitle={
          <>
            Custom Azure Policy definitions and initiatives only <code>{tenantId}</code> can be held to, imported as code and kept in every version ·{' '}
            <Link to={{ name: 'admin-policies', tenantId }}>Guardrails and policies</Link>
          </>
        }
      />
      {manage ? <ImportFolder scope={scope} onRecorded={query.reload} /> : <ReadOnlyNotice offboarded={tenant.status === 'offboarded'} />}
      <section className="panel" aria-labelledby="library-title">
        <h2 id="library-title">In the tenant's own library</h2>
        {artifacts.length === 0 ? (
          <p className="empty">
            {manage ? (
              <>
                The tenant's own library is empty: import a folder above, or run <code>rampart policy import &lt;folder&gt; --for-tenant {tenantId} --apply</code>.
              </>
            ) : (
              "The tenant's own library is empty."
            )}
          </p>
        ) : (
          <>
            <LibraryTable scope={scope} artifacts={artifacts} caption="Own policy library" />
            <p className="hint">
              Assigned from <Link to={{ name: 'admin-policies', tenantId }}>Guardrails and policies</Link>, as <code>tenant-definition:&lt;name&gt;</code> or{' '}
              <code>tenant-initiative:&lt;name&gt;</code>: no other tenant can be assigned them.
            </p>
          </>
        )}
      </section>
    </>
  );
};

/** One artifact of the tenant's own library: its versions, what changed, where the tenant assigns it, its members and its retirement. */
export const TenantLibraryArtifactPage = ({ tenantId, kind, name }: { tenantId: string; kind: 'definition' | 'initiative'; name: string }) => {
  const { me } = useSignedIn();
  const query = useQuery(`tenant-library:${tenantId}/${kind}/${name}`, (client, signal) =>
    client.request<TenantPolicyLibraryArtifactQuery>(TENANT_POLICY_LIBRARY_ARTIFACT_QUERY, { tenantId, kind, name }, { signal }),
  );
  if (query.error) return <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />;
  if (!query.data) return <Loading what={`the ${kind} ${name}`} />;
  const { tenant, tenantPolicyLibraryArtifact: artifact } = query.data;
  if (!tenant) return <NotFound what={`tenant ${tenantId}`} />;
  if (!artifact) return <NotFound what={`the ${kind} ${name} in the tenant's own library`} />;
  return (
    <ArtifactPage
      scope={tenantLibrary(tenantId)}
      artifact={artifact}
      whose={`the own policy library of ${tenant.displayName}`}
      back={{ to: { name: 'tenant-library', tenantId }, label: 'All of the own library' }}
      mayRetire={mayChange(me, tenantId, tenant)}
      onChanged={query.reload}
    />
  );
};
