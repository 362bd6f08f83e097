// A tenant's attestations: every statement that a control no rule can check is met, newest first,
// with its status, who attested and approved it, until when, its evidence and why it ended. A
// pending one is approved (by anyone but its attester) or rejected here; a pending or active one is
// revoked, each ending with a reason the customer and the auditor read. Whether attestations need a
// second person is the tenant's policy, set here by whoever manages its guardrails. The read model
// takes a change in once the worker has applied it: the page waits for it.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useReloadUntil } from '../api/hooks';
import {
  APPROVE_ATTESTATION_MUTATION,
  ATTESTATIONS_QUERY,
  REJECT_ATTESTATION_MUTATION,
  REVOKE_ATTESTATION_MUTATION,
  SET_ATTESTATION_POLICY_MUTATION,
  type Attestation,
  type AttestationMutation,
  type AttestationsQuery,
  type AttestationStatus,
  type PolicyMutation,
} from '../api/operations';
import { offers } from '../auth/roles';
import { ConfirmStep, OutcomeMessage, useSubmit } from '../components/forms';
import { Badge, ErrorPanel, Loading, NotFound, PageHeader } from '../components/ui';
import { formatDateTime } from '../format';
import { Link, useSearchParam } from '../router/router';
import { pathFor } from '../router/routes';
import { useSignedIn } from '../session';
import { ATTESTATION_STATUS_LABELS, ATTESTATION_STATUS_MEANINGS, ATTESTATION_STATUSES, attestationDecisions, attestationRefusal } from '../standards/attestations';
import { EvidenceList } from './attestation-parts';

const Waiting = ({ waiting }: { waiting: boolean }) => (waiting ? <p className="small muted">Waiting for the worker to apply it…</p> : null);

