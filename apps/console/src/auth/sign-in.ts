// Getting a token: from the development issuer (a persona and a sign-in code, printed by `npm start`
// or `npx rampart dev sign-in-link`, that signs in once within 15 minutes), or from the OIDC issuer
// (authorization code + PKCE, public client).
import { ApiError, interpretResponse, type GraphqlResponseBody } from '../api/errors';
import type { ConsoleConfig } from './config';
import {
  authorizationUrl,
  decodeJwtClaims,
  newPendingAuthorization,
  readCallback,
  refreshRequestBody,
  tokenRequestBody,
  type OidcDiscovery,
} from './pkce';
import { storedPending, storePending, type StoredSession } from './storage';

export const devSignIn = async (code: string, persona: { id: string; label: string }): Promise<StoredSession> => {
  const res = await fetch('/auth/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ code, persona: persona.id }),
  }).catch((error: Error) => {
    throw new ApiError('network', error.message);
  });
  const body = (await res.json().catch(() => undefined)) as ({ token?: string; expiresAt?: string } & GraphqlResponseBody<never>) | undefined;
  if (!res.ok || !body?.token || !body.expiresAt) {
    if (res.status === 404) throw new ApiError('bad-input', 'The development sign-in is off on this deployment.', { status: 404 });
    const result = interpretResponse(res.status, body ?? {}, res.headers.get('retry-after'));
    throw result.ok ? new ApiError('server', 'no token in the answer') : result.error;
  }
  return { mode: 'dev', accessToken: body.token, expiresAt: body.expiresAt, persona: persona.id, label: persona.label };
};

type OidcSettings = Extract<ConsoleConfig, { mode: 'oidc' }>['oidc'];

const discover = async (issuer: string): Promise<OidcDiscovery> => {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`the identity provider's configuration is not available (${res.status})`);
  return (await res.json()) as OidcDiscovery;
};

export const redirectUri = () => `${window.location.origin}/signed-in`;

/** Leaves for the issuer's sign-in page; what is needed on the way back stays in this tab. */
export const startOidcSignIn = async (oidc: OidcSettings, returnTo: string): Promise<void> => {
  const discovery = await discover(oidc.issuer);
  const pending = newPendingAuthorization(redirectUri(), returnTo);
  storePending(pending);
  window.location.assign(await authorizationUrl(discovery, oidc, pending));
};

interface TokenResponse {
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  error?: string;
  error_description?: string;
}

const tokenRequest = async (discovery: OidcDiscovery, body: URLSearchParams): Promise<TokenResponse> => {
  const res = await fetch(discovery.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json().catch(() => ({}))) as TokenResponse;
  if (!res.ok || !json.access_token) throw new Error(`the identity provider refused the sign-in: ${json.error_description ?? json.error ?? res.status}`);
  return json;
};

const toSession = (tokens: TokenResponse, previous?: StoredSession): StoredSession => {
  const claims = tokens.id_token ? decodeJwtClaims(tokens.id_token) : {};
  const label = String(claims['name'] ?? claims['preferred_username'] ?? claims['email'] ?? previous?.label ?? 'Signed in');
  return {
    mode: 'oidc',
    accessToken: tokens.access_token,
    expiresAt: new Date(Date.now() + (tokens.expires_in ?? 3600) * 1000).toISOString(),
    refreshToken: tokens.refresh_token ?? previous?.refreshToken,
    idToken: tokens.id_token ?? previous?.idToken,
    label,
  };
};

/** On /signed-in: checks the answer belongs to our request, exchanges the code, checks the nonce. */
export const completeOidcSignIn = async (oidc: OidcSettings, search: string): Promise<{ session: StoredSession; returnTo: string }> => {
  const pending = storedPending();
  storePending(undefined);
  const callback = readCallback(search, pending);
  if (!callback.ok || !pending) throw new Error(`Sign-in failed: ${callback.ok ? 'no sign-in was started in this tab' : callback.reason}`);
  const discovery = await discover(oidc.issuer);
  const tokens = await tokenRequest(discovery, tokenRequestBody(oidc.clientId, callback.code, pending));
  if (tokens.id_token && decodeJwtClaims(tokens.id_token)['nonce'] !== pending.nonce) throw new Error('Sign-in failed: the ID token does not answer this sign-in (nonce mismatch)');
  return { session: toSession(tokens), returnTo: pending.returnTo };
};

export const refreshOidcSession = async (oidc: OidcSettings, session: StoredSession): Promise<StoredSession | undefined> => {
  if (!session.refreshToken) return undefined;
  const discovery = await discover(oidc.issuer);
  return toSession(await tokenRequest(discovery, refreshRequestBody(oidc.clientId, session.refreshToken, oidc.scopes)), session);
};
