// The provider's policy library, for platform admins: what it holds, and an import of the folder the
// library is kept in (library-parts.tsx: the plan, what its new and changed definitions would find in
// the tenants that follow them, and the record). When the library policy asks for a second person,
// the confirmed plan is proposed instead, and waits for another platform admin
// (admin-library-changes.tsx). An artifact's page: its versions, where it is assigned, an
// initiative's members, and its retirement.
import { useQuery } from '../api/hooks';
import { LIBRARY_CHANGES_QUERY, POLICY_LIBRARY_ARTIFACT_QUERY, POLICY_LIBRARY_QUERY, type LibraryChangesQuery, type PolicyLibraryArtifactQuery, type PolicyLibraryQuery } from '../api/operations';
import { libraryName, PROVIDER_LIBRARY } from '../admin/library-scope';
import { ErrorPanel, Loading, NotFound, PageHeader } from '../components/ui';
import { LibraryChangesSection, LibraryPolicySection } from './admin-library-changes';
import { ArtifactPage, ImportFolder, LibraryTable } from './library-parts';

export const AdminLibraryPage = () => {
  const query = useQuery('policy-library', (client, signal) => client.request<PolicyLibraryQuery>(POLICY_LIBRARY_QUERY, {}, { signal }));
  const changes = useQuery('policy-library-changes', (client, signal) => client.request<LibraryChangesQuery>(LIBRARY_CHANGES_QUERY, {}, { signal }));
  const artifacts = query.data?.policyLibrary ?? [];
  return (
    <>
      <PageHeader title="Policy library" subtitle="The provider's custom Azure Policy definitions and initiatives, imported as code and kept in every version" />
      <LibraryPolicySection changes={changes} />
      <LibraryChangesSection changes={changes} onPublished={query.reload} />
      <ImportFolder scope={PROVIDER_LIBRARY} approvalRequired={changes.data?.libraryPolicy.approvalRequired ?? false} onRecorded={query.reload} onProposed={changes.reload} />
      <section className="panel" aria-labelledby="library-title">
        <h2 id="library-title">In the library</h2>
        {query.error ? (
          <ErrorPanel error={query.error} onRetry={query.reload} />
        ) : !query.data ? (
          <Loading what="the library" />
        ) : artifacts.length === 0 ? (
          <p className="empty">
            The library is empty: import a folder above, or run <code>rampart policy import &lt;folder&gt; --apply</code>.
          </p>
        ) : (
          <LibraryTable scope={PROVIDER_LIBRARY} artifacts={artifacts} caption="Policy library" />
        )}
      </section>
    </>
  );
};

/** One artifact: every version, what changed between two of them, each as imported, where it is assigned, and its retirement. */
export const AdminLibraryArtifactPage = ({ kind, name }: { kind: 'definition' | 'initiative'; name: string }) => {
  const query = useQuery(`policy-library/${kind}/${name}`, (client, signal) => client.request<PolicyLibraryArtifactQuery>(POLICY_LIBRARY_ARTIFACT_QUERY, { kind, name }, { signal }));
  if (query.error) return <ErrorPanel error={query.error} onRetry={query.reload} />;
  if (!query.data) return <Loading what={`the ${kind} ${name}`} />;
  const artifact = query.data.policyLibraryArtifact;
  if (!artifact) return <NotFound what={`the ${kind} ${name} in the library`} />;
  return (
    <ArtifactPage
      scope={PROVIDER_LIBRARY}
      artifact={artifact}
      whose={libraryName(PROVIDER_LIBRARY)}
      back={{ to: { name: 'admin-library' }, label: 'All of the library' }}
      mayRetire
      onChanged={query.reload}
    />
  );
};
