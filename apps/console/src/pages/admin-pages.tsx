// Administration for platform admins: tenants (onboard, offboard, SOC teams), their cloud
// connections and API keys. Every form calls the same GraphQL mutations as the CLI; the API decides
// and its refusals are shown next to the form that caused them. Destructive steps (offboard, remove
// a connection, revoke a key) take a second, explicit step that names what goes.
import { useState, type FormEvent } from 'react';
import { allPages, useQuery } from '../api/hooks';
import {
  ADD_CLOUD_CONNECTION_MUTATION,
  ADMIN_TENANT_QUERY,
  ADMIN_TENANTS_QUERY,
  ASSIGN_SOC_TEAM_MUTATION,
  ISSUE_API_KEY_MUTATION,
  OFFBOARD_TENANT_MUTATION,
  ONBOARD_TENANT_MUTATION,
  REMOVE_CLOUD_CONNECTION_MUTATION,
  REVOKE_API_KEY_MUTATION,
  type AdminTenant,
  type AdminTenantQuery,
  type AdminTenantsQuery,
  type ApiKey,
  type AssignSocTeamMutation,
  type IssueApiKeyMutation,
  type OnboardTenantMutation,
  type RevokeApiKeyMutation,
  type TenantChangeMutation,
} from '../api/operations';
import { Badge, ErrorPanel, Field, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime } from '../format';
import { offers } from '../auth/roles';
import { ConfirmStep, listOf, OutcomeMessage, useSubmit } from '../components/forms';
import { Link, useRouter } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';

/** Mirrors SECTORS of libs/tenancy-contract (the API refuses any other with its list). */
const SECTORS = ['finance', 'retail', 'manufacturing', 'healthcare', 'public', 'energy', 'technology', 'other'] as const;
/** The roles a key may carry: the customer's, issued by its admin, or the SOC's, issued by a lead of its team. */
const CUSTOMER_KEY_ROLES = ['customer.viewer', 'customer.admin'] as const;
const SOC_KEY_ROLES = ['soc.analyst', 'soc.lead'] as const;
const DAY = 86_400_000;

// --- tenants --------------------------------------------------------------------------------------

