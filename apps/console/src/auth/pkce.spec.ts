import { authorizationUrl, base64Url, codeChallengeS256, decodeJwtClaims, newPendingAuthorization, randomToken, readCallback, tokenRequestBody } from './pkce';

const discovery = { issuer: 'https://login.example/t/v2.0', authorization_endpoint: 'https://login.example/t/oauth2/v2.0/authorize', token_endpoint: 'https://login.example/t/oauth2/v2.0/token' };
const pending = { state: 'state-1', nonce: 'nonce-1', codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', redirectUri: 'https://console.example/signed-in', returnTo: '/soc/queue' };

describe('PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('encodes base64url without padding', () => {
    expect(base64Url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(base64Url(new Uint8Array([1]))).toBe('AQ');
  });

  it('makes verifiers, states and nonces that are fresh and within the allowed alphabet and length', () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(a);
    const p = newPendingAuthorization('https://c/signed-in', '/x');
    expect(new Set([p.state, p.nonce, p.codeVerifier]).size).toBe(3);
  });

  it('asks for the code with the challenge, state and nonce', async () => {
    const url = new URL(await authorizationUrl(discovery, { clientId: 'console', scopes: 'openid profile api://rampart/access' }, pending));
    expect(url.origin + url.pathname).toBe(discovery.authorization_endpoint);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'console',
      redirect_uri: 'https://console.example/signed-in',
      scope: 'openid profile api://rampart/access',
      state: 'state-1',
      nonce: 'nonce-1',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
  });

  it('takes the code only from an answer to its own request', () => {
    expect(readCallback('?code=abc&state=state-1', pending)).toEqual({ ok: true, code: 'abc' });
    expect(readCallback('?code=abc&state=forged', pending)).toEqual({ ok: false, reason: expect.stringMatching(/state mismatch/) });
    expect(readCallback('?code=abc&state=state-1', undefined)).toEqual({ ok: false, reason: expect.stringMatching(/no sign-in was started/) });
    expect(readCallback('?error=access_denied&error_description=User+cancelled', pending)).toEqual({ ok: false, reason: 'access_denied: User cancelled' });
    expect(readCallback('?state=state-1', pending)).toEqual({ ok: false, reason: expect.stringMatching(/no authorization code/) });
  });

  it('exchanges the code as a public client: the verifier instead of a secret', () => {
    expect(Object.fromEntries(tokenRequestBody('console', 'abc', pending))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'console',
      code: 'abc',
      redirect_uri: 'https://console.example/signed-in',
      code_verifier: pending.codeVerifier,
    });
  });

  it('reads the claims of a JWT (base64url, UTF-8)', () => {
    const payload = Buffer.from(JSON.stringify({ nonce: 'nonce-1', name: 'Zoë' })).toString('base64url');
    expect(decodeJwtClaims(`e30.${payload}.sig`)).toEqual({ nonce: 'nonce-1', name: 'Zoë' });
    expect(() => decodeJwtClaims('nope')).toThrow(/not a JWT/);
  });
});
