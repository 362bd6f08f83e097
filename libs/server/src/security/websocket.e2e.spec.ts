// A WebSocket is held to what HTTP is held to, over real sockets against the booted app: the
// credential is re-checked on every operation and while subscriptions stream (revocation and
// expiry close the socket with 4401), the same per-principal rate limit, message size limit,
// failed-authentication throttle and query limits apply, and subscriptions are capped.
import { DevIssuer } from '@rampart/graphql-api';
import { startHarness, type Harness } from '../testing/harness';
import { RawSocket, type Closed, type ServerMessage } from './testing/raw-socket';

const TENANT = 'contoso-bank';
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

const errorCode = (answer: ServerMessage | Closed): string | undefined =>
  'type' in answer && answer.type === 'error' ? (answer.payload as { extensions?: { code?: string } }[])[0]?.extensions?.code : undefined;

describe('WebSocket sessions', () => {
  let h: Harness;
  let customerAdmin: string;
  const sockets: RawSocket[] = [];
  const track = (s: RawSocket) => (sockets.push(s), s);

  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '100000' });
    customerAdmin = await h.token({ role: 'customer.admin', tenantId: TENANT }, 'it-admin@contoso-bank.example');
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.close()));
  afterAll(async () => h?.stop());

  const issueKey = async (roles: string[], name = 'integration') => {
    const issued = await h.gql<{ issueApiKey: { __typename: string; keyId: string; secret: string; code?: string } }>(
      `mutation($expiresAt: String!, $roles: [String!]!, $name: String!) { issueApiKey(input: { tenantId: "${TENANT}", name: $name, roles: $roles, expiresAt: $expiresAt }) {
        __typename ... on ApiKeyIssued { keyId secret } ... on Rejection { code } } }`,
      { token: customerAdmin, variables: { expiresAt: inADay(), roles, name } },
    );
    expect(issued.body.data?.issueApiKey.__typename).toBe('ApiKeyIssued');
    await h.settled(); // a key is found through the key directory
    return issued.body.data!.issueApiKey;
  };
  const revoke = async (keyId: string) => {
    const revoked = await h.gql<{ revokeApiKey: { __typename: string } }>(
      `mutation { revokeApiKey(input: { tenantId: "${TENANT}", keyId: "${keyId}", reason: "leaked in a build log" }) { __typename } }`,
      { token: customerAdmin },
    );
    expect(revoked.body.data?.revokeApiKey.__typename).toBe('ApiKeyRevoked');
  };

  it('re-checks an API key on every operation: after revocation the next one closes the socket with 4401 and does nothing', async () => {
    const key = await issueKey(['customer.admin']);
    const socket = track(await RawSocket.connect(h.url, { 'x-api-key': key.secret }));
    expect(socket.acknowledged).toBe(true);
    socket.subscribe('1', '{ me { id kind } }');
    expect(await socket.result('1')).toMatchObject({ type: 'next', payload: { data: { me: { id: key.keyId, kind: 'api-key' } } } });

    await revoke(key.keyId);
    socket.subscribe('2', `mutation { issueApiKey(input: { tenantId: "${TENANT}", name: "after revocation", roles: ["customer.admin"], expiresAt: "${inADay()}" }) { __typename } }`);
    await socket.until((s) => s.closed !== undefined);
    expect(socket.closed).toEqual({ code: 4401, reason: 'API key revoked' });
    expect(socket.nexts('2')).toEqual([]);

    await h.settled();
    const keys = await h.gql<{ apiKeys: { edges: { node: { name: string } }[] } }>(`{ apiKeys(tenantId: "${TENANT}", first: 100) { edges { node { name } } } }`, { token: customerAdmin });
    expect(keys.body.data?.apiKeys.edges.map((e) => e.node.name)).not.toContain('after revocation');
  });

  it('ends a live subscription within seconds of the key being revoked', async () => {
    const key = await issueKey(['customer.viewer'], 'siem stream');
    const socket = track(await RawSocket.connect(h.url, { authorization: `ApiKey ${key.secret}` }));
    socket.subscribe('live', `subscription { tenantEvents(tenantId: "${TENANT}") { type } }`);
    // Something to stream: the revocation itself is an event of the tenant.
    const revokedAt = Date.now();
    await revoke(key.keyId);
    await socket.until((s) => s.closed !== undefined, 12_000);
    expect(socket.closed).toEqual({ code: 4401, reason: 'API key revoked' });
    expect(Date.now() - revokedAt).toBeLessThan(8_000);
  });

  it('closes the socket with 4401 when its bearer token expires, and a stale token cannot open one', async () => {
    const issuer = await DevIssuer.open(h.dataDir, { production: false });
    const shortLived = await issuer.sign({ subject: 'brief@contoso-bank.example', grants: [{ role: 'customer.viewer', tenantId: TENANT }], expiresInSeconds: 2 });
    const socket = track(await RawSocket.connect(h.url, { authorization: `Bearer ${shortLived}` }));
    socket.subscribe('live', `subscription { tenantEvents(tenantId: "${TENANT}") { type } }`);
    await socket.until((s) => s.closed !== undefined, 6_000);
    expect(socket.closed).toEqual({ code: 4401, reason: 'credential expired' });

    const late = track(await RawSocket.connect(h.url, { authorization: `Bearer ${shortLived}` }));
    expect(late.acknowledged).toBe(false);
    expect(late.closed).toEqual({ code: 4401, reason: 'credential expired' });
  });

  it('refuses a message larger than the HTTP body limit before reading it (1009)', async () => {
    const token = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    const socket = track(await RawSocket.connect(h.url, { authorization: `Bearer ${token}` }));
    socket.subscribe('big', `{ me { id } } # ${'x'.repeat(3 * 1024 * 1024)}`);
    await socket.until((s) => s.closed !== undefined);
    expect(socket.closed?.code).toBe(1009);
    expect(socket.nexts('big')).toEqual([]);
  });

  it('applies the depth and token limits HTTP applies', async () => {
    const token = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    const socket = track(await RawSocket.connect(h.url, { authorization: `Bearer ${token}` }));
    const deep = `{ __schema { types { fields { type { ${'ofType { '.repeat(8)} name ${'} '.repeat(8)} } } } } }`;
    socket.subscribe('deep', deep);
    expect(errorCode(await socket.result('deep'))).toBe('GRAPHQL_VALIDATION_FAILED');
    socket.subscribe('tokens', `{ ${'me { id } '.repeat(2_000)} }`);
    expect(errorCode(await socket.result('tokens'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(socket.closed).toBeUndefined();
  });

  it('caps subscriptions per socket', async () => {
    const token = await h.token({ role: 'customer.viewer', tenantId: TENANT });
    const socket = track(await RawSocket.connect(h.url, { authorization: `Bearer ${token}` }));
    for (let i = 0; i < 20; i++) socket.subscribe(`s${i}`, `subscription { tenantEvents(tenantId: "${TENANT}") { type } }`);
    socket.subscribe('one-too-many', `subscription { tenantEvents(tenantId: "${TENANT}") { type } }`);
    expect(errorCode(await socket.result('one-too-many'))).toBe('TOO_MANY_SUBSCRIPTIONS');
    expect(socket.messages.filter((m) => m.type === 'error' && m.id !== 'one-too-many')).toEqual([]);
  });
});

describe('WebSocket and HTTP share one budget', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ RAMPART_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(async () => h?.stop());

  it('counts operations over both transports against the principal\'s per-minute limit', async () => {
    const token = await h.token({ role: 'customer.viewer', tenantId: TENANT }, 'chatty@contoso-bank.example');
    for (let i = 0; i < 3; i++) expect((await h.gql('{ me { id } }', { token })).status).toBe(200);
    const socket = await RawSocket.connect(h.url, { authorization: `Bearer ${token}` });
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) {
        socket.subscribe(`q${i}`, '{ me { id } }');
        answers.push(await socket.result(`q${i}`));
      }
      expect(answers.map((a) => ('type' in a ? a.type : 'closed'))).toEqual(['next', 'next', 'error', 'error']);
      expect(errorCode(answers[2])).toBe('RATE_LIMITED');
      expect((await h.gql('{ me { id } }', { token })).status).toBe(429);
    } finally {
      socket.close();
    }
  });

  it('throttles failed connection_init attempts from one address, and still admits a valid credential', async () => {
    const closes: (number | undefined)[] = [];
    for (let i = 0; i < 32; i++) {
      const socket = await RawSocket.connect(h.url, { authorization: `Bearer not-a-token-${i}` });
      closes.push(socket.closed?.code);
      socket.close();
    }
    expect(closes.slice(0, 30).every((c) => c === 4403)).toBe(true);
    expect(closes.slice(30)).toEqual([4429, 4429]);
    const token = await h.token({ role: 'customer.viewer', tenantId: TENANT }, 'colleague@contoso-bank.example');
    const good = await RawSocket.connect(h.url, { authorization: `Bearer ${token}` });
    expect(good.acknowledged).toBe(true);
    good.close();
  });
});