export const AdminTenantsPage = () => {
  const query = useQuery('admin-tenants', async (client, signal) =>
    allPages((after) => client.request<AdminTenantsQuery>(ADMIN_TENANTS_QUERY, { after }, { signal }).then((d) => d.tenants), 100),
  );
  const [filter, setFilter] = useState('');
  const [showOffboarded, setShowOffboarded] = useState(false);
  const tenants = (query.data?.nodes ?? [])
    .filter((t) => showOffboarded || t.status !== 'offboarded')
    .filter((t) => !filter || `${t.tenantId} ${t.displayName} ${t.sector} ${t.socTeams.join(' ')}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <PageHeader title="Tenants" subtitle="Onboard customers, assign SOC teams, connect their clouds and issue their API keys" />
      <OnboardTenant onDone={query.reload} />
      <section className="panel" aria-labelledby="tenants-title">
        <h2 id="tenants-title">All tenants</h2>
        <div className="filters">
          <Field id="tenant-filter" label="Search">
            <input id="tenant-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="id, name, sector or team" />
          </Field>
          <label className="checkbox">
            <input type="checkbox" checked={showOffboarded} onChange={(e) => setShowOffboarded(e.target.checked)} /> Show offboarded tenants
          </label>
        </div>
        {query.error ? (
          <ErrorPanel error={query.error} onRetry={query.reload} />
        ) : !query.data ? (
          <Loading what="tenants" />
        ) : tenants.length === 0 ? (
          <p className="empty">No tenant matches.</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Tenants</caption>
              <thead>
                <tr>
                  <th scope="col">Tenant</th>
                  <th scope="col">Status</th>
                  <th scope="col">Sector</th>
                  <th scope="col">SOC teams</th>
                  <th scope="col" className="num">
                    Cloud connections
                  </th>
                  <th scope="col">Onboarded</th>
                </tr>
              </thead>
              <tbody>
                {tenants.map((t) => (
                  <tr key={t.tenantId} data-tenant={t.tenantId}>
                    <th scope="row" data-label="Tenant">
                      <Link to={{ name: 'admin-tenant', tenantId: t.tenantId }}>{t.displayName}</Link>
                      <span className="muted small block">{t.tenantId}</span>
                    </th>
                    <td data-label="Status">
                      <Badge value={t.status} prefix="Status" />
                    </td>
                    <td data-label="Sector">{t.sector}</td>
                    <td data-label="SOC teams">{t.socTeams.join(', ') || <span className="muted">none</span>}</td>
                    <td data-label="Cloud connections" className="num">
                      {t.connections.length}
                    </td>
                    <td data-label="Onboarded">{formatDateTime(t.onboardedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {query.data && !query.data.complete ? <p className="small muted">The first 5,000 tenants.</p> : null}
      </section>
    </>
  );
};

const OnboardTenant = ({ onDone }: { onDone: () => void }) => {
  const { navigate } = useRouter();
  const submit = useSubmit();
  const [tenantId, setTenantId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [sector, setSector] = useState<string>('finance');
  const [contactEmail, setContactEmail] = useState('');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await submit.run<OnboardTenantMutation>(ONBOARD_TENANT_MUTATION, { tenantId, displayName, sector, contactEmail }, () => `Tenant ${tenantId} onboarded.`);
    if (done) {
      onDone();
      navigate(pathFor({ name: 'admin-tenant', tenantId }));
    }
  };
  return (
    <section className="panel" aria-labelledby="onboard-title">
      <h2 id="onboard-title">Onboard a tenant</h2>
      <form onSubmit={onSubmit}>
        <div className="form-row">
          <Field id="onboard-id" label="Tenant id" hint="Lowercase letters, digits and inner hyphens; it names the tenant in every API call and cannot change.">
            <input id="onboard-id" value={tenantId} onChange={(e) => setTenantId(e.target.value.trim())} required pattern="[a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?" aria-describedby="onboard-id-hint" autoComplete="off" />
          </Field>
          <Field id="onboard-name" label="Display name">
            <input id="onboard-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={200} />
          </Field>
          <Field id="onboard-sector" label="Sector">
            <select id="onboard-sector" value={sector} onChange={(e) => setSector(e.target.value)}>
              {SECTORS.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <Field id="onboard-email" label="Security contact email">
            <input id="onboard-email" type="email" value={contactEmail} onChange={(e) => setContactEmail(e.target.value)} required />
          </Field>
        </div>
        <button type="submit" className="button button-primary" disabled={submit.busy}>
          {submit.busy ? 'Onboarding…' : 'Onboard tenant'}
        </button>
        <OutcomeMessage outcome={submit.outcome} />
      </form>
    </section>
  );
};

// --- one tenant -----------------------------------------------------------------------------------

export const AdminTenantPage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const query = useQuery(`admin-tenant:${tenantId}`, (client, signal) => client.request<AdminTenantQuery>(ADMIN_TENANT_QUERY, { tenantId }, { signal }));
  if (query.error) {
    return (
      <>
        <PageHeader title={`Tenant ${tenantId}`} />
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      </>
    );
  }
  if (!query.data) return <Loading what="the tenant" />;
  const tenant = query.data.tenant;
  if (!tenant) {
    return (
      <>
        <PageHeader title={`Tenant ${tenantId}`} />
        <NotFound what={`Tenant ${tenantId}`} />
        <p>
          <Link to="/admin/tenants">All tenants</Link>
        </p>
      </>
    );
  }
  const keys = query.data.apiKeys.edges.map((e) => e.node);
  const offboarded = tenant.status === 'offboarded';
  const may = (what: Parameters<typeof offers>[1]) => offers(me, what, tenantId);
  return (
    <>
      <PageHeader
        title={tenant.displayName}
        subtitle={
          <>
            <code>{tenant.tenantId}</code> · <Badge value={tenant.status} prefix="Status" />
            {may('administerTenants') ? (
              <>
                {' '}
                · <Link to="/admin/tenants">All tenants</Link>
              </>
            ) : null}
          </>
        }
        actions={
          <>
            {may('managePolicies') ? (
              <Link to={{ name: 'admin-policies', tenantId }} className="button">
                Guardrails and policies
              </Link>
            ) : null}
            <Link to={{ name: 'posture', tenantId }} className="button">
              Open posture
            </Link>
          </>
        }
      />
      <section className="panel" aria-labelledby="facts-title">
        <h2 id="facts-title">Tenancy</h2>
        <dl className="facts">
          <Stat label="Sector" value={tenant.sector} />
          <Stat label="Onboarded" value={formatDateTime(tenant.onboardedAt)} />
          <Stat label="Revision" value={tenant.revision} />
          {tenant.suspendedReason ? <Stat label="Suspended because" value={tenant.suspendedReason} /> : null}
        </dl>
        {offboarded ? <p className="notice">This tenancy has ended: its history stays readable, nothing more changes.</p> : null}
      </section>
      <SocTeams tenant={tenant} onDone={query.reload} disabled={offboarded || !may('administerTenants')} />
      <Connections tenant={tenant} onDone={query.reload} disabled={offboarded || !may('manageConnections')} />
      <ApiKeys
        tenantId={tenantId}
        keys={keys}
        onDone={query.reload}
        disabled={offboarded || !may('manageApiKeys')}
        issuable={[...(may('issueCustomerKeys') ? CUSTOMER_KEY_ROLES : []), ...(may('issueSocKeys') ? SOC_KEY_ROLES : [])]}
      />
      {offboarded || !may('administerTenants') ? null : <Offboard tenant={tenant} onDone={query.reload} />}
    </>
  );
};

const SocTeams = ({ tenant, onDone, disabled }: { tenant: AdminTenant; onDone: () => void; disabled: boolean }) => {
  const submit = useSubmit();
  const [team, setTeam] = useState('');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    // Decided on the revision shown: a change someone else made meanwhile is refused, not overwritten.
    const done = await submit.run<AssignSocTeamMutation>(ASSIGN_SOC_TEAM_MUTATION, { tenantId: tenant.tenantId, socTeam: team, expectedRevision: tenant.revision }, () => `SOC team ${team} assigned.`);
    if (done) {
      setTeam('');
      onDone();
    }
  };
  return (
    <section className="panel" aria-labelledby="teams-title">
      <h2 id="teams-title">SOC teams</h2>
      {tenant.socTeams.length ? (
        <ul className="chips" aria-label="SOC teams of the tenant">
          {tenant.socTeams.map((t) => (
            <li key={t} className="chip">
              {t}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No SOC team looks after this tenant yet: its incidents reach no analyst's queue.</p>
      )}
      {disabled ? null : (
        <form className="inline-form" onSubmit={onSubmit}>
          <div className="form-row">
            <Field id="team-name" label="Assign a SOC team" hint="The team's name as your SOC grants use it, e.g. blue.">
              <input id="team-name" value={team} onChange={(e) => setTeam(e.target.value.trim())} required pattern="[a-z0-9]([a-z0-9\-]{0,38}[a-z0-9])?" aria-describedby="team-name-hint" />
            </Field>
          </div>
          <button type="submit" className="button" disabled={submit.busy}>
            Assign team
          </button>
          <OutcomeMessage outcome={submit.outcome} />
        </form>
      )}
    </section>
  );
};

const Connections = ({ tenant, onDone, disabled }: { tenant: AdminTenant; onDone: () => void; disabled: boolean }) => {
  const add = useSubmit();
  const remove = useSubmit();
  const [connectionId, setConnectionId] = useState('');
  const [entraTenantId, setEntraTenantId] = useState('');
  const [credentialReference, setCredentialReference] = useState('default');
  const [subscriptions, setSubscriptions] = useState('');
  const [managementGroups, setManagementGroups] = useState('');
  const [removing, setRemoving] = useState<string>();
  const onAdd = async (event: FormEvent) => {
    event.preventDefault();
    const input = { tenantId: tenant.tenantId, connectionId, entraTenantId: entraTenantId.trim(), credentialReference, subscriptions: listOf(subscriptions), managementGroups: listOf(managementGroups) };
    const done = await add.run<TenantChangeMutation>(ADD_CLOUD_CONNECTION_MUTATION, input, () => `Connection ${connectionId} added; the worker collects it on its next round.`);
    if (done) {
      setConnectionId('');
      setSubscriptions('');
      setManagementGroups('');
      onDone();
    }
  };
  const onRemove = async (id: string) => {
    const done = await remove.run<TenantChangeMutation>(REMOVE_CLOUD_CONNECTION_MUTATION, { tenantId: tenant.tenantId, connectionId: id }, () => `Connection ${id} removed; what it collected stays in the history.`);
    if (done) {
      setRemoving(undefined);
      onDone();
    }
  };
  return (
    <section className="panel" aria-labelledby="connections-title">
      <h2 id="connections-title">Cloud connections</h2>
      {tenant.connections.length === 0 ? (
        <p className="empty">No cloud connection: resources arrive only by push or file.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">Cloud connections of {tenant.displayName}</caption>
            <thead>
              <tr>
                <th scope="col">Connection</th>
                <th scope="col">Entra tenant</th>
                <th scope="col">Scope</th>
                <th scope="col">Credential</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tenant.connections.map((c) => (
                <tr key={c.connectionId}>
                  <th scope="row" data-label="Connection">
                    {c.connectionId} <span className="muted small">({c.provider})</span>
                  </th>
                  <td data-label="Entra tenant">
                    <code className="break">{c.entraTenantId}</code>
                  </td>
                  <td data-label="Scope">
                    {[...c.subscriptions.map((s) => `subscription ${s}`), ...c.managementGroups.map((m) => `management group ${m}`)].map((s) => (
                      <span key={s} className="block small">
                        {s}
                      </span>
                    ))}
                  </td>
                  <td data-label="Credential">
                    <code>{c.credentialReference}</code>
                  </td>
                  <td data-label="Actions">
                    {disabled ? null : (
                      <ConfirmStep
                        confirming={removing === c.connectionId}
                        startLabel="Remove…"
                        onStart={() => setRemoving(c.connectionId)}
                        question={`Stop collecting from ${c.connectionId}? Its resources are removed from the inventory at the next snapshot of other connections; their history stays.`}
                        confirmLabel={`Remove connection ${c.connectionId}`}
                        busy={remove.busy}
                        onConfirm={() => onRemove(c.connectionId)}
                        onCancel={() => setRemoving(undefined)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeMessage outcome={remove.outcome} />
      {disabled ? null : (
        <form className="inline-form" onSubmit={onAdd} aria-labelledby="add-connection-title">
          <h3 id="add-connection-title">Add an Azure connection</h3>
          <div className="form-row">
            <Field id="conn-id" label="Connection id" hint="Lowercase letters, digits and inner hyphens, e.g. prod.">
              <input id="conn-id" value={connectionId} onChange={(e) => setConnectionId(e.target.value.trim())} required aria-describedby="conn-id-hint" />
            </Field>
            <Field id="conn-entra" label="Entra tenant (directory) id" hint="A GUID.">
              <input id="conn-entra" value={entraTenantId} onChange={(e) => setEntraTenantId(e.target.value)} required aria-describedby="conn-entra-hint" autoComplete="off" />
            </Field>
            <Field id="conn-credential" label="Credential reference" hint="The name of a credential configured for the worker (RAMPART_AZURE_CREDENTIAL_<NAME>_*), never the secret itself.">
              <input id="conn-credential" value={credentialReference} onChange={(e) => setCredentialReference(e.target.value.trim())} required aria-describedby="conn-credential-hint" autoComplete="off" />
            </Field>
          </div>
          <div className="form-row">
            <Field id="conn-subscriptions" label="Subscription ids" hint="GUIDs, separated by spaces, commas or lines.">
              <textarea id="conn-subscriptions" rows={2} value={subscriptions} onChange={(e) => setSubscriptions(e.target.value)} aria-describedby="conn-subscriptions-hint" />
            </Field>
            <Field id="conn-groups" label="Management groups" hint="Their names; a connection needs subscriptions, management groups or both.">
              <textarea id="conn-groups" rows={2} value={managementGroups} onChange={(e) => setManagementGroups(e.target.value)} aria-describedby="conn-groups-hint" />
            </Field>
          </div>
          <button type="submit" className="button" disabled={add.busy}>
            Add connection
          </button>
          <OutcomeMessage outcome={add.outcome} />
        </form>
      )}
    </section>
  );
};

const keyState = (key: ApiKey): string => (key.revokedAt ? 'revoked' : Date.parse(key.expiresAt) <= Date.now() ? 'expired' : 'active');

const ApiKeys = ({
  tenantId,
  keys,
  onDone,
  disabled,
  issuable,
}: {
  tenantId: string;
  keys: readonly ApiKey[];
  onDone: () => void;
  disabled: boolean;
  /** The roles this person may put on a key of the tenant; none: no form, and who can. */
  issuable: readonly string[];
}) => {
  const issue = useSubmit();
  const revoke = useSubmit();
  const [name, setName] = useState('');
  const [roles, setRoles] = useState<string[]>(issuable.slice(0, 1));
  const [expires, setExpires] = useState(new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10));
  const [issued, setIssued] = useState<{ keyId: string; name: string; secret: string; expiresAt: string }>();
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState<string>();
  const [reason, setReason] = useState('');
  const onIssue = async (event: FormEvent) => {
    event.preventDefault();
    setIssued(undefined);
    setCopied(false);
    const result = await issue.run<IssueApiKeyMutation>(ISSUE_API_KEY_MUTATION, { tenantId, name, roles, expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() }, () => `Key ${name} issued.`);
    if (result && result.__typename === 'ApiKeyIssued') {
      setIssued({ keyId: result.keyId, name, secret: result.secret, expiresAt: result.expiresAt });
      setName('');
      onDone();
    }
  };
  const onRevoke = async (key: ApiKey) => {
    const done = await revoke.run<RevokeApiKeyMutation>(REVOKE_API_KEY_MUTATION, { tenantId, keyId: key.keyId, reason }, () => `Key ${key.name} revoked: it is refused from the next request on.`);
    if (done) {
      setRevoking(undefined);
      setReason('');
      onDone();
    }
  };
  const copy = async (secret: string) => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const toggleRole = (role: string, on: boolean) => setRoles((rs) => (on ? [...new Set([...rs, role])] : rs.filter((r) => r !== role)));
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {issued ? (
        <div className="notice notice-warning secret" role="status" aria-labelledby="secret-title">
          <h3 id="secret-title">The secret of {issued.name}, shown this once</h3>
          <p>Store it in your secret manager now: Rampart keeps only its hash and cannot show it again. It expires {formatDateTime(issued.expiresAt)}.</p>
          <code className="break secret-value" aria-label="API key secret">
            {issued.secret}
          </code>
          <div className="button-row">
            <button type="button" className="button button-small" onClick={() => copy(issued.secret)}>
              {copied ? 'Copied' : 'Copy secret'}
            </button>
            <button type="button" className="button button-small button-quiet" onClick={() => setIssued(undefined)}>
              I have stored it
            </button>
          </div>
        </div>
      ) : null}
      {keys.length === 0 ? (
        <p className="empty">No API keys.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-cards">
            <caption className="visually-hidden">API keys of {tenantId}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Roles</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const state = keyState(k);
                return (
                  <tr key={k.keyId} data-key={k.keyId}>
                    <th scope="row" data-label="Name">
                      {k.name}
                      <span className="muted small block">{k.keyId}</span>
                    </th>
                    <td data-label="Roles">{k.roles.join(', ')}</td>
                    <td data-label="Issued">
                      {formatDateTime(k.issuedAt)} <span className="muted small block">by {k.issuedBy}</span>
                    </td>
                    <td data-label="Expires">{formatDateTime(k.expiresAt)}</td>
                    <td data-label="State">
                      <Badge value={state === 'active' ? 'active' : state === 'revoked' ? 'failed' : 'neutral'} label={state} prefix="State" />
                      {k.revokedReason ? <span className="muted small block">{k.revokedReason}</span> : null}
                    </td>
                    <td data-label="Actions">
                      {disabled || state !== 'active' ? null : (
                        <ConfirmStep
                          confirming={revoking === k.keyId}
                          startLabel="Revoke…"
                          onStart={() => setRevoking(k.keyId)}
                          question={`Revoke ${k.name}? Integrations using it are refused from their next request.`}
                          confirmLabel={`Revoke key ${k.name}`}
                          busy={revoke.busy}
                          onConfirm={() => onRevoke(k)}
                          onCancel={() => setRevoking(undefined)}
                          reason={{ id: `revoke-reason-${k.keyId}`, label: 'Reason (kept in the audit trail)', value: reason, onChange: setReason }}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <OutcomeMessage outcome={revoke.outcome} />
      {disabled ? null : issuable.length === 0 ? (
        <p className="small muted">
          Keys are issued by the tenant&apos;s customer admin (customer roles) or by a lead of a SOC team that looks after it (SOC roles), each answering for the keys they issue; you can
          list and revoke them here.
        </p>
      ) : (
        <form className="inline-form" onSubmit={onIssue} aria-labelledby="issue-key-title">
          <h3 id="issue-key-title">Issue an API key</h3>
          <div className="form-row">
            <Field id="key-name" label="Name" hint="What uses it, e.g. ticketing-sync.">
              <input id="key-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} aria-describedby="key-name-hint" />
            </Field>
            <Field id="key-expires" label="Expires (UTC date)" hint="At most a year ahead.">
              <input
                id="key-expires"
                type="date"
                value={expires}
                min={new Date(Date.now() + DAY).toISOString().slice(0, 10)}
                max={new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10)}
                onChange={(e) => setExpires(e.target.value)}
                required
                aria-describedby="key-expires-hint"
              />
            </Field>
            <fieldset className="field">
              <legend>Roles</legend>
              {issuable.map((role) => (
                <label key={role} className="checkbox">
                  <input type="checkbox" checked={roles.includes(role)} onChange={(e) => toggleRole(role, e.target.checked)} /> {role}
                </label>
              ))}
            </fieldset>
          </div>
          <button type="submit" className="button" disabled={issue.busy || roles.length === 0}>
            Issue key
          </button>
          <OutcomeMessage outcome={issue.outcome} />
        </form>
      )}
    </section>
  );
};

const Offboard = ({ tenant, onDone }: { tenant: AdminTenant; onDone: () => void }) => {
  const submit = useSubmit();
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await submit.run<TenantChangeMutation>(OFFBOARD_TENANT_MUTATION, { tenantId: tenant.tenantId, reason }, () => `${tenant.displayName} offboarded.`);
    if (done) onDone();
  };
  return (
    <section className="panel panel-danger" aria-labelledby="offboard-title">
      <h2 id="offboard-title">End the tenancy</h2>
      <p>Offboarding stops collection, evaluation and incidents for {tenant.displayName}. Its history stays readable and exportable; it cannot be undone.</p>
      <form onSubmit={onSubmit}>
        <div className="form-row">
          <Field id="offboard-reason" label="Reason (kept in the audit trail)">
            <input id="offboard-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
          </Field>
          <Field id="offboard-confirm" label={`Type the tenant id, ${tenant.tenantId}, to confirm`}>
            <input id="offboard-confirm" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" required />
          </Field>
        </div>
        <button type="submit" className="button button-danger" disabled={submit.busy || typed !== tenant.tenantId || !reason.trim()}>
          Offboard {tenant.tenantId}
        </button>
        <OutcomeMessage outcome={submit.outcome} />
      </form>
    </section>
  );
};
