// Agreement with Azure: Azure Policy's own compliance states for the tenant, read live from Azure
// Resource Graph through its cloud connections, beside Rampart's verdicts per guardrail and resource.
// What a provider moving from Defender for Cloud asks first: where do the two disagree, and why.
import { useQuery } from '../api/hooks';
import { AZURE_AGREEMENT_QUERY, type AzureAgreement, type AzureAgreementQuery } from '../api/operations';
import { Badge, ErrorPanel, LiveMessage, Loading, NotFound, PageHeader, Stat } from '../components/ui';
import { formatDateTime, resourceName } from '../format';
import {
  AGREEMENT_FILTERS,
  agreementOutcome,
  azureVerdictText,
  filterOf,
  KIND_LABELS,
  KIND_MEANINGS,
  listedNote,
  malformedText,
  notComparableText,
  rampartVerdictText,
  rateDetail,
  rateText,
  readThrough,
  resourceTypeOf,
  rowsInAll,
  rowsShown,
} from '../posture/agreement';
import { Link, useSearchParam } from '../router/router';

export const AgreementPage = ({ tenantId }: { tenantId: string }) => {
  // Each ask reads the customer's Azure (seconds): asked once per visit and on "Compare again",
  // never polled; the filter works on the rows already read rather than asking Azure per kind.
  const query = useQuery(`agreement:${tenantId}`, async (client, signal) => ({
    ...(await client.request<AzureAgreementQuery>(AZURE_AGREEMENT_QUERY, { tenantId }, { signal })),
    comparedAt: new Date().toISOString(),
  }));
  const data = query.data;
  const name = data?.tenant?.displayName ?? tenantId;
  const rereading = query.loading && data !== undefined;
  // without a connection nothing was read from Azure: no time to show, nothing to compare again
  const read = data?.tenant && data.azureAgreement.connections.length > 0 ? data : undefined;
  return (
    <>
      <PageHeader
        title={data?.tenant ? `Agreement with Azure on ${name}` : 'Agreement with Azure'}
        subtitle={read ? `Azure Policy's own states, read from Azure at ${formatDateTime(read.comparedAt)}, beside Rampart's verdicts` : "Azure Policy's own states beside Rampart's verdicts"}
        actions={
          read ? (
            <button type="button" className="button" onClick={query.reload} disabled={query.loading}>
              {rereading ? 'Comparing…' : 'Compare again'}
            </button>
          ) : null
        }
      />
      <LiveMessage message={rereading ? "Reading Azure's states again…" : undefined} />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="Azure's states from the tenant's Azure (this can take several seconds)" />
      ) : !data.tenant ? (
        <NotFound what={`Tenant ${tenantId}`} />
      ) : (
        <Agreement tenantId={tenantId} name={name} agreement={data.azureAgreement} />
      )}
    </>
  );
};

const Agreement = ({ tenantId, name, agreement: a }: { tenantId: string; name: string; agreement: AzureAgreement }) => {
  const outcome = agreementOutcome(a);
  if (outcome.kind === 'no-connection') {
    return (
      <section className="panel" aria-labelledby="agreement-none-title">
        <h2 id="agreement-none-title">Nothing to compare</h2>
        <p className="empty">
          Azure Policy&apos;s own states are read from Azure through a cloud connection, and {name} has none: there is nothing to set beside Rampart&apos;s verdicts.
        </p>
        <p className="small">
          Once the tenant has a cloud connection (<Link to={{ name: 'admin-tenant', tenantId }}>Tenant settings</Link>), this page reads Azure&apos;s states through it each time it is opened.
        </p>
      </section>
    );
  }
  return (
    <>
      <section className="panel" aria-labelledby="agreement-title">
        <h2 id="agreement-title">Agreement</h2>
        <dl className="stats">
          <Stat label="Agreement rate" value={rateText(a.totals.rate)} detail={`${rateDetail(a.totals)} (once per guardrail)`} />
          <Stat label="Agree" value={a.totals.agree} />
          <Stat label="Differ" value={a.totals.differ} detail="both judged, differently" />
          <Stat label="Azure only" value={a.totals.azureOnly} detail="Rampart has no verdict" />
          <Stat label="Rampart only" value={a.totals.rampartOnly} detail="Azure has no state" />
          <Stat label="Azure states read" value={a.connections.reduce((n, c) => n + c.states, 0)} detail={readThrough(a.connections)} />
        </dl>
        {outcome.kind === 'nothing-compared' ? <p className="empty">{outcome.why}</p> : null}
        <Left agreement={a} />
      </section>
      {outcome.kind === 'compared' ? (
        <>
          <Guardrails agreement={a} />
          <Rows tenantId={tenantId} agreement={a} />
        </>
      ) : null}
    </>
  );
};

