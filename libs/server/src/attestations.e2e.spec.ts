// Attestations over HTTP, as a customer's CISO and auditor use them: an evidence file uploaded by
// its bytes answers with its digest; an attestation naming it makes a control no rule checks read
// attested on the standard's page (and the score count it); the auditor downloads the file and its
// digest matches; nobody outside the tenant uploads, downloads or even learns whether a file
// exists; a viewer cannot attest; a second person is needed where the tenant's policy says so.
import { createHash } from 'node:crypto';
import { startHarness, type Harness } from './testing/harness';

const TENANT = 'contoso-bank';
const CIS = 'cis-azure-2.0.0';
/** A CIS control no Azure Policy definition checks. */
const MANUAL = '8.1';

describe('attestations over HTTP', () => {
  let h: Harness;
  let ciso: string;
  let approver: string;
  let auditor: string;
  let viewer: string;
  let outsider: string;
  const evidence = Buffer.from('Key rotation review, 2026-Q4\n\nAll vault keys carry an expiry; exceptions: none.\n');
  const digest = createHash('sha256').update(evidence).digest('hex');

  beforeAll(async () => {
    h = await startHarness();
    ciso = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'ciso@contoso.example');
    approver = await h.token({ role: 'soc.lead', socTeam: 'blue' }, 'lead@soc.example');
    auditor = await h.token({ role: 'auditor', tenantId: TENANT }, 'auditor@audit.example');
    viewer = await h.token({ role: 'customer.viewer', tenantId: TENANT }, 'viewer@contoso.example');
    outsider = await h.token({ role: 'customer.admin', tenantId: 'fabrikam-retail' }, 'admin@fabrikam.example');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const upload = (token: string, body: Buffer, name = 'key-rotation-review.txt', tenantId = TENANT, type = 'text/plain') =>
    fetch(`${h.url}/evidence/${tenantId}?name=${encodeURIComponent(name)}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const download = (token: string | null, sha256 = digest, tenantId = TENANT) => fetch(`${h.url}/evidence/${tenantId}/${sha256}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const control = async (token = ciso) => {
    const { body } = await h.gql<{ standardCompliance: { controlStates: { attested: number; manual: number }; controls: { state: string; attestation: { attestationId: string; evidence: { sha256: string; downloadPath: string }[] } | null }[] } }>(
      `{ standardCompliance(tenantId: "${TENANT}", standardId: "${CIS}", controlId: "${MANUAL}") { controlStates { attested manual } controls { state attestation { attestationId evidence { sha256 downloadPath } } } } }`,
      { token },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.standardCompliance;
  };
  const record = (token: string, over: Record<string, string> = {}) =>
    h.gql<{ recordAttestation: { __typename: string; code?: string; attestationId?: string; status?: string } }>(
      `mutation($input: RecordAttestationInput!) { recordAttestation(input: $input) { __typename ... on Rejection { code } ... on AttestationChanged { attestationId status } } }`,
      {
        token,
        variables: {
          input: {
            tenantId: TENANT,
            standardId: CIS,
            controlId: MANUAL,
            statement: 'Every key in our vaults carries an expiry date; the Q4 review is attached.',
            evidence: [{ sha256: digest }],
            validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
            ...over,
          },
        },
      },
    );

  it('stores an evidence file by its bytes and gives it back, digest and all, to whoever may read the tenant', async () => {
    const res = await upload(ciso, evidence);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ sha256: digest, name: 'key-rotation-review.txt', mediaType: 'text/plain', size: evidence.length, downloadPath: `/evidence/${TENANT}/${digest}` });
    const back = await download(auditor);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-disposition')).toContain('attachment');
    expect(back.headers.get('x-content-type-options')).toBe('nosniff');
    expect(createHash('sha256').update(Buffer.from(await back.arrayBuffer())).digest('hex')).toBe(digest);
    // a browser asks for HTML first: it still gets the file, never the console's page
    const browser = await fetch(`${h.url}/evidence/${TENANT}/${digest}`, { headers: { authorization: `Bearer ${auditor}`, accept: 'text/html,*/*;q=0.8' } });
    expect(browser.headers.get('content-disposition')).toContain('attachment');
  });

  it("keeps a tenant's evidence from everyone outside it, and from those who may not attest", async () => {
    expect((await download(null)).status).toBe(401);
    // the same answer whether or not the file exists: an outsider learns nothing from a digest
    expect((await download(outsider)).status).toBe(403);
    expect((await download(outsider, 'f'.repeat(64))).status).toBe(403);
    expect((await upload(outsider, evidence)).status).toBe(403);
    expect((await upload(viewer, evidence)).status).toBe(403);
    // the outsider's own tenant does not hold the bank's file under the same digest
    expect((await download(outsider, digest, 'fabrikam-retail')).status).toBe(404);
    expect((await download(ciso, 'not-a-digest')).status).toBe(400);
    const html = await upload(ciso, Buffer.from('<script>alert(1)</script>'), 'page.html', TENANT, 'text/html');
    const { sha256 } = (await html.json()) as { sha256: string };
    expect((await download(ciso, sha256)).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('refuses a file over the limit and a file without a name, storing nothing', async () => {
    const big = await upload(ciso, Buffer.alloc(10 * 1024 * 1024 + 1, 1));
    expect(big.status).toBe(413);
    expect((await upload(ciso, Buffer.from('x'), '')).status).toBe(400);
  });

  it('makes the control read attested, counted in the score, once the attestation holds', async () => {
    // attestations count for a standard the tenant is held to
    const assigned = await h.gql<{ assignBaseline: { __typename: string } }>(`mutation { assignBaseline(input: { tenantId: "${TENANT}", assignmentId: "cis", baselineId: "${CIS}" }) { __typename } }`, { token: ciso });
    expect(assigned.body.data?.assignBaseline.__typename).toBe('GuardrailPolicyChanged');
    await h.settled();
    expect((await control()).controls[0].state).toBe('manual');
    expect((await record(viewer)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await record(ciso, { evidence: undefined as never, controlId: '1.5' })).body.data?.recordAttestation).toEqual({ __typename: 'Rejection', code: 'control-is-automated' });
    const recorded = await record(ciso, { attestationId: 'cis-8-1-q4' });
    expect(recorded.body.data?.recordAttestation).toEqual({ __typename: 'AttestationChanged', attestationId: 'cis-8-1-q4', status: 'active' });
    await h.settled();
    const now = await control(auditor);
    expect(now.controls[0]).toEqual({ state: 'attested', attestation: { attestationId: 'cis-8-1-q4', evidence: [{ sha256: digest, downloadPath: `/evidence/${TENANT}/${digest}` }] } });
    expect(now.controlStates.attested).toBe(1);
    // a retried request with the same id is refused, not recorded twice
    expect((await record(ciso, { attestationId: 'cis-8-1-q4' })).body.data?.recordAttestation).toEqual({ __typename: 'Rejection', code: 'duplicate-attestation' });
  });

  it("needs a second person where the tenant's policy says so; revoking needs a reason and ends it", async () => {
    const policy = await h.gql<{ setAttestationPolicy: { __typename: string } }>(`mutation { setAttestationPolicy(input: { tenantId: "${TENANT}", approvalRequired: true }) { __typename } }`, { token: ciso });
    expect(policy.body.data?.setAttestationPolicy.__typename).toBe('GuardrailPolicyChanged');
    const pending = await record(ciso, { attestationId: 'cis-8-2', controlId: '8.2' });
    expect(pending.body.data?.recordAttestation).toMatchObject({ status: 'pending' });
    const decide = (field: string, token: string, extra = '') =>
      h.gql<Record<string, { __typename: string; code?: string; status?: string }>>(`mutation { ${field}(input: { tenantId: "${TENANT}", attestationId: "cis-8-2"${extra} }) { __typename ... on Rejection { code } ... on AttestationChanged { status } } }`, { token });
    expect((await decide('approveAttestation', ciso)).body.data?.approveAttestation).toEqual({ __typename: 'Rejection', code: 'approver-must-differ' });
    expect((await decide('approveAttestation', auditor)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await decide('approveAttestation', approver)).body.data?.approveAttestation).toEqual({ __typename: 'AttestationChanged', status: 'active' });
    expect((await decide('revokeAttestation', ciso, ', reason: " "')).body.data?.revokeAttestation).toEqual({ __typename: 'Rejection', code: 'reason-required' });
    expect((await decide('revokeAttestation', ciso, ', reason: "The Q4 review was incomplete."')).body.data?.revokeAttestation).toEqual({ __typename: 'AttestationChanged', status: 'revoked' });
    await h.settled();
    const list = await h.gql<{ attestations: { attestationId: string; status: string; holdsNow: boolean; approvedBy: string | null; reason: string | null }[] }>(
      `{ attestations(tenantId: "${TENANT}", standardId: "${CIS}") { attestationId status holdsNow approvedBy reason } }`,
      { token: auditor },
    );
    expect(list.body.data?.attestations).toEqual([
      { attestationId: 'cis-8-2', status: 'revoked', holdsNow: false, approvedBy: 'lead@soc.example', reason: 'The Q4 review was incomplete.' },
      { attestationId: 'cis-8-1-q4', status: 'active', holdsNow: true, approvedBy: null, reason: null },
    ]);
    const outside = await h.gql(`{ attestations(tenantId: "${TENANT}") { attestationId } }`, { token: outsider });
    expect(outside.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
