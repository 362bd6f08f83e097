// What the console keeps between page loads of one tab: sessionStorage only (never localStorage), so
// a token leaves with the tab and is not shared with other tabs or left on the machine.
import type { PendingAuthorization } from './pkce';

export interface StoredSession {
  readonly mode: 'dev' | 'oidc';
  readonly accessToken: string;
  /** ISO-8601 */
  readonly expiresAt: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Dev mode: the persona signed in as. */
  readonly persona?: string;
  readonly label: string;
}

const KEYS = {
  session: 'rampart.console.session',
  devCode: 'rampart.console.devCode',
  pending: 'rampart.console.oidcPending',
  returnTo: 'rampart.console.returnTo',
} as const;

const read = <T>(key: string): T | undefined => {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
};
const write = (key: string, value: unknown) => (value === undefined ? sessionStorage.removeItem(key) : sessionStorage.setItem(key, JSON.stringify(value)));

export const storedSession = () => read<StoredSession>(KEYS.session);
export const storeSession = (session: StoredSession | undefined) => write(KEYS.session, session);
export const storedDevCode = () => read<string>(KEYS.devCode);
export const storeDevCode = (code: string | undefined) => write(KEYS.devCode, code);
export const storedPending = () => read<PendingAuthorization>(KEYS.pending);
export const storePending = (pending: PendingAuthorization | undefined) => write(KEYS.pending, pending);
export const storedReturnTo = () => read<string>(KEYS.returnTo);
export const storeReturnTo = (path: string | undefined) => write(KEYS.returnTo, path);

/**
 * `npm start` prints the console URL with the development sign-in code (`/?code=…`): keep the code
 * for this tab and take it out of the address bar (history, screen shares). The OIDC redirect
 * (/signed-in?code=…&state=…) is left alone: its code is single-use and read by the callback.
 */
export const takeSignInCodeFromUrl = (): void => {
  const url = new URL(window.location.href);
  const code = url.searchParams.get('code');
  if (!code || url.pathname === '/signed-in') return;
  storeDevCode(code);
  url.searchParams.delete('code');
  window.history.replaceState(null, '', `${url.pathname}${url.search}${url.hash}`);
};