export const AttestationsPage = ({ tenantId }: { tenantId: string }) => {
  const { me } = useSignedIn();
  const [statusParam, setStatus] = useSearchParam('status');
  const status = ATTESTATION_STATUSES.includes(statusParam as AttestationStatus) ? (statusParam as AttestationStatus) : undefined;
  const query = useQuery(`attestations:${tenantId}|${status ?? 'all'}`, (client, signal) => client.request<AttestationsQuery>(ATTESTATIONS_QUERY, { tenantId, status: status ?? null }, { signal }));
  const settle = useReloadUntil(query);
  const data = query.data;
  const name = data?.tenant?.displayName ?? tenantId;
  const open = data?.tenant?.status !== 'offboarded';
  return (
    <>
      <PageHeader
        title={data ? `Attestations of ${name}` : 'Attestations'}
        subtitle={
          <>
            People's statements that controls no rule can check are met, with evidence, for a bounded time ·{' '}
            <Link to={{ name: 'standards', tenantId }}>Regulatory standards</Link>
          </>
        }
      />
      {query.error ? (
        <ErrorPanel error={query.error} tenantId={tenantId} onRetry={query.reload} />
      ) : !data ? (
        <Loading what="the attestations" />
      ) : !data.tenant ? (
        <NotFound what={`tenant ${tenantId}`} />
      ) : (
        <>
          <ApprovalPolicy
            tenantId={tenantId}
            required={data.tenantGuardrails.attestationApprovalRequired}
            mayManage={open && offers(me, 'managePolicies', tenantId)}
            onSet={(required) => settle.until((d) => d.tenantGuardrails.attestationApprovalRequired === required)}
            waiting={settle.waiting}
          />
          <section className="panel" aria-labelledby="attestations-title">
            <div className="panel-head">
              <h2 id="attestations-title">
                Attestations <span className="muted">({data.attestations.length})</span>
              </h2>
              <div className="field field-compact">
                <label htmlFor="attestation-status">Status</label>
                <select id="attestation-status" value={status ?? ''} onChange={(e) => setStatus(e.target.value || null)}>
                  <option value="">All</option>
                  {ATTESTATION_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {ATTESTATION_STATUS_LABELS[s]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <details className="small">
              <summary>What the statuses mean</summary>
              <dl className="definitions">
                {ATTESTATION_STATUSES.map((s) => (
                  <div key={s}>
                    <dt>
                      <Badge value={s} label={ATTESTATION_STATUS_LABELS[s]} />
                    </dt>
                    <dd>{ATTESTATION_STATUS_MEANINGS[s]}</dd>
                  </div>
                ))}
              </dl>
            </details>
            <p className="hint">
              A control is attested from its standard's page (<Link to={{ name: 'standards', tenantId }}>Regulatory standards</Link>), where each control no rule can check offers to attest it.
            </p>
            <AttestationsTable
              tenantId={tenantId}
              data={data}
              may={{ approve: open && offers(me, 'approveAttestations', tenantId), record: open && offers(me, 'recordAttestations', tenantId) }}
              onChanged={(attestationId, next) => settle.until((d) => (d.attestations.find((a) => a.attestationId === attestationId)?.status ?? next) === next)}
              empty={status ? `No attestation is ${ATTESTATION_STATUS_LABELS[status].toLowerCase()}.` : 'No control of this tenant has been attested yet.'}
            />
            <Waiting waiting={settle.waiting} />
          </section>
        </>
      )}
    </>
  );
};

// --- the policy: a second person or not --------------------------------------------------------------

const ApprovalPolicy = ({ tenantId, required, mayManage, onSet, waiting }: { tenantId: string; required: boolean; mayManage: boolean; onSet: (required: boolean) => void; waiting: boolean }) => {
  const submit = useSubmit(attestationRefusal);
  // What was asked for, shown from the click until the page reads it back (or stops waiting for it).
  const [asked, setAsked] = useState<boolean>();
  const wasWaiting = useRef(false);
  useEffect(() => {
    if ((wasWaiting.current && !waiting) || asked === required) setAsked(undefined);
    wasWaiting.current = waiting;
  }, [waiting, asked, required]);
  const shown = asked ?? required;
  const set = async (next: boolean) => {
    setAsked(next);
    const done = await submit.run<PolicyMutation>(SET_ATTESTATION_POLICY_MUTATION, { tenantId, approvalRequired: next }, () =>
      next
        ? 'Saved: from the next attestation on, each holds only once someone other than its attester approves it.'
        : 'Saved: from the next attestation on, each holds as soon as it is recorded.',
    );
    if (done) onSet(next);
    else setAsked(undefined);
  };
  return (
    <section className="panel" aria-labelledby="attestation-policy-title">
      <h2 id="attestation-policy-title">Second person</h2>
      {mayManage ? (
        <>
          <label className="checkbox">
            <input type="checkbox" checked={shown} disabled={submit.busy || waiting} onChange={(e) => void set(e.target.checked)} aria-describedby="attestation-policy-hint" /> Attestations
            need a second person
          </label>
          <p className="hint" id="attestation-policy-hint">
            Applies to the attestations recorded from then on: each holds once someone other than its attester approves it. Those recorded before keep the rule they were recorded under.
          </p>
          <OutcomeMessage outcome={submit.outcome} />
        </>
      ) : (
        <p>
          <Badge value={required ? 'active' : 'neutral'} label={required ? 'Second person required' : 'No second person'} prefix="Attestation policy" />{' '}
          {required ? 'An attestation holds once someone other than its attester approves it.' : 'An attestation holds as soon as it is recorded.'}{' '}
          <span className="muted small">A customer admin, a SOC lead or a platform admin changes this.</span>
        </p>
      )}
    </section>
  );
};

// --- the list -----------------------------------------------------------------------------------------

type Ending = { readonly attestationId: string; readonly kind: 'reject' | 'revoke' };

const AttestationsTable = ({
  tenantId,
  data,
  may,
  onChanged,
  empty,
}: {
  tenantId: string;
  data: AttestationsQuery;
  may: { readonly approve: boolean; readonly record: boolean };
  onChanged: (attestationId: string, status: string) => void;
  empty: string;
}) => {
  const { me } = useSignedIn();
  const decide = useSubmit(attestationRefusal);
  const [ending, setEnding] = useState<Ending>();
  const [reason, setReason] = useState('');
  const titles = new Map(data.standards.map((s) => [s.id, s.title]));
  const changed = (a: Attestation, result: AttestationMutation['result']) => {
    if (result.__typename !== 'AttestationChanged') return;
    setEnding(undefined);
    setReason('');
    onChanged(a.attestationId, result.status);
  };
  const approve = async (a: Attestation) => {
    const result = await decide.run<AttestationMutation>(APPROVE_ATTESTATION_MUTATION, { tenantId, attestationId: a.attestationId }, () => `Attestation ${a.attestationId} approved: control ${a.controlId} counts as met until ${formatDateTime(a.validUntil)}.`);
    if (result) changed(a, result);
  };
  const end = async (a: Attestation, kind: Ending['kind']) => {
    const result = await decide.run<AttestationMutation>(kind === 'reject' ? REJECT_ATTESTATION_MUTATION : REVOKE_ATTESTATION_MUTATION, { tenantId, attestationId: a.attestationId, reason }, () =>
      kind === 'reject' ? `Attestation ${a.attestationId} rejected: it never held.` : `Attestation ${a.attestationId} revoked: control ${a.controlId} needs evidence again.`,
    );
    if (result) changed(a, result);
  };
  if (data.attestations.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      <OutcomeMessage outcome={decide.outcome} />
      <div className="table-scroll">
        <table className="table table-cards">
          <caption className="visually-hidden">Attestations of the tenant, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Control</th>
              <th scope="col">Status</th>
              <th scope="col">Attested</th>
              <th scope="col">Approved by</th>
              <th scope="col">Valid until (UTC)</th>
              <th scope="col">Statement and evidence</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.attestations.map((a) => {
              const can = attestationDecisions(a, me, may);
              const open = ending?.attestationId === a.attestationId ? ending.kind : undefined;
              const confirm = (kind: Ending['kind']) => ({
                confirming: open === kind,
                onStart: () => {
                  setReason('');
                  setEnding({ attestationId: a.attestationId, kind });
                },
                busy: decide.busy,
                onConfirm: () => void end(a, kind),
                onCancel: () => setEnding(undefined),
                reason: { id: `${kind}-${a.attestationId}`, label: 'Reason (the customer and the auditor read it)', value: reason, onChange: setReason },
              });
              return (
                <tr key={a.attestationId} data-attestation={a.attestationId}>
                  <th scope="row" data-label="Control">
                    <Link to={`${pathFor({ name: 'standards', tenantId, standardId: a.standardId })}?control=${encodeURIComponent(a.controlId)}`}>Control {a.controlId}</Link>
                    <span className="muted small block">{titles.get(a.standardId) ?? a.standardId}</span>
                    <span className="muted small block">
                      <code>{a.attestationId}</code>
                    </span>
                  </th>
                  <td data-label="Status">
                    <Badge value={a.status} label={ATTESTATION_STATUS_LABELS[a.status]} prefix="Status" />
                    {a.status === 'active' ? <span className="small muted block">{a.holdsNow ? 'holds now' : 'ended: expiry not recorded yet'}</span> : null}
                    {a.endedBy ? (
                      <span className="small block">
                        {a.status === 'rejected' ? 'Rejected' : 'Revoked'} by {a.endedBy}
                        {a.endedAt ? `, ${formatDateTime(a.endedAt)}` : ''}
                      </span>
                    ) : null}
                    {a.reason ? <span className="small block">Reason: {a.reason}</span> : null}
                  </td>
                  <td data-label="Attested">
                    <span className="small">
                      {a.attestedBy}
                      <span className="muted block">{formatDateTime(a.attestedAt)}</span>
                    </span>
                  </td>
                  <td data-label="Approved by">
                    <span className="small">{a.approvedBy ?? (a.approvalRequired ? (a.status === 'pending' ? 'waiting for a second person' : '—') : 'not required')}</span>
                  </td>
                  <td data-label="Valid until (UTC)">{formatDateTime(a.validUntil)}</td>
                  <td data-label="Statement and evidence">
                    <details>
                      <summary>Statement</summary>
                      <blockquote className="statement small">{a.statement}</blockquote>
                    </details>
                    <EvidenceList files={a.evidence} label={`Evidence of attestation ${a.attestationId}`} />
                  </td>
                  <td data-label="Actions">
                    <div className="button-row">
                      {can.approve && !open ? (
                        <button type="button" className="button button-small" disabled={decide.busy} onClick={() => void approve(a)}>
                          Approve<span className="visually-hidden"> attestation {a.attestationId}</span>
                        </button>
                      ) : null}
                      {can.ownPending && !open ? <span className="small muted block">You attested it: someone else approves.</span> : null}
                      {can.reject && open !== 'revoke' ? (
                        <ConfirmStep
                          {...confirm('reject')}
                          startLabel={
                            <>
                              Reject…<span className="visually-hidden"> attestation {a.attestationId}</span>
                            </>
                          }
                          question={`Reject attestation ${a.attestationId} of control ${a.controlId}? It never holds; the control needs another attestation.`}
                          confirmLabel={`Reject ${a.attestationId}`}
                        />
                      ) : null}
                      {can.revoke && open !== 'reject' ? (
                        <ConfirmStep
                          {...confirm('revoke')}
                          startLabel={
                            <>
                              Revoke…<span className="visually-hidden"> attestation {a.attestationId}</span>
                            </>
                          }
                          question={`Revoke attestation ${a.attestationId}? Control ${a.controlId} no longer counts as met on it.`}
                          confirmLabel={`Revoke ${a.attestationId}`}
                        />
                      ) : null}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
};
