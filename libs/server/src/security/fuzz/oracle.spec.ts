// The fuzzer's judge, on made-up answers: it must see another tenant's data wherever it hides,
// refusals that still wrote, internal errors, and let through echoes of what the caller sent.
import { CALLERS, problemsOf, type Exchange } from './oracle';
import { scrubInputs, normalizeCause } from './report';
import type { FuzzOperation } from './schema-walk';

const known = new Set(['contoso-bank', 'fabrikam-retail', 'northwind-mfg']);
const viewer = CALLERS.find((c) => c.label === 'customer.viewer@contoso-bank')!;
const query = { name: 'Query.incident', operationType: 'query', field: 'incident' } as FuzzOperation;
const mutation = { name: 'Mutation.commentOnIncident', operationType: 'mutation', field: 'commentOnIncident' } as FuzzOperation;
const answer = (body: Exchange['body'], more: Partial<Exchange> = {}): Exchange => ({ status: 200, body, text: JSON.stringify(body), correlationId: 'c', ms: 5, timedOut: false, appended: [], rejected: false, ...more });
const checks = (op: FuzzOperation, ex: Exchange, variables: Record<string, unknown> = {}) => problemsOf(op, viewer, viewer.reach, variables, ex, known).map((p) => p.check);

describe('fuzz oracle', () => {
  it("sees another tenant's id in a tenantId field, a stream id, JSON in a string, or a bare value", () => {
    expect(checks(query, answer({ data: { incident: { tenantId: 'northwind-mfg' } } }))).toEqual(['tenant-leak']);
    expect(checks(query, answer({ data: { incident: { timeline: [{ data: '{"streamId":"t-northwind-mfg:incident-1"}' }] } } }))).toEqual(['tenant-leak']);
    expect(checks(query, answer({ data: { incident: { timeline: [{ data: '{"tenantId":"fabrikam-retail"}' }] } } }))).toEqual(['tenant-leak']);
    expect(checks(query, answer({ data: { incidentMetricsBy: [{ key: 'northwind-mfg' }] } }))).toEqual(['tenant-leak']);
  });

  it("lets through the caller's own tenant, unknown ids, and echoes of what it sent", () => {
    expect(checks(query, answer({ data: { incident: { tenantId: 'contoso-bank', ref: 't-contoso-bank:incident-1' } } }))).toEqual([]);
    expect(checks(query, answer({ data: { incident: { tenantId: 'no-such-tenant' } } }))).toEqual([]);
    expect(checks(query, answer({ data: null, errors: [{ message: 'no incident t-northwind-mfg:x', extensions: { code: 'BAD_USER_INPUT' } }] }), { incidentId: 't-northwind-mfg:x' })).toEqual([]);
  });

  it('fails internal errors, 5xx, non-JSON answers and timeouts', () => {
    expect(checks(query, answer({ data: null, errors: [{ message: 'Internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }))).toEqual(['internal-error']);
    expect(checks(query, answer(undefined, { status: 502, text: '<html>' }))).toEqual(['http-5xx', 'non-json']);
    expect(checks(query, answer(undefined, { status: 0, timedOut: true, ms: 20_000 }))).toEqual(['timeout']);
  });

  it('fails a refusal that appended, and a query that appended at all; not an accepted command', () => {
    const event = { type: 'incidents.CommentAdded.v1', streamId: 't-contoso-bank:incident-1' } as Exchange['appended'][number];
    expect(checks(mutation, answer({ data: { commentOnIncident: { __typename: 'Rejection', code: 'x' } } }, { rejected: true, appended: [event] }))).toEqual(['appended-on-rejection']);
    expect(checks(query, answer({ data: { incident: null } }, { appended: [event] }))).toEqual(['query-appended']);
    expect(checks(mutation, answer({ data: { commentOnIncident: { __typename: 'IncidentChanged' } } }, { appended: [event] }))).toEqual([]);
  });

  it('groups causes apart from the values echoed in them', () => {
    const a = normalizeCause(scrubInputs('"contoso%" is not a valid tenant id', { tenantId: 'contoso%' }));
    const b = normalizeCause(scrubInputs('" \t" is not a valid tenant id', { input: { tenantId: ' \t' } }));
    expect(a).toBe('"<input>" is not a valid tenant id');
    expect(b).toBe(a);
  });
});
