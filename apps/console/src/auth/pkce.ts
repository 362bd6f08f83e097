// OAuth 2.0 authorization code + PKCE (RFC 7636, S256) pieces for a public browser client: the
// verifier, its challenge, state and nonce, the authorization URL, and the checks on the way back.
// Only the Web Crypto API: the same code runs in the browser and in the unit tests (Node 20).

export const base64Url = (bytes: Uint8Array): string => {
  let binary = '';
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

/** 32 random bytes, base64url: 43 characters, within RFC 7636's 43–128 of [A-Za-z0-9-._~]. */
export const randomToken = (bytes = 32): string => base64Url(crypto.getRandomValues(new Uint8Array(bytes)));

export const codeChallengeS256 = async (verifier: string): Promise<string> =>
  base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));

export interface OidcDiscovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly end_session_endpoint?: string;
}

/** What the browser keeps (sessionStorage) between leaving for the issuer and coming back. */
export interface PendingAuthorization {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** The console path to return to once signed in. */
  readonly returnTo: string;
}

export const newPendingAuthorization = (redirectUri: string, returnTo: string): PendingAuthorization => ({
  state: randomToken(),
  nonce: randomToken(),
  codeVerifier: randomToken(),
  redirectUri,
  returnTo,
});

export const authorizationUrl = async (
  discovery: OidcDiscovery,
  client: { clientId: string; scopes: string },
  pending: PendingAuthorization,
): Promise<string> => {
  const url = new URL(discovery.authorization_endpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', pending.redirectUri);
  url.searchParams.set('scope', client.scopes);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  url.searchParams.set('code_challenge', await codeChallengeS256(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
};

export type CallbackResult = { ok: true; code: string } | { ok: false; reason: string };

/** Reads the issuer's answer on the redirect URI; refuses it unless it answers our own request. */
export const readCallback = (search: string, pending: PendingAuthorization | undefined): CallbackResult => {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) return { ok: false, reason: `${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}` };
  if (!pending) return { ok: false, reason: 'no sign-in was started in this tab' };
  if (params.get('state') !== pending.state) return { ok: false, reason: 'the answer does not belong to this sign-in (state mismatch)' };
  const code = params.get('code');
  if (!code) return { ok: false, reason: 'the issuer sent no authorization code' };
  return { ok: true, code };
};

/** The form body of the authorization-code exchange (public client: no secret, the verifier instead). */
export const tokenRequestBody = (clientId: string, code: string, pending: PendingAuthorization): URLSearchParams =>
  new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: pending.redirectUri, code_verifier: pending.codeVerifier });

export const refreshRequestBody = (clientId: string, refreshToken: string, scopes: string): URLSearchParams =>
  new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken, scope: scopes });

/**
 * The claims of a JWT, unverified. The API verifies the access token; the console only reads the ID
 * token's nonce (replay protection of this sign-in) and display claims.
 */
export const decodeJwtClaims = (jwt: string): Record<string, unknown> => {
  const payload = jwt.split('.')[1];
  if (!payload) throw new Error('not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};