/** What the comparison could not cover: subscriptions Azure refused, states about no guardrail, unreadable rows. */
const Left = ({ agreement: a }: { agreement: AzureAgreement }) => {
  const notComparable = notComparableText(a.notComparable);
  const malformed = malformedText(a.malformed);
  if (a.failures.length === 0 && !notComparable && !malformed) return null;
  return (
    <>
      {notComparable ? <p className="small">{notComparable}</p> : null}
      {malformed ? <p className="small">{malformed}</p> : null}
      {a.failures.length > 0 ? (
        <div className="notice notice-warning">
          <h3>Not read from Azure ({a.failures.length})</h3>
          <p className="small">Azure refused these subscriptions or management groups: their states are missing from the comparison, so its counts leave their resources out.</p>
          <ul className="plain-list">
            {a.failures.map((f, i) => (
              <li key={`${i}:${f}`} className="break">
                {f}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
};

const Guardrails = ({ agreement: a }: { agreement: AzureAgreement }) => (
  <section className="panel" aria-labelledby="agreement-guardrails-title">
    <h2 id="agreement-guardrails-title">
      Per guardrail <span className="muted">({a.guardrails.length})</span>
    </h2>
    <div className="table-scroll">
      <table className="table table-cards">
        <caption className="visually-hidden">Agreement per guardrail, most differences first</caption>
        <thead>
          <tr>
            <th scope="col">Guardrail</th>
            <th scope="col" className="num">
              Agree
            </th>
            <th scope="col" className="num">
              Differ
            </th>
            <th scope="col" className="num">
              Azure only
            </th>
            <th scope="col" className="num">
              Rampart only
            </th>
            <th scope="col" className="num">
              Rate
            </th>
          </tr>
        </thead>
        <tbody>
          {a.guardrails.map((g) => (
            <tr key={g.guardrailId}>
              <th scope="row" data-label="Guardrail">
                {g.title}
                <span className="muted small block break">{g.guardrailId}</span>
              </th>
              <td data-label="Agree" className="num">
                {g.agree}
              </td>
              <td data-label="Differ" className="num">
                {g.differ}
              </td>
              <td data-label="Azure only" className="num">
                {g.azureOnly}
              </td>
              <td data-label="Rampart only" className="num">
                {g.rampartOnly}
              </td>
              <td data-label="Rate" className="num">
                {rateText(g.rate)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <p className="small muted">Rate: the share of the resources both judged on which they agree.</p>
  </section>
);

const Rows = ({ tenantId, agreement: a }: { tenantId: string; agreement: AzureAgreement }) => {
  const [param, setParam] = useSearchParam('kind');
  const filter = filterOf(param);
  const shown = rowsShown(a.rows, filter);
  const inAll = rowsInAll(a.totals, filter);
  const titles = new Map(a.guardrails.map((g) => [g.guardrailId, g.title]));
  const note = listedNote(shown.length, inAll);
  return (
    <section className="panel" aria-labelledby="agreement-rows-title">
      <h2 id="agreement-rows-title">
        Resources <span className="muted">({inAll})</span>
      </h2>
      <form className="filters" aria-label="Filter the resources" onSubmit={(e) => e.preventDefault()}>
        <div className="field field-compact">
          <label htmlFor="agreement-kind">Show</label>
          <select id="agreement-kind" value={filter} onChange={(e) => setParam(e.target.value === 'differences' ? null : e.target.value)} aria-describedby="agreement-kind-hint">
            {AGREEMENT_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label} ({rowsInAll(a.totals, f.value)})
              </option>
            ))}
          </select>
          <p className="hint" id="agreement-kind-hint">
            {KIND_MEANINGS[filter]}
          </p>
        </div>
      </form>
      {shown.length === 0 ? (
        <p className="empty">{inAll === 0 ? (filter === 'differences' ? 'None: Azure and Rampart agree on every resource both judged.' : 'None.') : note}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table-cards">
              <caption className="visually-hidden">Resources compared, differences first</caption>
              <thead>
                <tr>
                  <th scope="col">Resource</th>
                  <th scope="col">Guardrail</th>
                  <th scope="col">Azure</th>
                  <th scope="col">Rampart</th>
                  <th scope="col">Comparison</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={`${r.guardrailId}\n${r.resourceId}`}>
                    <th scope="row" data-label="Resource">
                      <Link to={{ name: 'resource', tenantId, resourceId: r.resourceId }}>{resourceName(r.resourceId)}</Link>
                      <span className="muted small block break" title={r.resourceId}>
                        {resourceTypeOf(r.resourceId) || r.resourceId}
                      </span>
                    </th>
                    <td data-label="Guardrail">{titles.get(r.guardrailId) ?? r.guardrailId}</td>
                    <td data-label="Azure">
                      <Badge value={r.azure ?? 'none'} label={azureVerdictText(r.azure)} prefix="Azure" />
                    </td>
                    <td data-label="Rampart">
                      <Badge value={r.rampart ?? 'none'} label={rampartVerdictText(r.rampart)} prefix="Rampart" />
                    </td>
                    <td data-label="Comparison">{KIND_LABELS[r.kind]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {note ? <p className="small muted">{note}</p> : null}
        </>
      )}
    </section>
  );
};
