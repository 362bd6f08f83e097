// What the rollout pages share: the what-if per tenant (the one just run, with the resources that
// would break the baseline; the one recorded with a plan, counts only) and the titles a rollout's
// baseline is shown by.
import type { RolloutTenantWhatIf } from '../api/operations';
import { whatIfSinceText } from '../admin/rollouts';
import { Badge } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import { Link } from '../router/router';
import { useSignedIn } from '../session';

/** Rampart's baselines, the provider's library and Azure's standards, by id. */
export const baselineTitles = (data: { baselines: readonly { id: string; title: string }[]; standards: readonly { id: string; title: string }[] }): Map<string, string> =>
  new Map([...data.baselines, ...data.standards].map((b) => [b.id, b.title]));

/** "Financial services (financial-services)", or the id alone when the catalog does not know it (any more). */
export const baselineText = (baselineId: string, titles: ReadonlyMap<string, string>): string => {
  const title = titles.get(baselineId);
  return title && title !== baselineId ? `${title} (${baselineId})` : baselineId;
};

export const RolloutWhatIfTable = ({ rows, ringOf, caption }: { rows: readonly RolloutTenantWhatIf[]; ringOf?: (tenantId: string) => string | undefined; caption: string }) => {
  const { tenants } = useSignedIn();
  const nameOf = (id: string) => tenants.get(id)?.displayName ?? id;
  const withResources = rows.some((r) => r.resources !== undefined);
  return (
    <div className="table-scroll">
      <table className="table table-cards">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            {ringOf ? <th scope="col">Ring</th> : null}
            <th scope="col" className="num">
              Would break it now
            </th>
            <th scope="col" className="num">
              Ever broke it
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col">Since</th>
            {withResources ? <th scope="col">Resources</th> : null}
          </tr>
        </thead>
        <tbody>
          {[...rows]
            .sort((a, b) => nameOf(a.tenantId).localeCompare(nameOf(b.tenantId)))
            .map((row) => (
              <tr key={row.tenantId} data-tenant={row.tenantId}>
                <th scope="row" data-label="Tenant">
                  {nameOf(row.tenantId)}
                  <span className="muted small block">{row.tenantId}</span>
                </th>
                {ringOf ? <td data-label="Ring">{ringOf(row.tenantId) ?? '—'}</td> : null}
                <td data-label="Would break it now" className="num">
                  {row.nonCompliantNow}
                </td>
                <td data-label="Ever broke it" className="num">
                  {row.nonCompliantEver}
                </td>
                <td data-label="Errors" className="num">
                  {row.errors}
                </td>
                <td data-label="Since">{whatIfSinceText(row)}</td>
                {withResources ? (
                  <td data-label="Resources">
                    <WhatIfResources row={row} name={nameOf(row.tenantId)} />
                  </td>
                ) : null}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
};

/** The resources behind a tenant's counts (those still breaking it first), and the guardrails it could not replay. */
const WhatIfResources = ({ row, name }: { row: RolloutTenantWhatIf; name: string }) => {
  const resources = row.resources ?? [];
  const refused = row.refused ?? [];
  const now = resources.filter((r) => r.now).length;
  if (resources.length === 0 && refused.length === 0) return <span className="muted">none</span>;
  return (
    <>
      {resources.length ? (
        <details>
          <summary>
            {resources.length} finding{resources.length === 1 ? '' : 's'}, {now} still<span className="visually-hidden"> in {name}</span>
          </summary>
          <table className="table">
            <caption className="visually-hidden">Resources that would break it in {name}</caption>
            <thead>
              <tr>
                <th scope="col">Resource</th>
                <th scope="col">Guardrail</th>
                <th scope="col">State</th>
                <th scope="col">Since</th>
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <tr key={`${r.guardrailId}|${r.resourceId}|${r.state}`} data-resource={r.resourceId}>
                  <th scope="row">
                    <Link to={{ name: 'resource', tenantId: row.tenantId, resourceId: r.resourceId }}>{resourceName(r.resourceId)}</Link>
                    <span className="muted small block">{r.resourceType}</span>
                  </th>
                  <td>
                    <code className="small">{r.guardrailId}</code>
                  </td>
                  <td>
                    <Badge value={r.state} prefix="State" />
                    <span className="small block">{r.now ? 'still' : 'not any more'}</span>
                  </td>
                  <td>{formatDateTime(r.since)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
      {refused.length ? (
        <details>
          <summary>{refused.length} guardrail{refused.length === 1 ? '' : 's'} not replayed</summary>
          <ul className="plain-list small">
            {refused.map((why) => (
              <li key={why}>{why}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
};
