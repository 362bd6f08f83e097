// Who is signed in, and the two ways to the API they get: GraphQL over HTTP and, for live views,
// subscriptions over one graphql-ws socket (authenticated in connection_init, like any client).
import { createClient, type Client as WsClient } from 'graphql-ws/client';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createGraphqlClient, type GraphqlClient } from './api/client';
import { ApiError, describeError } from './api/errors';
import { ME_QUERY, TENANTS_PAGE_QUERY, type MeQuery, type TenantsPageQuery, type TenantSummary } from './api/operations';
import { loadConsoleConfig, type ConsoleConfig } from './auth/config';
import { homePath, reachableTenants, type Me } from './auth/roles';
import { completeOidcSignIn, refreshOidcSession } from './auth/sign-in';
import { storedReturnTo, storedSession, storeReturnTo, storeSession, type StoredSession } from './auth/storage';
import { useRouter } from './router/router';

/** Tenants the console lists at most (pages of 100). */
const MAX_TENANTS = 5_000;

export type AuthState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'signed-out'; readonly config: ConsoleConfig; readonly notice?: string }
  | { readonly status: 'signed-in'; readonly config: ConsoleConfig; readonly session: StoredSession; readonly me: Me; readonly tenants: ReadonlyMap<string, TenantSummary> };

interface SessionValue {
  readonly state: AuthState;
  signIn(session: StoredSession): Promise<void>;
  signOut(notice?: string): void;
}

const SessionContext = createContext<SessionValue | undefined>(undefined);

interface Connected {
  readonly client: GraphqlClient;
  readonly ws: () => WsClient;
}
const ApiContext = createContext<Connected | undefined>(undefined);

const expired = (session: StoredSession, marginMs = 30_000) => Date.parse(session.expiresAt) - marginMs <= Date.now();

export const SessionProvider = ({ children }: { children: ReactNode }) => {
  const { location, navigate } = useRouter();
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const sessionRef = useRef<StoredSession | undefined>(undefined);
  const wsRef = useRef<WsClient | undefined>(undefined);
  const configRef = useRef<ConsoleConfig | undefined>(undefined);

  const signOut = useCallback((notice?: string) => {
    storeSession(undefined);
    sessionRef.current = undefined;
    void wsRef.current?.dispose();
    wsRef.current = undefined;
    const config = configRef.current;
    setState(config ? { status: 'signed-out', config, notice } : { status: 'failed', message: notice ?? 'Signed out' });
  }, []);

  const getToken = useCallback(async (): Promise<string | undefined> => {
    let session = sessionRef.current;
    const config = configRef.current;
    if (session && expired(session) && config?.mode === 'oidc') {
      session = await refreshOidcSession(config.oidc, session).catch(() => undefined);
      if (session) {
        sessionRef.current = session;
        storeSession(session);
      }
    }
    if (!session || expired(session, 0)) {
      // Not worth a round trip the API would refuse: the page shows why and the sign-in comes back here.
      throw new ApiError('unauthenticated', 'the session has expired', { reason: 'expired' });
    }
    return session.accessToken;
  }, []);

  const onUnauthenticated = useCallback(
    (error: ApiError) => {
      if (!sessionRef.current) return;
      storeReturnTo(`${window.location.pathname}${window.location.search}`);
      signOut(describeError(error));
    },
    [signOut],
  );

  const client = useMemo(
    () =>
      createGraphqlClient({
        getToken: () =>
          getToken().catch((error: unknown) => {
            if (error instanceof ApiError) onUnauthenticated(error);
            throw error;
          }),
        onUnauthenticated,
      }),
    [getToken, onUnauthenticated],
  );

  const ws = useCallback((): WsClient => {
    wsRef.current ??= createClient({
      url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
      lazy: true,
      lazyCloseTimeout: 1_000,
      retryAttempts: 20,
      // Read at every (re)connect, so a refreshed token is used.
      connectionParams: async () => ({ authorization: `Bearer ${await getToken()}` }),
    });
    return wsRef.current;
  }, [getToken]);

  const enter = useCallback(
    async (session: StoredSession, config: ConsoleConfig) => {
      sessionRef.current = session;
      const data = await client.request<MeQuery>(ME_QUERY);
      const tenants = new Map(data.tenants.edges.map((e) => [e.node.tenantId, e.node]));
      for (let page = data.tenants.pageInfo; page.hasNextPage && tenants.size < MAX_TENANTS; ) {
        const next = await client.request<TenantsPageQuery>(TENANTS_PAGE_QUERY, { after: page.endCursor });
        for (const { node } of next.tenants.edges) tenants.set(node.tenantId, node);
        page = next.tenants.pageInfo;
      }
      const me = reachableTenants(data.me, tenants);
      setState({ status: 'signed-in', config, session, me, tenants });
      return me;
    },
    [client],
  );

  const signIn = useCallback(
    async (session: StoredSession) => {
      const config = configRef.current;
      if (!config) return;
      storeSession(session);
      const me = await enter(session, config);
      const returnTo = storedReturnTo();
      storeReturnTo(undefined);
      navigate(returnTo && returnTo !== '/' ? returnTo : homePath(me), { replace: true });
    },
    [enter, navigate],
  );

  // Start-up: the configuration, an OIDC callback if this is one, then the session this tab kept.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      let config: ConsoleConfig;
      try {
        config = await loadConsoleConfig();
      } catch (error) {
        setState({ status: 'failed', message: (error as Error).message });
        return;
      }
      configRef.current = config;
      if (config.mode === 'oidc' && location.pathname === '/signed-in') {
        try {
          const { session, returnTo } = await completeOidcSignIn(config.oidc, location.search);
          storeSession(session);
          storeReturnTo(returnTo);
        } catch (error) {
          navigate('/', { replace: true });
          setState({ status: 'signed-out', config, notice: (error as Error).message });
          return;
        }
      }
      const session = storedSession();
      if (!session) {
        if (location.pathname !== '/' && location.pathname !== '/signed-in') storeReturnTo(`${location.pathname}${location.search}`);
        setState({ status: 'signed-out', config });
        return;
      }
      try {
        const me = await enter(session, config);
        if (location.pathname === '/' || location.pathname === '/signed-in') {
          const returnTo = storedReturnTo();
          storeReturnTo(undefined);
          navigate(returnTo && returnTo !== '/' ? returnTo : homePath(me), { replace: true });
        }
      } catch (error) {
        // Still signed in: the API failed (down, restarting, an error). Say so, keep the session and
        // offer to try again, rather than showing the sign-in page as if the person had signed out.
        if (!(error instanceof ApiError && error.kind === 'unauthenticated')) {
          setState({ status: 'failed', message: `Your sign-in is kept, but the API did not answer: ${error instanceof ApiError ? describeError(error) : (error as Error).message}` });
        }
      }
    })();
  }, [enter, location.pathname, location.search, navigate]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  const api = useMemo(() => ({ client, ws }), [client, ws]);
  return (
    <SessionContext.Provider value={value}>
      <ApiContext.Provider value={api}>{children}</ApiContext.Provider>
    </SessionContext.Provider>
  );
};

export const useSession = (): SessionValue => {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
};

export const useApi = (): Connected => {
  const value = useContext(ApiContext);
  if (!value) throw new Error('useApi outside SessionProvider');
  return value;
};

/** For pages behind sign-in: the signed-in state (the shell renders pages only then). */
export const useSignedIn = (): Extract<AuthState, { status: 'signed-in' }> => {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn while not signed in');
  return state;
};
